"""The ops on COO tensors (``_sparse.py`` says what a COO tensor is here), as PyTorch's sparse
backend runs them: which entries a result keeps and in which order, whether it is coalesced, its
dtype and grad_fn name. Sums (sparse + sparse) follow ATen's merge, products ATen's intersection;
the zero-preserving pointwise functions coalesce first; products with a dense matrix are dense;
ops the sparse backend does not run raise PyTorch's errors. Installed on ``SparseTensor``.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _dtype
from ._ops import sparse as K
from ._ops.pointwise import _TYPE_NAMES as _SCALAR_NAMES
from ._sparse import SparseTensor, _make, host_index, summed, unique_columns
from ._tensor import Tensor, _wrap_dim


def _scalar(x) -> bool:
    """A number or a 0-d dense tensor: what a COO tensor's values can be scaled by."""
    if isinstance(x, Tensor):
        return type(x) is not SparseTensor and x.dim() == 0
    return isinstance(x, numbers.Number)


def _at(dense: Tensor, indices: Tensor) -> Tensor:
    """The rows of ``dense`` at COO ``indices`` (nnz x its remaining dims)."""
    if not indices.shape[0]:
        return Tensor.unsqueeze(dense, 0)
    return Tensor.__getitem__(dense, tuple(indices[d] for d in range(indices.shape[0])))


def _host(t: SparseTensor, why: str) -> np.ndarray:
    return t._coo[0]._host(why)


def _check_result_dtype(self: SparseTensor, new: Tensor, message: str) -> Tensor:
    if new._dtype is not self._dtype:
        if _dtype._category(new._dtype) > _dtype._category(self._dtype):
            src, dst = _SCALAR_NAMES[new._dtype.name], _SCALAR_NAMES[self._dtype.name]
            raise RuntimeError(message.format(src=src, dst=dst))
        new = new.to(self._dtype)
    return new


def sparse_mask(self, mask) -> SparseTensor:
    """This tensor's values at the entries of the COO tensor ``mask``."""
    if type(mask) is not SparseTensor:
        raise RuntimeError(
            "sparse_mask expects mask to be sparse COO, but got mask with layout torch.strided"
        )
    if tuple(self.shape) != tuple(mask.shape):
        raise RuntimeError(
            f"sparse_mask(): operands have incompatible sizes; self has size {list(self.shape)} but mask has size "
            f"{list(mask.shape)}"
        )
    indices, _, coalesced = mask._coo
    return _make(indices, _at(self, indices), mask.shape, coalesced, "SparseMaskBackward0")


# -- sums -------------------------------------------------------------------------------------------


def _merge(a: SparseTensor, b: SparseTensor, alpha, grad: str) -> SparseTensor:
    """ATen's sparse add: one merge pass over both entry lists as they are stored, adding entries
    whose indices compare equal (a sorted merge for coalesced inputs, PyTorch's order otherwise)."""
    ia, ib = _host(a, "add"), _host(b, "add")
    na, nb = ia.shape[1], ib.shape[1]
    pos_a, pos_b = np.empty(na, np.int64), np.empty(nb, np.int64)
    ka = [tuple(col) for col in ia.T.tolist()]
    kb = [tuple(col) for col in ib.T.tolist()]
    i = j = r = 0
    out = []
    while i < na or j < nb:
        if i >= na or j >= nb:
            cmp = -1 if i >= na else 1
        else:  # 1: a's entry comes first, -1: b's, 0: the same index
            cmp = 1 if ka[i] < kb[j] else -1 if ka[i] > kb[j] else 0
        if cmp >= 0:
            pos_a[i] = r
            out.append(ka[i])
            i += 1
        if cmp <= 0:
            pos_b[j] = r
            if cmp < 0:
                out.append(kb[j])
            j += 1
        r += 1
    indices = np.array(out, np.int64).T.reshape(ia.shape[0], r)
    va, vb = a._coo[1], b._coo[1]
    if alpha != 1:
        vb = vb * alpha
    dtype = _dtype.promote_types(va._dtype, vb._dtype)
    from ._functions import cat

    values = summed(cat([va.to(dtype), vb.to(dtype)]), np.concatenate([pos_a, pos_b]), r)
    return _make(host_index(indices, va._device), values, a.shape, a._coo[2] and b._coo[2], grad)


def add(self, other, *, alpha=1):
    if not isinstance(other, SparseTensor):
        raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) instead.")
    if tuple(self.shape) != tuple(other.shape):
        raise RuntimeError(
            f"add: expected sizes of 'self' and 'other' to match, but {list(self.shape)} != {list(other.shape)}"
        )
    return _merge(self, other, alpha, "AddBackward0")


def sub(self, other, *, alpha=1):
    if isinstance(other, SparseTensor) and tuple(self.shape) == tuple(other.shape):
        return _merge(self, other, -alpha, "SubBackward0")
    return add(self, other, alpha=-alpha)


def _radd(self, other):
    """``dense + sparse`` is dense (and reaches the COO tensor first: its class is the subclass)."""
    if isinstance(other, Tensor):
        return Tensor.add(other, self)
    return add(self, other)


def _rsub(self, other):
    if isinstance(other, Tensor):
        return Tensor.sub(other, self)
    return add(self, other)


# -- products ----------------------------------------------------------------------------------------


def mul(self, other):
    """Products keep the COO layout: by a scalar or a dense tensor, this tensor's entries scaled;
    by another COO tensor, ATen's intersection."""
    if _scalar(other):
        return self._with_values(self._coo[1] * other, "MulBackward0")
    if isinstance(other, SparseTensor):
        return _intersect(self, other)
    if not isinstance(other, Tensor):
        return NotImplemented
    from ._functions import broadcast_shapes

    if tuple(broadcast_shapes(self.shape, other.shape)) != tuple(self.shape):
        return Tensor.mul(
            self, other
        )  # PyTorch's broadcast of sparse entries over new dims: dense here
    scale = _at(Tensor.expand(other, self.shape), self._coo[0])
    return self._with_values(self._coo[1] * scale, "MulBackward0")


def _intersect(x: SparseTensor, y: SparseTensor) -> SparseTensor:
    """ATen's sparse * sparse: common entries of two coalesced tensors; otherwise the entries of
    the uncoalesced (or else smaller) one, times the other's value there."""
    sd = x.sparse_dim()
    if x.dim() != y.dim() or sd != y.sparse_dim() or x.shape[:sd] != y.shape[:sd]:
        raise RuntimeError(
            "sparse_binary_op_intersection_cpu(): expects sparse inputs with equal dimensionality, number "
            "of sparse dimensions, and shape of sparse dimensions"
        )
    if x._coo[2] and y._coo[2]:
        shape = tuple(x.shape[:sd])
        lx = (
            np.ravel_multi_index(tuple(_host(x, "mul")), shape)
            if sd
            else np.zeros(x._nnz(), np.int64)
        )
        ly = (
            np.ravel_multi_index(tuple(_host(y, "mul")), shape)
            if sd
            else np.zeros(y._nnz(), np.int64)
        )
        _, px, py = np.intersect1d(lx, ly, assume_unique=True, return_indices=True)
        px, py = host_index(px, x._device), host_index(py, x._device)
        values = x._coo[1][px] * y._coo[1][py]
        return _make(x._coo[0][:, px], values, x.shape, True, "MulBackward0")
    if x._coo[2] != y._coo[2]:
        source, other = (y, x) if x._coo[2] else (x, y)
    else:
        source, other = (y, x) if x._nnz() >= y._nnz() else (x, y)
    values = source._coo[1] * _at(other, source._coo[0])
    shape = tuple(x.shape[:sd])
    found = np.isin(*(np.ravel_multi_index(tuple(_host(t, "mul")), shape) for t in (source, other)))
    if sd and not found.all():  # ATen writes 0 where nothing matches (not value * 0, maybe -0.)
        missing = host_index(np.nonzero(~found)[0], values._device)
        values = values.index_fill(0, missing, 0)
    return source._with_values(values, "MulBackward0")


def div(self, other, *, rounding_mode=None):
    if not _scalar(other):
        shape = list(other.shape) if isinstance(other, Tensor) else []
        raise RuntimeError(
            f"Sparse division requires a scalar or zero-dim dense tensor divisor (got shape {shape} for divisor)"
        )
    if rounding_mode is None:
        return self._with_values(self._coo[1] / other, "DivBackward0")
    c = self.coalesce()
    return c._with_values(c._coo[1].div(other, rounding_mode=rounding_mode), "DivBackward2")


def _rtruediv(self, other):
    raise RuntimeError(
        f"Sparse division requires a scalar or zero-dim dense tensor divisor (got shape {list(self.shape)} for divisor)"
    )


def _floordiv(self, other):
    c = self.coalesce()
    out = div(c, other, rounding_mode="floor")
    return c._with_values(out._coo[1], "torch::autograd::NotImplemented")


def neg(self):
    return self._with_values(-self._coo[1], "NegBackward0")


def pow(self, exponent):  # noqa: A001
    if isinstance(exponent, Tensor):
        return Tensor.pow(self, exponent)
    if exponent == 0:
        raise RuntimeError(
            "pow: cannot raise to zeroth power on sparse tensor; it would make the result tensor dense"
        )
    c = self.coalesce()
    return c._with_values(c._coo[1].pow(exponent), "PowBackward0")


# zero-preserving pointwise functions: applied to the coalesced values (grad_fn as PyTorch names it)
UNARY = {
    "abs": "AbsBackward0", "relu": "ReluBackward0", "sign": "SignBackward0", "sgn": "SgnBackward0",
    "floor": "FloorBackward0", "ceil": "CeilBackward0", "round": "RoundBackward0", "trunc": "TruncBackward0",
    "frac": "FracBackward0", "square": "PowBackward0", "sqrt": "SqrtBackward0", "log1p": "Log1PBackward0",
    "expm1": "Expm1Backward0", "sin": "SinBackward0", "tan": "TanBackward0", "tanh": "TanhBackward0",
    "asin": "AsinBackward0", "atan": "AtanBackward0", "sinh": "SinhBackward0", "asinh": "AsinhBackward0",
    "atanh": "AtanhBackward0", "erf": "ErfBackward0", "erfinv": "ErfinvBackward0", "deg2rad": "Deg2RadBackward0",
    "rad2deg": "Rad2DegBackward0", "nan_to_num": "NanToNumBackward0",
}  # fmt: skip
UNARY.update(dict.fromkeys(("isnan", "isinf", "signbit", "isneginf", "isposinf"), "NoneBackward0"))


def _unary(name: str, grad: str):
    def method(self, *args, **kwargs):
        c = self.coalesce()
        return c._with_values(getattr(c._coo[1], name)(*args, **kwargs), grad)

    method.__name__ = name
    return method


def _unary_inplace(name: str):
    def method(self, *args, **kwargs):
        if not self._coo[2]:
            raise RuntimeError(f"{name}_ requires coalesced input")
        return self._inplace_assign(getattr(self, name)(*args, **kwargs))

    method.__name__ = name + "_"
    return method


# -- in place ------------------------------------------------------------------------------------------


def mul_(self, other):
    new = mul(self, other)
    msg = "dtype of values ({src}) must match dtype of sparse tensor ({dst})"
    return self._inplace_assign(_check_result_dtype(self, new, msg))


def div_(self, other, *, rounding_mode=None):
    new = div(self, other, rounding_mode=rounding_mode)
    msg = "dtype of values ({src}) must match dtype of sparse tensor ({dst})"
    return self._inplace_assign(_check_result_dtype(self, new, msg))


def add_(self, other, *, alpha=1):
    new = add(self, other, alpha=alpha)
    msg = "Can't convert result type {src} to output {dst} in add operation"
    return self._inplace_assign(_check_result_dtype(self, new, msg))


def sub_(self, other, *, alpha=1):
    return add_(self, other, alpha=-alpha)


def neg_(self):
    return self._inplace_assign(neg(self))


def zero_(self):
    indices, values, _ = self._coo
    none = host_index(np.zeros((indices.shape[0], 0), np.int64), indices._device)
    empty = values[host_index(np.zeros(0, np.int64), values._device)].detach()
    return self._inplace_assign(_make(none, empty, self.shape, True))


def copy_(self, src, non_blocking=False):
    if not isinstance(src, SparseTensor):
        raise RuntimeError(
            "copy_() between dense and sparse Tensors is not implemented! Found self type = "
            f"{self.type()} and src type = {src.type()}"
        )
    return self._inplace_assign(src.to(dtype=self._dtype, device=self._device))


# -- reductions -------------------------------------------------------------------------------------


def _sum(input, dim, keepdim: bool, dtype, grad: str):  # noqa: A002
    values = input._coo[1] if dtype is None else input._coo[1].to(dtype)
    n, sd = input.dim(), input.sparse_dim()
    dims = sorted({_wrap_dim(d, n) for d in ([dim] if isinstance(dim, int) else dim)})
    dense_dims = [d - sd + 1 for d in dims if d >= sd]
    if dense_dims:
        values = values.sum(dense_dims, keepdim=keepdim)
    keep = [d for d in range(sd) if d not in dims]
    rest = [
        1 if d in dims else int(input.shape[d]) for d in range(sd, n) if keepdim or d not in dims
    ]
    if not keep:  # every sparse dim summed: a dense result
        out = values.sum(0)
        return out.reshape([1] * sd + rest) if keepdim else out
    shape = tuple(int(input.shape[d]) for d in keep)
    new_idx, inverse = unique_columns(_host(input, "sum")[keep], shape)
    values = summed(values, inverse, new_idx.shape[1])
    if keepdim and len(keep) < sd:
        for d in range(sd):
            if d not in keep:
                new_idx = np.insert(new_idx, d, 0, axis=0)
        shape = tuple(int(input.shape[d]) if d in keep else 1 for d in range(sd))
    coalesced = not keepdim or len(keep) == sd
    return _make(host_index(new_idx, input._device), values, shape + tuple(rest), coalesced, grad)


def sum(self, dim=None, keepdim=False, dtype=None):  # noqa: A001
    if dim is None or (not isinstance(dim, int) and len(dim) == self.dim() and not keepdim):
        return self._coo[1].sum(dtype=dtype)
    return _sum(self, dim, keepdim, dtype, "SumBackward1")


def sparse_sum(input, dim=None, dtype=None):  # noqa: A002
    """torch.sparse.sum: a dense 0-d sum over everything, else a coalesced COO tensor over the
    sparse dims not summed (dense when every sparse dim is summed)."""
    if not isinstance(input, SparseTensor):
        return input.sum(dtype=dtype) if dim is None else input.sum(dim, dtype=dtype)
    if dim is None:
        return input._coo[1].sum(dtype=dtype)
    return _sum(input, dim, False, dtype, "SparseSumBackward0")


# -- matrix products ---------------------------------------------------------------------------------------


def _product_pattern(ia: np.ndarray, ib: np.ndarray, n: int) -> np.ndarray:
    """The entries of the product of COO matrices with entries ``ia`` (i, k) and ``ib`` (k, j):
    wherever a stored (i, k) meets a stored (k, j), in index order (spgemm's structure: a sum
    that cancels to 0 is still an entry)."""
    order = np.argsort(ib[0], kind="stable")
    kb, jb = ib[0][order], ib[1][order]
    start = np.searchsorted(kb, ia[1], "left")
    counts = np.searchsorted(kb, ia[1], "right") - start
    first = np.repeat(start - (np.cumsum(counts) - counts), counts)
    cols = jb[first + np.arange(int(counts.sum()))]
    linear = np.unique(np.repeat(ia[0], counts) * n + cols)
    return np.stack([linear // n, linear % n]).astype(np.int64).reshape(2, -1)


def _spgemm(a: SparseTensor, b: SparseTensor, grad: str) -> SparseTensor:
    """sparse @ sparse: a coalesced COO tensor (its values read from the dense product)."""
    dense = Tensor.mm(a, b)  # PyTorch's shape and dtype checks
    pattern = _product_pattern(_host(a, "mm"), _host(b, "mm"), int(b.shape[1]))
    indices = host_index(pattern, a._device)
    return _make(indices, _at(dense, indices), dense.shape, True, grad)


def _check_same_dtype(self, other) -> None:
    if isinstance(other, Tensor) and other._dtype is not self._dtype:
        raise RuntimeError(
            f"expected scalar type {_SCALAR_NAMES[self._dtype.name]} but found {_SCALAR_NAMES[other._dtype.name]}"
        )


def mm(self, mat2):
    _check_same_dtype(self, mat2)
    if isinstance(mat2, SparseTensor):
        return _spgemm(self, mat2, "MmBackward0")
    return Tensor.mm(self, mat2)


def matmul(self, other):
    _check_same_dtype(self, other)
    if isinstance(other, SparseTensor) and self.dim() == 2 and other.dim() == 2:
        return _spgemm(self, other, "MmBackward0")
    return Tensor.matmul(self, other)


def _rmatmul(self, other):
    return Tensor.matmul(other, self)


def sparse_mm(mat1, mat2) -> Tensor:
    """torch.sparse.mm: sparse @ dense -> dense (SparseAddmmBackward0), sparse @ sparse -> sparse
    (SparseSparseMatmulBackward0), dense @ sparse -> dense."""
    if type(mat1) is not SparseTensor:
        return Tensor.mm(mat1, mat2)
    if type(mat2) is SparseTensor:
        return _spgemm(mat1, mat2, "SparseSparseMatmulBackward0")
    return K._sparse_mm.frontend(mat1, mat2)


# -- torch.sparse.softmax ------------------------------------------------------------------------------


def softmax(input, dim, *, dtype=None, log=False):  # noqa: A002
    """torch.sparse.softmax / log_softmax: over the entries each slice along ``dim`` has (the
    missing ones count as -inf), coalesced."""
    c = input.coalesce()
    values = c._coo[1] if dtype is None else c._coo[1].to(dtype)
    if not values._dtype.is_floating_point:
        raise NotImplementedError(
            f"\"softmax\" not implemented for '{_SCALAR_NAMES[values._dtype.name]}'"
        )
    n, sd = c.dim(), c.sparse_dim()
    dim = _wrap_dim(dim, n)
    if dim >= sd:
        fn = values.log_softmax if log else values.softmax
        out = fn(dim - sd + 1)
    else:
        others = [d for d in range(sd) if d != dim]
        shape = tuple(int(c.shape[d]) for d in others)
        _, groups = unique_columns(_host(c, "softmax")[others], shape)
        n_groups = int(groups.max()) + 1 if groups.size else 0
        where = host_index(groups, values._device)
        out = K._sparse_softmax_values.frontend(values, where, n=n_groups, log=log)
    grad = "SparseLogSoftmaxBackward0" if log else "SparseSoftmaxBackward0"
    return c._with_values(out, grad)


def log_softmax(input, dim, *, dtype=None):  # noqa: A002
    return softmax(input, dim, dtype=dtype, log=True)


# -- SparseTensor's methods and the torch functions that reach them ------------------------------------------

_METHODS = {
    "add": add, "__add__": add, "__radd__": _radd, "sub": sub, "__sub__": sub, "__rsub__": _rsub,
    "mul": mul, "__mul__": mul, "__rmul__": mul, "multiply": mul, "div": div, "divide": div,
    "true_divide": div, "__truediv__": div, "__rtruediv__": _rtruediv, "__floordiv__": _floordiv,
    "floor_divide": _floordiv, "neg": neg, "__neg__": neg, "negative": neg, "pow": pow, "__pow__": pow,
    "mul_": mul_, "__imul__": mul_, "div_": div_, "__itruediv__": div_, "add_": add_, "__iadd__": add_,
    "sub_": sub_, "__isub__": sub_, "neg_": neg_, "zero_": zero_, "copy_": copy_, "sum": sum, "mm": mm,
    "matmul": matmul, "__matmul__": matmul, "__rmatmul__": _rmatmul, "__abs__": _unary("abs", "AbsBackward0"),
}  # fmt: skip

# torch.<name>(sparse, ...) runs the COO tensor's method (torchlike/_sparse.py wraps these)
TORCH_FUNCTIONS = (
    "add", "sub", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "neg", "negative",
    "pow", "sum", "t", "transpose", "permute", "clone", "detach", "select", "index_select", "unsqueeze",
    "unbind", "mm", "matmul", "exp", "log", "sigmoid", "softmax", "log_softmax", "mean", "max", "min",
    "reshape", "flatten", "narrow", "squeeze", "nonzero", "argmax", "argmin", "prod", "all", "cumsum",
    "clamp", "cos", "reciprocal", "rsqrt", *UNARY,
)  # fmt: skip


def install() -> None:
    from . import _sparse_shape

    table = dict(_METHODS)
    for name, grad in UNARY.items():
        table[name] = _unary(name, grad)
        if grad != "NoneBackward0" and hasattr(Tensor, name + "_"):
            table[name + "_"] = _unary_inplace(name)
    table.update(_sparse_shape.methods())
    for name, fn in table.items():
        setattr(SparseTensor, name, fn)
