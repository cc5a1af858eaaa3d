"""torchvision.models: the classification zoo with torchvision's module trees, parameter names,
initialisation and weights enums; weights load from the local hub cache, never downloaded."""

import fnmatch

from . import (
    alexnet as _alexnet_mod,
)
from . import (
    convnext as _convnext_mod,
)
from . import (
    densenet as _densenet_mod,
)
from . import (
    efficientnet as _efficientnet_mod,
)
from . import (
    googlenet as _googlenet_mod,
)
from . import (
    inception as _inception_mod,
)
from . import (
    mnasnet as _mnasnet_mod,
)
from . import (
    mobilenetv2 as _mobilenetv2_mod,
)
from . import (
    mobilenetv3 as _mobilenetv3_mod,
)
from . import (
    regnet as _regnet_mod,
)
from . import (
    resnet as _resnet_mod,
)
from . import (
    shufflenetv2 as _shufflenetv2_mod,
)
from . import (
    squeezenet as _squeezenet_mod,
)
from . import (
    vgg as _vgg_mod,
)
from . import (
    vision_transformer as _vit_mod,
)
from ._api import _BUILTIN_MODELS, Weights, WeightsEnum
from .alexnet import *  # noqa: F401,F403
from .convnext import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .efficientnet import *  # noqa: F401,F403
from .googlenet import *  # noqa: F401,F403
from .inception import *  # noqa: F401,F403
from .mnasnet import *  # noqa: F401,F403
from .mobilenetv2 import *  # noqa: F401,F403
from .mobilenetv3 import *  # noqa: F401,F403
from .regnet import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .shufflenetv2 import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403
from .vision_transformer import *  # noqa: F401,F403

_MODULES = (
    _alexnet_mod,
    _convnext_mod,
    _densenet_mod,
    _efficientnet_mod,
    _googlenet_mod,
    _inception_mod,
    _mnasnet_mod,
    _mobilenetv2_mod,
    _mobilenetv3_mod,
    _regnet_mod,
    _resnet_mod,
    _shufflenetv2_mod,
    _squeezenet_mod,
    _vgg_mod,
    _vit_mod,
)
# torchvision's submodule names (``models.resnet.ResNet``); ``models.resnet`` would otherwise be
# shadowed by the builder of the same name, as it is in torchvision too
mobilenetv2 = _mobilenetv2_mod
mobilenetv3 = _mobilenetv3_mod
shufflenetv2 = _shufflenetv2_mod
vision_transformer = _vit_mod

__all__ = [n for m in _MODULES for n in m.__all__] + [
    "Weights",
    "WeightsEnum",
    "get_model",
    "get_model_builder",
    "get_model_weights",
    "get_weight",
    "list_models",
]


def list_models(module=None, include=None, exclude=None):
    """The builders' names, sorted; filtered by defining module and ``fnmatch`` patterns."""
    names = [
        n
        for n, (fn, _) in _BUILTIN_MODELS.items()
        if module is None or fn.__module__.rsplit(".", 1)[0] == module.__name__
    ]
    if include is not None:
        include = [include] if isinstance(include, str) else include
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in include)]
    if exclude is not None:
        exclude = [exclude] if isinstance(exclude, str) else exclude
        names = [n for n in names if not any(fnmatch.fnmatch(n, p) for p in exclude)]
    return sorted(names)


def get_model_builder(name: str):
    name = name.lower()
    try:
        return _BUILTIN_MODELS[name][0]
    except KeyError:
        raise ValueError(f"Unknown model {name}") from None


def get_model_weights(name):
    fn = get_model_builder(name) if isinstance(name, str) else name
    return _BUILTIN_MODELS[fn.__name__][1]


def get_weight(name: str):
    """``get_weight("ResNet50_Weights.IMAGENET1K_V2")`` -> the enum member."""
    enum_name, _, value = name.partition(".")
    for _, weights_enum in _BUILTIN_MODELS.values():
        if weights_enum.__name__ == enum_name:
            return weights_enum[value]
    raise ValueError(
        f"The weight enum '{enum_name}' for the specific method couldn't be retrieved."
    )


def get_model(name: str, **config):
    return get_model_builder(name)(**config)
