"""Creation kernels (zeros, ones, full, arange, ...). Shapes and dtypes are attributes;
fill values are program inputs."""

from __future__ import annotations

import jax.numpy as jnp

from .registry import op


@op("zeros_k", function=False, differentiable=False)
def zeros_k(*, size, dtype, device=None):
    return jnp.zeros(size, dtype.np)


@op("ones_k", function=False, differentiable=False)
def ones_k(*, size, dtype, device=None):
    return jnp.ones(size, dtype.np)


@op("full_k", function=False, differentiable=False)
def full_k(fill_value, *, size, dtype, device=None):
    return jnp.full(size, fill_value, dtype.np)


@op("eye_k", function=False, differentiable=False)
def eye_k(*, n, m, dtype, device=None):
    return jnp.eye(n, m, dtype=dtype.np)


@op("arange_k", function=False, differentiable=False)
def arange_k(start, *, length, step, dtype, device=None):
    return (start + jnp.arange(length, dtype=jnp.float64 if dtype.is_floating_point else jnp.int64) * step).astype(dtype.np)


@op("linspace_k", function=False, differentiable=False)
def linspace_k(start, end, *, steps, dtype, device=None):
    if steps == 1:
        return jnp.full((1,), start, dtype.np)
    # torch computes the two halves from both ends, so the last point is exactly `end`
    i = jnp.arange(steps, dtype=jnp.float64)
    step = (end - start) / (steps - 1)
    half = steps // 2
    vals = jnp.where(i < half, start + step * i, end - step * (steps - 1 - i))
    if not dtype.is_floating_point:
        vals = jnp.trunc(vals)
    return vals.astype(dtype.np)


@op("logspace_k", function=False, differentiable=False)
def logspace_k(start, end, *, steps, base, dtype, device=None):
    return jnp.power(base, linspace_k(start, end, steps=steps, dtype=_F64)).astype(dtype.np)


class _F64:
    np = jnp.float64
    is_floating_point = True


@op("zeros_like_k", function=False, differentiable=False)
def zeros_like_k(x, *, dtype):
    return jnp.zeros(x.shape, dtype.np)


@op("ones_like_k", function=False, differentiable=False)
def ones_like_k(x, *, dtype):
    return jnp.ones(x.shape, dtype.np)


@op("full_like_k", function=False, differentiable=False)
def full_like_k(x, fill_value, *, dtype):
    return jnp.full(x.shape, fill_value, dtype.np)


@op("tril_indices_k", function=False, differentiable=False)
def tril_indices_k(*, row, col, offset=0):
    r, c = jnp.tril_indices(row, offset, col)
    return jnp.stack([r, c]).astype(jnp.int64)


@op("triu_indices_k", function=False, differentiable=False)
def triu_indices_k(*, row, col, offset=0):
    r, c = jnp.triu_indices(row, offset, col)
    return jnp.stack([r, c]).astype(jnp.int64)
