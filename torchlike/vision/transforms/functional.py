"""torchvision.transforms.functional: one entry point per op, for PIL images and tensor images.

PIL images go through PIL (``_functional_pil``). Tensor images (``(..., C, H, W)``) are
computed with NumPy on the host (``_functional_tensor``) and come back as host tensors made by
``torchlike.from_numpy``: no device op runs, so these functions are safe in DataLoader workers.
"""

from __future__ import annotations

import numbers
import sys
from enum import Enum

import numpy as np
from PIL import Image

from ... import _dtype
from ..._creation import from_numpy
from ..._tensor import Tensor
from . import _functional_pil as F_pil
from . import _functional_tensor as F_t

__all__ = [
    "InterpolationMode",
    "get_dimensions",
    "get_image_size",
    "get_image_num_channels",
    "to_tensor",
    "pil_to_tensor",
    "to_pil_image",
    "convert_image_dtype",
    "normalize",
    "resize",
    "pad",
    "crop",
    "center_crop",
    "resized_crop",
    "hflip",
    "vflip",
    "five_crop",
    "ten_crop",
]


class InterpolationMode(Enum):
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


pil_modes_mapping = {
    InterpolationMode.NEAREST: 0,
    InterpolationMode.BILINEAR: 2,
    InterpolationMode.BICUBIC: 3,
    InterpolationMode.NEAREST_EXACT: 0,
    InterpolationMode.BOX: 4,
    InterpolationMode.HAMMING: 5,
    InterpolationMode.LANCZOS: 1,
}

_FROM_INT = {
    0: InterpolationMode.NEAREST,
    2: InterpolationMode.BILINEAR,
    3: InterpolationMode.BICUBIC,
    4: InterpolationMode.BOX,
    5: InterpolationMode.HAMMING,
    1: InterpolationMode.LANCZOS,
}


def _interpolation_modes_from_int(i: int) -> InterpolationMode:
    return _FROM_INT[int(i)]


def _mode(interpolation) -> InterpolationMode:
    if isinstance(interpolation, int):
        return _interpolation_modes_from_int(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError(
            "Argument interpolation should be a InterpolationMode or a corresponding Pillow integer constant"
        )
    return interpolation


# -- tensor <-> host array ------------------------------------------------------------------------


def _host(t: Tensor) -> np.ndarray:
    return np.asarray(t)


def _wrap(a: np.ndarray, like: Tensor) -> Tensor:
    out = from_numpy(np.ascontiguousarray(a))
    if like.device.type != "cpu":
        out = out.to(like.device)
    return out


def _on_tensor(kernel, img: Tensor, *args, **kwargs) -> Tensor:
    a = _host(img)
    out = kernel(a, *args, **kwargs)
    return img if out is a else _wrap(out, img)


def _write_back(t: Tensor, a: np.ndarray, out: np.ndarray) -> Tensor:
    """In-place result: written into the host buffer when the tensor still has one (no device op
    in workers), else through ``copy_``."""
    if type(t._data) is np.ndarray and t._data is a and a.flags.writeable:
        np.copyto(a, out, casting="unsafe")
        t._vbox[0] += 1
    else:
        t.copy_(_wrap(out, t))
    return t


def _check_img(img) -> None:
    if not (isinstance(img, Tensor) or F_pil.is_pil_image(img)):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")


# -- introspection --------------------------------------------------------------------------------


def get_dimensions(img) -> list[int]:
    if isinstance(img, Tensor):
        return F_t.get_dimensions(_host(img))
    return F_pil.get_dimensions(img)


def get_image_size(img) -> list[int]:
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img) -> int:
    return get_dimensions(img)[0]


# -- conversion -----------------------------------------------------------------------------------


def to_tensor(pic) -> Tensor:
    from ... import get_default_dtype

    if not (F_pil.is_pil_image(pic) or isinstance(pic, np.ndarray)):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if isinstance(pic, np.ndarray) and pic.ndim not in (2, 3):
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    float_np = get_default_dtype().np
    if isinstance(pic, np.ndarray):
        arr = pic[:, :, None] if pic.ndim == 2 else pic
        arr = np.ascontiguousarray(arr.transpose(2, 0, 1))
        if arr.dtype == np.uint8:
            arr = arr.astype(float_np) / float_np.type(255)
        return from_numpy(arr)
    mode_to_nptype = {
        "I": np.int32,
        "I;16" if sys.byteorder == "little" else "I;16B": np.int16,
        "F": np.float32,
    }
    arr = np.array(pic, mode_to_nptype.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        arr = 255 * arr
    arr = arr.reshape(pic.size[1], pic.size[0], F_pil.get_image_num_channels(pic)).transpose(
        2, 0, 1
    )
    arr = np.ascontiguousarray(arr)
    if arr.dtype == np.uint8:
        arr = arr.astype(float_np) / float_np.type(255)
    return from_numpy(arr)


def pil_to_tensor(pic) -> Tensor:
    if not F_pil.is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    arr = np.array(pic, copy=True)
    arr = arr.reshape(pic.size[1], pic.size[0], F_pil.get_image_num_channels(pic))
    return from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def to_pil_image(pic, mode=None):
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        npimg = _host(pic)
        if npimg.ndim == 3:
            npimg = npimg.transpose(1, 2, 0)
    elif isinstance(pic, np.ndarray):
        npimg = pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if npimg.ndim == 2:
        npimg = npimg[:, :, None]
    if npimg.ndim != 3:
        raise ValueError(f"pic should be 2/3 dimensional. Got {npimg.ndim} dimensions.")
    if npimg.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {npimg.shape[-1]} channels.")
    if np.issubdtype(npimg.dtype, np.floating) and mode != "F":
        npimg = (npimg * 255).astype(np.uint8)
    if npimg.shape[2] == 1:
        npimg = npimg[:, :, 0]
        expected = {
            np.dtype(np.uint8): "L",
            np.dtype(np.int16): "I;16" if sys.byteorder == "little" else "I;16B",
            np.dtype(np.int32): "I",
            np.dtype(np.float32): "F",
        }.get(npimg.dtype)
        if mode is not None and mode != expected:
            raise ValueError(
                f"Incorrect mode ({mode}) supplied for input type {np.dtype}. Should be {expected}"
            )
        mode = expected
    else:
        permitted = {2: ["LA"], 4: ["RGBA", "CMYK", "RGBX"], 3: ["RGB", "YCbCr", "HSV"]}[
            npimg.shape[2]
        ]
        if mode is not None and mode not in permitted:
            raise ValueError(f"Only modes {permitted} are supported for {npimg.shape[2]}D inputs")
        if mode is None and npimg.dtype == np.uint8:
            mode = permitted[0]
    if mode is None:
        raise TypeError(f"Input type {npimg.dtype} is not supported")
    return Image.fromarray(np.ascontiguousarray(npimg), mode=mode)


def convert_image_dtype(image: Tensor, dtype=None) -> Tensor:
    dtype = _dtype.float32 if dtype is None else _dtype.to_dtype(dtype)
    if not isinstance(image, Tensor):
        raise TypeError("Input img should be Tensor Image")
    return _on_tensor(F_t.convert_image_dtype, image, dtype.np, names=(image.dtype, dtype))


def normalize(tensor: Tensor, mean, std, inplace: bool = False) -> Tensor:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    if tensor.ndim < 2:
        raise TypeError("Tensor is not a torch image.")
    if not tensor.dtype.is_floating_point:
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError(
            f"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = {tensor.size()}"
        )
    a = _host(tensor)
    m = np.asarray(mean, dtype=a.dtype)
    s = np.asarray(std, dtype=a.dtype)
    if (s == 0).any():
        raise ValueError(
            f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero."
        )
    if m.ndim == 1:
        m = m.reshape(-1, 1, 1)
    if s.ndim == 1:
        s = s.reshape(-1, 1, 1)
    out = (a - m) / s
    if inplace:
        return _write_back(tensor, a, out)
    return _wrap(out, tensor)


# -- geometry -------------------------------------------------------------------------------------


def _compute_resized_output_size(image_size, size, max_size=None) -> list[int]:
    h, w = image_size
    short, long = (w, h) if w <= h else (h, w)
    if size is None:
        if max_size is None:
            raise ValueError("If size is None, then max_size must be an integer")
        new_short, new_long = int(max_size * short / long), max_size
        return [new_long, new_short] if w <= h else [new_short, new_long]
    if len(size) == 1:
        requested = size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(
                    f"max_size = {max_size} must be strictly greater than the requested "
                    f"size for the smaller edge size = {size}"
                )
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
        return [new_h, new_w]
    return [size[0], size[1]]


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    interpolation = _mode(interpolation)
    _check_img(img)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(
                f"Size must be an int or a 1 or 2 element tuple/list, not a {len(size)} element tuple/list"
            )
        if max_size is not None and len(size) != 1:
            raise ValueError(
                "max_size should only be passed if size specifies the length of the smaller edge, "
                "i.e. size should be an int or a sequence of length 1 in torchscript mode."
            )
    elif isinstance(size, int):
        size = [size]
    elif size is not None:
        raise TypeError(f"Size should be int or sequence. Got {type(size)}")
    _, h, w = get_dimensions(img)
    out_size = _compute_resized_output_size((h, w), size, max_size)
    if [h, w] == out_size:
        return img
    if isinstance(img, Tensor):
        if interpolation not in (
            InterpolationMode.NEAREST,
            InterpolationMode.NEAREST_EXACT,
            InterpolationMode.BILINEAR,
            InterpolationMode.BICUBIC,
        ):
            raise ValueError(
                "Interpolation mode should be either nearest, nearest-exact, bilinear or bicubic for tensors"
            )
        return _on_tensor(F_t.resize, img, out_size, interpolation.value, bool(antialias))
    if antialias is False:
        import warnings

        warnings.warn(
            "Anti-alias option is always applied for PIL Image input. Argument antialias is ignored.",
            stacklevel=2,
        )
    return F_pil.resize(img, out_size, pil_modes_mapping[interpolation])


def _norm_padding(padding):
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError(
            f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple"
        )
    return padding


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    _check_img(img)
    padding = _norm_padding(padding)
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    if isinstance(img, Tensor):
        if fill is None:
            fill = 0
        if not isinstance(fill, (int, float)):
            raise TypeError("Got inappropriate fill arg")
        if isinstance(padding, numbers.Number):
            padding = [int(padding)]
        return _on_tensor(F_t.pad, img, list(padding), fill, padding_mode)
    return F_pil.pad(img, padding, fill, padding_mode)


def crop(img, top: int, left: int, height: int, width: int):
    _check_img(img)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.crop, img, int(top), int(left), int(height), int(width))
    return F_pil.crop(img, int(top), int(left), int(height), int(width))


def center_crop(img, output_size):
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = output_size
    if crop_width > image_width or crop_height > image_height:
        padding_ltrb = [
            (crop_width - image_width) // 2 if crop_width > image_width else 0,
            (crop_height - image_height) // 2 if crop_height > image_height else 0,
            (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
            (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
        ]
        img = pad(img, padding_ltrb, fill=0)
        _, image_height, image_width = get_dimensions(img)
        if crop_width == image_width and crop_height == image_height:
            return img
    crop_top = int(round((image_height - crop_height) / 2.0))
    crop_left = int(round((image_width - crop_width) / 2.0))
    return crop(img, crop_top, crop_left, crop_height, crop_width)


def resized_crop(
    img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR, antialias=True
):
    img = crop(img, top, left, height, width)
    return resize(img, size, interpolation, antialias=antialias)


def hflip(img):
    _check_img(img)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.hflip, img)
    return img.transpose(Image.FLIP_LEFT_RIGHT)


def vflip(img):
    _check_img(img)
    if isinstance(img, Tensor):
        return _on_tensor(F_t.vflip, img)
    return img.transpose(Image.FLIP_TOP_BOTTOM)


def five_crop(img, size):
    if isinstance(size, numbers.Number):
        size = (int(size), int(size))
    elif isinstance(size, (tuple, list)) and len(size) == 1:
        size = (size[0], size[0])
    if len(size) != 2:
        raise ValueError("Please provide only two dimensions (h, w) for size.")
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = size
    if crop_width > image_width or crop_height > image_height:
        raise ValueError(
            f"Requested crop size {size} is bigger than input size {(image_height, image_width)}"
        )
    tl = crop(img, 0, 0, crop_height, crop_width)
    tr = crop(img, 0, image_width - crop_width, crop_height, crop_width)
    bl = crop(img, image_height - crop_height, 0, crop_height, crop_width)
    br = crop(img, image_height - crop_height, image_width - crop_width, crop_height, crop_width)
    return tl, tr, bl, br, center_crop(img, [crop_height, crop_width])


def ten_crop(img, size, vertical_flip: bool = False):
    first = five_crop(img, size)
    second = five_crop(vflip(img) if vertical_flip else hflip(img), size)
    return first + second


from ._functional_color_affine import *  # noqa: E402,F401,F403
from ._functional_color_affine import __all__ as _more_all  # noqa: E402
from ._functional_color_affine import _fill_list  # noqa: E402,F401

__all__ += _more_all
