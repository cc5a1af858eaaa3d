"""torch.xpu: Intel GPUs, which torchlike (on JAX) does not drive. What a PyTorch build without XPU
reports: no device; queries that need one raise PyTorch's error."""

from __future__ import annotations

__all__ = [
    "is_available", "device_count", "is_initialized", "init", "current_device", "get_device_name",
    "synchronize", "empty_cache", "memory_allocated", "memory_reserved", "max_memory_allocated",
    "is_bf16_supported", "manual_seed", "manual_seed_all", "seed", "seed_all", "initial_seed",
]


def _not_compiled():
    raise AssertionError("Torch not compiled with XPU enabled")


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def init() -> None:
    _not_compiled()


def current_device() -> int:
    _not_compiled()


def get_device_name(device=None) -> str:
    _not_compiled()


def synchronize(device=None) -> None:
    _not_compiled()


def initial_seed() -> int:
    _not_compiled()


def empty_cache() -> None:
    """Nothing is cached without a device."""


def memory_allocated(device=None) -> int:
    return 0


def memory_reserved(device=None) -> int:
    return 0


def max_memory_allocated(device=None) -> int:
    return 0


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def manual_seed(seed) -> None:
    """Ignored without an XPU device (PyTorch queues it for a device that never initialises)."""


def manual_seed_all(seed) -> None:
    """Ignored without an XPU device."""


def seed() -> None:
    """Ignored without an XPU device."""


def seed_all() -> None:
    """Ignored without an XPU device."""
