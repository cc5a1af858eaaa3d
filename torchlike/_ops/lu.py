"""LU factorisation with partial pivoting (LAPACK's packed factors and 1-based pivots)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .registry import op


@op("lu_factor_k", function=False, grad_name="LinalgLuFactorExBackward0")
def lu_factor_k(a):
    packed, pivots, _ = jax.lax.linalg.lu(a)
    return packed, (pivots + 1).astype(jnp.int32)


@op("lu_permutation_k", function=False, differentiable=False)
def lu_permutation_k(pivots, *, m):
    """The permutation matrix ``P`` of ``A = P L U``."""
    perm = jax.lax.linalg.lu_pivots_to_permutation(pivots - 1, m)
    return jnp.swapaxes(jax.nn.one_hot(perm, m, dtype=jnp.float64), -1, -2)
