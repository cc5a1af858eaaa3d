"""DLPack exchange (with real PyTorch, NumPy, JAX, CuPy ...)."""

from __future__ import annotations

import jax
import numpy as np

from .. import _dtype
from .._tensor import Tensor


def from_dlpack(ext) -> Tensor:
    """A tensor from any object with ``__dlpack__`` (or a legacy capsule)."""
    from .._device import CPU

    if isinstance(ext, Tensor):
        return ext
    with jax.enable_x64(True):
        if hasattr(ext, "__dlpack__"):
            dev_type, _ = ext.__dlpack_device__()
            if int(dev_type) == 1:  # kDLCPU: go through NumPy (zero-copy view), then one device put
                arr = np.from_dlpack(ext)
                return Tensor._make(arr, _dtype.from_np(arr.dtype), CPU)
            arr = jax.dlpack.from_dlpack(ext)
        else:
            arr = jax.dlpack.from_dlpack(ext)
    return Tensor._make(arr, _dtype.from_np(arr.dtype), CPU)


def to_dlpack(tensor: Tensor):
    return tensor.__dlpack__()
