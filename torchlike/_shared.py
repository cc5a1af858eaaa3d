"""Tensors in shared host memory (``share_memory_``), for Hogwild-style training with
torch.multiprocessing: every read of a shared tensor copies the current shared contents to the
device, every in-place write (an optimizer step) is computed and copied back into shared memory.
On accelerators the shared copy stays in host memory, so each step pays two transfers."""

from __future__ import annotations

import atexit
from multiprocessing import resource_tracker, shared_memory

import numpy as np

_OWNED: dict = {}  # name -> SharedMemory created by this process (unlinked at exit)
_ATTACHED: dict = {}  # name -> SharedMemory attached from another process


def _cleanup():
    for shm in _ATTACHED.values():
        shm.close()
    for shm in _OWNED.values():
        shm.close()
        try:
            shm.unlink()
        except FileNotFoundError:
            pass


atexit.register(_cleanup)


def share(host: np.ndarray):
    """A new shared block holding ``host``; returns (name, ndarray view)."""
    shm = shared_memory.SharedMemory(create=True, size=max(host.nbytes, 1))
    view = np.ndarray(host.shape, host.dtype, buffer=shm.buf)
    view[...] = host
    _OWNED[shm.name] = shm
    return shm.name, view


def attach(name: str, shape, dtype) -> np.ndarray:
    shm = _ATTACHED.get(name) or _OWNED.get(name)
    if shm is None:
        shm = shared_memory.SharedMemory(name=name)
        try:  # the creator owns the block; this process must not unlink it when it exits
            resource_tracker.unregister(shm._name, "shared_memory")
        except Exception:
            pass
        _ATTACHED[name] = shm
    return np.ndarray(tuple(shape), np.dtype(dtype), buffer=shm.buf)
