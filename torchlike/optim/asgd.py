"""ASGD (averaged SGD: lambd, alpha, t0; 'eta', 'mu', 'ax' state), PyTorch's formulas."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, _scalar_dtype, state_full, state_scalar

__all__ = ["ASGD"]


class ASGD(Optimizer):
    _hyper = ("lr", "lambd", "alpha", "t0", "weight_decay")
    _static = ("maximize",)
    _state_names = ("step", "eta", "mu", "ax")

    def __init__(
        self,
        params,
        lr=1e-2,
        lambd=1e-4,
        alpha=0.75,
        t0=1e6,
        weight_decay=0,
        foreach=None,
        maximize=False,
        differentiable=False,
        capturable=False,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr,
            lambd=lambd,
            alpha=alpha,
            t0=t0,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        lr = group["lr"]
        eta = (
            lr.detach().clone().to(_scalar_dtype()).reshape(())
            if isinstance(lr, Tensor)
            else state_scalar(float(lr))
        )
        return {
            "step": state_scalar(0.0),
            "eta": eta,
            "mu": state_scalar(1.0),
            "ax": state_full(p),
        }

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, lambd, alpha, t0, weight_decay = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            step = st["step"] + 1
            g = g + weight_decay.astype(dt) * p
            eta = st["eta"].astype(jnp.float64)
            p = p * (1 - lambd * eta).astype(dt)
            p = p + (-eta).astype(dt) * g
            mu = st["mu"]
            ax = jnp.where(mu != 1, st["ax"] + (p - st["ax"]) * mu.astype(dt), p)
            t = step.astype(jnp.float64)
            new_eta = (lr / (1 + lambd * lr * t) ** alpha).astype(st["eta"].dtype)
            new_mu = (1 / jnp.maximum(1.0, t - t0)).astype(mu.dtype)
            new_params.append(p)
            new_states.append({"step": step, "eta": new_eta, "mu": new_mu, "ax": ax})
        return new_params, new_states
