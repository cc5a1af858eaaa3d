"""``python -m torchlike.bench.data``: DataLoader throughput, torchlike next to PyTorch.

Two datasets, each loaded with ``batch_size=64, shuffle=True`` and 0, 2 and 4 workers:

- in-memory: a ``TensorDataset`` of 60,000 x 784 float32 rows and int64 labels;
- image folder: ``ImageFolder`` over the PNGs that
  ``torchlike.vision.datasets.write_image_folder(root, train=True, size=28)`` writes, with
  ``Compose([Grayscale(), ToTensor(), Normalize((0.5,), (0.5,))])``. PyTorch reads the same
  files through a minimal ImageFolder-equivalent dataset (torchvision is not importable here):
  PIL decode, the same transform arithmetic in NumPy, then ``torch.from_numpy``.

A rate is batches per second over one whole epoch (every batch, the short last one included),
the median of several timed epochs after one warm-up epoch. Loaders use the defaults tutorials
use (``persistent_workers=False``), so an epoch with workers includes starting them. Batches
are only iterated, not used; the second table times one batch reaching the device in
torchlike (``batch.sum().item()``: transfer, a cached program, the result back).

Prints two markdown tables and writes them, with the machine's description, to ``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

BATCH = 64
FEATURES = 784


# -- data ----------------------------------------------------------------------------------------


def _in_memory_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, FEATURES), dtype=np.float32)
    y = rng.integers(0, 10, n, dtype=np.int64)
    return x, y


def _image_files(root: str) -> list[tuple[str, int]]:
    """(path, class index) in ImageFolder's order: sorted class folders, sorted files."""
    classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
    return [
        (os.path.join(root, c, f), i)
        for i, c in enumerate(classes)
        for f in sorted(os.listdir(os.path.join(root, c)))
        if f.lower().endswith(".png")
    ]


class TorchImageFolder:
    """What torchvision's ``ImageFolder`` + ``Grayscale/ToTensor/Normalize((0.5,), (0.5,))``
    computes per sample, for real PyTorch: RGB decode (torchvision's loader), to ``L``, scale to
    [0, 1], normalise, CHW float32."""

    def __init__(self, root: str, from_numpy) -> None:
        self.samples = _image_files(root)
        self.from_numpy = from_numpy

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int):
        from PIL import Image

        path, target = self.samples[index]
        with open(path, "rb") as f:
            img = Image.open(f).convert("RGB")
        gray = np.asarray(img.convert("L"), dtype=np.uint8)[None]
        arr = gray.astype(np.float32) / np.float32(255)
        arr = (arr - np.float32(0.5)) / np.float32(0.5)
        return self.from_numpy(arr), target


def _datasets(lib, name: str, arrays, image_root: str):
    """The dataset ``name`` built with ``lib`` (torchlike or torch), over the same data."""
    if name == "in-memory":
        x, y = arrays
        return lib.utils.data.TensorDataset(lib.from_numpy(x), lib.from_numpy(y))
    if lib.__name__ == "torchlike":
        from torchlike.vision import datasets, transforms

        transform = transforms.Compose(
            [transforms.Grayscale(), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
        )
        return datasets.ImageFolder(image_root, transform=transform)
    return TorchImageFolder(image_root, lib.from_numpy)


# -- timing --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_fork():
    # JAX warns on every fork (the workers of either library never touch JAX), and both libraries
    # warn when num_workers exceeds the cores; the table says how many cores there were.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "os.fork", RuntimeWarning)
        warnings.filterwarnings("ignore", "This DataLoader will create", UserWarning)
        yield


def _epoch_rate(loader) -> float:
    t0 = time.perf_counter()
    n = 0
    for _ in loader:
        n += 1
    return n / (time.perf_counter() - t0)


def batches_per_second(libs: dict, datasets: dict, workers: int, epochs: int) -> dict:
    """Median batches/s per library over ``epochs`` timed epochs after one warm-up epoch each.

    The libraries' epochs alternate, so a change in the machine's load hits both alike.
    """
    loaders = {}
    rates = {name: [] for name in datasets}
    with _quiet_fork():
        for name, dataset in datasets.items():
            libs[name].manual_seed(0)
            loaders[name] = libs[name].utils.data.DataLoader(
                dataset, batch_size=BATCH, shuffle=True, num_workers=workers
            )
        for loader in loaders.values():
            _epoch_rate(loader)
        for _ in range(epochs):
            for name, loader in loaders.items():
                rates[name].append(_epoch_rate(loader))
    return {name: statistics.median(r) for name, r in rates.items()}


def to_device_ms(tl, dataset, batches: int) -> dict:
    """Median ms for ``batch.sum().item()`` on a fresh full batch (the transfer, a cached
    program, the result back) and for the same call again (the batch already on the device),
    over ``batches`` batches (as many epochs as that takes) after one warm-up batch; and the
    programs compiled while timing (0 when the cached program is reused)."""
    loader = tl.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, drop_last=True)
    it = iter(loader)
    next(it)[0].sum().item()
    c0 = tl.metrics.counters()["compiles"]
    first, again = [], []
    while len(first) < batches:
        try:
            x = next(it)[0]
        except StopIteration:
            it = iter(loader)
            continue
        for times in (first, again):
            t0 = time.perf_counter()
            x.sum().item()
            times.append((time.perf_counter() - t0) * 1e3)
    return {
        "first": statistics.median(first),
        "again": statistics.median(again),
        "compiles": tl.metrics.counters()["compiles"] - c0,
    }


# -- report --------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def _nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _versions(torch) -> str:
    import jax
    import PIL

    import torchlike

    parts = [
        f"Python {platform.python_version()}",
        f"torchlike {torchlike.version.torchlike_version}",
        f"jax {jax.__version__} (backend {jax.default_backend()})",
        f"numpy {np.__version__}",
        f"Pillow {PIL.__version__}",
        f"torch {torch.__version__}" if torch else "torch not installed",
    ]
    return ", ".join(parts)


def machine(torch, load_before: tuple[float, float, float], uptime_before: str) -> str:
    cores = _nproc()
    lines = [
        f"- machine: {_cpu_model()}, `nproc` = {cores}, {platform.system()} {platform.release()}",
        f"- versions: {_versions(torch)}",
        f"- `uptime` before the run: `{uptime_before}`",
        f"- `uptime` after the run: `{_uptime()}`",
    ]
    if load_before[0] >= 0.5 * cores or load_before[1] >= 0.5 * cores:
        lines.append(
            f"- **the machine was shared with other jobs** (load average {load_before[0]:.2f} "
            f"over 1 min, {load_before[1]:.2f} over 5 min on {cores} cores before the run): "
            "absolute rates are noisy; the two libraries' epochs alternated on the same data, "
            "so their ratio is the number to read"
        )
    return "\n".join(lines)


def _fmt(v, spec: str) -> str:
    return format(v, spec) if v is not None else "–"


def throughput_table(rows) -> str:
    lines = [
        "| dataset | num_workers | torchlike batches/s | PyTorch batches/s | torchlike / PyTorch |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        tl, pt = r["torchlike"], r["torch"]
        ratio = f"{tl / pt:.2f}" if tl and pt else "–"
        lines.append(
            f"| {r['dataset']} | {r['workers']} | {_fmt(tl, '.1f')} | {_fmt(pt, '.1f')} | {ratio} |"
        )
    return "\n".join(lines)


def device_table(rows) -> str:
    lines = [
        "| dataset | fresh batch: `batch.sum().item()` ms | same call again (batch on the device) ms "
        "| programs compiled while timed |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['dataset']} | {r['first']:.3f} | {r['again']:.3f} | {r['compiles']} |")
    return "\n".join(lines)


# -- main ----------------------------------------------------------------------------------------


def _import_torch(wanted: bool):
    if not wanted:
        return None
    try:
        import torch
    except ImportError:
        print("(PyTorch not installed: its column is left empty)", file=sys.stderr)
        return None
    return torch


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m torchlike.bench.data")
    p.add_argument("--quick", action="store_true", help="2,000 in-memory samples, 1 timed epoch")
    p.add_argument("--samples", type=int, default=60_000, help="in-memory dataset rows")
    p.add_argument("--epochs", type=int, default=7, help="timed epochs (median)")
    p.add_argument("--workers", default="0,2,4", help="comma list of num_workers")
    p.add_argument("--device-batches", type=int, default=50, help="batches timed to the device")
    p.add_argument("--no-torch", action="store_true", help="torchlike only")
    p.add_argument(
        "--out",
        default=None,
        help="markdown file (default benchmarks/results/data_<jax backend>.md; none with --quick)",
    )
    args = p.parse_args(argv)
    if args.quick:
        args.samples, args.epochs, args.device_batches = 2_000, 1, 5
    import jax

    backend = jax.default_backend()
    default_out = os.path.join("benchmarks", "results", f"data_{backend}.md")
    out = args.out or (None if args.quick else default_out)
    workers = [int(w) for w in args.workers.split(",")]

    load_before, uptime_before = os.getloadavg(), _uptime()
    import torchlike as tl

    torch = _import_torch(not args.no_torch)
    libs = {"torchlike": tl, "torch": torch}
    arrays = _in_memory_arrays(args.samples)
    rows, device_rows = [], []
    with tempfile.TemporaryDirectory(prefix="torchlike-bench-data-") as tmp:
        from torchlike.vision.datasets import write_image_folder

        image_root = write_image_folder(os.path.join(tmp, "digits"), train=True, size=28)
        for name in ("in-memory", "image-folder"):
            sets = {k: _datasets(lib, name, arrays, image_root) for k, lib in libs.items() if lib}
            for w in workers:
                row = {"dataset": name, "workers": w, "torchlike": None, "torch": None}
                row.update(batches_per_second(libs, sets, w, args.epochs))
                print(
                    f"{name}, num_workers={w}: torchlike {_fmt(row['torchlike'], '.1f')}, "
                    f"PyTorch {_fmt(row['torch'], '.1f')} batches/s",
                    file=sys.stderr,
                    flush=True,
                )
                rows.append(row)
            drow = {"dataset": name, **to_device_ms(tl, sets["torchlike"], args.device_batches)}
            device_rows.append(drow)
        n_images = len(_image_files(image_root))

    settings = (
        f"in-memory: {args.samples:,} x {FEATURES} float32 + int64 labels; image folder: "
        f"{n_images:,} PNGs, 28 x 28; batch {BATCH}, shuffle=True, persistent_workers=False; "
        f"median of {args.epochs} timed epoch(s) after 1 warm-up epoch"
    )
    report = "\n\n".join(
        [
            f"# DataLoader throughput ({backend.upper()})",
            "Produced by `python -m torchlike.bench.data"
            + (" --quick" if args.quick else "")
            + "` (torchlike/bench/data.py). Higher is better; ratio > 1 means torchlike is faster.",
            settings,
            throughput_table(rows),
            "Time for one full batch (64 x 784 float32 / 64 x 1 x 28 x 28 float32) from the "
            "torchlike DataLoader to reach the device and come back as a number, median over "
            f"{args.device_batches} batches (`num_workers=0`). The second column is dispatching the "
            "cached program and reading the result; the difference is what a fresh batch adds: "
            "its transfer (and caches made colder by the loading itself). PyTorch's CPU tensors "
            "have no device to reach, so it has no column here.",
            device_table(device_rows),
            machine(torch, load_before, uptime_before),
        ]
    )
    print(report)
    if out:
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        with open(out, "w") as f:
            f.write(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
