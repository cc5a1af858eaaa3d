"""Adadelta (rho, eps, lr, weight_decay, maximize), PyTorch's formulas."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, state_full, state_scalar

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    _hyper = ("lr", "rho", "eps", "weight_decay")
    _static = ("maximize",)
    _state_names = ("step", "square_avg", "acc_delta")

    def __init__(
        self,
        params,
        lr=1.0,
        rho=0.9,
        eps=1e-6,
        weight_decay=0,
        foreach=None,
        *,
        capturable=False,
        maximize=False,
        differentiable=False,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            capturable=capturable,
            foreach=foreach,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        return {
            "step": state_scalar(0.0),
            "square_avg": state_full(p),
            "acc_delta": state_full(p),
        }

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, rho, eps, weight_decay = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            g = g + weight_decay.astype(dt) * p
            rho_, one_minus_rho, eps_ = rho.astype(dt), (1 - rho).astype(dt), eps.astype(dt)
            sq = st["square_avg"] * rho_ + one_minus_rho * g * g
            delta = jnp.sqrt(st["acc_delta"] + eps_) / jnp.sqrt(sq + eps_) * g
            acc = st["acc_delta"] * rho_ + one_minus_rho * delta * delta
            new_params.append(p + (-lr).astype(dt) * delta)
            new_states.append({"step": st["step"] + 1, "square_avg": sq, "acc_delta": acc})
        return new_params, new_states
