"""torchvision.models: ResNet and VGG with torchvision's names; weights from the local hub cache."""

from ._api import Weights, WeightsEnum  # noqa: F401
from .resnet import *  # noqa: F401,F403
from .resnet import __all__ as _resnet_all
from .vgg import *  # noqa: F401,F403
from .vgg import __all__ as _vgg_all

__all__ = (
    list(_resnet_all)
    + list(_vgg_all)
    + ["Weights", "WeightsEnum", "get_model", "get_model_weights", "list_models"]
)


def list_models():
    return sorted(
        n
        for n in __all__
        if n[0].islower() and n not in ("get_model", "get_model_weights", "list_models")
    )


def get_model_weights(name):
    fn = globals()[name] if isinstance(name, str) else name
    cls_name = {
        f"vgg{d}{bn}": f"VGG{d}{bn.upper()}_Weights" for d in (11, 13, 16, 19) for bn in ("", "_bn")
    }
    cls_name.update({f"resnet{d}": f"ResNet{d}_Weights" for d in (18, 34, 50)})
    return globals()[cls_name[fn.__name__]]


def get_model(name: str, **config):
    name = name.lower()
    if name not in list_models():
        raise ValueError(f"Unknown model {name}")
    return globals()[name](**config)
