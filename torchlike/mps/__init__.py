"""torch.mps: Apple's Metal backend, which torchlike (on JAX) does not have. What a PyTorch build
without MPS reports: no device, and the backend's calls fail with PyTorch's message."""

from __future__ import annotations

__all__ = [
    "is_available", "device_count", "synchronize", "empty_cache", "current_allocated_memory",
    "driver_allocated_memory", "recommended_max_memory", "manual_seed", "seed", "get_rng_state", "set_rng_state",
    "set_per_process_memory_fraction",
]


def _no_mps(what: str):
    raise RuntimeError(f"Cannot execute {what}() without MPS backend.")


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def synchronize() -> None:
    _no_mps("deviceSynchronize")


def empty_cache() -> None:
    _no_mps("emptyCache")


def current_allocated_memory() -> int:
    _no_mps("getCurrentAllocatedMemory")


def driver_allocated_memory() -> int:
    _no_mps("getDriverAllocatedMemory")


def recommended_max_memory() -> int:
    _no_mps("getRecommendedMaxMemory")


def set_per_process_memory_fraction(fraction) -> None:
    _no_mps("setMemoryFraction")


def manual_seed(seed) -> None:
    """Ignored without an MPS device, as in PyTorch."""
    return None


def seed() -> None:
    _no_mps("getDefaultGenerator")


def get_rng_state(device="mps"):
    _no_mps("getDefaultGenerator")


def set_rng_state(new_state, device="mps") -> None:
    _no_mps("getDefaultGenerator")
