"""batch_norm, instance_norm, layer_norm, group_norm, rms_norm, local_response_norm, normalize.

Statistics are computed in float32 at least (float64 for float64 inputs). Running statistics are
updated lazily: a non-differentiable kernel computes the new buffers and the buffer tensors are
rebound in place, so the update is part of the step's program and nothing waits for the device.
eps and momentum are kernel inputs (no recompiles when they change); momentum may be a tensor
(BatchNorm's cumulative average, 1 / num_batches_tracked).
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from ..._ops.registry import op
from ...autograd.grad_mode import no_grad

__all__ = [
    "batch_norm",
    "instance_norm",
    "layer_norm",
    "group_norm",
    "rms_norm",
    "local_response_norm",
    "normalize",
]


def _acc(x):
    return jnp.promote_types(x.dtype, jnp.float32)


def _stats(x, axes):
    """Mean and biased variance over ``axes`` in the accumulation dtype (keepdims)."""
    xf = x.astype(_acc(x))
    if all(x.shape[a] for a in axes):
        # shifted by the first element: a constant slice gets exactly its value as mean, variance 0
        shift = jax.lax.stop_gradient(xf[tuple(slice(0, 1) if a in axes else slice(None) for a in range(x.ndim))])
        mean = shift + jnp.mean(xf - shift, axis=axes, keepdims=True)
    else:
        mean = jnp.mean(xf, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(xf - mean), axis=axes, keepdims=True)
    return mean, var


def _channel(v, ndim):
    return v.reshape((1, -1) + (1,) * (ndim - 2))


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * weight.reshape(shape).astype(y.dtype)
    if bias is not None:
        y = y + bias.reshape(shape).astype(y.dtype)
    return y


@op("native_batch_norm", function=False, method=False, grad_name="NativeBatchNormBackward0")
def _batch_norm(x, weight, bias, running_mean, running_var, eps, *, training):
    axes = (0,) + tuple(range(2, x.ndim))
    if training:
        mean, var = _stats(x, axes)
    else:
        mean = _channel(running_mean, x.ndim).astype(_acc(x))
        var = _channel(running_var, x.ndim).astype(_acc(x))
    y = (x.astype(mean.dtype) - mean) * jax.lax.rsqrt(var + eps.astype(mean.dtype))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return _affine(y, weight, bias, shape).astype(x.dtype)


@op("batch_norm_update_stats", function=False, method=False, differentiable=False)
def _batch_norm_update(x, running_mean, running_var, momentum, *, per_instance):
    """New running (mean, var): batch (or per-instance, averaged) mean and unbiased variance."""
    axes = tuple(range(2, x.ndim)) if per_instance else (0,) + tuple(range(2, x.ndim))
    n = math.prod(x.shape[a] for a in axes)
    mean, var = _stats(x, axes)
    var = var * (n / max(n - 1, 1))
    mean, var = mean.reshape(-1, x.shape[1]).mean(0), var.reshape(-1, x.shape[1]).mean(0)
    m = momentum.astype(mean.dtype)
    new_mean = (1 - m) * running_mean.astype(mean.dtype) + m * mean
    new_var = (1 - m) * running_var.astype(mean.dtype) + m * var
    return new_mean.astype(running_mean.dtype), new_var.astype(running_var.dtype)


def _verify_batch_size(size):
    n = size[0]
    for s in size[2:]:
        n *= s
    if n == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}"
        )


def _update_running(input, running_mean, running_var, momentum, per_instance):  # noqa: A002
    with no_grad():
        new_mean, new_var = _batch_norm_update.frontend(
            input, running_mean, running_var, momentum, per_instance=per_instance
        )
        running_mean._inplace_assign(new_mean)
        running_var._inplace_assign(new_var)


def _check_mixed_dtype(input, *params, kernel=None):  # noqa: A002
    """ATen's check_mixed_data_type on CPU: the parameters share the input's dtype, or the input is
    bfloat16/half with float32 parameters. ``kernel``: the name an integer input is refused with
    first (batch_norm)."""
    from ... import _dtype

    if kernel is not None and not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.SCALAR_NAMES[input.dtype.name]}\'')
    given = [p for p in params if p is not None]
    if not given or all(p.dtype is input.dtype for p in given):
        return
    if input.dtype in (_dtype.bfloat16, _dtype.float16) and all(p.dtype is _dtype.float32 for p in given):
        return
    raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training=False,
    momentum=0.1,  # noqa: A002
    eps=1e-5,
):
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    channels = input.shape[1] if input.dim() > 1 else 1
    for name, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    if not training:
        for name, t in (("running_mean", running_mean), ("running_var", running_var)):
            if t is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
    _check_mixed_dtype(input, weight, bias, running_mean, running_var, kernel="batch_norm")
    if training:
        out = _batch_norm.frontend(input, weight, bias, None, None, eps, training=True)
        if running_mean is not None and running_var is not None:
            _update_running(input, running_mean, running_var, momentum, False)
        return out
    return _batch_norm.frontend(input, weight, bias, running_mean, running_var, eps, training=False)


@op("instance_norm", function=False, method=False, grad_name="NativeBatchNormBackward0")
def _instance_norm(x, weight, bias, eps):
    mean, var = _stats(x, tuple(range(2, x.ndim)))
    y = (x.astype(mean.dtype) - mean) * jax.lax.rsqrt(var + eps.astype(mean.dtype))
    return _affine(y, weight, bias, (1, -1) + (1,) * (x.ndim - 2)).astype(x.dtype)


def instance_norm(
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,  # noqa: A002
    use_input_stats=True,
    momentum=0.1,
    eps=1e-5,
):
    _check_mixed_dtype(input, weight, bias, running_mean, running_var)
    if use_input_stats:
        size = input.size()
        n = 1
        for s in size[2:]:
            n *= s
        if n == 1:
            raise ValueError(
                f"Expected more than 1 spatial element when training, got input size {size}"
            )
        out = _instance_norm.frontend(input, weight, bias, eps)
        if running_mean is not None and running_var is not None:
            _update_running(input, running_mean, running_var, momentum, True)
        return out
    return _batch_norm.frontend(input, weight, bias, running_mean, running_var, eps, training=False)


def _check_normalized_shape(input, normalized_shape):  # noqa: A002
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(int(s) for s in normalized_shape)
    n = len(normalized_shape)
    if tuple(input.shape[input.dim() - n :]) != normalized_shape or input.dim() < n:
        expected = ", ".join(["*"] + [str(s) for s in normalized_shape])
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape [{expected}], but got "
            f"input of size{list(input.shape)}"
        )
    return normalized_shape


@op("native_layer_norm", function=False, method=False, grad_name="NativeLayerNormBackward0")
def _layer_norm(x, weight, bias, eps, *, n):
    axes = tuple(range(x.ndim - n, x.ndim))
    mean, var = _stats(x, axes)
    y = (x.astype(mean.dtype) - mean) * jax.lax.rsqrt(var + eps.astype(mean.dtype))
    shape = x.shape[x.ndim - n :]
    return _affine(y, weight, bias, shape).astype(x.dtype)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):  # noqa: A002
    if not isinstance(normalized_shape, (tuple, list)) and not hasattr(normalized_shape, "tolist"):
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
            f"{type(normalized_shape).__name__}"
        )
    shape = _check_normalized_shape(input, normalized_shape)
    _check_mixed_dtype(input, weight, bias)
    return _layer_norm.frontend(input, weight, bias, eps, n=len(shape))


@op("native_group_norm", function=False, method=False, grad_name="NativeGroupNormBackward0")
def _group_norm(x, weight, bias, eps, *, num_groups):
    g = x.reshape((x.shape[0], num_groups, -1))
    mean, var = _stats(g, (2,))
    y = ((g.astype(mean.dtype) - mean) * jax.lax.rsqrt(var + eps.astype(mean.dtype))).reshape(
        x.shape
    )
    return _affine(y, weight, bias, (1, -1) + (1,) * (x.ndim - 2)).astype(x.dtype)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):  # noqa: A002
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}"
        )
    channels = input.shape[1]
    if channels % num_groups:
        raise RuntimeError(
            f"Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{list(input.shape)} and num_groups={num_groups}"
        )
    for t in (weight, bias):
        if t is not None and t.numel() != channels:
            raise RuntimeError(
                f"Expected weight to be a vector of size equal to the number of channels in input, but got weight "
                f"of shape {list(t.shape)} and input of shape {list(input.shape)}"
            )
    _check_mixed_dtype(input, weight, bias)
    return _group_norm.frontend(input, weight, bias, eps, num_groups=int(num_groups))


@op("rms_norm", function=False, method=False, grad_name="RmsNormBackward0")
def _rms_norm(x, weight, eps, *, n):
    xf = x.astype(_acc(x))
    ms = jnp.mean(jnp.square(xf), axis=tuple(range(x.ndim - n, x.ndim)), keepdims=True)
    y = xf * jax.lax.rsqrt(ms + eps.astype(xf.dtype))
    if weight is not None:
        y = y * weight.astype(y.dtype)
    return y.astype(x.dtype)


def rms_norm(input, normalized_shape, weight=None, eps=None):  # noqa: A002
    shape = _check_normalized_shape(input, normalized_shape)
    if eps is None:
        eps = float(np.finfo(input.dtype.np if input.dtype.name != "bfloat16" else np.float32).eps)
        if input.dtype.name == "bfloat16":
            eps = 0.0078125
    return _rms_norm.frontend(input, weight, eps, n=len(shape))


@op("local_response_norm", function=False, method=False, promote="same", promote_args=(0,))
def _local_response_norm(x, alpha, beta, k, *, size):
    sq = jnp.square(x)
    pad = [(0, 0)] * x.ndim
    pad[1] = (size // 2, (size - 1) // 2)
    sq = jnp.pad(sq, pad)
    c = x.shape[1]
    window = sum(jax.lax.slice_in_dim(sq, i, i + c, axis=1) for i in range(size))
    div = jnp.power(window / size * alpha + k, beta)
    return x / div


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):  # noqa: A002
    if input.dim() < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality input (got {input.dim()} dimensions)"
        )
    if input.numel() == 0:
        return input
    return _local_response_norm.frontend(input, alpha, beta, k, size=int(size))


@op("normalize", function=False, method=False, promote="same", promote_args=(0,), grad_name="DivBackward0")
def _normalize(x, eps, *, p, dim):
    a = x * jnp.sign(x)  # |x| with torch's zero gradient at 0 (jnp.abs has 1 there)
    if p == math.inf:
        norm = jnp.max(a, axis=dim, keepdims=True)
    elif p == -math.inf:
        norm = jnp.min(a, axis=dim, keepdims=True)
    elif p == 1:
        norm = jnp.sum(a, axis=dim, keepdims=True)
    elif p == 0:
        norm = jnp.sum((x != 0).astype(x.dtype), axis=dim, keepdims=True)
    else:
        s = jnp.sum(a**p if p != 2 else jnp.square(x), axis=dim, keepdims=True)
        # a zero vector has zero norm and zero gradient (not the nan of s ** (1/p) at 0)
        pos = s > 0
        norm = jnp.where(pos, jnp.where(pos, s, 1) ** (1.0 / p), 0)
    return x / jnp.maximum(norm, eps)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):  # noqa: A002
    from ..._tensor import _wrap_dim

    d = _wrap_dim(dim, input.dim())
    result = _normalize.frontend(input, eps, p=float(p), dim=d)
    if out is not None:
        out.copy_(result)
        return out
    return result


# -- CrossMapLRN2d (the legacy Lua-torch LRN, kept by PyTorch as an autograd.Function) ----------
def _cross_map_windows(channels, size):
    """The channels each output's scale sums over, as PyTorch's running-sum forward (which never
    drops channel 0) and its hand-written backward (a plain window) compute them."""
    pre_pad = int((size - 1) / 2 + 1)
    c, j = np.arange(channels)[:, None], np.arange(channels)[None, :]
    forward = (j <= np.minimum(c + pre_pad - 1, channels - 1)) & ((j == 0) | (j > c - pre_pad))
    inverse_pre_pad = int(size - (size - 1) / 2)
    backward = (j >= c - inverse_pre_pad) & (j <= c + size - 1 - inverse_pre_pad)
    return forward.astype(np.float32), backward.astype(np.float32)


def _over_channels(window, t):
    return jnp.einsum("cj,njhw->nchw", window.astype(t.dtype), t, precision=jax.lax.Precision.HIGHEST)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3, 4))
def _cross_map_lrn(x, size, alpha, beta, k):
    return _cross_map_lrn_fwd(x, size, alpha, beta, k)[0]


def _cross_map_lrn_fwd(x, size, alpha, beta, k):
    window, _ = _cross_map_windows(x.shape[1], size)
    scale = _over_channels(window, x * x) * jnp.asarray(alpha / size, x.dtype) + jnp.asarray(k, x.dtype)
    out = scale ** jnp.asarray(-beta, x.dtype) * x
    return out, (x, out, scale)


def _cross_map_lrn_bwd(size, alpha, beta, k, res, g):
    x, out, scale = res
    _, window = _cross_map_windows(x.shape[1], size)
    accum = _over_channels(window, g * out / scale)
    cache = jnp.asarray(2 * alpha * beta / size, x.dtype)
    return (scale ** jnp.asarray(-beta, x.dtype) * g - cache * x * accum,)


_cross_map_lrn.defvjp(_cross_map_lrn_fwd, _cross_map_lrn_bwd)


@op("cross_map_lrn2d", function=False, method=False, grad_name="CrossMapLRN2dBackward")
def _cross_map_lrn2d(input, *, size, alpha, beta, k):  # noqa: A002
    if input.ndim != 4:
        raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.ndim}D instead.")
    return _cross_map_lrn(input, size, alpha, beta, k)


def cross_map_lrn2d(input, size, alpha=1e-4, beta=0.75, k=1):  # noqa: A002
    """What ``nn.CrossMapLRN2d`` applies (not part of ``torch.nn.functional``)."""
    return _cross_map_lrn2d.frontend(input, size=int(size), alpha=float(alpha), beta=float(beta), k=float(k))
