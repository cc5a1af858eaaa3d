"""The pre-``torch.linalg`` functions PyTorch keeps (qr, lu, lu_unpack, lu_solve,
triangular_solve, cholesky_solve, cholesky_inverse, nuclear_norm, frobenius_norm), written with
torch.linalg ops, and the removed ones (solve, symeig, eig, lstsq, matrix_rank) raising
PyTorch's error."""

from __future__ import annotations

from ._ops.reduction import _rt
from ._ops.registry import accepts_out

_REMOVED_PREFIX = "This function was deprecated since version 1.9 and is now removed."
_REMOVED = {
    "solve": (
        " `torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments "
        "reversed and does not return the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which can "
        "be used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced "
        "with:\nX = torch.linalg.solve(A, B)"
    ),
    "symeig": (
        " The default behavior has changed from using the upper triangular portion of the matrix by default to "
        "using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\n"
        "L = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, "
        "eigenvectors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')"
    ),
    "eig": (
        " `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than real tensors "
        "mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = "
        "torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:\n"
        "L_complex, V_complex = torch.linalg.eig(A)"
    ),
    "lstsq": (
        " `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed "
        "arguments and does not return the QR decomposition in the returned tuple (although it returns other "
        "information about the problem).\n\nTo get the QR decomposition consider using `torch.linalg.qr`.\n\nThe "
        "returned solution in `torch.lstsq` stored the residuals of the solution in the last m - n columns of the "
        "returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the "
        "returned named tuple.\n\nThe unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution"
        "[:A.size(1)]\nshould be replaced with:\nX = torch.linalg.lstsq(A, B).solution"
    ),
    "matrix_rank": (
        "\nPlease use the `torch.linalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in "
        "`torch.linalg.matrix_rank()` to 'hermitian'."
    ),
}


def _removed(name: str):
    def fn(*args, **kwargs):
        raise RuntimeError(_REMOVED_PREFIX + _REMOVED[name])

    fn.__name__ = name
    return fn


REMOVED = {name: _removed(name) for name in _REMOVED}


@accepts_out
def qr(input, some: bool = True, *, out=None):  # noqa: A002
    from . import linalg
    from ._spectral import _warn_once

    _warn_once(
        "qr",
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
        "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
        "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
    )

    q, r = linalg.qr(input, mode="reduced" if some else "complete")
    return _rt("qr", ("Q", "R"))(q, r)


@accepts_out
def triangular_solve(b, A, upper: bool = True, transpose: bool = False, unitriangular: bool = False, *, out=None):  # noqa: N803
    from . import linalg

    coeff = A.mT if transpose else A
    x = linalg.solve_triangular(coeff, b, upper=upper != transpose, unitriangular=unitriangular)
    return _rt("triangular_solve", ("solution", "cloned_coefficient"))(x, A.clone())


@accepts_out
def cholesky_solve(B, L, upper: bool = False, *, out=None):  # noqa: N803
    """Solve ``A X = B`` for ``A = L L^H`` (``U^H U`` when ``upper``) given the Cholesky factor."""
    from . import linalg

    if upper:
        y = linalg.solve_triangular(L.mH, B, upper=False)
        return linalg.solve_triangular(L, y, upper=True)
    y = linalg.solve_triangular(L, B, upper=False)
    return linalg.solve_triangular(L.mH, y, upper=True)


@accepts_out
def cholesky_inverse(L, upper: bool = False, *, out=None):  # noqa: N803
    import torchlike

    eye = torchlike.eye(L.shape[-1], dtype=L.dtype, device=L.device).expand(L.shape)
    return cholesky_solve(eye, L, upper=upper)


@accepts_out
def lu(A, pivot: bool = True, get_infos: bool = False, out=None):  # noqa: N803
    """``(LU, pivots[, infos])``: the packed factors and LAPACK's 1-based int32 pivots."""
    import torchlike

    from ._ops.lu import lu_factor_k
    from ._spectral import _warn_once

    _warn_once(
        "lu",
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed "
        "in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\n"
        "LU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, "
        "compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = "
        "torch.linalg.lu_factor_ex(A, compute_pivots)",
    )
    if not pivot:
        raise RuntimeError("LU without pivoting is not implemented on the CPU")
    packed, pivots = lu_factor_k.frontend(A)
    if get_infos:
        return packed, pivots, torchlike.zeros(A.shape[:-2], dtype=torchlike.int32)
    return packed, pivots


@accepts_out
def lu_unpack(LU_data, LU_pivots, unpack_data: bool = True, unpack_pivots: bool = True, *, out=None):  # noqa: N803
    import torchlike

    from ._ops.lu import lu_permutation_k

    m, n = LU_data.shape[-2], LU_data.shape[-1]
    k = min(m, n)
    if unpack_data:
        eye = torchlike.eye(m, k, dtype=LU_data.dtype, device=LU_data.device)
        L = LU_data[..., :, :k].tril(-1) + eye
        U = LU_data[..., :k, :].triu()
    else:
        L = U = torchlike.empty(0, dtype=LU_data.dtype)
    if unpack_pivots:
        P = lu_permutation_k.frontend(LU_pivots, m=m).to(LU_data.dtype)
    else:
        P = torchlike.empty(0, dtype=LU_data.dtype)
    return _rt("lu_unpack", ("P", "L", "U"))(P, L, U)


@accepts_out
def lu_solve(b, LU_data, LU_pivots, *, out=None):  # noqa: N803
    from . import linalg

    P, L, U = lu_unpack(LU_data, LU_pivots)
    y = linalg.solve_triangular(L, P.mT @ b, upper=False, unitriangular=True)
    return linalg.solve_triangular(U, y, upper=True)


@accepts_out
def nuclear_norm(input, dim=None, keepdim: bool = False, *, out=None, dtype=None):  # noqa: A002
    from . import linalg

    return linalg.matrix_norm(input, "nuc", dim=(-2, -1) if dim is None else dim, keepdim=keepdim)


@accepts_out
def frobenius_norm(input, dim, keepdim: bool = False, *, out=None):  # noqa: A002
    from . import linalg

    return linalg.vector_norm(input, 2, dim=dim, keepdim=keepdim)
