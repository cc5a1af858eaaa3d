"""The 'meta' device: tensors with a shape and a dtype but no data.

``module.to('meta')`` (a stateless base model for ``torch.func.functional_call``) and ops on meta
tensors, which infer their outputs' shapes and dtypes (the same memoised inference every op
has) and compute nothing. Reading values raises, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from ._device import META
from ._engine.graph import Scalar
from ._engine.trace import infer

__all__ = ["META", "MetaValue", "empty", "record", "to_meta"]


class MetaValue:
    """The value of a meta tensor: its shape and NumPy dtype (``index``: its place among an op's
    outputs, as a Pending's)."""

    __slots__ = ("shape", "dtype", "index")

    def __init__(self, shape, dtype, index=0):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.index = index


def _aval(a):
    t = type(a)
    if t is Scalar:
        return ((), a.dtype)
    if t is list or t is tuple:
        return ("list", tuple(_aval(x) for x in a))
    if hasattr(a, "shape") and hasattr(a, "dtype"):  # a meta value, an array, a Pending
        return (tuple(a.shape), np.dtype(a.dtype))
    return ("const", a)


def record(op, attrs: tuple, values: list):
    """An op on meta tensors: its outputs' meta values (and whether it returns a tuple)."""
    out_avals, multi = infer(op, attrs, tuple(_aval(v) for v in values))
    return tuple(MetaValue(s, d, i) for i, (s, d) in enumerate(out_avals)), multi


def to_meta(t):
    from ._tensor import Tensor

    return Tensor._make(MetaValue(t.shape, t._dtype.np), t._dtype, META)


def empty(shape, dtype):
    """A new meta tensor of this shape and torchlike dtype (factories called with device='meta')."""
    from ._tensor import Tensor

    return Tensor._make(MetaValue(shape, dtype.np), dtype, META)


def no_data(what: str = "copy out of"):
    raise NotImplementedError(f"Cannot {what} meta tensor; no data!")
