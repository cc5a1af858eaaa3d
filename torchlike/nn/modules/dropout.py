"""Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout: one class per functional."""

from __future__ import annotations

from .._functional import dropout as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]


class _DropoutNd(Module):
    __constants__ = ["p", "inplace"]
    _fn = None

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):  # noqa: A002
        return type(self)._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


def _dropout_class(name, fn):
    return type(
        name, (_DropoutNd,), {"_fn": staticmethod(fn), "__module__": __name__, "__qualname__": name}
    )


Dropout = _dropout_class("Dropout", F.dropout)
Dropout1d = _dropout_class("Dropout1d", F.dropout1d)
Dropout2d = _dropout_class("Dropout2d", F.dropout2d)
Dropout3d = _dropout_class("Dropout3d", F.dropout3d)
AlphaDropout = _dropout_class("AlphaDropout", F.alpha_dropout)
FeatureAlphaDropout = _dropout_class("FeatureAlphaDropout", F.feature_alpha_dropout)
