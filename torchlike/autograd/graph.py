"""The autograd graph: one node per differentiable op application, and the backward walk.

A node's backward is more lazy graph: it records the op's VJP (jax.vjp of its kernel), so
forward, backward and the optimizer update end up in one compiled program.
"""

from __future__ import annotations

import heapq
import itertools

import jax
import jax.numpy as jnp

from .. import _dispatch  # (a module: the two import each other)
from .._context import state
from .._engine.graph import Pending, Scalar
from .._ops import pieces as _pieces
from .._ops.registry import OpDef
from .._tensor import Tensor
from ..utils import hooks as _hooks
from . import _fused
from . import saved_tensors as _saved

_seq = itertools.count()


class RemovableHandle(_hooks.RemovableHandle):
    """torch.utils.hooks.RemovableHandle that registers ``hook`` in ``hooks_dict``."""

    def __init__(self, hooks_dict, hook):
        super().__init__(hooks_dict)
        hooks_dict[self.id] = hook


# instance attributes of torchlike's nodes that are not part of PyTorch's grad_fn API
_NODE_INTERNALS = frozenset(
    {"attrs", "edges", "history", "multi", "op", "out_avals", "saved", "seq", "structure"}
)


class Node:
    """Base of grad_fn objects. Subclasses implement ``apply(grads) -> grads per edge``."""

    _saved_freed = False
    # made on first use (a node per op: no empty dicts per node)
    _tensor_hooks = None  # out index -> {id: hook}
    _retained = None  # out index -> tensor (retain_grad)
    _pre_hooks = None  # {id: hook}
    _post_hooks = None
    _packed = None  # saved name -> [packed, unpack_hook, source, meta] (saved_tensors.py)
    _meta = None
    _numbers = 0  # OpNode: bit i set where input i is a Python number
    _nones = 0  # OpNode: bit i set where input i is None
    _hidden = 0  # OpNode: bit i set where input i has no edge in PyTorch (indices, masks)

    def __init__(self, edges):
        self.edges = edges  # per input: (Node, output index) or None
        self.seq = next(_seq)

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def __dir__(self):
        # PyTorch's nodes show their Python API only: not the engine's bookkeeping below
        return sorted(a for a in super().__dir__() if a not in _NODE_INTERNALS)

    @property
    def requires_grad(self) -> bool:
        return True  # a node in the graph exists because an input needs a gradient

    def __getattr__(self, attr):
        # (only for attributes not found otherwise: grad_fn._saved_self, _raw_saved_self)
        if attr.startswith("_saved_") or attr.startswith("_raw_saved_"):
            return _saved.saved_attribute(self, attr)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")

    @property
    def metadata(self) -> dict:
        if self._meta is None:
            self._meta = {}
        return self._meta

    def _sequence_nr(self) -> int:
        return self.seq

    @property
    def next_functions(self):
        return tuple((e[0], e[1]) if e is not None else (None, 0) for e in self.edges)

    def register_hook(self, hook):
        if self._post_hooks is None:
            self._post_hooks = {}
        return RemovableHandle(self._post_hooks, hook)

    def register_prehook(self, hook):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return RemovableHandle(self._pre_hooks, hook)

    def _add_tensor_hook(self, index, hook):
        if self._tensor_hooks is None:
            self._tensor_hooks = {}
        return RemovableHandle(self._tensor_hooks.setdefault(index, {}), hook)

    def _retain(self, index, tensor):
        if self._retained is None:
            self._retained = {}
        import weakref

        self._retained[index] = weakref.ref(tensor)


class AccumulateGrad(Node):
    """The sink of a leaf tensor's gradient."""

    __module__ = "builtins"  # a C++ class in PyTorch: <class 'AccumulateGrad'>

    def __init__(self, variable):
        self.edges = ()
        # as PyTorch's (UINT64_MAX): a leaf's gradient is accumulated (and its hooks run) as soon
        # as it is complete
        self.seq = 18446744073709551615
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {hex(id(self))}>"


def grad_edge(t: Tensor):
    if not t._requires_grad:
        return None
    if t.grad_fn is not None:
        return (t.grad_fn, t._out_idx)
    if t._base is not None and t._seen != t._vbox[0]:  # a stale or deferred view: its history first
        t._value()
        if t.grad_fn is not None:
            return (t.grad_fn, t._out_idx)
    acc = t._accum
    if acc is None:
        acc = t._accum = AccumulateGrad(t)
    return (acc, 0)


def _flatten(args):
    """Flatten op arguments one list deep: leaves, and the structure to rebuild them."""
    leaves, structure = [], []
    for a in args:
        if type(a) is list or type(a) is tuple:
            leaves.extend(a)
            structure.append(len(a))
        else:
            leaves.append(a)
            structure.append(-1)
    return leaves, tuple(structure)


def _unflatten(leaves, structure):
    args, i = [], 0
    for s in structure:
        if s < 0:
            args.append(leaves[i])
            i += 1
        else:
            args.append(list(leaves[i : i + s]))
            i += s
    return args


def _list_free(args) -> bool:
    for a in args:
        if type(a) is list or type(a) is tuple:
            return False
    return True


class _Flat(dict):
    """n -> the _flatten structure of n arguments none of which is a list."""

    def __missing__(self, n):
        v = self[n] = (-1,) * n
        return v


_FLAT = _Flat()


class _Inexact(dict):
    """numpy dtype -> is it floating or complex (jnp.issubdtype costs ~1 us a call)."""

    def __missing__(self, dt):
        v = self[dt] = bool(jnp.issubdtype(dt, jnp.inexact))
        return v


_INEXACT = _Inexact()


_NAMED_NODES: dict = {}

# nodes of PyTorch's Scalar overloads: their number is no edge (rsub.Scalar, unlike add's
# wrapped-number other)
_SCALAR_OVERLOADS = frozenset({"RsubBackward1"})


# inputs PyTorch's derivative formulas declare non-differentiable (no edge in next_functions):
# integer or boolean indices, masks, conditions and class targets; nll_loss's weight
_INDEX_SLOTS = frozenset({"index", "indices", "mask", "condition", "target"})
_WEIGHTLESS = frozenset({"nll_loss", "cross_entropy", "nll_loss2d"})


def _no_edge(op_name, name, leaf) -> bool:
    if name in _INDEX_SLOTS:
        return isinstance(leaf, Tensor) and not (leaf._dtype.is_floating_point or leaf._dtype.is_complex)
    return name == "weight" and op_name in _WEIGHTLESS


class OpNode(Node):
    """grad_fn of a registered op: saves its inputs and replays jax.vjp of its kernel."""

    def __init__(self, op, attrs, args, values, outs, multi):
        names = None
        if _list_free(args):
            leaves, vleaves, structure = args, values, _FLAT[len(args)]
            names = op.input_names
        else:
            leaves, structure = _flatten(args)
            vleaves, _ = _flatten(values)
        edges = []
        history = []  # for inputs that need a gradient: their history today (for create_graph)
        numbers = 0  # bit i: input i is a Python number (next_functions hides most of them)
        nones = 0  # bit i: input i is an absent optional tensor (linear's bias)
        hidden = 0  # bit i: input i has no edge in PyTorch (an index, a mask, a class target)
        for leaf in leaves:
            if isinstance(leaf, Tensor) and leaf._requires_grad:
                e = grad_edge(leaf)
                edges.append(e)
                history.append((len(edges) - 1, leaf._dtype, leaf._device, leaf.grad_fn, leaf._out_idx, leaf._accum))
            else:
                i = len(edges)
                v = vleaves[i]
                if type(v) is Scalar:
                    numbers |= 1 << i
                elif names is not None and i < len(names) and _no_edge(op.name, names[i], leaf):
                    hidden |= 1 << i
                elif v is None:
                    nones |= 1 << i
                edges.append(None)
        if hidden:
            self._hidden = hidden
        if numbers:
            self._numbers = numbers
        if nones:
            self._nones = nones
        self.edges = tuple(edges)
        self.seq = next(_seq)
        self.op = op
        self.attrs = attrs
        # values, not tensors: today's values, whatever in-place ops do to the tensors later
        self.saved = vleaves
        self.history = history
        self.structure = structure
        self.out_avals = tuple([(p.shape, p.dtype) for p in outs])
        self.multi = multi
        gname = (op.grad_name_of and op.grad_name_of(args, attrs)) or op.grad_name
        self.__class__ = _named_node_class(gname)

    def _saved_for_dispatch(self):
        """The saved inputs; with grad mode on (create_graph), tensors carrying their history."""
        if not state.grad_enabled or not self.history:
            return list(self.saved)
        saved = list(self.saved)
        for i, dt, dev, fn, idx, acc in self.history:
            snap = Tensor._make(saved[i], dt, dev)
            snap._requires_grad = True
            snap.grad_fn, snap._out_idx, snap._accum = fn, idx, acc
            saved[i] = snap
        return saved

    def name(self):
        n = type(self).__name__
        return "torch::autograd::" + n if n in _HAND_WRITTEN_NODES else n

    def __dir__(self):
        hidden = ("_saved_freed", "_saved_for_dispatch")
        return sorted({a for a in super().__dir__() if a not in hidden} | set(_saved.names(self)))

    @property
    def next_functions(self):
        nf = super().next_functions
        if self.op.name == "linear" and len(nf) == 3:
            if nf[1][0] is not None:  # PyTorch saves weight.t(): its edge is a TBackward0
                t = self.__dict__.get("_t_node")
                if t is None:
                    t = self._t_node = TBackward0((nf[1],))
                nf = (nf[0], (t, 0), nf[2])
            if type(self).__name__ == "AddmmBackward0":
                return (nf[2], nf[0], nf[1])  # PyTorch's AddmmBackward0 lists (bias, input, weight)
            return nf[:2] if self._nones >> 2 & 1 else nf
        numbers = self._numbers
        if numbers:
            # a Python number is an edge only where PyTorch wraps it in a tensor (x * 2, not x ** 2)
            names = self.op.input_names
            wrapped = type(self).__name__ not in _SCALAR_OVERLOADS
            hidden = self._hidden
            return tuple(
                e for i, e in enumerate(nf)
                if not hidden >> i & 1
                and (not numbers >> i & 1 or (wrapped and i < len(names) and names[i] in ("y", "other")))
            )
        hidden = self._hidden
        if hidden:
            return tuple(e for i, e in enumerate(nf) if not hidden >> i & 1)
        return nf

    def _apply(self, grads):
        if self._packed is not None and self.saved is not None:
            _saved.unpack_node(self)
        if self.saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved tensors after "
                "they have already been freed). Saved intermediate values of the graph are freed when you call "
                ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved tensors after calling backward."
            )
        if len(self.edges) > _pieces.PIECES_MAX and not state.grad_enabled:
            out = _pieces.cat_backward_pieces(self, grads)
            if out is not None:
                return out
        diff = tuple(i for i, e in enumerate(self.edges) if e is not None)
        out_sel = tuple(i for i, (_, dt) in enumerate(self.out_avals) if _INEXACT[dt])
        cts = [grads[i] if grads[i] is not None else None for i in out_sel]
        op = vjp_op(self.op)
        attrs = (
            ("fwd_attrs", self.attrs), ("n_primal", len(self.saved)), ("diff", diff),
            ("structure", self.structure), ("out_sel", out_sel), ("multi", self.multi),
            ("out_avals", tuple(self.out_avals[i] for i in out_sel)),
        )
        res = _dispatch.dispatch(op, self._saved_for_dispatch() + cts, attrs)
        if not isinstance(res, tuple):
            res = (res,)
        if state.grad_enabled:  # (create_graph) the node is named after PyTorch's formula's last op
            named = _DOUBLE_BACKWARD_NAMES.get(type(self).__name__)
            if named is not None:
                for g in res:
                    if isinstance(g, Tensor) and isinstance(g.grad_fn, OpNode) and g.grad_fn.op is op:
                        g.grad_fn.__class__ = _named_node_class(named)
        out = [None] * len(self.edges)
        for i, g in zip(diff, res):
            out[i] = g
        return out

    def _free(self):
        self.saved = None
        if self._packed is not None:
            self._packed = None


class TBackward0(Node):
    """The transpose node PyTorch's linear has between AddmmBackward0 and the weight: shown by
    next_functions only (the weight's gradient flows through the linear node itself)."""

    __module__ = "builtins"


# nodes PyTorch writes by hand in C++ rather than generates: name() gives their C++ namespace
_HAND_WRITTEN_NODES = frozenset({"CopySlices", "CopyBackwards"})


def _named_node_class(gname: str) -> type:
    cls = _NAMED_NODES.get(gname)
    if cls is None:  # type(y.grad_fn).__name__ is 'SumBackward0', as in PyTorch
        cls = _NAMED_NODES[gname] = type(gname, (OpNode,), {"__module__": "builtins"})
    return cls


# The grad_fn of a gradient computed with create_graph=True is, in PyTorch, the last op of the
# forward op's derivative formula (derivatives.yaml): ``grad * 2 * x`` for ``x ** 2`` is a
# MulBackward0. Ops whose derivative is an op of its own keep the generic '<Name>BackwardBackward0'.
_DOUBLE_BACKWARD_NAMES = {
    "MulBackward0": "MulBackward0",
    "PowBackward0": "MulBackward0",
    "PowBackward1": "WhereBackward0",
    "PowBackward2": "MulBackward0",
    "ExpBackward0": "MulBackward0",
    "Exp2Backward0": "MulBackward1",
    "SinBackward0": "MulBackward0",
    "CosBackward0": "MulBackward0",
    "AbsBackward0": "MulBackward0",
    "ReciprocalBackward0": "MulBackward0",
    "RsqrtBackward0": "MulBackward0",
    "DivBackward0": "DivBackward0",
    "LogBackward0": "DivBackward0",
    "Log1PBackward0": "DivBackward0",
    "SqrtBackward0": "DivBackward0",
    "MmBackward0": "MmBackward0",
    "AddmmBackward0": "MmBackward0",
    "ViewBackward0": "ViewBackward0",
    "ReluBackward0": "ThresholdBackwardBackward0",
    "LogSoftmaxBackward0": "LogSoftmaxBackwardDataBackward0",
}

_VJP_OPS: dict = {}


def vjp_op(op) -> OpDef:
    """The op computing ``op``'s input gradients (itself differentiable: higher-order grads)."""
    v = _VJP_OPS.get(op.name)
    if v is not None:
        return v
    fwd = op.kernel
    custom = op.vjp

    def kernel(*args, fwd_attrs, n_primal, diff, structure, out_sel, multi, out_avals):
        primals = list(args[:n_primal])
        cts = [
            # a gradient of another dtype is cast to the output's, as torch's engine does
            c.astype(dtype) if c is not None else jnp.zeros(shape, dtype)
            for c, (shape, dtype) in zip(args[n_primal:], out_avals)
        ]
        kw = dict(fwd_attrs)
        if custom is not None:
            return tuple(custom(primals, structure, diff, cts, out_sel, kw))

        def f(*d):
            leaves = list(primals)
            for i, x in zip(diff, d):
                leaves[i] = x
            out = fwd(*_unflatten(leaves, structure), **kw)
            if multi:
                return tuple(out[i] for i in out_sel)
            return out

        _, pull = jax.vjp(f, *[primals[i] for i in diff])
        grads = pull(tuple(cts) if multi else cts[0])
        return tuple(grads)

    v = OpDef(op.name + "_backward", kernel, grad_name=op.grad_name.replace("Backward0", "BackwardBackward0"))
    _VJP_OPS[op.name] = v
    return v


# -- the backward walk ----------------------------------------------------------------------------


def _collect(roots):
    """Every node reachable from roots, with how many edges point at it."""
    deps = {}
    stack = [n for n in roots]
    seen = set()
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        for e in n.edges:
            if e is not None:
                deps[e[0]] = deps.get(e[0], 0) + 1
                stack.append(e[0])
    return deps


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None, accumulate=True):
    """The engine behind ``backward`` and ``autograd.grad``. Returns captured grads for ``inputs``."""
    if inputs is None and accumulate and not create_graph and _fused_backward(tensors, grad_tensors, retain_graph):
        _run_callbacks()
        return []
    roots = []
    buffers = {}
    for t, g in zip(tensors, grad_tensors):
        e = grad_edge(t)
        if e is None:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        node, idx = e
        buf = buffers.setdefault(node, {})
        buf[idx] = _add(buf.get(idx), g)
        roots.append(node)
    capture = None
    if inputs is not None:
        capture = {}
        for k, t in enumerate(inputs):
            e = grad_edge(t)
            if e is not None:
                capture.setdefault((e[0], e[1]), []).append(k)
    deps = _collect(roots)
    pushes = itertools.count()  # (ties, e.g. leaves: in the order they became ready)
    ready = [(-n.seq, next(pushes), n) for n in dict.fromkeys(roots) if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    results = [None] * (len(inputs) if inputs is not None else 0)
    prev, prev_task = state.grad_enabled, state.backward_task
    state.grad_enabled = bool(create_graph)
    state.backward_task = (deps, roots, not accumulate)
    try:
        while ready:
            _, _, node = heapq.heappop(ready)
            buf = buffers.pop(node, {})
            if isinstance(node, AccumulateGrad):
                g = buf.get(0)
                var = node.variable
                if g is not None and var._hooks:
                    for h in list(var._hooks.values()):
                        r = h(g)
                        if r is not None:
                            g = r
                if capture is not None:
                    for k in capture.get((node, 0), ()):
                        results[k] = g
                if accumulate and g is not None:
                    _accumulate(var, g, create_graph)
                    post = var.__dict__.get("_post_acc_hooks")
                    if post:
                        for h in list(post.values()):
                            h(var)
                continue
            grads = _apply_node(node, buf, capture, results, retain_graph)
            for e, g in zip(node.edges, grads):
                if e is None:
                    continue
                nxt, idx = e
                if g is not None:
                    b = buffers.setdefault(nxt, {})
                    b[idx] = _add(b.get(idx), g)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    heapq.heappush(ready, (-nxt.seq, next(pushes), nxt))
    finally:
        state.grad_enabled, state.backward_task = prev, prev_task
    if accumulate:
        _run_callbacks()
    return results


def _run_callbacks():
    if state.backward_callbacks:
        callbacks = list(state.backward_callbacks.values())
        state.backward_callbacks.clear()
        for cb in callbacks:
            cb()


def _fused_backward(tensors, grad_tensors, retain_graph) -> bool:
    prev = state.grad_enabled
    state.grad_enabled = False
    try:
        return _fused.try_fused_backward(tensors, grad_tensors, retain_graph)
    finally:
        state.grad_enabled = prev


def _apply_node(node, buf, capture, results, retain_graph):
    n_out = len(getattr(node, "out_avals", ())) or (max(buf) + 1 if buf else 1)
    grads = [buf.get(i) for i in range(n_out)]
    if node._tensor_hooks:
        for i, hooks in node._tensor_hooks.items():
            if grads[i] is not None:
                for h in list(hooks.values()):
                    r = h(grads[i])
                    if r is not None:
                        grads[i] = r
    if node._retained:
        for i, ref in node._retained.items():
            t = ref()
            if t is not None and grads[i] is not None:
                g = grads[i].detach() if not state.grad_enabled else grads[i]
                t._grad = g if t._grad is None else t._grad + g
    if capture is not None:
        for i in range(n_out):
            for k in capture.get((node, i), ()):
                results[k] = grads[i]
    for h in list(node._pre_hooks.values()) if node._pre_hooks else ():
        r = h(tuple(grads))
        if r is not None:
            grads = list(r)
    if all(g is None for g in grads):
        out = [None] * len(node.edges)
    else:
        out = node._apply(grads)
        if state.anomaly:
            _check_anomaly(node, out)
    for h in list(node._post_hooks.values()) if node._post_hooks else ():
        r = h(tuple(out), tuple(grads))
        if r is not None:
            out = list(r)
    if not retain_graph:
        node._free()
    return out


def _check_anomaly(node, grads):
    """detect_anomaly: name the backward function that produced NaN (a host sync per node)."""
    for i, g in enumerate(grads):
        if g is not None and bool(g.detach().isnan().any()):
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


def _accumulate(var: Tensor, g: Tensor, create_graph: bool):
    if g._dtype is not var._dtype:
        g = g.to(var._dtype)
    if g.shape != var.shape:
        g = g.expand(var.shape) if g.dim() <= var.dim() else g.sum_to_size(var.shape)
    if var._grad is None:
        if create_graph:
            var._grad = g
        else:
            var._grad = Tensor._make(g._value(), g._dtype, g._device)
    elif create_graph:
        var._grad = var._grad + g
    else:
        from .._ops.pointwise import add

        new = add.frontend(var._grad.detach(), g.detach())
        var._grad._data = new._data
        var._grad._vbox[0] += 1


def is_pending(t: Tensor) -> bool:
    return type(t._data) is Pending and t._data.array is None


# torch.autograd.graph's public names (defined where they belong)
from ._grad_hooks import (  # noqa: E402, F401
    GradientEdge,
    get_gradient_edge,
    increment_version,
    register_multi_grad_hook,
)
from .saved_tensors import disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks  # noqa: E402, F401

pack_saved = _saved.pack_node
