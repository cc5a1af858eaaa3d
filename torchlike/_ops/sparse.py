"""Sparse COO kernels. A torchlike COO tensor keeps its dense value as its array (XLA has no
sparse layouts worth using at these sizes); these kernels build it and combine COO values."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .linalg import HIGHEST, mm
from .registry import op


def _named(args, attrs):
    return dict(attrs)["grad"]


@op(
    "_sparse_coo_dense",
    function=False,
    differentiable=True,
    grad_name="SparseCooTensorWithDimsAndTensorsBackward0",
    grad_name_of=_named,
)
def _sparse_coo_dense(indices, values, *, size, grad="SparseCooTensorWithDimsAndTensorsBackward0"):
    """The dense tensor of ``size`` holding the sum of ``values`` at ``indices`` (duplicates add;
    entries past the size are dropped). ``grad`` is the grad_fn name of the op that made it."""
    out = jnp.zeros(size, values.dtype)
    if values.dtype == jnp.bool_:  # duplicates of a bool tensor: any of them
        return (
            out.at[tuple(indices)].max(values, mode="drop")
            if indices.shape[0]
            else out | jnp.any(values, axis=0)
        )
    if not indices.shape[0]:
        return out + jnp.sum(values, axis=0)
    return out.at[tuple(indices)].add(values, mode="drop")


@op("_sparse_to_dense", function=False, grad_name="ToDenseBackward0")
def _sparse_to_dense(x):
    """A COO tensor's dense value as a tensor of its own."""
    return x


@op("_sparse_sum_duplicates", function=False, grad_name="CoalesceBackward0")
def _sparse_sum_duplicates(values, inverse, *, nnz):
    """Coalesced values: the entries of ``values`` that share an index summed (``inverse`` maps
    each entry to its unique index)."""
    out = jnp.zeros((nnz,) + values.shape[1:], values.dtype)
    return out.at[inverse].max(values) if values.dtype == jnp.bool_ else out.at[inverse].add(values)


@op("_sparse_mm", function=False, promote="same", promote_args=(), grad_name="SparseAddmmBackward0")
def _sparse_mm(sparse_dense, dense, *, precision=HIGHEST):
    """torch.sparse.mm on the sparse operand's dense value (its own grad_fn name)."""
    return mm(sparse_dense, dense, precision=precision)


@op("_sparse_softmax_values", function=False, grad_name="SparseSoftmaxBackward0")
def _sparse_softmax_values(values, groups, *, n, log):
    """Softmax (or log-softmax) of ``values`` within each group (``groups`` numbers each entry's
    group, ``n`` groups): torch.sparse.softmax over the entries a row actually has."""
    acc = jnp.float64 if values.dtype.itemsize <= 4 else values.dtype  # ATen's CPU accumulate type
    x = values.astype(acc)
    top = jax.ops.segment_max(x, groups, num_segments=n)
    shifted = x - jax.lax.stop_gradient(top)[groups]
    total = jax.ops.segment_sum(jnp.exp(shifted), groups, num_segments=n)[groups]
    out = shifted - jnp.log(total) if log else jnp.exp(shifted) / total
    return out.astype(values.dtype)
