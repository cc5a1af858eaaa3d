"""Advanced indexing, gather/scatter, masked ops. Out-of-range indices are clamped by XLA
(a documented difference); ``_debug_checks`` raises PyTorch's errors for indices whose values are
on the host, and in debug mode for all."""

from __future__ import annotations

import math

import jax.numpy as jnp

from .registry import op
from .views import decode_index


@op("index", function=False, grad_name="IndexBackward0")
def index(x, indices, *, spec):
    return x[decode_index(spec, indices)]


def _node_named_by_caller(args, attrs):
    return dict(attrs).get("node")


# ``node``: the grad_fn name where PyTorch reaches this kernel by another path (``x[0, :2] = v``
# is a copy_ into a view: CopySlices; ``x.fill_(v)`` with history: FillBackward2)
@op("index_put", function=False, grad_name="IndexPutBackward0", grad_name_of=_node_named_by_caller)
def index_put(x, value, indices, *, spec, accumulate=False, node=None):
    idx = decode_index(spec, indices)
    value = jnp.asarray(value).astype(x.dtype)
    return x.at[idx].add(value) if accumulate else x.at[idx].set(value)


@op("masked_fill_where", function=False, grad_name="MaskedFillBackward0", grad_name_of=_node_named_by_caller)
def masked_fill_where(x, mask, value, *, node=None):
    return jnp.where(mask, jnp.asarray(value).astype(x.dtype), x)


@op("masked_fill", method=True, inplace="masked_fill_", grad_name="MaskedFillBackward0")
def masked_fill(x, mask, value):
    if mask.dtype != jnp.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}")
    return jnp.where(mask, jnp.asarray(value).astype(x.dtype), x)


def _check_index_dtype(name, idx):
    if idx.dtype not in (jnp.int64, jnp.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def _numel(a) -> int:
    return math.prod(a.shape)


def wrap_dim(dim, ndim) -> int:
    """``dim`` wrapped against ``ndim`` dimensions (a 0-d tensor has one), with ATen's error."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def _sizes(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _nonempty_size(a, d):  # ATen's ensure_nonempty_size: a 0-d tensor counts as size 1 in dim 0
    return a.shape[d] if a.ndim else 1


def gather_shape_check(x, index, d):
    """ATen's gather_shape_check: as many dimensions as the input, no larger apart from ``dim``."""
    if max(x.ndim, 1) != max(index.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(max(x.ndim, 1)):
        if k != d and _nonempty_size(index, k) > _nonempty_size(x, k):
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {_sizes(index.shape)} to be no "
                f"larger than self {_sizes(x.shape)} apart from dimension {d}"
            )


def scatter_shape_check(x, index, d, src=None):
    """ATen's scatter_shape_check (scatter, scatter_add, scatter_reduce), then the kernel's check
    of src's dimensions. A 0-d ``src`` is a value (``scatter_(1, idx, 1)``; a 0-d src tensor is
    not told apart here)."""
    if not _numel(index) or not x.ndim:  # (0-d self: not checked here)
        return
    dims = max(x.ndim, 1)
    if dims != max(index.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    src = src if getattr(src, "ndim", 0) else None
    wrong = any(k != d and _nonempty_size(index, k) > _nonempty_size(x, k) for k in range(dims))
    if not wrong and src is not None:
        # (ATen reads src.size(k) for each of self's dimensions: a src with fewer raises there)
        wrong = any(_nonempty_size(index, k) > src.shape[wrap_dim(k, src.ndim)] for k in range(dims))
    if src is not None and src.ndim != max(index.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if wrong:
        message = f"Expected index {_sizes(index.shape)} to be no larger than self {_sizes(x.shape)} apart from dimension {d}"
        if src is not None:
            message += f" and to be no larger size than src {_sizes(src.shape)}"
        raise RuntimeError(message)


@op("gather", order=("x", "dim", "index"), method=True, grad_name="GatherBackward0")
def gather(x, index, *, dim, sparse_grad=False):
    _check_index_dtype("gather", index)
    d = wrap_dim(dim, x.ndim)
    if not index.size:  # (no shape check for an empty index, as ATen)
        return jnp.zeros(index.shape, x.dtype)
    if x.ndim:
        gather_shape_check(x, index, d)
    if index.ndim == 0 and x.ndim == 1:  # a 0-d index into a vector: a 0-d result
        return jnp.take(x, index, mode="clip")
    if x.ndim == 0:
        return x.reshape(1)[index]
    x = x[tuple(slice(None) if k == d else slice(0, s) for k, s in enumerate(index.shape))]
    return jnp.take_along_axis(x, index, axis=d, mode="clip")


def _scatter_values(src, shape, dtype):
    """src's leading block of the index's shape (a 0-d src: broadcast)."""
    if getattr(src, "ndim", 0):
        return src[tuple(slice(0, s) for s in shape)].astype(dtype)
    return jnp.broadcast_to(jnp.asarray(src).astype(dtype), shape)


def _scatter_indices(x, index, dim):
    d = dim % max(x.ndim, 1)
    if index.ndim == 0 and x.ndim > 0:  # a 0-d index addresses one element
        index = index.reshape((1,) * x.ndim)
    grids = jnp.meshgrid(*[jnp.arange(s) for s in index.shape], indexing="ij")
    grids[d] = index
    return tuple(grids)


@op("scatter", order=("x", "dim", "index", "src"), method=True, inplace="scatter_", grad_name="ScatterBackward0")
def scatter(x, index, src=None, value=None, *, dim, reduce=None):
    _check_index_dtype("scatter", index)
    if src is None:  # scatter(dim, index, value=v), as PyTorch's scalar overload
        src = value
    scatter_shape_check(x, index, wrap_dim(dim, x.ndim), src)
    if not index.size:
        return x
    idx = _scatter_indices(x, index, dim)
    vals = _scatter_values(src, idx[0].shape, x.dtype)
    if reduce is None:
        return x.at[idx].set(vals)
    if reduce == "add":
        return x.at[idx].add(vals)
    if reduce == "multiply":
        return x.at[idx].multiply(vals)
    raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")


@op("scatter_add", order=("x", "dim", "index", "src"), method=True, inplace="scatter_add_", grad_name="ScatterAddBackward0")
def scatter_add(x, index, src, *, dim):
    _check_index_dtype("scatter", index)
    scatter_shape_check(x, index, wrap_dim(dim, x.ndim), src)
    if not index.size:
        return x
    idx = _scatter_indices(x, index, dim)
    vals = _scatter_values(src, idx[0].shape, x.dtype)
    return x.at[idx].add(vals)


@op("scatter_reduce", order=("x", "dim", "index", "src", "reduce"), method=True, inplace="scatter_reduce_")
def scatter_reduce(x, index, src, *, dim, reduce, include_self=True):
    scatter_shape_check(x, index, wrap_dim(dim, x.ndim), src)
    if not index.size:
        return x
    idx = _scatter_indices(x, index, dim)
    vals = _scatter_values(src, idx[0].shape, x.dtype)
    if reduce == "sum":
        base = x if include_self else x.at[idx].set(0)
        return base.at[idx].add(vals)
    if reduce == "prod":
        base = x if include_self else x.at[idx].set(1)
        return base.at[idx].multiply(vals)
    if reduce in ("amax", "amin"):
        fill = -jnp.inf if reduce == "amax" else jnp.inf
        base = x if include_self else x.at[idx].set(jnp.asarray(fill, x.dtype))
        return base.at[idx].max(vals) if reduce == "amax" else base.at[idx].min(vals)
    if reduce == "mean":
        ones = jnp.ones_like(vals)
        counts = jnp.zeros_like(x).at[idx].add(ones) + (1 if include_self else 0)
        base = x if include_self else x.at[idx].set(0)
        total = base.at[idx].add(vals)
        out = jnp.where(counts > 0, total / jnp.maximum(counts, 1), x)
        return out.astype(x.dtype)
    raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")


@op("index_select", order=("x", "dim", "index"), method=True, grad_name="IndexSelectBackward0")
def index_select(x, index, *, dim):
    if index.dtype not in (jnp.int64, jnp.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    return jnp.take(x, index.reshape(-1), axis=dim % max(x.ndim, 1), mode="clip")


@op("index_add", order=("x", "dim", "index", "source"), method=True, inplace="index_add_")
def index_add(x, index, source, *, dim, alpha=1):
    d = dim % x.ndim
    idx = [slice(None)] * x.ndim
    idx[d] = index
    return x.at[tuple(idx)].add(source * alpha)


@op("index_copy", order=("x", "dim", "index", "source"), method=True, inplace="index_copy_")
def index_copy(x, index, source, *, dim):
    d = dim % x.ndim
    idx = [slice(None)] * x.ndim
    idx[d] = index
    return x.at[tuple(idx)].set(source)


@op("index_fill", order=("x", "dim", "index", "value"), method=True, inplace="index_fill_")
def index_fill(x, index, value, *, dim):
    d = dim % x.ndim
    idx = [slice(None)] * x.ndim
    idx[d] = index
    return x.at[tuple(idx)].set(jnp.asarray(value).astype(x.dtype))


@op("take", method=True, grad_name="TakeBackward0")
def take(x, index):
    if index.dtype != jnp.int64:
        from .pointwise import _TYPE_NAMES

        raise RuntimeError(f"take(): Expected a long tensor for index, but got {_TYPE_NAMES.get(str(index.dtype), index.dtype)}")
    n = max(x.size, 1)
    return jnp.take(x.reshape(-1), jnp.where(index < 0, index + n, index), mode="clip")


@op("take_along_dim", method=True)
def take_along_dim(x, indices, *, dim=None):
    if dim is None:
        return jnp.take(x.reshape(-1), indices.reshape(-1))
    return jnp.take_along_axis(x, jnp.broadcast_to(indices, indices.shape), axis=dim)


@op("one_hot_kernel", function=False, differentiable=False)
def one_hot_kernel(x, *, num_classes):
    return (x[..., None] == jnp.arange(num_classes)).astype(jnp.int64)


@op("nonzero_static", function=False, differentiable=False)
def nonzero_static(x, *, size):
    return jnp.stack(jnp.nonzero(x, size=size), axis=-1).astype(jnp.int64) if x.ndim else jnp.zeros((size, 0), jnp.int64)


@op("bucketize", differentiable=False)
def bucketize(x, boundaries, *, out_int32=False, right=False):
    r = jnp.searchsorted(boundaries, x, side="right" if right else "left")
    return r.astype(jnp.int32 if out_int32 else jnp.int64)


@op("searchsorted", differentiable=False)
def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None):
    side = side or ("right" if right else "left")
    if sorted_sequence.ndim == 1:
        r = jnp.searchsorted(sorted_sequence, values, side=side)
    else:
        import jax

        r = jax.vmap(lambda s, v: jnp.searchsorted(s, v, side=side))(
            sorted_sequence.reshape(-1, sorted_sequence.shape[-1]), values.reshape(-1, values.shape[-1])
        ).reshape(values.shape)
    return r.astype(jnp.int32 if out_int32 else jnp.int64)
