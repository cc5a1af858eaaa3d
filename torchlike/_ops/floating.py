"""Floating-point representation ops: frexp, nextafter."""

from __future__ import annotations

import jax.numpy as jnp

from .registry import op


@op("frexp_k", function=False, differentiable=False)
def frexp_k(x):
    # in float64 for the narrower types: XLA:CPU flushes their subnormals to zero
    wide = x.astype(jnp.float64) if x.dtype != jnp.float64 else x
    mantissa, exponent = jnp.frexp(wide)
    return mantissa.astype(x.dtype), exponent.astype(jnp.int32)


@op("nextafter", method=True, inplace="nextafter_", promote="same", differentiable=False)
def nextafter(x, other):
    return jnp.nextafter(x, other)
