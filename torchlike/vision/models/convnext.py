"""ConvNeXt (arXiv:2201.03545) tiny/small/base/large with torchvision's module tree, names and init."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from ... import nn, ones
from ...nn import functional as F
from ..ops.misc import Conv2dNormActivation, Permute
from ..ops.stochastic_depth import StochasticDepth
from ._api import ImageClassification, Weights, WeightsEnum, _meta, register_model
from ._utils import _build

__all__ = [
    "ConvNeXt",
    "ConvNeXt_Tiny_Weights",
    "ConvNeXt_Small_Weights",
    "ConvNeXt_Base_Weights",
    "ConvNeXt_Large_Weights",
    "convnext_tiny",
    "convnext_small",
    "convnext_base",
    "convnext_large",
]


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW tensor."""

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class CNBlock(nn.Module):
    def __init__(
        self, dim, layer_scale: float, stochastic_depth_prob: float, norm_layer=None
    ) -> None:
        super().__init__()
        norm_layer = partial(nn.LayerNorm, eps=1e-6) if norm_layer is None else norm_layer
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
            Permute([0, 2, 3, 1]),
            norm_layer(dim),
            nn.Linear(in_features=dim, out_features=4 * dim, bias=True),
            nn.GELU(),
            nn.Linear(in_features=4 * dim, out_features=dim, bias=True),
            Permute([0, 3, 1, 2]),
        )
        self.layer_scale = nn.Parameter(ones(dim, 1, 1) * layer_scale)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")

    def forward(self, input):
        result = self.stochastic_depth(self.layer_scale * self.block(input))
        result += input
        return result


class CNBlockConfig:
    """One stage: its width, the next stage's width (None for the last) and its depth."""

    def __init__(self, input_channels: int, out_channels: int | None, num_layers: int) -> None:
        self.input_channels = input_channels
        self.out_channels = out_channels
        self.num_layers = num_layers

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(input_channels={self.input_channels}"
            f", out_channels={self.out_channels}, num_layers={self.num_layers})"
        )


class ConvNeXt(nn.Module):
    def __init__(
        self,
        block_setting,
        stochastic_depth_prob: float = 0.0,
        layer_scale: float = 1e-6,
        num_classes: int = 1000,
        block=None,
        norm_layer=None,
        **kwargs,
    ) -> None:
        super().__init__()
        if not block_setting:
            raise ValueError("The block_setting should not be empty")
        elif not (
            isinstance(block_setting, Sequence)
            and all(isinstance(s, CNBlockConfig) for s in block_setting)
        ):
            raise TypeError("The block_setting should be List[CNBlockConfig]")
        block = CNBlock if block is None else block
        norm_layer = partial(LayerNorm2d, eps=1e-6) if norm_layer is None else norm_layer
        firstconv_output_channels = block_setting[0].input_channels
        layers = [
            # the "patchify" stem
            Conv2dNormActivation(
                3,
                firstconv_output_channels,
                kernel_size=4,
                stride=4,
                padding=0,
                norm_layer=norm_layer,
                activation_layer=None,
                bias=True,
            )
        ]
        total_stage_blocks = sum(cnf.num_layers for cnf in block_setting)
        stage_block_id = 0
        for cnf in block_setting:
            stage = []
            for _ in range(cnf.num_layers):
                sd_prob = stochastic_depth_prob * stage_block_id / (total_stage_blocks - 1.0)
                stage.append(block(cnf.input_channels, layer_scale, sd_prob))
                stage_block_id += 1
            layers.append(nn.Sequential(*stage))
            if cnf.out_channels is not None:
                layers.append(
                    nn.Sequential(
                        norm_layer(cnf.input_channels),
                        nn.Conv2d(cnf.input_channels, cnf.out_channels, kernel_size=2, stride=2),
                    )
                )
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        lastblock = block_setting[-1]
        lastconv_output_channels = (
            lastblock.out_channels
            if lastblock.out_channels is not None
            else lastblock.input_channels
        )
        self.classifier = nn.Sequential(
            norm_layer(lastconv_output_channels),
            nn.Flatten(1),
            nn.Linear(lastconv_output_channels, num_classes),
        )
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def _forward_impl(self, x):
        return self.classifier(self.avgpool(self.features(x)))

    def forward(self, x):
        return self._forward_impl(x)


_URL = "https://download.pytorch.org/models/"


def _w(file, num_params, resize_size):
    return Weights(
        _URL + file,
        partial(ImageClassification, crop_size=224, resize_size=resize_size),
        _meta(num_params=num_params, min_size=(32, 32)),
    )


class ConvNeXt_Tiny_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("convnext_tiny-983f1562.pth", 28589128, 236)
    DEFAULT = IMAGENET1K_V1


class ConvNeXt_Small_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("convnext_small-0c510722.pth", 50223688, 230)
    DEFAULT = IMAGENET1K_V1


class ConvNeXt_Base_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("convnext_base-6075fbad.pth", 88591464, 232)
    DEFAULT = IMAGENET1K_V1


class ConvNeXt_Large_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("convnext_large-ea097f82.pth", 197767336, 232)
    DEFAULT = IMAGENET1K_V1


def _convnext(widths, depths, default_sd, weights_cls, weights, progress, kwargs):
    setting = [
        CNBlockConfig(w, widths[i + 1] if i + 1 < len(widths) else None, d)
        for i, (w, d) in enumerate(zip(widths, depths))
    ]
    sd = kwargs.pop("stochastic_depth_prob", default_sd)
    return _build(ConvNeXt, weights_cls, weights, progress, kwargs, setting, sd)


@register_model(ConvNeXt_Tiny_Weights)
def convnext_tiny(*, weights=None, progress: bool = True, **kwargs) -> ConvNeXt:
    return _convnext(
        (96, 192, 384, 768), (3, 3, 9, 3), 0.1, ConvNeXt_Tiny_Weights, weights, progress, kwargs
    )


@register_model(ConvNeXt_Small_Weights)
def convnext_small(*, weights=None, progress: bool = True, **kwargs) -> ConvNeXt:
    return _convnext(
        (96, 192, 384, 768), (3, 3, 27, 3), 0.4, ConvNeXt_Small_Weights, weights, progress, kwargs
    )


@register_model(ConvNeXt_Base_Weights)
def convnext_base(*, weights=None, progress: bool = True, **kwargs) -> ConvNeXt:
    return _convnext(
        (128, 256, 512, 1024), (3, 3, 27, 3), 0.5, ConvNeXt_Base_Weights, weights, progress, kwargs
    )


@register_model(ConvNeXt_Large_Weights)
def convnext_large(*, weights=None, progress: bool = True, **kwargs) -> ConvNeXt:
    return _convnext(
        (192, 384, 768, 1536), (3, 3, 27, 3), 0.5, ConvNeXt_Large_Weights, weights, progress, kwargs
    )
