"""Sparse COO tensors: what a COO tensor is here, its structure, and its constructors.

A COO tensor is a Tensor whose array is its dense value (XLA has no sparse layout worth using at
tutorial sizes), plus the COO ``indices`` (sparse_dim x nnz, int64), ``values`` (nnz x dense
dims) and coalesced flag PyTorch would report. The dense value is always the scatter of the values
(``_make``), recorded under the grad_fn name PyTorch gives the op that made the tensor, so the two
never disagree and gradients reach the values (and whatever they came from) through it. Dense ops
(``mm``, ``@``, ``dense + sparse``) read the dense value and return dense tensors, as PyTorch's
do; the ops that keep the sparse layout in PyTorch are in ``_sparse_ops.py``. Index bookkeeping
(coalescing, merging, selecting) runs on the host with NumPy.
"""

from __future__ import annotations

import functools

import numpy as np

from . import _dtype
from . import _layout as L
from ._ops import sparse as K
from ._tensor import _TYPE_NAMES, Tensor

_CONSTRUCTED = "SparseCooTensorWithDimsAndTensorsBackward0"


def _as_tensor(x, dtype=None) -> Tensor:
    from ._creation import tensor

    if isinstance(x, Tensor):
        return x if dtype is None or x._dtype is dtype else x.to(dtype)
    return tensor(x, dtype=dtype)


def host_index(a: np.ndarray, device) -> Tensor:
    """An int64 index tensor from a host array."""
    return Tensor._make(np.ascontiguousarray(a, np.int64), _dtype.int64, device)


def unique_columns(idx: np.ndarray, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns of ``idx`` (sparse_dim x nnz) in index order, and for each column the
    position of its distinct column (how coalescing sums entries)."""
    nnz = idx.shape[1]
    if not shape:  # no sparse dims: every entry is the one element
        return np.zeros((0, min(nnz, 1)), np.int64), np.zeros(nnz, np.int64)
    if nnz == 0:
        return idx.reshape(len(shape), 0).astype(np.int64), np.zeros(0, np.int64)
    # sorted as columns, not as linear offsets: an index past the size stays itself, as in ATen
    unique, inverse = np.unique(idx.T, axis=0, return_inverse=True)
    return np.ascontiguousarray(unique.T, np.int64), inverse.astype(np.int64).reshape(-1)


def summed(values: Tensor, inverse: np.ndarray, n: int) -> Tensor:
    """``values`` summed into ``n`` rows, row ``inverse[k]`` receiving entry ``k``."""
    where = host_index(inverse, values._device)
    return K._sparse_sum_duplicates.frontend(values, where, nnz=n)


def _make(indices: Tensor, values: Tensor, size, coalesced: bool, grad: str = _CONSTRUCTED):
    """The COO tensor of ``indices``/``values``; its grad_fn is named ``grad``. A tensor of fewer
    than two entries is coalesced, as ATen marks it."""
    t = K._sparse_coo_dense.frontend(indices, values, size=tuple(int(s) for s in size), grad=grad)
    t.__class__ = SparseTensor
    t.__dict__["_coo"] = (indices, values, bool(coalesced) or indices.shape[1] < 2)
    return t


def _backend(t: Tensor) -> str:
    return "SparseCUDA" if t._device.type == "cuda" else "SparseCPU"


def not_on_sparse(t: Tensor, aten: str) -> NotImplementedError:
    """PyTorch's dispatcher error for an op its sparse backend does not run (its first part)."""
    return NotImplementedError(
        f"Could not run '{aten}' with arguments from the '{_backend(t)}' backend. This could be "
        "because the operator doesn't exist for this backend, or was omitted during the "
        "selective/custom build process (if using custom build). If you are a Facebook employee "
        "using PyTorch on mobile, please visit https://fburl.com/ptmfixes for possible resolutions."
    )


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
        new_idx, inverse = unique_columns(
            indices._host("coalesce()"), tuple(self.shape[: self.sparse_dim()])
        )
        values = summed(values, inverse, new_idx.shape[1])
        new_indices = host_index(new_idx, indices._device)
        return _make(new_indices, values, self.shape, True, "CoalesceBackward0")

    def to_dense(self, dtype=None, *, masked_grad=None) -> Tensor:
        dense = K._sparse_to_dense.frontend(self)
        return dense if dtype is None else dense.to(dtype)

    def to_sparse(self, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
        if sparse_dim is not None and sparse_dim != self.sparse_dim():
            raise RuntimeError(
                "to_sparse: conversion from Sparse to Sparse with sparse_dim argument !=self.sparse_dim() "
                "is not supported"
            )
        return self

    to_sparse_coo = to_sparse

    # -- copies, dtypes and devices --------------------------------------------------------------------
    def _with_values(self, values: Tensor, grad: str, indices: Tensor | None = None):
        """This tensor's entries with other values (maybe of another dtype or device)."""
        own, _, coalesced = self._coo
        indices = own if indices is None else indices
        size = tuple(self.shape[: own.shape[0]]) + tuple(values.shape[1:])
        return _make(indices, values, size, coalesced, grad)

    def to(self, *args, **kwargs):
        from ._creation import parse_to

        dtype, dev, copy = parse_to(self, *args, **kwargs)
        indices, values, _ = self._coo
        moved = dev is not None and dev != self._device
        if not moved and not copy and (dtype is None or dtype is self._dtype):
            return self
        values = values.to(dtype=dtype, device=dev, copy=copy)
        return self._with_values(values, "ToCopyBackward0", indices.to(dev) if moved else None)

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "torch.sparse." + _TYPE_NAMES[self._dtype][len("torch.") :]
        return Tensor.type(self, dtype, non_blocking)

    def clone(self, *, memory_format=None) -> SparseTensor:
        return self._with_values(self._coo[1].clone(), "CloneBackward0")

    def detach(self) -> SparseTensor:
        return self._with_values(self._coo[1].detach(), _CONSTRUCTED)

    @property
    def data(self) -> SparseTensor:
        return self.detach()

    def positive(self) -> SparseTensor:
        return self

    conj = resolve_conj = resolve_neg = __pos__ = positive

    def __reduce_ex__(self, protocol):
        from ._serialization_tensors import _rebuild_sparse_tensor

        indices, values, coalesced = self._coo
        data = (indices.detach(), values.detach(), tuple(self.shape), coalesced)
        return (_rebuild_sparse_tensor, (self.layout, data))

    def is_contiguous(self, memory_format=None) -> bool:
        return False

    def contiguous(self, memory_format=None):
        raise RuntimeError("unsupported memory format option Contiguous")

    def numpy(self, *, force: bool = False):
        raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first.")

    def tolist(self):
        raise RuntimeError("Cannot access data pointer of Tensor that doesn't have storage")

    data_ptr = tolist

    def untyped_storage(self):
        raise NotImplementedError("Cannot access storage of SparseTensorImpl")

    storage = untyped_storage

    # -- in place: a new COO tensor becomes this one ------------------------------------------------------
    def _inplace_assign(self, new) -> SparseTensor:
        if not isinstance(new, SparseTensor):
            raise RuntimeError(
                "torchlike: this in-place operation is not supported on sparse tensors"
            )
        self._check_inplace()
        self._rebind(new)
        return self

    def _rebind(self, new) -> None:
        if not isinstance(new, SparseTensor):  # a dense view of this tensor written in place
            raise RuntimeError(
                "torchlike: this in-place operation is not supported on sparse tensors"
            )
        Tensor._rebind(self, new)
        self.__dict__["_coo"] = new._coo

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


# -- constructors ---------------------------------------------------------------------------------------


def _check_indices(idx: np.ndarray, size: tuple | None) -> None:
    """ATen's invariant checks: no negative index, none past the size."""
    for d in range(idx.shape[0]):
        if idx.shape[1] and idx[d].min() < 0:
            raise RuntimeError(f"found negative index {int(idx[d].min())} for dim {d}")
    for d in range(idx.shape[0] if size is not None else 0):
        if idx.shape[1] and idx[d].max() >= size[d]:
            raise RuntimeError(
                f"size is inconsistent with indices: for dim {d}, size is {size[d]} but found index "
                f"{int(idx[d].max())}"
            )


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, pin_memory=False,
                      requires_grad=False, check_invariants=None, is_coalesced=None) -> SparseTensor:  # fmt: skip
    """A COO tensor with ``values[k]`` at ``indices[:, k]``; duplicates are kept (and add up)."""
    indices = _as_tensor(indices)
    if indices._dtype is not _dtype.int64:
        indices = indices.to(_dtype.int64)
    given, values = values, _as_tensor(values, None if dtype is None else _dtype.to_dtype(dtype))
    if device is not None:
        indices, values = indices.to(device), values.to(device)
    if size is not None:
        size = tuple(int(s) for s in size)
        sparse_dim = indices.shape[0] if indices.dim() else 0
        dense_dim = max(values.dim() - 1, 0)
        if len(size) != sparse_dim + dense_dim:
            raise RuntimeError(
                f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = {len(size)}, sparse_dim = "
                f"{sparse_dim}, dense_dim = {dense_dim}"
            )
    if indices.dim() != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(indices.shape)}")
    sparse_dim, nnz = indices.shape
    if (values.shape[0] if values.dim() else 1) != nnz:
        raise RuntimeError(
            f"indices and values must have same nnz, but got nnz from indices: {nnz}, nnz from values: "
            f"{values.shape[0] if values.dim() else 1}"
        )
    if values.dim() == 0:
        values = values.reshape(1)
    if size is None or check_invariants:
        idx = indices._host("sparse_coo_tensor")
        _check_indices(idx, size)
        if size is None:
            size = tuple(int(m) + 1 for m in idx.max(axis=1)) if nnz else (0,) * sparse_dim
            size += tuple(values.shape[1:])
    if requires_grad:
        values = values.detach()
    if isinstance(
        given, Tensor
    ):  # PyTorch's shares them; a copy keeps values and dense value in step
        values = values.clone()
    coalesced = nnz < 2 if is_coalesced is None else bool(is_coalesced)
    t = _make(indices, values, size, coalesced)
    t.__dict__["_coo"] = (indices, values, coalesced)  # is_coalesced=False holds for one entry too
    if requires_grad:
        t.requires_grad_(True)
    return t


def to_sparse(self: Tensor, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
    """The COO tensor of a dense one: its nonzero entries (over the first ``sparse_dim`` dims) in
    index order, coalesced."""
    if layout is not None and layout is not L.sparse_coo:
        raise NotImplementedError(
            f"to_sparse(layout={layout}) is not supported by torchlike (COO only)"
        )
    sd = self.dim() if sparse_dim is None else int(sparse_dim)
    if dense_dim is not None:
        sd = self.dim() - int(dense_dim)
    a = self._host("to_sparse()")
    if sd == 0:  # one entry (the whole tensor) unless it is all zeros
        indices = host_index(np.zeros((0, int((a != 0).any()))), self._device)
        values = self.unsqueeze(0)[: indices.shape[1]]
        return _make(indices, values, tuple(self.shape), True, "ToSparseBackward1")
    mask = a != 0 if sd == a.ndim else (a != 0).reshape(a.shape[:sd] + (-1,)).any(-1)
    indices = host_index(np.stack(np.nonzero(mask)).reshape(sd, -1), self._device)
    values = self[tuple(indices[i] for i in range(sd))]
    return _make(indices, values, tuple(self.shape), True, "ToSparseBackward1")


def _dense_to_dense(self, dtype=None, *, masked_grad=None):
    return self if dtype is None else self.to(dtype)


def _strided_refusal(name: str):
    kind = "sparse" if name == "values" else "sparse coordinate"  # (values: any sparse layout)

    def method(self, *args, **kwargs):
        raise RuntimeError(f"{name} expected {kind} tensor layout but got Strided")

    method.__name__ = name
    return method


def _install(namespace: dict) -> None:
    """Tensor.to_sparse & co., the ops on COO tensors, and the torch-level names
    (torch.sparse_coo_tensor, torch.spmm, torch.<op> of a COO tensor)."""
    from . import _sparse_ops

    _sparse_ops.install()
    Tensor.to_sparse = to_sparse
    Tensor.to_sparse_coo = to_sparse
    Tensor.to_dense = _dense_to_dense
    Tensor.sparse_mask = _sparse_ops.sparse_mask
    Tensor.sparse_dim = lambda self: 0
    Tensor.dense_dim = lambda self: self.dim()
    for name in ("is_coalesced", "coalesce", "indices", "values"):
        setattr(Tensor, name, _strided_refusal(name))
    namespace["sparse_coo_tensor"] = sparse_coo_tensor
    namespace["spmm"] = lambda input, mat2: input.mm(mat2)  # noqa: A006
    for name in _sparse_ops.TORCH_FUNCTIONS:
        if name in namespace:
            namespace[name] = _layout_aware(namespace[name], name)


def _layout_aware(fn, name):
    """torch.<name>(sparse, ...) as the COO tensor's method (``torch.mul(dense, sparse)`` too: a
    COO result, as PyTorch gives)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if args:
            if type(args[0]) is SparseTensor:
                return getattr(args[0], name)(*args[1:], **kwargs)
            if name == "mul" and len(args) > 1 and type(args[1]) is SparseTensor:
                return args[1].mul(args[0])
        elif type(kwargs.get("input")) is SparseTensor:
            kwargs = dict(kwargs)
            return getattr(kwargs.pop("input"), name)(**kwargs)
        return fn(*args, **kwargs)

    return wrapper
