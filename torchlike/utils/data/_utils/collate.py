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

from .._host import _HostTensor, is_tensor, to_numpy, to_tensor

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _is_text_or_object(dtype: np.dtype) -> bool:
    # strings, bytes, objects and records have no tensor dtype
    return dtype.kind in "SUOV"


class _TensorMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, _HostTensor) or is_tensor(obj)


class _AnyTensor(metaclass=_TensorMeta):
    """Matches ``torchlike.Tensor`` (and worker-side host tensors) in a ``collate_fn_map``."""


def _stack(arrays: list[np.ndarray]) -> np.ndarray:
    first = arrays[0].shape
    for i, array in enumerate(arrays):
        if array.shape != first:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{list(first)} at entry 0 and {list(array.shape)} at entry {i}"
            )
    return np.stack(arrays)


def collate_tensor_fn(batch, *, collate_fn_map=None):
    return to_tensor(_stack([to_numpy(item) for item in batch]))


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    dtype = batch[0].dtype
    if _is_text_or_object(dtype):
        raise TypeError(default_collate_err_msg_format.format(dtype))
    return to_tensor(_stack([to_numpy(item) for item in batch]))


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return to_tensor(np.asarray(batch))


def collate_float_fn(batch, *, collate_fn_map=None):
    return to_tensor(np.asarray(batch, dtype=np.float64))


def collate_int_fn(batch, *, collate_fn_map=None):
    array = np.asarray(batch)
    if array.dtype.kind in "iu":
        array = array.astype(np.int64, copy=False)
    elif array.dtype.kind == "f":  # ints mixed with floats: torch.tensor's default dtype
        array = array.astype(np.float32)
    elif array.dtype.kind == "O":
        raise OverflowError("Overflow when unpacking long")
    return to_tensor(array)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map: dict[type | tuple[type, ...], Callable] = {
    _AnyTensor: collate_tensor_fn,
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
