"""Adamax (the infinity-norm Adam variant), PyTorch's formulas."""

from __future__ import annotations

import jax.numpy as jnp

from .adam import _check_betas
from .optimizer import Optimizer, _check_lr_eps, _lerp, state_full, state_scalar

__all__ = ["Adamax"]


class Adamax(Optimizer):
    _hyper = ("lr", "betas", "eps", "weight_decay")
    _static = ("maximize",)
    _state_names = ("step", "exp_avg", "exp_inf")

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        capturable=False,
    ):
        _check_lr_eps(lr, eps)
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        return {
            "step": state_scalar(0.0),
            "exp_avg": state_full(p),
            "exp_inf": state_full(p),
        }

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, beta1, beta2, eps, weight_decay = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            step = st["step"] + 1
            g = g + weight_decay.astype(dt) * p
            m = _lerp(st["exp_avg"], g, 1 - beta1)
            inf = jnp.maximum(st["exp_inf"] * beta2.astype(dt), jnp.abs(g) + eps.astype(dt))
            clr = lr / (1 - beta1 ** step.astype(jnp.float64))
            new_params.append(p + (-clr).astype(dt) * m / inf)
            new_states.append({"step": step, "exp_avg": m, "exp_inf": inf})
        return new_params, new_states
