"""Full backward hooks of nn.Module (register_full_backward_hook / register_full_backward_pre_hook).

As in PyTorch, the module's tensor inputs and outputs pass through identity autograd Functions.
The outputs' identity node sees grad_output first (backward pre-hooks run there and may replace
it); the inputs' identity node then sees grad_input, and the backward hooks run with
(module, grad_input, grad_output) and may replace grad_input. Positions that are not tensors
(or need no gradient) read None.
"""

from __future__ import annotations

import warnings

from ..._context import state
from ..._tensor import Tensor
from ...autograd.function import Function

__all__ = ["BackwardHook"]


class BackwardHookFunction(Function):
    """Identity on its tensor arguments: a node whose backward hooks can see and change gradients."""

    @staticmethod
    def forward(ctx, *args):
        return args

    @staticmethod
    def backward(ctx, *grads):
        return grads


class BackwardHook:
    """Made by Module._call_impl for one call when the module has full backward (pre-)hooks."""

    def __init__(self, module, user_hooks=None, user_pre_hooks=None):
        self.module = module
        self.user_hooks = list(
            (module._backward_hooks if user_hooks is None else user_hooks).values()
        )
        self.user_pre_hooks = list(
            (module._backward_pre_hooks if user_pre_hooks is None else user_pre_hooks).values()
        )
        self.grad_outputs = None
        self.n_inputs = -1
        self.input_tensors_index = None
        self.n_outputs = -1
        self.output_tensors_index = None

    @staticmethod
    def _pack_with_none(indices, values, size):
        res = [None] * size
        for i, v in zip(indices, values):
            res[i] = v
        return tuple(res)

    def _apply_on_tensors(self, set_hook, args):
        """Route the tensors that need a gradient through one identity node; returns (args, tensor positions)."""
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        if not (state.grad_enabled and any(args[i].requires_grad for i in positions)):
            return args, None
        # only tensors that need a gradient enter the node; the others keep their place, untouched
        diff = [i for i in positions if args[i].requires_grad]
        wrapped = BackwardHookFunction.apply(*[args[i] for i in diff])
        if not isinstance(wrapped, tuple):
            wrapped = (wrapped,)
        set_hook(wrapped[0].grad_fn, diff)
        out = list(args)
        for i, t in zip(diff, wrapped):
            out[i] = t
        return (tuple(out) if type(args) is tuple else type(args)(*out)), positions

    # -- inputs: grad_input, then the user's hooks ---------------------------------------------------
    def setup_input_hook(self, args):
        def set_hook(grad_fn, diff):
            def hook(grad_inputs, _grad_outputs):
                if self.grad_outputs is None:
                    # the gradient reached the inputs without passing through the outputs (double backward)
                    return None
                res = list(self._pack_with_none(diff, grad_inputs, self.n_inputs))
                for i, t in zero_grad_inputs:
                    res[i] = zeros_like(
                        t
                    )  # torch's identity node materialises their (absent) gradient
                res = tuple(res)
                for user_hook in self.user_hooks:
                    out = user_hook(self.module, res, self.grad_outputs)
                    if out is None:
                        continue
                    if len(out) != len(res):
                        raise RuntimeError(
                            "Backward hook returned an invalid number of grad_input, "
                            f"got {len(out)}, but expected {len(res)}"
                        )
                    res = tuple(out)
                self.grad_outputs = None
                return tuple(res[i] for i in diff)

            grad_fn.register_hook(hook)

        from ..._creation import zeros_like

        zero_grad_inputs = [
            (i, a) for i, a in enumerate(args) if isinstance(a, Tensor) and not a.requires_grad
        ]
        res, positions = self._apply_on_tensors(set_hook, args)
        self.n_inputs = len(args)
        self.input_tensors_index = positions
        return res

    # -- outputs: grad_output, the user's pre-hooks ------------------------------------------------
    def setup_output_hook(self, args):
        def set_hook(grad_fn, diff):
            def hook(_grad_inputs, grad_outputs):
                self.grad_outputs = self._pack_with_none(diff, grad_outputs, self.n_outputs)
                expected = len(self.grad_outputs)
                for pre_hook in self.user_pre_hooks:
                    new = pre_hook(self.module, self.grad_outputs)
                    if new is None:
                        continue
                    if len(new) != expected:
                        raise RuntimeError(
                            "Backward pre hook returned an invalid number of grad_output, "
                            f"got {len(new)}, but expected {expected}"
                        )
                    self.grad_outputs = tuple(new)
                local = self.grad_outputs
                if self.input_tensors_index is None:
                    # no input needs a gradient: the hooks fire now, with all-None grad_input
                    warnings.warn(
                        "Full backward hook is firing when gradients are computed with respect to module outputs "
                        "since no inputs require gradients. See "
                        "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                        "#torch.nn.Module.register_full_backward_hook for more details.",
                        stacklevel=5,
                    )
                    grad_inputs = self._pack_with_none([], [], self.n_inputs)
                    for user_hook in self.user_hooks:
                        r = user_hook(self.module, grad_inputs, self.grad_outputs)
                        if r is not None and not (
                            isinstance(r, tuple) and all(g is None for g in r)
                        ):
                            raise RuntimeError(
                                "Backward hook for Modules where no input requires gradient should always return "
                                "None or None for all gradients."
                            )
                    self.grad_outputs = None
                return tuple(local[i] for i in diff)

            grad_fn.register_hook(hook)

        single = not isinstance(args, tuple)
        if single:
            args = (args,)
        res, positions = self._apply_on_tensors(set_hook, args)
        self.n_outputs = len(args)
        self.output_tensors_index = positions
        return res[0] if single else res
