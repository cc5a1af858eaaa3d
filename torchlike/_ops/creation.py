"""Creation kernels (zeros, ones, full, arange, ...). Shapes and dtypes are attributes;
fill values are program inputs."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._barebones import to_float8
from .._dtype import FLOAT8, float8_e8m0fnu
from .registry import op


@op("zeros_k", function=False, differentiable=False)
def zeros_k(*, size, dtype, device=None):
    if dtype is float8_e8m0fnu:  # zeroed memory, as PyTorch's: the bits of 2**-127 (no 0 exists)
        return lax.bitcast_convert_type(jnp.zeros(size, jnp.uint8), dtype.np)
    return jnp.zeros(size, dtype.np)


@op("ones_k", function=False, differentiable=False)
def ones_k(*, size, dtype, device=None):
    return jnp.ones(size, dtype.np)


@op("full_k", function=False, differentiable=False)
def full_k(fill_value, *, size, dtype, device=None):
    if dtype in FLOAT8:
        return to_float8(jnp.full(size, fill_value, jnp.float32), dtype)
    return jnp.full(size, fill_value, dtype.np)


@op("eye_k", function=False, differentiable=False)
def eye_k(*, n, m, dtype, device=None):
    if dtype is float8_e8m0fnu:  # zeroed memory (2**-127) with ones (bits 127) on the diagonal
        return lax.bitcast_convert_type(jnp.eye(n, m, dtype=jnp.uint8) * jnp.uint8(127), dtype.np)
    return jnp.eye(n, m, dtype=dtype.np)


@op("arange_k", function=False, differentiable=False)
def arange_k(start, *, length, step, dtype, device=None, chunk=None):
    if dtype.np not in (jnp.float32, jnp.float64):
        return (start + jnp.arange(length, dtype=jnp.float64 if dtype.is_floating_point else jnp.int64) * step).astype(
            dtype.np)
    # ATen's CPU kernel, in double: each parallel chunk of `chunk` elements is written two
    # 32-byte vectors at a time, a vector being `float(base) + k * step` with
    # base = start + step * idx, and the chunk's tail one `start + step * idx` each; the
    # compiler contracts every `a + b * c` there into an fma (so -8 + 80 * 0.1 is 4.4e-16, not 0).
    start = jnp.asarray(start, jnp.float64)
    width = 32 // jnp.dtype(dtype.np).itemsize
    chunk = chunk or length
    j = jnp.arange(length, dtype=jnp.int64)
    first = j // chunk * chunk
    r = j - first
    in_vectors = r < (jnp.minimum(first + chunk, length) - first) // (2 * width) * (2 * width)
    k = r % width
    base = _fma_index(step, (j - k).astype(jnp.float64), start).astype(dtype.np).astype(jnp.float64)
    vector = _fma_index(step, k.astype(jnp.float64), base)
    tail = _fma_index(step, j.astype(jnp.float64), start)
    return jnp.where(in_vectors, vector, tail).astype(dtype.np)


def _fma_index(step: float, i, c):
    """``fma(step, i, c)`` in float64 for integral ``i`` below 2**26, robust to whether XLA fuses
    it: ``step`` split into 26 high bits and the rest makes both partial products exact, and the
    three-term sum is compensated (TwoSum), so only a near-tie could round differently."""
    bits = np.asarray(step, np.float64).view(np.uint64) & np.uint64(~((1 << 27) - 1) & (2**64 - 1))
    hi = float(bits.view(np.float64))
    lo = step - hi
    p1 = hi * i
    s = c + p1
    bb = s - c
    t = (c - (s - bb)) + (p1 - bb)
    return s + (t + lo * i)


@op("linspace_k", function=False, differentiable=False)
def linspace_k(start, end, *, steps, dtype, device=None):
    if steps == 1:
        return jnp.full((1,), start, dtype.np)
    # ATen's CPU kernel: start and end cast to the dtype, the step divided in the dtype (double for
    # integers), and each point one fused multiply-add from whichever end is nearer, so the last
    # point is exactly `end`. float64 arithmetic then one rounding is that fma for float32.
    i = jnp.arange(steps, dtype=jnp.float64)
    half = steps // 2
    if dtype.np in (jnp.float16, jnp.bfloat16):
        # c10::Half/BFloat16 arithmetic: each operation in float, rounded back to the dtype
        dt = dtype.np
        r = lambda v: v.astype(dt).astype(jnp.float32)  # noqa: E731
        start, end = r(jnp.asarray(start)), r(jnp.asarray(end))
        step = r(r(end - start) / lax.optimization_barrier(r(jnp.asarray(steps - 1, jnp.float32))))
        i = r(jnp.arange(steps, dtype=jnp.float32))
        j = r(jnp.arange(steps - 1, -1, -1, dtype=jnp.float32))
        return jnp.where(i < half, r(start + r(step * i)), r(end - r(step * j))).astype(dt)
    if dtype.is_floating_point and jnp.dtype(dtype.np).itemsize < 8:
        start, end = jnp.asarray(start).astype(dtype.np), jnp.asarray(end).astype(dtype.np)
        # the barrier keeps XLA from turning the division by a constant into a multiplication
        divisor = lax.optimization_barrier(jnp.asarray(steps - 1, dtype.np))
        step = ((end - start) / divisor).astype(jnp.float64)
        start, end = start.astype(jnp.float64), end.astype(jnp.float64)
    else:
        step = (end - start) / (steps - 1)
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
    return zeros_k(size=x.shape, dtype=dtype)


@op("ones_like_k", function=False, differentiable=False)
def ones_like_k(x, *, dtype):
    return jnp.ones(x.shape, dtype.np)


@op("full_like_k", function=False, differentiable=False)
def full_like_k(x, fill_value, *, dtype):
    return full_k(fill_value, size=x.shape, dtype=dtype)


@op("tril_indices_k", function=False, differentiable=False)
def tril_indices_k(*, row, col, offset=0):
    r, c = jnp.tril_indices(row, offset, col)
    return jnp.stack([r, c]).astype(jnp.int64)


@op("triu_indices_k", function=False, differentiable=False)
def triu_indices_k(*, row, col, offset=0):
    r, c = jnp.triu_indices(row, offset, col)
    return jnp.stack([r, c]).astype(jnp.int64)
