"""The strides and storage offset PyTorch reports for a view, computed from its view chain.

A view is its root plus a chain of view ops (``Tensor._base``, ``Tensor._chain``). Each op
changes a (shape, strides, offset) triple as ATen's view kernels do (``TensorShape.cpp``): a
slice multiplies a stride by its step and moves the offset, ``select`` drops a dimension,
``expand`` gives broadcast dimensions stride 0, ``unsqueeze`` inserts the stride
``size * stride`` of the dimension after it, ``view``/``reshape`` follow ATen's
``computeStride``. Composing the chain from the root's strides (``root.stride()``, which honours
a root stored in another dimension order) is a few integer operations per op, with no pass over
the storage. A chain holding an op this module does not describe gets None (the caller then
falls back to the host pass over the storage in ``Tensor._storage_info``).

A ``reshape`` (or ``flatten``) that ATen cannot express as a view copies in PyTorch; the layout
then continues from that copy (contiguous, offset 0) and says it is no longer the root's storage.
"""

from __future__ import annotations

import math


class Layout:
    """A view's strides and offset; ``copied``: some reshape in its chain copied (PyTorch), so
    strides and offset are those of the copy's storage, not the root's."""

    __slots__ = ("shape", "strides", "offset", "copied")

    def __init__(self, shape, strides, offset, copied):
        self.shape, self.strides, self.offset, self.copied = shape, strides, offset, copied


class _Unknown(Exception):
    """An op or an argument the symbolic rules do not describe (the host pass decides then)."""


def contiguous_strides(shape) -> list:
    strides, acc = [0] * len(shape), 1
    for d in range(len(shape) - 1, -1, -1):
        strides[d] = acc
        acc *= max(shape[d], 1)
    return strides


def compute_stride(oldshape, oldstride, newshape):
    """ATen's ``computeStride``: the strides of ``newshape`` viewing a tensor of ``oldshape`` and
    ``oldstride`` without a copy, or None where each run of new dimensions does not split or merge
    dimensions that are contiguous with each other."""
    if not oldshape:
        return [1] * len(newshape)
    numel = math.prod(oldshape)
    if numel == 0:
        return list(oldstride) if tuple(oldshape) == tuple(newshape) else contiguous_strides(newshape)
    newstride = [0] * len(newshape)
    view_d = len(newshape) - 1
    chunk_base = oldstride[-1]
    tensor_numel = view_numel = 1
    for d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[d]
        if d == 0 or (oldshape[d - 1] != 1 and oldstride[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk_base
                view_numel *= newshape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = oldstride[d - 1]
                tensor_numel = view_numel = 1
    return newstride if view_d == -1 else None


def _wrap(dim, ndim) -> int:
    if not isinstance(dim, int):
        raise _Unknown
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise _Unknown  # (the op itself raised PyTorch's error)
    return dim % n


def _int(v) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Unknown  # an offset held in a tensor: the host pass reads it
    return v


def _slice(shape, strides, offset, d, start, stop, step):
    """ATen's slice: bounds clamped into the dimension, the stride times the step."""
    n = shape[d]
    start = 0 if start is None else start
    stop = n if stop is None else stop
    step = 1 if step is None else step
    if step <= 0:
        raise _Unknown
    if start < 0:
        start += n
    if stop < 0:
        stop += n
    start = min(max(start, 0), n)
    stop = min(max(stop, start), n)
    offset += start * strides[d]
    shape[d] = (stop - start + step - 1) // step
    strides[d] *= step
    return offset


def _select(shape, strides, offset, d, index):
    n = shape[d]
    if not -n <= index < n:
        raise _Unknown
    offset += (index % n) * strides[d]
    del shape[d], strides[d]
    return offset


def _unsqueeze(shape, strides, d):
    strides.insert(d, shape[d] * strides[d] if d < len(shape) else 1)
    shape.insert(d, 1)


def _getitem(lay, index):
    """Basic indexing (ints, slices, None, Ellipsis) as PyTorch's applySlicing applies it."""
    shape, strides, offset = lay.shape, lay.strides, lay.offset
    specified = sum(1 for it in index if it is not None and it is not Ellipsis)
    d = 0
    for it in index:
        if it is None:
            _unsqueeze(shape, strides, d)
            d += 1
        elif it is Ellipsis:
            d += len(shape) - d - specified
        elif type(it) is tuple and it and it[0] == "slice":
            offset = _slice(shape, strides, offset, d, it[1], it[2], it[3])
            d += 1
            specified -= 1
        elif isinstance(it, int) and not isinstance(it, bool):
            offset = _select(shape, strides, offset, d, it)
            specified -= 1
        else:
            raise _Unknown
    lay.offset = offset


def _expand(lay, size):
    shape, strides = lay.shape, lay.strides
    ndim, tdim = len(size), len(shape)
    if tdim == 0:  # a 0-d tensor broadcasts along every new dimension
        lay.shape, lay.strides = list(size), [0] * ndim
        return
    new_shape, new_strides = [0] * ndim, [0] * ndim
    for i in range(ndim - 1, -1, -1):
        d = tdim - ndim + i
        n = shape[d] if d >= 0 else 1
        s = strides[d] if d >= 0 else new_shape[i + 1] * new_strides[i + 1]
        target = n if size[i] == -1 else size[i]
        if n != target:
            n, s = target, 0
        new_shape[i], new_strides[i] = n, s
    lay.shape, lay.strides = new_shape, new_strides


def _diagonal(lay, offset, dim1, dim2):
    shape, strides = lay.shape, lay.strides
    n = len(shape)
    d1, d2 = _wrap(dim1, n), _wrap(dim2, n)
    if offset >= 0:
        size = max(min(shape[d1], shape[d2] - offset), 0)
    else:
        size = max(min(shape[d1] + offset, shape[d2]), 0)
    if size:
        lay.offset += offset * strides[d2] if offset >= 0 else -offset * strides[d1]
    stride = strides[d1] + strides[d2]
    keep = [d for d in range(n) if d not in (d1, d2)]
    lay.shape = [shape[d] for d in keep] + [size]
    lay.strides = [strides[d] for d in keep] + [stride]


def _unfold(lay, dimension, size, step):
    shape, strides = lay.shape, lay.strides
    if not shape:
        lay.shape, lay.strides = [size], [1]
        return
    d = _wrap(dimension, len(shape))
    stride = strides[d]
    shape[d] = (shape[d] - size) // step + 1
    strides[d] = step * stride
    shape.append(size)
    strides.append(stride)


def _as_strided(lay, size, stride, storage_offset):
    """torchlike's as_strided reads the row-major flattening of its input: a view of the storage
    only where the input is contiguous in it (then it is PyTorch's as_strided from that offset)."""
    if not is_contiguous(lay.shape, lay.strides):
        raise _Unknown
    lay.offset += storage_offset or 0
    lay.shape, lay.strides = list(size), list(stride)


def _reshape(lay, newshape, may_copy):
    newstride = compute_stride(lay.shape, lay.strides, newshape)
    if newstride is None:
        if not may_copy:
            raise _Unknown  # (view raised PyTorch's error before recording)
        newstride, lay.offset, lay.copied = contiguous_strides(newshape), 0, True
    lay.shape, lay.strides = list(newshape), list(newstride)


def _infer_shape(shape, numel):
    shape = list(shape)
    if -1 in shape:
        known = math.prod(s for s in shape if s != -1)
        if not known:
            raise _Unknown
        shape[shape.index(-1)] = numel // known
    return shape


def _split_spans(name, n, kw):
    """[(start, size or None for a selected index)] of the pieces of a split-like op."""
    if name == "unbind":
        return [(i, None) for i in range(n)]
    if name == "tensor_split":
        sections = kw["indices_or_sections"]
        if isinstance(sections, int):
            q, r = divmod(n, sections)
            sizes = [q + 1] * r + [q] * (sections - r)
            starts = [sum(sizes[:i]) for i in range(len(sizes))]
            return list(zip(starts, sizes))
        bounds = [0] + [_int(b) for b in sections] + [None]
        spans = []
        for a, b in zip(bounds, bounds[1:]):
            a = min(max(a + n if a < 0 else a, 0), n)
            b = n if b is None else min(max(b + n if b < 0 else b, a), n)
            spans.append((a, b - a))
        return spans
    if name == "chunk":
        step = -(-n // kw["chunks"]) if n else 1
    else:
        step = kw["split_size_or_sections"]
    from ._ops.views import split_sizes

    spans, start = [], 0
    for size in split_sizes(n, step, kw.get("dim", 0)):
        spans.append((start, size))
        start += size
    return spans


def _permute(lay, dims):
    lay.shape = [lay.shape[d] for d in dims]
    lay.strides = [lay.strides[d] for d in dims]


def _movedim_order(n, source, destination):
    src = [_wrap(d, n) for d in (source if isinstance(source, (tuple, list)) else (source,))]
    dst = [_wrap(d, n) for d in (destination if isinstance(destination, (tuple, list)) else (destination,))]
    rest = iter(d for d in range(n) if d not in src)
    where = dict(zip(dst, src))
    return [where[d] if d in where else next(rest) for d in range(n)]


def _apply(lay, name, kw, inputs, itemsize):
    """One view op on ``lay`` (in place); returns the element size after it."""
    shape, strides = lay.shape, lay.strides
    n = len(shape)
    if name == "getitem":
        _getitem(lay, kw["index"])
    elif name == "select":
        lay.offset = _select(shape, strides, lay.offset, _wrap(kw["dim"], n), kw["index"])
    elif name in ("select_dyn", "unbind_piece"):
        lay.offset = _select(shape, strides, lay.offset, kw["axis"], _int(inputs[0]))
    elif name == "narrow":
        d = _wrap(kw["dim"], n)
        start = kw["start"] + shape[d] if kw["start"] < 0 else kw["start"]
        lay.offset = _slice(shape, strides, lay.offset, d, start, start + kw["length"], 1)
    elif name in ("slice_dyn", "split_piece"):
        start = _int(inputs[0])
        lay.offset = _slice(shape, strides, lay.offset, kw["axis"], start, start + kw["size"], 1)
    elif name in ("split", "chunk", "tensor_split", "unbind"):
        d = _wrap(kw.get("dim", 0), n)
        start, size = _split_spans(name, shape[d], kw)[kw["_index"]]
        if size is None:
            lay.offset = _select(shape, strides, lay.offset, d, start)
        else:
            lay.offset = _slice(shape, strides, lay.offset, d, start, start + size, 1)
    elif name in ("expand", "broadcast_to"):
        _expand(lay, tuple(kw["size"]))
    elif name == "diagonal":
        _diagonal(lay, kw.get("offset", 0), kw.get("dim1", 0), kw.get("dim2", 1))
    elif name == "unfold":
        _unfold(lay, kw["dimension"], kw["size"], kw["step"])
    elif name == "as_strided":
        _as_strided(lay, kw["size"], kw["stride"], kw.get("storage_offset", 0))
    elif name in ("view", "reshape"):
        _reshape(lay, _infer_shape(kw["shape"], math.prod(shape)), name == "reshape")
    elif name == "flatten":
        if not shape:
            _reshape(lay, [1], True)
        else:
            s, e = _wrap(kw.get("start_dim", 0), n), _wrap(kw.get("end_dim", -1), n)
            if s != e:  # (flattening one dimension returns the tensor itself)
                _reshape(lay, shape[:s] + [math.prod(shape[s : e + 1])] + shape[e + 1 :], True)
    elif name == "unflatten":
        d = _wrap(kw["dim"], n)
        sizes = _infer_shape(kw["sizes"], shape[d])
        _reshape(lay, shape[:d] + sizes + shape[d + 1 :], False)
    elif name == "squeeze":
        dim = kw.get("dim")
        if dim is None:
            dims = range(n)
        else:
            dims = {_wrap(d, n) for d in (dim if isinstance(dim, tuple) else (dim,))}
        keep = [d for d in range(n) if not (d in dims and shape[d] == 1)]
        lay.shape, lay.strides = [shape[d] for d in keep], [strides[d] for d in keep]
    elif name == "unsqueeze":
        _unsqueeze(shape, strides, _wrap(kw["dim"], n + 1))
    elif name == "t":
        if n == 2:
            _permute(lay, [1, 0])
    elif name == "adjoint":
        _permute(lay, list(range(n - 2)) + [n - 1, n - 2])
    elif name == "transpose":
        if n:
            order = list(range(n))
            a, b = _wrap(kw["dim0"], n), _wrap(kw["dim1"], n)
            order[a], order[b] = b, a
            _permute(lay, order)
    elif name == "permute":
        _permute(lay, [_wrap(d, n) for d in kw["dims"]])
    elif name == "movedim":
        _permute(lay, _movedim_order(n, kw["source"], kw["destination"]))
    elif name == "view_as_dtype":
        return _view_as_dtype(lay, itemsize, kw["dtype"].itemsize)
    elif name != "alias":
        raise _Unknown
    return itemsize


def _view_as_dtype(lay, old, new):
    """ATen's view(dtype): the last dimension (stride 1) holds more or fewer elements, every
    other stride and the offset scale by the size ratio."""
    if old == new:
        return new
    if not lay.shape or lay.strides[-1] != 1:
        lay.copied = True  # (PyTorch refuses; the kernel reinterprets the values)
        lay.strides, lay.offset = contiguous_strides(lay.shape), 0
    if new < old:
        r = old // new
        lay.shape[-1] *= r
        lay.strides = [s * r for s in lay.strides[:-1]] + [1]
        lay.offset *= r
    else:
        r = new // old
        if any(s % r for s in lay.strides[:-1]) or lay.offset % r:
            raise _Unknown
        lay.shape[-1] //= r
        lay.strides = [s // r for s in lay.strides[:-1]] + [1]
        lay.offset //= r
    return new


def layout(t):
    """The :class:`Layout` of view ``t`` (a tensor with a base), or None where its chain holds an
    op these rules do not describe."""
    root = t._base
    lay = Layout(list(root._data.shape), list(root.stride()), 0, False)
    itemsize = root._dtype.itemsize
    try:
        for op, attrs in t._chain:
            kw = dict(attrs)
            itemsize = _apply(lay, op.name, kw, kw.get("_inputs", ()), itemsize)
    except (_Unknown, KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return None
    if tuple(lay.shape) != tuple(t._data.shape):
        return None  # (a rule that disagrees with the kernel: trust the host pass)
    return lay


def host_layout(t):
    """(offset, strides) of view ``t`` read off its storage positions: the chain applied to the
    root's element positions (one pass over the root on the host), or None where no strided
    layout describes them. For the ops the symbolic rules do not cover."""
    import jax
    import numpy as np

    from ._ops.views import _apply_chain

    root = t._base
    if any(op.name == "view_as_dtype" for op, _ in t._chain):
        return None  # (positions are not values to reinterpret)
    start = np.zeros(root._data.shape, np.int64)
    for d, s in enumerate(root.stride()):
        along = [-1 if k == d else 1 for k in range(root.dim())]
        start = start + np.arange(root._data.shape[d], dtype=np.int64).reshape(along) * s
    with jax.enable_x64(True):
        pos = np.asarray(_apply_chain(start, t._chain))
    rows = contiguous_strides(pos.shape)
    if pos.size == 0:
        return 0, tuple(rows)
    offset = int(pos.reshape(-1)[0])
    strides = []
    for d, n in enumerate(pos.shape):
        if n > 1:
            idx = [0] * pos.ndim
            idx[d] = 1
            strides.append(int(pos[tuple(idx)]) - offset)
        else:
            strides.append(rows[d])
    expect = offset + sum(
        np.arange(n, dtype=np.int64).reshape([-1 if k == d else 1 for k in range(pos.ndim)]) * s
        for d, (n, s) in enumerate(zip(pos.shape, strides))
    )
    if not np.array_equal(np.broadcast_to(expect, pos.shape), pos):
        return None
    return offset, tuple(strides)


def view_layout(t):
    """(offset, strides, in the root's storage) of view ``t`` as PyTorch reports them, or None
    where no strided layout of the root's storage describes it."""
    lay = layout(t)
    if lay is not None:
        return lay.offset, tuple(lay.strides), not lay.copied
    found = host_layout(t)
    return None if found is None else (found[0], found[1], True)


def is_contiguous(shape, strides) -> bool:
    """c10's contiguity test: empty tensors are contiguous, size-1 dimensions are ignored."""
    if 0 in shape:
        return True
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides)):
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True
