"""torch.autograd.profiler: ``profile`` (the older API), ``record_function``, ``emit_nvtx``/``emit_itt``.

What is measured: torchlike records ops into a lazy graph and runs them when a flush compiles and
executes that graph. An op's event (``aten::addmm``) therefore times its *recording* on the host,
and the computation shows up in ``torchlike::flush`` events (with a ``torchlike::compile`` child
when the flush built a new program). While a profile is recording, each flush waits for its
results, so a flush's time includes the device work. Events are nested by time as in PyTorch:
ops and flushes inside a ``record_function`` block count towards its total.

Differences from PyTorch: ops that torchlike implements inside another op's recording (the casts
of type promotion, the pieces of a composite op) count as the outer op's self time rather than as
child ``aten::`` events; in-place ops are named by their out-of-place op; creation functions that
torchlike computes on the host record no event; autograd's backward nodes, Python frames
(``with_stack`` fills ``.stack`` only), FLOPs and device kernels are not recorded. With
``profile_memory`` an op's ``CPU Mem`` is the size of the outputs it records (what an eager
library allocates for them); frees are not tracked.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
import warnings

from .._context import state
from .profiler_util import EventList, FunctionEvent

__all__ = ["profile", "record_function", "emit_nvtx", "emit_itt", "EventList", "FunctionEvent"]

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# torchlike's internal op names whose torch name differs (the rest are torch's names already)
_RENAMED = {
    "to_dtype": "to", "to_device": "to", "getitem": "index", "select_dyn": "select", "slice_dyn": "slice",
    "split_piece": "split", "unbind_piece": "unbind", "max_all": "max", "max_dim": "max", "min_all": "min",
    "min_dim": "min", "median_all": "median", "median_dim": "median", "masked_fill_where": "masked_fill",
    "norm_p": "norm", "one_hot_kernel": "one_hot", "cross_entropy": "cross_entropy_loss",
    "cross_entropy_probs": "cross_entropy_loss", "_int_div": "div", "_upsample": "upsample",
}
_NAMES: dict = {}  # op name -> event name (a cache of a pure function)


def _event_name(op_name: str) -> str:
    name = _NAMES.get(op_name)
    if name is None:
        base = _RENAMED.get(op_name, op_name)
        if base.endswith("_k"):  # kernels named apart from their frontends (arange_k, topk_k, ...)
            base = base[:-2]
        name = _NAMES[op_name] = "aten::" + base
    return name


def _shape_of(a):
    shape = getattr(a, "shape", None)
    if shape is not None and hasattr(a, "_data"):
        return list(shape)
    if type(a) in (list, tuple) and any(hasattr(x, "_data") for x in a):
        return [list(x.shape) if hasattr(x, "_data") else [] for x in a]
    return []


def _nbytes(out) -> int:
    outs = out if type(out) is tuple else (out,)
    return sum(t.numel() * t.element_size() for t in outs if hasattr(t, "_data"))


def _user_stack() -> list:
    """The caller's Python frames outside torchlike, innermost first, as ``path(line): function``."""
    out = []
    f = sys._getframe(2)
    while f is not None:
        path = f.f_code.co_filename
        if not path.startswith(_PKG_DIR):
            out.append(f"{path}({f.f_lineno}): {f.f_code.co_name}")
        f = f.f_back
    return out


class _Recorder:
    """What ``state.profiler`` holds while a profile records: the open ranges and the finished events.

    ``state.profile_ops`` (the one check in ``dispatch``) is this recorder, or None while an op's own
    recording runs, so the op is timed once as a whole."""

    def __init__(self, record_shapes: bool, profile_memory: bool, with_stack: bool, use_device):
        self.record_shapes = record_shapes
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.use_device = use_device
        self.events: list[FunctionEvent] = []
        self.open: list[FunctionEvent] = []
        self.thread = threading.get_ident()
        self.flushing = False
        self.t0 = time.perf_counter_ns()
        self.wall_us = time.time_ns() / 1000  # the Chrome trace's time base

    def now(self) -> float:
        return (time.perf_counter_ns() - self.t0) / 1000

    def begin(self, name: str, **kwargs) -> FunctionEvent:
        t = self.now()
        ev = FunctionEvent(len(self.events), name, self.thread, t, t, use_device=self.use_device,
                           stack=_user_stack() if self.with_stack else None, **kwargs)
        if self.open:
            parent = self.open[-1]
            ev.set_cpu_parent(parent)
            parent.append_cpu_child(ev)
        self.open.append(ev)
        self.events.append(ev)
        return ev

    def end(self, ev: FunctionEvent) -> None:
        ev.time_range.end = self.now()
        if self.open and self.open[-1] is ev:
            self.open.pop()
        elif ev in self.open:  # ranges closed out of order
            self.open.remove(ev)

    def dispatch(self, op, args: list, attrs: tuple):
        ev = self.begin(_event_name(op.name), input_shapes=[_shape_of(a) for a in args] if self.record_shapes else None)
        st = state
        st.profile_ops = None
        try:
            out = _dispatch.dispatch(op, args, attrs)
        finally:
            if st.profiler is self:
                st.profile_ops = self
            self.end(ev)
        if self.profile_memory:
            ev.self_cpu_memory_usage = _nbytes(out)
        return out

    def flush(self, run, cause: str) -> None:
        """One flush as a ``torchlike::flush`` event that waits for the program's results."""
        import jax

        from .._engine import metrics

        g = state.graph
        pending = [p for n in g.nodes for ref in n.outs if (p := ref()) is not None and p.array is None]
        m = metrics.metrics
        compiles, seconds = m.compiles, m.compile_seconds
        ev = self.begin("torchlike::flush", category="torchlike", args={"cause": cause, "ops": len(g.nodes)})
        self.flushing = True
        try:
            run(cause)
            jax.block_until_ready([p.array for p in pending if p.array is not None])
        finally:
            self.flushing = False
            self.end(ev)
        if m.compiles != compiles:
            start = ev.time_range.start
            child = FunctionEvent(len(self.events), "torchlike::compile", self.thread, start,
                                  min(ev.time_range.end, start + (m.compile_seconds - seconds) * 1e6),
                                  use_device=self.use_device, category="torchlike")
            child.set_cpu_parent(ev)
            ev.append_cpu_child(child)
            self.events.append(child)

    def result(self, with_flops: bool) -> EventList:
        unfinished = set(map(id, self.open))
        events = [e for e in self.events if id(e) not in unfinished]
        for e in events:
            e.cpu_children = [c for c in e.cpu_children if id(c) not in unfinished]
        events.sort(key=lambda e: (e.time_range.start, -e.time_range.end))
        return EventList(events, use_device=self.use_device, profile_memory=self.profile_memory,
                         with_flops=with_flops)


def _start(recorder: _Recorder) -> None:
    st = state
    st.profiler = st.profile_ops = recorder


def _stop(recorder: _Recorder) -> None:
    st = state
    if st.profiler is recorder:
        st.profiler = st.profile_ops = None


class profile:  # noqa: N801 (torch's name)
    """Records the ops run inside ``with profile() as prof:``; ``prof.key_averages().table()`` sums them."""

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False, with_flops=False,
                 profile_memory=False, with_stack=False, with_modules=False, use_kineto=False, use_cpu=True,
                 experimental_config=None, acc_events=False, custom_trace_id_callback=None):
        self.enabled = enabled
        if not enabled:
            return
        self.use_cuda = use_cuda
        if use_cuda:
            warnings.warn("The attribute `use_cuda` will be deprecated soon, please use ``use_device = 'cuda'`` instead.",
                          FutureWarning, stacklevel=2)
            use_device = "cuda"
        if use_device == "cuda":
            from .. import cuda

            if not cuda.is_available():
                warnings.warn("CUDA is not available, disabling CUDA profiling", stacklevel=2)
                use_device = None
        self.use_device = use_device
        self.record_shapes = record_shapes
        self.with_flops = with_flops
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_modules = with_modules
        self.use_cpu = use_cpu
        self.acc_events = acc_events
        self.entered = False
        self._recorder: _Recorder | None = None
        self._function_events: EventList | None = None
        self._old_function_events: EventList | None = None

    def __enter__(self):
        if not self.enabled:
            return None
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self._prepare_trace()
        self._start_trace()
        return self

    def _prepare_trace(self):
        self.entered = True

    def _start_trace(self):
        self.entered = True
        self._recorder = _Recorder(self.record_shapes, self.profile_memory, self.with_stack, self.use_device)
        _start(self._recorder)

    def __exit__(self, exc_type, exc_val, exc_tb):
        if not self.enabled or self._recorder is None:
            return
        _stop(self._recorder)
        events = self._recorder.result(self.with_flops)
        if self.acc_events and self._function_events:
            events = EventList(list(self._function_events) + list(events), use_device=self.use_device,
                               profile_memory=self.profile_memory, with_flops=self.with_flops)
        self._function_events = events

    @property
    def function_events(self) -> EventList:
        return self._events()

    def _events(self) -> EventList:
        if self._function_events is None:
            return EventList(use_device=getattr(self, "use_device", None),
                             profile_memory=getattr(self, "profile_memory", False))
        return self._function_events

    def __repr__(self):
        return repr(self._function_events) if self._function_events is not None else "<unfinished torch.autograd.profile>"

    def __str__(self):
        return str(self._function_events) if self._function_events is not None else "<unfinished torch.autograd.profile>"

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75, max_name_column_width=55,
              max_shapes_column_width=80, header=None, top_level_events_only=False, time_unit=None) -> str:
        return self._events().table(sort_by=sort_by, row_limit=row_limit, max_src_column_width=max_src_column_width,
                                    max_name_column_width=max_name_column_width,
                                    max_shapes_column_width=max_shapes_column_width, header=header,
                                    top_level_events_only=top_level_events_only, time_unit=time_unit)

    def export_chrome_trace(self, path: str) -> None:
        base = self._recorder.wall_us if self._recorder is not None else 0.0
        self._events().export_chrome_trace(path, base_us=base)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        if not self.with_stack:
            raise AssertionError("export_stacks() requires with_stack=True")
        with open(path, "w") as f:
            for e in self._events():
                if e.stack:
                    f.write(";".join(reversed(e.stack)) + f";{e.name} {int(getattr(e, metric))}\n")

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False) -> EventList:
        return self._events().key_averages(group_by_input_shape, group_by_stack_n, group_by_overload_name)

    def total_average(self):
        return self._events().total_average()

    @property
    def self_cpu_time_total(self) -> float:
        return self._events().self_cpu_time_total


class record_function:  # noqa: N801 (torch's name)
    """A labelled range in the profile (``with record_function("LINEAR PASS"):``), or a decorator."""

    def __init__(self, name: str, args: str | None = None):
        self.name = name
        self.args = args
        self._recorder = None
        self._event = None

    def __enter__(self):
        rec = state.profiler
        if rec is not None:
            self._recorder = rec
            self._event = rec.begin(self.name, is_user_annotation=True, category="user_annotation")
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._event is not None:
            self._recorder.end(self._event)
            self._recorder = self._event = None
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)

        return wrapper


class emit_nvtx:  # noqa: N801 (torch's name)
    """NVTX ranges for nvprof/Nsight: needs CUDA, as in PyTorch; the ranges themselves are not emitted
    (XLA's own annotations are what Nsight shows for torchlike's programs)."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled = enabled
        self.record_shapes = record_shapes

    def __enter__(self):
        if self.enabled:
            from .. import cuda

            if not cuda.is_available():
                raise AssertionError("Torch not compiled with CUDA enabled")
        return self

    def __exit__(self, *exc):
        return False


class emit_itt:  # noqa: N801 (torch's name)
    """Intel ITT ranges for VTune: accepted; nothing is emitted."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled = enabled
        self.record_shapes = record_shapes

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def kineto_available() -> bool:
    return True


from .. import _dispatch  # noqa: E402  (dispatch imports autograd's graph, which imports this package)
