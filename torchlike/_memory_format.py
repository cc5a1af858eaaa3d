"""``torch.memory_format``: contiguous_format, channels_last, channels_last_3d, preserve_format.

XLA owns physical layouts, so a memory format changes no value and no program: it is a flag a
tensor carries (``__dict__["_memory_format"]``, set only for the channels-last formats) that
``stride()`` and ``is_contiguous(memory_format=...)`` report as PyTorch would. Ops pass it on as
PyTorch's CPU kernels do in the common cases: an op whose output has the shape of its first 4-d
(5-d) tensor input (pointwise ops, casts, clone, batch norm), and convolutions, poolings and
upsampling, whose output follows the input (a convolution: the input or the weight). Views,
reductions and everything else give row-major strides. Dispatch calls ``propagate`` only once a
channels-last tensor has existed in the process (``state.memory_formats``).
"""

from __future__ import annotations

from ._context import state


class memory_format:  # noqa: N801  (torch's name)
    __slots__ = ("_name", "_order")

    def __init__(self, name: str, order):
        self._name = name
        self._order = order  # dims from the innermost (stride 1) out, for the channels-last formats

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    def __reduce__(self):
        return self._name


memory_format.__module__ = "torch"
contiguous_format = memory_format("contiguous_format", None)
preserve_format = memory_format("preserve_format", None)
channels_last = memory_format("channels_last", (1, 3, 2, 0))
channels_last_3d = memory_format("channels_last_3d", (1, 4, 3, 2, 0))
legacy_contiguous_format = contiguous_format
_RANK = {channels_last: 4, channels_last_3d: 5}
_PRESERVING_OPS = frozenset({"convolution", "max_pool", "avg_pool", "adaptive_avg_pool", "adaptive_max_pool", "_upsample"})


def _check(fmt, fname="to") -> None:
    if not isinstance(fmt, memory_format):
        raise TypeError(f"{fname}(): argument 'memory_format' must be torch.memory_format, not {type(fmt).__name__}")


def format_of(t):
    """The channels-last format ``t`` is flagged with, or None (row-major)."""
    return t.__dict__.get("_memory_format") if "_memory_format" in t.__dict__ else None


def _set(t, fmt):
    if fmt is None or fmt is contiguous_format:
        t.__dict__.pop("_memory_format", None)
    else:
        t.__dict__["_memory_format"] = fmt
        state.memory_formats = True
    return t


def check_rank(t, fmt) -> None:
    rank = _RANK.get(fmt)
    if rank is not None and t.dim() != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {fmt._name} format")


def strides(shape, fmt) -> tuple:
    """The strides PyTorch gives a dense tensor of ``shape`` in ``fmt`` (row-major for None)."""
    order = fmt._order if fmt is not None and fmt._order is not None and len(shape) == len(fmt._order) else None
    if order is None:
        order = tuple(range(len(shape) - 1, -1, -1))
    out, acc = [0] * len(shape), 1
    for d in order:
        out[d] = acc
        acc *= max(shape[d], 1)
    return tuple(out)


def follow_layout(result, t) -> None:
    """Give ``result`` (shaped like ``t``) the dense layout of ``t``'s dimension order (by its
    strides), where that is not row-major: PyTorch's kernels that allocate their output in the
    input's order (SDPA's fused CPU kernel on a transposed query) return such strides, and code then
    views them (``.transpose(1, 2).view(...)``)."""
    shape, stride = tuple(t.shape), t.stride()
    if tuple(result.shape) != shape or "_memory_format" in result.__dict__:
        return
    order = tuple(sorted(range(len(shape)), key=lambda d: (stride[d], -d)))
    if order != tuple(range(len(shape) - 1, -1, -1)):
        _set(result, memory_format("contiguous_format", order))  # (a layout, not a format users name)


def is_dense_in(shape, stride, fmt) -> bool:
    """PyTorch's contiguity test for ``fmt``: size-1 dims are ignored."""
    order = fmt._order if fmt is not None and fmt._order is not None else None
    if order is None:
        order = tuple(range(len(shape) - 1, -1, -1))
    elif len(shape) != len(order):
        return False
    expected = 1
    for d in order:
        if shape[d] != 1:
            if stride[d] != expected:
                return False
            expected *= shape[d]
    return True


def resolve(t, fmt, fname="to"):
    """The format a new tensor like ``t`` gets for ``memory_format=fmt`` (None: row-major)."""
    if fmt is None or fmt is preserve_format:
        return format_of(t)
    _check(fmt, fname)
    check_rank(t, fmt)
    return fmt if fmt is not contiguous_format else None


def to_after(src, t, fmt):
    """``src.to(..., memory_format=fmt)`` once dtype and device are done (``t``)."""
    target = resolve(src, fmt)
    if t is src:
        if target is format_of(src):
            return src
        t = src.clone()
    return _set(t, target)


def contiguous(t, fmt):
    """``Tensor.contiguous(memory_format=fmt)``: ``t`` when it already is, else a copy."""
    if fmt is None:
        fmt = contiguous_format
    _check(fmt, "contiguous")
    if t.is_contiguous(memory_format=fmt):
        return t
    if fmt is preserve_format:
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    check_rank(t, fmt)
    return _set(t.clone(), fmt)


def is_contiguous_as(t, fmt) -> bool:
    if fmt is None or fmt is preserve_format:
        fmt = contiguous_format
    _check(fmt, "is_contiguous")
    stride = t.stride()
    if "_memory_format" not in t.__dict__ and t._base is not None and t._chain:
        info = t._storage_info()  # a view: its strides in the base's storage
        if info is None:
            return False
        stride = info[2]
    return is_dense_in(t._data.shape, stride, fmt)


def like(result, t, fmt, fname="empty_like"):
    """Flag ``result`` (a new tensor made like ``t``) as ``*_like(memory_format=fmt)`` would be."""
    return _set(result, resolve(t, fmt, fname))


def new_with(result, fmt, fname="empty"):
    """A factory's ``memory_format=fmt`` (``torch.empty(..., memory_format=torch.channels_last)``)."""
    if fmt is None:
        return result
    _check(fmt, fname)
    if fmt is preserve_format:
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    check_rank(result, fmt)
    return _set(result, fmt)


def propagate(op, args, results) -> None:  # (called by dispatch once state.memory_formats)
    """Pass a channels-last flag from ``args`` to ``results`` as PyTorch's kernels would."""
    if op.view:
        return
    out_shape = results[0]._data.shape
    if len(out_shape) not in (4, 5):
        return
    from ._tensor import Tensor

    preserving = op.name in _PRESERVING_OPS
    for i, a in enumerate(args):
        if isinstance(a, Tensor) and len(a._data.shape) == len(out_shape):
            fmt = a.__dict__.get("_memory_format")
            if fmt is None and op.name == "convolution" and i == 0:
                w = args[1]  # a convolution follows its input or its weight
                fmt = w.__dict__.get("_memory_format") if isinstance(w, Tensor) else None
            if fmt is not None and (preserving or a._data.shape == out_shape):
                for r in results:
                    if r._data.shape == out_shape:
                        r.__dict__["_memory_format"] = fmt
            return


def apply_to_module(module, fmt) -> None:
    """``Module.to(memory_format=fmt)``: the 4-d and 5-d parameters and buffers take ``fmt``."""
    _check(fmt)
    for t in list(module.parameters()) + list(module.buffers()):
        if t.dim() in (4, 5):
            check_rank(t, fmt)
            _set(t, resolve(t, fmt))
