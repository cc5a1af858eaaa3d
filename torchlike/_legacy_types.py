"""Legacy typed tensor constructors: ``torch.FloatTensor([1, 2])``, ``torch.LongTensor(2, 3)``,
``x.type(torch.IntTensor)``, ``isinstance(x, torch.FloatTensor)``."""

from __future__ import annotations

import numpy as np

from ._size import Size
from ._tensor import _TYPE_NAMES, Tensor


class _LegacyTensorType(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"

    def __call__(cls, *args, device=None):
        from . import _creation

        if not args:
            return _creation.empty(0, dtype=cls.dtype, device=device)
        if len(args) == 1 and isinstance(args[0], Size):
            return _creation.empty(*args[0], dtype=cls.dtype, device=device)
        if len(args) == 1 and isinstance(args[0], Tensor):
            return args[0].to(cls.dtype)
        if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)):
            return _creation.tensor(args[0], dtype=cls.dtype, device=device)
        if len(args) == 1 and hasattr(args[0], "_storage_tensor"):
            return args[0]._storage_tensor(cls.dtype)
        return _creation.empty(*args, dtype=cls.dtype, device=device)


LEGACY_TYPES = {}
for _dt, _full in _TYPE_NAMES.items():
    _name = _full.split(".")[-1]
    LEGACY_TYPES[_name] = _LegacyTensorType(_name, (), {"dtype": _dt, "__module__": "torch"})

__all__ = list(LEGACY_TYPES)
globals().update(LEGACY_TYPES)
del _dt, _full, _name
