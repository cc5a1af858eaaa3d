"""torch.nn.attention: which backends ``scaled_dot_product_attention`` may use.

XLA chooses and fuses the attention kernel itself, so the backends are switches only: the
sdpa_kernel context manager sets and restores them as in PyTorch, and disabling both the math
and the flash backends makes ``scaled_dot_product_attention`` fail as PyTorch's CPU path does.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable

from ..._context import state
from ...backends.cuda import SDPBackend

__all__ = [
    "SDPBackend",
    "sdpa_kernel",
    "WARN_FOR_UNFUSED_KERNELS",
    "register_flash_attention_impl",
    "activate_flash_attention_impl",
    "list_flash_attention_impls",
    "current_flash_attention_impl",
    "restore_flash_attention_impl",
]

# torch.nn.attention.WARN_FOR_UNFUSED_KERNELS = True asks for warnings when no fused kernel applies;
# XLA's kernels are always the fused ones, so there is nothing to warn about
WARN_FOR_UNFUSED_KERNELS = False

_backend_names = {
    "cudnn": "CUDNN_ATTENTION",
    "flash": "FLASH_ATTENTION",
    "mem_efficient": "EFFICIENT_ATTENTION",
    "math": "MATH",
    "overrideable": "OVERRIDEABLE",
}


def _cur_sdpa_kernel_backends(with_priority: bool = False) -> list[SDPBackend]:
    backends = [SDPBackend[val] for name, val in _backend_names.items() if state.sdp_enabled[name]]
    if with_priority:
        backends.sort(key=lambda backend: state.sdp_priority.index(int(backend)))
    return backends


def _sdpa_kernel(backends: Iterable[SDPBackend], set_priority: bool = False) -> None:
    backends = list(backends)
    for name, val in _backend_names.items():
        state.sdp_enabled[name] = SDPBackend[val] in backends
    if set_priority:
        user = [int(backend) for backend in backends]
        state.sdp_priority = user + [b for b in state.sdp_priority if b not in user]


@contextlib.contextmanager
def sdpa_kernel(backends: list[SDPBackend] | SDPBackend, set_priority: bool = False):
    """Enable only ``backends`` for scaled_dot_product_attention inside the block (and, with
    ``set_priority``, try them in the order given); the previous flags come back on exit."""
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError(
            "Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
            f"got {type(backends).__name__}"
        )
    if isinstance(backends, SDPBackend):
        backends = [backends]
    backends = list(dict.fromkeys(backends))
    previous = _cur_sdpa_kernel_backends(with_priority=set_priority)
    try:
        _sdpa_kernel(backends, set_priority)
        yield {}
    finally:
        _sdpa_kernel(previous, set_priority)


# -- flash attention implementations: PyTorch's provider registry ------------------------------
# Providers register a callable that installs their kernels into PyTorch's dispatcher; XLA picks
# its attention kernels itself, so here the registry only keeps the callables and the active name.
# Like PyTorch's, it is one per process.
_logger = logging.getLogger(__name__)


def _cuda_flash_provider(name):
    def register(*args, **kwargs):
        raise NotImplementedError(
            f"flash attention impl {name!r} installs CUDA kernels into PyTorch's dispatcher; "
            "torchlike's scaled_dot_product_attention uses the kernel XLA chooses"
        )

    return register


_FLASH_ATTENTION_IMPLS: dict[str, Callable] = {name: _cuda_flash_provider(name) for name in ("FA3", "FA4")}
_flash_attention_active: list = [None]  # (name, handle) of the activated impl, or None


def register_flash_attention_impl(impl: str, *, register_fn: Callable) -> None:
    """Register the callable that activates the flash attention impl ``impl``."""
    _FLASH_ATTENTION_IMPLS[impl] = register_fn


def activate_flash_attention_impl(impl: str) -> None:
    """Run ``impl``'s registered callable (after restoring any impl activated before); a handle it
    returns is kept as the active one."""
    restore_flash_attention_impl(_raise_warn=False)
    register_fn = _FLASH_ATTENTION_IMPLS.get(impl)
    if register_fn is None:
        raise ValueError(
            f"Unknown flash attention impl '{impl}'. Available implementations: {list_flash_attention_impls()}"
        )
    handle = register_fn()
    if handle is not None:
        _flash_attention_active[0] = (impl, handle)


def list_flash_attention_impls() -> list[str]:
    return sorted(_FLASH_ATTENTION_IMPLS)


def current_flash_attention_impl() -> str | None:
    active = _flash_attention_active[0]
    return None if active is None else active[0]


def restore_flash_attention_impl(_raise_warn: bool = True) -> None:
    """Remove the active impl's handle (back to the default kernels)."""
    active = _flash_attention_active[0]
    if active is not None and active[1] is not None:
        active[1].remove()
    elif _raise_warn:
        _logger.warning("Trying to restore default FA2 impl when no custom impl was activated")
    _flash_attention_active[0] = None
