"""Helpers shared by the distribution families (torch.distributions.utils)."""

from __future__ import annotations

import functools
from numbers import Number

import torchlike as torch
import torchlike.nn.functional as F

__all__ = [
    "broadcast_all",
    "clamp_probs",
    "lazy_property",
    "logits_to_probs",
    "probs_to_logits",
    "euler_constant",
    "tril_matrix_to_vec",
    "vec_to_tril_matrix",
]

euler_constant = 0.57721566490153286060  # Euler-Mascheroni constant


def broadcast_all(*values):
    """Broadcast tensors and numbers together; numbers take the dtype of the first tensor (or the
    default dtype)."""
    if not all(isinstance(v, (torch.Tensor, Number)) for v in values):
        raise ValueError(
            "Input arguments must all be instances of Number, torch.Tensor or objects implementing "
            "__torch_function__."
        )
    ref = next((v for v in values if isinstance(v, torch.Tensor)), None)
    dtype = ref.dtype if ref is not None else torch.get_default_dtype()
    values = [v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=dtype) for v in values]
    shape = torch.broadcast_shapes(*(v.shape for v in values))
    # a tensor already of the broadcast shape comes back itself, as from ATen's expand_outplace
    return tuple(v if v.shape == shape else v.expand(tuple(shape)) for v in values)


def _standard_normal(shape, dtype, device):
    return torch.randn(tuple(shape), dtype=dtype, device=device)


def _standard_gamma(alpha):
    """torch._standard_gamma: Gamma(alpha, 1) draws, differentiable in alpha (implicit
    reparameterisation)."""
    from .. import _random_host as H
    from .._ops.random import _standard_gamma as kernel
    from .._ops.random import standard_gamma_drawn
    from ..random import host_rng, next_key

    mt = host_rng(None, alpha.device)
    if mt is not None:  # PyTorch's CPU draws
        drawn = H.standard_gamma(mt, alpha._host("_standard_gamma"))
        return standard_gamma_drawn.frontend(alpha, torch.from_numpy(drawn))
    seed, counter = next_key()
    return kernel.frontend(seed, counter, alpha)


def _sample_dirichlet(concentration):
    """Dirichlet draws: on the CPU PyTorch's (Gamma draws in double, normalised, cast, clamped
    into (0, 1)); the gradient in concentration is that of the normalised Gamma draws."""
    import numpy as np

    from .. import _random_host as H
    from .._ops.random import standard_gamma_drawn
    from ..random import host_rng

    mt = host_rng(None, concentration.device)
    if mt is None:
        gammas = _standard_gamma(concentration)
        gammas = gammas.clamp(min=torch.finfo(gammas.dtype).tiny)
        return gammas / gammas.sum(-1, keepdim=True)
    alpha = concentration._host("_sample_dirichlet")
    gammas = H.standard_gamma(mt, alpha.astype(np.float64))
    dt = alpha.dtype
    exact = (gammas / gammas.sum(-1, keepdims=True)).astype(dt)
    exact = torch.from_numpy(
        np.clip(exact, np.finfo(dt).tiny, np.nextafter(dt.type(1), dt.type(0)))
    )
    if not (concentration.requires_grad and torch.is_grad_enabled()):
        return exact
    g = standard_gamma_drawn.frontend(concentration, torch.from_numpy(gammas))
    x = g / g.sum(-1, keepdim=True)
    return x - x.detach() + exact  # PyTorch's values, the normalised draws' gradient


def _sum_rightmost(value, dim: int):
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:-dim]) + (-1,)).sum(-1)


def logits_to_probs(logits, is_binary: bool = False):
    return torch.sigmoid(logits) if is_binary else F.softmax(logits, dim=-1)


def clamp_probs(probs):
    eps = torch.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary: bool = False):
    ps = clamp_probs(probs)
    return torch.log(ps) - torch.log1p(-ps) if is_binary else torch.log(ps)


class lazy_property:
    """Computed on first access, then stored on the instance (``probs`` from ``logits`` and back)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        functools.update_wrapper(self, wrapped)

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with torch.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


def tril_matrix_to_vec(mat, diag: int = 0):
    """The entries on and below diagonal ``diag`` of the trailing square matrices, row by row."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    rows, cols = torch.tril_indices(n, n, offset=diag)
    return mat[..., rows, cols]


def vec_to_tril_matrix(vec, diag: int = 0):
    """Inverse of ``tril_matrix_to_vec``: zeros above diagonal ``diag``."""
    # the matrix size n solves n(n+1)/2 + n*diag - correction = len(vec)
    n = (
        -(1 + 2 * diag)
        + ((1 + 2 * diag) ** 2 + 8 * vec.shape[-1] + 4 * abs(diag) * (diag + 1)) ** 0.5
    ) / 2
    eps = torch.finfo(vec.dtype).eps
    if round(n) - n > eps:
        raise ValueError(
            f"The size of last dimension is {vec.shape[-1]} which cannot be expressed as "
            "the lower triangular part of a square D x D matrix."
        )
    n = round(n)
    mat = vec.new_zeros(tuple(vec.shape[:-1]) + (n, n))
    rows, cols = torch.tril_indices(n, n, offset=diag)
    mat[..., rows, cols] = vec
    return mat
