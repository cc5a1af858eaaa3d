"""QConfig: which observers make a module's activation and weight qparams."""

from __future__ import annotations

from collections import namedtuple

import torchlike as torch
from torchlike import _quantized as Q

from .observer import (
    PlaceholderObserver,
    default_dynamic_quant_observer,
    default_observer,
    default_per_channel_weight_observer,
    default_weight_observer,
)

__all__ = [
    "QConfig", "QConfigDynamic", "default_qconfig", "default_dynamic_qconfig",
    "float16_dynamic_qconfig", "per_channel_dynamic_qconfig", "float_qparams_weight_only_qconfig",
]  # fmt: skip


class QConfig(namedtuple("QConfig", ["activation", "weight"])):
    """Observer factories for a module's activation and weight (``Observer.with_args(...)``)."""

    __slots__ = ()

    def __new__(cls, activation, weight):
        if isinstance(activation, torch.nn.Module) or isinstance(weight, torch.nn.Module):
            raise ValueError(
                "QConfig received observer instance, please pass observer class instead. "
                "Use MyObserver.with_args(x=1) to override arguments to constructor if needed"
            )
        return super().__new__(cls, activation, weight)


QConfigDynamic = QConfig

default_qconfig = QConfig(activation=default_observer, weight=default_weight_observer)
default_dynamic_qconfig = QConfig(
    activation=default_dynamic_quant_observer, weight=default_weight_observer
)
float16_dynamic_qconfig = QConfig(
    activation=PlaceholderObserver.with_args(dtype=torch.float16, is_dynamic=True),
    weight=PlaceholderObserver.with_args(dtype=torch.float16),
)
per_channel_dynamic_qconfig = QConfig(
    activation=default_dynamic_quant_observer, weight=default_per_channel_weight_observer
)
float_qparams_weight_only_qconfig = QConfig(
    activation=PlaceholderObserver,
    weight=default_per_channel_weight_observer.with_args(
        dtype=Q.quint8, qscheme=Q.per_channel_affine_float_qparams, ch_axis=0
    ),
)
