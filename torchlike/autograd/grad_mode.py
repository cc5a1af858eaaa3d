"""no_grad, enable_grad, set_grad_enabled, inference_mode: context managers and decorators."""

from __future__ import annotations

import functools

from .._context import state


class _GradModeBase:
    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return fn(*args, **kwargs)

        return wrapper

    def _args(self):
        return ()

    def clone(self):
        return self.__class__(*self._args())


class _NoParamDecorator(_GradModeBase):
    """Usable as ``@no_grad()`` and, as in PyTorch >= 2.0, as a bare ``@no_grad``."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        if not callable(orig_func):
            raise TypeError(f"{cls.__name__}() takes no arguments")
        return cls()(orig_func)


class no_grad(_NoParamDecorator):
    def __enter__(self):
        self.prev = state.grad_enabled
        state.grad_enabled = False

    def __exit__(self, *exc):
        state.grad_enabled = self.prev
        if self.prev and state.leaf_update:
            # a hand-written optimizer step (`with torch.no_grad(): w -= lr * w.grad`) ends a step as
            # optimizer.step() does: one program per iteration, not an ever longer unrolled graph
            state.leaf_update = False
            from .._engine.execute import flush

            flush("parameter update under no_grad")


class enable_grad(_NoParamDecorator):
    def __enter__(self):
        self.prev = state.grad_enabled
        state.grad_enabled = True

    def __exit__(self, *exc):
        state.grad_enabled = self.prev


class set_grad_enabled(_GradModeBase):
    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self.prev = state.grad_enabled
        state.grad_enabled = self.mode  # takes effect when called as a function, as in torch

    def _args(self):
        return (self.mode,)

    def __enter__(self):
        state.grad_enabled = self.mode

    def __exit__(self, *exc):
        state.grad_enabled = self.prev

    def __repr__(self):  # what `torch.set_grad_enabled(False)` echoes at a prompt or in print
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"


class inference_mode(_GradModeBase):
    def __new__(cls, mode=True):
        if callable(mode) and not isinstance(mode, bool):  # bare @inference_mode
            return cls(True)(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True):
        self.mode = mode

    def _args(self):
        return (self.mode,)

    def __enter__(self):
        self.prev = (state.grad_enabled, state.inference_mode)
        if self.mode:
            state.grad_enabled = False
            state.inference_mode = True

    def __exit__(self, *exc):
        state.grad_enabled, state.inference_mode = self.prev


def is_grad_enabled() -> bool:
    return state.grad_enabled


def is_inference_mode_enabled() -> bool:
    return state.inference_mode
