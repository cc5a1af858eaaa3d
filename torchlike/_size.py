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
        if not isinstance(other, tuple):
            raise TypeError(
                f"can only concatenate tuple (not {type(other).__name__}) to torch.Size"
            )
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):  # (1,) + size is a Size too, as in PyTorch
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, times):
        if not hasattr(times, "__index__"):
            raise TypeError(f"can't multiply sequence by non-int of type '{type(times).__name__}'")
        return Size(tuple.__mul__(self, times))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))
