"""Submodules imported on first use (``torch.nn``, ``torch.optim``, ``torch.save`` ...)."""

from __future__ import annotations

import importlib

_SUBMODULES = (
    "nn", "optim", "utils", "vision", "serialization", "multiprocessing", "distributed", "amp", "func",
    "hub", "onnx", "testing", "linalg", "fft", "special", "bench", "distributions", "overrides", "types",
    "compiler", "_dynamo", "sparse", "accelerator", "quantization", "ao",
    "profiler", "mps", "xpu", "futures", "signal", "version", "torch_version", "cpu", "return_types",
    "functional", "jit", "__future__", "fx", "library",
)
_FROM_SERIALIZATION = ("save", "load", "save_safetensors", "load_safetensors")
_FROM_QUANTIZED = (
    "quint8", "qint8", "qint32", "qscheme", "per_tensor_affine", "per_channel_affine",
    "per_tensor_symmetric", "per_channel_symmetric", "per_channel_affine_float_qparams",
    "quantize_per_tensor", "quantize_per_channel", "dequantize",
)


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
        if name == "ops":  # torch.ops: operator namespaces (aten, and torch.library's)
            value = importlib.import_module("torchlike._ops_namespace").ops
            namespace[name] = value
            return value
        if name == "_assert":  # torch._assert: what a trace with concrete_args checks its inputs with
            value = importlib.import_module("torchlike.fx._symbolic_trace")._assert
            namespace[name] = value
            return value
        if name in _FROM_QUANTIZED:
            value = getattr(importlib.import_module("torchlike._quantized"), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module 'torchlike' has no attribute '{name}'")

    namespace["__getattr__"] = __getattr__
    for name in ("nn", "optim", "utils", "autograd"):
        try:
            namespace[name] = importlib.import_module(f"torchlike.{name}")
        except ImportError:
            pass
