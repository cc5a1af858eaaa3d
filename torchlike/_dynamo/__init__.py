"""torch._dynamo: the few entry points tutorials call (reset, config, mark_dynamic, disable)."""

from __future__ import annotations

import types

from ..compiler import allow_in_graph, disable, reset  # noqa: F401

# settings PyTorch's compiler reads; accepted and kept (torchlike's replay has no such knobs)
config = types.SimpleNamespace(
    cache_size_limit=8,
    suppress_errors=False,
    verbose=False,
    capture_scalar_outputs=False,
    automatic_dynamic_shapes=True,
    assume_static_by_default=True,
)


def mark_dynamic(tensor, index, **kwargs) -> None:
    """Accepted: a new size records a new step (no dynamic shapes in XLA programs)."""


def mark_static(tensor, index=None) -> None:
    """Accepted: every dimension is static in torchlike."""


def optimize_module(mod):
    """What torch.compile(module) returns (torchlike/_dynamo/eval_frame.py)."""
    from .eval_frame import OptimizedModule

    return OptimizedModule(mod)
