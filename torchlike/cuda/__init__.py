"""torch.cuda: the accelerator JAX sees (GPU, or TPU as the documented 'cuda' alias).

A real module (so ``import torch.cuda`` and ``from torch.cuda import amp`` work under the runner);
``is_available()`` is true when JAX has a GPU/TPU backend, and the memory queries read the JAX
device's ``memory_stats()``.
"""

from __future__ import annotations

import types

import jax

from .. import _device
from .._engine.execute import flush
from . import amp  # noqa: F401  (torch.cuda.amp)


def is_available() -> bool:
    return bool(_device.accelerators())


def device_count() -> int:
    return len(_device.accelerators())


def is_initialized() -> bool:
    return is_available()


def init() -> None:
    pass


def current_device() -> int:
    return 0


def set_device(device) -> None:
    pass


def synchronize(device=None) -> None:
    """Run what is pending and wait for the device to finish it."""
    flush("cuda.synchronize()")
    (jax.device_put(0) + 0).block_until_ready()


def get_device_name(device=None) -> str:
    accs = _device.accelerators()
    if not accs:
        raise AssertionError("Torch not compiled with CUDA enabled")
    return accs[0].device_kind


def _memory_stat(key):
    def stat(device=None) -> int:
        accs = _device.accelerators()
        if not accs:
            return 0
        idx = device.index if isinstance(device, _device.device) else device
        stats = accs[idx or 0].memory_stats() or {}
        return int(stats.get(key, 0))

    stat.__name__ = key
    return stat


memory_allocated = _memory_stat("bytes_in_use")
max_memory_allocated = _memory_stat("peak_bytes_in_use")
memory_reserved = _memory_stat("bytes_reserved")
max_memory_reserved = _memory_stat("peak_bytes_reserved")
_total_memory = _memory_stat("bytes_limit")


def get_device_properties(device=None):
    return types.SimpleNamespace(name=get_device_name(device), total_memory=_total_memory(device))


def reset_peak_memory_stats(device=None) -> None:
    pass


def empty_cache() -> None:
    pass


def manual_seed(seed) -> None:
    """One RNG serves every device: seeding CUDA seeds it."""
    from ..random import manual_seed as _seed

    _seed(seed)


manual_seed_all = manual_seed


class device:
    """``with torch.cuda.device(i):`` is accepted; placement follows ``.to(device)``."""

    def __init__(self, device):
        self.device = device

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
