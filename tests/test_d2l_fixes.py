"""Fixes found running Dive into Deep Learning's PyTorch code (tests/tutorials/scripts/t170-t179),
each checked against real PyTorch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import torchlike

pytest.importorskip("torch")

_SCALAR_OF_GRAD = """
import warnings
import {lib} as torch
warnings.simplefilter("always")
a = torch.ones(1, requires_grad=True)
b = a * 2
with warnings.catch_warnings(record=True) as w:
    int(a); bool(a); a.item(); a.tolist(); float(a.detach())
    with torch.no_grad():  # no warning while grad mode is off (inside LBFGS.step, say)
        float(a); complex(b)
    print("under no_grad:", len(w))
    float(a); float(b); complex(b)
for x in w:
    print(x.category.__name__, str(x.message).split(" (Triggered internally")[0].replace("\\n", "|"))
"""


def test_float_of_a_tensor_requiring_grad_warns_once_as_pytorch():
    """d2l's Accumulator calls ``float(l.sum())`` on a loss that requires grad: PyTorch warns once
    per process, for ``float`` or ``complex`` while grad mode is on (never for int, bool, item,
    tolist)."""

    def run(lib):
        out = subprocess.run([sys.executable, "-c", _SCALAR_OF_GRAD.format(lib=lib)], capture_output=True,
                             text=True, env={"JAX_PLATFORMS": "cpu", "PATH": ""}, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.splitlines()

    want = run("torch")
    assert len(want) == 2 and want[1].startswith("UserWarning Converting a tensor with requires_grad=True")
    assert run("torchlike") == want


def _mask_products(lib):
    x = lib.tensor([-2.0, 6.0, -7.0, float("inf"), float("nan"), -0.5])
    m = x.abs() >= 5
    y = x.clone()
    y *= y.abs() >= 5  # d2l's custom init: module.weight.data *= module.weight.data.abs() >= 5
    out = [x * m, m * x, x * m.float(), y, x * m.to(lib.float64), lib.mul(x, m)]
    return [np.signbit(t.numpy()).tolist() + [str(v) for v in t.tolist()] for t in out]


def test_product_with_a_bool_mask_keeps_ieee_signs_and_nans():
    """XLA's simplifier turns ``a * convert(mask)`` into ``select(mask, a, 0)``: -2 * False gave 0
    (PyTorch -0, printed ``-0.``) and inf * False 0 (PyTorch nan)."""
    import torch as pt

    assert _mask_products(torchlike) == _mask_products(pt)


def _detached_view_writes(lib):
    w = lib.nn.Parameter(lib.ones(2, 3))
    w.data[:] += 1  # d2l: net[0].weight.data[:] += 1
    w.data[0, 0] = 42
    w.detach()[1].mul_(3)
    a, _ = w.data.unbind(0)
    a.add_(1)
    v = w.data[0]
    v -= 2
    (w * w).sum().backward()
    leaf_err = None
    try:
        w[0].add_(1)
    except RuntimeError as e:
        leaf_err = str(e)
    return w.tolist(), w.is_leaf, w.grad_fn is None, w.grad.tolist(), leaf_err


def test_a_view_of_data_or_detach_is_written_in_place_outside_autograd():
    """``w.data[:] += 1`` raised "a view of a leaf Variable that requires grad is being used in an
    in-place operation" (the view was judged by its parameter root); the write must also leave
    the parameter a leaf with no grad_fn, while ``w[0].add_(1)`` still raises."""
    import torch as pt

    assert _detached_view_writes(torchlike) == _detached_view_writes(pt)


_MODULE_NAMES = """
import torch
import torch.nn.functional as F
from torch.optim import lr_scheduler
opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
scheduler = lr_scheduler.MultiStepLR(opt, milestones=[2], gamma=0.5)
print(torch.__name__, torch.nn.__name__, F.__name__, lr_scheduler.__name__, torch.utils.data.__name__)
print(scheduler.__module__ == lr_scheduler.__name__, type(opt).__module__, torch.nn.Linear.__module__)
"""


def test_module_names_under_the_hook_are_pytorchs(tmp_path):
    """d2l's training loop tells a built-in scheduler from its own by ``scheduler.__module__ ==
    lr_scheduler.__name__``: the class was named ``torch.optim.lr_scheduler`` but the module
    ``torchlike.optim.lr_scheduler``, so d2l called the scheduler object and failed."""
    script = tmp_path / "names.py"
    script.write_text(_MODULE_NAMES)

    def run(*args):
        out = subprocess.run([sys.executable, *args, str(script)], capture_output=True, text=True,
                             env={"JAX_PLATFORMS": "cpu", "PATH": ""}, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert run("-m", "torchlike") == run()
