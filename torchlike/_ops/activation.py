"""Activations that live in the torch namespace (softmax family); the rest are in nn.functional."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .registry import op


def _dim(x, dim):
    if dim is None:
        return 0 if x.ndim in (0, 1, 3) else 1  # torch's legacy implicit dim
    return dim % max(x.ndim, 1)


@op("softmax", method=True, grad_name="SoftmaxBackward0")
def softmax(x, *, dim=None, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        raise RuntimeError('"softmax_lastdim_kernel_impl" not implemented for \'Long\'')
    return jax.nn.softmax(x, axis=_dim(x, dim)) if x.ndim else jnp.ones_like(x)


@op("log_softmax", method=True, grad_name="LogSoftmaxBackward0")
def log_softmax(x, *, dim=None, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    return jax.nn.log_softmax(x, axis=_dim(x, dim)) if x.ndim else jnp.zeros_like(x)


@op("softmin", function=False)
def softmin(x, *, dim=None, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    return jax.nn.softmax(-x, axis=_dim(x, dim))
