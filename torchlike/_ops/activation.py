"""Activations that live in the torch namespace (softmax family); the rest are in nn.functional."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .registry import op


def _dim(x, dim):
    if dim is None:
        return 0 if x.ndim in (0, 1, 3) else 1  # torch's legacy implicit dim
    return dim % max(x.ndim, 1)


def _floating_only(x, dim, name):
    """ATen's CPU (log_)softmax kernels exist for floating types only (named by the dim's place)."""
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        from .._dtype import SCALAR_NAMES

        last = x.ndim <= 1 or _dim(x, dim) == x.ndim - 1
        kernel = f"{name}_lastdim_kernel_impl" if last else f"{name}_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{SCALAR_NAMES[jnp.dtype(x.dtype).name]}\'')


@op("softmax", method=True, grad_name="SoftmaxBackward0")
def softmax(x, *, dim=None, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    _floating_only(x, dim, "softmax")
    return jax.nn.softmax(x, axis=_dim(x, dim)) if x.ndim else jnp.ones_like(x)


@op("log_softmax", method=True, grad_name="LogSoftmaxBackward0")
def log_softmax(x, *, dim=None, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    _floating_only(x, dim, "log_softmax")
    return jax.nn.log_softmax(x, axis=_dim(x, dim)) if x.ndim else jnp.zeros_like(x)


@op("softmin", function=False)
def softmin(x, *, dim=None, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    return jax.nn.softmax(-x, axis=_dim(x, dim))
