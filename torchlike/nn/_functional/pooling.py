"""Max/avg/adaptive/LP pooling and max-unpooling, 1d/2d/3d from N-d kernels.

Max pooling is separable (the max over a box is the max over each axis in turn), so each spatial
axis is reduced on its own: its windows become a new axis (a reshape when windows tile the input,
strided slices otherwise) and a max over that axis whose gradient goes to the first maximum (a
one-hot select, as PyTorch's kernel picks one element), much cheaper than reduce_window's
select-and-scatter gradient. Reducing the last axis first gives PyTorch's row-major tie-breaking.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..._ops.linalg import HIGHEST
from ..._ops.registry import op

__all__ = [
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
    "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d",
    "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
    "adaptive_max_pool3d", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices", "max_unpool1d", "max_unpool2d", "max_unpool3d", "lp_pool1d",
    "lp_pool2d", "lp_pool3d",
]  # fmt: skip


# -- max over one axis, gradient to the first maximum -------------------------------------------
@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2))
def _max_along(x, axis, size):
    return jnp.max(x, axis=axis)


def _max_along_fwd(x, axis, size):
    return jnp.max(x, axis=axis), jnp.argmax(x, axis=axis).astype(jnp.int32)


def _max_along_bwd(axis, size, arg, g):
    shape = list(g.shape)
    shape.insert(axis, size)
    hit = lax.broadcasted_iota(jnp.int32, shape, axis) == jnp.expand_dims(arg, axis)
    return (jnp.where(hit, jnp.expand_dims(g, axis), jnp.zeros((), g.dtype)),)


_max_along.defvjp(_max_along_fwd, _max_along_bwd)


def _lowest(dtype):
    return -jnp.inf if jnp.issubdtype(dtype, jnp.inexact) else jnp.iinfo(dtype).min


def _out_size(size, k, s, p, d, ceil_mode):
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1  # the last window must start inside the input or its left padding
    return out


def _regular_windows(x, axis, k, s, p, d, out, fill):
    """x with ``axis`` split into (out, k) windows; and each window element's input position."""
    need = (out - 1) * s + d * (k - 1) + 1
    hi = need - x.shape[axis] - p
    cfg = [(0, 0, 0)] * x.ndim
    cfg[axis] = (p, max(hi, 0), 0)
    if p or hi > 0:
        x = lax.pad(x, jnp.asarray(fill, x.dtype), cfg)
    if hi < 0:
        x = lax.slice_in_dim(x, 0, need, axis=axis)
    if k == s and d == 1:
        w = x.reshape(x.shape[:axis] + (out, k) + x.shape[axis + 1 :])
    else:
        w = jnp.stack(
            [lax.slice_in_dim(x, j * d, j * d + (out - 1) * s + 1, s, axis) for j in range(k)],
            axis + 1,
        )
    pos = np.arange(out)[:, None] * s - p + np.arange(k)[None, :] * d
    return w, pos


def _adaptive_bounds(size, out):
    starts = [(i * size) // out for i in range(out)]
    ends = [-(-((i + 1) * size) // out) for i in range(out)]
    return starts, ends


def _adaptive_windows(x, axis, out, fill):
    size = x.shape[axis]
    if size % out == 0:
        return _regular_windows(x, axis, size // out, size // out, 0, 1, out, fill)
    starts, ends = _adaptive_bounds(size, out)
    k = max(e - s for s, e in zip(starts, ends))
    # windows shorter than k repeat their last element: neither the max nor the first argmax changes
    pos = np.minimum(
        np.asarray(starts)[:, None] + np.arange(k)[None, :], np.asarray(ends)[:, None] - 1
    )
    return jnp.take(x, jnp.asarray(pos.reshape(-1), jnp.int32), axis=axis).reshape(
        x.shape[:axis] + (out, k) + x.shape[axis + 1 :]
    ), pos


def _select(w, axis, arg):
    hit = lax.broadcasted_iota(jnp.int32, w.shape, axis + 1) == jnp.expand_dims(arg, axis + 1)
    return jnp.sum(jnp.where(hit, w, 0), axis=axis + 1)


def _separable_max(x, nd, windows, return_indices):
    """Max over boxes given per spatial axis by ``windows(x, axis, i, fill) -> (w, pos)``."""
    spatial = x.shape[x.ndim - nd :]
    fill = _lowest(x.dtype)
    positions = []  # per reduced axis: the input position of the chosen element, shaped like x
    for i in range(nd - 1, -1, -1):
        axis = x.ndim - nd + i
        w, pos = windows(x, axis, i, fill)
        if not return_indices:
            x = _max_along(w, axis + 1, w.shape[axis + 1])
            continue
        arg = jnp.argmax(w, axis=axis + 1).astype(jnp.int32)
        positions = [_select(windows(q, axis, i, 0)[0], axis, arg) for q in positions]
        pos_b = jnp.asarray(pos, jnp.int64).reshape(pos.shape + (1,) * (x.ndim - axis - 1))
        positions.append(_select(jnp.broadcast_to(pos_b, w.shape), axis, arg))
        x = _max_along(w, axis + 1, w.shape[axis + 1])
    if not return_indices:
        return x
    flat = jnp.zeros(x.shape, jnp.int64)
    for i, q in zip(range(nd - 1, -1, -1), positions):
        flat = flat + q.astype(jnp.int64) * int(np.prod(spatial[i + 1 :], dtype=np.int64))
    return x, flat


def _check_dims(name, x, nd):
    if x.ndim not in (nd + 1, nd + 2) or 0 in x.shape[x.ndim - nd :]:
        if nd == 1:
            raise RuntimeError(
                f"{name}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                f"input, but got:[{', '.join(map(str, x.shape))}]"
            )
        raise RuntimeError(
            f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input"
        )


def _check_window(x, nd, kernel_size, stride, padding, dilation, ceil_mode, kind=""):
    spatial = x.shape[x.ndim - nd :]
    for k, d, p in zip(kernel_size, dilation, padding):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={d}"
            )
    out = [
        _out_size(n, k, s, p, d, ceil_mode)
        for n, k, s, p, d in zip(spatial, kernel_size, stride, padding, dilation)
    ]
    if any(o <= 0 for o in out) and kind == "max1d":
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out[0]}")
    if any(o <= 0 for o in out) and kind == "avg3d":
        raise RuntimeError(
            "input image (T: {} H: {} W: {}) smaller than kernel size (kT: {} kH: {} kW: {})".format(*spatial, *kernel_size)
        )
    if any(o <= 0 for o in out) and kind == "avg1d":  # (ATen pools a 1-d input as (C, 1, L))
        lead = x.shape[x.ndim - 2]
        raise RuntimeError(
            f"Given input size: ({lead}x1x{spatial[0]}). Calculated output size: ({lead}x1x{out[0]}). "
            "Output size is too small"
        )
    if any(o <= 0 for o in out):
        lead = x.shape[x.ndim - nd - 1]
        raise RuntimeError(
            f"Given input size: ({'x'.join(map(str, (lead,) + spatial))}). Calculated output size: "
            f"({'x'.join(map(str, [lead] + out))}). Output size is too small"
        )
    return out


@op("max_pool", function=False, grad_name="MaxPool2DWithIndicesBackward0")
def _max_pool(
    input, *, kernel_size, stride, padding, dilation, ceil_mode=False, return_indices=False
):  # noqa: A002
    nd = len(kernel_size)
    _check_dims(f"max_pool{nd}d", input, nd)
    if nd == 1 and padding[0] > kernel_size[0] // 2:
        raise RuntimeError(
            f"max_pool1d() padding should be at most half of kernel size, but got padding="
            f"{padding[0]} and kernel_size={kernel_size[0]}"
        )
    out = _check_window(input, nd, kernel_size, stride, padding, dilation, ceil_mode, "max1d" if nd == 1 else "")

    def windows(x, axis, i, fill):
        return _regular_windows(
            x, axis, kernel_size[i], stride[i], padding[i], dilation[i], out[i], fill
        )

    return _separable_max(input, nd, windows, return_indices)


def _tuple(v, n, name):
    if isinstance(v, (list, tuple)):
        v = tuple(int(a) for a in v)
        if len(v) == 1:
            v = v * n
        if len(v) != n:
            raise RuntimeError(f"{name} must either be a single int, or a tuple of {n} ints")
        return v
    return (int(v),) * n


def _pool_args(nd, kernel_size, stride, padding, dilation=1, max1d=False):
    """The window arguments as tuples, checked in ATen's order and words (max_pool1d has its own
    checks; the other pools check the stride, which defaults to the kernel size, first)."""
    k = _tuple(kernel_size, nd, "kernel_size")
    s = (
        k
        if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0)
        else _tuple(stride, nd, "stride")
    )
    d = _tuple(dilation, nd, "dilation")
    if max1d:
        for name, v in (("kernel_size", k[0]), ("stride", s[0]), ("dilation", d[0])):
            if v <= 0:
                raise RuntimeError(f"max_pool1d() {name} must be greater than zero, but got {v}")
        return k, s, _tuple(padding, nd, "padding"), d
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should not be zero")
    if any(v <= 0 for v in k):
        raise RuntimeError("kernel_size must be greater than zero")
    if any(v <= 0 for v in d):
        names = ("dilationT", "dilationH", "dilationW")[3 - nd :] if nd > 1 else ("dilation",)
        got = " ".join(f"{n}: {v}" for n, v in zip(names, d))
        raise RuntimeError(f"dilation should be greater than zero, but got {got}")
    return k, s, _tuple(padding, nd, "padding"), d


def _max_pool_nd(nd, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):  # noqa: A002
    k, s, p, d = _pool_args(nd, kernel_size, stride, padding, dilation, max1d=nd == 1)
    return _max_pool.frontend(
        input,
        kernel_size=k,
        stride=s,
        padding=p,
        dilation=d,
        ceil_mode=bool(ceil_mode),
        return_indices=bool(return_indices),
    )


def max_pool1d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):  # noqa: A002
    return _max_pool_nd(1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):  # noqa: A002
    return _max_pool_nd(2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):  # noqa: A002
    return _max_pool_nd(3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_with_indices(
    input,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,  # noqa: A002
    return_indices=True,
):
    return _max_pool_nd(1, input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(
    input,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,  # noqa: A002
    return_indices=True,
):
    return _max_pool_nd(2, input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(
    input,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,  # noqa: A002
    return_indices=True,
):
    return _max_pool_nd(3, input, kernel_size, stride, padding, dilation, ceil_mode, True)


# -- average pooling -------------------------------------------------------------------------------
def _divisor(size, k, s, p, out, count_include_pad):
    """Per-axis window sizes PyTorch divides by (padding counts only inside [-p, size + p))."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    if count_include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)


@op("avg_pool", function=False, grad_name="AvgPool2DBackward0")
def _avg_pool(
    input,
    *,
    kernel_size,
    stride,
    padding,
    ceil_mode=False,
    count_include_pad=True,  # noqa: A002
    divisor_override=None,
):
    nd = len(kernel_size)
    _check_dims(f"avg_pool{nd}d", input, nd)
    ones = (1,) * nd
    out = _check_window(input, nd, kernel_size, stride, padding, ones, ceil_mode, f"avg{nd}d" if nd != 2 else "")
    spatial = input.shape[input.ndim - nd :]
    lead = input.ndim - nd
    pads = []
    for n, k, s, p, o in zip(spatial, kernel_size, stride, padding, out):
        pads.append((p, max((o - 1) * s + k - n - p, 0)))
    acc = input.dtype if jnp.issubdtype(input.dtype, jnp.inexact) else jnp.int64
    total = lax.reduce_window(
        input.astype(acc),
        np.zeros((), acc),
        lax.add,
        (1,) * lead + tuple(kernel_size),
        (1,) * lead + tuple(stride),
        [(0, 0)] * lead + pads,
    )
    total = total[(Ellipsis,) + tuple(slice(0, o) for o in out)]
    if divisor_override is not None:
        div = np.full(out, divisor_override)
    else:
        div = np.ones(out, np.int64)
        for i, (n, k, s, p, o) in enumerate(zip(spatial, kernel_size, stride, padding, out)):
            div = div * _divisor(n, k, s, p, o, count_include_pad).reshape(
                (-1,) + (1,) * (nd - 1 - i)
            )
    if jnp.issubdtype(input.dtype, jnp.inexact):
        return total / jnp.asarray(div, input.dtype)
    return lax.div(total, jnp.broadcast_to(jnp.asarray(div, jnp.int64), total.shape)).astype(
        input.dtype
    )  # truncates


def _avg_pool_nd(
    nd, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
):  # noqa: A002
    k, s, p, _ = _pool_args(nd, kernel_size, stride, padding)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    return _avg_pool.frontend(
        input,
        kernel_size=k,
        stride=s,
        padding=p,
        ceil_mode=bool(ceil_mode),
        count_include_pad=bool(count_include_pad),
        divisor_override=divisor_override,
    )


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):  # noqa: A002
    return _avg_pool_nd(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,  # noqa: A002
    divisor_override=None,
):
    return _avg_pool_nd(
        2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def avg_pool3d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,  # noqa: A002
    divisor_override=None,
):
    return _avg_pool_nd(
        3, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


# -- adaptive pooling ------------------------------------------------------------------------------
def _check_adaptive(name, x, nd, output_size, colon=False):
    if x.ndim not in (nd + 1, nd + 2) or 0 in x.shape[x.ndim - nd :]:
        raise RuntimeError(
            f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{':' if colon else ''} "
            f"[{', '.join(map(str, x.shape))}]"
        )
    if any(o <= 0 for o in output_size):
        raise RuntimeError(
            f"{name}(): output_size must be greater than 0, but got {list(output_size)}"
        )


@op("adaptive_avg_pool", function=False, grad_name="AdaptiveAvgPool2DBackward0")
def _adaptive_avg_pool(input, *, output_size):  # noqa: A002
    nd = len(output_size)
    _check_adaptive(f"adaptive_avg_pool{nd}d", input, nd, output_size)
    x = input
    for i, out in enumerate(output_size):
        axis = x.ndim - nd + i
        size = x.shape[axis]
        if size % out == 0:
            k = size // out
            x = jnp.mean(x.reshape(x.shape[:axis] + (out, k) + x.shape[axis + 1 :]), axis=axis + 1)
            continue
        starts, ends = _adaptive_bounds(size, out)
        avg = np.zeros((size, out))
        for o, (s, e) in enumerate(zip(starts, ends)):
            avg[s:e, o] = 1.0 / (e - s)
        x = jnp.moveaxis(
            jnp.tensordot(x, jnp.asarray(avg, x.dtype), axes=([axis], [0]), precision=HIGHEST),
            -1,
            axis,
        )
    return x


@op("adaptive_max_pool", function=False, grad_name="AdaptiveMaxPool2DBackward0")
def _adaptive_max_pool(input, *, output_size, return_indices=False):  # noqa: A002
    nd = len(output_size)
    _check_adaptive(f"adaptive_max_pool{nd}d", input, nd, output_size, colon=True)

    def windows(x, axis, i, fill):
        return _adaptive_windows(x, axis, output_size[i], fill)

    return _separable_max(input, nd, windows, return_indices)


def _adaptive_size(nd, input, output_size):  # noqa: A002
    size = tuple(output_size) if isinstance(output_size, (list, tuple)) else (output_size,) * nd
    if len(size) == 1 and nd > 1:
        size = size * nd
    if len(size) != nd:
        raise ValueError(f"adaptive pool output_size must have {nd} elements, got {len(size)}")
    spatial = input.shape[input.dim() - nd :]
    return tuple(int(spatial[i]) if v is None else int(v) for i, v in enumerate(size))


def _keeping_format(out, input):  # noqa: A002
    """A keepdim mean of a channels-last input is channels-last, as ATen's."""
    from ... import _memory_format

    fmt = _memory_format.format_of(input)
    return out if fmt is None else _memory_format._set(out, fmt)


def _all_ones(output_size, n) -> bool:
    sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * n
    return len(sizes) == n and all(s == 1 and not isinstance(s, bool) for s in sizes)


def adaptive_avg_pool1d(input, output_size):  # noqa: A002
    if _all_ones(output_size, 1) and input.dim() in (2, 3):  # ATen: through the 2-d pool's mean
        return input.unsqueeze(-2).mean((-1, -2), keepdim=True).squeeze(-2)
    return _adaptive_avg_pool.frontend(input, output_size=_adaptive_size(1, input, output_size))


def adaptive_avg_pool2d(input, output_size):  # noqa: A002
    if _all_ones(output_size, 2):  # ATen's shortcut: a mean over the last two dimensions (any input)
        return _keeping_format(input.mean((-1, -2), keepdim=True), input)
    return _adaptive_avg_pool.frontend(input, output_size=_adaptive_size(2, input, output_size))


def adaptive_avg_pool3d(input, output_size):  # noqa: A002
    if _all_ones(output_size, 3) and input.dim() in (4, 5):
        return _keeping_format(input.mean((-1, -2, -3), keepdim=True), input)
    return _adaptive_avg_pool.frontend(input, output_size=_adaptive_size(3, input, output_size))


def adaptive_max_pool1d(input, output_size, return_indices=False):  # noqa: A002
    return _adaptive_max_pool.frontend(
        input,
        output_size=_adaptive_size(1, input, output_size),
        return_indices=bool(return_indices),
    )


def adaptive_max_pool2d(input, output_size, return_indices=False):  # noqa: A002
    return _adaptive_max_pool.frontend(
        input,
        output_size=_adaptive_size(2, input, output_size),
        return_indices=bool(return_indices),
    )


def adaptive_max_pool3d(input, output_size, return_indices=False):  # noqa: A002
    return _adaptive_max_pool.frontend(
        input,
        output_size=_adaptive_size(3, input, output_size),
        return_indices=bool(return_indices),
    )


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=True):  # noqa: A002
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=True):  # noqa: A002
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=True):  # noqa: A002
    return adaptive_max_pool3d(input, output_size, True)


# -- max unpooling ---------------------------------------------------------------------------------
@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _scatter_rows(x, idx, width):
    rows = jnp.arange(x.shape[0], dtype=jnp.int32)[:, None]
    return jnp.zeros((x.shape[0], width), x.dtype).at[rows, idx].set(x, mode="drop")


def _scatter_rows_fwd(x, idx, width):
    return _scatter_rows(x, idx, width), idx


def _scatter_rows_bwd(width, idx, g):
    # every input reads its own output slot, also where windows overlap and indices repeat (as torch)
    safe = jnp.clip(idx, 0, width - 1)
    return jnp.where(idx < width, jnp.take_along_axis(g, safe, axis=1), 0), None


_scatter_rows.defvjp(_scatter_rows_fwd, _scatter_rows_bwd)


@op("max_unpool", function=False, grad_name="MaxUnpool2DBackward0")
def _max_unpool(input, indices, *, output_size):  # noqa: A002
    nd = len(output_size)
    lead = input.shape[: input.ndim - nd]
    rows = int(np.prod(lead, dtype=np.int64))
    x = input.reshape(rows, -1)
    idx = indices.reshape(rows, -1).astype(jnp.int32)
    return _scatter_rows(x, idx, int(np.prod(output_size))).reshape(lead + tuple(output_size))


def _max_unpool_nd(nd, input, indices, kernel_size, stride, padding, output_size):  # noqa: A002
    k, s, p, _ = _pool_args(nd, kernel_size, stride, padding)
    spatial = input.shape[input.dim() - nd :]
    default = [(n - 1) * st - 2 * pd + kk for n, st, pd, kk in zip(spatial, s, p, k)]
    if output_size is None:
        size = default
    else:
        size = list(output_size)
        if len(size) == nd + 2 or (len(size) == nd + 1 and input.dim() == nd + 1):
            size = size[len(size) - nd :]
        if len(size) != nd:
            raise ValueError(
                f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a "
                f"length of '{len(size)}'"
            )
        for i, (v, dflt) in enumerate(zip(size, default)):
            lo, hi = dflt - s[i], dflt + s[i]
            if not lo < v < hi:
                raise ValueError(
                    f'invalid output_size "{list(output_size)}" (dim {i} must be between {lo} and '
                    f"{hi})"
                )
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(
            f"Expected shape of indices to be same as that of the input tensor "
            f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}"
        )
    return _max_unpool.frontend(input, indices, output_size=tuple(int(v) for v in size))


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):  # noqa: A002
    return _max_unpool_nd(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):  # noqa: A002
    return _max_unpool_nd(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):  # noqa: A002
    return _max_unpool_nd(3, input, indices, kernel_size, stride, padding, output_size)


# -- power-average pooling -------------------------------------------------------------------------
def _lp_pool_nd(nd, input, norm_type, kernel_size, stride, ceil_mode):  # noqa: A002
    k = _tuple(kernel_size, nd, "kernel_size")
    out = _avg_pool_nd(nd, input.pow(norm_type), k, stride, 0, ceil_mode, True, None)
    return (out.sign() * out.abs().relu()).mul(math.prod(k)).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):  # noqa: A002
    return _lp_pool_nd(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):  # noqa: A002
    return _lp_pool_nd(2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):  # noqa: A002
    return _lp_pool_nd(3, input, norm_type, kernel_size, stride, ceil_mode)
