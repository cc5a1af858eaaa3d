"""A host read of a view of a concrete CPU tensor, computed by NumPy indexing.

``int(self.targets[index])`` / ``self.data[index].numpy()`` in a dataset's ``__getitem__`` (as
torchvision's MNIST does) read one element or row of a stored tensor per sample. The view is a
recorded op, so the read flushed it as a program of its own: ~300 us a sample against PyTorch's
~20 us. When the view's chain is plain indexing / reshaping of a root whose value is already
computed on the CPU, the same values come from NumPy indexing of the root's host array (the
pending graph is left as it is: anything else that uses the view still gets it from its program).
Any other case (a pending root, an index held in a tensor, an op not listed here) returns None and
takes the usual flush.
"""

from __future__ import annotations

import math

import numpy as np

from ._engine.graph import Pending

# -- index specs: slices are not hashable before Python 3.12, so they travel as tuples (here, with no
# imports, for the host paths; _ops/views.py uses them too)


def encode_index(item):
    """A hashable description of a basic index (ints, slices, None, Ellipsis), tensors as slots."""
    out = []
    for it in item:
        if isinstance(it, slice):
            out.append(("slice", it.start, it.stop, it.step))
        else:
            out.append(it)
    return tuple(out)


def decode_index(spec, tensors):
    out = []
    for it in spec:
        if type(it) is tuple and it and it[0] == "slice":
            out.append(slice(it[1], it[2], it[3]))
        elif type(it) is tuple and it and it[0] == "tensor":
            out.append(tensors[it[1]])
        else:
            out.append(it)
    return tuple(out)


def _flatten(a, start_dim, end_dim):
    if a.ndim == 0:
        return a.reshape(1)
    s, e = start_dim % a.ndim, end_dim % a.ndim
    return a.reshape(a.shape[:s] + (math.prod(a.shape[s:e + 1]),) + a.shape[e + 1:])


def _squeeze(a, dim):
    if dim is None:
        return np.squeeze(a)
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    if a.ndim == 0:
        return a
    keep = tuple(d % a.ndim for d in dims if a.shape[d % a.ndim] == 1)
    return np.squeeze(a, axis=keep) if keep else a


def _expand(a, size):
    lead = len(size) - a.ndim
    shape = tuple(a.shape[i - lead] if s == -1 else s for i, s in enumerate(size))
    return np.broadcast_to(a, shape)


def _piece(a, dim, sizes, index):
    d = dim % a.ndim
    start = sum(sizes[:index])
    return a[(slice(None),) * d + (slice(start, start + sizes[index]),)]


def _split(a, kw):
    from ._ops.views import split_sizes

    d = kw["dim"] % a.ndim
    return _piece(a, d, split_sizes(a.shape[d], kw["split_size_or_sections"], kw["dim"]), kw["_index"])


def _chunk(a, kw):
    n = a.shape[kw["dim"] % a.ndim]
    step = -(-n // kw["chunks"]) if n else 1
    return _split(a, {"dim": kw["dim"], "split_size_or_sections": step, "_index": kw["_index"]})


def _narrow(a, d, start, length):
    start = start % a.shape[d] if start < 0 else start
    return a[_at(d, slice(start, start + length))]


def _getitem(a, kw):
    index = decode_index(kw["index"], ())
    # (with an Ellipsis, NumPy gives a 0-d view where integers pick one element, not a scalar)
    return a[index if Ellipsis in index else index + (Ellipsis,)]


def _at(axis, index):
    return (slice(None),) * axis + (index, Ellipsis)


_NUMPY = {
    "alias": lambda a, kw: a,
    "reshape": lambda a, kw: a.reshape(kw["shape"]),
    "view": lambda a, kw: a.reshape(kw["shape"]),
    "flatten": lambda a, kw: _flatten(a, kw["start_dim"], kw["end_dim"]),
    "select_dyn": lambda a, kw: a[_at(kw["axis"] % a.ndim, kw["_inputs"][0])],
    "slice_dyn": lambda a, kw: a[_at(kw["axis"] % a.ndim, slice(kw["_inputs"][0], kw["_inputs"][0] + kw["size"]))],
    "select": lambda a, kw: a[_at(kw["dim"] % a.ndim, kw["index"])],
    "narrow": lambda a, kw: _narrow(a, kw["dim"] % a.ndim, kw["start"], kw["length"]),
    "getitem": _getitem,
    "t": lambda a, kw: a.T,
    "transpose": lambda a, kw: np.swapaxes(a, kw["dim0"], kw["dim1"]) if a.ndim else a,
    "permute": lambda a, kw: np.transpose(a, [d % a.ndim for d in kw["dims"]]) if a.ndim else a,
    "movedim": lambda a, kw: np.moveaxis(a, kw["source"], kw["destination"]),
    "squeeze": lambda a, kw: _squeeze(a, kw.get("dim")),
    "unsqueeze": lambda a, kw: np.expand_dims(a, kw["dim"] % (a.ndim + 1)),
    "expand": lambda a, kw: _expand(a, kw["size"]),
    "unbind": lambda a, kw: a[_at(kw.get("dim", 0) % a.ndim, kw["_index"])],
    # the deferred pieces of a many-way unbind/split (_ops/pieces.py: iterating over a tensor)
    "unbind_piece": lambda a, kw: a[_at(kw["axis"] % a.ndim, kw["_inputs"][0])],
    "split_piece": lambda a, kw: a[_at(kw["axis"] % a.ndim, slice(kw["_inputs"][0], kw["_inputs"][0] + kw["size"]))],
    "split": _split,
    "diagonal": lambda a, kw: np.diagonal(a, kw.get("offset", 0), kw.get("dim1", 0), kw.get("dim2", 1)),
    "chunk": _chunk,
}


def apply_chain(a, chain):
    """NumPy's ``a`` through a view chain of (op name, attributes dict) pairs, with dynamic offsets
    (``_inputs``) as ints; raises KeyError for an op this table does not model."""
    for name, kw in chain:
        a = _NUMPY[name](a, kw)
    return a


def read(t):
    """``t``'s value as a new NumPy array, or None where this shortcut does not apply."""
    root = t._base
    if t._device.type != "cpu" or root._device.type != "cpu" or "_deferred" in t.__dict__:
        return None
    value = root._data
    if type(value) is Pending:
        value = value.array
        if value is None:
            return None
    a = value if type(value) is np.ndarray else np.asarray(value)
    chain = []
    for op, attrs in t._chain:
        kw = dict(attrs)
        if op.name not in _NUMPY or any(not isinstance(v, int) for v in kw.get("_inputs", ())):
            return None  # an op this table does not model, or an index or offset held in a tensor
        chain.append((op.name, kw))
    try:
        a = apply_chain(a, chain)
    except Exception:  # noqa: BLE001  (a case this table does not model: the program decides)
        return None
    if a.shape != tuple(t._data.shape):
        return None
    return np.array(a, dtype=value.dtype)
