"""RAdam (variance rectification, decoupled_weight_decay), PyTorch's formulas.

PyTorch switches between the rectified and the plain update with a Python ``if`` on the step;
here both are computed and ``jnp.where`` picks one, so the step count stays a program input.
"""

from __future__ import annotations

import jax.numpy as jnp

from .adam import _check_betas
from .optimizer import Optimizer, _check_lr_eps, _lerp, state_full, state_scalar

__all__ = ["RAdam"]


class RAdam(Optimizer):
    _hyper = ("lr", "betas", "eps", "weight_decay")
    _static = ("maximize", "decoupled_weight_decay")
    _state_names = ("step", "exp_avg", "exp_avg_sq")

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        decoupled_weight_decay=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
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
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        return {
            "step": state_scalar(0.0),
            "exp_avg": state_full(p),
            "exp_avg_sq": state_full(p),
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
            t = step.astype(jnp.float64)
            if static["decoupled_weight_decay"]:
                p = p * (1 - lr * weight_decay).astype(dt)
            else:
                g = g + weight_decay.astype(dt) * p
            m = _lerp(st["exp_avg"], g, 1 - beta1)
            v = st["exp_avg_sq"] * beta2.astype(dt) + (1 - beta2).astype(dt) * g * g
            bias_correction1 = 1 - beta1**t
            bias_correction2 = 1 - beta2**t
            corrected = m / bias_correction1.astype(dt)
            rho_inf = 2 / (1 - beta2) - 1
            rho_t = rho_inf - 2 * t * beta2**t / bias_correction2
            rectified = rho_t > 5.0
            safe_rho = jnp.where(rectified, rho_t, 5.0)
            rect = jnp.sqrt(
                (safe_rho - 4)
                * (safe_rho - 2)
                * rho_inf
                / ((rho_inf - 4) * (rho_inf - 2) * safe_rho)
            )
            adaptive = jnp.sqrt(bias_correction2).astype(dt) / (jnp.sqrt(v) + eps.astype(dt))
            plain = corrected * lr.astype(dt)
            update = jnp.where(rectified, plain * adaptive * rect.astype(dt), plain)
            new_params.append(p - update)
            new_states.append({"step": step, "exp_avg": m, "exp_avg_sq": v})
        return new_params, new_states
