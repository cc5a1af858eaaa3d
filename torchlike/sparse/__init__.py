"""torch.sparse: functions on COO tensors (see torchlike/_sparse.py for what a COO tensor is here)."""

from __future__ import annotations

from .._sparse_ops import log_softmax, softmax
from .._sparse_ops import sparse_mm as mm
from .._sparse_ops import sparse_sum as sum  # noqa: A004

__all__ = ["addmm", "log_softmax", "mm", "softmax", "sum"]


def addmm(mat, mat1, mat2, *, beta=1.0, alpha=1.0):
    """``beta * mat + alpha * (mat1 @ mat2)`` for a sparse ``mat1``."""
    return mat * beta + mm(mat1, mat2) * alpha
