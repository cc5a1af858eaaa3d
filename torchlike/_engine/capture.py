"""What the engine watches while torchlike.compile records a call (_engine/replay.py for steps,
_engine/segment.py for module forwards): where Python numbers come from, which modules ran,
whether the call synced or printed, and the Python state a replay must find unchanged.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import sys
import weakref

import numpy as np

from .._context import state
from .graph import Pending

CAPTURE_FLUSH = "torchlike.compile step"
DEFERRED = frozenset(
    {"optimizer.step()", "parameter update under no_grad"}
)  # ends of a step, not syncs


class SourcedInt(int):
    """A random generator's counter drawn while a step is recorded; ``source`` = (generator, offset)."""


class SourcedFloat(float):
    """An optimizer hyper-parameter read while a step is recorded; ``source`` = (group, key, index)."""


class Capture:
    """What the engine notes while one call is recorded."""

    def __init__(self):
        self.flushed = (
            None  # (key, program, donate, inputs, scalars, targets) of the step's program
        )
        self.broken = None  # why the step cannot be replayed
        self.modules = {}  # id -> module called (training flags are guarded)
        self.rng = {}  # generator -> its counter at the step's first draw
        self.draws = {}  # generator -> how many counters the step drew

    def counter(self, generator, value: int) -> int:
        start = self.rng.setdefault(generator, value)
        self.draws[generator] = self.draws.get(generator, 0) + 1
        v = SourcedInt(value)
        v.source = (generator, value - start)
        return v

    def hyper(self, value: float, group: dict, key: str, index) -> float:
        v = SourcedFloat(value)
        v.source = (group, key, index)
        return v


_TENSOR = []


def _tensor_type():
    if not _TENSOR:  # (imported late: the engine is imported by _tensor)
        from .._tensor import Tensor

        _TENSOR.append(Tensor)
    return _TENSOR[0]


def _array_of(t):
    d = t._data
    if type(d) is Pending:
        d = d.array
    return d


def objects_of_kinds(*kinds) -> list:
    """The objects the garbage collector tracks (the young generations only while ``gc.freeze()``
    holds the rest) whose type subclasses one of ``kinds``. Filtered at C speed: a test process or
    a notebook holds millions of objects. (By type, not isinstance: some objects answer
    ``__class__`` lookups with warnings.)"""
    objs = gc.get_objects()
    wanted = {t for t in set(map(type, objs)) if issubclass(t, kinds)}
    return list(itertools.compress(objs, map(wanted.__contains__, map(type, objs))))


class _Snapshot:
    """The live tensors (and optimizers, schedulers) before a recorded call."""

    def __init__(self):
        Tensor = _tensor_type()
        from ..nn.modules.module import Module
        from ..optim.lr_scheduler import LRScheduler
        from ..optim.optimizer import Optimizer

        self.tensors = {}  # id -> (tensor, version, grad)
        self.arrays = {}  # id(array) -> (weakref to array, holding tensor)
        self.python = []  # (module/optimizer/scheduler, its numeric Python state)
        from ..random import Generator, default_generator

        self.generators = {
            id(default_generator): (
                default_generator,
                default_generator._seed,
                default_generator._counter,
            )
        }
        for o in objects_of_kinds(Tensor, Module, Optimizer, LRScheduler, Generator):
            t = type(o)
            if issubclass(t, Tensor):
                self.tensors[id(o)] = (o, o._vbox[0], o._grad)
                d = _array_of(o)
                if type(d) is np.ndarray and o._base is None and not o.__dict__.get("_hostref"):
                    from .._tensor import _place  # a small host array (kept on the host outside
                    o._data = d = _place(d, o._device)  # recordings): a source with an identity
                if d is None or type(d) is np.ndarray:
                    continue
                prev = self.arrays.get(id(d))
                if prev is None or (prev[1]._base is not None and o._base is None):
                    self.arrays[id(d)] = (weakref.ref(d), o)
            elif issubclass(t, (Module, Optimizer, LRScheduler)):
                self.python.append((o, _python_state(o)))
            elif issubclass(t, Generator) and id(o) not in self.generators:
                self.generators[id(o)] = (o, o._seed, o._counter)
        self.grad_owner = {id(g): t for t, _, g in self.tensors.values() if g is not None}


_PLAIN = (bool, int, float, str, type(None))


def _python_state(o):
    """The plain Python values of a module, optimizer or scheduler (a replay cannot change them)."""
    values = [(k, v) for k, v in o.__dict__.items() if type(v) in _PLAIN]
    groups = getattr(o, "param_groups", None)
    if type(groups) is list:
        values.append([[(k, v) for k, v in g.items() if type(v) in _PLAIN] for g in groups])
    return values


def _function_state(fn):
    """What a step function reads by name: its globals and closure cells (plain values by value,
    objects by identity: a replay is only valid while ``model`` and ``optimizer`` are the same)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    g = getattr(fn, "__globals__", {})
    values = []
    for n in code.co_names:
        if n in g:
            v = g[n]
            values.append((n, v if type(v) in _PLAIN else id(v)))
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            v = cell.cell_contents
        except ValueError:
            continue
        values.append(v if type(v) in _PLAIN else id(v))
    return values


@contextlib.contextmanager
def capturing():
    """Record under a Capture: the engine notes sources and syncs, stdout/stderr note writes."""
    cap = Capture()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Watched(sys.stdout, cap), _Watched(sys.stderr, cap)
    state.capture = cap
    try:
        yield cap
    finally:
        state.capture = None
        sys.stdout, sys.stderr = streams


class _Watched:
    """A stream that notes writes: a step that prints must print on every call, so it runs plainly."""

    def __init__(self, stream, cap: Capture):
        self._stream, self._cap = stream, cap

    def write(self, text):
        if text and self._cap.broken is None:
            self._cap.broken = "the step writes to stdout/stderr (print, logging, progress bars)"
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _plain_attrs(m) -> tuple:
    d = m.__dict__
    return tuple([(k, v) for k, v in d.items() if type(v) in _PLAIN])


def _module_key(m):
    """What a replay assumes of a module it called: its plain Python attributes (``training``,
    a temperature, ...), how many attributes it has (a new one changes the count), and which
    parameters/buffers/children it has."""
    return (
        _plain_attrs(m),
        len(m.__dict__),
        tuple((d, tuple(map(id, d.values()))) for d in (m._parameters, m._buffers, m._modules)),
    )


def _same_module(m, key) -> bool:
    plain, n, dicts = key
    d = m.__dict__
    if len(d) != n:
        return False
    for k, v in plain:  # (the hot path of a replay: no tuple building)
        if d.get(k, d) != v:
            return False
    for d, ids in dicts:
        if len(d) != len(ids) or ids and tuple(map(id, d.values())) != ids:
            return False
    return True


def call_key(args: tuple, kwargs: dict):
    """(leaves, key) of a call to a compiled function or module: the argument tree, tensor
    shapes/dtypes/devices/requires_grad, other arguments by value, and the modes that change the
    recorded program; None when it cannot be recorded (eager or direct mode, inside a recording,
    an unhashable argument)."""
    if state.eager or state.direct or state.capture is not None:
        return None
    Tensor = _tensor_type()
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
    sig += (state.grad_enabled, state.autocast, state.default_dtype, state.matmul_precision)
    key = tuple(sig)
    try:
        hash(key)
    except TypeError:
        return None
    return leaves, key


class Entry:
    """One call signature of a compiled function or module: its plans and recordings."""

    __slots__ = ("calls", "plans", "pending", "reason")
    MAX_PLANS = 4  # e.g. one for train mode, one for eval mode

    def __init__(self):
        self.calls = 0
        self.plans = []
        self.pending = []  # recent recordings, each waiting for a later one that agrees with it
        self.reason = None  # why this signature runs plainly

    def refuse(self, name: str, reason: str) -> None:
        from .metrics import metrics

        self.reason = reason
        metrics.not_replayed[name] = reason

    def add(self, plan) -> None:
        """A new recording: a plan once an earlier recording agrees with it."""
        if any(plan.same_as(p) for p in self.pending):
            self.plans = (self.plans + [plan])[-self.MAX_PLANS :]
            self.pending = [p for p in self.pending if not plan.same_as(p)]
        else:
            self.pending = (self.pending + [plan])[-self.MAX_PLANS :]
