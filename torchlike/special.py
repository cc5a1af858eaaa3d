"""torch.special: the special functions PyTorch documents, as registered ops.

Most are the torch.* ops under a second name (``expit`` is ``sigmoid``, ``gammaln`` is
``lgamma``, ``psi`` is ``digamma`` ...); the ones torch keeps only here live in
``torchlike/_ops/special.py``. Not provided: ``airy_ai``, ``bessel_y0/y1``,
``modified_bessel_k0/k1``, ``scaled_modified_bessel_k0/k1`` and the orthogonal polynomials
(no JAX kernels for them yet).
"""

from __future__ import annotations

from ._ops import special as _special
from ._ops.activation import log_softmax as _log_softmax
from ._ops.activation import softmax as _softmax
from ._ops.other import sinc as _sinc
from ._ops.pointwise import digamma as _digamma
from ._ops.pointwise import erf as _erf
from ._ops.pointwise import erfc as _erfc
from ._ops.pointwise import erfinv as _erfinv
from ._ops.pointwise import exp2 as _exp2
from ._ops.pointwise import expm1 as _expm1
from ._ops.pointwise import lgamma as _lgamma
from ._ops.pointwise import log1p as _log1p
from ._ops.pointwise import logit as _logit
from ._ops.pointwise import round_decimals as _round_decimals
from ._ops.pointwise import sigmoid as _sigmoid
from ._ops.pointwise import xlogy as _xlogy
from ._ops.reduction import logsumexp as _logsumexp
from ._ops.registry import FUNCTIONS as _FUNCTIONS

__all__ = [
    "bessel_j0", "bessel_j1", "digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1",
    "gammainc", "gammaincc", "gammaln", "i0", "i0e", "i1", "i1e", "log1p", "log_ndtr", "log_softmax", "logit",
    "logsumexp", "modified_bessel_i0", "modified_bessel_i1", "multigammaln", "ndtr", "ndtri", "polygamma", "psi",
    "round", "sinc", "softmax", "spherical_bessel_j0", "xlog1py", "xlogy", "zeta",
]

# the same ops as torch.*
expit = _sigmoid.frontend
erf = _erf.frontend
erfc = _erfc.frontend
erfinv = _erfinv.frontend
exp2 = _exp2.frontend
expm1 = _expm1.frontend
log1p = _log1p.frontend
gammaln = _lgamma.frontend
digamma = psi = _digamma.frontend
xlogy = _xlogy.frontend
sinc = _sinc.frontend
i0 = _special.i0.frontend
gammainc = _special.igamma.frontend
gammaincc = _special.igammac.frontend
polygamma = _FUNCTIONS["polygamma"]
multigammaln = _FUNCTIONS["mvlgamma"]

# kept only in torch.special
erfcx = _special.special_erfcx.frontend
i0e = _special.special_i0e.frontend
i1 = _special.special_i1.frontend
i1e = _special.special_i1e.frontend
ndtr = _special.special_ndtr.frontend
ndtri = _special.special_ndtri.frontend
log_ndtr = _special.special_log_ndtr.frontend
entr = _special.special_entr.frontend
xlog1py = _special.special_xlog1py.frontend
zeta = _special.special_zeta.frontend
bessel_j0 = _special.special_bessel_j0.frontend
bessel_j1 = _special.special_bessel_j1.frontend
spherical_bessel_j0 = _special.special_spherical_bessel_j0.frontend
modified_bessel_i0 = _special.special_modified_bessel_i0.frontend
modified_bessel_i1 = _special.special_modified_bessel_i1.frontend


def logit(input, eps=None, *, out=None):  # noqa: A002
    return _logit.frontend(input, eps=eps, out=out)


def round(input, *, decimals=0, out=None):  # noqa: A001, A002
    """torch.special.round is always the decimals overload (RoundBackward1)."""
    return _round_decimals.frontend(input, decimals=int(decimals), out=out)


def softmax(input, dim, *, dtype=None):  # noqa: A002
    return _softmax.frontend(input, dim=dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):  # noqa: A002
    return _log_softmax.frontend(input, dim=dim, dtype=dtype)


def logsumexp(input, dim, keepdim=False, *, out=None):  # noqa: A002
    return _logsumexp.frontend(input, dim=dim, keepdim=keepdim, out=out)
