"""Rprop (etas, step_sizes; 'prev' and 'step_size' state), PyTorch's formulas.

PyTorch rewrites the sign tensor with boolean-mask assignments; here the same three cases
are ``jnp.where`` selections, so the update stays one shape-static program.
"""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, state_full, state_scalar

__all__ = ["Rprop"]


class Rprop(Optimizer):
    _hyper = ("etas", "step_sizes")  # lr only seeds each parameter's step_size
    _static = ("maximize",)
    _state_names = ("step", "prev", "step_size")

    def __init__(
        self,
        params,
        lr=1e-2,
        etas=(0.5, 1.2),
        step_sizes=(1e-6, 50),
        *,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(
            lr=lr,
            etas=etas,
            step_sizes=step_sizes,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        lr = group["lr"]
        lr = lr.item() if isinstance(lr, Tensor) else lr
        return {
            "step": state_scalar(0.0),
            "prev": state_full(p),
            "step_size": state_full(p, lr),
        }

    @staticmethod
    def _update(params, grads, states, hyper, static):
        etaminus, etaplus, step_size_min, step_size_max = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            etaminus_ = etaminus.astype(dt)
            sign = jnp.sign(g * st["prev"])
            factor = jnp.where(
                sign > 0, etaplus.astype(dt), jnp.where(sign < 0, etaminus_, jnp.ones((), dt))
            )
            step_size = jnp.clip(
                st["step_size"] * factor, step_size_min.astype(dt), step_size_max.astype(dt)
            )
            g = jnp.where(factor == etaminus_, jnp.zeros((), dt), g)
            new_params.append(p - jnp.sign(g) * step_size)
            new_states.append({"step": st["step"] + 1, "prev": g, "step_size": step_size})
        return new_params, new_states
