"""Bounds checks on index tensors (and class targets), raising PyTorch's IndexError/RuntimeError.

XLA clamps out-of-range indices silently (gather) or drops them (scatter). An index whose value
is already a NumPy array on the host (``torch.tensor([...])``, a list index, a DataLoader batch
not yet used by a device op, a boolean mask's positions) is checked for free, in every mode: each
op's ``check`` (run by dispatch) reads only such values. In debug mode
(``torchlike.set_eager(True)`` / ``TORCHLIKE_EAGER=1``) dispatch also runs the checks on computed
index tensors, reading them back first."""

from __future__ import annotations

import numpy as np

from ._context import state
from ._tensor import Tensor


def _host(t):
    return np.asarray(t._host("debug bounds check"))


def host_known(t):
    """The value of ``t`` when it is a NumPy array on the host already (no transfer), else None."""
    d = t._data
    if type(d) is np.ndarray and (t._base is None or t._seen == t._vbox[0]):
        return d
    return None


def _first_bad(idx, lo, hi):
    """The first element (row-major) outside [lo, hi), or None."""
    bad = (idx < lo) | (idx >= hi)
    if not bad.any():
        return None
    return int(idx.reshape(-1)[int(np.argmax(bad.reshape(-1)))])


def _tensor_dims(ndim, spec):
    """The dimension of ``x`` each ("tensor", k) entry of an index spec indexes, by k."""
    dims = {}
    dim = 0
    for pos, it in enumerate(spec):
        if it is Ellipsis:
            dim = ndim - sum(1 for j in spec[pos + 1 :] if j is not None)
        elif it is None:
            continue
        else:
            if type(it) is tuple and it and it[0] == "tensor":
                dims[it[1]] = dim
            dim += 1
    return dims


def check_index(x, indices, spec, read):
    """ATen's advanced-indexing check: the first element of the broadcast index positions that is
    out of range, named by the index's place among the index tensors (``x[:, idx]`` reports
    "dimension 0", as PyTorch does)."""
    dims = _tensor_dims(len(x.shape), spec)
    values = [read(t) if isinstance(t, Tensor) else None for t in indices]
    sizes = [x.shape[dims[k]] if k in dims else None for k in range(len(indices))]
    known = [k for k, v in enumerate(values) if v is not None and sizes[k] is not None]
    if not known:
        return
    if len(known) == len(values) > 1:
        try:
            arrays = np.broadcast_arrays(*values)
        except ValueError:
            return  # the op's shape check raises PyTorch's error
        bad = [(a < -s) | (a >= s) for a, s in zip(arrays, sizes)]
        anywhere = np.logical_or.reduce(bad)
        if anywhere.any():
            pos = int(np.argmax(anywhere.reshape(-1)))
            k = next(k for k, b in enumerate(bad) if b.reshape(-1)[pos])
            v = int(arrays[k].reshape(-1)[pos])
            raise IndexError(f"index {v} is out of bounds for dimension {k} with size {sizes[k]}")
        return
    for k in known:
        v = _first_bad(values[k], -sizes[k], sizes[k])
        if v is not None:
            raise IndexError(f"index {v} is out of bounds for dimension {k} with size {sizes[k]}")


def _check_dim_index(x, index, dim, read, name="gather", src=None):
    """gather/scatter/scatter_add: indices in [0, size) along ``dim``, once the shapes pass (their
    errors come first in ATen)."""
    idx = read(index) if isinstance(index, Tensor) else None
    if idx is None or not x.dim() or not idx.size:
        return
    from ._ops import indexing

    d = indexing.wrap_dim(dim, x.dim())
    if name == "gather":
        indexing.gather_shape_check(x, index, d)
    else:
        indexing.scatter_shape_check(x, index, d, src)
    v = _first_bad(idx, 0, x.shape[d])
    if v is not None:
        raise RuntimeError(f"index {v} is out of bounds for dimension {d} with size {x.shape[d]}")


def _check_in_self(index, size, read):
    """index_select and embedding: indices in [0, size)."""
    idx = read(index) if isinstance(index, Tensor) else None
    if idx is not None and _first_bad(idx, 0, size) is not None:
        raise IndexError("index out of range in self")


def _check_take(x, index, read):
    idx = read(index) if isinstance(index, Tensor) else None
    n = x.numel()
    v = None if idx is None else _first_bad(idx, -n, n)
    if v is not None:
        raise IndexError(f"out of range: tried to access index {v} on a tensor of {n} elements.")


def _reader():
    return _host if state.eager else host_known


def check_class_targets(input, target, ignore_index):  # noqa: A002
    """nll_loss / cross_entropy: class-index targets in [0, C) or equal to ignore_index."""
    idx = _reader()(target) if isinstance(target, Tensor) else None
    if idx is None or not idx.size:
        return
    c = input.shape[1] if input.dim() >= 2 else input.shape[0]
    bad = ((idx < 0) | (idx >= c)) & (idx != ignore_index)
    if bad.any():
        v = int(idx.reshape(-1)[int(np.argmax(bad.reshape(-1)))])
        raise IndexError(f"Target {v} is out of bounds.")


def check_probabilities(input, target):  # noqa: A002
    """binary_cross_entropy: input and target in [0, 1] (NaN fails too), when their values are on
    the host (or in debug mode)."""
    read = _reader()
    for name, t in (("input", input), ("target", target)):
        v = read(t) if isinstance(t, Tensor) and t.dtype.is_floating_point else None
        if v is not None and v.size and not ((v >= 0) & (v <= 1)).all():
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")


def check_one_hot(tensor, num_classes):
    """one_hot with an explicit num_classes: class values in [0, num_classes)."""
    idx = _reader()(tensor)
    if idx is None or not idx.size:
        return
    if idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")


def run_named(name, args, attrs, read):
    if name == "index":
        check_index(args[0], args[1], dict(attrs)["spec"], read)
    elif name == "index_put":
        check_index(args[0], args[2], dict(attrs)["spec"], read)
    elif name in ("gather", "scatter", "scatter_add"):
        src = args[2] if name != "gather" and len(args) > 2 else None
        _check_dim_index(args[0], args[1], dict(attrs)["dim"], read, name, src)
    elif name == "index_select":
        x = args[0]
        _check_in_self(args[1], x.shape[dict(attrs)["dim"] % x.dim()] if x.dim() else 1, read)
    elif name == "take":
        _check_take(args[0], args[1], read)
    elif name == "embedding":
        _check_in_self(args[1], args[0].shape[0], read)


def run(op, args, attrs):
    """Debug mode: the checks on every index tensor, read back from the device if need be."""
    run_named(op.name, args, attrs, _host)


def free_check(name):
    """An op's ``check``: the bounds checks on index tensors whose values are on the host."""

    def check(args, attrs):
        run_named(name, args, attrs, host_known)

    return check


CHECKED = frozenset(
    {"index", "index_put", "gather", "scatter", "scatter_add", "index_select", "take", "embedding"}
)


def install():
    """Attach the free checks to the indexing ops registered in ``_ops`` (embedding attaches its own)."""
    from ._ops.registry import OPS

    for name in CHECKED - {"embedding"}:
        OPS[name].check = free_check(name)
