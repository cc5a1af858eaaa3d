"""torchvision.transforms: the transforms tutorials use, on PIL images and tensor images.

| file | what |
|---|---|
| `transforms.py` | containers, conversions, geometric transforms |
| `_geometry.py` | FiveCrop, TenCrop, RandomRotation, RandomAffine |
| `_color.py` | ColorJitter, Grayscale, GaussianBlur, RandomErasing, ... |
| `functional.py` | the functional API (dispatch PIL / tensor) |
| `_functional_color_affine.py` | functional rotate/affine and colour ops |
| `_functional_pil.py` | PIL kernels |
| `_functional_tensor.py` | tensor kernels in NumPy (host only: safe in DataLoader workers) |
| `_rng.py` | host-side randomness drawn from torchlike's generator |
| `v2.py` | ``transforms.v2`` namespace (the same classes) |
"""

from . import functional  # noqa: F401
from ._color import *  # noqa: F401,F403
from ._color import __all__ as _color_all
from ._geometry import *  # noqa: F401,F403
from ._geometry import __all__ as _geometry_all
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms_all

__all__ = list(_transforms_all) + list(_geometry_all) + list(_color_all)
