"""``python -m torchlike.bench``: the tutorial training loop, timed side by side.

Implementations in one process: torchlike, PyTorch eager, torch.compile, hand-written JAX.
Prints a markdown table (ratios torchlike / each other) and writes JSON lines and a bar chart.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from .cases import CASES


class Runner:
    """One implementation of one case, built and run once: ``window(steps)`` times ``steps``
    steps (ms/step); ``result()`` gives the row. ``context`` wraps every call (a global mode)."""

    def __init__(self, step, first_step_s, context=None, recompiles=None, memory=None):
        self.step, self.first_step_s = step, first_step_s
        self.context = context or contextlib.nullcontext
        self.recompiles = recompiles  # () -> compile counter (torchlike)
        self.memory = memory  # () -> {"peak_mem_mb": ..., "program_mem_mb": ...}
        self.windows, self.compiled_after_warmup = [], 0

    def warm(self, steps):
        with self.context():
            for _ in range(steps):
                self.step()

    def window(self, steps):
        with self.context():
            c0 = self.recompiles() if self.recompiles else 0
            t = time.perf_counter()
            for _ in range(steps):
                self.step()
            self.windows.append((time.perf_counter() - t) / steps * 1e3)
            if self.recompiles:
                self.compiled_after_warmup += self.recompiles() - c0

    def result(self) -> dict:
        r = {"ms_per_step": statistics.median(self.windows), "first_step_s": self.first_step_s}
        if self.recompiles:
            r["recompiles_after_warmup"] = self.compiled_after_warmup
        with self.context():
            r.update(self.memory() if self.memory else {})
        return r


def _mb(n):
    return None if n is None else round(n / 2**20, 1)


def _build(torch, case, device):
    """The case's model, optimizer, batch and loss for ``torch`` (torchlike or PyTorch), seeded."""
    torch.manual_seed(0)
    model, make_opt, (x, y), crit = case.build(torch)
    model = model.to(device)
    return model, make_opt(model.parameters()), x.to(device), y.to(device), crit


def prepare_torchlike(case, device, compiled=False, auto=False):
    """The seeds' loop; ``compiled``: its step (without the ``.item()``) under torchlike.compile;
    ``auto``: the unchanged loop with TORCHLIKE_AUTO_COMPILE (module calls replayed as one op)."""
    import torchlike as tl

    @contextlib.contextmanager
    def mode():
        tl.set_auto_compile(auto)
        try:
            yield
        finally:
            tl.set_auto_compile(False)

    with mode():
        t_build = time.perf_counter()
        model, opt, x, y, crit = _build(tl, case, device)

        def train_step(x, y):
            opt.zero_grad()
            loss = crit(model(x), y)
            loss.backward()
            opt.step()
            return loss

        if compiled:
            train_step = tl.compile(train_step)

        def step():
            return train_step(x, y).item()

        step()
        first = time.perf_counter() - t_build

    def memory():
        est = tl.metrics.program_memory() or {}
        return {"peak_mem_mb": _jax_peak_mb(), "program_mem_mb": _mb(est.get("peak"))}

    return Runner(step, first, mode, lambda: tl.metrics.counters()["compiles"], memory)


def _jax_peak_mb():
    import jax

    try:
        stats = jax.devices()[0].memory_stats() or {}
    except Exception:
        return None
    return _mb(stats.get("peak_bytes_in_use"))


def prepare_torch(case, device, compiled=False):
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    t_build = time.perf_counter()
    model, opt, x, y, crit = _build(torch, case, device)
    fwd = torch.compile(model) if compiled else model
    if device != "cpu":
        torch.cuda.reset_peak_memory_stats()

    def step():
        opt.zero_grad()
        loss = crit(fwd(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    step()
    first = time.perf_counter() - t_build

    def memory():
        if device == "cpu":
            return {"peak_mem_mb": None}
        return {"peak_mem_mb": _mb(torch.cuda.max_memory_allocated())}

    return Runner(step, first, memory=memory)


def prepare_jax(case, device):
    import jax

    from . import jax_ref

    t_build = time.perf_counter()
    built = jax_ref.build(case.name)
    if built is None:
        return None
    params, apply, loss_fn, opt, x, y = built
    x, y = jax.device_put(x), jax.device_put(y)
    state = opt.init(params)
    step_fn = jax_ref.make_step(params, apply, loss_fn, opt)
    holder = {"p": params, "s": state}

    def step():
        holder["p"], holder["s"], loss = step_fn(holder["p"], holder["s"], x, y)
        return float(loss)

    step()
    first = time.perf_counter() - t_build

    def memory():
        mem = step_fn.lower(holder["p"], holder["s"], x, y).compile().memory_analysis()
        est = None
        if mem is not None:
            est = (
                mem.argument_size_in_bytes
                + mem.output_size_in_bytes
                - mem.alias_size_in_bytes
                + mem.temp_size_in_bytes
            )
        return {"peak_mem_mb": _jax_peak_mb(), "program_mem_mb": _mb(est)}

    return Runner(step, first, memory=memory)


IMPLS = {
    "torchlike": prepare_torchlike,
    "torchlike_compile": lambda *a: prepare_torchlike(*a, compiled=True),
    "torchlike_auto": lambda *a: prepare_torchlike(*a, auto=True),
    "torch_eager": lambda *a: prepare_torch(*a, compiled=False),
    "torch_compile": lambda *a: prepare_torch(*a, compiled=True),
    "jax": prepare_jax,
}


def _prepare(impl, case, device):
    """(Runner or None, the row's reason for skipping)."""
    try:
        r = IMPLS[impl](case, device)
    except ImportError as e:
        return None, f"not installed: {e.name}"
    except Exception as e:  # a case the implementation cannot run yet
        return None, f"{type(e).__name__}: {e}"[:200]
    if r is None:
        return None, "no reference implementation"
    return r, None


def run_case(case, impls, device, warmup, windows, steps, interleave):
    """One row per implementation. Interleaved: every implementation is built and warmed up,
    then their windows alternate (machine noise hits all alike; the steadier ratios). Otherwise
    each implementation is built, timed and dropped in turn (less memory held at once)."""
    rows = {}
    if interleave:
        runners = {}
        for impl in impls:
            runners[impl], rows[impl] = _prepare(impl, case, device)
        live = {i: r for i, r in runners.items() if r is not None}
        for r in live.values():
            r.warm(warmup)
        for _ in range(windows):
            for r in live.values():
                r.window(steps)
        for impl, r in live.items():
            rows[impl] = r.result()
    else:
        for impl in impls:
            r, rows[impl] = _prepare(impl, case, device)
            if r is not None:
                r.warm(warmup)
                for _ in range(windows):
                    r.window(steps)
                rows[impl] = r.result()
            del r
    out = []
    for impl in impls:
        row = rows[impl] if isinstance(rows[impl], dict) else {"skipped": rows[impl]}
        row.update(case=case.name, impl=impl, device=device, interleaved=interleave)
        out.append(row)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m torchlike.bench")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda", "tpu"])
    p.add_argument("--cases", default="small", help="comma list of case names, 'small' or 'all'")
    p.add_argument(
        "--impls",
        default="torchlike,torchlike_auto,torchlike_compile,torch_eager,torch_compile,jax",
    )
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument(
        "--out",
        default="benchmarks/results",
        help="folder for results.jsonl, results.md, results.png",
    )
    p.add_argument(
        "--interleave",
        action="store_true",
        help="build every implementation of a case first, then alternate their timing windows",
    )
    p.add_argument(
        "--first-step",
        action="store_true",
        help="time to first step from a fresh process, with an empty and with a warm compilation "
        "cache, instead of ms/step",
    )
    p.add_argument(
        "--smoke", action="store_true", help="tiny run, exit non-zero if torchlike recompiles"
    )
    p.add_argument("--child-first-step", nargs=3, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_first_step:
        return _child_first_step(*args.child_first_step)
    if args.smoke:
        args.warmup, args.windows, args.steps = 3, 1, 2
    if args.cases == "small":
        cases = [c for c in CASES if c.small]
    elif args.cases == "all":
        cases = list(CASES)
    else:
        names = args.cases.split(",")
        cases = [c for c in CASES if c.name in names]
    device = "cuda" if args.device in ("cuda", "tpu") else "cpu"
    rows, failed = [], False
    os.makedirs(args.out, exist_ok=True)
    impls = args.impls.split(",")
    unknown = [i for i in impls if i not in IMPLS]
    if unknown:
        p.error(f"unknown implementation(s) {', '.join(unknown)}; choose from {', '.join(IMPLS)}")
    print(machine(), flush=True)
    if args.first_step:
        rows = [first_step(case, impl, device) for case in cases for impl in impls]
        with open(os.path.join(args.out, "first_step.jsonl"), "a") as f:
            for r in rows:
                print(json.dumps(r), flush=True)
                f.write(json.dumps(r) + "\n")
        table = machine() + "\n\n" + first_step_table(rows)
        print(table)
        with open(os.path.join(args.out, "first_step.md"), "w") as f:
            f.write(table + "\n")
        return 0
    with open(os.path.join(args.out, "results.jsonl"), "a") as f:
        for case in cases:
            for r in run_case(
                case, impls, device, args.warmup, args.windows, args.steps, args.interleave
            ):
                r["device"] = args.device
                rows.append(r)
                print(json.dumps(r), flush=True)
                f.write(json.dumps(r) + "\n")
                if r["impl"].startswith("torchlike") and r.get("recompiles_after_warmup"):
                    failed = True
    table = machine() + "\n\n" + markdown(rows) + "\n\n" + extras(rows)
    print(table)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(table + "\n")
    try:
        chart(rows, os.path.join(args.out, "results.png"))
    except Exception as e:  # the chart is a convenience
        print(f"(no chart: {e})", file=sys.stderr)
    return 1 if failed else 0


def first_step(case, impl, device) -> dict:
    """Seconds from starting a fresh ``python`` to the end of the first training step (imports,
    building, compiling, one step), once with an empty compilation cache and once more with the
    cache the first run left (a second run of the same script)."""
    row = {"case": case.name, "impl": impl, "device": device}
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, TORCHLIKE_CACHE_DIR=cache)
        for run in ("cold", "warm"):
            t0 = time.time()
            p = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "torchlike.bench",
                    "--child-first-step",
                    case.name,
                    impl,
                    device,
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            lines = p.stdout.split()
            if p.returncode != 0 or not lines:
                row["skipped"] = (p.stderr.strip().splitlines() or ["failed"])[-1][:200]
                return row
            row[f"first_step_{run}_s"] = round(float(lines[-1]) - t0, 2)
    return row


def _child_first_step(name, impl, device):
    case = next(c for c in CASES if c.name == name)
    r, why = _prepare(impl, case, device)  # builds and runs the first step
    if r is None:
        raise SystemExit(why)
    print(time.time())


def first_step_table(rows) -> str:
    lines = [
        "| case | implementation | first step, empty cache (s) | second run (s) |",
        "|---|---|---|---|",
    ]
    for r in rows:
        cold, warm = r.get("first_step_cold_s"), r.get("first_step_warm_s")
        lines.append(
            f"| {r['case']} | {r['impl']} | {cold if cold is not None else r.get('skipped', '–')} "
            f"| {warm if warm is not None else '–'} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """The machine and versions a table was measured with."""
    import platform

    import jax

    parts = [
        f"{platform.machine()} {os.cpu_count()} cores",
        f"{jax.devices()[0].device_kind} ({jax.default_backend()})",
        f"Python {platform.python_version()}",
        f"jax {jax.__version__}",
    ]
    try:
        import torch

        parts.append(f"torch {torch.__version__}")
    except ImportError:
        pass
    return "Machine: " + ", ".join(parts) + time.strftime(", %Y-%m-%d %H:%M")


_IMPLS = ["torchlike", "torchlike_auto", "torchlike_compile", "torch_eager", "torch_compile", "jax"]


def markdown(rows) -> str:
    by = {(r["case"], r["impl"]): r for r in rows}
    cases = list(dict.fromkeys(r["case"] for r in rows))
    lines = [
        "| case | "
        + " | ".join(f"{i} ms/step" for i in _IMPLS)
        + " | tl/eager | tl/compile | tl/jax | tl.auto/eager | tl.auto/jax | tl.compile/jax | tl recompiles |",
        "|" + "---|" * (len(_IMPLS) + 8),
    ]
    for c in cases:
        ms = {i: by.get((c, i), {}).get("ms_per_step") for i in _IMPLS}
        cells = [f"{ms[i]:.3f}" if ms[i] else "–" for i in _IMPLS]

        def ratio(a, b, ms=ms):
            return f"{ms[a] / ms[b]:.2f}" if ms[a] and ms[b] else "–"

        rec = [
            by.get((c, i), {}).get("recompiles_after_warmup")
            for i in ("torchlike", "torchlike_auto", "torchlike_compile")
        ]
        rec = "/".join("–" if r is None else str(r) for r in rec)
        lines.append(
            f"| {c} | "
            + " | ".join(cells)
            + f" | {ratio('torchlike', 'torch_eager')} | {ratio('torchlike', 'torch_compile')}"
            + f" | {ratio('torchlike', 'jax')} | {ratio('torchlike_auto', 'torch_eager')}"
            + f" | {ratio('torchlike_auto', 'jax')} | {ratio('torchlike_compile', 'jax')} | {rec} |"
        )
    return "\n".join(lines)


def extras(rows) -> str:
    """Time to first step and memory per implementation: peak device memory where the device
    keeps statistics (GPU), else XLA's figure for the step program (arguments + outputs -
    donated + temporaries; torchlike's includes the ``.grad`` outputs PyTorch semantics keep)."""
    by = {(r["case"], r["impl"]): r for r in rows}
    cases = list(dict.fromkeys(r["case"] for r in rows))
    impls = [i for i in _IMPLS if any((c, i) in by for c in cases)]
    lines = [
        "| case | "
        + " | ".join(f"{i} first step s" for i in impls)
        + " | "
        + " | ".join(f"{i} memory MB" for i in impls)
        + " | tl/jax memory |",
        "|" + "---|" * (2 * len(impls) + 2),
    ]
    for c in cases:
        first, mem = [], {}
        for i in impls:
            r = by.get((c, i), {})
            first.append(f"{r['first_step_s']:.2f}" if r.get("first_step_s") else "–")
            m = r.get("peak_mem_mb") or r.get("program_mem_mb")
            mem[i] = m
        ratio = (
            f"{mem['torchlike'] / mem['jax']:.2f}"
            if mem.get("torchlike") and mem.get("jax")
            else "–"
        )
        lines.append(
            f"| {c} | "
            + " | ".join(first)
            + " | "
            + " | ".join(f"{mem[i]:.1f}" if mem[i] else "–" for i in impls)
            + f" | {ratio} |"
        )
    return "\n".join(lines)


def chart(rows, path):
    from PIL import Image, ImageDraw

    impls = _IMPLS
    colors = {
        "torchlike": (220, 80, 40),
        "torchlike_auto": (200, 120, 40),
        "torchlike_compile": (240, 160, 60),
        "torch_eager": (60, 110, 200),
        "torch_compile": (90, 170, 220),
        "jax": (80, 160, 90),
    }
    cases = list(dict.fromkeys(r["case"] for r in rows))
    by = {(r["case"], r["impl"]): r.get("ms_per_step") for r in rows}
    step = 32 * len(impls) + 28  # one group of bars per case
    w, h = max(step * len(cases), 150 * len(impls)) + 40, 360
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    for ci, c in enumerate(cases):
        vals = [by.get((c, i)) or 0 for i in impls]
        top = max(vals) or 1
        for k, v in enumerate(vals):
            if not v:  # not run or skipped: no bar
                continue
            x0 = 30 + ci * step + k * 32
            bh = int(260 * v / top)
            d.rectangle([x0, 300 - bh, x0 + 26, 300], fill=colors[impls[k]])
        d.text((30 + ci * step, 310), c, fill="black")
    for k, i in enumerate(impls):
        d.rectangle([30 + k * 150, 335, 42 + k * 150, 347], fill=colors[i])
        d.text((46 + k * 150, 335), i, fill="black")
    d.text((30, 10), "ms/step (relative within each case; lower is better)", fill="black")
    img.save(path)


if __name__ == "__main__":
    sys.exit(main())
