"""Activation functions of torch.nn.functional.

Each is one registered kernel (so autograd is jax.vjp of it). Hyper-parameters that are Python
numbers (negative_slope, alpha, beta, lambd, ...) are kernel inputs, never attributes: changing
them between steps does not recompile. ``inplace=True`` computes out of place and rebinds the
input, as every in-place op here does.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from ... import _dtype
from ..._ops import activation as _A
from ..._ops import pointwise as _P
from ..._ops import random as _R
from ..._ops.registry import op

__all__ = [
    "relu",
    "relu_",
    "relu6",
    "leaky_relu",
    "leaky_relu_",
    "elu",
    "elu_",
    "selu",
    "selu_",
    "celu",
    "celu_",
    "gelu",
    "silu",
    "mish",
    "softplus",
    "softsign",
    "softshrink",
    "hardshrink",
    "tanhshrink",
    "hardtanh",
    "hardtanh_",
    "hardsigmoid",
    "hardswish",
    "logsigmoid",
    "sigmoid",
    "tanh",
    "prelu",
    "rrelu",
    "rrelu_",
    "glu",
    "threshold",
    "threshold_",
    "softmax",
    "softmin",
    "log_softmax",
    "gumbel_softmax",
]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _act(name, grad_name=None):
    """Register an elementwise activation kernel whose number inputs take the input's dtype."""
    return op(
        name, function=False, method=False, promote="same", promote_args=(0,), grad_name=grad_name
    )


def _finish(input, out, inplace):  # noqa: A002
    return input._inplace_assign(out) if inplace else out


def _zero(x):
    return jnp.zeros((), x.dtype)


@_act("leaky_relu")
def _leaky_relu(x, negative_slope):
    return jnp.where(x > 0, x, x * negative_slope)


@_act("elu")
def _elu(x, alpha, scale, input_scale):
    neg = alpha * jnp.expm1(x * input_scale)
    return jnp.where(x > 0, x, neg) * scale


@_act("celu")
def _celu(x, alpha):
    return jnp.where(x > 0, x, alpha * jnp.expm1(x / alpha))


@op("gelu", function=False, method=False)
def _gelu(x, *, approximate="none"):
    if approximate == "tanh":
        c = jnp.asarray(math.sqrt(2.0 / math.pi), x.dtype)
        return 0.5 * x * (1 + jnp.tanh(c * (x + jnp.asarray(0.044715, x.dtype) * x * x * x)))
    return 0.5 * x * (1 + jax.scipy.special.erf(x * jnp.asarray(1 / math.sqrt(2.0), x.dtype)))


@op("silu", function=False, method=False)
def _silu(x):
    return x * jax.nn.sigmoid(x)


@op("mish", function=False, method=False)
def _mish(x):
    return x * jnp.tanh(jax.nn.softplus(x))


@_act("softplus")
def _softplus(x, beta, threshold):
    bx = x * beta
    # the branch not taken must stay finite, or its nan would leak into the gradient
    safe = jnp.where(bx > threshold, _zero(x), bx)
    return jnp.where(bx > threshold, x, jnp.log1p(jnp.exp(safe)) / beta)


@op("softsign", function=False, method=False, grad_name="DivBackward0")
def _softsign(x):
    return x / (1 + jnp.abs(x))


@_act("softshrink")
def _softshrink(x, lambd):
    return jnp.where(x > lambd, x - lambd, jnp.where(x < -lambd, x + lambd, _zero(x)))


@_act("hardshrink")
def _hardshrink(x, lambd):
    return jnp.where((x >= -lambd) & (x <= lambd), _zero(x), x)


@op("tanhshrink", function=False, method=False, grad_name="SubBackward0")
def _tanhshrink(x):
    return x - jnp.tanh(x)


@_act("hardtanh")
def _hardtanh(x, min_val, max_val):
    # gradient 0 at the bounds, as torch's hardtanh_backward
    return jnp.where(x <= min_val, min_val, jnp.where(x >= max_val, max_val, x)).astype(x.dtype)


@op("hardsigmoid", function=False, method=False)
def _hardsigmoid(x):
    return jnp.where(x <= -3, _zero(x), jnp.where(x >= 3, jnp.ones((), x.dtype), x / 6 + 0.5))


@op("hardswish", function=False, method=False)
def _hardswish(x):
    return jnp.where(x <= -3, _zero(x), jnp.where(x < 3, x * (x + 3) / 6, x))


@op("log_sigmoid", function=False, method=False, grad_name="LogSigmoidBackward0")
def _logsigmoid(x):
    return jax.nn.log_sigmoid(x)


@op("prelu", function=False, method=False, promote="same", grad_name="PreluKernelBackward0")
def _prelu(x, weight):
    if weight.size != 1:
        channels = x.shape[1] if x.ndim >= 2 else 1
        if weight.size != channels:
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {weight.size} "
                f"and channel size = {channels}."
            )
        w = weight.reshape((-1,) + (1,) * (x.ndim - 2))
    else:
        w = weight.reshape(())
    return jnp.where(x > 0, x, w * x)


@_act("rrelu_with_noise", grad_name="RreluWithNoiseBackward0")
def _rrelu_train(x, slope):
    return jnp.where(x > 0, x, x * slope)


@op("glu", function=False, method=False)
def _glu(x, *, dim=-1):
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % x.ndim
    if x.shape[d] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {d} is size {x.shape[d]}"
        )
    a, b = jnp.split(x, 2, axis=d)
    return a * jax.nn.sigmoid(b)


@_act("threshold")
def _threshold(x, threshold, value):
    return jnp.where(x <= threshold, value, x).astype(x.dtype)  # as ATen: NaN passes through


# -- the torch-level functions ------------------------------------------------------------------


def relu(input, inplace=False):  # noqa: A002
    return _finish(input, _P.relu.frontend(input), inplace)


def relu_(input):  # noqa: A002
    return relu(input, inplace=True)


def leaky_relu(input, negative_slope=0.01, inplace=False):  # noqa: A002
    return _finish(input, _leaky_relu.frontend(input, negative_slope), inplace)


def leaky_relu_(input, negative_slope=0.01):  # noqa: A002
    return leaky_relu(input, negative_slope, True)


def elu(input, alpha=1.0, inplace=False):  # noqa: A002
    return _finish(input, _elu.frontend(input, alpha, 1.0, 1.0), inplace)


def elu_(input, alpha=1.0):  # noqa: A002
    return elu(input, alpha, True)


def selu(input, inplace=False):  # noqa: A002
    return _finish(input, _elu.frontend(input, _SELU_ALPHA, _SELU_SCALE, 1.0), inplace)


def selu_(input):  # noqa: A002
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):  # noqa: A002
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _finish(input, _celu.frontend(input, alpha), inplace)


def celu_(input, alpha=1.0):  # noqa: A002
    return celu(input, alpha, True)


def gelu(input, approximate="none"):  # noqa: A002
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _gelu.frontend(input, approximate=approximate)


def silu(input, inplace=False):  # noqa: A002
    return _finish(input, _silu.frontend(input), inplace)


def mish(input, inplace=False):  # noqa: A002
    return _finish(input, _mish.frontend(input), inplace)


def softplus(input, beta=1.0, threshold=20.0):  # noqa: A002
    return _softplus.frontend(input, beta, threshold)


def softsign(input):  # noqa: A002
    return _softsign.frontend(input)


def softshrink(input, lambd=0.5):  # noqa: A002
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return _softshrink.frontend(input, lambd)


def hardshrink(input, lambd=0.5):  # noqa: A002
    return _hardshrink.frontend(input, lambd)


def tanhshrink(input):  # noqa: A002
    return _tanhshrink.frontend(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):  # noqa: A002
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _finish(input, _hardtanh.frontend(input, min_val, max_val), inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):  # noqa: A002
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):  # noqa: A002
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input, inplace=False):  # noqa: A002
    return _finish(input, _hardsigmoid.frontend(input), inplace)


def hardswish(input, inplace=False):  # noqa: A002
    return _finish(input, _hardswish.frontend(input), inplace)


def logsigmoid(input):  # noqa: A002
    return _logsigmoid.frontend(input)


def sigmoid(input):  # noqa: A002
    return _P.sigmoid.frontend(input)


def tanh(input):  # noqa: A002
    return _P.tanh.frontend(input)


def prelu(input, weight):  # noqa: A002
    return _prelu.frontend(input, weight)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):  # noqa: A002
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    slope = _rrelu_host_noise(input, lower, upper)
    if slope is None:
        from ... import _creation

        slope = _creation._rand_op(
            _R.uniform_k, tuple(input.shape), input.dtype, None, False, None, lower, upper
        )
    return _finish(input, _rrelu_train.frontend(input, slope), inplace)


def _rrelu_host_noise(input, lower, upper):  # noqa: A002
    """ATen's CPU ``rrelu_with_noise`` slopes, or None off the host stream: walking the input in
    order, each element <= 0 takes one ``uniform_real_distribution<double>(lower, upper)`` draw
    (bounds rounded to the opmath type first), the others a slope of 1."""
    from ..._tensor import Tensor
    from ...random import host_rng

    mt = host_rng(None, input._device)
    dt = input._dtype
    if mt is None or not dt.is_floating_point:
        return None
    op = np.float64 if dt.np == np.float64 else np.float32
    x = np.asarray(input.detach().to(_dtype.float64 if op is np.float64 else _dtype.float32).numpy())
    drawn = x <= 0
    lo, hi = float(op(lower)), float(op(upper))
    u = (mt.u64(int(drawn.sum())) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
    slope = np.ones(x.shape, op)
    slope[drawn] = (u * (hi - lo) + lo).astype(op)
    return Tensor._make(slope.astype(dt.np), dt, input._device)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):  # noqa: A002
    return rrelu(input, lower, upper, training, True)


def glu(input, dim=-1):  # noqa: A002
    return _glu.frontend(input, dim=dim)


def threshold(input, threshold, value, inplace=False):  # noqa: A002
    return _finish(input, _threshold.frontend(input, threshold, value), inplace)


def threshold_(input, threshold, value):  # noqa: A002
    return _finish(input, _threshold.frontend(input, threshold, value), True)


def _method_of(input, name):  # noqa: A002
    # PyTorch's functional calls ``input.<name>(dim)``: anything but a tensor fails there
    from ..._tensor import Tensor

    if not isinstance(input, Tensor):
        raise AttributeError(f"'{type(input).__name__}' object has no attribute '{name}'")


def _implicit_dim(name, ndim, stacklevel):
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an "
        "argument.",
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):  # noqa: A002
    if dim is None:
        dim = _implicit_dim("softmax", input.dim(), _stacklevel)
    _method_of(input, "softmax")
    return _A.softmax.frontend(
        input, dim=dim, dtype=_dtype.to_dtype(dtype) if dtype is not None else None
    )


def softmin(input, dim=None, _stacklevel=3, dtype=None):  # noqa: A002
    if dim is None:
        dim = _implicit_dim("softmin", input.dim(), _stacklevel)
    _method_of(input, "softmax")
    return _A.softmin.frontend(
        input, dim=dim, dtype=_dtype.to_dtype(dtype) if dtype is not None else None
    )


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):  # noqa: A002
    if dim is None:
        dim = _implicit_dim("log_softmax", input.dim(), _stacklevel)
    _method_of(input, "log_softmax")
    return _A.log_softmax.frontend(
        input, dim=dim, dtype=_dtype.to_dtype(dtype) if dtype is not None else None
    )


@op("gumbel_softmax_k", function=False, method=False, promote="same", promote_args=(0,))
def _gumbel_softmax(logits, exponential, tau, *, hard, dim):
    y = jax.nn.softmax((logits - jnp.log(exponential)) / tau, axis=dim)
    if not hard:
        return y
    idx = jnp.argmax(y, axis=dim, keepdims=True)
    d = dim % y.ndim
    one = jnp.arange(y.shape[d]).reshape([-1 if i == d else 1 for i in range(y.ndim)]) == idx
    # straight-through: the value of the one-hot, the gradient of the soft sample
    return one.astype(y.dtype) - jax.lax.stop_gradient(y) + y


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    from ... import _creation

    e = _creation._rand_op(
        _R.exponential_k, tuple(logits.shape), logits.dtype, None, False, None, 1.0
    )
    return _gumbel_softmax.frontend(logits, e, tau, hard=bool(hard), dim=dim)
