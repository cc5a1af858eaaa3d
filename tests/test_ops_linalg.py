"""Parity sweep of matrix products and linear algebra (torch.* and torch.linalg.*) against PyTorch."""

import numpy as np
import pytest
from parity import case, parity, randint, randn, seeded

pytest.importorskip("torch")

F64 = np.float64


def _spd(n, dtype=np.float32):
    a = randn(n, n, dtype=F64)
    return (a @ a.T + n * np.eye(n)).astype(dtype)


@seeded
def _product_cases():
    return [
        case("matmul", "2d-2d", lambda torch, a, b: torch.matmul(a, b), [randn(3, 4), randn(4, 2)]),
        case("matmul", "1d-1d", lambda torch, a, b: a @ b, [randn(4), randn(4)]),
        case("matmul", "1d-2d", lambda torch, a, b: a @ b, [randn(4), randn(4, 2)]),
        case("matmul", "2d-1d", lambda torch, a, b: a.matmul(b), [randn(3, 4), randn(4)]),
        case(
            "matmul",
            "batched-broadcast",
            lambda torch, a, b: a @ b,
            [randn(2, 1, 3, 4), randn(5, 4, 2)],
        ),
        case("matmul", "batched-1d", lambda torch, a, b: a @ b, [randn(2, 3, 4), randn(4)]),
        case(
            "matmul",
            "noncontig",
            lambda torch, a, b: a @ b,
            [randn(3, 4), randn(4, 2)],
            noncontig=True,
        ),
        case(
            "matmul",
            "f64",
            lambda torch, a, b: a @ b,
            [randn(3, 4, dtype=F64), randn(4, 2, dtype=F64)],
        ),
        case(
            "matmul",
            "int64",
            lambda torch, a, b: a @ b,
            [randint(-3, 4, 2, 3), randint(-3, 4, 3, 2)],
        ),
        case("matmul", "rmatmul-noncontig-t", lambda torch, a: a @ a.t(), [randn(3, 4)]),
        case(
            "matmul",
            "shape-mismatch",
            lambda torch, a, b: a @ b,
            [randn(4, 3), randn(5, 2)],
            match=r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 5x2\)",
        ),
        case(
            "matmul",
            "0d-raises",
            lambda torch, a, b: torch.matmul(a, b),
            [np.float32(2), randn(3)],
            match="both arguments to matmul need to be at least 1D",
        ),
        case(
            "matmul",
            "1d-mismatch",
            lambda torch, a, b: a @ b,
            [randn(3), randn(4)],
            match="inconsistent tensor size",
        ),
        case(
            "matmul",
            "dtype-mismatch",
            lambda torch, a, b: a @ b,
            [randn(2, 2), randn(2, 2, dtype=F64)],
            match=r"expected m1 and m2 to have the same dtype, but got: float != double",
        ),
        case(
            "mm",
            "int-float",
            lambda torch, a, b: a.mm(b),
            [randn(2, 2), randint(0, 3, 2, 2)],
            match=r"expected m1 and m2 to have the same dtype, but got: float != long int",
        ),
        case(
            "bmm",
            "dtype-mismatch",
            lambda torch, a, b: a.bmm(b),
            [randn(1, 2, 2), randn(1, 2, 2, dtype=F64)],
            match="expected scalar type Float but found Double",
        ),
        case(
            "dot",
            "dtype-mismatch",
            lambda torch, a, b: a.dot(b),
            [randn(2), randn(2, dtype=F64)],
            match="dot : expected both vectors to have same dtype, but found Float and Double",
        ),
        case("mm", "default", lambda torch, a, b: torch.mm(a, b), [randn(3, 4), randn(4, 2)]),
        case(
            "mm",
            "method-noncontig",
            lambda torch, a, b: a.mm(b),
            [randn(3, 4), randn(4, 2)],
            noncontig=True,
        ),
        case(
            "mm",
            "mismatch",
            lambda torch, a, b: torch.mm(a, b),
            [randn(4, 3), randn(5, 2)],
            match=r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 5x2\)",
        ),
        case(
            "mm",
            "1d-raises",
            lambda torch, a, b: torch.mm(a, b),
            [randn(3), randn(3, 2)],
            match="must be a matrix",
        ),
        case(
            "bmm", "default", lambda torch, a, b: torch.bmm(a, b), [randn(2, 3, 4), randn(2, 4, 5)]
        ),
        case(
            "bmm",
            "method",
            lambda torch, a, b: a.bmm(b),
            [randn(2, 3, 4), randn(2, 4, 5)],
            noncontig=True,
        ),
        case(
            "bmm",
            "mismatch",
            lambda torch, a, b: torch.bmm(a, b),
            [randn(2, 3, 4), randn(2, 5, 5)],
            match="Expected size for first two dimensions of batch2 tensor to be",
        ),
        case(
            "bmm",
            "2d-raises",
            lambda torch, a, b: torch.bmm(a, b),
            [randn(3, 4), randn(4, 5)],
            match="3D tensor",
        ),
        case("mv", "default", lambda torch, a, b: torch.mv(a, b), [randn(3, 4), randn(4)]),
        case("mv", "method", lambda torch, a, b: a.mv(b), [randn(3, 4), randn(4)], noncontig=True),
        case("dot", "default", lambda torch, a, b: torch.dot(a, b), [randn(4), randn(4)]),
        case(
            "dot", "method-int", lambda torch, a, b: a.dot(b), [randint(0, 5, 4), randint(0, 5, 4)]
        ),
        case(
            "dot",
            "2d-raises",
            lambda torch, a, b: torch.dot(a, b),
            [randn(2, 2), randn(2, 2)],
            match="1D tensors expected",
        ),
        case("inner", "1d", lambda torch, a, b: torch.inner(a, b), [randn(4), randn(4)]),
        case("vdot", "default", lambda torch, a, b: torch.vdot(a, b), [randn(4), randn(4)]),
        case("outer", "default", lambda torch, a, b: torch.outer(a, b), [randn(3), randn(4)]),
        case(
            "outer",
            "ger-noncontig",
            lambda torch, a, b: a.ger(b),
            [randn(3), randn(4)],
            noncontig=True,
        ),
        case(
            "addmm",
            "default",
            lambda torch, c, a, b: torch.addmm(c, a, b),
            [randn(3, 2), randn(3, 4), randn(4, 2)],
        ),
        case(
            "addmm",
            "beta-alpha-broadcast",
            lambda torch, c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2),
            [randn(2), randn(3, 4), randn(4, 2)],
        ),
        case(
            "addmm",
            "inplace",
            lambda torch, c, a, b: (c * 1).addmm_(a, b),
            [randn(3, 2), randn(3, 4), randn(4, 2)],
        ),
        case(
            "addmv",
            "default",
            lambda torch, c, a, b: torch.addmv(c, a, b, alpha=2),
            [randn(3), randn(3, 4), randn(4)],
        ),
        case(
            "baddbmm",
            "default",
            lambda torch, c, a, b: torch.baddbmm(c, a, b, beta=2),
            [randn(2, 3, 5), randn(2, 3, 4), randn(2, 4, 5)],
        ),
        case(
            "baddbmm",
            "inplace",
            lambda torch, c, a, b: (c * 1).baddbmm_(a, b),
            [randn(2, 3, 5), randn(2, 3, 4), randn(2, 4, 5)],
        ),
        case(
            "addbmm",
            "default",
            lambda torch, c, a, b: torch.addbmm(c, a, b, alpha=0.5),
            [randn(3, 5), randn(2, 3, 4), randn(2, 4, 5)],
        ),
        case(
            "einsum",
            "matmul",
            lambda torch, a, b: torch.einsum("ij,jk->ik", a, b),
            [randn(3, 4), randn(4, 2)],
            ops=("einsum_k",),
        ),
        case(
            "einsum",
            "list-operands",
            lambda torch, a, b: torch.einsum("bij,bjk->bik", [a, b]),
            [randn(2, 3, 4), randn(2, 4, 2)],
            ops=("einsum_k",),
        ),
        case(
            "einsum",
            "trace-ellipsis",
            lambda torch, a: torch.einsum("...ii->...", a),
            [randn(2, 3, 3)],
            ops=("einsum_k",),
        ),
        case(
            "einsum",
            "sublist-format",
            lambda torch, a, b: torch.einsum(a, [0, 1], b, [1, 2], [0, 2]),
            [randn(3, 4), randn(4, 2)],
            ops=("einsum_k",),
        ),
        case(
            "einsum",
            "sublist-implicit-output-ellipsis",
            lambda torch, a, b: torch.einsum(a, [..., 30, 1], b, [1, 2]),
            [randn(5, 3, 4), randn(4, 2)],
            ops=("einsum_k",),
        ),
        case(
            "einsum",
            "outer-promote",
            lambda torch, a, b: torch.einsum("i,j->ij", a, b),
            [randn(3), randn(2, dtype=F64)],
            ops=("einsum_k",),
        ),
        case(
            "tensordot",
            "int-dims",
            lambda torch, a, b: torch.tensordot(a, b, 1),
            [randn(3, 4), randn(4, 2)],
            ops=("tensordot_k",),
        ),
        case(
            "tensordot",
            "list-dims",
            lambda torch, a, b: torch.tensordot(a, b, dims=([1, 0], [0, 1])),
            [randn(3, 4, 2), randn(4, 3)],
            ops=("tensordot_k",),
        ),
        case("kron", "default", lambda torch, a, b: torch.kron(a, b), [randn(2, 2), randn(2, 3)]),
        case(
            "cross", "dim", lambda torch, a, b: torch.cross(a, b, dim=1), [randn(2, 3), randn(2, 3)]
        ),
        case(
            "cross",
            "linalg",
            lambda torch, a, b: torch.linalg.cross(a, b),
            [randn(2, 3), randn(2, 3)],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _product_cases())
def test_products(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _decomposition_cases():
    a = randn(3, 3) + 3 * np.eye(3, dtype=np.float32)
    spd = _spd(3)
    tol = {"rtol": 1e-4, "atol": 1e-4}
    return [
        case("det", "default", lambda torch, a: torch.det(a), [a], **tol),
        case(
            "det",
            "batched-linalg",
            lambda torch, a: torch.linalg.det(a),
            [np.stack([a, a.T])],
            **tol,
        ),
        case("inverse", "default", lambda torch, a: torch.inverse(a), [a], **tol),
        case("inverse", "linalg-inv-f64", lambda torch, a: torch.linalg.inv(a), [a.astype(F64)]),
        case(
            "linalg_solve",
            "default",
            lambda torch, a, b: torch.linalg.solve(a, b),
            [a, randn(3, 2)],
            **tol,
        ),
        case(
            "linalg_solve",
            "right",
            lambda torch, a, b: torch.linalg.solve(a, b, left=False),
            [a, randn(2, 3)],
            **tol,
        ),
        case(
            "linalg_solve",
            "vector-rhs",
            lambda torch, a, b: torch.linalg.solve(a, b),
            [a, randn(3)],
            **tol,
        ),
        case("linalg_cholesky", "default", lambda torch, a: torch.linalg.cholesky(a), [spd], **tol),
        case(
            "linalg_cholesky",
            "upper",
            lambda torch, a: torch.linalg.cholesky(a, upper=True),
            [spd],
            **tol,
        ),
        case(
            "linalg_qr",
            "reduced",
            lambda torch, a: torch.linalg.qr(a),
            [randn(4, 3, dtype=F64)],
            grad=False,
        ),
        case(
            "linalg_eigh",
            "values",
            lambda torch, a: torch.linalg.eigh(a).eigenvalues,
            [spd.astype(F64)],
        ),
        case(
            "linalg_eigh", "eigvalsh", lambda torch, a: torch.linalg.eigvalsh(a), [spd.astype(F64)]
        ),
        case(
            "linalg_svdvals",
            "default",
            lambda torch, a: torch.linalg.svdvals(a),
            [randn(4, 3, dtype=F64)],
        ),
        case(
            "linalg_svd",
            "reconstruct",
            lambda torch, a: (lambda u, s, vh: u * s @ vh)(
                *torch.linalg.svd(a, full_matrices=False)
            ),
            [randn(4, 3, dtype=F64)],
        ),
        case("linalg_slogdet", "default", lambda torch, a: torch.linalg.slogdet(a), [a], **tol),
        case(
            "linalg_pinv",
            "default",
            lambda torch, a: torch.linalg.pinv(a),
            [randn(4, 3, dtype=F64)],
        ),
        case(
            "linalg_vector_norm",
            "default",
            lambda torch, a: torch.linalg.vector_norm(a),
            [randn(3, 4)],
        ),
        case(
            "linalg_vector_norm",
            "ord1-dim",
            lambda torch, a: torch.linalg.vector_norm(a, 1, dim=1),
            [randn(3, 4)],
        ),
        case(
            "linalg_vector_norm",
            "inf-keepdim",
            lambda torch, a: torch.linalg.vector_norm(a, float("inf"), 0, True),
            [randn(3, 4)],
        ),
        case(
            "linalg_matrix_norm",
            "fro",
            lambda torch, a: torch.linalg.matrix_norm(a),
            [randn(2, 3, 4)],
        ),
        case(
            "linalg_matrix_norm",
            "nuc",
            lambda torch, a: torch.linalg.matrix_norm(a, "nuc"),
            [randn(3, 4, dtype=F64)],
        ),
        case(
            "linalg_vector_norm",
            "linalg-norm-vector",
            lambda torch, a: torch.linalg.norm(a),
            [randn(5)],
        ),
        case(
            "linalg_matrix_norm",
            "linalg-norm-matrix",
            lambda torch, a: torch.linalg.norm(a, "fro"),
            [randn(3, 4)],
        ),
        case("matrix_power", "3", lambda torch, a: torch.matrix_power(a, 3), [randn(3, 3)], **tol),
        case(
            "matrix_power",
            "linalg-0",
            lambda torch, a: torch.linalg.matrix_power(a, 0),
            [randn(3, 3)],
        ),
        case(
            "matrix_exp",
            "default",
            lambda torch, a: torch.matrix_exp(a),
            [randn(3, 3) * 0.3],
            **tol,
        ),
        case(
            "matrix_exp",
            "linalg",
            lambda torch, a: torch.linalg.matrix_exp(a),
            [randn(3, 3, dtype=F64) * 0.3],
        ),
        case(
            "linalg_solve_triangular",
            "lower",
            lambda torch, a, b: torch.linalg.solve_triangular(a, b, upper=False),
            [np.tril(randn(3, 3)) + 3 * np.eye(3, dtype=np.float32), randn(3, 2)],
            grad=True,
            **tol,
        ),
        case(
            "linalg_solve_triangular",
            "upper-right-unit-broadcast",
            lambda torch, a, b: torch.linalg.solve_triangular(a, b, upper=True, left=False, unitriangular=True),
            [np.triu(randn(3, 3)) + 3 * np.eye(3, dtype=np.float32), randn(2, 4, 3)],
            grad=True,
            **tol,
        ),
        # rows added with the docstring-example sweep (tests/test_ops_doc_examples.py)
        case("inner", "nd", lambda torch, a, b: torch.inner(a, b), [randn(2, 3), randn(4, 2, 3)], **tol),
        case("inner", "scalar", lambda torch, a, b: a.inner(b), [randn(), randn(2, 3)]),
        case(
            "linalg_eigh",
            "reads-lower-triangle-only",
            lambda torch, a: torch.linalg.eigvalsh(a),
            [randn(3, 3, dtype=F64)],
            grad=False,
        ),
        case(
            "linalg_qr",
            "mode-r",
            lambda torch, a: torch.linalg.qr(a, mode="r"),
            [randn(4, 3, dtype=F64)],
            grad=False,
        ),
        case(
            "linalg_eig",
            "values-and-vectors",
            lambda torch, a: torch.linalg.eig(a),
            [np.diag([1.0, 2.0, 4.0]) + np.triu(randn(3, 3, dtype=F64), 1)],
            grad=False,
        ),
        case(
            "geqrf_k",
            "geqrf-and-householder-product",
            lambda torch, a: (*torch.geqrf(a), torch.linalg.householder_product(*torch.geqrf(a))),
            [randn(4, 3, dtype=F64)],
            ops=("geqrf_k", "householder_product_k"),
            grad=False,
        ),
        case(
            "linalg_svd",
            "lstsq-rank-cond",
            lambda torch, a, b: (
                *torch.linalg.lstsq(a, b, driver="gelsd"),
                torch.linalg.matrix_rank(a),
                torch.linalg.cond(a),
            ),
            [randn(5, 3, dtype=F64), randn(5, 2, dtype=F64)],
            grad=False,
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _decomposition_cases())
def test_decompositions(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _legacy_linalg_cases():
    a = randn(3, 3) + 3 * np.eye(3, dtype=np.float32)
    tol = {"rtol": 1e-4, "atol": 1e-4}
    return [
        case(
            "addr",
            "default",
            lambda torch, c, a, b: torch.addr(c, a, b, alpha=2),
            [randn(3, 4), randn(3), randn(4)],
        ),
        case("dist", "p2", lambda torch, a, b: torch.dist(a, b), [randn(3, 4), randn(4)]),
        case("dist", "p1-method", lambda torch, a, b: a.dist(b, 1), [randn(3, 4), randn(3, 4)]),
        case("logdet", "default", lambda torch, a: torch.logdet(a), [a], **tol),
        case("linalg_slogdet", "torch-slogdet", lambda torch, a: torch.slogdet(a), [a], **tol),
        case(
            "linalg_svd",
            "torch-svd",
            lambda torch, a: (lambda u, s, v: u * s @ v.mT)(*torch.svd(a)),
            [randn(4, 3, dtype=F64)],
        ),
        case(
            "linalg_pinv", "pinverse", lambda torch, a: torch.pinverse(a), [randn(4, 3, dtype=F64)]
        ),
        case(
            "linalg_cholesky",
            "torch-cholesky",
            lambda torch, a: torch.cholesky(a),
            [_spd(3)],
            **tol,
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _legacy_linalg_cases())
def test_legacy_linalg_names(fn, inputs, kw):
    parity(fn, inputs, **kw)


@pytest.mark.parametrize(
    "a, b",
    [((3, 4), (4, 5)), ((3, 4), (4,)), ((4,), (4, 3)), ((4,), (4,)), ((2, 3, 4), (2, 4, 5)), ((3, 4), (2, 4, 5))],
)
def test_matmul_grad_fn_is_named_as_pytorch_names_it(a, b):
    import torch

    import torchlike as tl

    names = []
    for lib in (torch, tl):
        x = lib.ones(*a, requires_grad=True)
        names.append(type((x @ lib.ones(*b)).grad_fn).__name__)
    assert names[0] == names[1]
