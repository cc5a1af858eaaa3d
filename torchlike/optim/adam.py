"""Adam (coupled L2 weight_decay, amsgrad, maximize) and AdamW (decoupled decay)."""

from __future__ import annotations

import jax.numpy as jnp

from .. import _creation, _dtype
from .optimizer import Optimizer


class Adam(Optimizer):
    _hyper = ("lr", "betas", "eps", "weight_decay")
    _static = ("amsgrad", "maximize")
    _state_names = ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable, differentiable=differentiable,
                        fused=fused)
        if type(self) is Adam:
            defaults["decoupled_weight_decay"] = decoupled_weight_decay
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        st = {
            "step": _creation.zeros((), dtype=_dtype.float32),
            "exp_avg": _creation.zeros_like(p).detach(),
            "exp_avg_sq": _creation.zeros_like(p).detach(),
        }
        if group["amsgrad"]:
            st["max_exp_avg_sq"] = _creation.zeros_like(p).detach()
        return st

    def _out_names(self, group, st):
        return tuple(n for n in self._state_names if n in st)

    def _static_of(self, group, states):
        decoupled = self._decoupled or group.get("decoupled_weight_decay", False)
        return super()._static_of(group, states) + (("decoupled", decoupled),)

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, beta1, beta2, eps, weight_decay = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            step = st["step"] + 1
            if static["decoupled"]:
                p = p * (1 - lr * weight_decay).astype(dt)
            else:
                g = g + weight_decay.astype(dt) * p
            m = st["exp_avg"] + (g - st["exp_avg"]) * (1 - beta1).astype(dt)
            v = st["exp_avg_sq"] * beta2.astype(dt) + (1 - beta2).astype(dt) * g * g
            stepf = step.astype(jnp.float64)
            bias_correction1 = 1 - beta1**stepf
            bias_correction2 = 1 - beta2**stepf
            step_size = (lr / bias_correction1).astype(dt)
            bc2_sqrt = jnp.sqrt(bias_correction2).astype(dt)
            out = {"step": step, "exp_avg": m, "exp_avg_sq": v}
            if static["amsgrad"]:
                vmax = jnp.maximum(st["max_exp_avg_sq"], v)
                out["max_exp_avg_sq"] = vmax
                denom = jnp.sqrt(vmax) / bc2_sqrt + eps.astype(dt)
            else:
                denom = jnp.sqrt(v) / bc2_sqrt + eps.astype(dt)
            new_params.append(p - step_size * m / denom)
            new_states.append(out)
        return new_params, new_states


class AdamW(Adam):
    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused)
