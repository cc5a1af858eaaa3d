"""torch.utils: data, tensorboard, checkpoint, dlpack."""

import importlib

from . import data  # noqa: F401
from ._swap_tensors import swap_tensors  # noqa: F401


def __getattr__(name):
    if name in ("tensorboard", "checkpoint", "dlpack", "hooks", "safetensors", "model_zoo", "benchmark"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'torchlike.utils' has no attribute '{name}'")
