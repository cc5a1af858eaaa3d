"""Adagrad (lr_decay, initial_accumulator_value, eps, weight_decay, maximize), PyTorch's formulas."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, state_full, state_scalar

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    _hyper = ("lr", "lr_decay", "weight_decay", "eps")
    _static = ("maximize",)
    _state_names = ("step", "sum")

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0,
        weight_decay=0,
        initial_accumulator_value=0,
        eps=1e-10,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        fused=None,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        # unlike the other optimizers, Adagrad creates its state eagerly, for every parameter
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = self._init_state(p, group)

    def _init_state(self, p, group):
        return {
            "step": state_scalar(0.0),
            "sum": state_full(p, group["initial_accumulator_value"]),
        }

    def share_memory(self) -> None:
        """Accepted for compatibility: device state has no shared-memory form."""

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, lr_decay, weight_decay, eps = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            step = st["step"] + 1
            if static["maximize"]:
                g = -g
            g = g + weight_decay.astype(dt) * p
            clr = lr / (1 + (step.astype(jnp.float64) - 1) * lr_decay)
            total = st["sum"] + g * g
            std = jnp.sqrt(total) + eps.astype(dt)
            new_params.append(p + (-clr).astype(dt) * g / std)
            new_states.append({"step": step, "sum": total})
        return new_params, new_states
