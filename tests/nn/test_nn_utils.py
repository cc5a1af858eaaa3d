"""nn.utils: gradient clipping (no host sync) and parameter vectors, against PyTorch."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _grads(lib):
    rng = np.random.default_rng(0)
    ps = []
    for shape in [(3, 4), (4,), (2, 2)]:
        p = lib.nn.Parameter(lib.tensor(rng.standard_normal(shape).astype(np.float32)))
        p.grad = lib.tensor((rng.standard_normal(shape) * 3).astype(np.float32))
        ps.append(p)
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_clip_grad_norm_matches_pytorch_without_a_host_sync(norm_type):
    ours, theirs = _grads(tl), _grads(pt)
    tl.metrics.reset()
    total = tl.nn.utils.clip_grad_norm_(ours, max_norm=1.0, norm_type=norm_type)
    assert tl.metrics.counters()["host_transfers"] == 0
    expected = pt.nn.utils.clip_grad_norm_(theirs, max_norm=1.0, norm_type=norm_type)
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-5)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_clip_grad_value_matches_pytorch():
    ours, theirs = _grads(tl), _grads(pt)
    tl.nn.utils.clip_grad_value_(ours, 0.5)
    pt.nn.utils.clip_grad_value_(theirs, 0.5)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy())


def test_parameters_to_vector_and_back():
    ours, theirs = _grads(tl), _grads(pt)
    v = tl.nn.utils.parameters_to_vector(ours)
    w = pt.nn.utils.parameters_to_vector(theirs)
    np.testing.assert_allclose(v.detach().numpy(), w.detach().numpy())
    tl.nn.utils.vector_to_parameters(v * 2, ours)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), 2 * b.detach().numpy(), rtol=1e-6)
