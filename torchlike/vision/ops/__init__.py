"""torchvision.ops: the building blocks the model zoo shares (conv-norm-activation, squeeze-excitation,
MLP, Permute, stochastic depth)."""

from .misc import MLP, Conv2dNormActivation, ConvNormActivation, Permute, SqueezeExcitation
from .stochastic_depth import StochasticDepth, stochastic_depth

__all__ = [
    "Conv2dNormActivation",
    "ConvNormActivation",
    "MLP",
    "Permute",
    "SqueezeExcitation",
    "StochasticDepth",
    "stochastic_depth",
]
