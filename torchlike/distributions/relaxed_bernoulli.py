"""LogitRelaxedBernoulli and RelaxedBernoulli (the binary Concrete / Gumbel-softmax relaxation).

PyTorch builds RelaxedBernoulli as a TransformedDistribution (LogitRelaxedBernoulli pushed through a
sigmoid); here the change of variables is written out: log p(y) = log p_logit(logit y) - log σ'(x).
"""

from __future__ import annotations

from numbers import Number

import torchlike as torch
import torchlike.nn.functional as F

from . import constraints
from .distribution import Distribution, _Relaxed
from .utils import broadcast_all, clamp_probs, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]


class LogitRelaxedBernoulli(Distribution):
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self.temperature = temperature
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            is_scalar = isinstance(probs, Number)
            (self.probs,) = broadcast_all(probs)
        else:
            is_scalar = isinstance(logits, Number)
            (self.logits,) = broadcast_all(logits)
        self._param = self.probs if probs is not None else self.logits
        super().__init__(() if is_scalar else self._param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expand_params(
            LogitRelaxedBernoulli, batch_shape, ("probs", "logits"), _instance
        )
        new._param = new.__dict__["probs"] if "probs" in self.__dict__ else new.__dict__["logits"]
        new.temperature = self.temperature
        return new

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()

    def rsample(self, sample_shape=()):
        shape = tuple(self._extended_shape(sample_shape))
        probs = clamp_probs(self.probs.expand(shape))
        uniforms = clamp_probs(torch.rand(shape, dtype=probs.dtype))
        return (
            uniforms.log() - (-uniforms).log1p() + probs.log() - (-probs).log1p()
        ) / self.temperature

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


def _clipped_sigmoid(x):
    finfo = torch.finfo(x.dtype)
    return torch.clamp(torch.sigmoid(x), min=finfo.tiny, max=1.0 - finfo.eps)


def _sigmoid_inverse(y):
    finfo = torch.finfo(y.dtype)
    y = y.clamp(min=finfo.tiny, max=1.0 - finfo.eps)
    return y.log() - (-y).log1p()


class RelaxedBernoulli(_Relaxed):
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self.base_dist = LogitRelaxedBernoulli(temperature, probs, logits)
        super().__init__(self.base_dist.batch_shape, validate_args=validate_args)

    def rsample(self, sample_shape=()):
        return _clipped_sigmoid(self.base_dist.rsample(sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        x = _sigmoid_inverse(value)
        # log|dσ/dx| = -softplus(-x) - softplus(x)
        return self.base_dist.log_prob(x) + F.softplus(-x) + F.softplus(x)
