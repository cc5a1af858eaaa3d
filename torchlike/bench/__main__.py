"""``python -m torchlike.bench``: the tutorial training loop, timed side by side.

Implementations in one process: torchlike, PyTorch eager, torch.compile, hand-written JAX.
Prints a markdown table (ratios torchlike / each other) and writes JSON lines and a bar chart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from .cases import CASES


def _time_loop(step, warmup, windows, steps):
    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    for _ in range(warmup):
        step()
    per = []
    for _ in range(windows):
        t = time.perf_counter()
        for _ in range(steps):
            step()
        per.append((time.perf_counter() - t) / steps * 1e3)
    return statistics.median(per), first


def run_torchlike(case, device, warmup, windows, steps, compiled=False, auto=False):
    """The seeds' loop; ``compiled``: its step (without the ``.item()``) under torchlike.compile;
    ``auto``: the unchanged loop with TORCHLIKE_AUTO_COMPILE (module calls replayed as one op)."""
    import torchlike as tl

    tl.set_auto_compile(auto)
    try:
        return _run_torchlike(tl, case, device, warmup, windows, steps, compiled)
    finally:
        tl.set_auto_compile(False)


def _run_torchlike(tl, case, device, warmup, windows, steps, compiled):
    tl.manual_seed(0)
    t_build = time.perf_counter()
    model, make_opt, (x, y), crit = case.build(tl)
    model = model.to(device)
    x, y = x.to(device), y.to(device)
    opt = make_opt(model.parameters())

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
    for _ in range(warmup):
        step()
    c0 = tl.metrics.counters()["compiles"]
    ms, _ = _time_loop(step, 0, windows, steps)
    recompiles = tl.metrics.counters()["compiles"] - c0
    return {
        "ms_per_step": ms,
        "first_step_s": first,
        "recompiles_after_warmup": recompiles,
        "peak_mem_mb": _jax_peak_mb(),
    }


def _jax_peak_mb():
    import jax

    try:
        stats = jax.devices()[0].memory_stats() or {}
    except Exception:
        return None
    peak = stats.get("peak_bytes_in_use")
    return round(peak / 2**20, 1) if peak else None


def run_torch(case, device, warmup, windows, steps, compiled=False):
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    t_build = time.perf_counter()
    model, make_opt, (x, y), crit = case.build(torch)
    model = model.to(device)
    x, y = x.to(device), y.to(device)
    opt = make_opt(model.parameters())
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
    ms, _ = _time_loop(step, warmup, windows, steps)
    peak = round(torch.cuda.max_memory_allocated() / 2**20, 1) if device != "cpu" else None
    return {"ms_per_step": ms, "first_step_s": first, "peak_mem_mb": peak}


def run_jax(case, device, warmup, windows, steps):
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
    ms, _ = _time_loop(step, warmup, windows, steps)
    return {"ms_per_step": ms, "first_step_s": first, "peak_mem_mb": _jax_peak_mb()}


IMPLS = {
    "torchlike": run_torchlike,
    "torchlike_compile": lambda *a: run_torchlike(*a, compiled=True),
    "torchlike_auto": lambda *a: run_torchlike(*a, auto=True),
    "torch_eager": lambda *a: run_torch(*a, compiled=False),
    "torch_compile": lambda *a: run_torch(*a, compiled=True),
    "jax": run_jax,
}


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m torchlike.bench")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda", "tpu"])
    p.add_argument("--cases", default="small", help="comma list of case names, 'small' or 'all'")
    p.add_argument("--impls", default="torchlike,torchlike_auto,torchlike_compile,torch_eager,torch_compile,jax")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument(
        "--out",
        default="benchmarks/results",
        help="folder for results.jsonl, results.md, results.png",
    )
    p.add_argument(
        "--smoke", action="store_true", help="tiny run, exit non-zero if torchlike recompiles"
    )
    args = p.parse_args(argv)
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
    with open(os.path.join(args.out, "results.jsonl"), "a") as f:
        for case in cases:
            for impl in args.impls.split(","):
                try:
                    r = IMPLS[impl](case, device, args.warmup, args.windows, args.steps)
                except ImportError as e:
                    r = {"skipped": f"not installed: {e.name}"}
                except Exception as e:  # a case the implementation cannot run yet
                    r = {"skipped": f"{type(e).__name__}: {e}"[:200]}
                if r is None:
                    r = {"skipped": "no reference implementation"}
                r.update(case=case.name, impl=impl, device=args.device)
                rows.append(r)
                print(json.dumps(r), flush=True)
                f.write(json.dumps(r) + "\n")
                if impl.startswith("torchlike") and r.get("recompiles_after_warmup"):
                    failed = True
    table = markdown(rows)
    print(table)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(table + "\n")
    try:
        chart(rows, os.path.join(args.out, "results.png"))
    except Exception as e:  # the chart is a convenience
        print(f"(no chart: {e})", file=sys.stderr)
    return 1 if failed else 0


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

        rec = [by.get((c, i), {}).get("recompiles_after_warmup") for i in ("torchlike", "torchlike_auto",
                                                                         "torchlike_compile")]
        rec = "/".join("–" if r is None else str(r) for r in rec)
        lines.append(
            f"| {c} | " + " | ".join(cells)
            + f" | {ratio('torchlike', 'torch_eager')} | {ratio('torchlike', 'torch_compile')}"
            + f" | {ratio('torchlike', 'jax')} | {ratio('torchlike_auto', 'torch_eager')}"
            + f" | {ratio('torchlike_auto', 'jax')} | {ratio('torchlike_compile', 'jax')} | {rec} |"
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
    w, h = max(190 * len(cases), 150 * len(impls)) + 40, 360
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    for ci, c in enumerate(cases):
        vals = [by.get((c, i)) or 0 for i in impls]
        top = max(vals) or 1
        for k, v in enumerate(vals):
            x0 = 30 + ci * 190 + k * 32
            bh = int(260 * v / top)
            d.rectangle([x0, 300 - bh, x0 + 26, 300], fill=colors[impls[k]])
        d.text((30 + ci * 190, 310), c, fill="black")
    for k, i in enumerate(impls):
        d.rectangle([30 + k * 150, 335, 42 + k * 150, 347], fill=colors[i])
        d.text((46 + k * 150, 335), i, fill="black")
    d.text((30, 10), "ms/step (relative within each case; lower is better)", fill="black")
    img.save(path)


if __name__ == "__main__":
    sys.exit(main())
