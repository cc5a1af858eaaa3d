"""Sparse COO kernels. A torchlike COO tensor keeps its dense value as its array (XLA has no
sparse layouts worth using at these sizes); these kernels build it and combine COO values."""

from __future__ import annotations

import jax.numpy as jnp

from .linalg import HIGHEST, mm
from .registry import op


@op(
    "_sparse_coo_dense",
    function=False,
    differentiable=True,
    grad_name="SparseCooTensorWithDimsAndTensorsBackward0",
)
def _sparse_coo_dense(indices, values, *, size):
    """The dense tensor of ``size`` holding the sum of ``values`` at ``indices`` (duplicates add)."""
    out = jnp.zeros(size, values.dtype)
    return out.at[tuple(indices)].add(values) if indices.shape[0] else out + jnp.sum(values, axis=0)


@op("_sparse_sum_duplicates", function=False, grad_name="CoalesceBackward0")
def _sparse_sum_duplicates(values, inverse, *, nnz):
    """Coalesced values: the entries of ``values`` that share an index summed (``inverse`` maps
    each entry to its unique index)."""
    return jnp.zeros((nnz,) + values.shape[1:], values.dtype).at[inverse].add(values)


@op("_sparse_mm", function=False, promote="same", promote_args=(), grad_name="SparseAddmmBackward0")
def _sparse_mm(sparse_dense, dense, *, precision=HIGHEST):
    """torch.sparse.mm on the sparse operand's dense value (its own grad_fn name)."""
    return mm(sparse_dense, dense, precision=precision)
