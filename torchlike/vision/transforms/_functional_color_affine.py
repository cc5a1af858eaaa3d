"""torchvision.transforms.functional, continued: rotate/affine and the colour ops.

Imported into ``functional`` (use it from there); same PIL / host-NumPy dispatch.
"""

from __future__ import annotations

import numbers

import numpy as np
from PIL import Image

from ..._tensor import Tensor
from . import _functional_pil as F_pil
from . import _functional_tensor as F_t
from .functional import (
    InterpolationMode,
    _check_img,
    _host,
    _mode,
    _on_tensor,
    _wrap,
    _write_back,
    get_dimensions,
    pil_modes_mapping,
    pil_to_tensor,
    to_pil_image,
)

__all__ = [
    "rotate",
    "affine",
    "adjust_brightness",
    "adjust_contrast",
    "adjust_saturation",
    "adjust_hue",
    "adjust_gamma",
    "rgb_to_grayscale",
    "to_grayscale",
    "gaussian_blur",
    "erase",
    "invert",
]


def _fill_list(fill, img):
    if isinstance(img, Tensor) and fill is not None:
        c = get_dimensions(img)[0]
        return [float(fill)] * c if isinstance(fill, (int, float)) else [float(f) for f in fill]
    return fill


def rotate(
    img,
    angle: float,
    interpolation=InterpolationMode.NEAREST,
    expand: bool = False,
    center=None,
    fill=None,
):
    interpolation = _mode(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    _check_img(img)
    if not isinstance(img, Tensor):
        return img.rotate(
            angle, pil_modes_mapping[interpolation], expand, center, **F_pil.parse_fill(fill, img)
        )
    _, height, width = get_dimensions(img)
    center_f = (
        [0.0, 0.0]
        if center is None
        else [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    )
    matrix = F_t.inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    out_size = F_t.affine_output_size(matrix, width, height) if expand else None
    return _on_tensor(
        F_t.apply_affine, img, matrix, interpolation.value, _fill_list(fill, img), out_size
    )


def affine(
    img,
    angle,
    translate,
    scale,
    shear,
    interpolation=InterpolationMode.NEAREST,
    fill=None,
    center=None,
):
    interpolation = _mode(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)) or len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if isinstance(shear, numbers.Number):
        shear = [shear, 0.0]
    elif len(shear) == 1:
        shear = [shear[0], shear[0]]
    elif len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    _check_img(img)
    _, height, width = get_dimensions(img)
    if not isinstance(img, Tensor):
        c = [width * 0.5, height * 0.5] if center is None else center
        matrix = F_t.inverse_affine_matrix(c, angle, list(translate), scale, shear)
        return img.transform(
            img.size,
            Image.AFFINE,
            matrix,
            pil_modes_mapping[interpolation],
            **F_pil.parse_fill(fill, img),
        )
    center_f = (
        [0.0, 0.0]
        if center is None
        else [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    )
    matrix = F_t.inverse_affine_matrix(center_f, angle, [1.0 * t for t in translate], scale, shear)
    return _on_tensor(F_t.apply_affine, img, matrix, interpolation.value, _fill_list(fill, img))


# -- colour ---------------------------------------------------------------------------------------


def _non_negative(name, value):
    if value < 0:
        raise ValueError(f"{name} ({value}) is not non-negative.")


def adjust_brightness(img, brightness_factor: float):
    _check_img(img)
    _non_negative("brightness_factor", brightness_factor)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.adjust_brightness, img, brightness_factor)
    return F_pil.adjust_brightness(img, brightness_factor)


def adjust_contrast(img, contrast_factor: float):
    _check_img(img)
    _non_negative("contrast_factor", contrast_factor)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.adjust_contrast, img, contrast_factor)
    return F_pil.adjust_contrast(img, contrast_factor)


def adjust_saturation(img, saturation_factor: float):
    _check_img(img)
    _non_negative("saturation_factor", saturation_factor)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.adjust_saturation, img, saturation_factor)
    return F_pil.adjust_saturation(img, saturation_factor)


def adjust_hue(img, hue_factor: float):
    _check_img(img)
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if isinstance(img, Tensor):
        return _on_tensor(F_t.adjust_hue, img, hue_factor)
    return F_pil.adjust_hue(img, hue_factor)


def adjust_gamma(img, gamma: float, gain: float = 1):
    _check_img(img)
    if not isinstance(img, Tensor):
        return F_pil.adjust_gamma(img, gamma, gain)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")

    def kernel(a):
        x = a if F_t.is_float(a) else F_t.convert_image_dtype(a, np.float32)
        out = np.clip(gain * x**gamma, 0, 1).astype(x.dtype)
        return F_t.convert_image_dtype(out, a.dtype)

    return _on_tensor(kernel, img)


def rgb_to_grayscale(img, num_output_channels: int = 1):
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    _check_img(img)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.rgb_to_grayscale, img, num_output_channels)
    return F_pil.to_grayscale(img, num_output_channels)


to_grayscale = rgb_to_grayscale


def invert(img):
    _check_img(img)
    if not isinstance(img, Tensor):
        return F_pil.invert(img)
    return _on_tensor(
        lambda a: (F_t.max_value(a.dtype) - a).astype(a.dtype) if a.dtype != np.bool_ else ~a, img
    )


def gaussian_blur(img, kernel_size, sigma=None):
    if not isinstance(kernel_size, (int, list, tuple)):
        raise TypeError(
            f"kernel_size should be int or a sequence of integers. Got {type(kernel_size)}"
        )
    if isinstance(kernel_size, int):
        kernel_size = [kernel_size, kernel_size]
    if len(kernel_size) != 2:
        raise ValueError(
            f"If kernel_size is a sequence its length should be 2. Got {len(kernel_size)}"
        )
    for ksize in kernel_size:
        if ksize % 2 == 0 or ksize < 0:
            raise ValueError(
                f"kernel_size should have odd and positive integers. Got {kernel_size}"
            )
    if sigma is None:
        sigma = [ksize * 0.15 + 0.35 for ksize in kernel_size]
    if not isinstance(sigma, (int, float, list, tuple)):
        raise TypeError(f"sigma should be either float or sequence of floats. Got {type(sigma)}")
    if isinstance(sigma, (int, float)):
        sigma = [float(sigma), float(sigma)]
    if isinstance(sigma, (list, tuple)) and len(sigma) == 1:
        sigma = [sigma[0], sigma[0]]
    if len(sigma) != 2:
        raise ValueError(f"If sigma is a sequence, its length should be 2. Got {len(sigma)}")
    for s in sigma:
        if s <= 0.0:
            raise ValueError(f"sigma should have positive values. Got {sigma}")
    _check_img(img)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.gaussian_blur, img, list(kernel_size), list(sigma))
    t = pil_to_tensor(img)
    return to_pil_image(
        _on_tensor(F_t.gaussian_blur, t, list(kernel_size), list(sigma)), mode=img.mode
    )


def erase(img: Tensor, i: int, j: int, h: int, w: int, v, inplace: bool = False) -> Tensor:
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(img)}")
    a = _host(img)
    out = a.copy()
    out[..., i : i + h, j : j + w] = np.asarray(v, dtype=a.dtype)
    return _write_back(img, a, out) if inplace else _wrap(out, img)
