"""torch.accelerator: the device-generic API over the accelerator JAX sees (see ``torchlike.cuda``).

``current_accelerator()`` is ``device(type='cuda')`` where JAX has a GPU or TPU (the documented
'cuda' alias) and ``None`` on a CPU-only host, as PyTorch's is without CUDA, so the tutorials'
``torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"``
picks the same device.
"""

from __future__ import annotations

import contextlib

from . import _device, cuda

__all__ = [
    "current_accelerator",
    "current_device_idx",
    "current_device_index",
    "device_count",
    "device_index",
    "empty_cache",
    "is_available",
    "max_memory_allocated",
    "max_memory_reserved",
    "memory_allocated",
    "memory_reserved",
    "reset_peak_memory_stats",
    "set_device_idx",
    "set_device_index",
    "synchronize",
]


def is_available() -> bool:
    """Whether an accelerator (GPU or TPU) is present."""
    return cuda.is_available()


def device_count() -> int:
    return cuda.device_count()


def current_accelerator(check_available: bool = False) -> _device.device | None:
    """``device(type='cuda')`` when there is an accelerator, else ``None``."""
    if not is_available():
        return None
    return _device.device("cuda")


def current_device_index() -> int:
    return cuda.current_device()


current_device_idx = current_device_index


def set_device_index(device) -> None:
    cuda.set_device(device)


set_device_idx = set_device_index


@contextlib.contextmanager
def device_index(device):
    """Context manager selecting accelerator ``device`` (one device is used: nothing changes)."""
    yield


def synchronize(device=None) -> None:
    """Run what is pending and wait for it to finish."""
    cuda.synchronize(device)


def empty_cache() -> None:
    cuda.empty_cache()


memory_allocated = cuda.memory_allocated
max_memory_allocated = cuda.max_memory_allocated
memory_reserved = cuda.memory_reserved
max_memory_reserved = cuda.max_memory_reserved
reset_peak_memory_stats = cuda.reset_peak_memory_stats
