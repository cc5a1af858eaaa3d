"""``import functorch`` under torchlike (torchlike/_functorch.py): make_functional and friends,
against PyTorch's functorch."""

import warnings

import numpy as np
import pytest

import torchlike as tl
from torchlike import _functorch

pt = pytest.importorskip("torch")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    functorch = pytest.importorskip("functorch")

_X = np.random.default_rng(5).standard_normal((4, 2)).astype(np.float32)


def _run(lib, ft):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
    m[1].weight = m[0].bias  # tied: extracted once
    m.eval()
    func, params, buffers = ft.make_functional_with_buffers(m)
    x = lib.tensor(_X)
    out = func(params, buffers, x)
    grads = ft.grad(lambda p: func(p, buffers, x).pow(2).sum())(params)
    state = [
        (n, str(t.device), type(t).__name__, t.requires_grad) for n, t in func.named_parameters()
    ]
    state += [(n, str(t.device)) for n, t in func.named_buffers()]
    f2, p2 = ft.make_functional(lib.nn.Linear(2, 2), disable_autograd_tracking=True)
    fm, ps, bs = ft.combine_state_for_ensemble([lib.nn.Linear(2, 3) for _ in range(4)])
    ens = ft.vmap(fm, in_dims=(0, 0, None))(ps, bs, x)
    facts = (
        state,
        len(params),
        len(buffers),
        params[0] is m[0].weight,
        repr(func),
        [p.requires_grad for p in p2],
        ps[0].requires_grad,
        bs,
        tuple(ens.shape),
    )
    return facts, [out, m(x), *grads, f2(p2, x)]


def test_make_functional_family_matches_functorch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p_facts, p_vals = _run(pt, functorch)
    t_facts, t_vals = _run(tl, _functorch)
    assert t_facts == p_facts
    for a, b in zip(p_vals, t_vals):
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_make_functional_refuses_buffers_as_functorch_does():
    with pytest.raises(RuntimeError, match="make_functional_with_buffers"):
        _functorch.make_functional(tl.nn.BatchNorm1d(2))


def test_functorch_import_resolves_to_torchlike_under_the_runner():
    import subprocess
    import sys

    code = (
        "import torchlike._import_hook as h; h.install(); import functorch, torch; "
        "print(functorch.jvp is torch.func.jvp, functorch.make_functional.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "torchlike._functorch"]
