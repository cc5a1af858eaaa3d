"""Weights enums (``ResNet18_Weights.IMAGENET1K_V1``) and loading from the local torch hub cache.

torchlike never downloads: ``weights=`` loads ``$TORCH_HOME/hub/checkpoints/<file>`` (the path
and file names torchvision uses, so an existing cache works), or raises an error naming the path.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


class ImageClassification:
    """The inference preset: resize, centre crop, to float in [0, 1], normalise."""

    def __init__(
        self,
        *,
        crop_size: int,
        resize_size: int = 256,
        mean=_IMAGENET_MEAN,
        std=_IMAGENET_STD,
        interpolation=None,
        antialias=True,
    ) -> None:
        from ..transforms.functional import InterpolationMode

        self.crop_size = [crop_size]
        self.resize_size = [resize_size]
        self.mean = list(mean)
        self.std = list(std)
        self.interpolation = InterpolationMode.BILINEAR if interpolation is None else interpolation
        self.antialias = antialias

    def __call__(self, img):
        from ..._tensor import Tensor
        from ..transforms import functional as F

        img = F.resize(
            img, self.resize_size, interpolation=self.interpolation, antialias=self.antialias
        )
        img = F.center_crop(img, self.crop_size)
        if not isinstance(img, Tensor):
            img = F.pil_to_tensor(img)
        img = F.convert_image_dtype(img, "float32")
        return F.normalize(img, mean=self.mean, std=self.std)

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(\n    crop_size={self.crop_size}\n    resize_size={self.resize_size}\n"
            f"    mean={self.mean}\n    std={self.std}\n    interpolation={self.interpolation}\n)"
        )


@dataclass
class Weights:
    url: str
    transforms: Any
    meta: dict = field(default_factory=dict)


class WeightsEnum(Enum):
    @classmethod
    def verify(cls, obj):
        if obj is not None:
            if type(obj) is str:
                obj = cls[obj.replace(cls.__name__ + ".", "")]
            elif not isinstance(obj, cls):
                raise TypeError(
                    f"Invalid Weight class provided; expected {cls.__name__} but received {obj.__class__.__name__}."
                )
        return obj

    @property
    def url(self) -> str:
        return self.value.url

    @property
    def transforms(self):
        return self.value.transforms

    @property
    def meta(self) -> dict:
        return self.value.meta

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}.{self._name_}"

    @property
    def checkpoint_path(self) -> str:
        return os.path.join(hub_dir(), "checkpoints", os.path.basename(self.url))

    def get_state_dict(self, progress: bool = True, check_hash: bool = False, **kwargs) -> dict:
        from ...serialization import load

        path = self.checkpoint_path
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"{self!r}: no local checkpoint at {path}. torchlike does not download weights (no network "
                f"access); download {self.url} elsewhere and put it at that path (set TORCH_HOME to use "
                "another cache directory)."
            )
        return load(path, map_location="cpu", weights_only=True)


def hub_dir() -> str:
    """``$TORCH_HOME/hub``, TORCH_HOME defaulting to ``$XDG_CACHE_HOME/torch`` (``~/.cache/torch``)."""
    torch_home = os.getenv(
        "TORCH_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"), "torch")
    )
    return os.path.join(os.path.expanduser(torch_home), "hub")


def _ovewrite_named_param(kwargs: dict, param: str, new_value) -> None:
    if param in kwargs:
        if kwargs[param] != new_value:
            raise ValueError(
                f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead."
            )
    else:
        kwargs[param] = new_value


def resolve_weights(weights_cls, weights, kwargs: dict, legacy_default: str = "IMAGENET1K_V1"):
    """``weights=`` (enum, its name, or None) and the deprecated ``pretrained=`` flag -> enum or None."""
    if "pretrained" in kwargs:
        pretrained = kwargs.pop("pretrained")
        warnings.warn(
            "The parameter 'pretrained' is deprecated since 0.13 and may be removed in the future, "
            "please use 'weights' instead.",
            stacklevel=3,
        )
        if pretrained and weights is None:
            weights = weights_cls[legacy_default]
            warnings.warn(
                "Arguments other than a weight enum or `None` for 'weights' are deprecated since 0.13 and may be "
                "removed in the future. The current behavior is equivalent to passing "
                f"`weights={weights_cls.__name__}.{legacy_default}`. You can also use "
                f"`weights={weights_cls.__name__}.DEFAULT` to get the most up-to-date weights.",
                stacklevel=3,
            )
    weights = weights_cls.verify(weights)
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", weights.meta["num_classes"])
    return weights


_BUILTIN_MODELS: dict = {}


def register_model(weights_enum):
    """Record a builder (``resnet18``) and its weights enum for ``list_models``/``get_model_weights``."""

    def wrap(fn):
        _BUILTIN_MODELS[fn.__name__] = (fn, weights_enum)
        return fn

    return wrap


def _meta(**extra) -> dict:
    return {"num_classes": 1000, "min_size": (1, 1), **extra}
