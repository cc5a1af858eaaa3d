"""Debug mode (eager) bounds checks: XLA clamps out-of-range indices silently, so in eager mode
(``torchlike.set_eager(True)`` / ``TORCHLIKE_EAGER=1``) the indexing ops check their indices on the
host first and raise PyTorch's IndexError/RuntimeError."""

from __future__ import annotations

import numpy as np

from ._tensor import Tensor


def _host(t):
    return np.asarray(t._host("debug bounds check"))


def _check(idx, size, what, allow_negative=True):
    if idx.size == 0:
        return
    lo, hi = int(idx.min()), int(idx.max())
    bad = hi if hi >= size else lo if (lo < -size or (lo < 0 and not allow_negative)) else None
    if bad is not None:
        raise IndexError(f"index {bad} is out of bounds for {what} with size {size}")


def check_index(x, indices, spec):
    from ._ops.views import decode_index  # noqa: F401  (spec layout)

    dim = 0
    for it in spec:
        if type(it) is tuple and it and it[0] == "tensor":
            t = indices[it[1]]
            if isinstance(t, Tensor):
                _check(_host(t), x.shape[dim], f"dimension {dim}")
            dim += 1
        elif it is None:
            continue
        elif it is Ellipsis:
            dim = len(x.shape) - sum(1 for j in spec[spec.index(it) + 1:] if j is not None)
        else:
            dim += 1


def check_gather(x, index, dim):
    d = dim % max(x.dim(), 1)
    idx = _host(index)
    if idx.size and (idx.min() < 0 or idx.max() >= x.shape[d]):
        bad = int(idx.max()) if idx.max() >= x.shape[d] else int(idx.min())
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {x.shape[d]}")


def check_index_select(x, index, dim):
    d = dim % max(x.dim(), 1)
    idx = _host(index)
    if idx.size and (idx.min() < 0 or idx.max() >= x.shape[d]):
        raise IndexError("index out of range in self")


def check_embedding(indices, weight):
    idx = _host(indices)
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")


def run(op, args, attrs):
    name = op.name
    kw = dict(attrs)
    if name == "index":
        check_index(args[0], args[1], kw["spec"])
    elif name == "gather":
        check_gather(args[0], args[1], kw["dim"])
    elif name == "index_select":
        check_index_select(args[0], args[1], kw["dim"])
    elif name == "take":
        _check(_host(args[1]), args[0].numel(), "dimension 0")
    elif name == "embedding":
        check_embedding(args[1], args[0])


CHECKED = frozenset({"index", "gather", "index_select", "take", "embedding"})
