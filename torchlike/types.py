"""``torch.types``: the type aliases PyTorch's annotations use."""

from __future__ import annotations

import os
from builtins import bool as _bool  # noqa: F401
from builtins import bytes as _bytes  # noqa: F401
from builtins import complex as _complex  # noqa: F401
from builtins import float as _float  # noqa: F401
from builtins import int as _int  # noqa: F401
from builtins import str as _str  # noqa: F401
from collections.abc import Sequence
from typing import IO

from ._device import device as _device
from ._dtype import dtype as _dtype  # noqa: F401
from ._layout import layout as _layout  # noqa: F401
from ._size import Size
from ._tensor import Tensor

__all__ = ["Device", "FileLike", "Number"]  # (and Storage, through __getattr__)

_TensorOrTensors = Tensor | Sequence[Tensor]
_TensorOrOptionalTensors = Tensor | Sequence[Tensor | None]
_size = Size | list[int] | tuple[int, ...]
_symsize = Size | Sequence[int]
IntLikeType = int
FloatLikeType = float
BoolLikeType = bool
Number = int | float | bool
_Number = (int, float, bool)
FileLike = str | os.PathLike[str] | IO[bytes]
Device = _device | str | int | None


def __getattr__(name):
    if name == "Storage":  # (torchlike's storage type, imported on use)
        from ._runtime import Storage

        return Storage
    raise AttributeError(f"module 'torch.types' has no attribute '{name}'")
