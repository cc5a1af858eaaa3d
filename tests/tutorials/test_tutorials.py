"""Tutorial fidelity: each script under scripts/ (written with ``import torch``) prints the same
under real PyTorch and under ``python -m torchlike``.

Allowed differences, normalised before comparing: object addresses (``0x...``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

SCRIPTS = sorted((Path(__file__).parent / "scripts").glob("*.py"))
_ADDR = re.compile(r"0x[0-9a-fA-F]+")


def _run(args, cwd):
    env = dict(os.environ)
    env.setdefault("JAX_PLATFORMS", "cpu")
    env["PYTHONHASHSEED"] = "0"
    proc = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stderr[-4000:]}"
    return _ADDR.sub("0xADDR", proc.stdout)


def test_scripts_found():
    assert len(SCRIPTS) >= 8


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_tutorial_output_matches_pytorch(script):
    expected = _run([script.name], script.parent)
    got = _run(["-m", "torchlike", script.name], script.parent)
    assert expected.strip(), "the script printed nothing"
    assert got.splitlines() == expected.splitlines()
