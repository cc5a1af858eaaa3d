"""pairwise_distance, pdist, cosine_similarity and their modules against PyTorch."""

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl

pytestmark = pytest.mark.filterwarnings("ignore:torchlike. the code at")
RNG = np.random.default_rng(1)


def randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def run_both(fn, *arrays, grad=True):
    """fn(lib, *tensors) in torch and torchlike; every array input requires grad. One program per call."""
    results = []
    for lib in (pt, tl):
        leaves = [lib.tensor(a, requires_grad=grad) for a in arrays]
        outs = fn(lib, *leaves)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        if grad:
            total = 0
            for out in outs:
                cot = np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape))
                total = total + (out * lib.tensor(cot, dtype=out.dtype)).sum()
            total.backward()
        results.append((outs, [t.grad for t in leaves] if grad else []))
    return results


def check(fn, *arrays, rtol=1e-5, atol=1e-6, grad=True):
    (ref, ref_g), (got, got_g) = run_both(fn, *arrays, grad=grad)
    for r, g in zip(ref, got):
        assert tuple(g.shape) == tuple(r.shape)
        assert str(g.dtype) == str(r.dtype)
        np.testing.assert_allclose(g.detach().numpy(), r.detach().numpy(), rtol=rtol, atol=atol)
    for r, g in zip(ref_g, got_g):
        np.testing.assert_allclose(g.numpy(), r.numpy(), rtol=rtol, atol=atol)


def test_pairwise_distance_matches_torch_for_every_norm():
    def fn(lib, x1, x2):
        F = lib.nn.functional
        return [
            F.pairwise_distance(x1, x2, p=p, keepdim=k)
            for p in (2.0, 1.0, 3.0, 0.5, float("inf"), 0)
            for k in (False, True)
        ] + [F.pairwise_distance(x1, x2, eps=0.1)]

    x1 = randn(4, 5)
    x2 = x1.copy()
    x2[1] = x1[1] + 1e-6  # a zero distance: torch's zero gradient, not NaN
    check(fn, x1, x2, rtol=1e-4)


def test_pairwise_distance_broadcasts_and_handles_1d():
    check(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b), randn(3, 4), randn(4))
    check(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b), randn(2, 3, 4), randn(3, 4))
    check(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b), randn(4), randn(4))


def test_pdist_matches_torch():
    def fn(lib, x):
        return [lib.nn.functional.pdist(x, p) for p in (2, 1, 3, float("inf"))]

    x = randn(5, 3)
    x[3] = x[1]  # a zero distance
    check(fn, x, rtol=1e-4, atol=1e-5)
    check(lambda lib, x: lib.nn.functional.pdist(x), randn(1, 3))


def test_cosine_similarity_matches_torch():
    def fn(lib, a, b):
        F = lib.nn.functional
        return [
            F.cosine_similarity(a, b),
            F.cosine_similarity(a, b, dim=0),
            F.cosine_similarity(a, b, dim=-1),
            F.cosine_similarity(a, b, eps=0.5),
        ]

    a, b = randn(4, 3), randn(4, 3)
    a[2] = 1e-9  # a norm below eps: clamped, the gradient passing straight through as in torch
    check(fn, a, b)
    check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b), randn(2, 3), randn(3))
    check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim=0), randn(3), randn(3))


def test_cosine_similarity_float64():
    check(
        lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b),
        randn(3, 5, dtype=np.float64),
        randn(3, 5, dtype=np.float64),
        rtol=1e-12,
        atol=1e-12,
    )


def test_distance_modules_match_torch():
    def fn(lib, a, b):
        return [
            lib.nn.PairwiseDistance()(a, b),
            lib.nn.PairwiseDistance(p=1.0, eps=0.0, keepdim=True)(a, b),
            lib.nn.CosineSimilarity()(a, b),
            lib.nn.CosineSimilarity(dim=0, eps=1e-3)(a, b),
        ]

    check(fn, randn(4, 3), randn(4, 3))
    for name, kw in [
        ("PairwiseDistance", {}),
        ("PairwiseDistance", {"p": 1.0}),
        ("CosineSimilarity", {"dim": 0}),
    ]:
        ref, got = getattr(pt.nn, name)(**kw), getattr(tl.nn, name)(**kw)
        assert repr(got) == repr(ref)
        assert list(got.state_dict()) == list(ref.state_dict()) == []
    assert tl.nn.PairwiseDistance(p=3.0).norm == 3.0


def test_distance_errors_use_torch_words():
    F = tl.nn.functional
    with pytest.raises(
        RuntimeError,
        match=r"The size of tensor a \(3\) must match the size of tensor b \(4\) at "
        "non-singleton dimension 1",
    ):
        F.pairwise_distance(tl.rand(2, 3), tl.rand(2, 4))
    with pytest.raises(RuntimeError, match="pdist only supports 2D tensors, got: 3D"):
        F.pdist(tl.rand(2, 3, 4))
    with pytest.raises(RuntimeError, match="pdist only supports non-negative p values"):
        F.pdist(tl.rand(2, 3), p=-1)
    with pytest.raises(
        RuntimeError, match="expected common dtype to be floating point, yet common dtype is Long"
    ):
        F.cosine_similarity(tl.zeros(2, 3, dtype=tl.int64), tl.zeros(3, dtype=tl.int64))
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)",
    ):
        F.cosine_similarity(tl.rand(3), tl.rand(3), dim=1)


def test_distances_stay_lazy_and_do_not_recompile_with_new_eps():
    x1, x2 = tl.randn(4, 3), tl.randn(4, 3)
    for i in range(5):
        if i == 2:
            compiles = tl.metrics.counters()["compiles"]
        d = tl.nn.functional.pairwise_distance(x1, x2, eps=1e-6 * (i + 1))
        c = tl.nn.functional.cosine_similarity(x1, x2, eps=1e-8 * (i + 1))
        (d.sum() + c.sum()).item()
    assert tl.metrics.counters()["compiles"] == compiles
