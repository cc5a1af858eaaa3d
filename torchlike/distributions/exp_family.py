"""ExponentialFamily: the base class PyTorch gives Normal, Bernoulli, Gamma, ... (kept for
isinstance checks; each family here writes its entropy in closed form)."""

from __future__ import annotations

from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    @property
    def _natural_params(self):
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError
