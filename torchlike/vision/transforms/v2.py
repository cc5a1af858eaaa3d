"""``torchvision.transforms.v2``: the same transform classes on plain images and tensors.

torchlike has no tv_tensors (boxes, masks), so v2 is an alias of the v1 classes, plus
``ToImage`` and ``ToDtype`` which v2 tutorials use in place of ``ToTensor``.
"""

from .. import transforms as _v1
from ..transforms import *  # noqa: F401,F403
from ..transforms import functional  # noqa: F401
from ..transforms.transforms import Module


class ToImage:
    """PIL image / ndarray (HWC) -> CHW tensor of the same dtype."""

    def __call__(self, pic):
        import numpy as np

        from ... import from_numpy

        if isinstance(pic, np.ndarray):
            arr = pic[:, :, None] if pic.ndim == 2 else pic
            return from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))
        if hasattr(pic, "getbands"):
            return functional.pil_to_tensor(pic)
        return pic

    def __repr__(self) -> str:
        return "ToImage()"


class ToDtype(Module):
    """Cast to ``dtype``; with ``scale=True`` rescale values as ConvertImageDtype does."""

    def __init__(self, dtype, scale: bool = False):
        super().__init__()
        self.dtype = dtype
        self.scale = scale

    def forward(self, inpt):
        if self.scale:
            return functional.convert_image_dtype(inpt, self.dtype)
        import numpy as np

        from ... import _dtype, from_numpy

        return from_numpy(np.asarray(inpt).astype(_dtype.to_dtype(self.dtype).np))

    def __repr__(self) -> str:
        return f"ToDtype(scale={self.scale})"


__all__ = list(_v1.__all__) + ["ToImage", "ToDtype"]
