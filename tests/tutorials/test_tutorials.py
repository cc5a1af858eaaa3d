"""Tutorial fidelity: each script under scripts/ (written with ``import torch``) prints the same
under real PyTorch and under ``python -m torchlike``.

Allowed differences, normalised before comparing: object addresses (``0x...``).

PyTorch's side of each comparison is PyTorch's own output, recorded by ``record_pytorch.py`` into
expected/<script>.txt with a key: the hashes of the script and of the files scripts read from the
repository, and the versions of torch, NumPy and Python. A recording whose key differs from the
current one is not used: PyTorch runs the script live (set ``TORCHLIKE_LIVE_PYTORCH=1`` to always
run it live). This spares CI ~4 s of PyTorch start-up and run per script.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

HERE = Path(__file__).parent
SCRIPTS = sorted((HERE / "scripts").glob("*.py"))
EXPECTED = HERE / "expected"
_ADDR = re.compile(r"0x[0-9a-fA-F]+")
# files outside scripts/ that scripts read under PyTorch (their hashes are part of every key)
_READ_BY_SCRIPTS = (
    HERE.parents[1] / "torchlike" / "vision" / "data" / "digits.npz",
    HERE.parent / "vision" / "_ref_zoo.py",
)


def _run(args, cwd):
    env = dict(os.environ)
    env.setdefault("JAX_PLATFORMS", "cpu")
    env["PYTHONHASHSEED"] = "0"
    for _attempt in range(2):
        proc = subprocess.run(
            [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        # a spawned worker killed by a signal (PyTorch's gloo has aborted at teardown on a loaded
        # machine: "terminate called without an active exception") gets one more run; any other
        # failure is reported at once
        if proc.returncode == 0 or "terminated with signal" not in proc.stderr:
            break
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stderr[-4000:]}"
    return _ADDR.sub("0xADDR", proc.stdout)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def recording_key(script: Path) -> str:
    """What PyTorch's output of ``script`` depends on, as one line."""
    deps = hashlib.sha256("".join(_sha(p) for p in _READ_BY_SCRIPTS).encode()).hexdigest()[:16]
    versions = " ".join(f"{m}={importlib.metadata.version(m)}" for m in ("torch", "numpy"))
    return f"script={_sha(script)} reads={deps} {versions} python={sys.version_info[0]}.{sys.version_info[1]}"


def _recording(script: Path) -> tuple[str, str] | None:
    """(key, output) recorded for ``script``, or None."""
    path = EXPECTED / f"{script.stem}.txt"
    if not path.exists():
        return None
    key, _, output = path.read_text().partition("\n")
    return key.removeprefix("# "), output


def pytorch_output(script: Path) -> str:
    recorded = _recording(script)
    if recorded is not None and not os.environ.get("TORCHLIKE_LIVE_PYTORCH"):
        key, output = recorded
        if key == recording_key(script):
            return output
    return _run([script.name], script.parent)


def test_scripts_found():
    assert len(SCRIPTS) >= 8


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_tutorial_output_matches_pytorch(script):
    expected = pytorch_output(script)
    got = _run(["-m", "torchlike", script.name], script.parent)
    assert expected.strip(), "the script printed nothing"
    assert got.splitlines() == expected.splitlines()


def test_every_script_has_a_current_pytorch_recording():
    """A script edited without recording PyTorch's output again would silently run PyTorch live
    (slow, not wrong): ``python tests/tutorials/record_pytorch.py <stem>`` records it."""
    stale = []
    for script in SCRIPTS:
        recorded = _recording(script)
        if recorded is None or recorded[0].split()[:2] != recording_key(script).split()[:2]:
            stale.append(script.stem)
    assert not stale, f"run: python tests/tutorials/record_pytorch.py {' '.join(stale)}"


def test_hand_written_sgd_loop_does_not_recompile():
    """`with torch.no_grad(): w -= lr * w.grad` ends a step like optimizer.step(): one cached
    program per iteration, not a graph unrolled until the next print."""
    import torchlike as tl

    x = tl.linspace(-3.0, 3.0, 50)
    y = tl.sin(x)
    a = tl.tensor(0.1, requires_grad=True)
    b = tl.tensor(-0.2, requires_grad=True)
    for t in range(12):
        if t == 3:
            compiles = tl.metrics.counters()["compiles"]
        loss = (a + b * x - y).pow(2).sum()
        loss.backward()
        with tl.no_grad():
            a -= 1e-3 * a.grad
            b -= 1e-3 * b.grad
            a.grad = None
            b.grad = None
        assert len(tl._context.state.graph.nodes if tl._context.state.graph else ()) == 0
    assert tl.metrics.counters()["compiles"] == compiles
    ref_a, ref_b = 0.1, -0.2
    xs, ys = np.linspace(-3.0, 3.0, 50), np.sin(np.linspace(-3.0, 3.0, 50))
    for _ in range(12):
        r = ref_a + ref_b * xs - ys
        ref_a, ref_b = ref_a - 1e-3 * 2 * r.sum(), ref_b - 1e-3 * 2 * (r * xs).sum()
    np.testing.assert_allclose([a.item(), b.item()], [ref_a, ref_b], rtol=1e-5)
