"""Floating-point representation ops: frexp, nextafter."""

from __future__ import annotations

import jax.numpy as jnp

from .registry import op


@op("frexp_k", function=False, differentiable=False)
def frexp_k(x):
    mantissa, exponent = jnp.frexp(x)  # (subnormal inputs: not normalised, see docs/differences.md)
    return mantissa, exponent.astype(jnp.int32)


@op("nextafter", method=True, inplace="nextafter_", promote="same", differentiable=False)
def nextafter(x, other):
    return jnp.nextafter(x, other)
