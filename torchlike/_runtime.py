"""Engine switches (eager mode, compile), and the torch.cuda / torch.backends namespaces."""

from __future__ import annotations

import functools
import types

from ._context import state
from ._engine.execute import flush


def set_eager(flag: bool = True) -> None:
    """Debug mode: run every op as it is recorded (same code path, one program per op)."""
    flush("set_eager")
    state.eager = bool(flag)


def is_eager() -> bool:
    return state.eager


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
            disable=False):
    """torch.compile / torchlike.compile: the wrapped callable runs and then flushes, so each call
    is one compiled XLA program (cached by structure: later calls only replay)."""
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    if disable:
        return model
    from .nn.modules.module import Module

    if isinstance(model, Module):
        model._compiled_call = True
        return model

    @functools.wraps(model)
    def compiled(*args, **kwargs):
        out = model(*args, **kwargs)
        flush("torchlike.compile step")
        return out

    return compiled


# -- torch.cuda / torch.backends: real modules (so `import torch.cuda.amp`, `torch.backends.cudnn` work) ----

from . import backends, cuda  # noqa: E402, F401  (re-exported as torch.cuda / torch.backends)


def _cuda_amp():
    return cuda.amp


# -- torch.jit: accepted as pass-through where harmless -------------------------------------------------


def _jit_script(obj=None, *args, **kwargs):
    return obj


jit = types.SimpleNamespace(script=_jit_script, trace=lambda fn, *a, **k: fn, ignore=lambda fn=None, **k: fn,
                            unused=lambda fn: fn, export=lambda fn: fn, is_scripting=lambda: False,
                            is_tracing=lambda: False)


class Storage:
    """Placeholder type for isinstance checks; torchlike tensors own no separate storage objects."""
