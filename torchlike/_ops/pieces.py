"""Many-way split/chunk/unbind and many-input cat/stack without programs of hundreds of buffers.

XLA:CPU's compile time grows superlinearly with a program's number of results and parameters
(jaxlib 0.10.2, 2 cores: a lone split into 32 pieces compiles in 0.4 s, into 512 in 9.9 s; a cat
of 256 inputs 0.2 s, of 999 3.7 s, of 1999 17 s). A sequence loop written as
``for x_t in x.split(1, dim=1): ...`` then ``torch.cat(outputs, 1)`` builds exactly such programs,
forward and backward. So:

- a split/chunk/unbind into more than ``PIECES_MAX`` pieces returns *deferred* pieces: views of
  the input (PyTorch's aliasing holds) whose slice, at an offset that is a program input, is
  recorded on first use, inside the step that uses it, so equal steps stay one cached program;
- the backward of a cat/stack of more than ``PIECES_MAX`` inputs hands each input the same kind
  of deferred slice of the incoming gradient;
- a cat/stack of more than ``GROUP_MAX`` inputs is computed in groups of ``GROUP_MAX`` (each group
  its own small cached program), then one cat of the groups; one autograd node covers it all.
"""

from __future__ import annotations

import jax

from .._context import state
from . import shape as _shape_ops  # noqa: F401  (cat, stack: intercepted at the end of this file)
from . import views as _view_ops  # noqa: F401  (split, chunk, unbind: likewise)
from .registry import op

PIECES_MAX = 16
GROUP_MAX = 128


@op("split_piece", function=False, view=True, grad_name="SplitBackward0")
def split_piece(x, start, *, axis, size):
    return jax.lax.dynamic_slice_in_dim(x, start, size, axis)


@op("unbind_piece", function=False, view=True, grad_name="UnbindBackward0")
def unbind_piece(x, index, *, axis):
    return jax.lax.dynamic_index_in_dim(x, index, axis, keepdims=False)


class Deferred:
    """A deferred piece's data until its first use: the aval, nothing computed."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


def _spans(name, shape, attrs):
    """(axis, [(start, size or None for a selected index)]) of a split/chunk/unbind, or None."""
    kw = dict(attrs)
    ndim = len(shape)
    dim = kw.get("dim", 0)
    if not isinstance(dim, int) or not ndim or not -ndim <= dim < ndim:
        return None  # the op itself raises PyTorch's error
    axis = dim % ndim
    n = shape[axis]
    if name == "unbind":
        return axis, [(i, None) for i in range(n)]
    if name == "chunk":
        chunks = kw["chunks"]
        if not isinstance(chunks, int) or chunks <= 0 or not n:
            return None
        s = -(-n // chunks)
    else:
        s = kw["split_size_or_sections"]
        if isinstance(s, int) and (s <= 0 or not n):
            return None
        if not isinstance(s, int) and (sum(s) != n or any(not isinstance(x, int) or x < 0 for x in s)):
            return None  # the op itself raises PyTorch's error
    sizes = _view_ops.split_sizes(n, s, dim)
    spans, start = [], 0
    for size in sizes:
        spans.append((start, size))
        start += size
    return axis, spans


def deferred_pieces(src, axis, spans, requires_grad):
    """Views of ``src``, one per span, each recorded when first used (Tensor._refresh_view)."""
    from .._tensor import Tensor

    root = src._base if src._base is not None else src
    shape = tuple(src._data.shape)
    np_dtype = src._data.dtype
    out = []
    for start, size in spans:
        if size is None:
            link = (unbind_piece.opdef, (("axis", axis), ("_inputs", (start,))))
            pshape = shape[:axis] + shape[axis + 1 :]
        else:
            link = (split_piece.opdef, (("axis", axis), ("size", size), ("_inputs", (start,))))
            pshape = shape[:axis] + (size,) + shape[axis + 1 :]
        t = Tensor._make(Deferred(pshape, np_dtype), src._dtype, src._device)
        t._base = root
        t._chain = src._chain + (link,)
        t._vbox = root._vbox
        t._seen = -1  # stale: the first _value() records the slice
        t._requires_grad = requires_grad
        t.__dict__["_deferred"] = True
        if "_detached" in src.__dict__:  # (see Tensor._detached_alias)
            t.__dict__["_detached"] = True
        out.append(t)
    return tuple(out)


def _lazy_ok():
    return not state.direct and state.capture is None


def split_many(op, args, attrs):
    """The deferred pieces of a many-way split/chunk/unbind, or None (then the op runs as usual)."""
    x = args[0]
    if not _lazy_ok() or not hasattr(x, "_chain"):
        return None
    plan = _spans(op.name, tuple(x._data.shape), attrs)
    if plan is None or len(plan[1]) <= PIECES_MAX:
        return None
    grad = state.grad_enabled and x._requires_grad
    return deferred_pieces(x, plan[0], plan[1], grad)


def cat_backward_pieces(node, grads):
    """Input gradients of a cat/stack node with many inputs as deferred slices, or None."""
    name = node.op.name
    g = grads[0]
    if name not in ("cat", "stack") or g is None or len(grads) != 1:
        return None
    if g._dtype.np != node.out_avals[0][1]:
        return None
    ndim = g.dim()
    dim = dict(node.attrs).get("dim", 0)
    if not -ndim <= dim < ndim:
        return None
    axis = dim % ndim
    shapes = [tuple(v.shape) for v in node.saved]
    if name == "stack":
        spans = [(i, None) for i in range(len(shapes))]
    else:
        if any(len(s) != ndim for s in shapes):
            return None  # torch's legacy empty inputs: the usual path
        spans, start = [], 0
        for s in shapes:
            spans.append((start, s[axis]))
            start += s[axis]
    pieces = deferred_pieces(g, axis, spans, False)
    return [p if e is not None else None for p, e in zip(pieces, node.edges)]


def cat_many(op, args, attrs):
    """A cat/stack of many inputs computed in groups (each a small program), or None."""
    from .._dispatch import dispatch
    from .._engine.execute import flush
    from ..autograd import graph as autograd_graph
    from .shape import cat

    tensors = args[0]
    if not _lazy_ok() or type(tensors) not in (list, tuple) or len(tensors) <= GROUP_MAX:
        return None
    if not all(hasattr(t, "_chain") for t in tensors) or len({t._dtype for t in tensors}) != 1:
        return None
    shapes = [tuple(t._data.shape) for t in tensors]
    ndim = len(shapes[0]) + (op.name == "stack")
    dim = dict(attrs).get("dim", 0)
    if not ndim or not -ndim <= dim < ndim:
        return None
    axis = dim % ndim
    ref = shapes[0]
    for s in shapes:  # anything the op would refuse goes the usual way, to raise PyTorch's error
        if len(s) != len(ref) or (op.name == "stack" and s != ref):
            return None
        if any(a != b for k, (a, b) in enumerate(zip(s, ref)) if k != axis):
            return None
    prev = state.grad_enabled
    state.grad_enabled = False
    try:
        parts = []
        for i in range(0, len(tensors), GROUP_MAX):
            parts.append(dispatch(op, [list(tensors[i : i + GROUP_MAX])], attrs))
            flush("cat of many inputs")
        out = dispatch(cat.opdef, [parts], (("dim", axis),))
    finally:
        state.grad_enabled = prev
    if (
        prev
        and op.differentiable
        and any(t._requires_grad for t in tensors)
        and (out._dtype.is_floating_point or out._dtype.is_complex)
    ):
        values = [[t._value() for t in tensors]]
        node = autograd_graph.OpNode(op, attrs, [list(tensors)], values, [out._value()], False)
        out._requires_grad = True
        out.grad_fn = node
        out._out_idx = 0
    return out


def _install():
    from .registry import OPS

    for name in ("split", "chunk", "unbind"):
        OPS[name].intercept = split_many
    for name in ("cat", "stack"):
        OPS[name].intercept = cat_many


_install()
