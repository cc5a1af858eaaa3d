"""interpolate/upsample, grid_sample/affine_grid, pixel_(un)shuffle, channel_shuffle, unfold/fold.

Resizing is separable: each spatial axis is resampled on its own by a few gathers ("taps") with
weights computed at trace time in float32, the way PyTorch's CPU kernels compute source indices
and lambdas, so the results agree to float rounding.
"""

from __future__ import annotations

import itertools
import math
import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from ..._ops.registry import op
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

__all__ = [
    "interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "grid_sample", "affine_grid",
    "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle", "unfold", "fold",
]  # fmt: skip

_F32 = np.float32


# -- per-axis source tables ------------------------------------------------------------------------
def _scale(size, out, scale):
    """compute_scales_value: 1/scale_factor when one was given, else input/output."""
    if scale is not None and scale > 0:
        return _F32(1.0 / scale)
    return _F32(size) / _F32(out)


def _area_scale(size, out, align_corners, scale):
    if align_corners:
        return _F32(size - 1) / _F32(out - 1) if out > 1 else _F32(0)
    return _scale(size, out, scale)


def _source(scale, out, align_corners, cubic):
    dst = np.arange(out, dtype=_F32)
    if align_corners:
        return scale * dst
    src = scale * (dst + _F32(0.5)) - _F32(0.5)
    return src if cubic else np.maximum(src, _F32(0))


def _nearest_table(size, out, scale, exact):
    if out == size and not exact:
        idx = np.arange(out)
    elif out == 2 * size and not exact:
        idx = np.arange(out) >> 1
    else:
        s = _scale(size, out, scale)
        if exact:
            src = np.floor(((np.arange(out, dtype=np.float64) + 0.5) * np.float64(s)).astype(_F32))
        else:
            src = np.floor(np.arange(out, dtype=_F32) * s)
        idx = np.minimum(src.astype(np.int64), size - 1)
    return idx[:, None], None


def _linear_table(size, out, scale, align_corners):
    src = _source(_area_scale(size, out, align_corners, scale), out, align_corners, False)
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    lam = np.clip(src - i0.astype(_F32), 0, 1).astype(_F32)
    i1 = np.minimum(i0 + 1, size - 1)
    return np.stack([i0, i1], 1), np.stack([_F32(1) - lam, lam], 1)


def _cubic_weights(t, a):
    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], 1).astype(_F32)


def _cubic_table(size, out, scale, align_corners):
    src = _source(_area_scale(size, out, align_corners, scale), out, align_corners, True)
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    t = np.clip(src - i0.astype(_F32), 0, 1).astype(_F32)
    idx = np.clip(i0[:, None] + np.arange(-1, 3)[None, :], 0, size - 1)
    return idx, _cubic_weights(t, _F32(-0.75))


def _aa_table(size, out, scale, align_corners, cubic):
    """PIL-style antialiased weights (PyTorch's _upsample_*_aa): a widened filter when shrinking."""
    s = float(_area_scale(size, out, align_corners, scale))
    support = (2.0 if cubic else 1.0) * (s if s >= 1.0 else 1.0)
    inv = 1.0 / s if s >= 1.0 else 1.0

    def filt(x):
        x, one = abs(_F32(x)), _F32(1)
        if not cubic:
            return one - x if x < one else _F32(0)
        a = _F32(-0.5)
        if x < one:
            return ((a + 2) * x - (a + 3)) * x * x + one
        if x < 2:
            return (((x - 5) * x + 8) * x - 4) * a
        return _F32(0)

    # float32 arithmetic, as PyTorch computes these weights in the input's scalar type
    s, support, inv = _F32(s), _F32(support), _F32(inv)
    rows = []
    for i in range(out):
        center = _F32(s * (i + 0.5))  # align_corners changes only the scale here
        lo = max(int(center - support + _F32(0.5)), 0)
        hi = min(int(center + support + _F32(0.5)), size)
        w = [_F32(filt(_F32((j + lo - center + 0.5) * inv))) for j in range(hi - lo)]
        total = _F32(0)
        for v in w:
            total = _F32(total + v)
        rows.append((lo, [_F32(v / total) if total != 0 else _F32(0) for v in w]))
    taps = max(len(w) for _, w in rows)
    idx = np.zeros((out, taps), np.int64)
    wts = np.zeros((out, taps), _F32)
    for i, (lo, w) in enumerate(rows):
        idx[i, : len(w)] = np.arange(lo, lo + len(w))
        wts[i, : len(w)] = w
    return idx, wts


def _resample_axis(x, axis, idx, wts):
    out = idx.shape[0]
    if wts is None:
        factor = out // x.shape[axis]
        if (
            factor > 1
            and out == factor * x.shape[axis]
            and (idx[:, 0] == np.arange(out) // factor).all()
        ):
            return jnp.repeat(x, factor, axis=axis)  # integer nearest upsampling: no gather
        return jnp.take(x, jnp.asarray(idx[:, 0], jnp.int32), axis=axis)
    taps = idx.shape[1]
    vals = jnp.take(
        x, jnp.asarray(idx.reshape(-1), jnp.int32), axis=axis
    )  # one gather for all taps
    vals = vals.reshape(x.shape[:axis] + (out, taps) + x.shape[axis + 1 :])
    w = jnp.asarray(wts, x.dtype).reshape((out, taps) + (1,) * (x.ndim - axis - 1))
    return jnp.sum(vals * w, axis=axis + 1)


@op("_upsample", function=False, grad_name="UpsampleBackward0")
def _upsample(input, *, size, mode, align_corners=False, scales=None, antialias=False):  # noqa: A002
    nd = len(size)
    x = input
    # antialiased resampling is separable in PyTorch, the last (contiguous) dim first
    order = range(nd - 1, -1, -1) if antialias and mode not in ("nearest", "nearest-exact") else range(nd)
    for i in order:
        axis = x.ndim - nd + i
        n, out, scale = x.shape[axis], size[i], None if scales is None else scales[i]
        if mode in ("nearest", "nearest-exact"):
            idx, wts = _nearest_table(n, out, scale, mode == "nearest-exact")
        elif antialias:
            idx, wts = _aa_table(n, out, scale, align_corners, mode == "bicubic")
        elif mode == "bicubic":
            idx, wts = _cubic_table(n, out, scale, align_corners)
        else:
            idx, wts = _linear_table(n, out, scale, align_corners)
        x = _resample_axis(x, axis, idx, wts)
    return x


_MODE_DIMS = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


def interpolate(
    input,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=None,  # noqa: A002
    recompute_scale_factor=None,
    antialias=False,
):
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: linear | "
                "bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input with spatial "
                    f"dimensions of {spatial} and output size of {size}. Please provide input tensor in (N, C, d1, "
                    "d2, ...,dK) format and output size in (o1, o2, ...,oK) format."
                )
            if not all(isinstance(s, (int, np.integer)) for s in size):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, "
                    f"int], but got size with types {[type(s) for s in size]}"
                )
            output_size = [int(s) for s in size]
        else:
            output_size = [int(size)] * dim
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but got input with "
                    f"spatial dimensions of {spatial} and scale_factor of shape {scale_factor}. Please provide input "
                    "tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
                )
            scale_factors = [float(s) for s in scale_factor]
        else:
            scale_factors = [float(scale_factor)] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if output_size is None:
        output_size = [math.floor(float(n) * s) for n, s in zip(spatial, scale_factors)]
        if recompute_scale_factor:
            scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic") and input.dim() == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
            "4-D tensor as input"
        )
    if mode in ("nearest", "nearest-exact", "area") and input.dim() in (3, 4, 5):
        if any(o <= 0 for o in output_size):
            raise RuntimeError(
                f"Input and output sizes should be greater than 0, but got input ("
                f"{', '.join(map(str, spatial))}) and output ({', '.join(map(str, output_size))})"
            )
        if mode == "area":
            return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dim - 1](
                input, output_size
            )
        return _upsample.frontend(
            input,
            size=tuple(output_size),
            mode=mode,
            scales=None if scale_factors is None else tuple(scale_factors),
        )
    if _MODE_DIMS.get(mode) == input.dim():
        if any(o <= 0 for o in output_size):
            raise RuntimeError(
                f"Input and output sizes should be greater than 0, but got input ("
                f"{', '.join(map(str, spatial))}) and output ({', '.join(map(str, output_size))})"
            )
        return _upsample.frontend(
            input,
            size=tuple(output_size),
            mode=mode,
            align_corners=bool(align_corners),
            scales=None if scale_factors is None else tuple(scale_factors),
            antialias=bool(antialias),
        )
    if mode in _MODE_DIMS and input.dim() in (3, 4, 5):
        raise NotImplementedError(
            f"Got {input.dim()}D input, but {mode} mode needs {_MODE_DIMS[mode]}D input"
        )
    raise NotImplementedError(
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the modes: nearest | "
        f"linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got {mode})"
    )


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):  # noqa: A002
    warnings.warn(
        "`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):  # noqa: A002
    warnings.warn(
        "`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):  # noqa: A002
    warnings.warn(
        "`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# -- grid_sample / affine_grid ---------------------------------------------------------------------
_ALIGN_WARNING = (
    "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
    "Please specify align_corners=True if the old behavior is desired. See the documentation of "
    "grid_sample for details."
)


def _unnormalize(coord, size, align_corners):
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(coord, twice_low, twice_high):
    if twice_low == twice_high:
        return jnp.zeros_like(coord)
    lo = twice_low / 2
    span = (twice_high - twice_low) / 2
    coord = jnp.abs(coord - lo)
    extra = jnp.fmod(coord, span)
    flips = jnp.floor(coord / span)
    return jnp.where(jnp.fmod(flips, 2) == 0, extra + lo, span - extra + lo)


def _bound(coord, size, padding_mode, align_corners):
    """Map a source coordinate inside the input for 'border' / 'reflection' padding."""
    if padding_mode == "border":
        return jnp.clip(coord, 0, size - 1)
    if padding_mode == "reflection":
        if align_corners:
            coord = _reflect(coord, 0, 2 * (size - 1))
        else:
            coord = _reflect(coord, -1, 2 * size - 1)
        return jnp.clip(coord, 0, size - 1)
    return coord


@op("grid_sampler", function=False, promote="same", grad_name="GridSampler2DBackward0")
def _grid_sample(input, grid, *, mode="bilinear", padding_mode="zeros", align_corners=False):  # noqa: A002
    nd = input.ndim - 2
    n, c = input.shape[:2]
    spatial = input.shape[2:]
    out_spatial = grid.shape[1:-1]
    # grid's last axis is (x, y[, z]): the reverse of the spatial axes
    coords = [_unnormalize(grid[..., nd - 1 - d], spatial[d], align_corners) for d in range(nd)]
    taps = []  # per spatial axis: list of (integer index, weight or None)
    for d in range(nd):
        size = spatial[d]
        if mode == "bicubic":
            base = jnp.floor(coords[d])
            w = _cubic_coeffs(coords[d] - base)
            taps.append(
                [(_bound(base - 1 + k, size, padding_mode, align_corners), w[k]) for k in range(4)]
            )
            continue
        coord = _bound(coords[d], size, padding_mode, align_corners)
        if mode == "nearest":
            taps.append([(jnp.round(coord), None)])
        else:
            lo = jnp.floor(coord)
            frac = coord - lo
            taps.append([(lo, 1 - frac), (lo + 1, frac)])
    strides = [int(np.prod(spatial[d + 1 :], dtype=np.int64)) for d in range(nd)]
    lins, weights = [], []
    for combo in itertools.product(*taps):
        lin = jnp.zeros(grid.shape[:-1], jnp.int32)
        valid = jnp.ones(grid.shape[:-1], bool)
        weight = None
        for d, (idx, w) in enumerate(combo):
            valid = valid & (idx >= 0) & (idx <= spatial[d] - 1)
            lin = lin + jnp.clip(idx.astype(jnp.int32), 0, spatial[d] - 1) * strides[d]
            if w is not None:
                weight = w if weight is None else weight * w
        lins.append(lin.reshape(n, -1))
        weights.append(valid.astype(input.dtype) if weight is None else jnp.where(valid, weight, 0))
    # one gather for all taps (and one scatter in the backward): much smaller programs than one per tap
    k, points = len(lins), lins[0].shape[1]
    lin = jnp.concatenate(lins, axis=1)
    vals = jnp.take_along_axis(
        input.reshape(n, c, -1), jnp.broadcast_to(lin[:, None], (n, c, k * points)), axis=2
    )
    w = jnp.stack([x.reshape(n, -1) for x in weights], 1).astype(input.dtype)
    out = jnp.sum(vals.reshape(n, c, k, points) * w[:, None], axis=2)
    return out.reshape((n, c) + out_spatial)


def _cubic_coeffs(t, a=-0.75):
    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):  # noqa: A002
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
            f"but got: '{mode}'"
        )
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(
            f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
            f"'reflection', but got: '{padding_mode}'"
        )
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    shape_in, shape_grid = list(input.shape), list(grid.shape)
    if input.dim() not in (4, 5) or grid.dim() != input.dim():
        raise RuntimeError(
            f"grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but "
            f"got input with sizes {shape_in} and grid with sizes {shape_grid}"
        )
    if shape_in[0] != shape_grid[0]:
        raise RuntimeError(
            f"grid_sampler(): expected grid and input to have same batch size, but got input with "
            f"sizes {shape_in} and grid with sizes {shape_grid}"
        )
    if shape_grid[-1] != input.dim() - 2:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {input.dim() - 2} in last dimension, but got "
            f"grid with sizes {shape_grid}"
        )
    if mode == "bicubic" and input.dim() != 4:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    return _grid_sample.frontend(
        input, grid, mode=mode, padding_mode=padding_mode, align_corners=bool(align_corners)
    )


def _base_coords(steps, align_corners, dtype):
    if steps <= 1:
        return jnp.zeros((steps,), dtype)
    r = jnp.linspace(-1.0, 1.0, steps, dtype=dtype)
    return r if align_corners else r * ((steps - 1) / steps)


@op("affine_grid_generator", function=False, grad_name="AffineGridGeneratorBackward0")
def _affine_grid(theta, *, size, align_corners=False):
    nd = len(size) - 2
    spatial = size[2:]
    axes = [_base_coords(s, align_corners, theta.dtype) for s in spatial]
    mesh = jnp.meshgrid(
        *axes, indexing="ij"
    )  # one array per spatial axis, each shaped like spatial
    base = jnp.stack(mesh[::-1] + [jnp.ones(tuple(spatial), theta.dtype)], -1)  # (x, y[, z], 1)
    grid = jnp.einsum("...k,njk->n...j", base, theta, precision=lax.Precision.HIGHEST)
    return grid.reshape((size[0],) + tuple(spatial) + (nd,))


def affine_grid(theta, size, align_corners=None):
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    given, size = size, tuple(int(s) for s in size)  # messages show the size as passed
    if len(size) == 4:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(
                f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {given}. Got "
                f"{theta.shape}."
            )
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(
                f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {given}. Got "
                f"{theta.shape}."
            )
        spatial = size[-3:]
    else:
        raise NotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {given}."
        )
    if align_corners and min(spatial) == 1:
        warnings.warn(
            "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
            "align_corners=True. This is not an issue for standard usage.",
            stacklevel=2,
        )
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    return _affine_grid.frontend(theta, size=size, align_corners=bool(align_corners))


# -- pixel shuffle, channel shuffle ----------------------------------------------------------------
@op("pixel_shuffle", function=False, grad_name="PixelShuffleBackward0")
def _pixel_shuffle(input, *, upscale_factor):  # noqa: A002
    r = upscale_factor
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    k = len(lead)
    x = jnp.transpose(x, tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return x.reshape(*lead, c // (r * r), h * r, w * r)


@op("pixel_unshuffle", function=False, grad_name="PixelUnshuffleBackward0")
def _pixel_unshuffle(input, *, downscale_factor):  # noqa: A002
    r = downscale_factor
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    k = len(lead)
    x = jnp.transpose(x, tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return x.reshape(*lead, c * r * r, h // r, w // r)


def pixel_shuffle(input, upscale_factor):  # noqa: A002
    r = int(upscale_factor)
    if input.dim() < 3:
        raise RuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.dim()} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c = input.shape[-3]
    if c % (r * r):
        raise RuntimeError(
            f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}"
        )
    return _pixel_shuffle.frontend(input, upscale_factor=r)


def pixel_unshuffle(input, downscale_factor):  # noqa: A002
    r = int(downscale_factor)
    if input.dim() < 3:
        raise RuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.dim()} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    h, w = input.shape[-2:]
    if h % r:
        raise RuntimeError(
            f"pixel_unshuffle expects height to be divisible by downscale_factor, but "
            f"input.size(-2)={h} is not divisible by {r}"
        )
    if w % r:
        raise RuntimeError(
            f"pixel_unshuffle expects width to be divisible by downscale_factor, but "
            f"input.size(-1)={w} is not divisible by {r}"
        )
    return _pixel_unshuffle.frontend(input, downscale_factor=r)


@op("channel_shuffle", function=False, grad_name="ChannelShuffleBackward0")
def _channel_shuffle(input, *, groups):  # noqa: A002
    n, c = input.shape[:2]
    rest = input.shape[2:]
    x = input.reshape((n, groups, c // groups) + rest)
    return jnp.swapaxes(x, 1, 2).reshape(input.shape)


def channel_shuffle(input, groups):  # noqa: A002
    groups = int(groups)
    if groups <= 0:
        raise RuntimeError(
            f"Number of groups to divide channels in must be positive. Value of groups:{groups}"
        )
    if input.dim() <= 2:
        raise RuntimeError(
            f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.dim()} dimension(s)"
        )
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups."
        )
    return _channel_shuffle.frontend(input, groups=groups)


native_channel_shuffle = channel_shuffle


# -- unfold / fold (im2col / col2im) -----------------------------------------------------------------
def _pair(v):
    return tuple(int(a) for a in v) if isinstance(v, (list, tuple)) else (int(v), int(v))


def _blocks(size, k, d, p, s):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


@op("im2col", function=False, grad_name="Im2ColBackward0")
def _unfold(input, *, kernel_size, dilation, padding, stride):  # noqa: A002
    unbatched = input.ndim == 3
    x = input[None] if unbatched else input
    n, c, h, w = x.shape
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel_size, dilation, padding, stride
    bh, bw = _blocks(h, kh, dh, ph, sh), _blocks(w, kw, dw, pw, sw)
    x = jnp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = [
        x[:, :, i * dh : i * dh + (bh - 1) * sh + 1 : sh, j * dw : j * dw + (bw - 1) * sw + 1 : sw]
        for i in range(kh)
        for j in range(kw)
    ]
    out = jnp.stack(cols, 2).reshape(n, c * kh * kw, bh * bw)
    return out[0] if unbatched else out


@op("col2im", function=False, grad_name="Col2ImBackward0")
def _fold(input, *, output_size, kernel_size, dilation, padding, stride):  # noqa: A002
    unbatched = input.ndim == 2
    x = input[None] if unbatched else input
    n = x.shape[0]
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (
        output_size,
        kernel_size,
        dilation,
        padding,
        stride,
    )
    bh, bw = _blocks(h, kh, dh, ph, sh), _blocks(w, kw, dw, pw, sw)
    c = x.shape[1] // (kh * kw)
    x = x.reshape(n, c, kh, kw, bh, bw)
    hp, wp = h + 2 * ph, w + 2 * pw
    zero = jnp.zeros((), x.dtype)
    out = None
    for i in range(kh):
        for j in range(kw):
            # each kernel offset scatters its block grid into the padded image: an interior-padded copy
            lo_h, lo_w = i * dh, j * dw
            hi_h, hi_w = hp - lo_h - (bh - 1) * sh - 1, wp - lo_w - (bw - 1) * sw - 1
            term = lax.pad(
                x[:, :, i, j],
                zero,
                [(0, 0, 0), (0, 0, 0), (lo_h, hi_h, sh - 1), (lo_w, hi_w, sw - 1)],
            )
            out = term if out is None else out + term
    out = out[:, :, ph : ph + h, pw : pw + w]
    return out[0] if unbatched else out


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):  # noqa: A002
    k, d, p, s = _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    if input.dim() not in (3, 4):
        raise NotImplementedError(
            f"Input Error: Only 3D or 4D input Tensors are supported (got {input.dim()}D)"
        )
    h, w = input.shape[-2:]
    bh, bw = _blocks(h, k[0], d[0], p[0], s[0]), _blocks(w, k[1], d[1], p[1], s[1])
    if bh < 1 or bw < 1:
        raise RuntimeError(
            f"Given input with spatial size ({h}, {w}), kernel_size={k}, dilation={d}, padding={p}, "
            f"calculated shape of the array of sliding blocks as ({bh}, {bw}), but its components "
            "must be at least one."
        )
    return _unfold.frontend(input, kernel_size=k, dilation=d, padding=p, stride=s)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):  # noqa: A002
    o, k, d, p, s = (
        _pair(output_size),
        _pair(kernel_size),
        _pair(dilation),
        _pair(padding),
        _pair(stride),
    )
    if input.dim() not in (2, 3):
        raise NotImplementedError(
            f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
            f"(got {input.dim()}D)"
        )
    lead = input.dim() - 2
    ck, blocks = input.shape[lead], input.shape[lead + 1]
    if ck % (k[0] * k[1]):
        raise RuntimeError(
            f"Expected size of input's dimension {lead} to be divisible by the product of "
            f"kernel_size, but got input.size({lead})={ck} and kernel_size={k}."
        )
    bh, bw = _blocks(o[0], k[0], d[0], p[0], s[0]), _blocks(o[1], k[1], d[1], p[1], s[1])
    if bh * bw != blocks:
        raise RuntimeError(
            f"Given output_size={o}, kernel_size={k}, dilation={d}, padding={p}, stride={s}, expected "
            f"size of input's dimension {lead + 1} to match the calculated number of sliding blocks "
            f"{bh} * {bw} = {bh * bw}, but got input.size({lead + 1})={blocks}."
        )
    return _fold.frontend(input, output_size=o, kernel_size=k, dilation=d, padding=p, stride=s)
