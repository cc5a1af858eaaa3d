"""torch.autograd: backward, grad, grad modes, custom Functions."""

from __future__ import annotations

import sys

import numpy as np

from .._context import state
from .._tensor import Tensor
from . import _gradcheck
from ._gradcheck import gradcheck, gradgradcheck
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .graph import Node, run_backward

# ``torch.autograd.gradcheck`` is the function; the module of that name (``from
# torch.autograd.gradcheck import GradcheckError``) is importable beside it, as in torch
sys.modules[f"{__name__}.gradcheck"] = _gradcheck

__all__ = [
    "backward", "grad", "Function", "FunctionCtx", "no_grad", "enable_grad", "set_grad_enabled",
    "inference_mode", "is_grad_enabled", "Variable", "detect_anomaly", "set_detect_anomaly",
    "once_differentiable",
]


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


_ONES: dict = {}  # (shape, dtype, device) -> a concrete array of ones (implicit root gradients)


def _ones(out):
    """The implicit gradient of a scalar output: one concrete array per shape/dtype/device, so a
    training step's backward records no op for it."""
    key = (out._data.shape, out._dtype, out._device)
    a = _ONES.get(key)
    if a is None:
        a = _ONES[key] = Tensor._make(np.ones(key[0], out._dtype.np), out._dtype, out._device)._concrete("")
    return Tensor._make(a, out._dtype, out._device)


def _make_grads(outputs, grad_outputs):
    from .. import _creation

    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if grad_outputs is not None else None
        if g is None:
            if out._requires_grad and out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not (out._dtype.is_floating_point or out._dtype.is_complex):
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {out._dtype}"
                )
            # (a torchlike.compile recording keeps the op: a constant array would be an input)
            g = _ones(out) if state.capture is None and out._device.type != "meta" else _creation.ones_like(out)
        elif not isinstance(g, Tensor):
            g = _creation.tensor(g, dtype=out._dtype)
        elif g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a shape "
                f"of {out.shape}."
            )
        grads.append(g)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    for t in tensors:
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    grads = _make_grads(tensors, grad_tensors)
    if inputs is not None:
        inputs = _as_tuple(inputs)
        captured = run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=False)
        from .graph import _accumulate

        for t, g in zip(inputs, captured):
            if g is not None:
                _accumulate(t, g, create_graph)
        return
    run_backward(tensors, grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    for _i, t in enumerate(inputs):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    for t in outputs:
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    grads = _make_grads(outputs, grad_outputs)
    result = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, accumulate=False)
    out = []
    for k, (t, g) in enumerate(zip(inputs, result)):
        if g is None:
            if materialize_grads:
                from .. import _creation

                g = _creation.zeros_like(t)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {k} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
        elif not create_graph:
            g = g.detach()
        out.append(g)
    return tuple(out)


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """The deprecated Variable wrapper, as in torch: ``Variable(t)`` is a new leaf tensor sharing
    t's data (``t.detach()``) with ``requires_grad`` as given; every tensor is a Variable."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        import warnings

        if volatile:
            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                UserWarning, stacklevel=2,
            )
        if data is None:
            from .. import _creation

            data = _creation.empty(0)
        elif not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        if requires_grad:
            out.requires_grad_(True)
        return out


Variable.__module__ = "torch.autograd.variable"


def __getattr__(name):
    if name in ("functional", "profiler", "profiler_util"):  # torch.autograd.profiler.profile(...) without importing it first
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
