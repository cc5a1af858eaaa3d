"""embedding, embedding_bag, one_hot.

Gradient rules that torch attaches to the lookup (padding_idx rows get no gradient,
scale_grad_by_freq divides a row's gradient by its count in the batch) are written as a per-row
gradient scale inside the kernel: ``w + (w - stop_gradient(w)) * (s - 1)`` has the value of ``w``
exactly and the gradient ``s``, so jax.vjp of the kernel is the whole backward.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ... import _debug_checks, _dtype
from ..._ops import indexing as _I
from ..._ops.registry import op
from ...autograd.grad_mode import no_grad

__all__ = ["embedding", "embedding_bag", "one_hot"]


def _grad_scaled_rows(weight, indices, padding_idx, scale_grad_by_freq):
    if padding_idx is None and not scale_grad_by_freq:
        return weight
    scale = jnp.ones((weight.shape[0],), weight.dtype)
    if scale_grad_by_freq:
        counts = jnp.zeros((weight.shape[0],), weight.dtype).at[indices.reshape(-1)].add(1)
        scale = 1 / jnp.maximum(counts, 1)
    if padding_idx is not None:
        scale = scale.at[padding_idx].set(0)
    live = weight - jax.lax.stop_gradient(weight)  # zero, carrying the gradient
    return jax.lax.stop_gradient(weight) + live * scale[:, None]


@op("embedding", function=False, method=False, grad_name="EmbeddingBackward0")
def _embedding(weight, indices, *, padding_idx, scale_grad_by_freq):
    w = _grad_scaled_rows(weight, indices, padding_idx, scale_grad_by_freq)
    return jnp.take(w, indices.astype(jnp.int64), axis=0)


_embedding.opdef.check = _debug_checks.free_check("embedding")


@op("embedding_renorm", function=False, method=False, differentiable=False)
def _embedding_renorm(weight, indices, max_norm, *, norm_type):
    """torch.embedding_renorm_: rows referenced by ``indices`` with a norm above max_norm are scaled down."""
    used = jnp.zeros((weight.shape[0],), bool).at[indices.reshape(-1)].set(True)
    wf = weight.astype(jnp.promote_types(weight.dtype, jnp.float32))
    if norm_type == float("inf"):
        norm = jnp.max(jnp.abs(wf), axis=1)
    else:
        norm = jnp.sum(jnp.abs(wf) ** norm_type, axis=1) ** (1.0 / norm_type)
    max_norm = max_norm.astype(wf.dtype)
    scale = jnp.where(used & (norm > max_norm), max_norm / (norm + 1e-7), 1)
    return (wf * scale[:, None]).astype(weight.dtype)


def _check_padding_idx(padding_idx, num):
    if padding_idx is None:
        return None
    if padding_idx > 0 and padding_idx >= num:
        raise AssertionError("Padding_idx must be within num_embeddings")
    if padding_idx < 0:
        if padding_idx < -num:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = num + padding_idx
    return int(padding_idx)


def _check_indices(input):  # noqa: A002
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but "
            f"got {_TYPE_NAME.get(input.dtype, str(input.dtype))} instead (while checking arguments for embedding)"
        )


_TYPE_NAME = {
    _dtype.float32: "torch.FloatTensor",
    _dtype.float64: "torch.DoubleTensor",
    _dtype.float16: "torch.HalfTensor",
    _dtype.bool_: "torch.BoolTensor",
}


def _renorm_(weight, indices, max_norm, norm_type):
    with no_grad():
        weight._inplace_assign(
            _embedding_renorm.frontend(weight, indices, max_norm, norm_type=float(norm_type))
        )


def embedding(
    input,
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,  # noqa: A002
    sparse=False,
):
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(input)
    padding_idx = _check_padding_idx(padding_idx, weight.size(0))
    if max_norm is not None:
        # torch renormalises the weight in place before the lookup
        _renorm_(weight, input, max_norm, norm_type)
    return _embedding.frontend(
        weight, input, padding_idx=padding_idx, scale_grad_by_freq=bool(scale_grad_by_freq)
    )


@op("embedding_bag", function=False, method=False, grad_name="EmbeddingBagBackward0")
def _embedding_bag(
    weight,
    indices,
    offsets,
    per_sample_weights,
    *,
    mode,
    num_bags,
    padding_idx,
    include_last_offset,
    scale_grad_by_freq,
):
    n = indices.shape[0]
    pos = jnp.arange(n)
    bag = jnp.searchsorted(offsets[:num_bags], pos, side="right") - 1
    valid = bag >= 0
    if include_last_offset:
        valid = valid & (pos < offsets[num_bags])
    if padding_idx is not None:
        valid = valid & (indices != padding_idx)
    bag = jnp.where(valid, bag, num_bags)  # invalid entries go to a spare bag that is dropped
    w = _grad_scaled_rows(weight, indices, None, scale_grad_by_freq)
    rows = jnp.take(w, indices.astype(jnp.int64), axis=0)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights[:, None].astype(rows.dtype)
    count = jax.ops.segment_sum(valid.astype(rows.dtype), bag, num_segments=num_bags + 1)[
        :num_bags, None
    ]
    if mode == "max":
        masked = jnp.where(valid[:, None], rows, -jnp.inf)
        out = jax.ops.segment_max(masked, bag, num_segments=num_bags + 1)[:num_bags]
        return jnp.where(count > 0, out, 0).astype(weight.dtype)
    out = jax.ops.segment_sum(jnp.where(valid[:, None], rows, 0), bag, num_segments=num_bags + 1)[
        :num_bags
    ]
    if mode == "mean":
        out = out / jnp.maximum(count, 1)
    return out.astype(weight.dtype)


def embedding_bag(
    input,
    weight,
    offsets=None,
    max_norm=None,
    norm_type=2,
    scale_grad_by_freq=False,  # noqa: A002
    mode="mean",
    sparse=False,
    per_sample_weights=None,
    include_last_offset=False,
    padding_idx=None,
):
    from ... import _creation

    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must have the "
            f"same shape as the input ({input.shape})"
        )
    if weight.dim() != 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}"
        )
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length "
                f"sequences. However, found offsets of type {type(offsets)}"
            )
        offsets = _creation.arange(
            0, input.numel(), input.size(1), dtype=input.dtype, device=input.device
        )
        include_last_offset = False
        input = input.reshape(-1)  # noqa: A001
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}"
        )
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' "
            f"(got mode='{mode}'). Please open a feature request on GitHub."
        )
    padding_idx = _check_padding_idx(padding_idx, weight.size(0))
    num_bags = offsets.size(0) - 1 if include_last_offset else offsets.size(0)
    return _embedding_bag.frontend(
        weight,
        input,
        offsets,
        per_sample_weights,
        mode=mode,
        num_bags=int(num_bags),
        padding_idx=padding_idx,
        include_last_offset=bool(include_last_offset),
        scale_grad_by_freq=bool(scale_grad_by_freq),
    )


def one_hot(tensor, num_classes=-1):
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        # the number of classes decides the output shape: a host sync, as in torch
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(tensor.max().item()) + 1
        if int(tensor.min().item()) < 0:
            raise RuntimeError("Class values must be non-negative.")
    else:
        _debug_checks.check_one_hot(tensor, num_classes)
    return _I.one_hot_kernel.frontend(tensor, num_classes=int(num_classes))
