"""EfficientNet B0-B7 (arXiv:1905.11946) and V2-S (arXiv:2104.00298), torchvision's tree, names, init."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from functools import partial

from ... import flatten, nn
from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ..ops.stochastic_depth import StochasticDepth
from ._api import ImageClassification, Weights, WeightsEnum, _meta, register_model, resolve_weights
from ._utils import _make_divisible

__all__ = [
    "EfficientNet",
    "EfficientNet_B0_Weights",
    "EfficientNet_B1_Weights",
    "EfficientNet_B2_Weights",
    "EfficientNet_B3_Weights",
    "EfficientNet_B4_Weights",
    "EfficientNet_B5_Weights",
    "EfficientNet_B6_Weights",
    "EfficientNet_B7_Weights",
    "EfficientNet_V2_S_Weights",
    "efficientnet_b0",
    "efficientnet_b1",
    "efficientnet_b2",
    "efficientnet_b3",
    "efficientnet_b4",
    "efficientnet_b5",
    "efficientnet_b6",
    "efficientnet_b7",
    "efficientnet_v2_s",
]


class _MBConvConfig:
    def __init__(
        self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block
    ):
        self.expand_ratio = expand_ratio
        self.kernel = kernel
        self.stride = stride
        self.input_channels = input_channels
        self.out_channels = out_channels
        self.num_layers = num_layers
        self.block = block

    @staticmethod
    def adjust_channels(channels: int, width_mult: float, min_value: int | None = None) -> int:
        return _make_divisible(channels * width_mult, 8, min_value)


class MBConvConfig(_MBConvConfig):
    """One stage of the EfficientNet paper's Table 1, scaled by width and depth multipliers."""

    def __init__(
        self,
        expand_ratio: float,
        kernel: int,
        stride: int,
        input_channels: int,
        out_channels: int,
        num_layers: int,
        width_mult: float = 1.0,
        depth_mult: float = 1.0,
        block=None,
    ) -> None:
        input_channels = self.adjust_channels(input_channels, width_mult)
        out_channels = self.adjust_channels(out_channels, width_mult)
        num_layers = self.adjust_depth(num_layers, depth_mult)
        block = MBConv if block is None else block
        super().__init__(
            expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block
        )

    @staticmethod
    def adjust_depth(num_layers: int, depth_mult: float) -> int:
        return int(math.ceil(num_layers * depth_mult))


class FusedMBConvConfig(_MBConvConfig):
    """One stage of the EfficientNetV2 paper's Table 4."""

    def __init__(
        self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block=None
    ):
        block = FusedMBConv if block is None else block
        super().__init__(
            expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block
        )


class MBConv(nn.Module):
    def __init__(
        self,
        cnf: MBConvConfig,
        stochastic_depth_prob: float,
        norm_layer,
        se_layer=SqueezeExcitation,
    ):
        super().__init__()
        if not (1 <= cnf.stride <= 2):
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        layers = []
        activation_layer = nn.SiLU
        expanded_channels = cnf.adjust_channels(cnf.input_channels, cnf.expand_ratio)
        if expanded_channels != cnf.input_channels:
            layers.append(
                Conv2dNormActivation(
                    cnf.input_channels,
                    expanded_channels,
                    kernel_size=1,
                    norm_layer=norm_layer,
                    activation_layer=activation_layer,
                )
            )
        layers.append(
            Conv2dNormActivation(
                expanded_channels,
                expanded_channels,
                kernel_size=cnf.kernel,
                stride=cnf.stride,
                groups=expanded_channels,
                norm_layer=norm_layer,
                activation_layer=activation_layer,
            )
        )
        squeeze_channels = max(1, cnf.input_channels // 4)
        layers.append(
            se_layer(expanded_channels, squeeze_channels, activation=partial(nn.SiLU, inplace=True))
        )
        layers.append(
            Conv2dNormActivation(
                expanded_channels,
                cnf.out_channels,
                kernel_size=1,
                norm_layer=norm_layer,
                activation_layer=None,
            )
        )
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels

    def forward(self, input):
        result = self.block(input)
        if self.use_res_connect:
            result = self.stochastic_depth(result)
            result += input
        return result


class FusedMBConv(nn.Module):
    def __init__(self, cnf: FusedMBConvConfig, stochastic_depth_prob: float, norm_layer):
        super().__init__()
        if not (1 <= cnf.stride <= 2):
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        activation_layer = nn.SiLU
        expanded_channels = cnf.adjust_channels(cnf.input_channels, cnf.expand_ratio)
        conv = partial(Conv2dNormActivation, norm_layer=norm_layer)
        if expanded_channels != cnf.input_channels:
            layers = [
                conv(
                    cnf.input_channels,
                    expanded_channels,
                    kernel_size=cnf.kernel,
                    stride=cnf.stride,
                    activation_layer=activation_layer,
                ),
                conv(expanded_channels, cnf.out_channels, kernel_size=1, activation_layer=None),
            ]
        else:
            layers = [
                conv(
                    cnf.input_channels,
                    cnf.out_channels,
                    kernel_size=cnf.kernel,
                    stride=cnf.stride,
                    activation_layer=activation_layer,
                )
            ]
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels

    def forward(self, input):
        result = self.block(input)
        if self.use_res_connect:
            result = self.stochastic_depth(result)
            result += input
        return result


class EfficientNet(nn.Module):
    def __init__(
        self,
        inverted_residual_setting,
        dropout: float,
        stochastic_depth_prob: float = 0.2,
        num_classes: int = 1000,
        norm_layer=None,
        last_channel: int | None = None,
    ) -> None:
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        elif not (
            isinstance(inverted_residual_setting, Sequence)
            and all(isinstance(s, _MBConvConfig) for s in inverted_residual_setting)
        ):
            raise TypeError("The inverted_residual_setting should be List[MBConvConfig]")
        norm_layer = nn.BatchNorm2d if norm_layer is None else norm_layer
        firstconv_output_channels = inverted_residual_setting[0].input_channels
        layers = [
            Conv2dNormActivation(
                3,
                firstconv_output_channels,
                kernel_size=3,
                stride=2,
                norm_layer=norm_layer,
                activation_layer=nn.SiLU,
            )
        ]
        total_stage_blocks = sum(cnf.num_layers for cnf in inverted_residual_setting)
        stage_block_id = 0
        for cnf in inverted_residual_setting:
            stage = []
            for _ in range(cnf.num_layers):
                block_cnf = copy.copy(cnf)
                if stage:  # all but a stage's first block keep the stage's width and resolution
                    block_cnf.input_channels = block_cnf.out_channels
                    block_cnf.stride = 1
                # deeper blocks are dropped more often
                sd_prob = stochastic_depth_prob * float(stage_block_id) / total_stage_blocks
                stage.append(block_cnf.block(block_cnf, sd_prob, norm_layer))
                stage_block_id += 1
            layers.append(nn.Sequential(*stage))
        lastconv_input_channels = inverted_residual_setting[-1].out_channels
        lastconv_output_channels = (
            last_channel if last_channel is not None else 4 * lastconv_input_channels
        )
        layers.append(
            Conv2dNormActivation(
                lastconv_input_channels,
                lastconv_output_channels,
                kernel_size=1,
                norm_layer=norm_layer,
                activation_layer=nn.SiLU,
            )
        )
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(lastconv_output_channels, num_classes),
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                init_range = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -init_range, init_range)
                nn.init.zeros_(m.bias)

    def _forward_impl(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(flatten(x, 1))

    def forward(self, x):
        return self._forward_impl(x)


def _efficientnet_conf(arch: str, **kwargs):
    if arch.startswith("efficientnet_b"):
        bneck_conf = partial(
            MBConvConfig, width_mult=kwargs.pop("width_mult"), depth_mult=kwargs.pop("depth_mult")
        )
        setting = [
            bneck_conf(1, 3, 1, 32, 16, 1),
            bneck_conf(6, 3, 2, 16, 24, 2),
            bneck_conf(6, 5, 2, 24, 40, 2),
            bneck_conf(6, 3, 2, 40, 80, 3),
            bneck_conf(6, 5, 1, 80, 112, 3),
            bneck_conf(6, 5, 2, 112, 192, 4),
            bneck_conf(6, 3, 1, 192, 320, 1),
        ]
        return setting, None
    if arch.startswith("efficientnet_v2_s"):
        setting = [
            FusedMBConvConfig(1, 3, 1, 24, 24, 2),
            FusedMBConvConfig(4, 3, 2, 24, 48, 4),
            FusedMBConvConfig(4, 3, 2, 48, 64, 4),
            MBConvConfig(4, 3, 2, 64, 128, 6),
            MBConvConfig(6, 3, 1, 128, 160, 9),
            MBConvConfig(6, 3, 2, 160, 256, 15),
        ]
        return setting, 1280
    raise ValueError(f"Unsupported model type {arch}")


def _efficientnet(
    arch, width, depth, dropout, weights_cls, weights, progress, kwargs, norm_layer=None
):
    setting, last_channel = _efficientnet_conf(arch, width_mult=width, depth_mult=depth)
    weights = resolve_weights(weights_cls, weights, kwargs)
    if norm_layer is not None:
        kwargs["norm_layer"] = norm_layer
    model = EfficientNet(
        setting, kwargs.pop("dropout", dropout), last_channel=last_channel, **kwargs
    )
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model


_URL = "https://download.pytorch.org/models/"


def _w(file, num_params, crop, resize, bicubic=True):
    def preset(**kw):
        from ..transforms.functional import InterpolationMode

        mode = InterpolationMode.BICUBIC if bicubic else InterpolationMode.BILINEAR
        return ImageClassification(crop_size=crop, resize_size=resize, interpolation=mode, **kw)

    return Weights(_URL + file, preset, _meta(num_params=num_params))


class EfficientNet_B0_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b0_rwightman-7f5810bc.pth", 5288548, 224, 256)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_B1_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b1_rwightman-bac287d4.pth", 7794184, 240, 256)
    IMAGENET1K_V2 = _w("efficientnet_b1-c27df63c.pth", 7794184, 240, 255, bicubic=False)
    DEFAULT = IMAGENET1K_V2


class EfficientNet_B2_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b2_rwightman-c35c1473.pth", 9109994, 288, 288)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_B3_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b3_rwightman-b3899882.pth", 12233232, 300, 320)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_B4_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b4_rwightman-23ab8bcd.pth", 19341616, 380, 384)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_B5_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b5_lukemelas-1a07897c.pth", 30389784, 456, 456)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_B6_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b6_lukemelas-24a108a5.pth", 43040704, 528, 528)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_B7_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_b7_lukemelas-c5b4e57e.pth", 66347960, 600, 600)
    DEFAULT = IMAGENET1K_V1


class EfficientNet_V2_S_Weights(WeightsEnum):
    IMAGENET1K_V1 = _w("efficientnet_v2_s-dd5fe13b.pth", 21458488, 384, 384, bicubic=False)
    DEFAULT = IMAGENET1K_V1


# the B5-B7 ports keep TensorFlow's batch norm epsilon and decay
_TF_BN = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)


@register_model(EfficientNet_B0_Weights)
def efficientnet_b0(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b0", 1.0, 1.0, 0.2, EfficientNet_B0_Weights, weights, progress, kwargs
    )


@register_model(EfficientNet_B1_Weights)
def efficientnet_b1(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b1", 1.0, 1.1, 0.2, EfficientNet_B1_Weights, weights, progress, kwargs
    )


@register_model(EfficientNet_B2_Weights)
def efficientnet_b2(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b2", 1.1, 1.2, 0.3, EfficientNet_B2_Weights, weights, progress, kwargs
    )


@register_model(EfficientNet_B3_Weights)
def efficientnet_b3(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b3", 1.2, 1.4, 0.3, EfficientNet_B3_Weights, weights, progress, kwargs
    )


@register_model(EfficientNet_B4_Weights)
def efficientnet_b4(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b4", 1.4, 1.8, 0.4, EfficientNet_B4_Weights, weights, progress, kwargs
    )


@register_model(EfficientNet_B5_Weights)
def efficientnet_b5(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b5", 1.6, 2.2, 0.4, EfficientNet_B5_Weights, weights, progress, kwargs, _TF_BN
    )


@register_model(EfficientNet_B6_Weights)
def efficientnet_b6(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b6", 1.8, 2.6, 0.5, EfficientNet_B6_Weights, weights, progress, kwargs, _TF_BN
    )


@register_model(EfficientNet_B7_Weights)
def efficientnet_b7(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    return _efficientnet(
        "efficientnet_b7", 2.0, 3.1, 0.5, EfficientNet_B7_Weights, weights, progress, kwargs, _TF_BN
    )


@register_model(EfficientNet_V2_S_Weights)
def efficientnet_v2_s(*, weights=None, progress: bool = True, **kwargs) -> EfficientNet:
    setting, last_channel = _efficientnet_conf("efficientnet_v2_s")
    weights = resolve_weights(EfficientNet_V2_S_Weights, weights, kwargs)
    model = EfficientNet(
        setting,
        kwargs.pop("dropout", 0.2),
        last_channel=last_channel,
        norm_layer=partial(nn.BatchNorm2d, eps=1e-03),
        **kwargs,
    )
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model
