"""kl_divergence against PyTorch for the registered pairs; register_kl dispatch and errors."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


def f32(*v):
    return np.array(v, np.float32)


COV1 = np.array([[2.0, 0.5], [0.5, 1.0]], np.float32)
COV2 = np.array([[1.0, -0.3], [-0.3, 0.5]], np.float32)

PAIRS = {
    "normal": (
        lambda D, a, b, c, d: (D.Normal(a, b), D.Normal(c, d)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1), f32(2, 0.3)],
    ),
    "categorical": (
        lambda D, a, b: (D.Categorical(a), D.Categorical(logits=b)),
        [f32([0.2, 0.3, 0.5], [0.0, 0.5, 0.5]), f32([1.0, 0.0, -1.0], [0.3, 0.2, 0.1])],
    ),
    "categorical_zero_q": (
        lambda D, a, b: (D.Categorical(a), D.Categorical(b)),
        [f32(0.2, 0.8, 0.0), f32(0.5, 0.0, 0.5)],
    ),
    "bernoulli": (
        lambda D, a, b: (D.Bernoulli(a), D.Bernoulli(b)),
        [f32(0.2, 0.9, 0.0, 1.0), f32(0.5, 0.1, 0.3, 0.7)],
    ),
    "bernoulli_edges": (
        lambda D, a, b: (D.Bernoulli(a), D.Bernoulli(b)),
        [f32(0.2, 0.9), f32(0.0, 1.0)],
    ),
    "mvn": (
        lambda D, a, b, c, d: (D.MultivariateNormal(a, b), D.MultivariateNormal(c, scale_tril=d)),
        [f32(0, 1), COV1, f32([1, 0], [0, 0], [2, 2]), np.linalg.cholesky(COV2).astype(np.float32)],
    ),
    "independent": (
        lambda D, a, b, c, d: (D.Independent(D.Normal(a, b), 1), D.Independent(D.Normal(c, d), 1)),
        [f32([0, 1], [2, 3]), f32([1, 2], [0.5, 1]), f32([1, 1], [1, 1]), f32([2, 2], [1, 1])],
    ),
    "uniform": (
        lambda D, a, b, c, d: (D.Uniform(a, b), D.Uniform(c, d)),
        [f32(0, 0), f32(1, 1), f32(-1, 0.5), f32(2, 3)],
    ),
    "beta": (
        lambda D, a, b, c, d: (D.Beta(a, b), D.Beta(c, d)),
        [f32(2, 0.5), f32(3, 1.5), f32(1, 4), f32(1, 2)],
    ),
    "gamma": (
        lambda D, a, b, c, d: (D.Gamma(a, b), D.Gamma(c, d)),
        [f32(2, 0.5), f32(3, 1.5), f32(1, 4), f32(1, 2)],
    ),
    "dirichlet": (
        lambda D, a, b: (D.Dirichlet(a), D.Dirichlet(b)),
        [f32(1, 2, 3), f32(0.5, 0.5, 4)],
    ),
    "exponential": (lambda D, a, b: (D.Exponential(a), D.Exponential(b)), [f32(1, 2), f32(3, 0.5)]),
    "poisson": (lambda D, a, b: (D.Poisson(a), D.Poisson(b)), [f32(1, 2), f32(3, 0.5)]),
    "onehot": (
        lambda D, a, b: (D.OneHotCategorical(a), D.OneHotCategorical(b)),
        [f32(0.2, 0.3, 0.5), f32(0.6, 0.2, 0.2)],
    ),
    "exponential_gamma": (
        lambda D, a, b, c: (D.Exponential(a), D.Gamma(b, c)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "gamma_exponential": (
        lambda D, a, b, c: (D.Gamma(b, c), D.Exponential(a)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "exponential_normal": (
        lambda D, a, b, c: (D.Exponential(a), D.Normal(b, c)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "normal_uniform": (
        lambda D, a, b, c: (D.Normal(a, b), D.Uniform(c, c + 1)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "uniform_normal": (
        lambda D, a, b, c: (D.Uniform(a, a + 2), D.Normal(b, c)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "beta_normal": (
        lambda D, a, b, c: (D.Beta(a, b), D.Normal(b, c)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "bernoulli_poisson": (
        lambda D, a, b: (D.Bernoulli(a), D.Poisson(b)),
        [f32(0.2, 0.7), f32(3, 0.5)],
    ),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_kl_divergence_and_its_gradient_match_pytorch(name):
    builder, params = PAIRS[name]
    outs = []
    for lib in (torch, tl):
        ts = [lib.tensor(p, requires_grad=True) for p in params]
        kl = lib.distributions.kl_divergence(*builder(lib.distributions, *ts))
        finite = lib.isfinite(kl)
        if kl.requires_grad:
            lib.where(finite, kl, lib.zeros_like(kl)).sum().backward()
        outs.append((kl, ts))
    (kp, pp), (kt, tp) = outs
    assert tuple(kt.shape) == tuple(kp.shape)
    np.testing.assert_allclose(kt.detach().numpy(), kp.detach().numpy(), rtol=1e-4, atol=1e-5)
    for a, b in zip(pp, tp):
        ga = np.zeros(a.shape, np.float32) if a.grad is None else a.grad.numpy()
        gb = np.zeros(b.shape, np.float32) if b.grad is None else b.grad.numpy()
        np.testing.assert_allclose(gb, ga, rtol=1e-3, atol=1e-4)


def test_kl_of_a_distribution_with_itself_is_zero():
    D = tl.distributions
    p = D.MultivariateNormal(tl.zeros(3), tl.eye(3) * 2)
    np.testing.assert_allclose(D.kl_divergence(p, p).numpy(), 0.0, atol=1e-6)


def test_unregistered_pair_raises_pytorchs_error():
    for lib in (torch, tl):
        D = lib.distributions
        with pytest.raises(
            NotImplementedError,
            match="No KL\\(p \\|\\| q\\) is implemented for p type Categorical and q type Normal",
        ):
            D.kl_divergence(D.Categorical(lib.tensor([0.5, 0.5])), D.Normal(0.0, 1.0))


def test_register_kl_adds_a_pair_and_the_most_specific_one_wins():
    D = tl.distributions

    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl_mine(p, q):
        return tl.tensor(42.0)

    p, q = MyNormal(0.0, 1.0), D.Normal(1.0, 1.0)
    assert D.kl_divergence(p, q).item() == 42.0
    # the generic Normal/Normal rule still serves the plain classes
    assert abs(D.kl_divergence(q, p).item() - 0.5) < 1e-6
    assert abs(D.kl_divergence(MyNormal(0.0, 1.0), MyNormal(1.0, 1.0)).item() - 42.0) < 1e-6


def test_vae_kl_against_standard_normal_matches_the_closed_form():
    mu = tl.tensor([[0.5, -1.0], [0.0, 2.0]])
    logvar = tl.tensor([[0.1, -0.3], [0.0, 0.5]])
    std = (0.5 * logvar).exp()
    kl = tl.distributions.kl_divergence(
        tl.distributions.Normal(mu, std), tl.distributions.Normal(0.0, 1.0)
    ).sum()
    closed = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum()
    np.testing.assert_allclose(kl.item(), closed.item(), rtol=1e-5)
