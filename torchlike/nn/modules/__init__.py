"""nn modules, one file per family (as torch/nn/modules)."""

import importlib

from .container import Container, ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, LazyLinear, Linear
from .module import Module

# families written in parallel: each exports its public names through __all__
_FAMILIES = ("activation", "conv", "pooling", "normalization", "batchnorm", "dropout", "sparse", "loss",
             "distance", "rnn", "transformer", "activation_attention", "upsampling", "padding", "pixelshuffle",
             "fold", "channelshuffle", "flax_bridge", "fractional_pooling", "lazy_norm", "adaptive")
for _name in _FAMILIES:
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_name}":
            raise
        continue
    for _k in getattr(_mod, "__all__", ()):
        globals()[_k] = getattr(_mod, _k)
