"""``default_collate`` / ``default_convert``: samples → batch, as PyTorch does it.

Leaves are collated as NumPy on the host (``np.stack``) and made tensors by
:func:`torchlike.utils.data._host.to_tensor`; containers keep their type the way
PyTorch keeps it (dicts and namedtuples stay, tuples become lists, strings stay
the list or tuple they arrive in). Python floats become float64 tensors, ints int64, bools bool.
"""

from __future__ import annotations

import collections.abc
import copy
from collections.abc import Callable

import numpy as np

import torchlike as _torchlike

from .... import _dtype
from ...._tensor import Tensor
from .._host import _HostTensor, is_tensor, to_numpy, to_tensor

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _is_text_or_object(dtype: np.dtype) -> bool:
    # strings, bytes, objects and records have no tensor dtype
    return dtype.kind in "SUOV"


def _stack(arrays: list[np.ndarray]) -> np.ndarray:
    """``torch.stack(arrays)`` on the host: equal shapes, and torch's type promotion
    (float32 with int64 stays float32; NumPy would make float64)."""
    first = arrays[0].shape
    result = arrays[0].dtype
    for i, array in enumerate(arrays):
        if array.shape != first:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{list(first)} at entry 0 and {list(array.shape)} at entry {i}"
            )
        if array.dtype != result:
            result = _dtype.promote_types(_dtype.from_np(result), _dtype.from_np(array.dtype)).np
    if any(array.dtype != result for array in arrays):
        arrays = [array.astype(result, copy=False) for array in arrays]
    return np.stack(arrays)


def _type_name(obj) -> str:
    t = type(obj)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


def collate_tensor_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if getattr(elem, "is_sparse", False):
        raise RuntimeError(
            "Batches of sparse tensors are not currently supported by the default collate_fn; "
            "please provide a custom collate_fn to handle them appropriately."
        )
    for i, item in enumerate(batch):
        if not (is_tensor(item) or isinstance(item, _HostTensor)):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {_type_name(item)}"
            )
    if any(getattr(item, "requires_grad", False) for item in batch):
        # (main process only: a worker's tensors arrive as host arrays) the batch keeps its
        # graph, StackBackward0 as in PyTorch
        return _torchlike.stack(batch, 0)
    return to_tensor(_stack([to_numpy(item) for item in batch]))


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    dtype = batch[0].dtype
    if _is_text_or_object(dtype):
        raise TypeError(default_collate_err_msg_format.format(dtype))
    return to_tensor(_stack([to_numpy(item) for item in batch]))


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return to_tensor(_python_numbers(batch))  # torch.as_tensor(batch): torch's promotion


def _python_numbers(batch, dtype=None) -> np.ndarray:
    # torch.tensor(batch[, dtype]): its dtype inference and its errors, on the host
    from ...._creation import host_data

    return host_data(batch, dtype)[0]


def collate_float_fn(batch, *, collate_fn_map=None):
    return to_tensor(_python_numbers(batch, np.float64))


def collate_int_fn(batch, *, collate_fn_map=None):
    return to_tensor(_python_numbers(batch))


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map: dict[type | tuple[type, ...], Callable] = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def _lookup(elem, collate_fn_map):
    fn = collate_fn_map.get(type(elem))
    if fn is not None:
        return fn
    for key, candidate in collate_fn_map.items():
        if isinstance(elem, key):
            return candidate
    return None


def collate(batch, *, collate_fn_map: dict | None = None):
    """Collate a list of samples, dispatching leaves through ``collate_fn_map`` by type."""
    elem = batch[0]
    if collate_fn_map is not None:
        fn = _lookup(elem, collate_fn_map)
        if fn is not None:
            return fn(batch, collate_fn_map=collate_fn_map)

    def recurse(samples):
        return collate(samples, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        collated = {key: recurse([sample[key] for sample in batch]) for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update(collated)
                return clone
            return type(elem)(collated)
        except TypeError:
            return collated
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple keeps its type
        return type(elem)(*(recurse(field) for field in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        # each column stays the tuple zip gives, as in PyTorch: a column of strings collates
        # to that tuple (``[(1, "a"), (2, "b")]`` -> ``[tensor([1, 2]), ('a', 'b')]``)
        columns = [recurse(column) for column in zip(*batch)]
        if isinstance(elem, tuple):
            return columns  # tuples become lists, as in PyTorch
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, column in enumerate(columns):
                    clone[i] = column
                return clone
            return type(elem)(columns)
        except TypeError:
            return columns
    raise TypeError(default_collate_err_msg_format.format(type(elem)))


def default_collate(batch):
    """Stack a list of samples into a batch (tensors, arrays and numbers gain a batch dim).

    Inside a DataLoader worker the tensor leaves are host (NumPy) arrays; they
    become tensors when the batch reaches the main process.
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Make tensors of the NumPy arrays/scalars in one sample (used when ``batch_size=None``)."""
    if is_tensor(data) or isinstance(data, _HostTensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _is_text_or_object(data.dtype) else to_tensor(data)
    if isinstance(data, np.generic) and not isinstance(data, (np.str_, np.bytes_)):
        return to_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(data[key]) for key in data}
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update(converted)
                return clone
            return type(data)(converted)
        except TypeError:
            return converted
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(item) for item in data))
    if isinstance(data, tuple):
        return [default_convert(item) for item in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        converted = [default_convert(item) for item in data]
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, item in enumerate(converted):
                    clone[i] = item
                return clone
            return type(data)(converted)
        except TypeError:
            return converted
    return data
