"""``torch.memory_format``: contiguous_format, channels_last, channels_last_3d, preserve_format.

XLA owns physical layouts, so a memory format changes no value and no program: it is a flag a
tensor carries (``__dict__["_memory_format"]``, set only for the channels-last formats) that
``stride()`` and ``is_contiguous(memory_format=...)`` report as PyTorch would. Ops pass it on as
PyTorch's CPU kernels do in the common cases: an op whose output has the shape of its first 4-d
(5-d) tensor input (pointwise ops, casts, clone, batch norm), and convolutions, poolings and
upsampling, whose output follows the input (a convolution: the input or the weight). Views,
reductions and everything else give row-major strides. Dispatch calls ``propagate`` only once a
channels-last tensor or a permuted view (``t()``, ``transpose``, ``permute``, ``movedim``) has
existed in the process (``state.memory_formats``).

Element-wise ops (PyTorch's TensorIterator kernels: arithmetic, comparisons, activations, casts,
``clone``) allocate their output in the order of their operands' strides, so ``x.t() * 2`` is
stored transposed and ``(x.t() * 2).t().view(-1)`` is allowed. ``follow_operands`` reproduces
that choice (PyTorch's dimension reordering over the operands' strides) and flags the result with
its dimension order (an anonymous ``memory_format``; a channels-last order is the named format).
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
    if tuple(result.shape) != tuple(t.shape) or "_memory_format" in result.__dict__:
        return
    set_order_from_strides(result, t.stride())


def set_order_from_strides(t, stride) -> None:
    """Flag ``t`` (a root) with the dense dimension order of ``stride`` (none where row-major)."""
    n = len(stride)
    order = tuple(sorted(range(n), key=lambda d: (stride[d], -d)))
    if order == tuple(range(n - 1, -1, -1)):
        _set(t, None)
    else:
        _set(t, _NAMED_ORDERS.get(order) or memory_format("contiguous_format", order))


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
    return is_dense_in(t._data.shape, t.stride(), fmt)  # (a view's strides: _view_strides.py)


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


# TensorIterator ops: their output takes the dimension order of their operands' strides
_ELEMENTWISE_OPS = frozenset(
    """abs acos acosh add angle asin asinh atan atan2 atanh bitwise_and bitwise_left_shift bitwise_not
    bitwise_or bitwise_right_shift bitwise_xor ceil celu clamp clamp_max clamp_min clone conj copysign cos
    cosh deg2rad digamma div elu eq erf erfc erfinv exp exp2 expm1 fix float_power floor floor_divide fmax
    fmin fmod frac gcd ge gelu gt hardshrink hardsigmoid hardswish hardtanh heaviside hypot i0 igamma
    igammac isfinite isinf isnan isneginf isposinf isreal lcm ldexp le leaky_relu lerp lgamma log log10
    log1p log2 log_sigmoid logaddexp logaddexp2 logical_and logical_not logical_or logical_xor logit lt
    masked_fill maximum minimum mish mul mvlgamma nan_to_num ne neg nextafter polygamma positive pow
    rad2deg reciprocal relu remainder round round_decimals rsqrt rsub sgn sigmoid sign signbit silu sin
    sinc sinh softplus softshrink sqrt square sub tan tanh tanhshrink threshold to_dtype trunc where
    xlogy addcdiv addcmul special_entr special_erfcx special_i0e special_i1 special_i1e special_log_ndtr
    special_ndtr special_ndtri special_xlog1py special_zeta""".split()
)
_PERMUTING_VIEWS = frozenset({"t", "transpose", "permute", "movedim", "adjoint"})
_NAMED_ORDERS = {channels_last._order: channels_last, channels_last_3d._order: channels_last_3d}

# TensorIterator's fast setup allocates a row-major output when every operand has the output's
# shape and is contiguous (size-1 dimensions ignored); a number in an operand position of these
# binary ops is an operand (a 0-d tensor), and these ops copy their input's strides (empty_like)
_WRAPS_NUMBERS = frozenset(
    """add sub mul div rsub remainder fmod eq ne lt le gt ge floor_divide bitwise_and bitwise_or
    bitwise_xor logical_and logical_or logical_xor xlogy where""".split()
)
_KEEPS_STRIDES = frozenset({"to_dtype", "clone", "hardtanh", "nan_to_num"})


def _fast_contiguous(name, args, shape) -> bool:
    from ._tensor import Tensor

    if name in _KEEPS_STRIDES:
        return False
    operands = 3 if name == "where" else 2 if name in _WRAPS_NUMBERS else 0
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            if a._data.shape != shape or not a.is_contiguous():
                return False
        elif i < operands and isinstance(a, (bool, int, float, complex)):
            return False
    return True


def _maybe_permuted(a) -> bool:
    return "_memory_format" in a.__dict__ or (
        a._base is not None and any(op.name in _PERMUTING_VIEWS for op, _ in a._chain)
    )


def _should_swap(operands, shape, d0, d1) -> int:
    for st in operands:
        s0, s1 = st[d0], st[d1]
        if s0 == 0 or s1 == 0:  # a broadcast dimension decides nothing
            continue
        if s0 != s1:
            return -1 if s0 < s1 else 1
        if shape[d0] > shape[d1]:  # equal strides (a size-1 dimension)
            return 1
    return 0


def follow_operands(args, results) -> None:
    """Give the results of an element-wise op the dimension order PyTorch's TensorIterator
    allocates them in: the order of the operands' strides (the first operand whose strides
    tell two dimensions apart decides them; broadcast dimensions decide nothing)."""
    from ._tensor import Tensor

    tensors = [a for a in args if isinstance(a, Tensor) and a._data.shape]
    if not any(_maybe_permuted(a) for a in tensors):
        return
    shape = results[0]._data.shape
    n = len(shape)
    if n < 2:
        return
    operands = []
    for a in tensors:
        ashape = a._data.shape
        if len(ashape) > n:
            return
        st = a.stride()  # (a view's: composed symbolically, torchlike/_view_strides.py)
        pad = n - len(ashape)
        operands.append(
            (0,) * pad + tuple(0 if ashape[i] == 1 and shape[pad + i] != 1 else st[i] for i in range(len(ashape)))
        )
    perm = list(range(n - 1, -1, -1))  # fastest-moving dimension first
    for i in range(1, n):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = _should_swap(operands, shape, perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    order = tuple(perm)
    if order == tuple(range(n - 1, -1, -1)):
        return
    fmt = _NAMED_ORDERS.get(order) or memory_format("contiguous_format", order)
    for r in results:
        if r._data.shape == shape:
            _set(r, fmt)


def propagate(op, args, results) -> None:  # (called by dispatch once state.memory_formats)
    """Pass a channels-last flag or a permuted order from ``args`` to ``results`` as PyTorch's
    kernels would."""
    if op.view:
        return
    if op.name in _ELEMENTWISE_OPS:
        if not _fast_contiguous(op.name, args, results[0]._data.shape):
            follow_operands(args, results)
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
