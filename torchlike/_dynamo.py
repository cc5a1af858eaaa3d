"""torch._dynamo: the few entry points tutorials call (reset, config, mark_dynamic, disable)."""

from __future__ import annotations

import types

from .compiler import allow_in_graph, disable, reset  # noqa: F401

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


def _optimized_module_class():
    from .nn.modules.module import Module

    class OptimizedModule(Module):
        """What torch.compile(module) returns: the module as ``_orig_mod``, its forward recorded
        and replayed as one op (torchlike/_engine/segment.py); other attributes forward to it."""

        def __init__(self, mod):
            super().__init__()
            self._orig_mod = mod
            from ._engine.segment import CompiledForward

            self.__dict__["_compiled_forward"] = CompiledForward(mod)

        def forward(self, *args, **kwargs):
            return self.__dict__["_compiled_forward"](args, kwargs)

        def __getattr__(self, name):
            try:
                return super().__getattr__(name)
            except AttributeError:
                return getattr(self.__dict__["_modules"]["_orig_mod"], name)

    OptimizedModule.__module__ = "torchlike._dynamo.eval_frame"
    OptimizedModule.__qualname__ = "OptimizedModule"
    return OptimizedModule


_OPTIMIZED = []


def optimize_module(mod):
    if not _OPTIMIZED:
        _OPTIMIZED.append(_optimized_module_class())
    return _OPTIMIZED[0](mod)
