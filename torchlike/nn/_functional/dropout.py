"""dropout, dropout1d/2d/3d (channel-wise), alpha_dropout, feature_alpha_dropout.

On the CPU outside recordings the noise is PyTorch's own (``_random_host.dropout_noise``): drawn on
the host from the replayed mt19937 stream and fed to the program as an input array, then
``input * noise`` as ATen's CPU ``_dropout`` computes it. Elsewhere (``torchlike.compile``
recordings, accelerators, Intel CPUs, where PyTorch draws through MKL) the mask is drawn inside the
kernel from (seed, counter) inputs taken from torchlike's RNG, so each step gets a fresh mask with
no recompile; p is an input too, and the backward (jax.vjp of the kernel) redraws the same mask
from the same key.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from ... import _random_host as H
from ..._context import state
from ..._ops import random as _R
from ..._ops.registry import op
from ..._tensor import Tensor
from ...random import host_rng

__all__ = [
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "alpha_dropout",
    "feature_alpha_dropout",
]

_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of SELU: the value a dropped unit takes


@op("native_dropout", function=False, method=False, grad_name="NativeDropoutBackward0")
def _dropout(x, seed, counter, p, *, feature, alpha):
    """``feature``: one mask value per (batch, channel), broadcast over the rest."""
    shape = x.shape[:2] + (1,) * (x.ndim - 2) if feature else x.shape
    dt = jnp.promote_types(x.dtype, jnp.float32)
    p = p.astype(dt)
    keep = (jax.random.uniform(_R._key(seed, counter), shape, jnp.float32) >= p).astype(dt)
    if not alpha:
        return (x.astype(dt) * (keep / (1 - p))).astype(x.dtype)
    a = jax.lax.rsqrt((_SELU_ALPHA_PRIME**2 * p + 1) * (1 - p))
    b = (keep - 1) * (_SELU_ALPHA_PRIME * a) + _SELU_ALPHA_PRIME * a * p
    return (x.astype(dt) * (keep * a) + b).astype(x.dtype)


def skip_cpu_mask_draws(input, numel):  # noqa: A002
    """Advance the CPU generator as PyTorch's CPU dropout does for a mask of ``numel`` elements
    (``bernoulli_(1 - p)``), so later host draws stay in step with PyTorch, where the mask itself
    comes from a jax key inside the program."""
    mt = host_rng(None, input._device)
    if mt is not None:
        H.skip_bernoulli_scalar(mt, int(numel))


def cpu_dropout_noise(input, shape, p, *, alpha=False, like_input=False):  # noqa: A002
    """PyTorch's CPU dropout noise of ``shape`` for ``input`` (a Tensor; with ``alpha``, a pair
    (noise, b) for ``input * noise + b``), or None where the mask comes from a jax key: then the
    CPU generator has been advanced as PyTorch's draw would advance it. ``like_input``: the noise
    is laid out as ``input`` is, hence drawn in its storage order (``_storage_order``)."""
    mt = host_rng(None, input._device)
    if mt is None:
        return None
    dt, p = input._dtype, float(p)
    if p >= 1:  # ATen multiplies by zeros and draws nothing
        return Tensor._make(np.zeros(shape, dt.np), dt, input._device)
    if H.mkl_bernoulli() or not dt.is_floating_point:
        H.skip_bernoulli_scalar(mt, math.prod(shape))
        return None
    order = _storage_order(input) if like_input else None
    stored = shape if order is None else tuple(shape[d] for d in order)

    def logical(a):
        return a if order is None else np.transpose(a, np.argsort(order))

    if alpha:
        noise, b = H.alpha_dropout_noise(mt, stored, dt.np, p)
        return Tensor._make(logical(noise), dt, input._device), Tensor._make(logical(b), dt, input._device)
    return Tensor._make(logical(H.dropout_noise(mt, stored, dt.np, p)), dt, input._device)


def _storage_order(input):  # noqa: A002
    """The dims of ``input`` from the outermost as a dense tensor with its strides stores them, or
    None for row-major (or not dense). ATen's CPU dropout draws its noise into
    ``empty_like(input)``, which keeps those strides, in storage order: a transposed input (the
    output of a batch_first MultiheadAttention) gets its mask drawn transposed."""
    if not state.memory_formats or input.dim() < 2:
        return None
    shape, stride = tuple(input.shape), input.stride()
    order = sorted(range(len(shape)), key=lambda d: (-stride[d], d))
    expected = 1
    for d in reversed(order):
        if shape[d] != 1:
            if stride[d] != expected:
                return None
            expected *= shape[d]
    if all(shape[d] == 1 for d, want in zip(order, range(len(shape))) if d != want):
        return None
    return tuple(order)


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply(input, p, training, inplace, *, feature=False, alpha=False):  # noqa: A002
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        out = input * 0
    else:
        shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2) if feature else tuple(input.shape)
        # a feature mask is a new contiguous tensor, the others are laid out like the input
        noise = cpu_dropout_noise(input, shape, p, alpha=alpha, like_input=not feature)
        if noise is not None:  # ATen's CPU arithmetic: multiply(input, noise), then add_(b)
            out = input * noise[0] + noise[1] if alpha else input * noise
        else:
            from ...random import next_key

            seed, counter = next_key()
            out = _dropout.frontend(input, seed, counter, p, feature=feature, alpha=alpha)
    return input._inplace_assign(out) if inplace else out


def dropout(input, p=0.5, training=True, inplace=False):  # noqa: A002
    if training and 0 < p < 1 and not (input.dtype.is_floating_point or input.dtype.is_complex):
        from ... import _dtype  # (ATen scales by a float: an integer tensor cannot hold the result)

        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_dtype.SCALAR_NAMES[input.dtype.name]}"
        )
    return _apply(input, p, training, inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):  # noqa: A002
    return _apply(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):  # noqa: A002
    return _apply(input, p, training, inplace, feature=True, alpha=True)


def _feature_dropout(input, p, training, inplace, batched_dim):  # noqa: A002
    """Channel-wise dropout; an unbatched input (one dim fewer) gets a batch of one."""
    _check_p(p)
    unbatched = input.dim() == batched_dim - 1
    x = input.unsqueeze(0) if unbatched else input
    out = _apply(x, p, training, False, feature=True)
    if unbatched:
        out = out.squeeze(0)
    return input._inplace_assign(out) if inplace and out is not input else out


def dropout1d(input, p=0.5, training=True, inplace=False):  # noqa: A002
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note that dropout1d exists "
            "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an "
            "optional batch dimension (i.e. 2D or 3D inputs)."
        )
    return _feature_dropout(input, p, training, inplace, 3)


def dropout2d(input, p=0.5, training=True, inplace=False):  # noqa: A002
    import warnings

    d = input.dim()
    if d not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {d}-D input to dropout2d, which is deprecated and will result in an error in a "
            "future release. To retain the behavior and silence this warning, please use dropout instead. Note "
            "that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel "
            "dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if d == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d "
            "instead.",
            stacklevel=2,
        )
    _check_p(p)
    out = _apply(input, p, training, False, feature=True)
    return input._inplace_assign(out) if inplace and out is not input else out


def dropout3d(input, p=0.5, training=True, inplace=False):  # noqa: A002
    import warnings

    d = input.dim()
    if d not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {d}-D input to dropout3d, which is deprecated and will result in an error in a "
            "future release. To retain the behavior and silence this warning, please use dropout instead. Note "
            "that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel "
            "dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    if d not in (4, 5):
        _check_p(p)
        out = _apply(input, p, training, False, feature=True)
        return input._inplace_assign(out) if inplace and out is not input else out
    return _feature_dropout(input, p, training, inplace, 5)
