"""torch.Size: a tuple with torch's repr and numel()."""

from __future__ import annotations

import math


class Size(tuple):
    __slots__ = ()

    def __new__(cls, seq=()):
        if type(seq) is tuple:  # shapes of arrays: already ints (the hot path: Tensor.shape)
            return tuple.__new__(cls, seq)
        return tuple.__new__(cls, (int(s) for s in seq))

    def __repr__(self):
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    def numel(self) -> int:
        return math.prod(self)

    def __getitem__(self, i):
        r = super().__getitem__(i)
        return Size(r) if isinstance(i, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __reduce__(self):
        return (Size, (tuple(self),))
