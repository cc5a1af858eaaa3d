"""torch.autograd.Function: user-defined forward/backward.

The forward runs under no_grad (its ops are recorded lazily as usual); the node's backward calls
the user's static ``backward``, whose ops are recorded into the same lazy graph, so a custom
Function still ends up inside the step's single program.
"""

from __future__ import annotations

import functools

from .._context import state
from .._tensor import Tensor
from . import forward_ad
from . import saved_tensors as _saved_tensors
from .graph import Node, grad_edge


class FunctionCtx:
    def save_for_backward(self, *tensors):
        self._saved = tuple(tensors)

    @property
    def saved_tensors(self):
        if getattr(self, "_freed", False):
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved tensors after "
                "they have already been freed). Saved intermediate values of the graph are freed when you call "
                ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved tensors after calling backward."
            )
        packed = self.__dict__.get("_packed_saved")
        if packed is not None:  # saved under saved_tensors_hooks: each access unpacks
            return _saved_tensors.unpack_function(packed)
        return getattr(self, "_saved", ())

    saved_variables = saved_tensors

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self._non_diff = {id(t) for t in tensors}

    def set_materialize_grads(self, value: bool):
        self._materialize = value


class BackwardCFunction(Node, FunctionCtx):
    """The grad_fn of a custom Function's outputs; it is also the ``ctx`` the user sees."""

    _fn_cls = None

    def __init__(self):
        Node.__init__(self, ())
        self._materialize = True
        self.out_avals = ()

    def name(self):
        return type(self).__name__

    def apply(self, *grads):
        """``y.grad_fn.apply(grad)``: the user's backward, its result as returned (PyTorch's
        BackwardCFunction.apply)."""
        return self._fn_cls.backward(self, *grads)

    def _apply(self, grads):
        """The engine's call: one gradient per output in, one per input edge out."""
        from .. import _creation

        if self._materialize:
            grads = [
                g if g is not None else _creation.zeros(shape, dtype=dt)
                for g, (shape, dt) in zip(grads, self._out_meta)
            ]
        result = self._fn_cls.backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) < len(self.edges):
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients (expected "
                f"{len(self.edges)}, got {len(result)})"
            )
        return [g if isinstance(g, Tensor) else None for g in result[: len(self.edges)]]

    def _free(self):
        self._freed = True
        self._saved = ()
        self.__dict__.pop("_packed_saved", None)


class FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        # named from this module as BackwardCFunction is (``torch.autograd.function`` under the hook)
        body = {"_fn_cls": cls, "__module__": BackwardCFunction.__module__}
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), body)
        super().__init__(name, bases, attrs)


class Function(metaclass=FunctionMeta):
    """Base class of custom autograd functions (static forward/backward, ``apply``)."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with forward mode AD."
        )

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = cls._backward_cls()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        uses_setup = cls.setup_context is not Function.setup_context
        prev, level = state.grad_enabled, state.dual_level
        dual = level is not None and any(forward_ad.tangent_of(a) is not None for a in args)
        state.grad_enabled = False
        state.dual_level = None  # (the forward sees primals: the jvp staticmethod gives tangents)
        try:
            if uses_setup:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            state.grad_enabled, state.dual_level = prev, level
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        if dual:
            _forward_tangents(cls, ctx, args, outs)
        if not (prev and any(ctx.needs_input_grad)):
            return outputs
        ctx.edges = tuple(grad_edge(a) if isinstance(a, Tensor) else None for a in args)
        non_diff = getattr(ctx, "_non_diff", set())
        wrapped = []
        ctx._out_meta = []
        for i, o in enumerate(outs):
            if isinstance(o, Tensor):
                differentiable = id(o) not in non_diff
                if any(o is d for d in getattr(ctx, "_dirty", ())):
                    o._vbox[0] += 1  # modified in place: the same tensor, its history now this node
                elif any(o is a for a in args):
                    o = o._alias(False)
                ctx._out_meta.append((tuple(o.shape), o._dtype))
                if differentiable and (o._dtype.is_floating_point or o._dtype.is_complex):
                    o._requires_grad = True
                    o.grad_fn = ctx
                    o._out_idx = i
            else:
                ctx._out_meta.append(((), None))
            wrapped.append(o)
        ctx.out_avals = tuple(ctx._out_meta)
        if state.saved_hooks is not None and getattr(ctx, "_saved", ()):
            saved = tuple(next((w for o, w in zip(outs, wrapped) if o is t), t) for t in ctx._saved)
            ctx._packed_saved = _saved_tensors.pack_function(ctx, saved)
            ctx._saved = ()
        return wrapped[0] if single else tuple(wrapped)


def _forward_tangents(cls, ctx, args, outs):
    """Forward AD through a custom Function: its ``jvp`` maps the inputs' tangents (zeros for a
    tensor without one, None for other arguments) to the outputs'."""
    from .. import _creation

    tangents = []
    for a in args:
        if isinstance(a, Tensor):
            t = forward_ad.tangent_of(a)
            tangents.append(t if t is not None else _creation.zeros_like(a))
        else:
            tangents.append(None)
    prev = state.grad_enabled
    state.grad_enabled = False
    try:
        result = cls.jvp(ctx, *tangents)
    finally:
        state.grad_enabled = prev
    if not isinstance(result, tuple):
        result = (result,)
    for o, t in zip(outs, result):
        if isinstance(o, Tensor) and isinstance(t, Tensor):
            forward_ad.set_tangent(o, t)


def once_differentiable(fn):
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        from .grad_mode import no_grad

        with no_grad():
            return fn(ctx, *args)

    return wrapper
