"""Shape ops that copy: cat, stack, flip, roll, repeat, tril/triu, ..."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .registry import FUNCTIONS, op


@op("cat", promote="list", promote_args=("tensors",), aliases=("concat", "concatenate"))
def cat(tensors, *, dim=0):
    if len(tensors) == 0:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    # torch skips 1-d empty tensors in cat (legacy behaviour)
    ts = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or list(tensors[:1])
    ref = ts[0]
    n = max(ref.ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    d = dim % n
    for i, t in enumerate(ts):
        if t.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}")
        for k in range(ref.ndim):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref.shape[k]} but "
                    f"got size {t.shape[k]} for tensor number {i} in the list."
                )
    return jnp.concatenate(ts, axis=d)


@op("stack", promote="list", promote_args=("tensors",))
def stack(tensors, *, dim=0):
    if len(tensors) == 0:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got [{', '.join(map(str, tensors[0].shape))}] "
                f"at entry 0 and [{', '.join(map(str, t.shape))}] at entry {i}"
            )
    return jnp.stack(tensors, axis=dim)


@op("hstack", promote="list", promote_args=("tensors",))
def hstack(tensors):
    return jnp.hstack(tensors)


@op("vstack", promote="list", promote_args=("tensors",), aliases=("row_stack",))
def vstack(tensors):
    return jnp.vstack(tensors)


@op("dstack", promote="list", promote_args=("tensors",))
def dstack(tensors):
    return jnp.dstack(tensors)


@op("column_stack", promote="list", promote_args=("tensors",))
def column_stack(tensors):
    return jnp.column_stack(tensors)


@op("flip", method=True)
def flip(x, *, dims):
    return jnp.flip(x, dims)


@op("fliplr", method=True)
def fliplr(x):
    return jnp.fliplr(x)


@op("flipud", method=True)
def flipud(x):
    return jnp.flipud(x)


@op("roll", method=True)
def roll(x, *, shifts, dims=None):
    if dims is None:
        return jnp.roll(x.reshape(-1), shifts).reshape(x.shape)
    return jnp.roll(x, shifts, dims)


@op("rot90", method=True)
def rot90(x, *, k=1, dims=(0, 1)):
    return jnp.rot90(x, k, dims)


@op("repeat", function=False, grad_name="RepeatBackward0")
def repeat(x, *, repeats):
    if len(repeats) < x.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    padded = (1,) * (len(repeats) - x.ndim) + tuple(x.shape)
    sizes = [s * r for s, r in zip(padded, repeats)]
    if any(r < 0 for r in repeats):
        bad = next(s for s in sizes if s < 0) if any(s < 0 for s in sizes) else min(repeats)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {sizes}")
    x = x.reshape((1,) * (len(repeats) - x.ndim) + x.shape)
    return jnp.tile(x, repeats)


@op("tile", grad_name="RepeatBackward0")
def tile(x, *, dims):
    dims = tuple(dims)
    if len(dims) < x.ndim:
        dims = (1,) * (x.ndim - len(dims)) + dims
    return repeat(x, repeats=dims)


@op("repeat_interleave_k", function=False)
def repeat_interleave_k(x, *, repeats, dim=None):
    if dim is None:
        x = x.reshape(-1)
        dim = 0
    if isinstance(repeats, tuple):  # per-element counts (static: they decide the output shape)
        return jnp.repeat(x, np.asarray(repeats, np.int64), axis=dim, total_repeat_length=sum(repeats))
    return jnp.repeat(x, repeats, axis=dim)


@op("tril", method=True, inplace="tril_")
def tril(x, *, diagonal=0):
    return jnp.tril(x, diagonal)


@op("triu", method=True, inplace="triu_")
def triu(x, *, diagonal=0):
    return jnp.triu(x, diagonal)


@op("diag", method=True)
def diag(x, *, diagonal=0):
    return jnp.diag(x, diagonal)


@op("diag_embed", method=True)
def diag_embed(x, *, offset=0, dim1=-2, dim2=-1):
    n = x.shape[-1] + abs(offset)
    out = jnp.zeros(x.shape[:-1] + (n, n), x.dtype)
    i = jnp.arange(x.shape[-1])
    r, c = (i, i + offset) if offset >= 0 else (i - offset, i)
    out = out.at[..., r, c].set(x)
    return jnp.moveaxis(out, (-2, -1), (dim1, dim2))


@op("broadcast_to", view=True, grad_name="ExpandBackward0")
def broadcast_to(x, *, size):
    return jnp.broadcast_to(x, tuple(size))


@op("trace", method=True)
def trace(x):
    return jnp.trace(x).astype(x.dtype if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.int64)


@op("meshgrid_k", function=False, promote="list", promote_args=("tensors",))
def meshgrid_k(tensors, *, indexing="ij"):
    return tuple(jnp.meshgrid(*tensors, indexing=indexing))


@op("cartesian_prod", promote="list", promote_args=("tensors",))
def cartesian_prod(tensors):
    if len(tensors) == 1:
        return tensors[0]
    grids = jnp.meshgrid(*tensors, indexing="ij")
    return jnp.stack([g.reshape(-1) for g in grids], axis=1)


@op("cdist", promote="same")
def cdist(x1, x2, *, p=2.0, compute_mode=None):
    diff = x1[..., :, None, :] - x2[..., None, :, :]
    if p == 2.0:
        return jnp.sqrt(jnp.maximum(jnp.sum(diff * diff, -1), 0))
    if p == 1.0:
        return jnp.sum(jnp.abs(diff), -1)
    if p == float("inf"):
        return jnp.max(jnp.abs(diff), -1, initial=0)
    if p == 0:  # PyTorch's p=0 "norm": how many coordinates differ
        return jnp.sum(diff != 0, -1).astype(diff.dtype)
    return jnp.sum(jnp.abs(diff) ** p, -1) ** (1 / p)


def _cartesian_prod(*tensors):
    return cartesian_prod.frontend(list(tensors))


def _repeat_interleave(input, repeats=None, dim=None, *, output_size=None):  # noqa: A002
    if repeats is None:  # repeat_interleave(repeats): each index i, repeats[i] times
        if input.dim() != 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        from .._creation import arange

        input, repeats = arange(input.shape[0], device=input.device), input  # noqa: A001
    if hasattr(repeats, "tolist"):  # a tensor of counts decides the output shape: read it
        repeats = tuple(repeats.tolist()) if repeats.dim() else int(repeats.item())
    return repeat_interleave_k.frontend(input, repeats=repeats, dim=dim)


_cartesian_prod.__name__ = "cartesian_prod"
_repeat_interleave.__name__ = "repeat_interleave"
FUNCTIONS["cartesian_prod"] = _cartesian_prod
FUNCTIONS["repeat_interleave"] = _repeat_interleave
