"""RMSprop (alpha, eps after the square root, centered, momentum, weight_decay, maximize)."""

from __future__ import annotations

import jax.numpy as jnp

from .optimizer import Optimizer, _check_lr_eps, _lerp, state_full, state_scalar

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    _hyper = ("lr", "alpha", "eps", "weight_decay", "momentum")
    _state_names = ("step", "square_avg", "momentum_buffer", "grad_avg")

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0,
        momentum=0,
        centered=False,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        _check_lr_eps(lr, eps)
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        st = {
            "step": state_scalar(0.0),
            "square_avg": state_full(p),
        }
        if group["momentum"] > 0:
            st["momentum_buffer"] = state_full(p)
        if group["centered"]:
            st["grad_avg"] = state_full(p)
        return st

    def _static_of(self, group, states):
        return (
            ("maximize", bool(group["maximize"])),
            ("centered", bool(group["centered"])),
            ("use_momentum", group["momentum"] > 0),
        )

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, alpha, eps, weight_decay, momentum = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            g = g + weight_decay.astype(dt) * p
            out = {"step": st["step"] + 1}
            sq = out["square_avg"] = (
                st["square_avg"] * alpha.astype(dt) + (1 - alpha).astype(dt) * g * g
            )
            if static["centered"]:
                ga = out["grad_avg"] = _lerp(st["grad_avg"], g, 1 - alpha)
                avg = jnp.sqrt(sq - ga * ga)
            else:
                avg = jnp.sqrt(sq)
            avg = avg + eps.astype(dt)
            if static["use_momentum"]:
                buf = out["momentum_buffer"] = st["momentum_buffer"] * momentum.astype(dt) + g / avg
                p = p + (-lr).astype(dt) * buf
            else:
                p = p + (-lr).astype(dt) * g / avg
            new_params.append(p)
            new_states.append(out)
        return new_params, new_states
