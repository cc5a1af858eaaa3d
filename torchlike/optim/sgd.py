"""SGD with momentum, dampening, nesterov, weight_decay, maximize (PyTorch's formulas)."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, required

__all__ = ["SGD"]


class SGD(Optimizer):
    _hyper = ("lr", "momentum", "dampening", "weight_decay")
    _static = ("nesterov", "maximize")
    _state_names = ("momentum_buffer",)
    _lazy_state = ("momentum_buffer",)

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
        foreach=None,
        differentiable=False,
        fused=None,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def _init_state(self, p, group):
        return {}  # the momentum buffer appears on the first step that uses momentum, as in PyTorch

    def _out_names(self, group, st):
        return ("momentum_buffer",) if group["momentum"] != 0 else ()

    def _static_of(self, group, states):
        return super()._static_of(group, states) + (("use_momentum", group["momentum"] != 0),)

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, momentum, dampening, weight_decay, first = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            g = jnp.where(weight_decay != 0, g + weight_decay.astype(dt) * p, g)  # (-0.0 stays)
            out = {}
            if static["use_momentum"]:
                buf = st.get("momentum_buffer")
                if buf is None:
                    buf = g
                else:  # (zeros stand in for the buffer on the first step: ``first`` is then 1)
                    buf = jnp.where(first > 0, g, buf * momentum.astype(dt) + (1 - dampening).astype(dt) * g)
                g = g + momentum.astype(dt) * buf if static["nesterov"] else buf
                out["momentum_buffer"] = buf
            new_params.append(p - lr.astype(dt) * g)
            new_states.append(out)
        return new_params, new_states
