"""torch.nn.functional: re-exports the family files under nn/_functional."""

import importlib

from ._functional.linear import bilinear, linear  # noqa: F401

_FAMILIES = ("activation", "conv", "pooling", "normalization", "dropout", "sparse", "loss", "distance",
             "vision", "attention", "padding", "fractional_pooling")
for _name in _FAMILIES:
    try:
        _mod = importlib.import_module(f"torchlike.nn._functional.{_name}")
    except ModuleNotFoundError as _e:
        if _e.name != f"torchlike.nn._functional.{_name}":
            raise
        continue
    for _k in getattr(_mod, "__all__", ()):
        globals()[_k] = getattr(_mod, _k)
