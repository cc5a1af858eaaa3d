"""pairwise_distance, pdist, cosine_similarity, and the losses built on them: cosine_embedding_loss,
triplet_margin_loss, triplet_margin_with_distance_loss (reductions as in loss.py)."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from ..._ops.reduction import exact_mean
from ..._ops.registry import op

__all__ = [
    "cosine_embedding_loss",
    "cosine_similarity",
    "pairwise_distance",
    "pdist",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]


def _safe_root(s, root):
    """root(s) with a zero gradient where s == 0 (torch's norm backward masks zero norms)."""
    zero = s == 0
    out = root(jnp.where(zero, jnp.ones_like(s), s))
    return jnp.where(zero, jnp.zeros_like(out), out)


def sign_abs(d):
    """|d| whose gradient at 0 is torch's sign(0) == 0 (jnp.abs's is 1)."""
    return d * jax.lax.stop_gradient(jnp.sign(d))


def pnorm(d, p: float, axis: int, keepdims: bool = False):
    """torch.linalg.vector_norm(d, ord=p, dim=axis) for one axis, differentiable at zero vectors."""
    a = sign_abs(d)
    if p == math.inf:
        return jnp.max(a, axis=axis, keepdims=keepdims)
    if p == -math.inf:
        return jnp.min(a, axis=axis, keepdims=keepdims)
    if p == 0:
        return jnp.sum((d != 0).astype(d.dtype), axis=axis, keepdims=keepdims)
    if p == 1:
        return jnp.sum(a, axis=axis, keepdims=keepdims)
    if p == 2:
        return _safe_root(jnp.sum(d * d, axis=axis, keepdims=keepdims), jnp.sqrt)
    return _safe_root(jnp.sum(a**p, axis=axis, keepdims=keepdims), lambda s: s ** (1.0 / p))


def pairwise(x1, x2, p, eps, keepdim=False):
    """The kernel body of pairwise_distance: the p-norm of x1 - x2 + eps over the last dimension."""
    d = x1 - x2 + jnp.asarray(eps).astype(x1.dtype)
    if d.ndim == 0:
        return pnorm(d[None], p, 0, keepdim)
    return pnorm(d, p, -1, keepdim)


def _broadcast_shape(*shapes):
    """torch's broadcast with torch's error message."""
    ndim = max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    out = []
    for i in range(ndim):
        sizes = [s[i] for s in padded]
        size = max(sizes) if all(n in (1, max(sizes)) for n in sizes) else None
        if size is None:
            a, b = padded[0][i], padded[1][i]
            raise RuntimeError(
                f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {i}"
            )
        out.append(0 if 0 in sizes and size == 1 else size)
    return tuple(out)


@op(
    "pairwise_distance",
    function=False,
    promote="same",
    promote_args=(0, 1),
    grad_name="NormBackward1",
)
def _pairwise_distance(x1, x2, eps, *, p=2.0, keepdim=False):
    return pairwise(x1, x2, p, eps, keepdim)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    _broadcast_shape(x1.shape, x2.shape)
    return _pairwise_distance.frontend(x1, x2, eps, p=float(p), keepdim=bool(keepdim))


@op("pdist", function=False, promote="float", grad_name="PdistBackward0")
def _pdist(x, *, p=2.0):
    i, j = np.triu_indices(x.shape[0], 1)
    return pnorm(x[i] - x[j], p, -1)


def pdist(input, p: float = 2):  # noqa: A002
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    return _pdist.frontend(input, p=float(p))


@op(
    "cosine_similarity",
    function=False,
    promote="float",
    promote_args=(0, 1),
    grad_name="SumBackward1",
)
def _cosine_similarity(x1, x2, eps, *, dim=1):
    shape = jnp.broadcast_shapes(x1.shape, x2.shape)
    x1, x2 = jnp.broadcast_to(x1, shape), jnp.broadcast_to(x2, shape)
    eps = jnp.asarray(eps).astype(x1.dtype)

    def unit(x):
        n = pnorm(x, 2, dim, keepdims=True)
        # torch clamps the norms in place under no_grad: the clamp itself has no gradient
        return x / (n + jax.lax.stop_gradient(jnp.maximum(n, eps) - n))

    return jnp.sum(unit(x1) * unit(x2), axis=dim)


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8):
    shape = _broadcast_shape(x1.shape, x2.shape)
    from ..._dispatch import result_type

    common = result_type([x1, x2], None)
    if not common.is_floating_point:
        from ..._ops.reduction import _torch_type_name

        raise RuntimeError(
            f"expected common dtype to be floating point, yet common dtype is {_torch_type_name(common)}"
        )
    n = max(len(shape), 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return _cosine_similarity.frontend(x1, x2, eps, dim=dim % n)


# -- losses on distances (loss.py imports this file, so its helpers are imported at call time) ----


def _reduce(loss, reduction):
    if reduction == "mean":
        return exact_mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss


def _reduction(size_average, reduce, reduction):
    from .loss import _reduction

    return _reduction(size_average, reduce, reduction)


@op("cosine_embedding_loss", function=False, promote="float", grad_name="MeanBackward0")
def _cosine_embedding_loss(input1, input2, target, margin, *, reduction="mean"):
    dim = target.ndim
    prod = jnp.sum(input1 * input2, axis=dim)
    mag1 = jnp.sum(input1 * input1, axis=dim) + 1e-12
    mag2 = jnp.sum(input2 * input2, axis=dim) + 1e-12
    cos = prod / jnp.sqrt(mag1 * mag2)
    zero = jnp.zeros_like(cos)
    loss = jnp.where(target == 1, 1 - cos, zero) + jnp.where(
        target == -1, jnp.maximum(cos - margin, 0), zero
    )
    return _reduce(loss, reduction)


def cosine_embedding_loss(
    input1,
    input2,
    target,
    margin: float = 0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    if target.dim() not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target.dim() == 1 and not (input1.dim() == 2 and input2.dim() == 2):
        raise RuntimeError(
            f"1D target tensor expects 2D input tensors, but found inputs with sizes {list(input1.shape)} and "
            f"{list(input2.shape)}."
        )
    if target.dim() == 0 and not (input1.dim() == 1 and input2.dim() == 1):
        raise RuntimeError(
            f"0D target tensor expects 1D input tensors, but found inputs with sizes {list(input1.shape)} and "
            f"{list(input2.shape)}."
        )
    _broadcast_shape(input1.shape, input2.shape)
    return _cosine_embedding_loss.frontend(input1, input2, target, margin, reduction=reduction)


def _check_triplet_dims(anchor, positive, negative):
    a, p, n = anchor.dim(), positive.dim(), negative.dim()
    if not a == p == n:
        raise RuntimeError(
            f"The anchor, positive, and negative tensors are expected to have the same number of dimensions, but "
            f"got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


@op("triplet_margin_loss", function=False, promote="float", grad_name="MeanBackward0")
def _triplet_margin_loss(
    anchor, positive, negative, margin, eps, *, p=2.0, swap=False, reduction="mean"
):
    d_pos = pairwise(anchor, positive, p, eps)
    d_neg = pairwise(anchor, negative, p, eps)
    if swap:
        d_neg = jnp.minimum(d_neg, pairwise(positive, negative, p, eps))
    return _reduce(jnp.maximum(_num(margin, d_pos) + d_pos - d_neg, 0), reduction)


def _num(x, like):
    return jnp.asarray(x).astype(like.dtype)


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    _broadcast_shape(anchor.shape, positive.shape, negative.shape)
    return _triplet_margin_loss.frontend(
        anchor, positive, negative, margin, eps, p=float(p), swap=bool(swap), reduction=reduction
    )


@op(
    "triplet_margin_from_distances",
    function=False,
    promote="float",
    promote_args=(0, 1, 2),
    grad_name="MeanBackward0",
)
def _triplet_from_distances(d_pos, d_neg, d_swap, margin, *, reduction="mean"):
    if d_swap is not None:
        d_neg = jnp.minimum(d_neg, d_swap)
    return _reduce(jnp.maximum(_num(margin, d_pos) + d_pos - d_neg, 0), reduction)


def triplet_margin_with_distance_loss(
    anchor,
    positive,
    negative,
    *,
    distance_function=None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos, d_neg = dist(anchor, positive), dist(anchor, negative)
    d_swap = dist(positive, negative) if swap else None
    return _triplet_from_distances.frontend(d_pos, d_neg, d_swap, margin, reduction=reduction)
