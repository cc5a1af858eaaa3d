"""Muon: momentum, then Newton-Schulz orthogonalisation of the update (2-D parameters only)."""

from __future__ import annotations

import math

import jax.numpy as jnp

from .._ops.linalg import HIGHEST
from .._tensor import Tensor
from .optimizer import Optimizer, _lerp

__all__ = ["Muon"]

EPS = 1e-7
DEFAULT_A = 3.4445
DEFAULT_B = -4.7750
DEFAULT_C = 2.0315
DEFAULT_NS_STEPS = 5


def _addmm_bf16(x, m1, m2, beta, alpha):
    """``torch.addmm`` of bfloat16 matrices as PyTorch's CPU kernel computes it: products summed in
    float32, ``beta * x + alpha * (m1 @ m2)`` in float32, one rounding to bfloat16."""
    f32 = jnp.float32
    prod = jnp.matmul(m1.astype(f32), m2.astype(f32), precision=HIGHEST, preferred_element_type=f32)
    return (beta.astype(f32) * x.astype(f32) + alpha * prod).astype(jnp.bfloat16)


def _zeropower_via_newtonschulz(grad, coefficients, ns_steps, eps):
    """PyTorch's quintic Newton-Schulz iteration, in bfloat16 as PyTorch runs it."""
    a, b, c = coefficients
    f32 = jnp.float32
    x = grad.astype(jnp.bfloat16)
    tall = grad.shape[0] > grad.shape[1]
    if tall:
        x = x.T
    norm = jnp.sqrt(jnp.sum(jnp.square(x.astype(f32)))).astype(jnp.bfloat16)
    norm = jnp.maximum(norm.astype(f32), eps.astype(f32)).astype(jnp.bfloat16)
    x = (x.astype(f32) / norm.astype(f32)).astype(jnp.bfloat16)
    for _ in range(ns_steps):
        gram = _addmm_bf16(jnp.zeros((), jnp.bfloat16), x, x.T, jnp.float64(0), 1.0)
        gram_update = _addmm_bf16(gram, gram, gram, b, c.astype(f32))
        x = _addmm_bf16(x, gram_update, x, a, 1.0)
    return x.T if tall else x


def _adjust_ratio(adjust_lr_fn, shape) -> float:
    rows, cols = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        return math.sqrt(max(1, rows / cols))
    if adjust_lr_fn == "match_rms_adamw":
        return 0.2 * math.sqrt(max(rows, cols))
    return 1.0


class Muon(Optimizer):
    _hyper = ("lr", "weight_decay", "momentum", "ns_coefficients", "eps")
    _static = ("nesterov", "ns_steps", "adjust_lr_fn")
    _state_names = ("momentum_buffer",)

    def __init__(
        self,
        params,
        lr=1e-3,
        weight_decay=0.1,
        momentum=0.95,
        nesterov=True,
        ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C),
        eps=EPS,
        ns_steps=DEFAULT_NS_STEPS,
        adjust_lr_fn=None,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = dict(
            lr=lr,
            weight_decay=weight_decay,
            momentum=momentum,
            nesterov=nesterov,
            ns_coefficients=ns_coefficients,
            eps=eps,
            ns_steps=ns_steps,
            adjust_lr_fn=adjust_lr_fn,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(
                        f"Muon only supports 2D parameters whereas we found a parameter with size: {p.size()}"
                    )

    def _init_state(self, p, group):
        if p.is_complex():
            raise RuntimeError("Muon does not support complex parameters")
        return super()._init_state(p, group)

    def _step_group(self, group):
        # the checks PyTorch's update makes before its first parameter
        if any(p.grad is not None and p.grad.ndim != 2 for p in group["params"]):
            raise ValueError("Param gradient must be a 2D matrix")
        if any(p.grad is not None for p in group["params"]):
            if group["ns_steps"] >= 100:
                raise ValueError("Number of steps must be less than 100 for computational efficiency")
            if len(group["ns_coefficients"]) != 3:
                raise ValueError("Coefficients must be a tuple of exactly 3 values")
        return super()._step_group(group)

    @staticmethod
    def _update(params, grads, states, hyper, static):
        lr, weight_decay, momentum, a, b, c, eps = hyper
        new_params, new_states = [], []
        for p, g, st in zip(params, grads, states):
            dt = p.dtype
            buf = _lerp(st["momentum_buffer"], g, 1 - momentum)
            update = _lerp(g, buf, momentum) if static["nesterov"] else buf
            ortho = _zeropower_via_newtonschulz(update, (a, b, c), static["ns_steps"], eps)
            adjusted_lr = lr * _adjust_ratio(static["adjust_lr_fn"], p.shape)
            p = p * (1 - lr * weight_decay).astype(dt)
            new_params.append(p + (-adjusted_lr).astype(dt) * ortho.astype(dt))
            new_states.append({"momentum_buffer": buf})
        return new_params, new_states
