"""parameters_to_vector / vector_to_parameters."""

from __future__ import annotations

from ..._functions import cat
from ...autograd.grad_mode import no_grad


def parameters_to_vector(parameters):
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    from ..._tensor import Tensor

    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for p in parameters:
        n = p.numel()
        with no_grad():
            p.data = vec[pointer : pointer + n].view_as(p).clone()
        pointer += n
