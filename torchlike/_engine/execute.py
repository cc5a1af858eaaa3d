"""Flush: turn the pending graph into one program, run it, materialise the live values."""

from __future__ import annotations

import os
import sys
import time
import warnings

import jax
import numpy as np

from .._context import state
from . import metrics as _metrics
from .cache import ProgramCache, programs
from .capture import CAPTURE_FLUSH as _CAPTURE_FLUSH
from .capture import DEFERRED as _DEFERRED
from .graph import donatable
from .trace import build_function

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

warnings.filterwarnings("ignore", message="Some donated buffers were not usable")

# XLA:CPU options for a program asked for by a call site whose programs keep running once each (a
# generation loop growing its context one token a step, a decoder unrolled over each new length):
# compiling such a program fast matters more than running it fast. XLA's older elemental emitters
# compile 25-30% faster and give the same bits in every case measured (the loop kernels run up to
# 1.5x slower: Adam's update). LLVM -O0 would compile 3x faster but drops fused multiply-adds:
# printed results then differed from PyTorch's in the last digit (4 tutorial scripts).
# A program keeps the options it was compiled with; see docs/design.md "Compile tiers".
QUICK_COMPILE = {"xla_cpu_use_fusion_emitters": False}
_QUICK_BACKEND = []


# (node signatures, input shapes and dtypes) -> whether that computation was compiled quickly:
# a program for the same computation with other buffers donated (a second model trained beside
# the first, a state loaded from a checkpoint) gets the same options, so the same bits
_TIERS: dict = {}


def _quick_backend() -> bool:
    """Whether programs run on XLA:CPU (the only backend the quick options are measured on)."""
    if not _QUICK_BACKEND:
        _QUICK_BACKEND.append(
            jax.default_backend() == "cpu" and not os.environ.get("TORCHLIKE_NO_QUICK_COMPILE")
        )
    return _QUICK_BACKEND[0]


def _compile_quickly(site: str, ops: tuple, computation: tuple, nodes: tuple) -> bool:
    """Whether to compile a new program with QUICK_COMPILE: as an earlier program of the same
    computation was, else when its call site churns. Programs with 8-bit floats compile
    optimised (the elemental emitters flush float8_e8m0fnu's 2**-127 to zero)."""
    quick = _TIERS.get(computation)
    if quick is None:
        quick = (
            _quick_backend()
            and _metrics.churning(site, ops)
            and not any(dt.itemsize == 1 and dt.kind == "V" for _, dt in computation[1])
            and not any("float8" in repr(n[1]) for n in nodes)
        )
        if len(_TIERS) >= 4096:
            _TIERS.clear()
        _TIERS[computation] = quick
    return quick


def _user_site() -> str:
    """``file:line`` of the innermost frame outside torchlike that called flush."""
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename.startswith(_PKG_DIR):
        f = f.f_back
    if f is None:
        return "<unknown>"
    return f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno}"


def flush(cause: str = "sync") -> None:
    """Compile (or fetch) and run the pending graph; every live pending value becomes concrete."""
    g = state.graph
    cap = state.capture
    if cap is not None:
        if cause in _DEFERRED:  # a recorded step runs as one program, flushed when it returns
            return
        if cause != _CAPTURE_FLUSH and g is not None and g.nodes:
            cap.broken = f"the step syncs inside ({cause})"
    if g is None or not g.nodes:
        return
    prof = state.profiler
    if prof is not None and not prof.flushing:  # torch.profiler is recording: a timed flush
        return prof.flush(flush, cause)
    state.graph = None
    outputs = []
    targets = []
    for node in g.nodes:
        for i, ref in enumerate(node.outs):
            p = ref()
            if p is not None and p.array is None:
                outputs.append((node.index, i))
                targets.append(p)
    if not targets:
        return
    outputs = tuple(outputs)
    pruned_key = (tuple(g.sig_ids), outputs)
    pruned = _PRUNED.get(pruned_key)
    if pruned is None:
        pruned = _prune(g, outputs)
        _PRUNED.put(pruned_key, pruned)
    program_nodes, sig_ids, outputs = pruned
    inputs = g.inputs
    donate = donatable(inputs, {(p.shape, p.dtype) for p in targets})
    key = (sig_ids, tuple(g.input_avals), len(g.scalars), outputs, donate)
    m = _metrics.metrics
    program = programs.get(key)
    with jax.enable_x64(True):
        scalars = _scalar_vector(g.scalars)
        if program is None:
            start = time.perf_counter()
            site = _user_site()
            ops = tuple(n[0].name for n in program_nodes)
            shapes = tuple(a[:2] for a in g.input_avals)
            quick = _compile_quickly(site, ops, (sig_ids, shapes), program_nodes)
            fn = build_function(program_nodes, outputs)
            program = jax.jit(
                fn, donate_argnums=donate, compiler_options=QUICK_COMPILE if quick else None
            )
            results = program(*inputs, scalars)
            programs.put(key, program)
            signature = (shapes, tuple(g.sigs))
            _metrics.note_compile(
                site, ops, signature, time.perf_counter() - start, quick, id(program)
            )
        else:
            m.cache_hits += 1
            results = program(*inputs, scalars)
    runs = m.program_runs
    runs[id(program)] = runs.get(id(program), 0) + 1
    m.executions += 1
    m.donated += len(donate)
    m.last_program = (program, g.input_avals, len(scalars))
    _metrics.note_sync(cause)
    for p, r in zip(targets, results):
        p.array = r
        p.node = None
    if cap is not None and cause == _CAPTURE_FLUSH:
        cap.flushed = (key, program, donate, inputs, g.scalars, targets)


_SCALAR_VECTORS: dict = {}  # the float64 bytes of a step's Python numbers -> that vector on the device
_SCALARS_SEEN: dict = {}  # the bytes of vectors passed once (host side only)


def _scalar_vector(values: list):
    """The program's vector of Python numbers. A training step passes the same numbers every time
    (its learning rate, its constants): from its second use such a vector is kept on the device,
    which saves a host transfer (~15 us) per call; numbers that change every step (a decaying
    learning rate) stay a NumPy input, holding no device buffer. Keyed by the bytes, so 0.0 and
    -0.0 (equal numbers) differ."""
    host = np.asarray(values, np.float64)
    key = host.tobytes()
    vec = _SCALAR_VECTORS.get(key)
    if vec is not None:
        return vec
    if key not in _SCALARS_SEEN:
        if len(_SCALARS_SEEN) >= 256:
            _SCALARS_SEEN.clear()
        _SCALARS_SEEN[key] = True
        return host
    if len(_SCALAR_VECTORS) >= 32:
        _SCALAR_VECTORS.clear()
    vec = _SCALAR_VECTORS[key] = jax.device_put(host)
    return vec


# (node signature ids, live outputs) -> what _prune keeps: equal signatures describe equal nodes,
# so a graph recorded again (the next training step) skips the walk
_PRUNED = ProgramCache()


def _producers(desc, out):
    kind = desc[0]
    if kind == "n":
        out.append(desc[1])
    elif kind == "l":
        for d in desc[1]:
            _producers(d, out)


def _remap(desc, new_index):
    kind = desc[0]
    if kind == "n":
        return ("n", new_index[desc[1]], desc[2])
    if kind == "l":
        return ("l", tuple(_remap(d, new_index) for d in desc[1]))
    return desc


def _prune(g, outputs):
    """Keep only the nodes the live outputs depend on (dead work, such as random initialisation
    that load_state_dict replaced, is neither traced nor compiled nor part of the key)."""
    nodes = g.nodes
    needed = bytearray(len(nodes))
    for n, _ in outputs:
        needed[n] = 1
    deps = []
    for i in range(len(nodes) - 1, -1, -1):
        if needed[i]:
            deps.clear()
            for d in nodes[i].ins:
                _producers(d, deps)
            for j in deps:
                needed[j] = 1
    if all(needed):
        return (
            tuple((n.op, n.attrs, n.ins, n.multi) for n in nodes),
            tuple(g.sig_ids),
            tuple(outputs),
        )
    from .graph import intern_sig

    new_index, program, sig_ids = {}, [], []
    for i, n in enumerate(nodes):
        if needed[i]:
            new_index[i] = len(program)
            ins = tuple(_remap(d, new_index) for d in n.ins)
            program.append((n.op, n.attrs, ins, n.multi))
            sig_ids.append(intern_sig((n.op.name, n.attrs, ins, n.multi)))
    return tuple(program), tuple(sig_ids), tuple((new_index[n], i) for n, i in outputs)


def sync() -> None:
    """Run everything pending now (``torchlike.sync()``); does not wait for the device."""
    flush("torchlike.sync()")
