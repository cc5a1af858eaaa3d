"""torch.linalg: the linear-algebra namespace, over the kernels in ``_ops/linalg.py``."""

from __future__ import annotations

from ._ops import linalg as L
from ._ops.reduction import _rt, _torch_type_name
from ._ops.registry import accepts_out, hashable

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
    "cholesky_ex",
    "inv_ex",
    "solve_ex",
    "lu_factor",
    "lu_factor_ex",
    "lu",
    "lu_solve",
    "eig",
    "eigvals",
    "lstsq",
    "matrix_rank",
    "cond",
    "tensorinv",
    "tensorsolve",
    "householder_product",
    "ldl_factor",
    "ldl_factor_ex",
    "ldl_solve",
]


def _need_float(name, x):
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(
            f"linalg.{name}: Expected a floating point or complex tensor as input. Got {_torch_type_name(x.dtype)}"
        )


@accepts_out
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):  # noqa: A002
    _need_float("vector_norm", x)
    return L.linalg_vector_norm.frontend(
        x, ord=ord, dim=hashable(dim), keepdim=keepdim, dtype=dtype
    )


@accepts_out
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):  # noqa: A002, N803
    _need_float("matrix_norm", A)
    if dtype is not None:
        A = A.to(dtype)
    return L.linalg_matrix_norm.frontend(A, ord=ord, dim=tuple(dim), keepdim=keepdim)


@accepts_out
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


@accepts_out
def det(A, *, out=None):  # noqa: N803
    return L.det.frontend(A)


@accepts_out
def inv(A, *, out=None):  # noqa: N803
    return L.inverse.frontend(A)


@accepts_out
def solve(A, B, *, left=True, out=None):  # noqa: N803
    if B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1])):
        return L.linalg_solve.frontend(A, B.unsqueeze(-1), left=left).squeeze(-1)
    return L.linalg_solve.frontend(A, B, left=left)


@accepts_out
def cholesky(A, *, upper=False, out=None):  # noqa: N803
    return L.linalg_cholesky.frontend(A, upper=upper)


@accepts_out
def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):  # noqa: N803
    return L.linalg_solve_triangular.frontend(A, B, upper=bool(upper), left=bool(left),
                                              unitriangular=bool(unitriangular))


@accepts_out
def qr(A, mode="reduced", *, out=None):  # noqa: N803
    return _rt("linalg_qr", ("Q", "R"))(*L.linalg_qr.frontend(A, mode=mode))


@accepts_out
def svd(A, full_matrices=True, *, driver=None, out=None):  # noqa: N803
    return _rt("linalg_svd", ("U", "S", "Vh"))(
        *L.linalg_svd.frontend(A, full_matrices=full_matrices)
    )


@accepts_out
def svdvals(A, *, driver=None, out=None):  # noqa: N803
    return L.linalg_svdvals.frontend(A)


@accepts_out
def eigh(A, UPLO="L", *, out=None):  # noqa: N803
    return _rt("linalg_eigh", ("eigenvalues", "eigenvectors"))(
        *L.linalg_eigh.frontend(A, UPLO=UPLO)
    )


@accepts_out
def eigvalsh(A, UPLO="L", *, out=None):  # noqa: N803
    return L.linalg_eigh.frontend(A, UPLO=UPLO)[0]


@accepts_out
def slogdet(A, *, out=None):  # noqa: N803
    return _rt("linalg_slogdet", ("sign", "logabsdet"))(*L.linalg_slogdet.frontend(A))


@accepts_out
def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):  # noqa: N803
    return L.linalg_pinv.frontend(A)


@accepts_out
def matrix_power(A, n, *, out=None):  # noqa: N803
    return L.matrix_power.frontend(A, n=int(n))


def matrix_exp(A):  # noqa: N803
    return L.matrix_exp.frontend(A)


@accepts_out
def cross(input, other, *, dim=-1, out=None):  # noqa: A002
    return L.cross.frontend(input, other, dim=dim)


@accepts_out
def matmul(input, other, *, out=None):  # noqa: A002
    return L.matmul.frontend(input, other)


def multi_dot(tensors, *, out=None):
    out = tensors[0]
    for t in tensors[1:]:
        out = L.matmul.frontend(out, t)
    return out


@accepts_out
def vecdot(x, y, *, dim=-1, out=None):
    return (x.conj() * y).sum(dim)


# -- factorisations with an info tensor, LU, eig, least squares, rank, condition number --------------


def _info(A, failed):  # noqa: N803
    """LAPACK's int32 info per matrix: 0 where the factorisation succeeded."""
    return failed.to(_int32()) if failed is not None else _zeros_info(A)


def _int32():
    from . import int32

    return int32


def _zeros_info(A):  # noqa: N803
    from . import zeros

    return zeros(tuple(A.shape[:-2]), dtype=_int32(), device=A.device)


def _not_finite(X):  # noqa: N803
    return (~X.isfinite()).flatten(-2).any(-1)


@accepts_out
def cholesky_ex(A, *, upper=False, check_errors=False, out=None):  # noqa: N803
    L_ = cholesky(A, upper=upper)
    # (info: 1 for a matrix that is not positive definite; LAPACK names the failing minor)
    info = _not_finite(L_).to(_int32())
    if check_errors and bool(info.any()):
        raise RuntimeError("linalg.cholesky: The factorization could not be completed because the input is not positive-definite.")
    return _rt("linalg_cholesky_ex", ("L", "info"))(L_, info)


@accepts_out
def inv_ex(A, *, check_errors=False, out=None):  # noqa: N803
    Ainv = inv(A)
    return _rt("linalg_inv_ex", ("inverse", "info"))(Ainv, _not_finite(Ainv).to(_int32()))


@accepts_out
def solve_ex(A, B, *, left=True, check_errors=False, out=None):  # noqa: N803
    X = solve(A, B, left=left)
    return _rt("linalg_solve_ex", ("result", "info"))(X, _zeros_info(A) if A.dim() == 2 and B.dim() == 1 else _not_finite(A.inverse()).to(_int32()))


@accepts_out
def lu_factor(A, *, pivot=True, out=None):  # noqa: N803
    from ._ops.lu import lu_factor_k

    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    return _rt("linalg_lu_factor", ("LU", "pivots"))(*lu_factor_k.frontend(A))


@accepts_out
def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):  # noqa: N803
    LU, pivots = lu_factor(A, pivot=pivot)
    info = _zeros_info(A)
    return _rt("linalg_lu_factor_ex", ("LU", "pivots", "info"))(LU, pivots, info)


@accepts_out
def lu(A, *, pivot=True, out=None):  # noqa: N803
    from ._linalg_legacy import lu_unpack

    LU, pivots = lu_factor(A, pivot=pivot)
    return _rt("linalg_lu", ("P", "L", "U"))(*lu_unpack(LU, pivots))


@accepts_out
def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):  # noqa: N803
    from ._linalg_legacy import lu_unpack

    P, L_, U = lu_unpack(LU, pivots)
    if not left:  # X A = B  <=>  A^H X^H = B^H
        return lu_solve(LU, pivots, B.mH, left=True, adjoint=not adjoint).mH
    if adjoint:  # A^H X = B with A = P L U:  X = P L^-H U^-H B
        y = solve_triangular(U.mH, B, upper=False)
        return P @ solve_triangular(L_.mH, y, upper=True, unitriangular=True)
    y = solve_triangular(L_, P.mT.to(B.dtype) @ B, upper=False, unitriangular=True)
    return solve_triangular(U, y, upper=True)


@accepts_out
def eig(A, *, out=None):  # noqa: N803
    return _rt("linalg_eig", ("eigenvalues", "eigenvectors"))(*L.linalg_eig.frontend(A))


@accepts_out
def eigvals(A, *, out=None):  # noqa: N803
    return L.linalg_eig.frontend(A)[0]


def _eps(dtype):
    from . import finfo

    return finfo(dtype.to_real() if dtype.is_complex else dtype).eps


def _rank_tol(S, m, n, atol, rtol, dtype):  # noqa: N803
    """matrix_rank's and lstsq's threshold: max(atol, rtol * largest singular value)."""
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else _eps(dtype) * max(m, n)
    smax = S.amax(-1, keepdim=True) if S.shape[-1] else S.sum(-1, keepdim=True)
    tol = smax * rtol
    if atol is not None:
        tol = tol.clamp(min=atol)
    return tol


@accepts_out
def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):  # noqa: N803
    S = eigvalsh(A).abs() if hermitian else svdvals(A)
    tol = _rank_tol(S, A.shape[-2], A.shape[-1], atol, rtol, A.dtype)
    return (S > tol).sum(-1)


@accepts_out
def lstsq(A, B, rcond=None, *, driver=None, out=None):  # noqa: N803
    """The minimum-norm least-squares solution (from the SVD, as gelsd/gelsy give it), with the
    fields each LAPACK driver fills: rank (not gels), residuals (not gelsy: only where m > n and
    A has full rank), singular values (gelsd, gelss)."""
    from . import empty

    driver = driver or "gelsy"
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    m, n = A.shape[-2], A.shape[-1]
    vector = B.dim() == A.dim() - 1
    if vector:
        B = B.unsqueeze(-1)
    U, S, Vh = svd(A, full_matrices=False)
    tol = _rank_tol(S, m, n, None, rcond if rcond is not None and rcond > 0 else None, A.dtype)
    keep = S > tol
    s_inv = (1 / S.where(keep, S.new_ones(()))).where(keep, S.new_zeros(()))
    X = Vh.mH @ ((s_inv.unsqueeze(-1).to(A.dtype)) * (U.mH @ B))
    rank = keep.sum(-1)
    real = S.dtype
    none = empty(0, dtype=real, device=A.device)
    residuals = none
    if driver != "gelsy" and m > n and bool((rank == n).all()):
        residuals = (A @ X - B).abs().pow(2).sum(-2)
    if vector:
        X = X.squeeze(-1)
    sv = S if driver in ("gelsd", "gelss") else none
    rank = rank if driver != "gels" else empty(0, dtype=rank.dtype, device=A.device)
    return _rt("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))(X, residuals, rank, sv)


@accepts_out
def cond(A, p=None, *, out=None):  # noqa: N803
    if p is None or p in (2, -2):
        S = svdvals(A)
        return S[..., 0] / S[..., -1] if p != -2 else S[..., -1] / S[..., 0]
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


@accepts_out
def tensorinv(A, ind=2, *, out=None):  # noqa: N803
    import math

    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    out_shape, in_shape = tuple(A.shape[:ind]), tuple(A.shape[ind:])
    rows = math.prod(out_shape)
    if rows != math.prod(in_shape):
        raise RuntimeError(
            f"Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), "
            f"but got {math.prod(in_shape)} != {rows}"
        )
    return inv(A.reshape(rows, rows)).reshape(in_shape + out_shape)


@accepts_out
def tensorsolve(A, B, dims=None, *, out=None):  # noqa: N803
    import math

    if dims is not None:
        dims = [d % A.dim() for d in dims]
        A = A.permute([d for d in range(A.dim()) if d not in dims] + dims)
    rest = tuple(A.shape[B.dim():])
    n = math.prod(rest)
    return solve(A.reshape(B.numel(), n), B.reshape(-1)).reshape(rest)


@accepts_out
def householder_product(A, tau, *, out=None):  # noqa: N803
    return L.householder_product_k.frontend(A, tau)


def _no_ldl(name):
    def fn(*args, **kwargs):
        raise NotImplementedError(
            f"torch.linalg.{name} (LAPACK's Bunch-Kaufman LDL^T sytrf/sytrs) is not supported by torchlike"
        )

    fn.__name__ = name
    return fn


ldl_factor = _no_ldl("ldl_factor")
ldl_factor_ex = _no_ldl("ldl_factor_ex")
ldl_solve = _no_ldl("ldl_solve")
