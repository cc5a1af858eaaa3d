"""torch.nn.attention: which backends ``scaled_dot_product_attention`` may use.

XLA chooses and fuses the attention kernel itself, so the backends are switches only: the
sdpa_kernel context manager sets and restores them as in PyTorch, and disabling both the math
and the flash backends makes ``scaled_dot_product_attention`` fail as PyTorch's CPU path does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from ..._context import state
from ...backends.cuda import SDPBackend

__all__ = ["SDPBackend", "WARN_FOR_UNFUSED_KERNELS", "sdpa_kernel"]

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
