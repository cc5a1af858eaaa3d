"""Adam (coupled L2 weight_decay, amsgrad, maximize) and AdamW (decoupled decay), PyTorch's formulas."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, _check_lr_eps, _lerp, state_full, state_scalar

__all__ = ["Adam", "AdamW"]


def _check_betas(betas):
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")


def _check_fused(fused, foreach, differentiable):
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


class Adam(Optimizer):
    _hyper = ("lr", "betas", "eps", "weight_decay")
    _static = ("amsgrad", "maximize", "decoupled_weight_decay")
    _state_names = ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
        fused=None,
        decoupled_weight_decay=False,
    ):
        _check_lr_eps(lr, eps)
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (
            all(isinstance(b, float) for b in betas) or all(isinstance(b, Tensor) for b in betas)
        ):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def _init_state(self, p, group):
        st = {
            "step": state_scalar(0.0),
            "exp_avg": state_full(p),
            "exp_avg_sq": state_full(p),
        }
        if group["amsgrad"]:
            st["max_exp_avg_sq"] = state_full(p)
        return st

    def _static_of(self, group, states):
        return (
            ("amsgrad", bool(group["amsgrad"])),
            ("maximize", bool(group["maximize"])),
            ("decoupled", bool(group.get("decoupled_weight_decay", False))),
        )

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, beta1, beta2, eps, weight_decay = hyper
        new_params, new_states = [], []
        # the step counts and bias corrections of all parameters as vectors: a few small kernels in
        # the compiled program instead of a handful per parameter
        steps = jnp.stack([st["step"] for st in states]) + 1
        stepf = steps.astype(jnp.float64)
        step_sizes = lr / (1 - beta1**stepf)
        bc2_sqrts = jnp.sqrt(1 - beta2**stepf)
        for i, (p, g, st) in enumerate(zip(params, grads, states)):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            step = steps[i]
            if static["decoupled"]:
                p = p * (1 - lr * weight_decay).astype(dt)
            else:
                g = g + weight_decay.astype(dt) * p
            m = _lerp(st["exp_avg"], g, 1 - beta1)
            v = st["exp_avg_sq"] * beta2.astype(dt) + (1 - beta2).astype(dt) * g * g
            step_size = step_sizes[i].astype(dt)
            bc2_sqrt = bc2_sqrts[i].astype(dt)
            out = {"step": step, "exp_avg": m, "exp_avg_sq": v}
            if static["amsgrad"]:
                v = out["max_exp_avg_sq"] = jnp.maximum(st["max_exp_avg_sq"], v)
            denom = jnp.sqrt(v) / bc2_sqrt + eps.astype(dt)
            new_params.append(p - step_size * m / denom)
            new_states.append(out)
        return new_params, new_states


class AdamW(Adam):
    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        fused=None,
    ):
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
