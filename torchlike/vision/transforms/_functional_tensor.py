"""Tensor-image kernels, computed with NumPy on the host.

Transforms run inside DataLoader workers, which must never touch JAX, so every kernel here
takes and returns a NumPy array shaped ``(..., C, H, W)`` (or ``(H, W)``); ``functional.py``
converts torchlike tensors to and from these arrays. The arithmetic follows torchvision's
tensor kernels (float math, rounding when the result goes back to an integer dtype).
"""

from __future__ import annotations

import math

import numpy as np

_INT_MAX = {
    np.dtype(np.uint8): 255,
    np.dtype(np.int8): 127,
    np.dtype(np.int16): 32767,
    np.dtype(np.uint16): 65535,
    np.dtype(np.int32): 2**31 - 1,
    np.dtype(np.int64): 2**63 - 1,
}


def is_float(a: np.ndarray) -> bool:
    return np.issubdtype(a.dtype, np.floating)


def max_value(dtype) -> float:
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return 1
    return _INT_MAX[dtype] if dtype in _INT_MAX else 1.0


def assert_image(a: np.ndarray) -> None:
    if a.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def get_dimensions(a: np.ndarray) -> list[int]:
    assert_image(a)
    channels = 1 if a.ndim == 2 else a.shape[-3]
    return [channels, a.shape[-2], a.shape[-1]]


def _to_compute(a: np.ndarray):
    """A float view of the image for arithmetic, and the dtype to return."""
    return (a, a.dtype) if is_float(a) else (a.astype(np.float32), a.dtype)


def _back(a: np.ndarray, dtype) -> np.ndarray:
    if np.issubdtype(dtype, np.floating):
        return a.astype(dtype, copy=False)
    if dtype == np.bool_:
        return a.astype(np.bool_)
    info = np.iinfo(dtype)
    return np.clip(np.round(a), info.min, info.max).astype(dtype)


def blend(img1: np.ndarray, img2, ratio: float) -> np.ndarray:
    ratio = float(ratio)
    bound = max_value(img1.dtype)
    dt = img1.dtype if is_float(img1) else np.float32
    out = ratio * img1.astype(dt, copy=False) + (1.0 - ratio) * np.asarray(img2, dtype=dt)
    return np.clip(out, 0, bound).astype(img1.dtype)


# -- geometry -------------------------------------------------------------------------------------


def crop(a: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    _, h, w = get_dimensions(a)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        # out-of-bounds parts are zero, as PIL's crop does
        pads = [
            max(-min(left, w), 0),
            max(-min(top, h), 0),
            max(right - max(w, left), 0),
            max(bottom - max(h, top), 0),
        ]
        a = a[..., max(top, 0) : max(bottom, 0), max(left, 0) : max(right, 0)]
        return pad(a, pads, fill=0)
    return np.ascontiguousarray(a[..., top:bottom, left:right])


def pad(a: np.ndarray, padding, fill=0, padding_mode: str = "constant") -> np.ndarray:
    if isinstance(padding, int):
        left = right = top = bottom = padding
    elif len(padding) == 1:
        left = right = top = bottom = padding[0]
    elif len(padding) == 2:
        left = right = padding[0]
        top = bottom = padding[1]
    else:
        left, top, right, bottom = padding
    # negative padding crops
    h, w = a.shape[-2:]
    a = a[..., max(-top, 0) : h - max(-bottom, 0), max(-left, 0) : w - max(-right, 0)]
    widths = [(0, 0)] * (a.ndim - 2) + [
        (max(top, 0), max(bottom, 0)),
        (max(left, 0), max(right, 0)),
    ]
    if padding_mode == "constant":
        return np.pad(a, widths, mode="constant", constant_values=np.asarray(fill).astype(a.dtype))
    return np.pad(a, widths, mode=padding_mode)


def hflip(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a[..., ::-1])


def vflip(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a[..., ::-1, :])


def _filter_weights(in_size: int, out_size: int, mode: str, antialias: bool):
    """(out_size, in_size) interpolation matrix along one axis (align_corners=False)."""
    scale = in_size / out_size
    m = np.zeros((out_size, in_size), np.float64)
    rows = np.arange(out_size)
    if mode == "nearest":
        m[rows, np.minimum(np.floor(rows * scale).astype(np.int64), in_size - 1)] = 1.0
        return m
    if mode == "nearest-exact":
        m[rows, np.minimum(np.floor((rows + 0.5) * scale).astype(np.int64), in_size - 1)] = 1.0
        return m
    cubic_a = -0.5 if antialias else -0.75

    def kernel(x):
        x = np.abs(x)
        if mode == "bilinear":
            return np.maximum(1.0 - x, 0.0)
        a = cubic_a
        return np.where(
            x < 1.0,
            ((a + 2) * x - (a + 3)) * x * x + 1,
            np.where(x < 2.0, (((x - 5) * x + 8) * x - 4) * a, 0.0),
        )

    support = 1.0 if mode == "bilinear" else 2.0
    if antialias:
        # PIL's (and torch's antialias) resampling: a window widened by the downscale factor and
        # renormalised at the borders
        fscale = max(scale, 1.0)
        sup = support * fscale
        for i in range(out_size):
            center = (i + 0.5) * scale
            lo = max(int(center - sup + 0.5), 0)
            hi = min(int(center + sup + 0.5), in_size)
            j = np.arange(lo, hi)
            wts = kernel((j - center + 0.5) / fscale)
            total = wts.sum()
            m[i, lo:hi] = wts / total if total != 0 else wts
        return m
    src = (rows + 0.5) * scale - 0.5
    if mode == "bilinear":
        src = np.maximum(src, 0.0)
    base = np.floor(src).astype(np.int64)
    t = src - base
    taps = range(0, 2) if mode == "bilinear" else range(-1, 3)
    for k in taps:
        idx = np.clip(base + k, 0, in_size - 1)
        np.add.at(m, (rows, idx), kernel(t - k))
    return m


def resize(
    a: np.ndarray, size: list[int], interpolation: str = "bilinear", antialias: bool = True
) -> np.ndarray:
    """``size`` is the final ``[h, w]``."""
    h, w = a.shape[-2:]
    oh, ow = size
    if (oh, ow) == (h, w):
        return a
    if interpolation not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise ValueError(
            "Interpolation mode should be either nearest, nearest-exact, bilinear or bicubic for tensors"
        )
    aa = antialias and interpolation in ("bilinear", "bicubic")
    x, out_dtype = _to_compute(a)
    wy = _filter_weights(h, oh, interpolation, aa).astype(x.dtype)
    wx = _filter_weights(w, ow, interpolation, aa).astype(x.dtype)
    out = np.einsum("oh,...hw,pw->...op", wy, x, wx, optimize=True)
    if interpolation == "bicubic" and out_dtype == np.uint8:
        out = np.clip(out, 0, 255)
    return _back(out, out_dtype) if not is_float(a) else out.astype(out_dtype)


def gaussian_kernel1d(kernel_size: int, sigma: float) -> np.ndarray:
    half = (kernel_size - 1) * 0.5
    x = np.linspace(-half, half, kernel_size, dtype=np.float32)
    pdf = np.exp(-0.5 * (x / np.float32(sigma)) ** 2)
    return pdf / pdf.sum()


def gaussian_blur(a: np.ndarray, kernel_size: list[int], sigma: list[float]) -> np.ndarray:
    x, out_dtype = _to_compute(a)
    kx = gaussian_kernel1d(kernel_size[0], sigma[0]).astype(x.dtype)
    ky = gaussian_kernel1d(kernel_size[1], sigma[1]).astype(x.dtype)
    px, py = kernel_size[0] // 2, kernel_size[1] // 2
    x = pad(x, [px, py, px, py], padding_mode="reflect")
    h, w = a.shape[-2:]
    # separable correlation: rows then columns
    tmp = sum(kx[i] * x[..., :, i : i + w] for i in range(kernel_size[0]))
    out = sum(ky[i] * tmp[..., i : i + h, :] for i in range(kernel_size[1]))
    return _back(out, out_dtype) if not is_float(a) else out.astype(out_dtype)


def inverse_affine_matrix(center, angle, translate, scale, shear) -> list[float]:
    """Inverse of ``T * C * R * S * Sh * C^-1`` as a flat 2x3 matrix (torchvision's convention)."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty)
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty)
    m[2] += cx
    m[5] += cy
    return m


def affine_output_size(matrix, w: int, h: int) -> tuple[int, int]:
    pts = np.array(
        [
            [-0.5 * w, -0.5 * h, 1.0],
            [-0.5 * w, 0.5 * h, 1.0],
            [0.5 * w, 0.5 * h, 1.0],
            [0.5 * w, -0.5 * h, 1.0],
        ]
    )
    theta = np.asarray(matrix, np.float32).reshape(2, 3).astype(np.float64)
    new = pts @ theta.T
    tol = 1e-4
    cmax = np.ceil(np.trunc(new.max(0) / tol) * tol)
    cmin = np.floor(np.trunc(new.min(0) / tol) * tol)
    size = cmax - cmin
    return int(size[0]), int(size[1])


def apply_affine(a: np.ndarray, matrix, interpolation: str, fill, out_size=None) -> np.ndarray:
    """Sample ``a`` at ``matrix`` x (output pixel centre, relative to the output's centre)."""
    h, w = a.shape[-2:]
    ow, oh = out_size if out_size is not None else (w, h)
    x, out_dtype = _to_compute(a)
    m = np.asarray(matrix, np.float64)
    xs = np.arange(ow) - ow * 0.5 + 0.5
    ys = np.arange(oh) - oh * 0.5 + 0.5
    gx = m[0] * xs[None, :] + m[1] * ys[:, None] + m[2] + (w - 1) * 0.5
    gy = m[3] * xs[None, :] + m[4] * ys[:, None] + m[5] + (h - 1) * 0.5
    lead = x.shape[:-2]
    ones = np.ones(lead[:-1] + (1, h, w) if lead else (1, h, w), x.dtype)
    x3 = x if x.ndim >= 3 else x[None]
    stacked = np.concatenate([x3, ones], axis=-3)

    def take(iy, ix):
        ok = (iy >= 0) & (iy < h) & (ix >= 0) & (ix < w)
        vals = stacked[..., np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1)]
        return vals * ok

    if interpolation == "nearest":
        out = take(np.rint(gy).astype(np.int64), np.rint(gx).astype(np.int64))
    elif interpolation == "bilinear":
        x0, y0 = np.floor(gx).astype(np.int64), np.floor(gy).astype(np.int64)
        fx, fy = (gx - x0).astype(x.dtype), (gy - y0).astype(x.dtype)
        out = (
            take(y0, x0) * (1 - fx) * (1 - fy)
            + take(y0, x0 + 1) * fx * (1 - fy)
            + take(y0 + 1, x0) * (1 - fx) * fy
            + take(y0 + 1, x0 + 1) * fx * fy
        )
    else:
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")
    mask, out = out[..., -1:, :, :], out[..., :-1, :, :]
    if fill is not None:
        f = np.asarray(fill if isinstance(fill, (list, tuple)) else [float(fill)], x.dtype).reshape(
            -1, 1, 1
        )
        if interpolation == "nearest":
            out = np.where(mask < 0.5, f, out)
        else:
            out = out * mask + (1.0 - mask) * f
    if x.ndim == 2:
        out = out[0]
    return _back(out, out_dtype) if not is_float(a) else out.astype(out_dtype)


# -- colour -------------------------------------------------------------------------------------


def rgb_to_grayscale(a: np.ndarray, num_output_channels: int = 1) -> np.ndarray:
    c = get_dimensions(a)[0]
    if c not in (1, 3):
        raise TypeError(f"Input image tensor permitted channel values are [1, 3], but found {c}")
    if c == 3:
        x = a.astype(np.float32) if not is_float(a) else a
        r, g, b = x[..., 0, :, :], x[..., 1, :, :], x[..., 2, :, :]
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).astype(a.dtype)[..., None, :, :]
    else:
        gray = a.copy()
    if num_output_channels == 3:
        return np.ascontiguousarray(np.broadcast_to(gray, gray.shape[:-3] + (3,) + gray.shape[-2:]))
    return gray


def adjust_brightness(a: np.ndarray, factor: float) -> np.ndarray:
    return blend(a, np.zeros((), a.dtype), factor)


def adjust_contrast(a: np.ndarray, factor: float) -> np.ndarray:
    c = get_dimensions(a)[0]
    dt = a.dtype if is_float(a) else np.float32
    gray = rgb_to_grayscale(a) if c == 3 else a
    mean = np.mean(gray.astype(dt), axis=(-3, -2, -1), keepdims=True, dtype=dt)
    return blend(a, mean, factor)


def adjust_saturation(a: np.ndarray, factor: float) -> np.ndarray:
    if get_dimensions(a)[0] == 1:
        return a
    return blend(a, rgb_to_grayscale(a), factor)


def _rgb2hsv(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    maxc, minc = img.max(axis=-3), img.min(axis=-3)
    eqc = maxc == minc
    cr = maxc - minc
    ones = np.ones_like(maxc)
    s = cr / np.where(eqc, ones, maxc)
    cr_div = np.where(eqc, ones, cr)
    rc, gc, bc = (maxc - r) / cr_div, (maxc - g) / cr_div, (maxc - b) / cr_div
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = np.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return np.stack((h, s, maxc), axis=-3)


def _hsv2rgb(img: np.ndarray) -> np.ndarray:
    h, s, v = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(np.int32) % 6
    p = np.clip(v * (1.0 - s), 0.0, 1.0)
    q = np.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    table = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    out = [np.select([i == k for k in range(6)], [row[ch] for row in table]) for ch in range(3)]
    return np.stack(out, axis=-3).astype(img.dtype)


def adjust_hue(a: np.ndarray, hue_factor: float) -> np.ndarray:
    if get_dimensions(a)[0] == 1:
        return a
    x = convert_image_dtype(a, np.float32)
    hsv = _rgb2hsv(x)
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + np.float32(hue_factor), np.float32(1.0))
    return convert_image_dtype(_hsv2rgb(hsv), a.dtype)


def convert_image_dtype(a: np.ndarray, dtype: np.dtype, names=None) -> np.ndarray:
    dtype = np.dtype(dtype)
    if a.dtype == dtype:
        return a
    if is_float(a):
        if np.issubdtype(dtype, np.floating):
            return a.astype(dtype)
        if (a.dtype == np.float32 and dtype in (np.int32, np.int64)) or (
            a.dtype == np.float64 and dtype == np.int64
        ):
            src, dst = names if names else (a.dtype, dtype)
            raise RuntimeError(f"The cast from {src} to {dst} cannot be performed safely.")
        eps = 1e-3
        return (a * (float(max_value(dtype)) + 1.0 - eps)).astype(dtype)
    input_max = float(max_value(a.dtype))
    if np.issubdtype(dtype, np.floating):
        return (a.astype(dtype) / dtype.type(input_max)).astype(dtype)
    output_max = float(max_value(dtype))
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return (a // factor).astype(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return a.astype(dtype) * dtype.type(factor)
