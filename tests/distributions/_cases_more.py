"""The families added after the first set: builders shared by PyTorch and torchlike, parameters
as NumPy arrays, a value for log_prob/cdf, and (optionally) probabilities for icdf."""

from __future__ import annotations

import numpy as np


def f32(*v):
    return np.array(v, np.float32)


COV = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 0.8]], np.float32)
W = np.array([[1.0, 0.2], [0.3, -0.5], [0.0, 0.7]], np.float32)
CORR_L = np.linalg.cholesky(
    np.array([[1.0, 0.3, -0.2], [0.3, 1.0, 0.4], [-0.2, 0.4, 1.0]], np.float32)
).astype(np.float32)

# name -> (builder(D, *params), params, value, icdf probabilities or None)
MORE = {
    "laplace": (
        lambda D, m, s: D.Laplace(m, s),
        [f32(0.0, 1.0, -2.0), f32(1.0, 0.5, 2.0)],
        f32(0.3, 1.2, -1.0),
        f32(0.1, 0.5, 0.8),
    ),
    "log_normal": (
        lambda D, m, s: D.LogNormal(m, s),
        [f32(0.0, 1.0, -0.5), f32(1.0, 0.5, 0.3)],
        f32(0.3, 2.2, 0.6),
        f32(0.1, 0.5, 0.8),
    ),
    "half_normal": (
        lambda D, s: D.HalfNormal(s),
        [f32(1.0, 0.5, 2.0)],
        f32(0.3, 1.2, 0.0),
        f32(0.1, 0.5, 0.8),
    ),
    "cauchy": (
        lambda D, m, s: D.Cauchy(m, s),
        [f32(0.0, 1.0, -2.0), f32(1.0, 0.5, 2.0)],
        f32(0.3, 1.2, -1.0),
        f32(0.1, 0.5, 0.8),
    ),
    "half_cauchy": (
        lambda D, s: D.HalfCauchy(s),
        [f32(1.0, 0.5, 2.0)],
        f32(0.3, 1.2, 4.0),
        f32(0.1, 0.5, 0.8),
    ),
    "student_t": (
        lambda D, df, m, s: D.StudentT(df, m, s),
        [f32(0.8, 1.5, 5.0), f32(0.0, 1.0, -1.0), f32(1.0, 2.0, 0.5)],
        f32(0.3, 1.2, -1.0),
        None,
    ),
    "chi2": (lambda D, df: D.Chi2(df), [f32(1.0, 2.5, 6.0)], f32(0.5, 2.0, 7.0), None),
    "gumbel": (
        lambda D, m, s: D.Gumbel(m, s),
        [f32(0.0, 1.0, -2.0), f32(1.0, 0.5, 2.0)],
        f32(0.3, 1.2, -1.0),
        f32(0.1, 0.5, 0.8),
    ),
    "gumbel_scalar": (lambda D: D.Gumbel(1.0, 2.0), [], f32(0.5), f32(0.3)),
    "geometric_probs": (
        lambda D, p: D.Geometric(p),
        [f32(0.2, 0.7, 1.0)],
        f32(3.0, 0.0, 0.0),
        None,
    ),
    "binomial": (
        lambda D, n, p: D.Binomial(n, p),
        [f32(10.0, 10.0, 10.0), f32(0.2, 0.5, 0.9)],
        f32(2.0, 5.0, 10.0),
        None,
    ),
    "multinomial": (
        lambda D, p: D.Multinomial(6, p),
        [f32([0.2, 0.3, 0.5], [0.1, 0.6, 0.3])],
        f32([1.0, 2.0, 3.0], [0.0, 6.0, 0.0]),
        None,
    ),
    "negative_binomial": (
        lambda D, n, p: D.NegativeBinomial(n, p),
        [f32(3.0, 5.5, 1.0), f32(0.2, 0.5, 0.7)],
        f32(2.0, 0.0, 7.0),
        None,
    ),
    "mixture_normal": (
        lambda D, w, m, s: D.MixtureSameFamily(D.Categorical(w), D.Normal(m, s)),
        [f32([0.3, 0.7], [0.5, 0.5]), f32([0.0, 2.0], [-1.0, 1.0]), f32([1.0, 0.5], [0.3, 2.0])],
        f32(0.5, -0.2),
        None,
    ),
    "lowrank_mvn": (
        lambda D, m, w, d: D.LowRankMultivariateNormal(m, w, d),
        [f32([0.5, -1.0, 2.0], [0.0, 0.0, 0.0]), W, f32(1.0, 0.5, 2.0)],
        f32(0.3, 0.2, 1.0),
        None,
    ),
    "weibull": (
        lambda D, s, c: D.Weibull(s, c),
        [f32(1.0, 2.0, 0.5), f32(0.5, 1.5, 3.0)],
        f32(0.3, 1.2, 0.6),
        f32(0.1, 0.5, 0.8),
    ),
    "pareto": (
        lambda D, s, a: D.Pareto(s, a),
        [f32(1.0, 2.0, 0.5), f32(0.8, 1.5, 3.0)],
        f32(1.3, 2.2, 0.6),
        f32(0.1, 0.5, 0.8),
    ),
    "kumaraswamy": (
        lambda D, a, b: D.Kumaraswamy(a, b),
        [f32(0.5, 2.0, 5.0), f32(1.5, 0.7, 3.0)],
        f32(0.3, 0.9, 0.5),
        f32(0.1, 0.5, 0.8),
    ),
    "inverse_gamma": (
        lambda D, a, r: D.InverseGamma(a, r),
        [f32(0.5, 2.0, 5.0), f32(1.0, 0.5, 3.0)],
        f32(0.3, 2.0, 1.7),
        None,
    ),
    "continuous_bernoulli": (
        lambda D, p: D.ContinuousBernoulli(p),
        [f32(0.2, 0.5, 0.9)],
        f32(0.3, 0.6, 0.95),
        f32(0.1, 0.5, 0.8),
    ),
    "fisher_snedecor": (
        lambda D, a, b: D.FisherSnedecor(a, b),
        [f32(1.0, 3.0, 6.0), f32(1.5, 4.5, 10.0)],
        f32(0.3, 2.0, 1.7),
        None,
    ),
    "von_mises": (
        lambda D, m, k: D.VonMises(m, k),
        [f32(0.0, 1.0, -2.0), f32(0.5, 2.0, 10.0)],
        f32(0.3, 1.2, -1.0),
        None,
    ),
    "generalized_pareto": (
        lambda D, m, s, c: D.GeneralizedPareto(m, s, c),
        [f32(0.0, 1.0, -1.0), f32(1.0, 0.5, 2.0), f32(0.0, 0.3, -0.2)],
        f32(0.3, 1.2, 0.0),
        f32(0.1, 0.5, 0.8),
    ),
    "logistic_normal": (
        lambda D, m, s: D.LogisticNormal(m, s),
        [f32([0.0, 1.0], [-1.0, 0.5]), f32([1.0, 0.5], [0.3, 2.0])],
        f32([0.2, 0.3, 0.5], [0.1, 0.6, 0.3]),
        None,
    ),
    "lkj_cholesky": (lambda D, c: D.LKJCholesky(3, c), [f32(0.5, 2.0)], CORR_L, None),
    "wishart": (
        lambda D, df, c: D.Wishart(df, covariance_matrix=c),
        [f32(4.0, 6.5), COV],
        COV * 1.5,
        None,
    ),
    "transformed_sigmoid_affine": (
        lambda D, m, s: D.TransformedDistribution(
            D.Normal(m, s), [D.SigmoidTransform(), D.AffineTransform(1.0, -2.0)]
        ),
        [f32(0.0, 1.0), f32(1.0, 0.5)],
        f32(0.3, -0.5),
        f32(0.2, 0.7),
    ),
}


def build(lib, name, requires_grad=False):
    builder, params = MORE[name][:2]
    tensors = [lib.tensor(p, requires_grad=requires_grad and p.dtype.kind == "f") for p in params]
    return builder(lib.distributions, *tensors), tensors


def value(lib, name):
    return lib.tensor(MORE[name][2])
