"""Engine switches (eager mode, compile), and the torch.cuda / torch.backends namespaces."""

from __future__ import annotations

import functools
import weakref

from ._context import state
from ._engine import capture, replay
from ._engine.execute import flush


def set_eager(flag: bool = True) -> None:
    """Debug mode: run every op as it is recorded (same code path, one program per op)."""
    flush("set_eager")
    state.eager = bool(flag)


def is_eager() -> bool:
    return state.eager


def set_auto_compile(flag: bool = True) -> None:
    """Compile every top-level module call as ``torch.compile(module)`` would (also
    ``TORCHLIKE_AUTO_COMPILE=1``): unchanged scripts get one-op forwards and one-node backwards."""
    state.auto_compile = bool(flag)


def compile(
    model=None,
    *,
    fullgraph=False,
    dynamic=None,
    backend="inductor",
    mode=None,
    options=None,
    disable=False,
):
    """torch.compile / torchlike.compile.

    A function is traced once per call signature and then replayed: its step's program runs on
    the current values without running its Python (torchlike._engine.replay says when a step
    cannot be replayed; it then runs as a plain call and one flush). A module comes back wrapped
    as PyTorch's ``OptimizedModule``: its forward is recorded, then replayed as one
    differentiable op (torchlike/_engine/segment.py).
    """
    if model is None:
        return functools.partial(
            compile,
            fullgraph=fullgraph,
            dynamic=dynamic,
            backend=backend,
            mode=mode,
            options=options,
            disable=disable,
        )
    if disable:
        return model
    from .nn.modules.module import Module

    if isinstance(model, Module):
        from ._dynamo import optimize_module

        return optimize_module(model)
    return functools.wraps(model)(CompiledFunction(model))


compiled_functions = weakref.WeakSet()  # for torch.compiler.reset()


class CompiledFunction:
    """A step function recorded once per call signature and replayed (see _engine/replay.py)."""

    def __init__(self, fn):
        self._fn = fn
        self._entries = {}
        compiled_functions.add(self)

    def __get__(self, obj, objtype=None):  # decorating a method
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args, **kwargs):
        flush(capture.CAPTURE_FLUSH)
        found = capture.call_key(args, kwargs)
        if found is None:
            return self._plain(args, kwargs)
        leaves, key = found
        e = self._entries.get(key)
        if e is None:
            e = self._entries[key] = capture.Entry()
        for plan in e.plans:
            out = plan.replay(leaves)
            if out is not replay.MISS:
                return out
        e.calls += 1
        if e.calls == 1 or e.reason is not None:
            return self._plain(args, kwargs)  # the first call initialises state (optimizer moments)
        name = getattr(self._fn, "__qualname__", repr(self._fn))
        if e.calls > replay.MAX_RECORDINGS + 1:
            e.refuse(name, "the step never recorded the same way twice")
            return self._plain(args, kwargs)
        out, plan, reason = replay.record(self._fn, args, kwargs, leaves)
        if plan is None:
            e.refuse(name, reason)
        else:
            e.add(plan)
        return out

    def _plain(self, args, kwargs):
        out = self._fn(*args, **kwargs)
        flush(capture.CAPTURE_FLUSH)
        return out


# -- torch.cuda / torch.backends: real modules (so `import torch.cuda.amp`, `torch.backends.cudnn` work) ----

from . import backends, cuda  # noqa: E402, F401  (re-exported as torch.cuda / torch.backends)


def _cuda_amp():
    return cuda.amp


class Storage:
    """Placeholder type for isinstance checks; torchlike tensors own no separate storage objects."""
