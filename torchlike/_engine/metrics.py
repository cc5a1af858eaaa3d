"""Counters of the engine: compiles, cache hits, executions, syncs and their causes.

The counters only ever grow (until ``reset``); tests assert on them.
"""

from __future__ import annotations

import collections
import threading
import warnings

import jax


class _Metrics:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.compiles = 0  # programs built by the engine (structural-cache misses)
        self.cache_hits = 0
        self.executions = 0
        self.syncs = 0  # flushes that ran a program
        self.host_transfers = 0  # values copied to the host (.item(), .numpy(), print, ...)
        self.replays = 0  # torchlike.compile calls that ran a recorded step without its Python
        self.donated = 0  # input buffers handed to a program for reuse (replaced parameters/state)
        self.compile_seconds = 0.0
        self.quick_compiles = 0  # of those, compiled with execute.QUICK_COMPILE (run-once code)
        self.backend_compiles = 0  # XLA compiles seen by jax.monitoring (includes jax.jit misses)
        self.sync_causes = collections.Counter()
        self.recompile_causes = collections.Counter()
        self.not_replayed = {}  # compiled step -> why it runs its Python on every call
        self.last_program = None  # (jitted program, input avals, number of scalars) last run
        self._by_site = {}  # (call site, ops) -> input signature of its last compiled program
        self._site_programs = {}  # (call site, set of op names) -> ids of its last programs
        self.program_runs = {}  # id of a program the engine compiled -> how many times it ran
        self._warned_sites = set()


metrics = _Metrics()


def _on_jax_duration(event: str, duration: float, **_):
    if event == "/jax/core/compile/backend_compile_duration":
        metrics.backend_compiles += 1


jax.monitoring.register_event_duration_secs_listener(_on_jax_duration)


def counters() -> dict:
    """A snapshot of the engine counters (ints, monotonically increasing until ``reset``)."""
    m = metrics
    return {
        "compiles": m.compiles,
        "cache_hits": m.cache_hits,
        "executions": m.executions,
        "syncs": m.syncs,
        "host_transfers": m.host_transfers,
        "replays": m.replays,
        "donated_buffers": m.donated,
        "backend_compiles": m.backend_compiles,
        "compile_seconds": m.compile_seconds,
        "quick_compiles": m.quick_compiles,
    }


def reset() -> None:
    metrics.reset()


# a loop over a few configurations (a tutorial printing several models) recompiles a few times
# legitimately; a training loop whose shapes change recompiles every step
RECOMPILE_WARN_AFTER = 8


# A call site "churns" when the last CHURN_AFTER programs it compiled for the same kinds of ops
# (the same set of op names: a decoder unrolled over a new length, a generation step over a
# longer context) each ran at most FEW_RUNS times: its next new program is compiled quickly
# (execute.QUICK_COMPILE). A training loop's programs run many times, so a function that trains
# several models in turn never counts as churning.
CHURN_AFTER = 2
FEW_RUNS = 1


def churning(site: str, ops: tuple) -> bool:
    """Whether the next program of ``ops`` compiled at ``site`` should be compiled quickly."""
    recent = metrics._site_programs.get((site, frozenset(ops)))
    if recent is None or len(recent) < CHURN_AFTER:
        return False
    runs = metrics.program_runs
    return all(runs.get(p, 0) <= FEW_RUNS for p in recent)


def note_compile(
    site: str,
    ops: tuple,
    signature: tuple,
    seconds: float,
    quick: bool = False,
    program_id: int = 0,
) -> None:
    """Record a compile; warn once per call site that keeps compiling the same ops for changing
    inputs or attributes, naming what changed."""
    m = metrics
    m.compiles += 1
    m.compile_seconds += seconds
    m.quick_compiles += quick
    recent = m._site_programs.setdefault((site, frozenset(ops)), [])
    recent.append(program_id)
    del recent[:-CHURN_AFTER]
    key = (site, hash(ops))
    previous = m._by_site.get(key)
    m._by_site[key] = signature
    if previous is None:
        return
    cause = _describe_change(previous, signature)
    m.recompile_causes[f"{site}: {cause}"] += 1
    if (
        sum(n for k, n in m.recompile_causes.items() if k.startswith(site + ":"))
        >= RECOMPILE_WARN_AFTER
        and site not in m._warned_sites
    ):
        m._warned_sites.add(site)
        warnings.warn(
            f"torchlike: the code at {site} keeps compiling new programs ({cause}). "
            "Recompiles are slow; keep shapes and dtypes fixed between steps.",
            stacklevel=2,
        )


def _describe_change(old: tuple, new: tuple) -> str:
    old_in, old_ops = old
    new_in, new_ops = new
    if len(old_in) == len(new_in):
        for i, (a, b) in enumerate(zip(old_in, new_in)):
            if a != b:
                return f"input {i} changed from {_fmt_aval(a)} to {_fmt_aval(b)}"
    else:
        return f"number of inputs changed from {len(old_in)} to {len(new_in)}"
    if len(old_ops) != len(new_ops):
        return f"graph changed from {len(old_ops)} to {len(new_ops)} ops"
    for a, b in zip(old_ops, new_ops):
        if a != b:
            if a[0] != b[0]:
                return f"op changed from {a[0]} to {b[0]}"
            for (k, va), (_, vb) in zip(a[1], b[1]):
                if va != vb:
                    return f"attribute {k} of {a[0]} changed from {va!r} to {vb!r}"
            return f"inputs of {a[0]} changed"
    return "outputs changed"


def _fmt_aval(aval) -> str:
    shape, dtype = aval[0], aval[1]
    return f"{dtype}[{','.join(map(str, shape))}]"


def program_memory() -> dict | None:
    """XLA's memory figures for the program the engine ran last (a training loop's step), in
    bytes: arguments, outputs, aliased (donated inputs reused as outputs), temporaries, and
    ``peak`` = arguments + outputs - aliased + temporaries, the device memory the step needs.
    The program is compiled again for the analysis (not cached): call it outside timed code.
    None when nothing ran yet or the backend gives no analysis."""
    last = metrics.last_program
    if last is None:
        return None
    program, avals, n_scalars = last
    import numpy as np

    args = [jax.ShapeDtypeStruct(a[0], a[1]) for a in avals]
    with jax.enable_x64(True):
        args.append(jax.ShapeDtypeStruct((n_scalars,), np.float64))
        try:
            mem = program.lower(*args).compile().memory_analysis()
        except Exception:  # a backend without the analysis
            return None
    if mem is None:
        return None
    out = {
        "arguments": mem.argument_size_in_bytes,
        "outputs": mem.output_size_in_bytes,
        "aliased": mem.alias_size_in_bytes,
        "temporaries": mem.temp_size_in_bytes,
    }
    out["peak"] = out["arguments"] + out["outputs"] - out["aliased"] + out["temporaries"]
    return out


def note_sync(cause: str) -> None:
    metrics.syncs += 1
    metrics.sync_causes[cause] += 1


def report() -> str:
    """A human-readable report in the manner of PyTorch/XLA's metrics report."""
    m = metrics
    lines = [
        "Metric: CompileTime",
        f"  TotalSamples: {m.compiles}",
        f"  Accumulator: {m.compile_seconds:.3f}s",
        "Metric: ExecuteCount",
        f"  TotalSamples: {m.executions}",
        f"Counter: CacheHits\n  Value: {m.cache_hits}",
        f"Counter: QuickCompiles\n  Value: {m.quick_compiles}",
        f"Counter: BackendCompiles\n  Value: {m.backend_compiles}",
        f"Counter: Syncs\n  Value: {m.syncs}",
        f"Counter: HostTransfers\n  Value: {m.host_transfers}",
        f"Counter: CompiledStepReplays\n  Value: {m.replays}",
        f"Counter: DonatedBuffers\n  Value: {m.donated}",
    ]
    if m.sync_causes:
        lines.append("Sync causes:")
        lines += [f"  {cause}: {n}" for cause, n in m.sync_causes.most_common()]
    if m.not_replayed:
        lines.append("Compiled steps not replayed:")
        lines += [f"  {name}: {why}" for name, why in m.not_replayed.items()]
    if m.recompile_causes:
        lines.append("Recompile causes:")
        lines += [f"  {cause}: {n}" for cause, n in m.recompile_causes.most_common()]
    return "\n".join(lines)
