"""Submodules imported on first use (``torch.nn``, ``torch.optim``, ``torch.save`` ...)."""

from __future__ import annotations

import importlib

_SUBMODULES = (
    "nn", "optim", "utils", "vision", "serialization", "multiprocessing", "distributed", "amp", "func",
    "hub", "onnx", "testing", "linalg", "fft", "special", "bench", "distributions", "overrides", "types",
    "compiler", "_dynamo", "sparse", "accelerator",
)
_FROM_SERIALIZATION = ("save", "load", "save_safetensors", "load_safetensors")


def install(namespace: dict) -> None:
    def __getattr__(name):
        if name in _SUBMODULES:
            mod = importlib.import_module(f"torchlike.{name}")
            namespace[name] = mod
            return mod
        if name in _FROM_SERIALIZATION:
            mod = importlib.import_module("torchlike.serialization")
            fn = getattr(mod, name)
            namespace[name] = fn
            return fn
        raise AttributeError(f"module 'torchlike' has no attribute '{name}'")

    namespace["__getattr__"] = __getattr__
    for name in ("nn", "optim", "utils", "autograd"):
        try:
            namespace[name] = importlib.import_module(f"torchlike.{name}")
        except ImportError:
            pass
