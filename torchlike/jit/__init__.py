"""torch.jit: TorchScript's Python API over code that keeps running as Python.

torchlike records ops lazily and compiles them with XLA, so it needs no TorchScript compiler:
``script``/``trace`` give PyTorch's ScriptModule / ScriptFunction objects around the original
Python (_script.py, _trace.py), ``save``/``load`` write and read torchlike's own archive
(_serialization.py), and the decorators and switches here are accepted with PyTorch's signatures.
"""

from __future__ import annotations

import collections.abc
import contextlib
import types
import typing
import warnings
from typing import Any, Final

from .._context import state
from ..futures import Future
from ._script import (
    Attribute,
    RecursiveScriptModule,
    ScriptFunction,
    ScriptModule,
    script,
    script_method,
)
from ._serialization import load, save
from ._trace import (
    TopLevelTracedModule,
    TracedModule,
    TracerWarning,
    is_tracing,
    trace,
    trace_module,
)

__all__ = [
    "Attribute", "CompilationUnit", "Error", "Final", "Future", "RecursiveScriptModule", "ScriptFunction",
    "ScriptModule", "TopLevelTracedModule", "TracedModule", "TracerWarning", "annotate",
    "enable_onednn_fusion", "export", "export_opnames", "fork", "freeze", "fuser", "ignore", "interface",
    "is_scripting", "is_tracing", "isinstance", "load", "onednn_fusion_enabled", "optimize_for_inference",
    "optimized_execution", "save", "script", "script_if_tracing", "script_method", "set_fusion_strategy",
    "strict_fusion", "trace", "trace_module", "unused", "wait",
]  # fmt: skip

_builtin_isinstance = isinstance


class Error(RuntimeError):
    """torch.jit.Error: an exception raised from TorchScript code."""


class CompilationUnit:
    """torch.jit.CompilationUnit compiles TorchScript source; torchlike has no TorchScript compiler."""

    def __init__(self, lang=None, _frames_up=0):
        if lang is not None:
            raise NotImplementedError(
                "torchlike has no TorchScript compiler: torch.jit.CompilationUnit cannot compile source; "
                "write the function in Python (torch.jit.script of a Python function works)"
            )


# -- markers: TorchScript compiles around them; here everything is Python already ----------------


def is_scripting() -> bool:
    """False: torchlike never runs TorchScript-compiled code (scripted code runs as Python)."""
    return False


def annotate(the_type, the_value):
    return the_value


def _mark(fn, modifier: str):
    target = fn.fget if _builtin_isinstance(fn, property) else fn
    target._torchscript_modifier = modifier
    return fn


def ignore(drop=False, **kwargs):
    """@torch.jit.ignore / @torch.jit.ignore(drop=True): leave a function to Python (it is Python)."""
    if callable(drop):
        return _mark(drop, "ignore")
    if not _builtin_isinstance(drop, bool):
        raise RuntimeError(
            f"Argument to @torch.jit.ignore must be a bool or a function but got {drop}"
        )
    drop = kwargs.pop("drop_on_export", drop)
    return lambda fn: _mark(fn, "unused" if drop else "ignore")


def unused(fn):
    return _mark(fn, "unused")


def export(fn):
    return _mark(fn, "export")


def interface(obj):
    if not _builtin_isinstance(obj, type):
        raise RuntimeError("interface must be applied to a class")
    return obj


def script_if_tracing(fn):
    return fn


def _unwrap_optional(x):
    assert x is not None, "Unwrapping null optional"
    return x


def isinstance(obj, target_type) -> bool:
    """torch.jit.isinstance: isinstance that understands ``List[int]``, ``Dict[str, Tensor]``,
    ``Tuple[...]`` and ``Optional[...]`` by looking at the elements."""
    origin = typing.get_origin(target_type)
    args = typing.get_args(target_type)
    if origin is None:
        return target_type is Any or _builtin_isinstance(obj, target_type)
    if origin is typing.Union or origin is types.UnionType:
        return any(isinstance(obj, t) for t in args)
    if origin in (list, collections.abc.Sequence) and _builtin_isinstance(obj, list):
        return not args or all(isinstance(x, args[0]) for x in obj)
    if origin is dict and _builtin_isinstance(obj, dict):
        return not args or all(
            isinstance(k, args[0]) and isinstance(v, args[1]) for k, v in obj.items()
        )
    if origin is tuple and _builtin_isinstance(obj, tuple):
        return not args or (
            len(args) == len(obj) and all(isinstance(x, t) for x, t in zip(obj, args))
        )
    return False


# -- async: fork runs the function now -----------------------------------------------------------


def fork(func, *args, **kwargs) -> Future:
    """torch.jit.fork: outside TorchScript PyTorch runs ``func`` at once, and so does torchlike;
    the returned Future is already complete."""
    warnings.warn(
        "`torch.jit.fork` is deprecated. Please use `torch.compile` instead.",
        DeprecationWarning,
        stacklevel=1,
    )
    future = Future()
    future.set_result(func(*args, **kwargs))
    return future


def wait(future: Future):
    warnings.warn(
        "`torch.jit.wait` is deprecated. Please use `torch.compile` instead.",
        DeprecationWarning,
        stacklevel=1,
    )
    return future.wait()


# -- freezing: parameters become constants -------------------------------------------------------


def _freeze_tree(module, preserved) -> None:
    """Parameters and buffers become plain attributes (detached constants), as in PyTorch's frozen
    module, whose state_dict is empty; submodules stay registered, since containers' forwards
    iterate them (the frozen module prints without them, as PyTorch's)."""
    d = module.__dict__
    for child in d["_modules"].values():
        if child is not None:
            _freeze_tree(child, ())
    for store in ("_parameters", "_buffers"):
        for name, tensor in list(d[store].items()):
            if name not in preserved:
                del d[store][name]
                d[name] = None if tensor is None else tensor.detach()
    d["_non_persistent_buffers_set"] = set(d["_non_persistent_buffers_set"]) & set(d["_buffers"])
    d["_jit_frozen"] = True


def freeze(mod, preserved_attrs: list[str] | None = None, optimize_numerics: bool = True):
    """torch.jit.freeze: a copy of a scripted module in eval mode whose weights are constants."""
    import copy

    warnings.warn(
        "`torch.jit.freeze` is deprecated. Please use `torch.compile` instead.",
        DeprecationWarning,
        stacklevel=1,
    )
    if not _builtin_isinstance(mod, ScriptModule):
        raise RuntimeError(
            "Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to "
            "script your 'nn.Module'."
        )
    if mod.training:
        raise RuntimeError(
            "Freezing is currently only implemented for modules in eval mode. Please call .eval() on your "
            "module before freezing."
        )
    frozen = copy.deepcopy(mod)
    _freeze_tree(frozen, set(preserved_attrs or ()))
    return frozen


def optimize_for_inference(
    mod: ScriptModule, other_methods: list[str] | None = None
) -> ScriptModule:
    """torch.jit.optimize_for_inference: freezes (if not frozen yet); XLA does the optimizing."""
    warnings.warn(
        "`torch.jit.optimize_for_inference` is deprecated. Please use `torch.compile` instead.",
        DeprecationWarning,
        stacklevel=1,  # attributed to torch.jit, as in PyTorch (hidden by default)
    )
    if not _builtin_isinstance(mod, ScriptModule):
        raise RuntimeError(
            "optimize_for_inference expects a ScriptModule as input. Please use torch.jit.script or "
            "torch.jit.trace to script your 'nn.Module'."
        )
    if getattr(mod, "_jit_frozen", False):
        return mod
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return freeze(mod.eval(), preserved_attrs=other_methods)


def run_frozen_optimizations(mod, optimize_numerics: bool = True, preserved_methods=None) -> None:
    """XLA optimizes the recorded programs; nothing to rewrite here."""


# -- fusion switches: kept so they read back as set; XLA decides fusion ---------------------------

_DEFAULT_FUSION_STRATEGY = [("STATIC", 2), ("DYNAMIC", 10)]


def set_fusion_strategy(strategy: list[tuple[str, int]]):
    """Sets the strategy and returns the previous one (it has no effect on XLA's fusion)."""
    warnings.warn(
        "`torch.jit.set_fusion_strategy` is deprecated. Please use `torch.compile` instead.",
        DeprecationWarning,
        stacklevel=1,
    )
    for kind, _depth in strategy:
        if kind not in ("STATIC", "DYNAMIC"):
            raise ValueError(f"FusionBehavior only supported 'STATIC' or 'DYNAMIC', got: {kind}")
    previous = state.jit_settings.get("fusion_strategy", _DEFAULT_FUSION_STRATEGY)
    state.jit_settings["fusion_strategy"] = [(kind, int(depth)) for kind, depth in strategy]
    return list(previous)


def enable_onednn_fusion(enabled: bool) -> None:
    state.jit_settings["onednn_fusion"] = bool(enabled)


def onednn_fusion_enabled() -> bool:
    return state.jit_settings.get("onednn_fusion", False)


@contextlib.contextmanager
def optimized_execution(should_optimize):
    yield


@contextlib.contextmanager
def fuser(name):
    if name not in ("fuser0", "fuser1", "fuser2", "fuser3", "none"):
        raise Exception(f"unrecognized fuser option (name: {name})")  # noqa: TRY002  (PyTorch's type)
    yield


class strict_fusion:
    """Inside TorchScript, asserts that the block fuses; outside it PyTorch warns and does nothing."""

    def __init__(self):
        warnings.warn("Only works in script mode", stacklevel=2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def export_opnames(m):
    raise NotImplementedError(
        "torchlike has no TorchScript graph, so torch.jit.export_opnames has no operator list to give"
    )
