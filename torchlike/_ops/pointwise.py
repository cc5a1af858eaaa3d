"""Pointwise math, comparisons, casts."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax
from jax.custom_derivatives import SymbolicZero

from .._barebones import is_float8_np, to_float8
from .._dtype import FLOAT8, SCALAR_NAMES
from .registry import op

# -- casts and moves --------------------------------------------------------------------------


@op("to_dtype", function=False, grad_name="ToCopyBackward0")
def to_dtype(x, *, dtype):
    if is_float8_np(x.dtype):  # PyTorch reads float8 through float32
        x = x.astype(jnp.float32)
    if dtype in FLOAT8:
        return to_float8(x, dtype)
    if jnp.issubdtype(x.dtype, jnp.complexfloating) and not (dtype.is_complex):
        x = jnp.real(x)
    if dtype.is_integral and dtype.name != "bool" and jnp.issubdtype(x.dtype, jnp.floating):
        x = jnp.trunc(x)  # torch truncates toward zero, as C casts do
    if x.dtype == jnp.bool_ and (dtype.is_floating_point or dtype.is_complex):
        # through uint8: XLA's simplifier rewrites `a * convert(mask)` into select(mask, a, 0),
        # which gives 0 where PyTorch's product gives -0 (negative a) or nan (a = inf / nan)
        x = x.astype(jnp.uint8)
    return x.astype(dtype.np)


@op("to_device", function=False, grad_name="ToCopyBackward0")
def to_device(x, *, device):
    return x


@op("clone", method=True, grad_name="CloneBackward0")
def clone(x, *, memory_format=None):
    return x


@op("copy_from", function=False, grad_name="CopyBackwards")
def copy_from(x, src, *, dtype):
    """``x.copy_(src)`` recording history: src cast to x's dtype and broadcast to its shape; x's
    old value gets a zero gradient (PyTorch's CopyBackwards)."""
    return jnp.broadcast_to(to_dtype(src, dtype=dtype), x.shape)


# -- arithmetic ---------------------------------------------------------------------------------


@op("add", method=True, inplace="add_", dunder=("__add__",), rdunder=("__radd__",), promote="same",
    promote_args=("x", "y"))
def add(x, y, alpha=1):
    if x.dtype == jnp.bool_:
        return x | y  # torch: bool + bool is logical or
    return x + y * alpha if alpha is not None else x + y


def _alpha_check(args, attrs):
    """ATen's alpha_check (run by dispatch on the promoted arguments, before ``alpha`` becomes a
    program input of the tensors' dtype): a floating alpha with integral tensors is refused."""
    if len(args) > 2 and type(args[2]) is float:
        dt = getattr(args[0], "dtype", None)
        if dt is not None and not (dt.is_floating_point or dt.is_complex):
            raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


add.opdef.check = _alpha_check


@op("sub", method=True, inplace="sub_", dunder=("__sub__",), rdunder=("__rsub__",), promote="same",
    promote_args=("x", "y"), aliases=("subtract",))
def sub(x, y, alpha=1):
    _no_bool_sub(x)
    return x - y * alpha


sub.opdef.check = _alpha_check


def _no_bool_sub(x):
    if x.dtype == jnp.bool_:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
            "`logical_xor()` operator instead."
        )


def _rsub_overload(args, attrs):
    """rsub.Scalar (``1 - t``, ``torch.rsub(t, 1)``) prints RsubBackward1, as in PyTorch."""
    return None if hasattr(args[1], "_dtype") else "RsubBackward1"


@op("rsub", promote="same", promote_args=("x", "y"), grad_name_of=_rsub_overload)
def rsub(x, y, alpha=1):
    _no_bool_sub(x)
    return y - x * alpha


@op("mul", method=True, inplace="mul_", dunder=("__mul__",), rdunder=("__rmul__",), promote="same",
    aliases=("multiply",))
def mul(x, y):
    if x.dtype == jnp.bool_:
        return x & y
    return x * y


@op("div", method=True, inplace="div_", dunder=("__truediv__",), rdunder=("__rtruediv__",),
    promote="float", aliases=("divide", "true_divide"))
def div(x, y, *, rounding_mode=None):
    if rounding_mode is None:
        return _true_div(x, y)
    if rounding_mode == "trunc":
        return jnp.trunc(x / y).astype(x.dtype) if jnp.issubdtype(x.dtype, jnp.floating) else lax.div(x, y)
    if rounding_mode == "floor":
        return jnp.floor_divide(x, y)
    raise RuntimeError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
    )


_WIDER = {jnp.dtype(jnp.float32): jnp.dtype(jnp.float64), jnp.dtype(jnp.complex64): jnp.dtype(jnp.complex128)}


def _true_div(x, y):
    """x / y, correctly rounded as PyTorch's CPU kernel computes it. XLA rewrites a division by a
    broadcast divisor (x / 3.0, x / x.sum(1, keepdim=True), x / y.expand_as(x): the broadcast may
    come from an earlier op of the program) into a product with its reciprocal, one ulp off in a
    third of the results; so float32 divides in float64 (a product with the float64 reciprocal
    rounds to the correctly rounded float32 quotient) and float64 divides by a divisor
    materialised at full size."""
    x, y = jnp.asarray(x), jnp.asarray(y)
    shape = jnp.broadcast_shapes(x.shape, y.shape)
    dt = jnp.result_type(x, y)
    if dt == jnp.float16 or dt == jnp.bfloat16:  # PyTorch: the float32 quotient, rounded once more
        return _true_div(x.astype(jnp.float32), y.astype(jnp.float32)).astype(dt)
    wide = _WIDER.get(jnp.dtype(dt))
    if wide is not None and jax.dtypes.canonicalize_dtype(wide) == wide:  # (x64 on: programs)
        return (x.astype(wide) / y.astype(wide)).astype(dt)
    if dt == jnp.float64 or dt == jnp.complex128:
        return x / lax.optimization_barrier(jnp.broadcast_to(y, shape))
    return x / y


@op("_int_div", function=False, promote="same", grad_name="DivBackward0")
def _int_div(x, y, *, rounding_mode=None):
    return div(x, y, rounding_mode=rounding_mode)


def _integer_zero_divisor(args, attrs):
    """torch's error for an integer division by a Python number 0 (a zero inside a tensor is only
    seen on the device)."""
    x, y = args[0], args[1]
    if type(y) in (int, bool) and not y and hasattr(x, "_dtype") and not (x._dtype.is_floating_point or x._dtype.is_complex):
        raise RuntimeError("ZeroDivisionError")


@op("floor_divide", method=True, inplace="floor_divide_", dunder=("__floordiv__",),
    rdunder=("__rfloordiv__",), promote="same")
def floor_divide(x, y):
    return jnp.floor_divide(x, y)


@op("remainder", method=True, inplace="remainder_", dunder=("__mod__",), rdunder=("__rmod__",),
    promote="same")
def remainder(x, y):
    return jnp.remainder(x, y)


@op("fmod", method=True, inplace="fmod_", promote="same")
def fmod(x, y):
    return jnp.fmod(x, y)


for _kernel in (_int_div, floor_divide, remainder, fmod):
    _kernel.opdef.check = _integer_zero_divisor


def _pow_generic(x, e):
    """x ** e for floating x, rounded from a wider computation: PyTorch's CPU kernel (SLEEF's
    1-ulp pow) is near correctly rounded, XLA's float32 pow is not."""
    wide = {jnp.dtype(jnp.float32): jnp.float64, jnp.dtype(jnp.float16): jnp.float32,
            jnp.dtype(jnp.bfloat16): jnp.float32}.get(jnp.dtype(x.dtype))
    if wide is not None and jax.dtypes.canonicalize_dtype(wide) == wide:
        return jnp.power(x.astype(wide), jnp.asarray(e).astype(wide)).astype(x.dtype)
    return jnp.power(x, e)


# PyTorch's CPU kernel for a scalar exponent computes these exactly so, not through pow
_POW_BRANCHES = (
    (0.0, lambda x: jnp.ones_like(x)),
    (1.0, lambda x: x),
    (2.0, lambda x: x * x),
    (3.0, lambda x: x * x * x),
    (0.5, jnp.sqrt),
    (-1.0, lambda x: 1 / x),
    (-2.0, lambda x: 1 / (x * x)),
)


def _pow_switch(x, e):
    if e.ndim != 0:
        return _pow_generic(x, e)
    # the exponent is a program input (a Python scalar is never a constant): pick at run time
    index = jnp.select([e == v for v, _ in _POW_BRANCHES], list(range(1, len(_POW_BRANCHES) + 1)), 0)
    branches = [lambda x: _pow_generic(x, e)] + [f for _, f in _POW_BRANCHES]
    return lax.switch(index, branches, x)


@jax.custom_jvp
def _pow_float(x, e):
    return _pow_switch(x, e)


@functools.partial(_pow_float.defjvp, symbolic_zeros=True)
def _pow_float_jvp(primals, tangents):
    """PyTorch's pow derivatives, at every order: exponent * x ** (exponent - 1) (zero where the
    exponent is 0) and, for the exponent, result * log(x) (zero where x == 0 and exponent >= 0)."""
    x, e = primals
    tx, te = tangents
    out = _pow_float(x, e)
    tan = None
    if not isinstance(tx, SymbolicZero):
        tan = tx * jnp.where(e == 0, jnp.zeros((), x.dtype), e * _pow_float(x, e - 1))
    if not isinstance(te, SymbolicZero):
        term = jnp.where((x == 0) & (e >= 0), jnp.zeros((), x.dtype), out * jnp.log(x))
        tan = te * term if tan is None else tan + te * term
    return out, jnp.broadcast_to(tan, out.shape) if tan is not None else jnp.zeros_like(out)


def _pow_overload(args, attrs):
    """pow.Tensor_Tensor / pow.Scalar print PowBackward1 / PowBackward2, as in PyTorch."""
    if not hasattr(args[0], "_dtype"):
        return "PowBackward2"
    if hasattr(args[1], "_dtype"):
        return "PowBackward1"
    return None


@op("pow", method=True, inplace="pow_", dunder=("__pow__",), rdunder=("__rpow__",), promote="same",
    grad_name_of=_pow_overload)
def pow(x, exponent):  # noqa: A001 - torch's name
    if x.dtype == jnp.bool_:
        return x | ~jnp.asarray(exponent).astype(bool)
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        return jnp.power(x, exponent)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return _pow_float(x, jnp.asarray(exponent, x.dtype))
    out = jnp.power(x, exponent)
    if jnp.issubdtype(x.dtype, jnp.integer):
        # integer powers with a negative exponent truncate toward zero, as in torch
        e = jnp.asarray(exponent)
        odd = (e % 2) != 0
        neg = jnp.where(x == 1, 1, jnp.where(x == -1, jnp.where(odd, -1, 1), 0)).astype(x.dtype)
        out = jnp.where(e < 0, neg, out)
    return out


@op("float_power", method=True, inplace="float_power_")
def float_power(x, exponent):  # computed in double (complex double), whatever the inputs are
    dt = jnp.complex128 if jnp.issubdtype(x.dtype, jnp.complexfloating) else jnp.float64
    return jnp.power(x.astype(dt), jnp.asarray(exponent).astype(dt))


@op("neg", method=True, inplace="neg_", dunder=("__neg__",), aliases=("negative",))
def neg(x):
    if x.dtype == jnp.bool_:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
            "mask, use the `~` or `logical_not()` operator instead."
        )
    return -x


@op("positive", method=True, dunder=("__pos__",))
def positive(x):
    return x


@op("abs", method=True, inplace="abs_", dunder=("__abs__",), aliases=("absolute",))
def abs(x):  # noqa: A001
    _not_for_bool("abs_cpu", x)
    if jnp.issubdtype(x.dtype, jnp.floating):
        return x * jnp.sign(x)  # torch's gradient of |x| at 0 is sign(0) = 0 (jnp.abs gives 1)
    return jnp.abs(x)


def _not_for_bool(kernel_name, x):
    if x.dtype == jnp.bool_:
        raise NotImplementedError(f'"{kernel_name}" not implemented for \'Bool\'')


@op("reciprocal", method=True, inplace="reciprocal_", promote="float")
def reciprocal(x):
    return 1 / x


@op("square", method=True, inplace="square_", grad_name="PowBackward0")  # (torch.square is pow(x, 2))
def square(x):
    return x * x if x.dtype != jnp.bool_ else x.astype(jnp.int64)


def _real_sign(x):
    # PyTorch's (0 < x) - (x < 0): sign(-0.) is +0. and sign(nan) is 0, where jnp.sign keeps them
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)


@op("sign", method=True, inplace="sign_")
def sign(x):
    return x if x.dtype == jnp.bool_ else _real_sign(x)


@op("sgn", method=True)
def sgn(x):
    if x.dtype == jnp.bool_:
        return x
    return jnp.sign(x) if jnp.issubdtype(x.dtype, jnp.complexfloating) else _real_sign(x)


@op("lerp", method=True, inplace="lerp_", promote="same")
def lerp(x, end, weight):
    return x + weight * (end - x)


@op("addcmul", method=True, inplace="addcmul_", promote="same", promote_args=("x", "tensor1", "tensor2"))
def addcmul(x, tensor1, tensor2, value=1):
    return x + value * tensor1 * tensor2


@op("addcdiv", method=True, inplace="addcdiv_", promote="same", promote_args=("x", "tensor1", "tensor2"))
def addcdiv(x, tensor1, tensor2, value=1):
    return x + value * tensor1 / tensor2


@op("hypot", method=True, promote="same")
def hypot(x, y):
    return jnp.hypot(x, y)


@op("atan2", method=True, inplace="atan2_", promote="float", aliases=("arctan2",))
def atan2(x, other):
    return jnp.arctan2(x, other)


@op("copysign", method=True, promote="float")
def copysign(x, other):
    return jnp.copysign(x, other)


@op("logaddexp", method=True, promote="float")
def logaddexp(x, other):
    return jnp.logaddexp(x, other)


@op("xlogy", method=True, promote="float")
def xlogy(x, y):
    return jax.scipy.special.xlogy(x, y)


# -- unary floating functions --------------------------------------------------------------------


_WIDE_REAL = {jnp.dtype(jnp.float32): jnp.float64, jnp.dtype(jnp.float16): jnp.float32,
              jnp.dtype(jnp.bfloat16): jnp.float32}


@jax.custom_jvp
def tanh_like_aten(x):
    """tanh as PyTorch's CPU kernel gives it: near correctly rounded (rounded from a wider tanh).
    XLA's float32 tanh is up to 4 ulps off and saturates to +-1 from |x| ~ 7.9, where the true
    value is still 1 - 2.4e-7: 1 - tanh(x)**2, the derivative, then loses every digit."""
    wide = _widened(x.dtype)
    if wide is not None:
        return jnp.tanh(x.astype(wide)).astype(x.dtype)
    return jnp.tanh(x)


def _widened(dtype):
    """The wider type tanh is computed in: on the CPU only, where float64 is native and costs
    ~1.3x (a GPU's float64 is slow and a TPU's emulated: there XLA's tanh stays)."""
    wide = _WIDE_REAL.get(jnp.dtype(dtype))
    if wide is None or jax.dtypes.canonicalize_dtype(wide) != wide or jax.default_backend() != "cpu":
        return None
    return wide


@tanh_like_aten.defjvp
def _tanh_like_aten_jvp(primals, tangents):
    """ATen's tanh_backward, ``grad * (1 - y * y)``, whose ``1 - y * y`` the compiler contracts
    into one fma (exact product, one rounding): computed wide, where y * y is exact."""
    (x,), (tx,) = primals, tangents
    y = tanh_like_aten(x)
    wide = _widened(y.dtype)
    if wide is not None:
        yw = y.astype(wide)
        slope = (1 - yw * yw).astype(y.dtype)
    else:
        slope = 1 - y * y
    return y, tx * slope


def _unary_float(name, fn, aliases=(), grad_name=None):
    def kernel(x):
        return fn(x)

    kernel.__name__ = name
    return op(name, method=True, inplace=name + "_", promote="float", aliases=aliases, grad_name=grad_name)(kernel)


exp = _unary_float("exp", jnp.exp)
exp2 = _unary_float("exp2", jnp.exp2)
expm1 = _unary_float("expm1", jnp.expm1)
log = _unary_float("log", jnp.log)
log2 = _unary_float("log2", jnp.log2)
log10 = _unary_float("log10", jnp.log10)
log1p = _unary_float("log1p", jnp.log1p, grad_name="Log1PBackward0")
sqrt = _unary_float("sqrt", jnp.sqrt)
rsqrt = _unary_float("rsqrt", lax.rsqrt)
sin = _unary_float("sin", jnp.sin)
cos = _unary_float("cos", jnp.cos)
tan = _unary_float("tan", jnp.tan)
asin = _unary_float("asin", jnp.arcsin, aliases=("arcsin",))
acos = _unary_float("acos", jnp.arccos, aliases=("arccos",))
atan = _unary_float("atan", jnp.arctan, aliases=("arctan",))
sinh = _unary_float("sinh", jnp.sinh)
cosh = _unary_float("cosh", jnp.cosh)
tanh = _unary_float("tanh", lambda x: tanh_like_aten(x))
asinh = _unary_float("asinh", jnp.arcsinh, aliases=("arcsinh",))
acosh = _unary_float("acosh", jnp.arccosh, aliases=("arccosh",))
atanh = _unary_float("atanh", jnp.arctanh, aliases=("arctanh",))
sigmoid = _unary_float("sigmoid", jax.nn.sigmoid)
erf = _unary_float("erf", jax.scipy.special.erf)
erfc = _unary_float("erfc", jax.scipy.special.erfc)
erfinv = _unary_float("erfinv", jax.scipy.special.erfinv)
def _in_wider(fn):
    """fn computed in the wider real dtype where there is one (x64 on): XLA's float32 gammaln
    is several ulps off where PyTorch's libm lgamma is exact (lgamma(1) == 0, not 4.8e-07)."""

    def wide_fn(x):
        wide = _WIDE_REAL.get(jnp.dtype(x.dtype))
        if wide is not None and jax.dtypes.canonicalize_dtype(wide) == wide:
            return fn(x.astype(wide)).astype(x.dtype)
        return fn(x)

    return wide_fn


lgamma = _unary_float("lgamma", _in_wider(jax.scipy.special.gammaln))
digamma = _unary_float("digamma", jax.scipy.special.digamma)
@op("logit", method=True, inplace="logit_", promote="float")
def logit(x, *, eps=None):
    if eps is not None:
        x = jnp.clip(x, eps, 1 - eps)
    return jnp.log(x / (1 - x))


def _rounding(name, fn):
    def kernel(x):
        _not_for_bool(f"{name}_vml_cpu", x)
        return fn(x) if jnp.issubdtype(x.dtype, jnp.inexact) else x

    kernel.__name__ = name
    return op(name, method=True, inplace=name + "_")(kernel)


floor = _rounding("floor", jnp.floor)
ceil = _rounding("ceil", jnp.ceil)
trunc = _rounding("trunc", jnp.trunc)
fix = _rounding("fix", jnp.trunc)


@op("round", method=True, inplace="round_")
def round(x):  # noqa: A001
    return round_decimals(x, decimals=0)


# torch's round.decimals overload: its own node (RoundBackward1), chosen when decimals= is given
@op("round_decimals", function=False, grad_name="RoundBackward1")
def round_decimals(x, *, decimals):
    _not_for_bool("round_vml_cpu", x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    if decimals == 0:
        return jnp.round(x)
    # as ATen: scale by an exact power of ten (divide for negative decimals), round, scale back
    ten_pow = jnp.asarray(10.0 ** (-decimals if decimals < 0 else decimals), x.dtype)
    if decimals < 0:
        return jnp.round(x / ten_pow) * ten_pow
    return jnp.round(x * ten_pow) / ten_pow


@op("frac", method=True, inplace="frac_")
def frac(x):
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        raise NotImplementedError(f'"frac_cpu" not implemented for \'{_TYPE_NAMES.get(str(x.dtype), x.dtype)}\'')
    return x - jnp.trunc(x)


@op("relu", method=True, inplace="relu_", grad_name="ReluBackward0")
def relu(x):
    if x.dtype == jnp.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    # where, not maximum: torch's gradient at 0 is 0 (jnp.maximum splits it, 0.5); NaN stays NaN
    return jnp.where(x <= 0, jnp.zeros((), x.dtype), x)


def _clamp_overload(args, attrs):
    """torch's clamp with Python-number bounds is clamp.Scalar (ClampBackward1), with tensors clamp.Tensor."""
    return None if any(hasattr(b, "_dtype") for b in args[1:]) else "ClampBackward1"


@op("clamp", method=True, inplace="clamp_", promote="same", aliases=("clip",), grad_name_of=_clamp_overload)
def clamp(x, min=None, max=None):  # noqa: A002
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    # torch passes the gradient to x on the bounds themselves (jnp.maximum would split it)
    if min is not None:
        x = jnp.where(x < min, min, x)
    if max is not None:
        x = jnp.where(x > max, max, x)
    return x


@op("clamp_min", method=True, inplace="clamp_min_", promote="same")
def clamp_min(x, min):  # noqa: A002
    return jnp.where(x < min, min, x)


@op("clamp_max", method=True, inplace="clamp_max_", promote="same")
def clamp_max(x, max):  # noqa: A002
    return jnp.where(x > max, max, x)


@op("maximum", method=True, promote="same")
def maximum(x, other):
    return jnp.maximum(x, other)


@op("minimum", method=True, promote="same")
def minimum(x, other):
    return jnp.minimum(x, other)


@op("fmax", method=True, promote="same")
def fmax(x, other):
    return jnp.fmax(x, other)


@op("fmin", method=True, promote="same")
def fmin(x, other):
    return jnp.fmin(x, other)


@op("nan_to_num", method=True, inplace="nan_to_num_")
def nan_to_num(x, *, nan=0.0, posinf=None, neginf=None):
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# -- comparisons and logic ------------------------------------------------------------------------


def _compare(name, fn, dunder, aliases=()):
    def kernel(x, other):
        return fn(x, other)

    kernel.__name__ = name
    return op(name, method=True, inplace=name + "_", dunder=dunder, promote="same", differentiable=False,
              aliases=aliases)(kernel)


eq = _compare("eq", jnp.equal, ("__eq__",))
ne = _compare("ne", jnp.not_equal, ("__ne__",), aliases=("not_equal",))
lt = _compare("lt", jnp.less, ("__lt__",), aliases=("less",))
le = _compare("le", jnp.less_equal, ("__le__",), aliases=("less_equal",))
gt = _compare("gt", jnp.greater, ("__gt__",), aliases=("greater",))
ge = _compare("ge", jnp.greater_equal, ("__ge__",), aliases=("greater_equal",))


@op("isclose", method=True, promote="same", differentiable=False)
def isclose(x, other, *, rtol=1e-05, atol=1e-08, equal_nan=False):
    return jnp.isclose(x, other, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _logical(name, fn):
    def kernel(x, other):
        return fn(x.astype(bool), jnp.asarray(other).astype(bool))

    kernel.__name__ = name
    return op(name, method=True, inplace=name + "_", differentiable=False)(kernel)


logical_and = _logical("logical_and", jnp.logical_and)
logical_or = _logical("logical_or", jnp.logical_or)
logical_xor = _logical("logical_xor", jnp.logical_xor)


@op("logical_not", method=True, inplace="logical_not_", differentiable=False)
def logical_not(x):
    return jnp.logical_not(x)


def _bitwise(name, fn, dunder, rdunder):
    def kernel(x, other):
        if jnp.issubdtype(x.dtype, jnp.inexact):
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_TYPE_NAMES[str(x.dtype)]}\'')
        return fn(x, other)

    kernel.__name__ = name
    return op(name, method=True, inplace=name + "_", dunder=dunder, rdunder=rdunder, promote="same",
              differentiable=False)(kernel)


bitwise_and = _bitwise("bitwise_and", jnp.bitwise_and, ("__and__",), ("__rand__",))
bitwise_or = _bitwise("bitwise_or", jnp.bitwise_or, ("__or__",), ("__ror__",))
bitwise_xor = _bitwise("bitwise_xor", jnp.bitwise_xor, ("__xor__",), ("__rxor__",))


@op("bitwise_not", method=True, inplace="bitwise_not_", dunder=("__invert__",), differentiable=False)
def bitwise_not(x):
    if jnp.issubdtype(x.dtype, jnp.floating):
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return jnp.invert(x)


@op("isnan", method=True, differentiable=False)
def isnan(x):
    return jnp.isnan(x)


@op("isinf", method=True, differentiable=False)
def isinf(x):
    return jnp.isinf(x)


@op("isfinite", method=True, differentiable=False)
def isfinite(x):
    return jnp.isfinite(x)


@op("isposinf", method=True, differentiable=False)
def isposinf(x):
    return jnp.isposinf(x)


@op("isneginf", method=True, differentiable=False)
def isneginf(x):
    return jnp.isneginf(x)


@op("signbit", method=True, differentiable=False)
def signbit(x):
    return jnp.signbit(x)


@op("where", promote="same", promote_args=("x", "y"))
def where(condition, x, y):
    if condition.dtype not in (jnp.bool_, jnp.uint8):
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            + SCALAR_NAMES[jnp.dtype(condition.dtype).name]
        )
    return jnp.where(condition.astype(bool), x, y)


@op("real", function=True, differentiable=True)
def real(x):
    return jnp.real(x)


@op("imag", function=True)
def imag(x):
    return jnp.imag(x)


@op("conj", method=True, aliases=("conj_physical",))  # (conj is always physical here: no conj bit)
def conj(x):
    return jnp.conj(x)


@op("angle", method=True)
def angle(x):
    return jnp.angle(x)


_TYPE_NAMES = SCALAR_NAMES


def _install_div():
    """torch.div promotes ints to float, except with a rounding_mode (then it divides in the common type)."""
    from .registry import FUNCTIONS, METHODS

    true_div = div.frontend

    def div_(input, other, *, rounding_mode=None, out=None):  # noqa: A002
        kw = {"out": out} if out is not None else {}
        if rounding_mode is None:
            return true_div(input, other, **kw)
        return _int_div.frontend(input, other, rounding_mode=rounding_mode, **kw)

    div_.__name__ = "div"
    FUNCTIONS["div"] = FUNCTIONS["divide"] = METHODS["div"] = METHODS["divide"] = div_

    def div_inplace(self, other, *, rounding_mode=None):
        from .registry import check_inplace_cast

        return self._inplace_assign(check_inplace_cast(self, div_(self, other, rounding_mode=rounding_mode)))

    div_inplace.__name__ = "div_"
    METHODS["div_"] = METHODS["divide_"] = div_inplace


_install_div()


def _install_round():
    from .registry import FUNCTIONS, METHODS, check_inplace_cast

    plain = round.frontend

    def round_(input, *, decimals=None, out=None):  # noqa: A001, A002
        kw = {"out": out} if out is not None else {}
        if decimals is None:
            return plain(input, **kw)
        return round_decimals.frontend(input, decimals=int(decimals), **kw)

    round_.__name__ = "round"
    FUNCTIONS["round"] = METHODS["round"] = round_

    def round_inplace(self, *, decimals=None):
        return self._inplace_assign(check_inplace_cast(self, round_(self, decimals=decimals)))

    round_inplace.__name__ = "round_"
    METHODS["round_"] = round_inplace


_install_round()
