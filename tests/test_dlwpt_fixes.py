"""Fixes found running the "Deep Learning with PyTorch" notebooks (Stevens, Antiga, Viehmann; part 1,
tests/tutorials/scripts/t200-t209), each checked against real PyTorch."""

from __future__ import annotations

import types

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")


def _in_place_shape_ops_on_views(mod):
    weights = mod.tensor([0.25, 0.5, 0.125])  # exact in binary: the sums compare exactly
    unsqueezed = weights.unsqueeze(-1).unsqueeze_(-1)  # ch. 3, named tensors notebook
    img = mod.arange(75.0).reshape(3, 5, 5)
    gray = (img * unsqueezed).sum(-3)
    weights[1] = 2.0  # the view still reads its base, with its new shape
    row = mod.arange(6.0).reshape(2, 3)[1]
    row.unsqueeze_(0).transpose_(0, 1)
    row.squeeze_(1)
    return (
        tuple(unsqueezed.shape), unsqueezed.flatten().tolist(), weights._version, unsqueezed._version,
        gray.sum().item(), tuple(row.shape), row.tolist(),
    )


def test_in_place_shape_ops_on_a_view_keep_their_shape():
    assert _in_place_shape_ops_on_views(torchlike) == _in_place_shape_ops_on_views(torch)


def _public_names(mod):
    return {n for n in dir(mod) if not n.startswith("_")}


def test_optim_namespace_shows_optimizers_not_their_modules():
    # dir(optim) in ch. 5: the optimizer classes, lr_scheduler and swa_utils; no defining submodules
    ours, theirs = _public_names(torchlike.optim), _public_names(torch.optim)
    assert ours <= theirs, sorted(ours - theirs)
    assert {n for n in theirs if n[0].isupper()} <= ours
    assert not [n for n in dir(torchlike.optim) if isinstance(getattr(torchlike.optim, n), types.ModuleType)
                and n not in {m for m in dir(torch.optim) if isinstance(getattr(torch.optim, m), types.ModuleType)}
                and not n.startswith("_")]
    from torchlike.optim.adam import Adam  # the submodules stay importable

    assert Adam is torchlike.optim.Adam
    np.testing.assert_equal(len(torchlike.optim.SGD([torchlike.zeros(1, requires_grad=True)], lr=0.1).param_groups), 1)


def _storage_warnings(mod):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mod.ones(2).untyped_storage()
        mod.ones(2).storage()
        mod.ones(3).storage()
    return [(w.category, str(w.message), w.filename) for w in caught]


def test_storage_warns_typed_storage_deprecation_once():
    # ch. 3 prints points.storage(): PyTorch warns once per process that TypedStorage is deprecated
    import subprocess
    import sys

    code = (
        "import sys, warnings; sys.path.insert(0, {root!r}); import {mod} as torch\n"
        "from tests.test_dlwpt_fixes import _storage_warnings\n"
        "print(repr([(c.__name__, m, f.endswith('test_dlwpt_fixes.py')) for c, m, f in _storage_warnings(torch)]))\n"
    )
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    outs = [
        subprocess.run([sys.executable, "-c", code.format(root=root, mod=m)], capture_output=True, text=True,
                       check=True).stdout
        for m in ("torch", "torchlike")
    ]
    assert outs[0] == outs[1]
    assert "TypedStorage is deprecated" in outs[0]
