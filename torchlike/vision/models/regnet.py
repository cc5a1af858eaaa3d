"""RegNet X/Y (arXiv:2003.13678), the 400MF-1.6GF sizes, with torchvision's module tree, names, init."""

from __future__ import annotations

import math
from collections import OrderedDict
from functools import partial

import numpy as np

from ... import nn
from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ._api import ImageClassification, Weights, WeightsEnum, _meta, register_model
from ._utils import _build, _make_divisible

__all__ = [
    "RegNet",
    "RegNet_Y_400MF_Weights",
    "RegNet_Y_800MF_Weights",
    "RegNet_Y_1_6GF_Weights",
    "RegNet_X_400MF_Weights",
    "RegNet_X_800MF_Weights",
    "RegNet_X_1_6GF_Weights",
    "regnet_y_400mf",
    "regnet_y_800mf",
    "regnet_y_1_6gf",
    "regnet_x_400mf",
    "regnet_x_800mf",
    "regnet_x_1_6gf",
]


class SimpleStemIN(Conv2dNormActivation):
    """The simple ImageNet stem: a 3x3 stride-2 convolution, batch norm, activation."""

    def __init__(self, width_in: int, width_out: int, norm_layer, activation_layer) -> None:
        super().__init__(
            width_in,
            width_out,
            kernel_size=3,
            stride=2,
            norm_layer=norm_layer,
            activation_layer=activation_layer,
        )


class BottleneckTransform(nn.Sequential):
    """1x1, grouped 3x3 (optionally followed by squeeze-excitation), 1x1."""

    def __init__(
        self,
        width_in: int,
        width_out: int,
        stride: int,
        norm_layer,
        activation_layer,
        group_width: int,
        bottleneck_multiplier: float,
        se_ratio: float | None,
    ) -> None:
        layers = OrderedDict()
        w_b = int(round(width_out * bottleneck_multiplier))
        g = w_b // group_width
        conv = partial(Conv2dNormActivation, norm_layer=norm_layer)
        layers["a"] = conv(
            width_in, w_b, kernel_size=1, stride=1, activation_layer=activation_layer
        )
        layers["b"] = conv(
            w_b, w_b, kernel_size=3, stride=stride, groups=g, activation_layer=activation_layer
        )
        if se_ratio:
            # the squeeze width is relative to the block's input, not its bottleneck width
            width_se_out = int(round(se_ratio * width_in))
            layers["se"] = SqueezeExcitation(
                input_channels=w_b, squeeze_channels=width_se_out, activation=activation_layer
            )
        layers["c"] = conv(w_b, width_out, kernel_size=1, stride=1, activation_layer=None)
        super().__init__(layers)


class ResBottleneckBlock(nn.Module):
    def __init__(
        self,
        width_in: int,
        width_out: int,
        stride: int,
        norm_layer,
        activation_layer,
        group_width: int = 1,
        bottleneck_multiplier: float = 1.0,
        se_ratio: float | None = None,
    ) -> None:
        super().__init__()
        self.proj = None
        if (width_in != width_out) or (stride != 1):
            self.proj = Conv2dNormActivation(
                width_in,
                width_out,
                kernel_size=1,
                stride=stride,
                norm_layer=norm_layer,
                activation_layer=None,
            )
        self.f = BottleneckTransform(
            width_in,
            width_out,
            stride,
            norm_layer,
            activation_layer,
            group_width,
            bottleneck_multiplier,
            se_ratio,
        )
        self.activation = activation_layer(inplace=True)

    def forward(self, x):
        x = self.proj(x) + self.f(x) if self.proj is not None else x + self.f(x)
        return self.activation(x)


class AnyStage(nn.Sequential):
    def __init__(
        self,
        width_in: int,
        width_out: int,
        stride: int,
        depth: int,
        block_constructor,
        norm_layer,
        activation_layer,
        group_width: int,
        bottleneck_multiplier: float,
        se_ratio: float | None = None,
        stage_index: int = 0,
    ) -> None:
        super().__init__()
        for i in range(depth):
            block = block_constructor(
                width_in if i == 0 else width_out,
                width_out,
                stride if i == 0 else 1,
                norm_layer,
                activation_layer,
                group_width,
                bottleneck_multiplier,
                se_ratio,
            )
            self.add_module(f"block{stage_index}-{i}", block)


class BlockParams:
    def __init__(
        self, depths, widths, group_widths, bottleneck_multipliers, strides, se_ratio=None
    ):
        self.depths = depths
        self.widths = widths
        self.group_widths = group_widths
        self.bottleneck_multipliers = bottleneck_multipliers
        self.strides = strides
        self.se_ratio = se_ratio

    @classmethod
    def from_init_params(
        cls,
        depth: int,
        w_0: int,
        w_a: float,
        w_m: float,
        group_width: int,
        bottleneck_multiplier: float = 1.0,
        se_ratio: float | None = None,
        **kwargs,
    ) -> BlockParams:
        """The quantised linear width rule of the paper's section 3.3, in float32 as torchvision computes it."""
        QUANT = 8
        STRIDE = 2
        if w_a < 0 or w_0 <= 0 or w_m <= 1 or w_0 % 8 != 0:
            raise ValueError("Invalid RegNet settings")
        f32 = np.float32
        widths_cont = np.arange(depth).astype(f32) * f32(w_a) + f32(w_0)
        block_capacity = np.round(np.log(widths_cont / f32(w_0)) / f32(math.log(w_m)))
        block_widths = (
            (np.round((f32(w_0) * np.power(f32(w_m), block_capacity)) / f32(QUANT)) * f32(QUANT))
            .astype(np.int32)
            .tolist()
        )
        num_stages = len(set(block_widths))
        split_helper = zip(
            block_widths + [0], [0] + block_widths, block_widths + [0], [0] + block_widths
        )
        splits = [w != wp or r != rp for w, wp, r, rp in split_helper]
        stage_widths = [w for w, t in zip(block_widths, splits[:-1]) if t]
        stage_depths = np.diff([d for d, t in enumerate(splits) if t]).astype(int).tolist()
        strides = [STRIDE] * num_stages
        bottleneck_multipliers = [bottleneck_multiplier] * num_stages
        group_widths = [group_width] * num_stages
        stage_widths, group_widths = cls._adjust_widths_groups_compatibilty(
            stage_widths, bottleneck_multipliers, group_widths
        )
        return cls(
            depths=stage_depths,
            widths=stage_widths,
            group_widths=group_widths,
            bottleneck_multipliers=bottleneck_multipliers,
            strides=strides,
            se_ratio=se_ratio,
        )

    def _get_expanded_params(self):
        return zip(
            self.widths, self.strides, self.depths, self.group_widths, self.bottleneck_multipliers
        )

    @staticmethod
    def _adjust_widths_groups_compatibilty(stage_widths, bottleneck_ratios, group_widths):
        """Make each bottleneck width a multiple of its group width."""
        widths = [int(w * b) for w, b in zip(stage_widths, bottleneck_ratios)]
        group_widths_min = [min(g, w_bot) for g, w_bot in zip(group_widths, widths)]
        ws_bot = [_make_divisible(w_bot, g) for w_bot, g in zip(widths, group_widths_min)]
        stage_widths = [int(w_bot / b) for w_bot, b in zip(ws_bot, bottleneck_ratios)]
        return stage_widths, group_widths_min


class RegNet(nn.Module):
    def __init__(
        self,
        block_params: BlockParams,
        num_classes: int = 1000,
        stem_width: int = 32,
        stem_type=None,
        block_type=None,
        norm_layer=None,
        activation=None,
    ) -> None:
        super().__init__()
        stem_type = SimpleStemIN if stem_type is None else stem_type
        norm_layer = nn.BatchNorm2d if norm_layer is None else norm_layer
        block_type = ResBottleneckBlock if block_type is None else block_type
        activation = nn.ReLU if activation is None else activation
        self.stem = stem_type(3, stem_width, norm_layer, activation)
        current_width = stem_width
        blocks = []
        for i, (width_out, stride, depth, group_width, bottleneck_multiplier) in enumerate(
            block_params._get_expanded_params()
        ):
            blocks.append(
                (
                    f"block{i + 1}",
                    AnyStage(
                        current_width,
                        width_out,
                        stride,
                        depth,
                        block_type,
                        norm_layer,
                        activation,
                        group_width,
                        bottleneck_multiplier,
                        block_params.se_ratio,
                        stage_index=i + 1,
                    ),
                )
            )
            current_width = width_out
        self.trunk_output = nn.Sequential(OrderedDict(blocks))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(in_features=current_width, out_features=num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                nn.init.normal_(m.weight, mean=0.0, std=math.sqrt(2.0 / fan_out))
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0.0, std=0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.avgpool(self.trunk_output(self.stem(x)))
        return self.fc(x.flatten(start_dim=1))


def _regnet(params: dict, weights_cls, weights, progress, kwargs) -> RegNet:
    block_params = BlockParams.from_init_params(**params, **kwargs)
    for name in ("depth", "w_0", "w_a", "w_m", "group_width", "bottleneck_multiplier", "se_ratio"):
        kwargs.pop(name, None)
    kwargs["norm_layer"] = kwargs.pop(
        "norm_layer", partial(nn.BatchNorm2d, eps=1e-05, momentum=0.1)
    )
    return _build(RegNet, weights_cls, weights, progress, kwargs, block_params)


_URL = "https://download.pytorch.org/models/"


def _v1_v2(v1_file, v2_file, num_params):
    return (
        Weights(
            _URL + v1_file,
            partial(ImageClassification, crop_size=224),
            _meta(num_params=num_params),
        ),
        Weights(
            _URL + v2_file,
            partial(ImageClassification, crop_size=224, resize_size=232),
            _meta(num_params=num_params),
        ),
    )


class RegNet_Y_400MF_Weights(WeightsEnum):
    IMAGENET1K_V1, IMAGENET1K_V2 = _v1_v2(
        "regnet_y_400mf-c65dace8.pth", "regnet_y_400mf-e6988f5f.pth", 4344144
    )
    DEFAULT = IMAGENET1K_V2


class RegNet_Y_800MF_Weights(WeightsEnum):
    IMAGENET1K_V1, IMAGENET1K_V2 = _v1_v2(
        "regnet_y_800mf-1b27b58c.pth", "regnet_y_800mf-58fc7688.pth", 6432512
    )
    DEFAULT = IMAGENET1K_V2


class RegNet_Y_1_6GF_Weights(WeightsEnum):
    IMAGENET1K_V1, IMAGENET1K_V2 = _v1_v2(
        "regnet_y_1_6gf-b11a554e.pth", "regnet_y_1_6gf-0d7bc02a.pth", 11202430
    )
    DEFAULT = IMAGENET1K_V2


class RegNet_X_400MF_Weights(WeightsEnum):
    IMAGENET1K_V1, IMAGENET1K_V2 = _v1_v2(
        "regnet_x_400mf-adf1edd5.pth", "regnet_x_400mf-62229a5f.pth", 5495976
    )
    DEFAULT = IMAGENET1K_V2


class RegNet_X_800MF_Weights(WeightsEnum):
    IMAGENET1K_V1, IMAGENET1K_V2 = _v1_v2(
        "regnet_x_800mf-ad17e45c.pth", "regnet_x_800mf-94a99ebd.pth", 7259656
    )
    DEFAULT = IMAGENET1K_V2


class RegNet_X_1_6GF_Weights(WeightsEnum):
    IMAGENET1K_V1, IMAGENET1K_V2 = _v1_v2(
        "regnet_x_1_6gf-e3633e7f.pth", "regnet_x_1_6gf-a12f2b72.pth", 9190136
    )
    DEFAULT = IMAGENET1K_V2


@register_model(RegNet_Y_400MF_Weights)
def regnet_y_400mf(*, weights=None, progress: bool = True, **kwargs) -> RegNet:
    p = dict(depth=16, w_0=48, w_a=27.89, w_m=2.09, group_width=8, se_ratio=0.25)
    return _regnet(p, RegNet_Y_400MF_Weights, weights, progress, kwargs)


@register_model(RegNet_Y_800MF_Weights)
def regnet_y_800mf(*, weights=None, progress: bool = True, **kwargs) -> RegNet:
    p = dict(depth=14, w_0=56, w_a=38.84, w_m=2.4, group_width=16, se_ratio=0.25)
    return _regnet(p, RegNet_Y_800MF_Weights, weights, progress, kwargs)


@register_model(RegNet_Y_1_6GF_Weights)
def regnet_y_1_6gf(*, weights=None, progress: bool = True, **kwargs) -> RegNet:
    p = dict(depth=27, w_0=48, w_a=20.71, w_m=2.65, group_width=24, se_ratio=0.25)
    return _regnet(p, RegNet_Y_1_6GF_Weights, weights, progress, kwargs)


@register_model(RegNet_X_400MF_Weights)
def regnet_x_400mf(*, weights=None, progress: bool = True, **kwargs) -> RegNet:
    p = dict(depth=22, w_0=24, w_a=24.48, w_m=2.54, group_width=16)
    return _regnet(p, RegNet_X_400MF_Weights, weights, progress, kwargs)


@register_model(RegNet_X_800MF_Weights)
def regnet_x_800mf(*, weights=None, progress: bool = True, **kwargs) -> RegNet:
    p = dict(depth=16, w_0=56, w_a=35.73, w_m=2.28, group_width=16)
    return _regnet(p, RegNet_X_800MF_Weights, weights, progress, kwargs)


@register_model(RegNet_X_1_6GF_Weights)
def regnet_x_1_6gf(*, weights=None, progress: bool = True, **kwargs) -> RegNet:
    p = dict(depth=18, w_0=80, w_a=34.01, w_m=2.25, group_width=24)
    return _regnet(p, RegNet_X_1_6GF_Weights, weights, progress, kwargs)
