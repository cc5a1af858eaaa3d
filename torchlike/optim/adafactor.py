"""Adafactor (PyTorch's variant: lr caps the relative step size and scales decoupled weight decay;
eps1 stabilises the variance estimate and the update rather than the factored moments)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .. import _creation
from .._context import state as _state
from .._engine.graph import Scalar
from .._tensor import Tensor
from .optimizer import Optimizer, _lerp, _scalar_dtype

__all__ = ["Adafactor"]


def _norm(x):
    """``x.norm(2)`` in x's dtype, as a float64 scalar (PyTorch reads it with ``.item()``)."""
    return jnp.sqrt(jnp.sum(x * x)).astype(jnp.float64)


def _rsqrt_clamped(v, floor):
    """``v.clamp(min=floor).rsqrt()``. A floor below the dtype's smallest normal number (eps1 tiny)
    is a subnormal in PyTorch, but XLA:CPU flushes subnormals to zero, so that case takes
    1/sqrt(floor) from float64."""
    dt = v.dtype
    floor_dt = floor.astype(dt)
    small = floor < jnp.finfo(dt).tiny
    inv_floor = jnp.where(small, (1 / jnp.sqrt(floor)).astype(dt), 1 / jnp.sqrt(floor_dt))
    return jnp.where(small & ~(v > floor_dt), inv_floor, 1 / jnp.sqrt(jnp.maximum(v, floor_dt)))


class Adafactor(Optimizer):
    _hyper = ("lr", "beta2_decay", "d", "weight_decay")  # and eps, see _hyper_values
    _static = ("maximize",)
    _state_names = ("step", "row_var", "col_var", "variance")

    def __init__(
        self,
        params,
        lr=1e-2,
        beta2_decay=-0.8,
        eps=(None, 1e-3),
        d=1.0,
        weight_decay=0.0,
        *,
        foreach=None,
        maximize=False,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(
            lr=lr,
            beta2_decay=beta2_decay,
            eps=eps,
            d=d,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            for p in group["params"]:
                st = self.state.get(p, {})
                if st and not isinstance(st["step"], Tensor):
                    st["step"] = _creation.tensor(float(st["step"]), dtype=_scalar_dtype())

    def _init_state(self, p, group):
        if p.is_complex():
            raise RuntimeError("Adafactor does not support complex parameters")
        st = {"step": _creation.tensor(0.0, dtype=_scalar_dtype())}
        if p.dim() > 1:
            st["row_var"] = _creation.zeros(*p.shape[:-1], 1, dtype=p.dtype, device=p.device)
            st["col_var"] = _creation.zeros(*p.shape[:-2], 1, p.shape[-1], dtype=p.dtype, device=p.device)
        else:
            st["variance"] = _creation.zeros_like(p).detach()
        return st

    def _static_of(self, group, states):
        return (("maximize", bool(group["maximize"])), ("eps1_default", group["eps"][0] is None))

    def _hyper_values(self, group):
        vals = super()._hyper_values(group)
        cap = _state.capture
        for j, x in enumerate(group["eps"]):
            if x is None:  # eps1 defaults to the parameters' machine epsilon (a static choice)
                x = 0.0
            elif cap is not None:
                x = cap.hyper(float(x), group, "eps", j)
            vals.append(Scalar(float(x), np.dtype(np.float64)))
        return vals

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, beta2_decay, d, weight_decay, eps1, eps2 = hyper
        if static["eps1_default"]:
            # as PyTorch's loop: the first parameter's dtype decides it for the whole group
            eps1 = jnp.float64(jnp.finfo(params[0].dtype).eps)
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            if static["maximize"]:
                g = -g
            step = st["step"] + 1
            stepf = step.astype(jnp.float64)
            one_minus_beta2 = stepf**beta2_decay
            rho = jnp.minimum(lr, 1 / stepf**0.5)
            numel = max(p.size, 1)
            alpha = jnp.maximum(eps2, _norm(p) / numel**0.5) * rho
            p = p * (1 - lr * weight_decay).astype(dt)
            out = {"step": step}
            if g.ndim > 1:
                row_mean = jnp.square(jnp.sqrt(jnp.sum(g * g, axis=-1, keepdims=True))) / g.shape[-1]
                row_var = out["row_var"] = _lerp(st["row_var"], row_mean, one_minus_beta2)
                col_mean = jnp.square(jnp.sqrt(jnp.sum(g * g, axis=-2, keepdims=True))) / g.shape[-2]
                col_var = out["col_var"] = _lerp(st["col_var"], col_mean, one_minus_beta2)
                # row_var @ col_var is an outer product (inner size 1): the broadcast product is exact
                var_estimate = row_var * col_var
                var_estimate = var_estimate / jnp.maximum(
                    jnp.mean(row_var, axis=-2, keepdims=True), eps1.astype(dt)
                )
            else:
                var_estimate = out["variance"] = _lerp(st["variance"], g * g, one_minus_beta2)
            update = _rsqrt_clamped(var_estimate, eps1 * eps1) * g
            denom = jnp.maximum(1.0, _norm(update) / (numel**0.5 * d))
            new_params.append(p + (-alpha / denom).astype(dt) * update)
            new_states.append(out)
        return new_params, new_states
