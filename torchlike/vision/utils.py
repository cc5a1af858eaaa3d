"""torchvision.utils: make_grid and save_image (computed on the host with NumPy)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["make_grid", "save_image"]


def _is_tensor(x) -> bool:
    from .._tensor import Tensor

    return isinstance(x, Tensor)


def _grid_array(
    tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0
):
    if not _is_tensor(tensor):
        if isinstance(tensor, list):
            for t in tensor:
                if not _is_tensor(t):
                    raise TypeError(
                        f"tensor or list of tensors expected, got a list containing {type(t)}"
                    )
        else:
            raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if isinstance(tensor, list):
        shapes = {tuple(t.shape) for t in tensor}
        if len(shapes) > 1:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {sorted(shapes)}"
            )
        arr = np.stack([np.asarray(t.detach()) for t in tensor], axis=0)
    else:
        arr = np.array(tensor.detach())
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim == 3:
        if arr.shape[0] == 1:
            arr = np.concatenate((arr, arr, arr), 0)
        arr = arr[None]
    if arr.ndim == 4 and arr.shape[1] == 1:
        arr = np.concatenate((arr, arr, arr), 1)
    if normalize is True:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError(
                "value_range has to be a tuple (min, max) if specified. min and max are numbers"
            )

        def norm(img):
            low, high = (
                value_range if value_range is not None else (float(img.min()), float(img.max()))
            )
            img = np.clip(img, low, high)
            return ((img - img.dtype.type(low)) / img.dtype.type(max(high - low, 1e-5))).astype(
                img.dtype
            )

        arr = np.stack([norm(t) for t in arr]) if scale_each is True else norm(arr)
    if arr.shape[0] == 1:
        return arr[0]
    nmaps = arr.shape[0]
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(arr.shape[2] + padding), int(arr.shape[3] + padding)
    grid = np.full(
        (arr.shape[1], height * ymaps + padding, width * xmaps + padding),
        pad_value,
        dtype=arr.dtype,
    )
    for k in range(nmaps):
        y, x = divmod(k, xmaps)
        top, left = y * height + padding, x * width + padding
        grid[:, top : top + height - padding, left : left + width - padding] = arr[k]
    return grid


def make_grid(
    tensor,
    nrow: int = 8,
    padding: int = 2,
    normalize: bool = False,
    value_range=None,
    scale_each: bool = False,
    pad_value: float = 0.0,
):
    """Tile a (B x C x H x W) batch (or a list of images) into one C x H' x W' image, ``nrow`` per row."""
    from .. import from_numpy

    return from_numpy(
        np.ascontiguousarray(
            _grid_array(tensor, nrow, padding, normalize, value_range, scale_each, pad_value)
        )
    )


def save_image(tensor, fp, format=None, **kwargs) -> None:
    """Write ``make_grid(tensor, **kwargs)`` as an 8-bit image (values in [0, 1] scaled to 0..255, rounded)."""
    from PIL import Image

    grid = _grid_array(tensor, **kwargs)
    ndarr = np.clip(grid * 255 + 0.5, 0, 255).transpose(1, 2, 0).astype(np.uint8)
    Image.fromarray(ndarr).save(fp, format=format)
