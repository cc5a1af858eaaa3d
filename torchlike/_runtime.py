"""Engine switches (eager mode, compile), and the torch.cuda / torch.backends namespaces."""

from __future__ import annotations

import functools
import types
import weakref

from ._context import state
from ._engine import replay
from ._engine.execute import flush
from ._tensor import Tensor


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


class _Entry:
    __slots__ = ("calls", "recordings", "plans", "pending", "reason")

    def __init__(self):
        self.calls = 0
        self.recordings = 0
        self.plans = []
        self.pending = []  # recent recordings, each waiting for a later one that agrees with it
        self.reason = None  # why this signature runs plainly


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
        flush(replay.CAPTURE_FLUSH)
        if not kwargs and all(type(a) is Tensor for a in args):  # the common case, without pytrees
            leaves = args
            sig = [len(args)]
            for x in args:
                sig.append((x._data.shape, x._dtype, x._device, x._requires_grad))
        else:
            import jax

            leaves, treedef = jax.tree_util.tree_flatten(
                (args, kwargs), is_leaf=lambda x: isinstance(x, Tensor)
            )
            sig = [treedef]
            for x in leaves:
                if isinstance(x, Tensor):
                    sig.append((type(x), x._data.shape, x._dtype, x._device, x._requires_grad))
                else:
                    sig.append((type(x), x))
        if state.eager or state.direct or state.capture is not None:
            return self._plain(args, kwargs)
        sig += (state.grad_enabled, state.autocast, state.default_dtype, state.matmul_precision)
        key = tuple(sig)
        try:
            e = self._entries.get(key)
        except TypeError:  # an unhashable argument: no recording
            return self._plain(args, kwargs)
        if e is None:
            e = self._entries[key] = _Entry()
        for plan in e.plans:
            out = plan.replay(leaves)
            if out is not replay.MISS:
                return out
        e.calls += 1
        if e.calls == 1 or e.reason is not None:
            return self._plain(args, kwargs)  # the first call initialises state (optimizer moments)
        if e.recordings >= replay.MAX_RECORDINGS:
            e.reason = "the step never recorded the same way twice"
            from ._engine.metrics import metrics

            metrics.not_replayed[getattr(self._fn, "__qualname__", repr(self._fn))] = e.reason
            return self._plain(args, kwargs)
        e.recordings += 1
        out, plan, reason = replay.record(self._fn, args, kwargs, leaves)
        if plan is None:
            e.reason = reason
            from ._engine.metrics import metrics

            metrics.not_replayed[getattr(self._fn, "__qualname__", repr(self._fn))] = reason
        elif any(plan.same_as(p) for p in e.pending):
            e.plans = (e.plans + [plan])[-replay.MAX_PLANS :]
            e.pending = [p for p in e.pending if not plan.same_as(p)]
        else:
            e.pending = (e.pending + [plan])[-replay.MAX_PLANS :]
        return out

    def _plain(self, args, kwargs):
        out = self._fn(*args, **kwargs)
        flush(replay.CAPTURE_FLUSH)
        return out


# -- torch.cuda / torch.backends: real modules (so `import torch.cuda.amp`, `torch.backends.cudnn` work) ----

from . import backends, cuda  # noqa: E402, F401  (re-exported as torch.cuda / torch.backends)


def _cuda_amp():
    return cuda.amp


# -- torch.jit: accepted as pass-through where harmless -------------------------------------------------


def _jit_script(obj=None, *args, **kwargs):
    return obj


jit = types.SimpleNamespace(
    script=_jit_script,
    trace=lambda fn, *a, **k: fn,
    ignore=lambda fn=None, **k: fn,
    unused=lambda fn: fn,
    export=lambda fn: fn,
    is_scripting=lambda: False,
    is_tracing=lambda: False,
)


class Storage:
    """Placeholder type for isinstance checks; torchlike tensors own no separate storage objects."""
