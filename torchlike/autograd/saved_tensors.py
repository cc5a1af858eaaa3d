"""Saved tensors: ``grad_fn._saved_<name>`` / ``_raw_saved_<name>`` and the pack/unpack hooks
(``torch.autograd.graph.saved_tensors_hooks``, ``save_on_cpu``, ``disable_saved_tensors_hooks``).

An OpNode keeps its op's input *values* (its VJP re-traces the kernel at them), not PyTorch's
saved tensors. What PyTorch saves is described per backward node in ``SAVED``: the saved names,
in PyTorch's pack order, where each tensor comes from (an input, the output, ``weight.t()``) and
which inputs must require grad for it to be saved. With hooks active, recording a node calls the
pack hook on exactly those tensors (so the calls a tutorial prints match PyTorch's); the backward
calls the unpack hooks in the same order, and an unpacked *input* is the value the VJP uses (a
lossy pack changes the gradient, as in PyTorch). An unpacked output is checked, not used: the VJP
recomputes what it needs from the inputs, which the node keeps.

Nothing here runs unless hooks are active (one check of ``state.saved_hooks`` per recorded node)
or a ``_saved_*`` attribute is read.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .. import _dtype
from .._context import state
from .._engine.graph import Scalar
from .._tensor import Tensor

FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
_REGISTER_FREED = (
    "Calling register_hooks on a saved tensor after it has been freed. Saved intermediate values of "
    "the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
    "you need to backward through the graph a second time or if you need to access saved variables "
    "after calling backward."
)
_REGISTER_TWICE = (
    "Calling register_hooks on a saved tensor whose hooks have already been set. Hint: only one pair "
    "of hooks is allowed at a time."
)

# Where a saved tensor comes from: an input's flat index, the output, or a transform of an input.
RESULT = "result"


def _t(i):
    return ("t", i)  # input i transposed (linear saves weight.t() as addmm's mat2)


def _rows(i):
    return ("rows", i)  # input i as a matrix of rows (linear of a batch of matrices)


_SELF = (("self", 0, None),)
_OUT = (("result", RESULT, None),)
_BINARY_MUL = (("other", 1, (0,)), ("self", 0, (1,)))

# grad_fn name (or "op:grad_fn name" where torchlike's op differs) -> ((name, source, needs), ...)
# in PyTorch's pack order; ``needs``: the inputs one of which must require grad for it to be saved
# (None: always). A name of None is saved by a node torchlike folds into this one (not an attribute).
SAVED = {
    "MulBackward0": _BINARY_MUL,
    "DivBackward0": (("other", 1, (0, 1)), ("self", 0, (1,))),
    "PowBackward0": (("exponent", 1, (0,)), ("self", 0, (0, 1)), ("result", RESULT, (1,))),
    "MmBackward0": (("mat2", 1, (0,)), ("self", 0, (1,))),
    "BmmBackward0": (("mat2", 1, (0,)), ("self", 0, (1,))),
    "DotBackward0": (("self", 0, (1,)), ("tensor", 1, (0,))),
    "MvBackward0": (("self", 0, (1,)), ("vec", 1, (0,))),
    "AddmmBackward0": (("mat1", 1, (2,)), ("mat2", 2, (1,))),
    "linear:AddmmBackward0": (("mat1", 0, (1,)), ("mat2", _t(1), (0,))),
    "linear:MmBackward0": (("mat2", _t(1), (0,)), ("self", 0, (1,))),
    "linear:ViewBackward0": ((None, _rows(0), (1,)), (None, _t(1), (0,))),
    "matmul:UnsafeViewBackward0": ((None, 1, (0,)), (None, 0, (1,))),
    "MseLossBackward0": (("self", 0, None), ("target", 1, None)),
    **dict.fromkeys(
        ("SinBackward0", "CosBackward0", "TanBackward0", "LogBackward0", "Log2Backward0", "Log10Backward0",
         "Log1pBackward0", "AbsBackward0", "AsinBackward0", "AcosBackward0", "AtanBackward0", "SinhBackward0",
         "CoshBackward0", "ErfBackward0", "SignBackward0", "GeluBackward0", "SiluBackward0",
         "LeakyReluBackward0", "HardtanhBackward0", "SoftplusBackward0", "MishBackward0"),
        _SELF,
    ),
    **dict.fromkeys(
        ("ExpBackward0", "Exp2Backward0", "TanhBackward0", "SigmoidBackward0", "ReluBackward0", "SqrtBackward0",
         "RsqrtBackward0", "ReciprocalBackward0", "SoftmaxBackward0", "LogSoftmaxBackward0", "EluBackward0",
         "Expm1Backward0"),
        _OUT,
    ),
    **dict.fromkeys(
        ("AddBackward0", "SubBackward0", "NegBackward0", "SumBackward0", "SumBackward1", "MeanBackward0",
         "MeanBackward1", "ViewBackward0", "UnsafeViewBackward0", "TBackward0", "TransposeBackward0",
         "PermuteBackward0", "ExpandBackward0", "UnsqueezeBackward0", "SqueezeBackward0", "SqueezeBackward1",
         "CloneBackward0", "CatBackward0", "StackBackward0", "SliceBackward0", "SelectBackward0",
         "SplitBackward0", "UnbindBackward0", "ToCopyBackward0", "AliasBackward0", "NarrowBackward0",
         "RepeatBackward0", "FlattenBackward0", "ReshapeAliasBackward0"),
        (),
    ),
}


def entries(node) -> tuple:
    """The saved tensors of an OpNode: ((name, source, needs), ...); unknown nodes save every
    tensor input (named by the kernel's parameters, ``self`` for the first)."""
    gname = type(node).__name__
    e = SAVED.get(f"{node.op.name}:{gname}")
    if e is None:
        e = SAVED.get(gname)
    if e is None:
        names = node.op.input_names
        e = tuple(("self" if i == 0 else (names[i] if i < len(names) else f"input{i}"), i, None)
                  for i in range(len(node.edges)))
    return e


def names(node) -> list:
    """The ``_saved_*`` and ``_raw_saved_*`` attributes of a node (for ``dir(grad_fn)``)."""
    out = []
    for name, src, _ in entries(node):
        if name is not None:
            out.append("_saved_" + name)
            if not (type(src) is int and node.saved is not None and type(node.saved[src]) is Scalar):
                out.append("_raw_saved_" + name)
    return out


def _needed(node, needs) -> bool:
    return needs is None or any(k < len(node.edges) and node.edges[k] is not None for k in needs)


def _history(node, i):
    for h in node.history:
        if h[0] == i:
            return h
    return None


def _device_of(node):
    for h in node.history:
        return h[2]
    from .._device import CPU

    return CPU


def _input_tensor(node, i):
    """Input i as the tensor PyTorch's unpack gives: the leaf itself, else a tensor with its history."""
    v = node.saved[i]
    if v is None:
        return None
    if type(v) is Scalar:
        return v.value
    h = _history(node, i)
    if h is None:
        return Tensor._make(v, _dtype._BY_NP[np.dtype(v.dtype)], _device_of(node))
    _, dt, dev, fn, idx, acc = h
    if fn is None and acc is not None:
        return acc.variable
    return _with_meta(Tensor._make(v, dt, dev), (True, fn, idx, acc))


def _result_tensor(node):
    """The node's first output, recomputed from its saved inputs (the node does not hold it)."""
    from .. import _dispatch
    from .graph import _unflatten

    leaves = []
    dev = _device_of(node)
    for i, v in enumerate(node.saved):
        if v is None or type(v) is Scalar:
            leaves.append(None if v is None else v.value)
        else:
            h = _history(node, i)
            dt = h[1] if h is not None else _dtype._BY_NP[np.dtype(v.dtype)]
            leaves.append(Tensor._make(v, dt, h[2] if h is not None else dev))
    prev = state.grad_enabled
    state.grad_enabled = False
    try:
        out = _dispatch.dispatch(node.op, _unflatten(leaves, node.structure), node.attrs)
    finally:
        state.grad_enabled = prev
    if isinstance(out, tuple):
        out = out[0]
    return _with_meta(out, (True, node, 0, None))


def _source_tensor(node, src, leaves=None, results=None):
    """The tensor PyTorch saves for ``src``: from the op's arguments while recording, else rebuilt."""
    if type(src) is int:
        t = leaves[src] if leaves is not None else _input_tensor(node, src)
        return t if isinstance(t, Tensor) else None
    if src == RESULT:
        return results[0] if results is not None else _result_tensor(node)
    kind, i = src
    t = leaves[i] if leaves is not None else _input_tensor(node, i)
    if not isinstance(t, Tensor):
        return None
    return t.t() if kind == "t" else t.reshape(-1, t.shape[-1])


def _meta(node, src, t):
    """(requires_grad, grad_fn, output index, grad accumulator) an unpacked tensor gets back."""
    if src == RESULT:
        return (True, node, 0, None)
    return (t._requires_grad, t.grad_fn, t._out_idx, t._accum)


def _with_meta(t, meta):
    t._requires_grad, t.grad_fn, t._out_idx, t._accum = meta
    return t


def _call_pack(pack, t):
    prev = state.grad_enabled
    state.grad_enabled = False  # (as in PyTorch: the ops of a pack hook save nothing)
    try:
        return pack(t)
    finally:
        state.grad_enabled = prev


def _call_unpack(unpack, packed, meta):
    t = unpack(packed)
    if not isinstance(t, Tensor):
        raise TypeError(
            f"Output of saved tensor unpack_hook expected to be a Tensor but got result of type {type(t).__name__}"
        )
    out = Tensor._make(t._value(), t._dtype, t._device)
    return _with_meta(out, meta) if meta is not None else out


def pack_node(node, args, results):
    """Called while recording ``node`` under saved_tensors_hooks: pack what PyTorch saves."""
    from .graph import _flatten, _list_free

    pack, unpack = state.saved_hooks
    leaves = args if _list_free(args) else _flatten(args)[0]
    packed = {}
    saved = list(node.saved)
    for k, (name, src, needs) in enumerate(entries(node)):
        if not _needed(node, needs):
            continue
        t = _source_tensor(node, src, leaves, results)
        if t is None:
            continue
        meta = _meta(node, src, t)
        packed[name if name is not None else k] = [_call_pack(pack, t), unpack, src, meta]
        if type(src) is int:
            saved[src] = None  # the packed object holds it now (e.g. on the CPU, on disk)
    if packed:
        node.saved = saved
        node._packed = packed


def unpack_node(node):
    """The backward's unpack: each packed tensor in pack order; unpacked inputs become the
    values the VJP uses."""
    saved = list(node.saved)
    for packed, unpack, src, meta in node._packed.values():
        t = _call_unpack(unpack, packed, meta)
        if type(src) is int:
            saved[src] = t._value()
    node.saved = saved


def saved_attribute(node, attr):
    """``grad_fn._saved_<name>`` (the unpacked tensor) or ``_raw_saved_<name>`` (a SavedTensor)."""
    from .graph import OpNode

    raw = attr.startswith("_raw_saved_")
    name = attr[len("_raw_saved_"):] if raw else attr[len("_saved_"):]
    entry = None
    if isinstance(node, OpNode):
        for e in entries(node):
            if e[0] == name:
                entry = e
                break
    if entry is not None and type(entry[1]) is int and node.saved is not None:
        v = node.saved[entry[1]]
        if type(v) is Scalar:  # a number (x.pow(2)'s exponent): saved as a value, not a SavedTensor
            if raw:
                entry = None
            else:
                return v.value
    if entry is None:
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attr}'")
    if raw:
        return SavedTensor(node, entry)
    return _unpack_entry(node, entry)


def _unpack_entry(node, entry):
    name, src, needs = entry
    if node.saved is None:
        raise RuntimeError(FREED)
    if node._packed is not None and name in node._packed:
        packed, unpack, _, meta = node._packed[name]
        return _call_unpack(unpack, packed, meta)
    if not _needed(node, needs):
        return None
    return _source_tensor(node, src)


class SavedTensor:
    """One tensor saved for backward (``grad_fn._raw_saved_self``): ``register_hooks(pack, unpack)``."""

    def __init__(self, node, entry):
        self._node = node
        self._entry = entry

    def register_hooks(self, pack_hook, unpack_hook):
        if not (callable(pack_hook) and callable(unpack_hook)):
            raise TypeError(
                "register_hooks(): incompatible function arguments. The following argument types are supported:\n"
                "    1. (self: torch._C._autograd.SavedTensor, arg0: collections.abc.Callable, "
                "arg1: collections.abc.Callable) -> None"
            )
        node = self._node
        name, src, needs = self._entry
        if node.saved is None:
            raise RuntimeError(_REGISTER_FREED)
        if node._packed is not None and name in node._packed:
            raise RuntimeError(_REGISTER_TWICE)
        t = _unpack_entry(node, self._entry) if _needed(node, needs) else None
        if not isinstance(t, Tensor):
            raise RuntimeError("Calling register_hooks on a saved tensor with value None is forbidden")
        meta = _meta(node, src, t)
        alias = Tensor._make(t._value(), t._dtype, t._device)  # its data only, as PyTorch's pack gets
        packed = [_call_pack(pack_hook, alias), unpack_hook, src, meta]
        if node._packed is None:
            node._packed = {}
        node._packed[name] = packed
        if type(src) is int:
            saved = list(node.saved)
            saved[src] = None
            node.saved = saved


SavedTensor.__module__ = "torch._C._autograd"


# -- custom Functions (ctx.save_for_backward) ----------------------------------------------------


def pack_function(ctx, tensors):
    """Pack a custom Function's saved tensors (after its forward, as PyTorch does)."""
    pack, unpack = state.saved_hooks
    packed = []
    for t in tensors:
        if isinstance(t, Tensor):
            meta = (t._requires_grad, t.grad_fn, t._out_idx, t._accum)
            packed.append((_call_pack(pack, t), unpack, meta))
        else:
            packed.append(None)
    return packed


def unpack_function(packed):
    return tuple(None if p is None else _call_unpack(p[1], p[0], p[2]) for p in packed)


# -- the context managers --------------------------------------------------------------------------


class saved_tensors_hooks:
    """Context manager: tensors saved for backward inside it are packed by ``pack_hook`` and
    unpacked by ``unpack_hook`` when the backward (or ``grad_fn._saved_*``) needs them."""

    def __init__(self, pack_hook, unpack_hook) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        if state.saved_hooks_disabled is not None:
            raise RuntimeError(state.saved_hooks_disabled)
        if not (callable(self.pack_hook) and callable(self.unpack_hook)):
            raise TypeError(
                "_push_saved_tensors_default_hooks(): incompatible function arguments. The following argument "
                "types are supported:\n    1. (arg0: collections.abc.Callable, arg1: collections.abc.Callable) -> None"
            )
        stack = self.__dict__.setdefault("_outer", [])
        stack.append(state.saved_hooks)
        state.saved_hooks = (self.pack_hook, self.unpack_hook)

    def __exit__(self, *args) -> None:
        state.saved_hooks = self._outer.pop()


saved_tensors_hooks.__module__ = "torch.autograd.graph"


class save_on_cpu(saved_tensors_hooks):
    """Tensors saved for backward inside it are kept on the CPU and moved back for the backward."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack_to_cpu(tensor):
            if not pin_memory:
                return (tensor.device, tensor.cpu())
            from .. import _creation

            packed = _creation.empty(tensor.size(), dtype=tensor.dtype)
            packed.copy_(tensor)
            return (tensor.device, packed)

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device, non_blocking=pin_memory)

        super().__init__(pack_to_cpu, unpack_from_cpu)


save_on_cpu.__module__ = "torch.autograd.graph"


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message: str):
    """Inside it, using saved tensors hooks raises ``RuntimeError(error_message)``."""
    if state.saved_hooks is not None:
        raise RuntimeError(error_message)
    prev = state.saved_hooks_disabled
    state.saved_hooks_disabled = error_message
    try:
        yield
    finally:
        state.saved_hooks_disabled = prev
