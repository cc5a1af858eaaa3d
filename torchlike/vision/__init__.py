"""What tutorials import from torchvision: transforms, datasets, models, utils."""

import importlib


def __getattr__(name):
    if name in ("transforms", "datasets", "models", "utils", "io", "ops"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'torchlike.vision' has no attribute '{name}'")
