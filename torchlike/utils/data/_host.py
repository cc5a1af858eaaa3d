"""Host arrays and the one place where they become torchlike tensors.

Batches are assembled on the host as NumPy arrays and turned into tensors by
:func:`to_tensor` only at the very end, so a batch crosses to the device once,
when it meets a device op.

Inside a DataLoader worker process nothing may touch JAX (the worker was forked
from a process whose JAX runtime owns threads). There :func:`to_tensor` returns
a :class:`_HostTensor` (a NumPy array marking "this becomes a tensor"), tensors
a dataset returns are converted to host arrays before they are sent, and the
main process makes tensors of the marked arrays when the batch arrives
(:func:`finalize`).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Mapping, MutableMapping

import numpy as np


class _HostTensor(np.ndarray):
    """A NumPy array that stands for a tensor still to be made in the main process."""


def _torchlike_attr(name: str):
    return getattr(sys.modules.get("torchlike"), name, None)


def is_tensor(obj) -> bool:
    """True for a ``torchlike.Tensor`` (False while the core is not importable)."""
    tensor_type = _torchlike_attr("Tensor")
    return isinstance(tensor_type, type) and isinstance(obj, tensor_type)


def in_worker() -> bool:
    from ._utils.worker import get_worker_info

    return get_worker_info() is not None


def to_numpy(obj) -> np.ndarray:
    """The host array of a tensor, host tensor, array or array-like (no device op for arrays)."""
    if isinstance(obj, np.ndarray):
        return obj.view(np.ndarray) if type(obj) is not np.ndarray else obj
    if is_tensor(obj):
        try:
            return np.asarray(obj.numpy(force=True))
        except TypeError:  # bfloat16 has no numpy(); __array__ gives an ml_dtypes array
            return np.asarray(obj)
    return np.asarray(obj)


def to_tensor(array: np.ndarray):
    """Make the tensor for a host array collated or converted by the data pipeline."""
    array = to_numpy(array)
    if in_worker():
        return array.view(_HostTensor)
    # (a collated batch shares memory with nobody: no write-back of in-place ops into the array)
    from_numpy = getattr(_torchlike_attr("_creation"), "_from_numpy_unshared", None) or _torchlike_attr("from_numpy")
    if from_numpy is None:  # the Tensor core is not importable: stay NumPy
        return array
    tensor = from_numpy(array)
    if array.ndim == 0 and len(tensor.shape) != 0:
        tensor = from_numpy(array.reshape(1))[0]  # a core that promotes 0-d arrays to 1-d
    return tensor


def map_structure(obj, leaf_fn: Callable):
    """Apply ``leaf_fn`` to the arrays and tensors inside dicts/lists/tuples/namedtuples."""
    if isinstance(obj, np.ndarray) or is_tensor(obj):
        return leaf_fn(obj)
    if isinstance(obj, Mapping):
        mapped = {key: map_structure(value, leaf_fn) for key, value in obj.items()}
        try:
            if isinstance(obj, MutableMapping):
                clone = copy.copy(obj)
                clone.update(mapped)
                return clone
            return type(obj)(mapped)
        except TypeError:
            return mapped
    if isinstance(obj, tuple):
        items = [map_structure(item, leaf_fn) for item in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    if isinstance(obj, list):
        items = [map_structure(item, leaf_fn) for item in obj]
        try:
            return items if type(obj) is list else type(obj)(items)
        except TypeError:
            return items
    return obj


def _host_leaf(leaf):
    return to_numpy(leaf).view(_HostTensor) if is_tensor(leaf) else leaf


def to_host(batch):
    """Replace the tensors in a worker's batch by host arrays, ready to pickle."""
    return map_structure(batch, _host_leaf)


def _finalize_leaf(leaf):
    return to_tensor(leaf) if isinstance(leaf, _HostTensor) else leaf


def finalize(batch):
    """In the main process: make tensors of the host arrays a worker marked as tensors."""
    return map_structure(batch, _finalize_leaf)
