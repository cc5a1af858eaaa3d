"""Fixes found running Dive into Deep Learning's PyTorch code (tests/tutorials/scripts/t170-t179),
each checked against real PyTorch."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("torch")

_SCALAR_OF_GRAD = """
import warnings
import {lib} as torch
warnings.simplefilter("always")
a = torch.ones(1, requires_grad=True)
b = a * 2
with warnings.catch_warnings(record=True) as w:
    int(a); bool(a); a.item(); a.tolist(); float(a.detach())
    float(a); float(b); complex(b)
    with torch.no_grad():
        float(a)
for x in w:
    print(x.category.__name__, str(x.message).split(" (Triggered internally")[0].replace("\\n", "|"))
"""


def test_float_of_a_tensor_requiring_grad_warns_once_as_pytorch():
    """d2l's Accumulator calls ``float(l.sum())`` on a loss that requires grad: PyTorch warns once
    per process, for ``float`` or ``complex`` (never for int, bool, item, tolist)."""

    def run(lib):
        out = subprocess.run([sys.executable, "-c", _SCALAR_OF_GRAD.format(lib=lib)], capture_output=True,
                             text=True, env={"JAX_PLATFORMS": "cpu", "PATH": ""}, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.splitlines()

    want = run("torch")
    assert len(want) == 1 and want[0].startswith("UserWarning Converting a tensor with requires_grad=True")
    assert run("torchlike") == want
