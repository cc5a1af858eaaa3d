"""The Distribution base: validation errors in PyTorch's words, the default-validation switch,
reprs, constraints, shape errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


def _message(lib, fn):
    with pytest.raises(ValueError) as info:
        fn(lib)
    return str(info.value)


@pytest.mark.parametrize(
    "fn",
    [
        lambda T: T.distributions.Categorical(T.tensor([0.2, -0.3, 0.5])),
        lambda T: T.distributions.Categorical(T.tensor([[0.2, 0.3], [0.5, float("nan")]])),
        lambda T: T.distributions.Normal(T.zeros(2), -T.ones(2)),
        lambda T: T.distributions.Normal(0.0, -1.0),
        lambda T: T.distributions.Bernoulli(T.tensor([0.2, 1.5])),
        lambda T: T.distributions.Bernoulli(0.3).log_prob(T.tensor(0.5)),
        lambda T: T.distributions.Categorical(T.tensor([0.2, 0.8])).log_prob(T.tensor(2)),
        lambda T: T.distributions.Normal(T.zeros(3), T.ones(3)).log_prob(T.zeros(2)),
        lambda T: T.distributions.Gamma(T.tensor([1.0, 0.0]), T.tensor([1.0, 1.0])),
        lambda T: T.distributions.Beta(T.tensor([1.0]), T.tensor([-1.0])),
        lambda T: T.distributions.Dirichlet(T.tensor([1.0, -2.0])),
        lambda T: T.distributions.Uniform(T.tensor([1.0]), T.tensor([0.0])),
        lambda T: T.distributions.Exponential(T.tensor([-1.0])),
        lambda T: T.distributions.Poisson(T.tensor([-1.0])),
        lambda T: T.distributions.MultivariateNormal(
            T.zeros(2), T.tensor([[1.0, 2.0], [2.0, 1.0]])
        ),
        lambda T: T.distributions.MultivariateNormal(
            T.zeros(2), scale_tril=T.tensor([[1.0, 1.0], [0.0, 1.0]])
        ),
        lambda T: T.distributions.OneHotCategorical(T.tensor([0.5, 0.5])).log_prob(
            T.tensor([1.0, 1.0])
        ),
        lambda T: T.distributions.Dirichlet(T.tensor([1.0, 2.0])).log_prob(T.tensor([0.3, 0.3])),
        lambda T: T.distributions.Independent(
            T.distributions.Normal(T.zeros(2, 3), T.ones(2, 3)), 3
        ),
        lambda T: T.distributions.Categorical(),
        lambda T: T.distributions.Categorical(T.tensor(0.5)),
        lambda T: T.distributions.MultivariateNormal(T.zeros(2)),
    ],
)
def test_validation_errors_match_pytorch_wording(fn):
    assert _message(tl, fn) == _message(torch, fn)


def test_validate_args_false_skips_the_checks():
    d = tl.distributions.Normal(tl.zeros(2), -tl.ones(2), validate_args=False)
    assert np.isnan(d.log_prob(tl.zeros(2)).numpy()).all()
    tl.distributions.Bernoulli(0.3, validate_args=False).log_prob(tl.tensor(0.5))


def test_set_default_validate_args_switches_validation_off_and_on():
    D = tl.distributions.Distribution
    try:
        D.set_default_validate_args(False)
        tl.distributions.Categorical(tl.tensor([0.2, -0.3, 0.5]))
        with pytest.raises(ValueError, match="satisfy the constraint"):
            tl.distributions.Categorical(tl.tensor([0.2, -0.3, 0.5]), validate_args=True)
    finally:
        D.set_default_validate_args(True)
    with pytest.raises(ValueError):
        tl.distributions.Categorical(tl.tensor([0.2, -0.3, 0.5]))
    with pytest.raises(ValueError):
        D.set_default_validate_args("yes")


@pytest.mark.parametrize(
    "fn",
    [
        lambda T: T.distributions.Normal(T.zeros(2), T.ones(2)),
        lambda T: T.distributions.Normal(0.0, 1.0),
        lambda T: T.distributions.Normal(T.tensor([0.5]), 2.0),
        lambda T: T.distributions.Categorical(T.tensor([0.2, 0.3, 0.5])),
        lambda T: T.distributions.Categorical(logits=T.zeros(4, 3)),
        lambda T: T.distributions.Bernoulli(logits=T.tensor(0.3)),
        lambda T: T.distributions.Beta(2.0, 3.0),
        lambda T: T.distributions.Gamma(T.ones(3), 2.0),
        lambda T: T.distributions.Dirichlet(T.ones(2, 3)),
        lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.eye(2)),
        lambda T: T.distributions.MultivariateNormal(T.zeros(3, 2), scale_tril=T.eye(2)),
        lambda T: T.distributions.Independent(
            T.distributions.Normal(T.zeros(3, 2), T.ones(3, 2)), 1
        ),
        lambda T: T.distributions.OneHotCategorical(T.tensor([0.5, 0.5])),
        lambda T: T.distributions.RelaxedBernoulli(T.tensor(0.5), T.tensor([0.5, 0.5])),
        lambda T: T.distributions.RelaxedOneHotCategorical(T.tensor(0.5), T.tensor([0.5, 0.5])),
        lambda T: T.distributions.Uniform(T.zeros(2), 1.0),
        lambda T: T.distributions.Exponential(T.ones(2)),
        lambda T: T.distributions.Poisson(3.0),
    ],
)
def test_repr_and_shapes_match_pytorch(fn):
    p, t = fn(torch), fn(tl)
    assert repr(t) == repr(p)
    assert str(t.batch_shape) == str(p.batch_shape)
    assert str(t.event_shape) == str(p.event_shape)
    assert repr(t.support) == repr(p.support)


def test_constraints_repr_and_checks_match_pytorch():
    C, P = tl.distributions.constraints, torch.distributions.constraints
    names = [
        "real",
        "positive",
        "nonnegative",
        "unit_interval",
        "simplex",
        "boolean",
        "one_hot",
        "nonnegative_integer",
        "positive_integer",
        "real_vector",
        "lower_cholesky",
        "positive_definite",
        "lower_triangular",
        "symmetric",
        "square",
        "corr_cholesky",
        "positive_semidefinite",
    ]
    for n in names:
        assert repr(getattr(C, n)) == repr(getattr(P, n)), n
        assert getattr(C, n).event_dim == getattr(P, n).event_dim, n
        assert getattr(C, n).is_discrete == getattr(P, n).is_discrete, n
    assert repr(C.interval(0, 2)) == repr(P.interval(0, 2))
    assert repr(C.greater_than(1.5)) == repr(P.greater_than(1.5))
    assert repr(C.half_open_interval(0.0, 1.0)) == repr(P.half_open_interval(0.0, 1.0))
    assert repr(C.integer_interval(0, 3)) == repr(P.integer_interval(0, 3))
    assert repr(C.independent(C.positive, 2)) == repr(P.independent(P.positive, 2))
    x = np.array([[0.2, 0.8], [0.5, 0.6], [-0.1, 1.1]], np.float32)
    for n in ["simplex", "positive", "unit_interval", "real_vector", "boolean"]:
        np.testing.assert_array_equal(
            getattr(C, n).check(tl.tensor(x)).numpy(), getattr(P, n).check(torch.tensor(x)).numpy()
        )
    m = np.array([[[2.0, 0.0], [1.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]], np.float32)
    for n in ["lower_cholesky", "positive_definite", "symmetric", "lower_triangular"]:
        np.testing.assert_array_equal(
            getattr(C, n).check(tl.tensor(m)).numpy(), getattr(P, n).check(torch.tensor(m)).numpy()
        )
    assert C.is_dependent(tl.distributions.Uniform.support)
    assert not C.is_dependent(C.real)


def test_sample_shape_accepts_size_tuple_and_list():
    d = tl.distributions.Normal(tl.zeros(3), tl.ones(3))
    assert d.sample(tl.Size([2, 4])).shape == (2, 4, 3)
    assert d.rsample([5]).shape == (5, 3)
    assert d.sample().shape == (3,)
    assert d._extended_shape((7,)) == tl.Size([7, 3])


def test_sample_is_detached_and_rsample_is_not():
    loc = tl.zeros(3, requires_grad=True)
    d = tl.distributions.Normal(loc, tl.ones(3))
    assert not d.sample().requires_grad
    assert d.rsample().requires_grad
    assert not tl.distributions.Categorical(logits=loc).sample().requires_grad


def test_perplexity_and_stddev():
    for T in (torch, tl):
        d = T.distributions.Categorical(T.tensor([0.5, 0.25, 0.25]))
        assert re.sub(r"\s", "", repr(round(d.perplexity().item(), 5))) == "2.82843"
    d = tl.distributions.Gamma(tl.tensor([4.0]), tl.tensor([2.0]))
    np.testing.assert_allclose(d.stddev.numpy(), [1.0])


def test_subclass_with_custom_init_must_define_expand():
    class MyNormal(tl.distributions.Normal):
        def __init__(self, loc):
            super().__init__(loc, tl.ones_like(loc))

    with pytest.raises(NotImplementedError, match="must also define a custom .expand"):
        MyNormal(tl.zeros(2)).expand((3, 2))


def test_is_importable_as_torch_distributions_under_the_runner():
    import torchlike.distributions as D

    assert tl.distributions is D
    assert D.Normal is tl.distributions.normal.Normal
