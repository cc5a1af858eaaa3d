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
from .cache import programs
from .trace import build_function

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

warnings.filterwarnings("ignore", message="Some donated buffers were not usable")


def _user_site() -> str:
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename.startswith(_PKG_DIR):
        f = f.f_back
    if f is None:
        return "<unknown>"
    return f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno}"


def flush(cause: str = "sync") -> None:
    """Compile (or fetch) and run the pending graph; every live pending value becomes concrete."""
    g = state.graph
    if g is None or not g.nodes:
        return
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
    inputs = g.inputs
    # Donate an input nobody else references (a parameter or state buffer this graph replaces):
    # the list holds one reference, the loop variable one, getrefcount's argument one.
    donate = tuple(
        i for i, a in enumerate(inputs) if type(a) is not np.ndarray and sys.getrefcount(a) <= 3
    )
    outputs = tuple(outputs)
    key = (tuple(g.sig_ids), tuple(g.input_avals), len(g.scalars), outputs, donate)
    m = _metrics.metrics
    program = programs.get(key)
    scalars = np.asarray(g.scalars, np.float64)
    with jax.enable_x64(True):
        if program is None:
            start = time.perf_counter()
            fn = build_function(tuple((n.op, n.attrs, n.ins, n.multi) for n in g.nodes), outputs)
            program = jax.jit(fn, donate_argnums=donate)
            results = program(*inputs, scalars)
            programs.put(key, program)
            ops = tuple(sig[0] for sig in g.sigs)
            _metrics.note_compile(
                _user_site(), ops, (tuple(a[:2] for a in g.input_avals), tuple(g.sigs)), time.perf_counter() - start
            )
        else:
            m.cache_hits += 1
            results = program(*inputs, scalars)
    m.executions += 1
    _metrics.note_sync(cause)
    for p, r in zip(targets, results):
        p.array = r
        p.node = None


def sync() -> None:
    """Run everything pending now (``torchlike.sync()``); does not wait for the device."""
    flush("torchlike.sync()")
