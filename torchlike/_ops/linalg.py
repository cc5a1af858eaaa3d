"""Matrix products and linear algebra. Products run at full fp32 precision (torch's default:
no TF32), unless torch.backends.cuda.matmul.allow_tf32 / set_float32_matmul_precision say otherwise."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from .registry import op

HIGHEST = jax.lax.Precision.HIGHEST


def _shape_str(s):
    return "x".join(map(str, s))


_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "int16": "short int",
            "int8": "signed char", "uint8": "unsigned char", "bool": "bool", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _same_dtype(x, other):
    # torch's products do not promote: mixing float32 and float64 operands is an error
    if x.dtype != other.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_C_NAMES.get(str(x.dtype), x.dtype)} != "
            f"{_C_NAMES.get(str(other.dtype), other.dtype)}"
        )


# promote="same" with no promoted arguments: no implicit casts (torch raises), autocast still applies
def _matmul_node(args, attrs):
    """The grad_fn PyTorch's matmul leaves: it dispatches on the operands' dimensions."""
    a, b = args[0], args[1]
    if not (hasattr(a, "_data") and hasattr(b, "_data")):
        return None
    na, nb = len(a._data.shape), len(b._data.shape)
    if na <= 2 and nb <= 2:
        return {(2, 2): None, (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4", (1, 1): "DotBackward0"}.get((na, nb))
    return "CloneBackward0" if na == 2 else "UnsafeViewBackward0"


def _type_name(dtype):
    from .pointwise import _TYPE_NAMES

    return _TYPE_NAMES[str(dtype)]


def _broadcast_batch(a, b):
    """The broadcast of two batch shapes, with torch's error for sizes that do not match."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i, (p, q) in enumerate(zip(a, b)):
        if p != q and p != 1 and q != 1:
            raise RuntimeError(
                f"The size of tensor a ({p}) must match the size of tensor b ({q}) at non-singleton dimension {i}"
            )
    return tuple(max(p, q) for p, q in zip(a, b))


def _check_matmul(x, other):
    """torch.matmul's errors, in the order its dispatch meets them: 1-d x 1-d is a dot, a vector
    on the right an mv of the folded left operand, a matrix on the right (and a left operand that
    is not batched the other way) an mm of it, anything else a broadcast bmm."""
    na, nb = x.ndim, other.ndim
    if na == 0 or nb == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    k = x.shape[-1]
    if na == 1 and nb == 1:
        if x.dtype != other.dtype:
            raise RuntimeError(
                f"dot : expected both vectors to have same dtype, but found {_type_name(x.dtype)} and "
                f"{_type_name(other.dtype)}"
            )
        if k != other.shape[0]:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{k}] and src [{other.shape[0]}] to have "
                f"the same number of elements, but got {k} and {other.shape[0]} elements respectively"
            )
        return
    rows = math.prod(x.shape[:-1])
    if nb == 1:
        if k != other.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec ({other.shape[0]})")
        if x.dtype != other.dtype:
            vec = _type_name(other.dtype)
            raise RuntimeError(
                f"addmv input tensors must have the same dtype, but got {vec}, {_type_name(x.dtype)}, and {vec}"
            )
        return
    if nb == 2:
        if k != other.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {_shape_str(other.shape)})"
            )
        _same_dtype(x, other)
        return
    batch = _broadcast_batch(x.shape[:-2], other.shape[:-2])
    n_batch = math.prod(batch)
    if k != other.shape[-2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{n_batch}, {k}] but got: "
            f"[{n_batch}, {other.shape[-2]}]."
        )
    if x.dtype != other.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(x.dtype)} but found {_type_name(other.dtype)}")


@op("matmul", method=True, dunder=("__matmul__",), rdunder=("__rmatmul__",), promote="same", promote_args=(),
    grad_name="MmBackward0", grad_name_of=_matmul_node)
def matmul(x, other, *, precision=HIGHEST):
    _check_matmul(x, other)
    return jnp.matmul(x, other, precision=precision)


@op("mm", method=True, promote="same", promote_args=(), grad_name="MmBackward0")
def mm(x, mat2, *, precision=HIGHEST):
    if x.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(x, mat2, precision=precision)


@op("bmm", method=True, promote="same", promote_args=(), grad_name="BmmBackward0")
def bmm(x, mat2, *, precision=HIGHEST):
    if x.dtype != mat2.dtype:
        from .pointwise import _TYPE_NAMES

        raise RuntimeError(f"expected scalar type {_TYPE_NAMES[str(x.dtype)]} but found {_TYPE_NAMES[str(mat2.dtype)]}")
    if x.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if x.shape[0] != mat2.shape[0] or x.shape[2] != mat2.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{x.shape[0]}, {x.shape[2]}] "
            f"but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    return jnp.matmul(x, mat2, precision=precision)


@op("mv", method=True, promote="same", promote_args=(), grad_name="MvBackward0")
def mv(x, vec, *, precision=HIGHEST):
    if x.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {x.ndim}, {vec.ndim}")
    _check_matmul(x, vec)
    return jnp.matmul(x, vec, precision=precision)


@op("dot", method=True, promote="same", promote_args=(), grad_name="DotBackward0")
def dot(x, other, *, precision=HIGHEST):
    if x.dtype != other.dtype:
        from .pointwise import _TYPE_NAMES

        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {_TYPE_NAMES[str(x.dtype)]} and "
            f"{_TYPE_NAMES[str(other.dtype)]}"
        )
    if x.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {other.ndim}D tensors")
    _check_matmul(x, other)
    return jnp.dot(x, other, precision=precision)


@op("inner", method=True, promote="same", grad_name="ViewBackward0")
def inner(x, other, *, precision=HIGHEST):
    if x.ndim == 0 or other.ndim == 0:
        return x * other
    if x.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(x.shape)} and {list(other.shape)}"
        )
    return jnp.tensordot(x, other, axes=([-1], [-1]), precision=precision)


@op("vdot", method=True, promote="same")
def vdot(x, other, *, precision=HIGHEST):
    return jnp.vdot(x, other, precision=precision)


@op("outer", method=True, promote="same", grad_name="OuterBackward0", aliases=("ger",))
def outer(x, vec2):
    for name, v in (("self", x), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return jnp.outer(x, vec2)


@op("addmm", method=True, inplace="addmm_", promote="same", grad_name="AddmmBackward0")
def addmm(x, mat1, mat2, *, beta=1, alpha=1, precision=HIGHEST):
    prod = jnp.matmul(mat1, mat2, precision=precision)
    return (beta * x if beta != 1 else x) + (alpha * prod if alpha != 1 else prod)


@op("addmv", method=True, promote="same")
def addmv(x, mat, vec, *, beta=1, alpha=1, precision=HIGHEST):
    return beta * x + alpha * jnp.matmul(mat, vec, precision=precision)


@op("baddbmm", method=True, inplace="baddbmm_", promote="same")
def baddbmm(x, batch1, batch2, *, beta=1, alpha=1, precision=HIGHEST):
    return beta * x + alpha * jnp.matmul(batch1, batch2, precision=precision)


@op("addbmm", method=True, promote="same")
def addbmm(x, batch1, batch2, *, beta=1, alpha=1, precision=HIGHEST):
    return beta * x + alpha * jnp.sum(jnp.matmul(batch1, batch2, precision=precision), 0)


@op("einsum_k", function=False, promote="list", promote_args=("operands",), grad_name="EinsumBackward0")
def einsum_k(operands, *, equation, precision=HIGHEST):
    return jnp.einsum(equation, *operands, precision=precision)


@op("tensordot_k", function=False, promote="same")
def tensordot_k(a, b, *, dims, precision=HIGHEST):
    return jnp.tensordot(a, b, axes=dims, precision=precision)


@op("kron", method=True, promote="same")
def kron(x, other):
    return jnp.kron(x, other)


@op("cross", method=True, promote="same")
def cross(x, other, *, dim=None):
    if dim is None:
        dim = next(i for i, s in enumerate(x.shape) if s == 3)
    return jnp.cross(x, other, axis=dim)


@op("det", method=True, aliases=("linalg_det",))
def det(x):
    return jnp.linalg.det(x)


@op("inverse", method=True, aliases=("linalg_inv",))
def inverse(x):
    return jnp.linalg.inv(x)


@op("linalg_solve")
def linalg_solve(a, b, *, left=True):
    if not left:  # X A = B
        return jnp.swapaxes(jnp.linalg.solve(jnp.swapaxes(a, -1, -2), jnp.swapaxes(b, -1, -2)), -1, -2)
    return jnp.linalg.solve(a, b)


@op("linalg_qr")
def linalg_qr(a, *, mode="reduced"):
    if mode == "r":  # (Q is returned empty)
        return jnp.zeros((0,), a.dtype), jnp.linalg.qr(a, mode="r")
    return tuple(jnp.linalg.qr(a, mode=mode))


@op("linalg_eig", differentiable=False)
def linalg_eig(a):
    """LAPACK geev's eigenvalues and unit eigenvectors, complex (torch.linalg.eig)."""
    w, v = jnp.linalg.eig(a)
    return w, v


@op("geqrf_k", function=False, differentiable=False)
def geqrf_k(a):
    from jax._src.lax import linalg as lax_linalg  # (LAPACK geqrf: not re-exported by jax.lax)

    return tuple(lax_linalg.geqrf(a))


@op("householder_product_k", function=False, differentiable=False)
def householder_product_k(a, tau):
    return jax.lax.linalg.householder_product(a, tau)


def _install_householder():
    from .registry import FUNCTIONS, METHODS, accepts_out

    def geqrf(input, *, out=None):  # noqa: A002
        from .reduction import _rt

        return _rt("geqrf", ("a", "tau"))(*geqrf_k.frontend(input))

    def orgqr(input, tau):  # noqa: A002
        return householder_product_k.frontend(input, tau)

    FUNCTIONS["geqrf"] = METHODS["geqrf"] = accepts_out(geqrf)
    FUNCTIONS["orgqr"] = METHODS["orgqr"] = orgqr


_install_householder()


@op("linalg_svd")
def linalg_svd(a, *, full_matrices=True):
    return tuple(jnp.linalg.svd(a, full_matrices=full_matrices))


@op("linalg_svdvals")
def linalg_svdvals(a):
    return jnp.linalg.svd(a, compute_uv=False)


@op("linalg_eigh")
def linalg_eigh(a, *, UPLO="L"):
    # only the UPLO triangle is read, as LAPACK's syevd/heevd (no symmetrising of the input)
    return tuple(jnp.linalg.eigh(a, UPLO=UPLO, symmetrize_input=False))


@op("linalg_cholesky")
def linalg_cholesky(a, *, upper=False):
    lo = jnp.linalg.cholesky(a)
    return jnp.swapaxes(lo, -1, -2).conj() if upper else lo


@op("linalg_solve_triangular")
def linalg_solve_triangular(a, b, *, upper, left=True, unitriangular=False):
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    b = jnp.broadcast_to(b, batch + b.shape[-2:])
    return jax.lax.linalg.triangular_solve(a, b, left_side=left, lower=not upper, transpose_a=False,
                                           unit_diagonal=unitriangular)


@op("linalg_slogdet")
def linalg_slogdet(a):
    return tuple(jnp.linalg.slogdet(a))


@op("linalg_pinv")
def linalg_pinv(a):
    return jnp.linalg.pinv(a)


def _matrix_norm_node(args, attrs):
    """The node PyTorch's composite matrix_norm ends in: a vector norm (fro), a sum of singular
    values (nuc) or the max/min of singular values or column/row sums (permuted back for
    keepdim where it went through svdvals)."""
    kw = dict(attrs)
    order = kw.get("ord", "fro")
    if order == "fro":
        return "LinalgVectorNormBackward0"
    if kw.get("keepdim") and order in ("nuc", 2, -2):
        return "PermuteBackward0"
    if order == "nuc":
        return "SumBackward1"
    return "AmaxBackward0" if order > 0 else "AminBackward0"


@op("linalg_matrix_norm", grad_name_of=_matrix_norm_node)
def linalg_matrix_norm(a, *, ord="fro", dim=(-2, -1), keepdim=False):
    return jnp.linalg.norm(a, ord=ord, axis=dim, keepdims=keepdim)


@op("linalg_vector_norm")
def linalg_vector_norm(a, *, ord=2, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        a = a.astype(dtype.np)
    if dim is None:
        a = a.reshape(-1)
        dim = 0
    from .reduction import norm_p

    return norm_p(a, p=ord, dim=dim, keepdim=keepdim)


@op("matrix_power", method=True)
def matrix_power(a, *, n):
    return jnp.linalg.matrix_power(a, n)


@op("matrix_exp", method=True)
def matrix_exp(a):
    return jax.scipy.linalg.expm(a)
