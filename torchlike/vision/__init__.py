"""What tutorials import from torchvision: transforms, datasets, models, utils."""

import importlib

# the torchvision release paired with the torch API torchlike follows (torch 2.13)
__version__ = "0.28.0"


def __getattr__(name):
    if name in ("transforms", "datasets", "models", "utils", "io", "ops"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'torchlike.vision' has no attribute '{name}'")
