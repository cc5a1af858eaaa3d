"""Special functions that ``torch.*`` lacks (``torch.special.erfcx``, ``i1e``, ``zeta`` ...) and the
ones torch exports at top level too (``torch.i0``, ``polygamma``, ``mvlgamma``, ``igamma``).

``torchlike/special.py`` maps the ``torch.special`` names onto these and onto the existing
pointwise ops (``expit`` is ``sigmoid``, ``gammaln`` is ``lgamma`` ...). Op names follow ATen's
(``special_erfcx``), so ``grad_fn`` prints as PyTorch's (``SpecialErfcxBackward0``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.scipy import special as jss

from .registry import FUNCTIONS, METHODS, check_inplace_cast, op


def _unary(name, fn, *, grad_name=None, differentiable=True, torch_level=False):
    def kernel(x):
        return fn(x)

    kernel.__name__ = name
    return op(name, function=torch_level, method=torch_level, inplace=(name + "_") if torch_level else None,
              promote="float", grad_name=grad_name, differentiable=differentiable)(kernel)


def _entr(x):
    # -x log x, 0 at 0 (not JAX's -0.), -inf below 0, NaN kept; the unguarded log gives torch's NaN
    # gradient below 0
    return jnp.where(x > 0, -x * jnp.log(x), jnp.where(x == 0, jnp.zeros_like(x), jnp.where(x < 0, -jnp.inf, x)))


def _spherical_bessel_j0(x):
    safe = jnp.where(x == 0, jnp.ones_like(x), x)
    out = jnp.where(jnp.isinf(x), jnp.zeros_like(x), jnp.sin(safe) / safe)
    return jnp.where(x == 0, jnp.ones_like(x), out)


def _poly(coefs, z):
    acc = jnp.zeros_like(z)
    for c in coefs:
        acc = acc * z + c
    return acc


# Cephes' rational approximations (S. Moshier), the ones PyTorch's and SciPy's j0/j1 use
_J0 = {
    "PP": (7.96936729297347051624e-04, 8.28352392107440799803e-02, 1.23953371646414299388e00,
           5.44725003058768775090e00, 8.74716500199817011941e00, 5.30324038235394892183e00,
           9.99999999999999997821e-01),
    "PQ": (9.24408810558863637013e-04, 8.56288474354474431428e-02, 1.25352743901058953537e00,
           5.47097740330417105182e00, 8.76190883237069594232e00, 5.30605288235394617618e00,
           1.00000000000000000218e00),
    "QP": (-1.13663838898469149931e-02, -1.28252718670509318512e00, -1.95539544257735972385e01,
           -9.32060152123768231369e01, -1.77681167980488050595e02, -1.47077505154951170175e02,
           -5.14105326766599330220e01, -6.05014350600728481186e00),
    "QQ": (6.43178256118178023184e01, 8.56430025976980587198e02, 3.88240183605401609683e03,
           7.24046774195652478189e03, 5.93072701187316984827e03, 2.06209331660327847417e03,
           2.42005740240291393179e02),
    "RP": (-4.79443220978201773821e09, 1.95617491946556577543e12, -2.49248344360967716204e14,
           9.70862251047306323952e15),
    "RQ": (4.99563147152651017219e02, 1.73785401676374683123e05, 4.84409658339962045305e07,
           1.11855537045356834862e10, 2.11277520115489217587e12, 3.10518229857422583814e14,
           3.18121955943204943306e16, 1.71086294081043136091e18),
}
_J1 = {
    "PP": (7.62125616208173112003e-04, 7.31397056940917570436e-02, 1.12719608129684925192e00,
           5.11207951146807644818e00, 8.42404590141772420927e00, 5.21451598682361504063e00,
           1.00000000000000000254e00),
    "PQ": (5.71323128072548699714e-04, 6.88455908754495404082e-02, 1.10514232634061696926e00,
           5.07386386128601488557e00, 8.39985554327604159757e00, 5.20982848682361821619e00,
           9.99999999999999997461e-01),
    "QP": (5.10862594750176621635e-02, 4.98213872951233449420e00, 7.58238284132545283818e01,
           3.66779609360150777800e02, 7.10856304998926107277e02, 5.97489612400613639965e02,
           2.11688757100572135698e02, 2.52070205858023719784e01),
    "QQ": (7.42373277035675149943e01, 1.05644886038262816351e03, 4.98641058337653607651e03,
           9.56231892404756170795e03, 7.99704160447350683650e03, 2.82619278517639096600e03,
           3.36093607810698293419e02),
    "RP": (-8.99971225705559398224e08, 4.52228297998194034323e11, -7.27494245221818276015e13,
           3.68295732863852883286e15),
    "RQ": (6.20836478118054335476e02, 2.56987256757748830383e05, 8.35146791431949253037e07,
           2.21511595479792499675e10, 4.74914122079991414898e12, 7.84369607876235854894e14,
           8.95222336184627338078e16, 5.32278620332680085395e18),
}


def _bessel_large(c, ax, phase):
    """Hankel-type asymptotic form for |x| > 5, shared by j0 and j1."""
    big = jnp.where(ax > 5, ax, jnp.full_like(ax, 5.0))
    z = 25.0 / (big * big)
    p = _poly(c["PP"], z) / _poly(c["PQ"], z)
    q = _poly(c["QP"], z) / _poly(c["QQ"], z)
    w = big - phase
    return (p * jnp.cos(w) - 5.0 / big * q * jnp.sin(w)) * 0.797884560802865355879892119868763737 / jnp.sqrt(big)


def _bessel_j0(x):
    ax = jnp.abs(x)
    z = x * x
    small = (z - 5.78318596294678452118e00) * (z - 3.04712623436620863991e01) * _poly(_J0["RP"], z) / _poly(_J0["RQ"], z)
    small = jnp.where(ax < 1e-5, 1.0 - z / 4.0, small)
    return jnp.where(ax <= 5, small, _bessel_large(_J0, ax, 0.785398163397448309615660845819875721))


def _bessel_j1(x):
    ax = jnp.abs(x)
    z = x * x
    small = _poly(_J1["RP"], z) / _poly(_J1["RQ"], z) * x * (z - 1.46819706421238932572e01) * (z - 4.92184563216946036703e01)
    large = jnp.sign(x) * _bessel_large(_J1, ax, 2.356194490192344928846982537459627163)
    return jnp.where(ax <= 5, small, large)


i0 = _unary("i0", jss.i0, torch_level=True)
special_i0e = _unary("special_i0e", jss.i0e, grad_name="SpecialI0EBackward0")
special_i1 = _unary("special_i1", jss.i1)
special_i1e = _unary("special_i1e", jss.i1e, grad_name="SpecialI1EBackward0")
special_erfcx = _unary("special_erfcx", jss.erfcx)
special_ndtr = _unary("special_ndtr", jss.ndtr, grad_name="MulBackward1")  # torch composes it (a mul)
special_ndtri = _unary("special_ndtri", jss.ndtri)
special_log_ndtr = _unary("special_log_ndtr", jss.log_ndtr)
special_entr = _unary("special_entr", _entr)
# torch defines no derivative for these (results do not require grad)
special_bessel_j0 = _unary("special_bessel_j0", _bessel_j0, differentiable=False)
special_bessel_j1 = _unary("special_bessel_j1", _bessel_j1, differentiable=False)
special_spherical_bessel_j0 = _unary("special_spherical_bessel_j0", _spherical_bessel_j0, differentiable=False)
special_modified_bessel_i0 = _unary("special_modified_bessel_i0", jss.i0, differentiable=False)
special_modified_bessel_i1 = _unary("special_modified_bessel_i1", jss.i1, differentiable=False)


def _scalar_overload(name):
    """torch's X.self_scalar / X.other_scalar overloads print Backward1 / Backward2."""

    def grad_name_of(args, attrs):
        if not hasattr(args[0], "_dtype"):
            return f"{name}Backward1"
        if not hasattr(args[1], "_dtype"):
            return f"{name}Backward2"
        return None

    return grad_name_of


@op("special_xlog1py", function=False, method=False, promote="float", grad_name="SpecialXlog1PyBackward0",
    grad_name_of=_scalar_overload("SpecialXlog1Py"))
def special_xlog1py(x, other):
    return jss.xlog1py(x, other)


@op("special_zeta", function=False, method=False, promote="float")
def special_zeta(x, other):
    """Hurwitz zeta(x, q)."""
    return jss.zeta(x, other)


@op("igamma", method=True, inplace="igamma_", promote="float")
def igamma(x, other):
    return jss.gammainc(x, other)


@op("igammac", method=True, inplace="igammac_", promote="float")
def igammac(x, other):
    return jss.gammaincc(x, other)


# polygamma(n, input) and mvlgamma(input, p) take an int that is part of the program (static)
@op("polygamma", function=False, method=False, promote="float")
def polygamma(x, *, n):
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return jss.digamma(x)
    # (in float64 where x64 is on: XLA's float32 zeta loses the last digits PyTorch prints)
    wide = jnp.float64 if x.dtype == jnp.float32 and jax.config.jax_enable_x64 else x.dtype
    return jss.polygamma(jnp.asarray(n, jnp.int32), x.astype(wide)).astype(x.dtype)


@op("mvlgamma", function=False, method=False, promote="float")
def mvlgamma(x, *, p):
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return jss.multigammaln(x, p).astype(x.dtype)


def _install_int_first():
    """torch.polygamma(n, input) / Tensor.polygamma(n); torch.mvlgamma(input, p) / Tensor.mvlgamma(p)."""
    poly, mvl = polygamma.frontend, mvlgamma.frontend

    def polygamma_fn(n, input, *, out=None):  # noqa: A002
        return poly(input, n=int(n), **({"out": out} if out is not None else {}))

    def polygamma_method(self, n):
        return poly(self, n=int(n))

    def polygamma_inplace(self, n):
        return self._inplace_assign(check_inplace_cast(self, poly(self, n=int(n))))

    def mvlgamma_fn(input, p, *, out=None):  # noqa: A002
        return mvl(input, p=int(p), **({"out": out} if out is not None else {}))

    def mvlgamma_inplace(self, p):
        return self._inplace_assign(check_inplace_cast(self, mvl(self, p=int(p))))

    for f, name in ((polygamma_fn, "polygamma"), (polygamma_method, "polygamma"), (polygamma_inplace, "polygamma_"),
                    (mvlgamma_fn, "mvlgamma"), (mvlgamma_inplace, "mvlgamma_")):
        f.__name__ = f.__qualname__ = name
    FUNCTIONS["polygamma"] = polygamma_fn
    FUNCTIONS["mvlgamma"] = mvlgamma_fn
    METHODS["polygamma"] = polygamma_method
    METHODS["polygamma_"] = polygamma_inplace
    METHODS["mvlgamma"] = mvlgamma_fn
    METHODS["mvlgamma_"] = mvlgamma_inplace


_install_int_first()
