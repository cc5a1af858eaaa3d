"""The families after the first set (Laplace ... Wishart) against PyTorch: one test per family
covers shapes, flags, reprs, log_prob and its gradient, entropy, moments, cdf/icdf and expand;
then seeded samples, rsample gradients and validation errors."""

from __future__ import annotations

import numpy as np
import pytest
from _cases_more import MORE, build, value

import torchlike as tl

torch = pytest.importorskip("torch")

ERRORS = (NotImplementedError, ValueError, RuntimeError)


def _np(t):
    return t.detach().numpy()


def _same(p, t, rtol=2e-5, atol=2e-5):
    assert tuple(t.shape) == tuple(p.shape)
    assert str(t.dtype) == str(p.dtype)
    np.testing.assert_allclose(_np(t), _np(p), rtol=rtol, atol=atol, equal_nan=True)


def _outcome(fn):
    try:
        return "ok", fn()
    except ERRORS as e:
        return "raise", type(e)


def _compare(name, what, p_fn, t_fn, **tol):
    (kp, p), (kt, t) = _outcome(p_fn), _outcome(t_fn)
    assert kp == kt, f"{name}.{what}: torch {kp} {p}, torchlike {kt} {t}"
    if kp == "raise":
        assert issubclass(t, p), (name, what, p, t)
    else:
        _same(p, t, **tol)


@pytest.mark.parametrize("name", sorted(MORE))
def test_family_matches_pytorch(name):
    (p, pp), (t, tp) = build(torch, name, True), build(tl, name, True)
    assert repr(t) == repr(p)
    assert tuple(t.batch_shape) == tuple(p.batch_shape)
    assert tuple(t.event_shape) == tuple(p.event_shape)
    assert t.has_rsample == p.has_rsample
    assert t.has_enumerate_support == p.has_enumerate_support
    assert repr(t.support) == repr(p.support)

    lp, lt = p.log_prob(value(torch, name)), t.log_prob(value(tl, name))
    _same(lp, lt)
    assert lt.requires_grad == lp.requires_grad
    if lp.requires_grad:
        lp.sum().backward()
        lt.sum().backward()
        for a, b in zip(pp, tp):
            if a.grad is not None:
                np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=1e-4, atol=1e-4)

    _compare(name, "entropy", p.entropy, t.entropy, rtol=1e-4, atol=1e-4)
    for stat in ("mean", "variance", "stddev", "mode"):
        _compare(name, stat, lambda s=stat: getattr(p, s), lambda s=stat: getattr(t, s))
    _compare(name, "cdf", lambda: p.cdf(value(torch, name)), lambda: t.cdf(value(tl, name)))
    probs = MORE[name][3]
    if probs is not None:
        _same(p.icdf(torch.tensor(probs)), t.icdf(tl.tensor(probs)), rtol=1e-4, atol=1e-5)

    shape = (2,) + tuple(p.batch_shape)
    pe, te = p.expand(shape), t.expand(shape)
    assert type(te).__name__ == type(pe).__name__
    assert tuple(te.batch_shape) == shape and repr(te) == repr(pe)
    _same(pe.log_prob(value(torch, name)), te.log_prob(value(tl, name)))


@pytest.mark.parametrize("name", sorted(MORE))
def test_seeded_samples_equal_pytorchs(name):
    # every sampler makes PyTorch's calls in PyTorch's order on the CPU stream
    out = []
    for lib in (torch, tl):
        d, _ = build(lib, name)
        lib.manual_seed(7)
        with np.errstate(all="ignore"):
            x = d.sample((3,))
        out.append((x, lib.rand(()).item()))
    (xp, rp), (xt, rt) = out
    _same(xp, xt, rtol=1e-5, atol=1e-6)
    assert rt == rp, "the stream must be left where PyTorch leaves it"
    assert bool(build(tl, name)[0].support.check(xt).all())


REPARAMETERISED = [n for n in sorted(MORE) if MORE[n][1] and build(torch, n)[0].has_rsample]
# PyTorch's Gamma gradient is its own approximation; its Wishart.rsample cannot be
# differentiated (an in-place update of the "singular" mask): only torchlike's is checked
APPROXIMATE = {"chi2", "student_t", "inverse_gamma", "fisher_snedecor", "wishart"}


@pytest.mark.parametrize("name", REPARAMETERISED)
def test_rsample_gradients_match_pytorch(name):
    grads = []
    for lib in (torch, tl) if name not in APPROXIMATE else (tl,):
        d, params = build(lib, name, requires_grad=True)
        lib.manual_seed(11)
        x = d.rsample((4,))
        assert x.requires_grad
        (x * lib.linspace(0.5, 1.5, x.numel()).reshape(x.shape)).sum().backward()
        grads.append([q.grad for q in params if q.requires_grad])
    for b in grads[-1]:
        assert b is not None and np.isfinite(b.numpy()).all()
    if len(grads) == 2:
        for a, b in zip(*grads):
            np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-4, atol=1e-4)


def test_torch_binomial_draws_are_pytorchs_in_every_regime():
    from torchlike.distributions._binomial import binomial

    # inversion (n p < 10), BTRS (n p >= 10) and their mirrors for p > 1/2, edge probabilities
    n = np.array([5, 100, 100, 1000, 20, 3e4, 7, 7, 0], np.float32)
    p = np.array([0.3, 0.3, 0.8, 0.5, 0.9, 0.01, 0.0, 1.0, 0.5], np.float32)
    for dtype in (np.float32, np.float64):
        torch.manual_seed(5)
        want = torch.binomial(
            torch.tensor(n, dtype=getattr(torch, dtype.__name__)).expand(40, 9),
            torch.tensor(p, dtype=getattr(torch, dtype.__name__)),
        )
        tl.manual_seed(5)
        got = binomial(tl.tensor(n.astype(dtype)).expand(40, 9), tl.tensor(p.astype(dtype)))
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        assert got.dtype == getattr(tl, dtype.__name__)


@pytest.mark.parametrize(
    "fn",
    [
        lambda T: T.distributions.Laplace(T.zeros(2), -T.ones(2)),
        lambda T: T.distributions.LogNormal(0.0, -1.0),
        lambda T: T.distributions.HalfNormal(T.tensor([1.0])).log_prob(T.tensor([-1.0])),
        lambda T: T.distributions.Cauchy(T.tensor([0.0]), T.tensor([0.0])),
        lambda T: T.distributions.StudentT(T.tensor([-1.0])),
        lambda T: T.distributions.Chi2(T.tensor([0.0])),
        lambda T: T.distributions.Geometric(T.tensor([0.0, 0.5])),
        lambda T: T.distributions.Geometric(T.tensor([0.5])).log_prob(T.tensor([1.5])),
        lambda T: T.distributions.Binomial(T.tensor([2.5]), T.tensor([0.5])),
        lambda T: T.distributions.Binomial(3, T.tensor([0.5])).log_prob(T.tensor([4.0])),
        lambda T: T.distributions.Binomial(3),
        lambda T: T.distributions.Multinomial(3, T.tensor([0.5, 0.5])).log_prob(
            T.tensor([3.0, 2.0])
        ),
        lambda T: T.distributions.NegativeBinomial(T.tensor([1.0]), T.tensor([1.0])),
        lambda T: T.distributions.MixtureSameFamily(
            T.distributions.Categorical(T.ones(3)), T.distributions.Normal(T.zeros(2), 1.0)
        ),
        lambda T: T.distributions.MixtureSameFamily(
            T.distributions.Normal(0.0, 1.0), T.distributions.Normal(T.zeros(2), 1.0)
        ),
        lambda T: T.distributions.MixtureSameFamily(T.distributions.Categorical(T.ones(2)), 1.0),
        lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(3), T.ones(2, 1), T.ones(3)),
        lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(2), T.ones(2, 1), T.ones(3)),
        lambda T: T.distributions.Weibull(T.tensor([1.0]), T.tensor([-1.0])),
        lambda T: T.distributions.Pareto(T.tensor([1.0]), T.tensor([1.0])).log_prob(
            T.tensor([0.5])
        ),
        lambda T: T.distributions.Kumaraswamy(T.tensor([1.0]), T.tensor([1.0])).log_prob(
            T.tensor([1.5])
        ),
        lambda T: T.distributions.InverseGamma(T.tensor([-1.0]), T.tensor([1.0])),
        lambda T: T.distributions.ContinuousBernoulli(T.tensor([1.5]), validate_args=True),
        lambda T: T.distributions.FisherSnedecor(T.tensor([1.0]), T.tensor([0.0])),
        lambda T: T.distributions.VonMises(T.tensor([0.0]), T.tensor([-1.0])),
        lambda T: T.distributions.GeneralizedPareto(0.0, 1.0, -0.5).log_prob(T.tensor(3.0)),
        lambda T: T.distributions.LKJCholesky(1),
        lambda T: T.distributions.LKJCholesky(2, T.tensor([0.0])),
        lambda T: T.distributions.Wishart(T.tensor(1.0), T.eye(3)),
        lambda T: T.distributions.Wishart(4.0, T.tensor([[1.0, 2.0], [2.0, 1.0]])),
        lambda T: T.distributions.Gumbel(T.tensor([0.0]), T.tensor([-1.0])),
        lambda T: T.distributions.TransformedDistribution(T.distributions.Normal(0.0, 1.0), 3),
    ],
)
def test_validation_errors_match_pytorch_wording(fn):
    messages = []
    for lib in (torch, tl):
        with pytest.raises(ValueError) as info:
            fn(lib)
        messages.append(str(info.value))
    assert messages[1] == messages[0]


def test_print_shows_pytorchs_text():
    for make in (
        lambda T: T.distributions.Laplace(T.tensor([0.0]), T.tensor([1.0])),
        lambda T: T.distributions.Binomial(5, T.tensor([0.2, 0.3])),
        lambda T: T.distributions.Multinomial(4, T.tensor([0.2, 0.8])),
        lambda T: T.distributions.MixtureSameFamily(
            T.distributions.Categorical(T.ones(2)), T.distributions.Normal(T.zeros(2), 1.0)
        ),
        lambda T: T.distributions.LKJCholesky(3, 0.5),
        lambda T: T.distributions.Wishart(T.tensor(4.0), T.eye(2)),
        lambda T: T.distributions.StudentT(3.0),
    ):
        assert str(make(tl)) == str(make(torch))


def test_kl_between_different_exponential_families_names_bregman():
    messages = []
    for lib in (torch, tl):
        D = lib.distributions
        with pytest.raises(NotImplementedError) as info:
            D.kl_divergence(D.Normal(0.0, 1.0), D.Poisson(lib.tensor(1.0)))
        messages.append(str(info.value))
    assert messages[1] == messages[0]


def test_entropy_and_enumerate_support_of_binomial_need_one_total_count():
    for lib in (torch, tl):
        d = lib.distributions.Binomial(lib.tensor([3.0, 4.0]), lib.tensor([0.5, 0.5]))
        with pytest.raises(NotImplementedError, match="Inhomogeneous total count"):
            d.entropy()
    d = tl.distributions.Binomial(3, tl.tensor([0.2, 0.7]))
    p = torch.distributions.Binomial(3, torch.tensor([0.2, 0.7]))
    _same(p.enumerate_support(), d.enumerate_support())
    _same(p.entropy(), d.entropy())
