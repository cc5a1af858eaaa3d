"""torchvision.datasets equivalents: the embedded Digits, ImageFolder, MNIST/CIFAR readers, FakeData."""

import importlib

from .digits import Digits, write_image_folder  # noqa: F401

for _name in ("folder", "mnist", "cifar", "fakedata"):
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_name}":
            raise
        continue
    for _k in getattr(_mod, "__all__", ()):
        globals()[_k] = getattr(_mod, _k)
