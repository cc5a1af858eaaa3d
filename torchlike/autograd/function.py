"""torch.autograd.Function: user-defined forward/backward.

The forward runs under no_grad (its ops are recorded lazily as usual); the node's backward calls
the user's static ``backward``, whose ops are recorded into the same lazy graph, so a custom
Function still ends up inside the step's single program.
"""

from __future__ import annotations

import functools

from .._context import state
from .._tensor import Tensor
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

    def apply(self, grads):
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


class FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), {"_fn_cls": cls})
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
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = cls._backward_cls()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        uses_setup = cls.setup_context is not Function.setup_context
        prev = state.grad_enabled
        state.grad_enabled = False
        try:
            if uses_setup:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            state.grad_enabled = prev
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        if not (prev and any(ctx.needs_input_grad)):
            return outputs
        ctx.edges = tuple(grad_edge(a) if isinstance(a, Tensor) else None for a in args)
        non_diff = getattr(ctx, "_non_diff", set())
        wrapped = []
        ctx._out_meta = []
        for i, o in enumerate(outs):
            if isinstance(o, Tensor):
                differentiable = id(o) not in non_diff
                if any(o is a for a in args):
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
        return wrapped[0] if single else tuple(wrapped)


def once_differentiable(fn):
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        from .grad_mode import no_grad

        with no_grad():
            return fn(ctx, *args)

    return wrapper
