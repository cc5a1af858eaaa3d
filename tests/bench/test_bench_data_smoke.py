"""Smoke test of ``python -m torchlike.bench.data --quick``: it runs, and prints the table.

No timing assertions: the numbers are whatever the machine gives; only their presence and
the table's shape are checked.
"""

import os
import subprocess
import sys

import pytest

HEADER = "| dataset | num_workers | torchlike batches/s | PyTorch batches/s | torchlike / PyTorch |"


def _run(args, cwd, env=None):
    proc = subprocess.run(
        [sys.executable, "-m", "torchlike.bench.data", "--quick", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout


def _throughput_rows(stdout):
    lines = stdout.splitlines()
    start = lines.index(HEADER) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_quick_run_prints_torchlike_and_pytorch_columns(tmp_path):
    pytest.importorskip("torch")
    out = tmp_path / "data_cpu.md"
    stdout = _run(["--out", str(out)], cwd=tmp_path)
    rows = _throughput_rows(stdout)
    assert [(r[0], r[1]) for r in rows] == [
        (name, w) for name in ("in-memory", "image-folder") for w in ("0", "2", "4")
    ]
    for _, _, tl_rate, pt_rate, ratio in rows:
        assert float(tl_rate) > 0 and float(pt_rate) > 0
        assert float(ratio) == pytest.approx(float(tl_rate) / float(pt_rate), rel=0.05, abs=0.01)
    device_rows = [line for line in stdout.splitlines() if line.startswith("| ")][-2:]
    for line, name in zip(device_rows, ("in-memory", "image-folder")):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[0] == name and float(cells[1]) > 0 and float(cells[2]) > 0
        assert cells[3] == "0"  # the cached program served every batch
    assert "`nproc` = " in stdout and "`uptime` before the run" in stdout
    written = out.read_text()
    assert HEADER in written and rows == _throughput_rows(written)


def test_without_pytorch_its_column_is_empty_and_quick_writes_no_file(tmp_path):
    # A `torch` package that fails to import stands in for PyTorch not being installed.
    fake = tmp_path / "fake_site" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError(\"No module named 'torch'\")\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(tmp_path / "fake_site"), *filter(None, [env.get("PYTHONPATH")])]
    )
    stdout = _run(["--workers", "0"], cwd=tmp_path, env=env)
    rows = _throughput_rows(stdout)
    assert [(r[0], r[1]) for r in rows] == [("in-memory", "0"), ("image-folder", "0")]
    for _, _, tl_rate, pt_rate, ratio in rows:
        assert float(tl_rate) > 0
        assert pt_rate == "–" and ratio == "–"
    assert "torch not installed" in stdout
    assert not (tmp_path / "benchmarks").exists()
