"""Shared table: each distribution built the same way on PyTorch and torchlike from NumPy parameters."""

from __future__ import annotations

import numpy as np

RNG = np.random.default_rng(0)

P3 = np.array([0.2, 0.3, 0.5], np.float32)
PB = np.array([[0.1, 0.6, 0.3], [0.25, 0.25, 0.5]], np.float32)
COV = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 0.8]], np.float32)
TRIL = np.array([[1.0, 0.0, 0.0], [0.3, 0.7, 0.0], [-0.2, 0.4, 1.5]], np.float32)


def f32(*v):
    return np.array(v, np.float32)


# name -> (builder(D, *params), params, value for log_prob / cdf)
CASES = {
    "normal": (
        lambda D, m, s: D.Normal(m, s),
        [f32(0.0, 1.0, -2.0), f32(1.0, 0.5, 2.0)],
        f32(0.3, 1.2, -1.0),
    ),
    "normal_scalar": (lambda D: D.Normal(0.5, 2.0), [], f32(0.7)),
    "uniform": (
        lambda D, lo, hi: D.Uniform(lo, hi),
        [f32(0.0, -1.0), f32(2.0, 3.0)],
        f32(0.5, 2.5),
    ),
    "bernoulli_probs": (lambda D, p: D.Bernoulli(p), [f32(0.2, 0.7, 0.5)], f32(1.0, 0.0, 1.0)),
    "bernoulli_logits": (
        lambda D, lg: D.Bernoulli(logits=lg),
        [f32(-1.0, 0.3, 2.0)],
        f32(0.0, 1.0, 1.0),
    ),
    "categorical_probs": (lambda D, p: D.Categorical(p), [P3 * 3], np.array(2)),
    "categorical_logits": (lambda D, lg: D.Categorical(logits=lg), [PB * 4 - 1], np.array([0, 2])),
    "onehot": (lambda D, p: D.OneHotCategorical(p), [PB], f32([0, 1, 0], [0, 0, 1])),
    "exponential": (lambda D, r: D.Exponential(r), [f32(0.5, 2.0)], f32(1.5, 0.2)),
    "gamma": (
        lambda D, a, r: D.Gamma(a, r),
        [f32(0.5, 2.0, 5.0), f32(1.0, 0.5, 3.0)],
        f32(0.3, 2.0, 1.7),
    ),
    "beta": (
        lambda D, a, b: D.Beta(a, b),
        [f32(0.5, 2.0, 5.0), f32(1.5, 0.7, 3.0)],
        f32(0.3, 0.9, 0.5),
    ),
    "beta_scalar": (lambda D: D.Beta(2.0, 3.0), [], f32(0.25)),
    "dirichlet": (
        lambda D, c: D.Dirichlet(c),
        [f32([1.0, 2.0, 3.0], [0.5, 0.7, 4.0])],
        f32([0.2, 0.3, 0.5], [0.1, 0.1, 0.8]),
    ),
    "poisson": (lambda D, r: D.Poisson(r), [f32(0.5, 3.0, 10.0)], f32(0.0, 2.0, 12.0)),
    "mvn_cov": (
        lambda D, m, c: D.MultivariateNormal(m, covariance_matrix=c),
        [f32(0.5, -1.0, 2.0), COV],
        f32([0.3, 0.2, 1.0], [1.0, -1.0, 2.0]),
    ),
    "mvn_tril": (
        lambda D, m, L: D.MultivariateNormal(m, scale_tril=L),
        [f32([0.5, -1.0, 2.0], [0, 0, 0]), TRIL],
        f32(0.3, 0.2, 1.0),
    ),
    "mvn_precision": (
        lambda D, m, P: D.MultivariateNormal(m, precision_matrix=P),
        [f32(0.0, 1.0, 0.0), COV],
        f32(0.3, 0.2, 1.0),
    ),
    "independent": (
        lambda D, m, s: D.Independent(D.Normal(m, s), 1),
        [f32([0, 1], [2, 3]), f32([1, 2], [0.5, 1])],
        f32([0.1, 0.2], [1.0, 2.0]),
    ),
    "relaxed_bernoulli": (
        lambda D, t, p: D.RelaxedBernoulli(t, probs=p),
        [f32(0.5), f32(0.2, 0.7)],
        f32(0.3, 0.9),
    ),
    "logit_relaxed_bernoulli": (
        lambda D, t, lg: D.relaxed_bernoulli.LogitRelaxedBernoulli(t, logits=lg),
        [f32(0.7), f32(-1.0, 2.0)],
        f32(0.3, -0.5),
    ),
    "relaxed_onehot": (
        lambda D, t, p: D.RelaxedOneHotCategorical(t, probs=p),
        [f32(0.5), PB],
        f32([0.2, 0.3, 0.5], [0.1, 0.1, 0.8]),
    ),
    "exp_relaxed_categorical": (
        lambda D, t, lg: D.relaxed_categorical.ExpRelaxedCategorical(t, logits=lg),
        [f32(0.8), PB],
        np.log(f32([0.2, 0.3, 0.5], [0.1, 0.1, 0.8])),
    ),
}


def build(lib, name, requires_grad=False):
    """(distribution, parameter tensors) on ``lib`` (torch or torchlike)."""
    builder, params, _ = CASES[name]
    tensors = [lib.tensor(p, requires_grad=requires_grad and p.dtype.kind == "f") for p in params]
    return builder(lib.distributions, *tensors), tensors


def value(lib, name):
    return lib.tensor(CASES[name][2])
