"""torch.linalg: the linear-algebra namespace, over the kernels in ``_ops/linalg.py``."""

from __future__ import annotations

from ._ops import linalg as L
from ._ops.reduction import _rt, _torch_type_name
from ._ops.registry import hashable

__all__ = [
    "vector_norm",
    "matrix_norm",
    "norm",
    "det",
    "inv",
    "solve",
    "cholesky",
    "solve_triangular",
    "qr",
    "svd",
    "svdvals",
    "eigh",
    "eigvalsh",
    "slogdet",
    "pinv",
    "matrix_power",
    "matrix_exp",
    "cross",
    "matmul",
    "multi_dot",
    "vecdot",
]


def _need_float(name, x):
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(
            f"linalg.{name}: Expected a floating point or complex tensor as input. Got {_torch_type_name(x.dtype)}"
        )


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):  # noqa: A002
    _need_float("vector_norm", x)
    return L.linalg_vector_norm.frontend(
        x, ord=ord, dim=hashable(dim), keepdim=keepdim, dtype=dtype
    )


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):  # noqa: A002, N803
    _need_float("matrix_norm", A)
    if dtype is not None:
        A = A.to(dtype)
    return L.linalg_matrix_norm.frontend(A, ord=ord, dim=tuple(dim), keepdim=keepdim)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):  # noqa: A002, N803
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or (dim is None and ord is not None and A.dim() == 2):
        return matrix_norm(
            A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype
        )
    if dim is None and ord is not None and A.dim() != 1:
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.dim()}D."
        )
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def det(A, *, out=None):  # noqa: N803
    return L.det.frontend(A)


def inv(A, *, out=None):  # noqa: N803
    return L.inverse.frontend(A)


def solve(A, B, *, left=True, out=None):  # noqa: N803
    if B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1])):
        return L.linalg_solve.frontend(A, B.unsqueeze(-1), left=left).squeeze(-1)
    return L.linalg_solve.frontend(A, B, left=left)


def cholesky(A, *, upper=False, out=None):  # noqa: N803
    return L.linalg_cholesky.frontend(A, upper=upper)


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):  # noqa: N803
    return L.linalg_solve_triangular.frontend(A, B, upper=bool(upper), left=bool(left),
                                              unitriangular=bool(unitriangular))


def qr(A, mode="reduced", *, out=None):  # noqa: N803
    return _rt("linalg_qr", ("Q", "R"))(*L.linalg_qr.frontend(A, mode=mode))


def svd(A, full_matrices=True, *, driver=None, out=None):  # noqa: N803
    return _rt("linalg_svd", ("U", "S", "Vh"))(
        *L.linalg_svd.frontend(A, full_matrices=full_matrices)
    )


def svdvals(A, *, driver=None, out=None):  # noqa: N803
    return L.linalg_svdvals.frontend(A)


def eigh(A, UPLO="L", *, out=None):  # noqa: N803
    return _rt("linalg_eigh", ("eigenvalues", "eigenvectors"))(
        *L.linalg_eigh.frontend(A, UPLO=UPLO)
    )


def eigvalsh(A, UPLO="L", *, out=None):  # noqa: N803
    return L.linalg_eigh.frontend(A, UPLO=UPLO)[0]


def slogdet(A, *, out=None):  # noqa: N803
    return _rt("linalg_slogdet", ("sign", "logabsdet"))(*L.linalg_slogdet.frontend(A))


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):  # noqa: N803
    return L.linalg_pinv.frontend(A)


def matrix_power(A, n, *, out=None):  # noqa: N803
    return L.matrix_power.frontend(A, n=int(n))


def matrix_exp(A):  # noqa: N803
    return L.matrix_exp.frontend(A)


def cross(input, other, *, dim=-1, out=None):  # noqa: A002
    return L.cross.frontend(input, other, dim=dim)


def matmul(input, other, *, out=None):  # noqa: A002
    return L.matmul.frontend(input, other)


def multi_dot(tensors, *, out=None):
    out = tensors[0]
    for t in tensors[1:]:
        out = L.matmul.frontend(out, t)
    return out


def vecdot(x, y, *, dim=-1, out=None):
    return (x.conj() * y).sum(dim)
