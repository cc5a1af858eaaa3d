"""Each family against PyTorch on the same parameters: log_prob, entropy, moments, cdf/icdf,
their gradients, shapes and dtypes of samples, and sample statistics."""

from __future__ import annotations

import numpy as np
import pytest
from _cases import CASES, build, value

import torchlike as tl

torch = pytest.importorskip("torch")

STATS = ("mean", "variance", "stddev", "mode")


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def _both(name, fn, requires_grad=False):
    """fn(dist, lib) on both libraries; returns ((torch out, torch params), (tl out, tl params)) or
    asserts both raise the same exception type."""
    results = []
    for lib in (torch, tl):
        dist, params = build(lib, name, requires_grad)
        try:
            results.append(("ok", fn(dist, lib), params))
        except (NotImplementedError, ValueError, RuntimeError) as e:
            results.append(("raise", type(e), None))
    (kp, p, pp), (kt, t, tp) = results
    assert kp == kt, f"{name}: torch {kp} {p}, torchlike {kt} {t}"
    if kp == "raise":
        assert p is t or issubclass(t, p), (p, t)
        return None
    return (p, pp), (t, tp)


def _close(p, t, rtol=1e-5, atol=1e-5):
    assert tuple(p.shape) == tuple(t.shape)
    assert str(p.dtype) == str(t.dtype)
    np.testing.assert_allclose(_np(t), _np(p), rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_prob_and_its_gradient_match_pytorch(name):
    out = _both(name, lambda d, lib: d.log_prob(value(lib, name)), requires_grad=True)
    (p, pp), (t, tp) = out
    _close(p, t, rtol=2e-5, atol=2e-5)
    assert t.requires_grad == p.requires_grad
    if not p.requires_grad:
        return
    p.sum().backward()
    t.sum().backward()
    for a, b in zip(pp, tp):
        if a.requires_grad:
            np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", sorted(CASES))
def test_entropy_matches_pytorch(name):
    out = _both(name, lambda d, lib: d.entropy(), requires_grad=True)
    if out is not None:
        (p, pp), (t, tp) = out
        _close(p, t, rtol=2e-5, atol=2e-5)
        if not p.requires_grad:
            return
        p.sum().backward()
        t.sum().backward()
        for a, b in zip(pp, tp):
            if a.requires_grad and a.grad is not None:
                np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("stat", STATS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_moments_and_mode_match_pytorch(name, stat):
    out = _both(name, lambda d, lib: getattr(d, stat))
    if out is not None:
        _close(out[0][0], out[1][0])


@pytest.mark.parametrize("method", ["cdf", "icdf"])
@pytest.mark.parametrize("name", ["normal", "normal_scalar", "uniform", "exponential", "gamma"])
def test_cdf_and_icdf_match_pytorch(name, method):
    if name == "gamma" and not hasattr(tl, "igamma"):
        pytest.skip("torchlike.igamma not available")

    def fn(d, lib):
        v = value(lib, name)
        if method == "icdf":
            v = lib.tensor(np.clip(CASES[name][2], 0.05, 0.95) if name != "uniform" else [0.1, 0.7])
        return getattr(d, method)(v)

    out = _both(name, fn)
    if out is not None:
        _close(out[0][0], out[1][0], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_shapes_support_and_flags_match_pytorch(name):
    p, _ = build(torch, name)
    t, _ = build(tl, name)
    assert tuple(t.batch_shape) == tuple(p.batch_shape)
    assert tuple(t.event_shape) == tuple(p.event_shape)
    assert t.has_rsample == p.has_rsample
    assert t.has_enumerate_support == p.has_enumerate_support
    assert repr(t.support) == repr(p.support)
    assert repr(t) == repr(p)
    for shape in [(), (4,), (2, 3)]:
        sp, st = p.sample(shape), t.sample(shape)
        assert tuple(st.shape) == tuple(sp.shape)
        assert str(st.dtype) == str(sp.dtype)
        assert bool(t.support.check(st).all())
        assert not st.requires_grad


@pytest.mark.parametrize("name", sorted(CASES))
def test_expand_matches_pytorch(name):
    p, _ = build(torch, name)
    t, _ = build(tl, name)
    shape = (2,) + tuple(p.batch_shape)
    pe, te = p.expand(shape), t.expand(torch.Size(shape) if False else shape)
    assert tuple(te.batch_shape) == tuple(pe.batch_shape)
    assert repr(te) == repr(pe)
    v = CASES[name][2]
    _close(pe.log_prob(torch.tensor(v)), te.log_prob(tl.tensor(v)), rtol=2e-5, atol=2e-5)
    assert tuple(te.sample().shape) == tuple(pe.sample().shape)


# sample statistics: (name, expected mean, expected variance) from PyTorch's closed forms
@pytest.mark.parametrize(
    "name",
    [
        "normal",
        "uniform",
        "bernoulli_probs",
        "exponential",
        "gamma",
        "beta",
        "dirichlet",
        "poisson",
        "mvn_cov",
        "mvn_tril",
        "onehot",
        "independent",
    ],
)
def test_sample_mean_and_variance_agree_with_the_law(name):
    tl.manual_seed(0)
    d, _ = build(tl, name)
    p, _ = build(torch, name)
    x = d.sample((20000,)).numpy()
    mean, var = p.mean.numpy(), p.variance.numpy()
    sd = np.sqrt(var / 20000)
    assert np.all(np.abs(x.mean(0) - mean) < 5 * sd + 1e-3), (x.mean(0), mean)
    np.testing.assert_allclose(x.var(0), var, rtol=0.08, atol=1e-3)


def test_categorical_sample_frequencies_follow_probs():
    tl.manual_seed(0)
    d = tl.distributions.Categorical(tl.tensor([[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]]))
    x = d.sample((20000,)).numpy()
    assert x.dtype == np.int64 and x.shape == (20000, 2)
    np.testing.assert_allclose(
        np.bincount(x[:, 0], minlength=3) / 20000, [0.1, 0.6, 0.3], atol=0.015
    )
    assert not (x[:, 1] == 1).any()


def test_mvn_sample_covariance():
    tl.manual_seed(0)
    cov = CASES["mvn_cov"][1][1]
    d = tl.distributions.MultivariateNormal(tl.zeros(3), tl.tensor(cov))
    x = d.sample((20000,)).numpy()
    np.testing.assert_allclose(np.cov(x.T), cov, atol=0.06)


@pytest.mark.parametrize(
    "name",
    [
        "normal",
        "gamma",
        "beta",
        "dirichlet",
        "mvn_tril",
        "exponential",
        "uniform",
        "relaxed_bernoulli",
        "relaxed_onehot",
    ],
)
def test_rsample_carries_gradient_to_the_parameters(name):
    d, params = build(tl, name, requires_grad=True)
    x = d.rsample((500,))
    assert x.requires_grad
    x.sum().backward()
    grads = [p.grad for p in params if p.requires_grad]
    assert grads and all(g is not None and np.isfinite(g.numpy()).all() for g in grads)


def test_rsample_gradient_of_the_mean_is_the_mean_gradient():
    """E[d x / d theta] from implicit reparameterisation equals d E[x] / d theta."""
    tl.manual_seed(0)
    for lib in (tl,):
        a = lib.tensor([2.0], requires_grad=True)
        lib.distributions.Gamma(a, lib.tensor([0.5])).rsample((40000,)).mean().backward()
        np.testing.assert_allclose(a.grad.numpy(), [2.0], rtol=0.05)  # d(a/r)/da = 1/r
        c = lib.tensor([2.0, 3.0], requires_grad=True)
        lib.distributions.Beta(c[0], c[1]).rsample((40000,)).mean().backward()
        # d/da a/(a+b) = b/(a+b)^2 = 0.12, d/db = -a/(a+b)^2 = -0.08
        np.testing.assert_allclose(c.grad.numpy(), [0.12, -0.08], atol=0.01)


def test_manual_seed_makes_sampling_reproducible():
    d = tl.distributions.Normal(tl.zeros(5), tl.ones(5))
    tl.manual_seed(3)
    a = d.sample((2,)).numpy()
    tl.manual_seed(3)
    b = d.sample((2,)).numpy()
    c = d.sample((2,)).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(b, c)


def test_categorical_entropy_with_minus_inf_logits_is_finite():
    lg = [0.0, float("-inf"), 1.0]
    p = torch.distributions.Categorical(logits=torch.tensor(lg)).entropy()
    t = tl.distributions.Categorical(logits=tl.tensor(lg)).entropy()
    assert np.isfinite(t.item())
    np.testing.assert_allclose(t.item(), p.item(), rtol=1e-6)


def test_categorical_normalises_probs_and_logits():
    t = tl.distributions.Categorical(tl.tensor([1.0, 3.0]))
    np.testing.assert_allclose(t.probs.numpy(), [0.25, 0.75])
    t = tl.distributions.Categorical(logits=tl.tensor([1.0, 3.0]))
    p = torch.distributions.Categorical(logits=torch.tensor([1.0, 3.0]))
    np.testing.assert_allclose(t.logits.numpy(), p.logits.numpy(), rtol=1e-6)
    np.testing.assert_allclose(t.probs.numpy(), p.probs.numpy(), rtol=1e-6)


def test_enumerate_support_matches_pytorch():
    for name in ["categorical_logits", "bernoulli_probs", "onehot"]:
        p, _ = build(torch, name)
        t, _ = build(tl, name)
        for expand in (True, False):
            _close(p.enumerate_support(expand), t.enumerate_support(expand))


def test_float64_parameters_give_float64_results():
    d = tl.distributions.Normal(tl.zeros(2, dtype=tl.float64), tl.ones(2, dtype=tl.float64))
    assert d.sample().dtype == tl.float64
    assert d.log_prob(tl.zeros(2, dtype=tl.float64)).dtype == tl.float64


def test_torch_poisson_draws_follow_the_rate():
    tl.manual_seed(0)
    rate = tl.tensor([0.5, 4.0, 30.0]).expand(20000, 3)
    x = tl.poisson(rate).numpy()
    assert x.dtype == np.float32 and (x == np.round(x)).all()
    np.testing.assert_allclose(x.mean(0), [0.5, 4.0, 30.0], rtol=0.03)
    np.testing.assert_allclose(x.var(0), [0.5, 4.0, 30.0], rtol=0.08)


@pytest.mark.parametrize(
    "make",
    [
        lambda T: T.distributions.Normal(T.zeros(3), T.ones(3)),
        lambda T: T.distributions.Categorical(T.tensor([0.2, 0.3, 0.5])),
        lambda T: T.distributions.OneHotCategorical(T.tensor([0.2, 0.8])),
        lambda T: T.distributions.Bernoulli(T.tensor([0.3, 0.6])),
        lambda T: T.distributions.Uniform(0.0, 2.0),
        lambda T: T.distributions.Exponential(T.tensor([1.5, 0.5])),
        lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.eye(2)),
    ],
)
def test_samples_follow_pytorchs_cpu_stream(make):
    # the draws go through PyTorch's samplers (randn, multinomial, bernoulli, exponential_, ...)
    out = []
    for lib in (torch, tl):
        lib.manual_seed(3)
        d = make(lib)
        out.append((d.sample((2,)).numpy(), lib.rand(1).item()))
    np.testing.assert_allclose(out[1][0], out[0][0], rtol=1e-6)
    assert out[1][1] == out[0][1]
