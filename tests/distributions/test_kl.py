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


LOWRANK = (f32([1.0, 0.2], [0.3, -0.5]), f32(1.0, 0.5))
MORE_PAIRS = {
    "laplace": (
        lambda D, a, b, c, d: (D.Laplace(a, b), D.Laplace(c, d)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1), f32(2, 0.3)],
    ),
    "gumbel": (
        lambda D, a, b, c, d: (D.Gumbel(a, b), D.Gumbel(c, d)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1), f32(2, 0.3)],
    ),
    "cauchy": (
        lambda D, a, b, c, d: (D.Cauchy(a, b), D.Cauchy(c, d)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1), f32(2, 0.3)],
    ),
    "half_normal": (lambda D, a, b: (D.HalfNormal(a), D.HalfNormal(b)), [f32(1, 2), f32(3, 0.5)]),
    "log_normal_transformed": (
        lambda D, a, b, c, d: (D.LogNormal(a, b), D.LogNormal(c, d)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1), f32(2, 0.3)],
    ),
    "geometric": (
        lambda D, a, b: (D.Geometric(a), D.Geometric(b)),
        [f32(0.2, 0.7), f32(0.5, 0.1)],
    ),
    "binomial": (
        lambda D, a, b: (D.Binomial(5, a), D.Binomial(5, b)),
        [f32(0.2, 0.7), f32(0.5, 0.1)],
    ),
    "binomial_more_trials": (
        lambda D, a, b: (D.Binomial(a * 0 + 6, b), D.Binomial(a * 0 + 5, b)),
        [f32(0.2, 0.7), f32(0.5, 0.1)],
    ),
    "pareto": (
        lambda D, a, b, c, d: (D.Pareto(a, b), D.Pareto(c, d)),
        [f32(1, 2), f32(3, 0.5), f32(0.5, 3), f32(2, 0.3)],
    ),
    "continuous_bernoulli": (
        lambda D, a, b: (D.ContinuousBernoulli(a), D.ContinuousBernoulli(b)),
        [f32(0.2, 0.7), f32(0.5, 0.1)],
    ),
    "lowrank": (
        lambda D, m, w, d: (
            D.LowRankMultivariateNormal(m, w, d),
            D.LowRankMultivariateNormal(m * 0.5 + 1, w * 2, d + 1),
        ),
        [f32(0, 1), *LOWRANK],
    ),
    "mvn_lowrank": (
        lambda D, m, w, d: (
            D.MultivariateNormal(m, D.LowRankMultivariateNormal(m, w, d).covariance_matrix),
            D.LowRankMultivariateNormal(m * 0.5 + 1, w * 2, d + 1),
        ),
        [f32(0, 1), *LOWRANK],
    ),
    "lowrank_mvn": (
        lambda D, m, w, d: (
            D.LowRankMultivariateNormal(m, w, d),
            D.MultivariateNormal(
                m - 1, D.LowRankMultivariateNormal(m, w * 2, d + 1).covariance_matrix
            ),
        ),
        [f32(0, 1), *LOWRANK],
    ),
    "wishart_bregman": (
        lambda D, a, b, c1, c2: (D.Wishart(a, c1), D.Wishart(b, c2)),
        [f32(3.0), f32(4.5), COV1, COV2],
    ),
    "laplace_normal": (
        lambda D, a, b, c: (D.Laplace(a, b), D.Normal(c, b)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1)],
    ),
    "normal_laplace": (
        lambda D, a, b, c: (D.Normal(a, b), D.Laplace(c, b)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1)],
    ),
    "normal_gumbel": (
        lambda D, a, b, c: (D.Normal(a, b), D.Gumbel(c, b)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1)],
    ),
    "gumbel_normal": (
        lambda D, a, b, c: (D.Gumbel(a, b), D.Normal(c, b)),
        [f32(0, 1), f32(1, 2), f32(0.5, -1)],
    ),
    "gamma_normal": (
        lambda D, a, b, c: (D.Gamma(b, b), D.Normal(a, c)),
        [f32(0, 1), f32(1, 2), f32(0.5, 1)],
    ),
    "gamma_gumbel": (
        lambda D, a, b, c: (D.Gamma(b, c), D.Gumbel(a, c)),
        [f32(0, 1), f32(1, 2), f32(0.5, 1)],
    ),
    "exponential_gumbel": (
        lambda D, a, b: (D.Exponential(b), D.Gumbel(a, b)),
        [f32(0, 1), f32(1, 2)],
    ),
    "beta_gamma": (
        lambda D, a, b: (D.Beta(a, b), D.Gamma(b, a)),
        [f32(1, 2), f32(3, 0.5)],
    ),
    "beta_exponential": (
        lambda D, a, b: (D.Beta(a, b), D.Exponential(b)),
        [f32(1, 2), f32(3, 0.5)],
    ),
    "beta_uniform": (
        lambda D, a, b, lo: (D.Beta(a, b), D.Uniform(lo, lo + 2)),
        [f32(1, 2), f32(3, 0.5), f32(-1, 0.5)],
    ),
    "beta_continuous_bernoulli": (
        lambda D, a, b, p: (D.Beta(a, b), D.ContinuousBernoulli(p)),
        [f32(1, 2), f32(3, 0.5), f32(0.3, 0.8)],
    ),
    "continuous_bernoulli_normal": (
        lambda D, p, a, b: (D.ContinuousBernoulli(p), D.Normal(a, b)),
        [f32(0.3, 0.8), f32(1, 2), f32(3, 0.5)],
    ),
    "continuous_bernoulli_exponential": (
        lambda D, p, a: (D.ContinuousBernoulli(p), D.Exponential(a)),
        [f32(0.3, 0.8), f32(1, 2)],
    ),
    "uniform_beta": (
        lambda D, lo, a, b: (D.Uniform(lo, lo + 0.3), D.Beta(a, b)),
        [f32(0.2, 0.8), f32(1, 2), f32(3, 0.5)],
    ),
    "uniform_gamma": (
        lambda D, lo, a, b: (D.Uniform(lo, lo + 0.3), D.Gamma(a, b)),
        [f32(0.2, -0.8), f32(1, 2), f32(3, 0.5)],
    ),
    "uniform_gumbel": (
        lambda D, lo, a, b: (D.Uniform(lo, lo + 0.3), D.Gumbel(a, b)),
        [f32(0.2, -0.8), f32(1, 2), f32(3, 0.5)],
    ),
    "uniform_exponential": (
        lambda D, lo, a: (D.Uniform(lo, lo + 0.3), D.Exponential(a)),
        [f32(0.2, -0.8), f32(1, 2)],
    ),
    "uniform_pareto": (
        lambda D, lo, a, b: (D.Uniform(lo, lo + 0.3), D.Pareto(a, b)),
        [f32(1.2, 0.8), f32(1, 1), f32(3, 0.5)],
    ),
    "uniform_continuous_bernoulli": (
        lambda D, lo, p: (D.Uniform(lo, lo + 0.3), D.ContinuousBernoulli(p)),
        [f32(0.2, 0.8), f32(0.3, 0.6)],
    ),
    "pareto_exponential": (
        lambda D, s, a, r: (D.Pareto(s, a), D.Exponential(r)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "pareto_gamma": (
        lambda D, s, a, r: (D.Pareto(s, a), D.Gamma(r, r)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "pareto_normal": (
        lambda D, s, a, r: (D.Pareto(s, a), D.Normal(r, r)),
        [f32(1, 2), f32(3, 0.5), f32(1, 2)],
    ),
    "infinite_pairs": (
        lambda D, a, b: (D.Laplace(a, b), D.Pareto(b, b)),
        [f32(0, 1), f32(1, 2)],
    ),
    "poisson_binomial": (
        lambda D, a, b: (D.Poisson(a), D.Binomial(3, b)),
        [f32(1, 2), f32(0.5, 0.1)],
    ),
}


@pytest.mark.parametrize("name", sorted(MORE_PAIRS))
def test_kl_divergence_of_the_added_families_matches_pytorch(name):
    PAIRS[name] = MORE_PAIRS[name]
    try:
        test_kl_divergence_and_its_gradient_match_pytorch(name)
    finally:
        del PAIRS[name]


def test_kl_between_binomials_with_more_trials_in_q_is_not_implemented():
    for lib in (torch, tl):
        D = lib.distributions
        p, q = D.Binomial(3, lib.tensor([0.5])), D.Binomial(5, lib.tensor([0.5]))
        with pytest.raises(NotImplementedError, match="q.total_count > p.total_count"):
            D.kl_divergence(p, q)
