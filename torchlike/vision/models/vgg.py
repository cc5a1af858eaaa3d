"""VGG-11/13/16/19 (with and without batch norm), torchvision's structure, names and init."""

from __future__ import annotations

from functools import partial

from ... import flatten, nn
from ._api import ImageClassification, Weights, WeightsEnum, _meta, register_model, resolve_weights

__all__ = [
    "VGG",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
    "VGG11_Weights",
    "VGG11_BN_Weights",
    "VGG13_Weights",
    "VGG13_BN_Weights",
    "VGG16_Weights",
    "VGG16_BN_Weights",
    "VGG19_Weights",
    "VGG19_BN_Weights",
]


class VGG(nn.Module):
    def __init__(
        self, features, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5
    ) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(flatten(x, 1))


def make_layers(cfg, batch_norm: bool = False) -> nn.Sequential:
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            layers += (
                [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
                if batch_norm
                else [conv2d, nn.ReLU(inplace=True)]
            )
            in_channels = v
    return nn.Sequential(*layers)


cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [
        64,
        64,
        "M",
        128,
        128,
        "M",
        256,
        256,
        256,
        256,
        "M",
        512,
        512,
        512,
        512,
        "M",
        512,
        512,
        512,
        512,
        "M",
    ],
}

_URL = "https://download.pytorch.org/models/"
_T = partial(ImageClassification, crop_size=224)


def _w(file, n):
    return Weights(_URL + file, _T, _meta(num_params=n))


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg11-8a719046.pth", 132863336)
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg11_bn-6002323d.pth", 132868840)
    DEFAULT = IMAGENET1K_V1


class VGG13_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg13-19584684.pth", 133047848)
    DEFAULT = IMAGENET1K_V1


class VGG13_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg13_bn-abd245e5.pth", 133053736)
    DEFAULT = IMAGENET1K_V1


class VGG16_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg16-397923af.pth", 138357544)
    IMAGENET1K_FEATURES = Weights(
        _URL + "vgg16_features-amdegroot-88682ab5.pth",
        partial(
            ImageClassification,
            crop_size=224,
            mean=(0.48235, 0.45882, 0.40784),
            std=(1.0 / 255.0,) * 3,
        ),
        {"num_classes": None, "min_size": (1, 1), "num_params": 138357544},
    )
    DEFAULT = IMAGENET1K_V1


class VGG16_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg16_bn-6c64b313.pth", 138365992)
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg19-dcbb9e9d.pth", 143667240)
    DEFAULT = IMAGENET1K_V1


class VGG19_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("vgg19_bn-c79401a0.pth", 143678248)
    DEFAULT = IMAGENET1K_V1


def _vgg(cfg, batch_norm, weights_cls, weights, progress, kwargs) -> VGG:
    weights = resolve_weights(weights_cls, weights, kwargs)
    if weights is not None:
        kwargs["init_weights"] = False
        if weights.meta["num_classes"] is None:
            kwargs.pop("num_classes", None)
    model = VGG(make_layers(cfgs[cfg], batch_norm=batch_norm), **kwargs)
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model


@register_model(VGG11_Weights)
def vgg11(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("A", False, VGG11_Weights, weights, progress, kwargs)


@register_model(VGG11_BN_Weights)
def vgg11_bn(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("A", True, VGG11_BN_Weights, weights, progress, kwargs)


@register_model(VGG13_Weights)
def vgg13(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("B", False, VGG13_Weights, weights, progress, kwargs)


@register_model(VGG13_BN_Weights)
def vgg13_bn(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("B", True, VGG13_BN_Weights, weights, progress, kwargs)


@register_model(VGG16_Weights)
def vgg16(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("D", False, VGG16_Weights, weights, progress, kwargs)


@register_model(VGG16_BN_Weights)
def vgg16_bn(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("D", True, VGG16_BN_Weights, weights, progress, kwargs)


@register_model(VGG19_Weights)
def vgg19(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("E", False, VGG19_Weights, weights, progress, kwargs)


@register_model(VGG19_BN_Weights)
def vgg19_bn(*, weights=None, progress=True, **kwargs) -> VGG:
    return _vgg("E", True, VGG19_BN_Weights, weights, progress, kwargs)
