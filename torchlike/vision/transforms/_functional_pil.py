"""PIL-image kernels (torchvision's PIL path: PIL does the work, results are PIL images)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageEnhance, ImageOps


def is_pil_image(img) -> bool:
    return isinstance(img, Image.Image)


def check(img) -> None:
    if not is_pil_image(img):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


def get_image_num_channels(img) -> int:
    check(img)
    if hasattr(img, "getbands"):
        return len(img.getbands())
    return img.channels


def get_dimensions(img) -> list[int]:
    check(img)
    width, height = img.size
    return [get_image_num_channels(img), height, width]


def parse_fill(fill, img, name: str = "fillcolor") -> dict:
    num_channels = get_image_num_channels(img)
    if fill is None:
        fill = 0
    if isinstance(fill, (int, float)) and num_channels > 1:
        fill = tuple([fill] * num_channels)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = fill * num_channels
        elif len(fill) != num_channels:
            raise ValueError(
                "The number of elements in 'fill' does not match the number of channels of the image "
                f"({len(fill)} != {num_channels})"
            )
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return {name: fill}


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    check(img)
    if isinstance(padding, (tuple, list)) and len(padding) == 1:
        padding = padding[0]
    if isinstance(padding, int):
        p = [padding] * 4
    elif len(padding) == 2:
        p = [padding[0], padding[1], padding[0], padding[1]]
    else:
        p = list(padding)
    cropping = -np.minimum(p, 0)
    if cropping.any():
        cl, ct, cr, cb = (int(v) for v in cropping)
        img = img.crop((cl, ct, img.width - cr, img.height - cb))
    left, top, right, bottom = (int(v) for v in np.maximum(p, 0))
    if padding_mode == "constant":
        opts = parse_fill(fill, img, name="fill")
        if img.mode == "P":
            palette = img.getpalette()
            out = ImageOps.expand(img, border=(left, top, right, bottom), **opts)
            out.putpalette(palette)
            return out
        return ImageOps.expand(img, border=(left, top, right, bottom), **opts)
    palette = img.getpalette() if img.mode == "P" else None
    arr = np.asarray(img)
    widths = ((top, bottom), (left, right)) + (((0, 0),) if arr.ndim == 3 else ())
    out = Image.fromarray(np.pad(arr, widths, mode=padding_mode))
    if palette is not None:
        out = out.convert("P") if out.mode != "P" else out
        out.putpalette(palette)
    return out


def crop(img, top: int, left: int, height: int, width: int):
    check(img)
    return img.crop((left, top, left + width, top + height))


def resize(img, size: list[int], interpolation: int):
    check(img)
    h, w = size
    if (w, h) == img.size:
        return img
    return img.resize((w, h), interpolation)


def adjust_brightness(img, factor: float):
    check(img)
    return ImageEnhance.Brightness(img).enhance(factor)


def adjust_contrast(img, factor: float):
    check(img)
    return ImageEnhance.Contrast(img).enhance(factor)


def adjust_saturation(img, factor: float):
    check(img)
    return ImageEnhance.Color(img).enhance(factor)


def adjust_hue(img, hue_factor: float):
    check(img)
    mode = img.mode
    if mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    # wraps around, as intended (hue is circular)
    np_h = (np_h.astype(np.int64) + int(np.int32(hue_factor * 255))) % 256
    h = Image.fromarray(np_h.astype(np.uint8), "L")
    return Image.merge("HSV", (h, s, v)).convert(mode)


def adjust_gamma(img, gamma: float, gain: float = 1.0):
    check(img)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    mode = img.mode
    img = img.convert("RGB")
    table = [int((255 + 1 - 1e-3) * gain * pow(ele / 255.0, gamma)) for ele in range(256)] * 3
    return img.point(table).convert(mode)


def to_grayscale(img, num_output_channels: int):
    check(img)
    if num_output_channels == 1:
        return img.convert("L")
    if num_output_channels == 3:
        arr = np.array(img.convert("L"), dtype=np.uint8)
        return Image.fromarray(np.dstack([arr, arr, arr]), "RGB")
    raise ValueError("num_output_channels should be either 1 or 3")


def invert(img):
    check(img)
    return ImageOps.invert(img)
