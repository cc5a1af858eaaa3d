"""Shape and indexing ops on COO tensors (``_sparse.py`` says what a COO tensor is here), and
PyTorch's errors for the ones its sparse backend does not run. Transposes and permutations
reorder index rows, selections filter entries on the host; results are COO tensors flagged
coalesced as PyTorch flags them. Installed on ``SparseTensor`` by ``_sparse_ops.install``."""

from __future__ import annotations

import numbers

import numpy as np

from ._sparse import SparseTensor, _make, host_index, not_on_sparse
from ._tensor import Tensor, _wrap_dim


def _host(t: SparseTensor, why: str) -> np.ndarray:
    return t._coo[0]._host(why)


def transpose(self, dim0: int, dim1: int, *, grad: str = "TransposeBackward0"):
    n = self.dim()
    d0, d1 = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    sd = self.sparse_dim()
    if (d0 < sd) != (d1 < sd):
        raise RuntimeError(
            "transpose(): can't transpose a sparse and a dense dimension of a sparse tensor"
        )
    if d0 == d1:
        return self
    indices, values, _ = self._coo
    shape = list(self.shape)
    shape[d0], shape[d1] = shape[d1], shape[d0]
    if d0 < sd:
        order = list(range(sd))
        order[d0], order[d1] = order[d1], order[d0]
        return _make(indices[order], values, shape, False, grad)
    values = values.transpose(d0 - sd + 1, d1 - sd + 1)
    return _make(indices, values, shape, self._coo[2], grad)


def t(self):
    if self.sparse_dim() > 2 or self.dense_dim() != 0:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got {self.sparse_dim()} sparse "
            f"and {self.dense_dim()} dense dimensions"
        )
    return self if self.dim() < 2 else transpose(self, 0, 1, grad="TBackward0")


def t_(self):
    t(self)  # its checks
    return self._inplace_assign(
        self if self.dim() < 2 else transpose(self, 0, 1, grad="TBackward1")
    )


def permute(self, *dims):
    dims = dims[0] if len(dims) == 1 and not isinstance(dims[0], numbers.Integral) else dims
    n, sd = self.dim(), self.sparse_dim()
    dims = [_wrap_dim(d, n) for d in dims]
    if sorted(dims) != list(range(n)):
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = "
                           f"{n} is not equal to len(dims) = {len(dims)}")  # fmt: skip
    if any(d >= sd for d in dims[:sd]):
        raise RuntimeError(
            "permute(sparse_coo): transpositions between sparse and dense dimensions are not allowed. Only "
            "transpositions within sparse and within dense dimensions are allowed."
        )
    if dims == list(range(n)):
        return self
    indices, values, _ = self._coo
    values = values.permute(0, *[d - sd + 1 for d in dims[sd:]])
    shape = [self.shape[d] for d in dims]
    return _make(indices[dims[:sd]], values, shape, False, "PermuteBackward0")


def _numpy_t(self):
    return permute(self, list(range(self.dim()))[::-1])


def _matrix_t(self):
    return transpose(self, -2, -1)


def unsqueeze(self, dim: int):
    n, sd = self.dim(), self.sparse_dim()
    dim = _wrap_dim(dim, n + 1)
    indices, values, coalesced = self._coo
    shape = list(self.shape)
    shape.insert(dim, 1)
    if dim > sd:
        return _make(
            indices, values.unsqueeze(dim - sd + 1), shape, coalesced, "UnsqueezeBackward0"
        )
    idx = np.insert(_host(self, "unsqueeze"), dim, 0, axis=0)
    return _make(host_index(idx, indices._device), values, shape, False, "UnsqueezeBackward0")


def _check_index(self, dim: int, index: int, op: str) -> int:
    size = int(self.shape[dim])
    if not -size <= index < size:
        raise IndexError(
            f"{op}(): index {index} out of range for tensor of size {list(self.shape)} at dimension {dim}"
        )
    return index % size


def select(self, dim: int, index: int):
    n, sd = self.dim(), self.sparse_dim()
    dim = _wrap_dim(dim, n)
    index = _check_index(self, dim, int(index), "select")
    indices, values, coalesced = self._coo
    shape = [s for d, s in enumerate(self.shape) if d != dim]
    if dim >= sd:
        return _make(
            indices, values.select(dim - sd + 1, index), shape, coalesced, "SelectBackward0"
        )
    idx = _host(self, "select")
    keep = np.nonzero(idx[dim] == index)[0]
    if sd == 1:  # no sparse dim left: PyTorch returns the dense sum of the entries there
        return values[host_index(keep, values._device)].sum(0)
    new_idx = host_index(np.delete(idx[:, keep], dim, axis=0), indices._device)
    values = values[host_index(keep, values._device)]
    return _make(new_idx, values, shape, False, "SelectBackward0")


def unbind(self, dim: int = 0):
    return tuple(select(self, dim, i) for i in range(int(self.shape[_wrap_dim(dim, self.dim())])))


def index_select(self, dim: int, index):
    n, sd = self.dim(), self.sparse_dim()
    dim = _wrap_dim(dim, n)
    indices, values, coalesced = self._coo
    picks = index._host("index_select") if isinstance(index, Tensor) else np.asarray(index)
    picks = picks.reshape(-1).astype(np.int64)
    shape = list(self.shape)
    shape[dim] = len(picks)
    if dim >= sd:
        return _make(indices, values.index_select(dim - sd + 1, index), shape, coalesced,
                     "IndexSelectBackward0")  # fmt: skip
    idx = _host(self, "index_select")
    rows = [np.nonzero(idx[dim] == p % self.shape[dim])[0] for p in picks]
    take = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    new_idx = idx[:, take]
    new_idx[dim] = np.repeat(np.arange(len(picks)), [len(r) for r in rows])
    values = values[host_index(take, values._device)]
    return _make(host_index(new_idx, indices._device), values, shape, False, "IndexSelectBackward0")


def getitem(self, key):
    """``s[i]``, ``s[:, j]``: selections; PyTorch's sparse backend slices nothing else."""
    key = key if isinstance(key, tuple) else (key,)
    out, dim = self, 0
    for k in key:
        if isinstance(k, slice) and k == slice(None):
            dim += 1
        elif isinstance(k, numbers.Integral) and not isinstance(k, bool):
            out = select(out, dim, k)
        elif isinstance(k, Tensor) and k.dim() == 0 and not k.is_floating_point():
            out = select(out, dim, int(k))
        elif isinstance(k, (Tensor, list, np.ndarray)):
            raise not_on_sparse(self, "aten::index.Tensor")
        else:
            raise not_on_sparse(self, "aten::as_strided")
    return out


# -- what PyTorch's sparse backend does not run --------------------------------------------------------------

# method -> the ATen op PyTorch names in its error (a callable picks the overload from the arguments)
_OVERLOADED = lambda base: (
    lambda self, other=None, *a, **k: (  # noqa: E731
        f"aten::{base}.Tensor" if isinstance(other, Tensor) else f"aten::{base}.Scalar"
    )
)
_REDUCING = lambda base: (
    lambda self, dim=None, *a, **k: (  # noqa: E731
        f"aten::{base}" if dim is None else f"aten::{base}.dim"
    )
)
UNSUPPORTED = {
    "view": "aten::view", "view_as": "aten::view", "unflatten": "aten::view", "narrow": "aten::as_strided",
    "squeeze": "aten::as_strided", "split": "aten::as_strided", "chunk": "aten::as_strided",
    "diagonal": "aten::as_strided", "as_strided": "aten::as_strided", "exp": "aten::exp", "exp2": "aten::exp2",
    "log": "aten::log", "log2": "aten::log2", "log10": "aten::log10", "sigmoid": "aten::sigmoid",
    "cos": "aten::cos", "cosh": "aten::cosh", "acos": "aten::acos", "reciprocal": "aten::reciprocal",
    "rsqrt": "aten::rsqrt", "angle": "aten::angle", "i0": "aten::i0", "clamp": "aten::clamp",
    "clip": "aten::clamp", "roll": "aten::roll", "flip": "aten::flip", "cumsum": "aten::cumsum",
    "cumprod": "aten::cumprod", "sort": "aten::sort.stable", "argsort": "aten::sort.stable", "topk": "aten::topk",
    "masked_select": "aten::masked_select", "gather": "aten::gather", "take": "aten::take",
    "where": "aten::where.self", "mean": "aten::mean.dim", "std": "aten::std.correction",
    "var": "aten::var.correction", "prod": "aten::prod", "all": "aten::all", "amax": "aten::amax",
    "amin": "aten::amin", "argmax": "aten::argmax", "argmin": "aten::argmin", "median": "aten::median",
    "logsumexp": "aten::logsumexp.out", "kthvalue": "aten::kthvalue.values", "nonzero": "aten::nonzero",
    "count_nonzero": "aten::count_nonzero.dim_IntList", "equal": "aten::equal", "softmax": "aten::_softmax",
    "log_softmax": "aten::_log_softmax", "fill_": "aten::fill_.Scalar", "uniform_": "aten::uniform_",
    "normal_": "aten::normal_", "bernoulli_": "aten::bernoulli_.float", "max": _REDUCING("max"),
    "min": _REDUCING("min"), "eq": _OVERLOADED("eq"), "ne": _OVERLOADED("ne"), "lt": _OVERLOADED("lt"),
    "le": _OVERLOADED("le"), "gt": _OVERLOADED("gt"), "ge": _OVERLOADED("ge"), "__eq__": _OVERLOADED("eq"),
    "__ne__": _OVERLOADED("ne"), "__lt__": _OVERLOADED("lt"), "__le__": _OVERLOADED("le"),
    "__gt__": _OVERLOADED("gt"), "__ge__": _OVERLOADED("ge"), "isclose": "aten::eq.Tensor",
    "allclose": "aten::eq.Tensor",
}  # fmt: skip
# RuntimeErrors PyTorch raises before dispatching
REFUSED = {
    "reshape": "reshape is not implemented for sparse tensors",
    "flatten": "reshape is not implemented for sparse tensors",
    "expand": "expand is unsupported for Sparse tensors",
    "expand_as": "expand is unsupported for Sparse tensors",
    "repeat": "expand is unsupported for Sparse tensors",
    "tile": "expand is unsupported for Sparse tensors",
}


def _unsupported(name: str, aten):
    def method(self, *args, **kwargs):
        raise not_on_sparse(self, aten(self, *args, **kwargs) if callable(aten) else aten)

    method.__name__ = name
    return method


def _refused(name: str, message: str):
    def method(self, *args, **kwargs):
        raise RuntimeError(message)

    method.__name__ = name
    return method


def methods() -> dict:
    """The shape, indexing and refusing methods of SparseTensor."""
    out = {name: _unsupported(name, aten) for name, aten in UNSUPPORTED.items()}
    out.update({name: _refused(name, message) for name, message in REFUSED.items()})
    out.update(transpose=transpose, t=t, t_=t_, permute=permute, unsqueeze=unsqueeze, select=select,
               unbind=unbind, index_select=index_select, __getitem__=getitem)  # fmt: skip
    out.update(T=property(_numpy_t), mT=property(_matrix_t), H=property(_numpy_t))
    return out
