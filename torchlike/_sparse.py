"""Sparse COO tensors: the basics tutorials use (graph convolutions, sparse adjacency matrices).

A COO tensor here is a Tensor whose array is its dense value (XLA has no sparse layout worth using
at tutorial sizes), plus the COO ``indices`` (sparse_dim x nnz, int64) and ``values``
(nnz x dense dims) it was built from. Dense ops (``mm``, ``@``, ``dense + sparse``, indexing) read
the dense value and return dense tensors, as PyTorch's do; the ops that keep the sparse layout in
PyTorch (coalesce, transpose, sparse + sparse, scalar products, ``to``, ``torch.sparse.sum``) are
methods here and keep the COO structure exactly, in PyTorch's entry order. Gradients reach the
values through the dense value. Index bookkeeping (coalescing, merging) runs on the host.
"""

from __future__ import annotations

import functools

import numpy as np

from . import _dtype
from . import _layout as L
from ._ops import sparse as K
from ._tensor import Tensor


def _as_tensor(x, dtype=None):
    from ._creation import tensor

    if isinstance(x, Tensor):
        return x if dtype is None or x._dtype is dtype else x.to(dtype)
    return tensor(x, dtype=dtype)


def _int64(x) -> Tensor:
    t = _as_tensor(x)
    return t if t._dtype is _dtype.int64 else t.to(_dtype.int64)


class SparseTensor(Tensor):
    """A COO tensor (``layout=torch.sparse_coo``). Made by ``torch.sparse_coo_tensor`` or
    ``Tensor.to_sparse()``; prints as ``torch.Tensor`` does for its type, as in PyTorch."""

    # -- structure -----------------------------------------------------------------------------------
    @property
    def layout(self):
        return L.sparse_coo

    @property
    def is_sparse(self) -> bool:
        return True

    def sparse_dim(self) -> int:
        return self._coo[0].shape[0]

    def dense_dim(self) -> int:
        return self._coo[1].dim() - 1

    def _nnz(self) -> int:
        return self._coo[0].shape[1]

    def is_coalesced(self) -> bool:
        return self._coo[2]

    def _indices(self) -> Tensor:
        return self._coo[0]

    def _values(self) -> Tensor:
        return self._coo[1]

    def indices(self) -> Tensor:
        if not self._coo[2]:
            raise RuntimeError(
                "Cannot get indices on an uncoalesced tensor, please call .coalesce() first"
            )
        return self._coo[0]

    def values(self) -> Tensor:
        if not self._coo[2]:
            raise RuntimeError(
                "Cannot get values on an uncoalesced tensor, please call .coalesce() first"
            )
        return self._coo[1]

    def coalesce(self) -> SparseTensor:
        """Entries sorted by index, duplicates summed."""
        if self._coo[2]:
            return self
        indices, values, _ = self._coo
        idx = indices._host("coalesce()")
        shape = tuple(self.shape[: idx.shape[0]])
        if idx.shape[1] == 0:
            return _make(indices, values, tuple(self.shape), True)
        linear = (
            np.ravel_multi_index(tuple(idx), shape) if shape else np.zeros(idx.shape[1], np.int64)
        )
        unique, inverse = np.unique(linear, return_inverse=True)
        new_idx = np.stack(np.unravel_index(unique, shape)).astype(np.int64).reshape(len(shape), -1)
        where = Tensor._make(inverse.astype(np.int64), _dtype.int64, values._device)
        summed = K._sparse_sum_duplicates.frontend(values, where, nnz=len(unique))
        return _make(
            Tensor._make(new_idx, _dtype.int64, indices._device), summed, tuple(self.shape), True
        )

    def to_dense(self, dtype=None, *, masked_grad=None) -> Tensor:
        dense = Tensor.clone(self)
        return dense if dtype is None else dense.to(dtype)

    # -- ops that keep the layout ----------------------------------------------------------------------
    def _with_values(self, values: Tensor) -> SparseTensor:
        indices, _, coalesced = self._coo
        return _make(
            indices,
            values,
            tuple(self.shape[: indices.shape[0]]) + tuple(values.shape[1:]),
            coalesced,
        )

    def transpose(self, dim0: int, dim1: int) -> SparseTensor:
        n = self.dim()
        d0, d1 = dim0 % n if n else 0, dim1 % n if n else 0
        sd = self.sparse_dim()
        if (d0 < sd) != (d1 < sd):
            raise RuntimeError(
                "transpose(): can't transpose a sparse and a dense dimension of a sparse tensor"
            )
        indices, values, _ = self._coo
        shape = list(self.shape)
        shape[d0], shape[d1] = shape[d1], shape[d0]
        if d0 == d1:
            return self
        if d0 < sd:
            order = list(range(sd))
            order[d0], order[d1] = order[d1], order[d0]
            return _make(indices[order], values, tuple(shape), False)
        return _make(indices, values.transpose(d0 - sd + 1, d1 - sd + 1), tuple(shape), False)

    def t(self) -> SparseTensor:
        if self.sparse_dim() > 2 or self.dense_dim() != 0:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got {self.sparse_dim()} sparse "
                f"and {self.dense_dim()} dense dimensions"
            )
        return self if self.dim() < 2 else self.transpose(0, 1)

    @property
    def T(self) -> SparseTensor:  # noqa: N802
        return self.t()

    def add(self, other, *, alpha=1):
        if not isinstance(other, SparseTensor):
            if isinstance(other, Tensor):
                raise RuntimeError(
                    "add(sparse, dense) is not supported. Use add(dense, sparse) instead."
                )
            return NotImplemented
        if tuple(self.shape) != tuple(other.shape):
            raise RuntimeError(
                f"add: expected sizes of 'self' and 'other' to match, but {list(self.shape)} != {list(other.shape)}"
            )
        return _merge(self, other, alpha)

    def __add__(self, other):
        return self.add(other)

    def sub(self, other, *, alpha=1):
        return self.add(other, alpha=-alpha)

    def __sub__(self, other):
        return self.sub(other)

    def mul(self, other):
        if isinstance(other, (int, float, bool)) or (
            isinstance(other, Tensor) and not isinstance(other, SparseTensor) and other.dim() == 0
        ):
            return self._with_values(self._coo[1] * other)
        return Tensor.mul(self, other)

    def __mul__(self, other):
        return self.mul(other)

    def __rmul__(self, other):
        return self.mul(other)

    def div(self, other):
        if isinstance(other, (int, float, bool)) or (
            isinstance(other, Tensor) and other.dim() == 0
        ):
            return self._with_values(self._coo[1] / other)
        return Tensor.div(self, other)

    def __truediv__(self, other):
        return self.div(other)

    def neg(self):
        return self._with_values(-self._coo[1])

    def __neg__(self):
        return self.neg()

    def sum(self, dim=None, keepdim=False, dtype=None):
        if dim is None:
            return self._coo[1].sum(dtype=dtype)
        return sparse_sum(self, dim, dtype=dtype)

    def to(self, *args, **kwargs):
        values = self._coo[1].to(*args, **kwargs)
        return self if values is self._coo[1] else self._with_values(values)

    def double(self):
        return self.to(_dtype.float64)

    def float(self):
        return self.to(_dtype.float32)

    def half(self):
        return self.to(_dtype.float16)

    def cpu(self):
        return self

    def clone(self, *, memory_format=None):
        return self._with_values(self._coo[1].clone())

    def detach(self):
        return self._with_values(self._coo[1].detach())

    def __repr__(self, *, tensor_contents=None):
        from ._context import state
        from ._printing import format_sparse_coo

        suffixes = []
        if self._device.type != "cpu":
            suffixes.append(f"device='{self._device}'")
        tail = []
        if self.grad_fn is not None:
            tail.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self._requires_grad:
            tail.append("requires_grad=True")
        indices, values, _ = self._coo
        return format_sparse_coo(indices._host("print"), values._host("print"), values._dtype, tuple(self.shape),
                                 suffixes, tail, default_dtype=state.default_dtype)  # fmt: skip


# type(t) prints <class 'torch.Tensor'>, as in PyTorch
SparseTensor.__module__ = "torchlike._tensor"
SparseTensor.__qualname__ = "Tensor"


def _make(indices: Tensor, values: Tensor, size: tuple, coalesced: bool) -> SparseTensor:
    t = K._sparse_coo_dense.frontend(indices, values, size=tuple(int(s) for s in size))
    t.__class__ = SparseTensor
    t.__dict__["_coo"] = (indices, values, coalesced)
    return t


def _merge(a: SparseTensor, b: SparseTensor, alpha) -> SparseTensor:
    """ATen's sparse add: one merge pass over both entry lists as they are stored, adding entries
    whose indices compare equal (a sorted merge for coalesced inputs, PyTorch's order otherwise)."""
    ia, ib = a._coo[0]._host("add"), b._coo[0]._host("add")
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
    from ._functions import cat

    where = Tensor._make(np.concatenate([pos_a, pos_b]), _dtype.int64, va._device)
    summed = K._sparse_sum_duplicates.frontend(cat([va, vb.to(va._dtype)]), where, nnz=r)
    return _make(
        Tensor._make(indices, _dtype.int64, va._device),
        summed,
        tuple(a.shape),
        a._coo[2] and b._coo[2],
    )


# -- constructors ---------------------------------------------------------------------------------------


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, pin_memory=False,
                      requires_grad=False, check_invariants=None, is_coalesced=None) -> SparseTensor:  # fmt: skip
    """A COO tensor with ``values[k]`` at ``indices[:, k]``; duplicates are kept (and add up)."""
    indices = _int64(indices)
    values = _as_tensor(values, None if dtype is None else _dtype.to_dtype(dtype))
    if device is not None:
        indices, values = indices.to(device), values.to(device)
    if indices.dim() != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(indices.shape)}")
    sparse_dim, nnz = indices.shape
    if values.dim() == 0 or values.shape[0] != nnz:
        raise RuntimeError(
            f"indices and values must have same nnz, but got nnz from indices: {nnz}, nnz from values: "
            f"{values.shape[0] if values.dim() else 0}"
        )
    dense_shape = tuple(values.shape[1:])
    if size is None:
        idx = indices._host("sparse_coo_tensor")
        size = tuple(int(m) + 1 for m in idx.max(axis=1)) if nnz else (0,) * sparse_dim
        size = size + dense_shape
    size = tuple(int(s) for s in size)
    if len(size) != sparse_dim + len(dense_shape):
        raise RuntimeError(
            f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = {len(size)}, sparse_dim = "
            f"{sparse_dim}, dense_dim = {len(dense_shape)}"
        )
    if requires_grad:
        values = values.detach()
    t = _make(indices, values, size, bool(is_coalesced))
    if requires_grad:
        t.requires_grad_(True)
    return t


def to_sparse(
    self: Tensor, sparse_dim: int | None = None, *, layout=None, blocksize=None, dense_dim=None
):
    """The COO tensor of a dense one: its nonzero entries (over the first ``sparse_dim`` dims) in
    index order, coalesced."""
    if isinstance(self, SparseTensor):
        return self
    if layout is not None and layout is not L.sparse_coo:
        raise NotImplementedError(
            f"to_sparse(layout={layout}) is not supported by torchlike (COO only)"
        )
    sd = self.dim() if sparse_dim is None else int(sparse_dim)
    if dense_dim is not None:
        sd = self.dim() - int(dense_dim)
    a = self._host("to_sparse()")
    mask = a != 0 if sd == a.ndim else (a != 0).reshape(a.shape[:sd] + (-1,)).any(-1)
    idx = np.stack(np.nonzero(mask)).astype(np.int64).reshape(sd, -1)
    indices = Tensor._make(idx, _dtype.int64, self._device)
    values = self[tuple(indices[i] for i in range(sd))] if sd else self.unsqueeze(0)
    return _make(indices, values, tuple(self.shape), True)


# -- torch.sparse functions -------------------------------------------------------------------------------


def sparse_sum(input, dim=None, dtype=None):  # noqa: A002
    """torch.sparse.sum: a dense 0-d sum over everything, else a coalesced COO tensor over the
    sparse dims not summed (dense when every sparse dim is summed)."""
    if not isinstance(input, SparseTensor):
        return input.sum() if dim is None else input.sum(dim)
    values = input._coo[1] if dtype is None else input._coo[1].to(dtype)
    if dim is None:
        return values.sum()
    dims = [dim] if isinstance(dim, int) else list(dim)
    n, sd = input.dim(), input.sparse_dim()
    dims = sorted({d % n for d in dims})
    dense_dims = [d - sd + 1 for d in dims if d >= sd]
    if dense_dims:
        values = values.sum(dense_dims)
    keep = [d for d in range(sd) if d not in dims]
    rest = [int(s) for d, s in enumerate(input.shape) if d >= sd and d not in dims]
    if not keep:
        return values.sum(0)
    idx = input._coo[0]._host("torch.sparse.sum")[keep]
    shape = tuple(int(input.shape[d]) for d in keep)
    if idx.shape[1] == 0:
        return _make(
            Tensor._make(idx, _dtype.int64, input._device), values, shape + tuple(rest), True
        )
    linear = np.ravel_multi_index(tuple(idx), shape)
    unique, inverse = np.unique(linear, return_inverse=True)
    new_idx = np.stack(np.unravel_index(unique, shape)).astype(np.int64).reshape(len(keep), -1)
    summed = K._sparse_sum_duplicates.frontend(
        values, Tensor._make(inverse.astype(np.int64), _dtype.int64, input._device), nnz=len(unique)
    )
    return _make(
        Tensor._make(new_idx, _dtype.int64, input._device), summed, shape + tuple(rest), True
    )


def sparse_mm(sparse, dense) -> Tensor:
    """torch.sparse.mm: sparse x dense -> dense (SparseAddmmBackward0), sparse x sparse -> sparse."""
    if isinstance(dense, SparseTensor):
        return to_sparse(Tensor.mm(sparse, dense))
    return K._sparse_mm.frontend(sparse, dense)


def _dense_to_dense(self, dtype=None, *, masked_grad=None):
    return self if dtype is None else self.to(dtype)


def _install(namespace: dict) -> None:
    """Tensor.to_sparse & co. and the torch-level names (torch.sparse_coo_tensor, torch.spmm)."""
    Tensor.to_sparse = to_sparse
    Tensor.to_sparse_coo = to_sparse
    Tensor.to_dense = _dense_to_dense
    namespace["sparse_coo_tensor"] = sparse_coo_tensor
    namespace["spmm"] = lambda input, mat2: input.mm(mat2)  # noqa: A006
    for name in _KEEP_LAYOUT:
        if name in namespace:
            namespace[name] = _layout_aware(namespace[name], name)


# torch.<name>(sparse, ...) that PyTorch answers with a sparse tensor: the function forms of the
# methods above (the operators and methods reach them directly)
_KEEP_LAYOUT = ("add", "sub", "mul", "div", "neg", "sum", "t", "transpose", "clone", "detach")


def _layout_aware(fn, name):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        first = args[0] if args else kwargs.get("input")
        if isinstance(first, SparseTensor):
            if not args:
                kwargs = dict(kwargs)
                del kwargs["input"]
            return getattr(first, name)(*args[1:], **kwargs)
        return fn(*args, **kwargs)

    return wrapper
