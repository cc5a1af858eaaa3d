"""PyTorch's errors for nested Python data that ``torch.tensor`` cannot read.

``torch.tensor(data)`` reads a list in three passes (``torch/csrc/utils/tensor_new.cpp``): the
shape, from the first element at each depth (a string is a sequence of strings, so
``["a", 1]`` has "too many dimensions 'str'"); the dtype, from every leaf, when none is given
(``[1, None]``: "Could not infer dtype of NoneType"); then each leaf is stored as that dtype
(``[1, "a"]`` as float64: "must be real number, not str"). torchlike reads data with NumPy and,
only when that fails or would change a value, walks the data again here to raise the error
PyTorch raises at the same place.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence

import numpy as np

_MAX_DIMS = 64
_INT64_RANGE = (-(2**63), 2**63 - 1)
_HEAPTYPE = 1 << 9


def _tp_name(x) -> str:
    # CPython's tp_name: the bare name for classes written in Python and builtins, the dotted
    # name of extension types ('numpy.str_', 'numpy.ndarray')
    t = type(x)
    if t.__flags__ & _HEAPTYPE or t.__module__ == "builtins":
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


def _is_sequence(x) -> bool:
    # PySequence_Check: lists, tuples, strings, bytes, ranges, arrays and tensors; not dicts/sets
    if isinstance(x, (Sequence, np.ndarray)):
        return True
    return hasattr(x, "__getitem__") and hasattr(x, "__len__") and not hasattr(x, "keys")


def data_sizes(data) -> list[int]:
    """The shape ``torch.tensor`` reads from the first element at each depth."""
    if isinstance(data, (str, bytes)):  # a string is a sequence, but not as the whole data
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    sizes = []
    seq = data
    while _is_sequence(seq):
        length = len(seq)
        sizes.append(length)
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{_tp_name(seq)}'")
        if length == 0:
            break
        seq = seq[0]
    return sizes


def infer_kind(x, is_tensor) -> None:
    """Raise what ``torch.tensor`` raises inferring the dtype of ``x`` (nothing if it can)."""
    if isinstance(x, (np.ndarray, np.generic)) or is_tensor(x):
        if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "SUOV":
            raise TypeError(f"can't convert np.ndarray of type {x.dtype}.")
        return
    if isinstance(x, (bool, numbers.Number)):
        return
    if isinstance(x, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{_tp_name(x)}'")
    if _is_sequence(x):
        for item in x:
            infer_kind(item, is_tensor)
        return
    raise RuntimeError(f"Could not infer dtype of {_tp_name(x)}")


def _store_scalar(x, kind: str) -> None:
    """``store_scalar``: raise what PyTorch raises storing the leaf ``x`` as a ``kind`` dtype."""
    if kind in "iu":
        if isinstance(x, (float, np.floating)):
            return
        value = operator.index(x)  # "'str' object cannot be interpreted as an integer"
        if not _INT64_RANGE[0] <= value <= _INT64_RANGE[1]:
            raise ValueError("Overflow when unpacking long long")
    elif kind == "f":
        if isinstance(x, (complex, np.complexfloating)) or not (
            hasattr(type(x), "__float__") or hasattr(type(x), "__index__")
        ):
            raise TypeError(f"must be real number, not {_tp_name(x)}")
        float(x)  # NumPy's own message for an array that is not one number
    elif kind == "c":
        if not hasattr(type(x), "__complex__") and not hasattr(type(x), "__float__"):
            raise TypeError(f"must be real number, not {_tp_name(x)}")


def store(x, sizes: list[int], dim: int, kind: str, is_tensor) -> None:
    """``recursive_store``: walk ``x`` against ``sizes`` and raise at the first bad element."""
    if dim == len(sizes):
        if not is_tensor(x):
            _store_scalar(x, kind)
        return
    if is_tensor(x) or isinstance(x, np.ndarray):
        return  # NumPy reads arrays and tensors; a shape mismatch is NumPy's to report
    if not isinstance(x, (list, tuple)) and not _is_sequence(x):
        raise TypeError("not a sequence")
    items = list(x)
    if len(items) != sizes[dim]:
        raise ValueError(
            f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(items)})"
        )
    for item in items:
        store(item, sizes, dim + 1, kind, is_tensor)


def raise_data_error(data, kind: str | None, is_tensor, inferred_kind) -> None:
    """Raise PyTorch's error for ``torch.tensor(data)``, passes in PyTorch's order. ``kind`` is
    the NumPy kind of the requested dtype (None: infer it; ``inferred_kind()`` gives it once
    every leaf has a dtype). Returns when PyTorch would read the data."""
    sizes = data_sizes(data)
    if kind is None:
        infer_kind(data, is_tensor)
        kind = inferred_kind()
    store(data, sizes, 0, kind, is_tensor)
