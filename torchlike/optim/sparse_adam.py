"""SparseAdam: accepted with PyTorch's argument checks; stepping raises, since torchlike has no
sparse gradients (sparse tensors are a documented non-goal) and PyTorch's SparseAdam refuses
dense ones."""

from __future__ import annotations

from .._tensor import Tensor
from .adam import _check_betas
from .optimizer import Optimizer

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, maximize=maximize))
        complex_params = [
            [i, j]
            for i, g in enumerate(self.param_groups)
            for j, p in enumerate(g["params"])
            if p.is_complex()
        ]
        if complex_params:
            raise ValueError(
                f"Complex params at indices {complex_params}: SparseAdam does not support complex parameters"
            )

    def step(self, closure=None):
        loss = None
        if closure is not None:
            from ..autograd.grad_mode import enable_grad

            with enable_grad():
                loss = closure()
        if any(p._grad is not None for g in self.param_groups for p in g["params"]):
            raise RuntimeError(
                "SparseAdam does not support dense gradients, please consider Adam instead "
                "(torchlike has no sparse gradients: nn.Embedding(sparse=True) produces dense ones)"
            )
        return loss
