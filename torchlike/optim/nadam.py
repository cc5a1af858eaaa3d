"""NAdam (momentum_decay, decoupled_weight_decay; 'mu_product' state), PyTorch's formulas."""

from __future__ import annotations

import jax.numpy as jnp

from .adam import _check_betas
from .optimizer import Optimizer, _check_lr_eps, _lerp, state_full, state_scalar

__all__ = ["NAdam"]


class NAdam(Optimizer):
    _hyper = ("lr", "betas", "eps", "weight_decay", "momentum_decay")
    _static = ("maximize", "decoupled_weight_decay")
    _state_names = ("step", "mu_product", "exp_avg", "exp_avg_sq")

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        momentum_decay=4e-3,
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
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        return {
            "step": state_scalar(0.0),
            "mu_product": state_scalar(1.0),
            "exp_avg": state_full(p),
            "exp_avg_sq": state_full(p),
        }

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, beta1, beta2, eps, weight_decay, momentum_decay = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            step = st["step"] + 1
            t = step.astype(jnp.float64)
            bias_correction2 = 1 - beta2**t
            if static["decoupled_weight_decay"]:
                p = p * (1 - lr * weight_decay).astype(dt)
            else:
                g = g + weight_decay.astype(dt) * p
            mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
            mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
            # the product lives in a 0-d tensor of its own dtype, as PyTorch keeps it
            mu_product = st["mu_product"] * mu.astype(st["mu_product"].dtype)
            mu_product_f = mu_product.astype(jnp.float64)
            m = _lerp(st["exp_avg"], g, 1 - beta1)
            v = st["exp_avg_sq"] * beta2.astype(dt) + (1 - beta2).astype(dt) * g * g
            denom = jnp.sqrt(v / bias_correction2.astype(dt)) + eps.astype(dt)
            p = p + (-lr * (1.0 - mu) / (1.0 - mu_product_f)).astype(dt) * g / denom
            p = p + (-lr * mu_next / (1.0 - mu_product_f * mu_next)).astype(dt) * m / denom
            new_params.append(p)
            new_states.append(
                {"step": step, "mu_product": mu_product, "exp_avg": m, "exp_avg_sq": v}
            )
        return new_params, new_states
