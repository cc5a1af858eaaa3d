"""torch.distributions.transforms and biject_to/transform_to against PyTorch: forward and inverse
values, log |det J| and its gradient, shapes, domains, reprs, caching and equality."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

X_VEC = np.array([[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]], np.float32)
X_MAT = np.array([[[0.5, 0.2], [-0.3, 0.1]], [[-0.2, 1.0], [0.4, -0.6]]], np.float32)

# name -> (builder(T), input)
TRANSFORMS = {
    "exp": (lambda T: T.distributions.ExpTransform(), X_VEC),
    "power": (lambda T: T.distributions.PowerTransform(T.tensor(2.5)), np.abs(X_VEC) + 0.1),
    "sigmoid": (lambda T: T.distributions.SigmoidTransform(), X_VEC),
    "softplus": (lambda T: T.distributions.SoftplusTransform(), X_VEC),
    "tanh": (lambda T: T.distributions.TanhTransform(), X_VEC),
    "abs": (lambda T: T.distributions.AbsTransform(), X_VEC),
    "affine": (
        lambda T: T.distributions.AffineTransform(T.tensor([1.0, -2.0, 0.5]), T.tensor(-3.0)),
        X_VEC,
    ),
    "affine_event": (
        lambda T: T.distributions.AffineTransform(0.5, T.tensor([2.0, -1.0, 3.0]), event_dim=1),
        X_VEC,
    ),
    "compose": (
        lambda T: T.distributions.ComposeTransform(
            [T.distributions.ExpTransform(), T.distributions.AffineTransform(1.0, 2.0)]
        ),
        X_VEC,
    ),
    "inverse": (lambda T: T.distributions.SigmoidTransform().inv, np.array([0.2, 0.7], "f")),
    "independent": (
        lambda T: T.distributions.IndependentTransform(T.distributions.ExpTransform(), 1),
        X_VEC,
    ),
    "reshape": (lambda T: T.distributions.ReshapeTransform((3,), (3, 1)), X_VEC),
    "softmax": (lambda T: T.distributions.SoftmaxTransform(), X_VEC),
    "stick_breaking": (lambda T: T.distributions.StickBreakingTransform(), X_VEC),
    "corr_cholesky": (lambda T: T.distributions.CorrCholeskyTransform(), X_VEC),
    "lower_cholesky": (lambda T: T.distributions.LowerCholeskyTransform(), X_MAT),
    "positive_definite": (lambda T: T.distributions.PositiveDefiniteTransform(), X_MAT),
    "cat": (
        lambda T: T.distributions.CatTransform(
            [T.distributions.ExpTransform(), T.distributions.identity_transform], 1, [2, 1]
        ),
        X_VEC,
    ),
    "stack": (
        lambda T: T.distributions.StackTransform(
            [T.distributions.ExpTransform(), T.distributions.TanhTransform()], 0
        ),
        X_VEC,
    ),
    "cdf": (
        lambda T: T.distributions.CumulativeDistributionTransform(T.distributions.Normal(0.0, 2.0)),
        X_VEC,
    ),
}


def _np(t):
    return t.detach().numpy()


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transform_matches_pytorch(name):
    make, x = TRANSFORMS[name]
    out = []
    for lib in (torch, tl):
        t = make(lib)
        xt = lib.tensor(x, requires_grad=True)
        y = t(xt)
        x_back = t.inv(y.detach())
        try:
            ladj = t.log_abs_det_jacobian(xt, y)
            (ladj.sum() + y.sum()).backward()
        except NotImplementedError:
            ladj = None
            y.sum().backward()
        shapes = (t.forward_shape(tuple(x.shape)), t.inv.inverse_shape(tuple(x.shape)))
        info = (repr(t), repr(t.domain), repr(t.codomain), t.bijective, shapes)
        out.append((y, x_back, ladj, xt.grad, info))
    (yp, xp, lp, gp, ip), (yt, xt, lt, gt, it) = out
    assert it == ip
    for p, t in ((yp, yt), (xp, xt), (gp, gt)) + (((lp, lt),) if lp is not None else ()):
        assert tuple(t.shape) == tuple(p.shape)
        np.testing.assert_allclose(_np(t), _np(p), rtol=2e-5, atol=2e-5)
    assert (lt is None) == (lp is None)


def test_cache_size_one_returns_the_cached_input():
    t = tl.distributions.ExpTransform(cache_size=1)
    x = tl.tensor([0.5, 1.0])
    y = t(x)
    assert t.inv(y) is x and t(x) is y
    assert tl.distributions.ExpTransform().with_cache(1)._cache_size == 1
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        tl.distributions.ExpTransform(cache_size=2)


def test_equality_sign_and_event_dim_match_pytorch():
    for T in (torch, tl):
        D = T.distributions
        assert D.ExpTransform() == D.ExpTransform()
        assert D.ExpTransform().inv == D.ExpTransform().inv
        assert D.AffineTransform(1.0, 2.0) == D.AffineTransform(1.0, 2.0)
        assert D.AffineTransform(1.0, 2.0) != D.AffineTransform(1.0, 3.0)
        assert D.ComposeTransform([D.ExpTransform()]) == D.ComposeTransform([D.ExpTransform()])
        assert D.AffineTransform(0.0, -2.0).sign == -1
        assert D.ComposeTransform([D.ExpTransform(), D.AffineTransform(0.0, -1.0)]).sign == -1
        assert D.ExpTransform().inv.inv is not None
        assert D.StickBreakingTransform().event_dim == 1
        with pytest.raises(ValueError, match="Please use either .domain.event_dim"):
            _ = D.ReshapeTransform((4,), (2, 2)).event_dim
        with pytest.raises(ValueError, match="different numbers of elements"):
            D.ReshapeTransform((4,), (3,))


@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
def test_biject_to_and_transform_to_match_pytorch(registry):
    x = np.array([[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]], np.float32)
    names = [
        "real",
        "positive",
        "nonnegative",
        "unit_interval",
        "simplex",
        "real_vector",
        "corr_cholesky",
    ]
    made = [
        lambda C: C.greater_than(1.5),
        lambda C: C.less_than(-1.0),
        lambda C: C.interval(-2.0, 3.0),
        lambda C: C.half_open_interval(0.0, 1.0),
        lambda C: C.independent(C.positive, 1),
    ]
    for lib in (torch, tl):
        reg = getattr(lib.distributions, registry)
        C = lib.distributions.constraints
        results = []
        for c in [getattr(C, n) for n in names] + [m(C) for m in made]:
            t = reg(c)
            y = t(lib.tensor(x))
            assert bool(c.check(y).all()), (registry, c)
            results.append((repr(t), _np(y)))
        if lib is torch:
            want = results
    for (rp, yp), (rt, yt) in zip(want, results):
        assert rt == rp
        np.testing.assert_allclose(yt, yp, rtol=2e-5, atol=2e-6)
    with pytest.raises(NotImplementedError, match="Cannot transform _Boolean constraints"):
        getattr(tl.distributions, registry)(tl.distributions.constraints.boolean)


def test_transform_to_lower_cholesky_and_positive_definite():
    for name in ("lower_cholesky", "positive_definite"):
        outs = []
        for lib in (torch, tl):
            c = getattr(lib.distributions.constraints, name)
            t = lib.distributions.transform_to(c)
            y = t(lib.tensor(X_MAT))
            assert bool(c.check(y).all())
            outs.append((repr(t), _np(y)))
        assert outs[1][0] == outs[0][0]
        np.testing.assert_allclose(outs[1][1], outs[0][1], rtol=2e-5, atol=2e-6)


def test_transformed_distribution_cdf_flips_for_decreasing_maps():
    for lib in (torch, tl):
        D = lib.distributions
        d = D.TransformedDistribution(D.Normal(0.0, 1.0), [D.AffineTransform(1.0, -2.0)])
        v = lib.tensor([0.0, 1.0, 3.0])
        if lib is torch:
            want = (d.cdf(v).numpy(), d.icdf(lib.tensor([0.2, 0.9])).numpy())
        else:
            np.testing.assert_allclose(d.cdf(v).numpy(), want[0], rtol=1e-5)
            np.testing.assert_allclose(d.icdf(lib.tensor([0.2, 0.9])).numpy(), want[1], rtol=1e-5)
