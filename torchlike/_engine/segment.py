"""torch.compile(module): the module's forward recorded once, then replayed as ONE differentiable op.

A forward call is recorded by flushing and running it lazily under capture: the nodes it appends
to the (empty) pending graph are the segment; its program inputs are the call's tensor arguments,
the module's parameters and buffers, or constants; its Python numbers are constants or random
generator counters; its outputs are the returned tensors and the buffers it rebinds (BatchNorm's
running statistics). When two recordings of one call signature agree, later calls record a single
node whose kernel is the segment (``trace.build_function``) and whose gradient is ``jax.vjp`` of
it (the registry's generic vjp): the forward costs one dispatch and the backward one node, however
many layers the module has. Anything the recording cannot account for (a sync or a print inside,
hooks, Python state changes, a new tensor kept on a module, an output that is not a computed
value) keeps the signature on plain calls.
"""

from __future__ import annotations

import weakref

import jax
import jax.numpy as jnp
import numpy as np

from .._context import state
from . import metrics
from .capture import (
    Entry,
    SourcedInt,
    _module_key,
    _python_state,
    _same_module,
    _tensor_type,
    call_key,
    capturing,
)
from .graph import Pending, Scalar
from .trace import build_function

MAX_RECORDINGS = 6
_F64 = np.dtype(np.float64)


class _Plan:
    """One recorded forward: its op, where its inputs come from, where its outputs go."""

    def __init__(self, cap, graph, arg_index, module_tensors, out, n):
        from .._ops.registry import OpDef
        from .execute import _prune

        Tensor = _tensor_type()
        index = {}  # id(Pending) -> (node, output)
        for node in graph.nodes:
            for i, ref in enumerate(node.outs):
                p = ref()
                if p is not None:
                    index[id(p)] = (node.index, i)
        outputs, self.result = [], []
        flat, self.treedef = jax.tree_util.tree_flatten(
            out, is_leaf=lambda x: isinstance(x, Tensor)
        )
        for leaf in flat:
            if not isinstance(leaf, Tensor):
                raise _NotRecordable("the forward returns a value that is not a tensor")
            pos = index.get(id(leaf._data))
            if pos is None or leaf._base is not None:
                raise _NotRecordable("the forward returns a tensor it did not compute")
            self.result.append((len(outputs), leaf._dtype, leaf._device))
            outputs.append(pos)
        self.buffers = []  # (weakref, output index): tensors of the module the forward rebinds
        for t, _ in module_tensors.values():
            pos = index.get(id(t._data))
            if pos is not None:
                self.buffers.append((weakref.ref(t), len(outputs)))
                outputs.append(pos)
        program, self.sig_ids, outputs = _prune(graph, outputs)
        self.inputs = []  # (0, leaf index) | (1, weakref) | (2, constant array), with its aval
        for a in graph.inputs:
            aval = (a.shape, a.dtype)
            i = arg_index.get(id(a))
            hit = module_tensors.get(id(a))
            if i is not None:
                self.inputs.append((0, i) + aval)
            elif hit is not None and hit[1]() is a:
                self.inputs.append((1, weakref.ref(hit[0])) + aval)
            else:
                self.inputs.append((2, a) + aval)
        self.scalars = []  # (0, constant) | (1, (generator, offset))
        for v in graph.scalars:
            self.scalars.append((1, v.source) if type(v) is SourcedInt else (0, float(v)))
        self.generators = [(g, g._seed, g._counter - start) for g, start in cap.rng.items()]
        self.modules = [(weakref.ref(m), _module_key(m)) for m in cap.modules.values()]
        run = build_function(program, outputs)

        def kernel(arrays, scalars):
            vec = jnp.stack(scalars) if scalars else jnp.zeros((0,), jnp.float64)
            return tuple(run(*arrays, vec))

        self.op = OpDef(f"compiled_forward_{n}", kernel, grad_name="CompiledFunctionBackward")

    def same_as(self, other) -> bool:
        def ident(p):
            return (
                p.sig_ids,
                p.treedef,
                [r[1:] for r in p.result],
                [(id(r()), k) for r, k in p.buffers],
                [
                    (k, s if k == 0 else id(s()) if k == 1 else None, shape, dt)
                    for k, s, shape, dt in p.inputs
                ],
                [(k, v if k == 0 else (id(v[0]), v[1])) for k, v in p.scalars],
                [(id(g), seed, d) for g, seed, d in p.generators],
                [(id(r()), (k[0], k[1], tuple(ids for _, ids in k[2]))) for r, k in p.modules],
            )

        if ident(self) != ident(other):
            return False
        return all(
            a[0] != 2 or np.array_equal(np.asarray(a[1]), np.asarray(b[1]))
            for a, b in zip(self.inputs, other.inputs)
        )

    def replay(self, leaves):
        """Record the forward as one node; None when a guard fails."""
        from .._dispatch import dispatch
        from ..autograd.grad_mode import no_grad

        for r, key in self.modules:
            m = r()
            if m is None or not _same_module(m, key) or _has_hooks(m):
                return None
        for g, seed, _ in self.generators:
            if g._seed != seed:
                return None
        arrays = []
        for kind, src, shape, dtype in self.inputs:
            if kind == 2:
                arrays.append(src)
                continue
            t = leaves[src] if kind == 0 else src()
            if t is None or t._data.shape != shape or t._dtype.np != dtype:
                return None
            arrays.append(t)
        bufs = [(r(), k) for r, k in self.buffers]
        if any(t is None for t, _ in bufs):
            return None
        scalars = []
        for kind, v in self.scalars:
            scalars.append(Scalar(v if kind == 0 else v[0]._counter + v[1], _F64))
        for g, _, delta in self.generators:
            g._counter += delta
        outs = dispatch(self.op, [arrays, scalars], ())
        metrics.metrics.replays += 1
        with no_grad():
            for t, k in bufs:
                t._inplace_assign(outs[k].detach())
        return jax.tree_util.tree_unflatten(self.treedef, [outs[k] for k, _, _ in self.result])


class _NotRecordable(Exception):
    pass


def _has_hooks(m) -> bool:
    from ..nn.modules import module as M

    return bool(
        m._forward_hooks
        or m._forward_pre_hooks
        or m._backward_hooks
        or m._backward_pre_hooks
        or M._global_forward_hooks
        or M._global_forward_pre_hooks
    )


class CompiledForward:
    """Per call signature: plain first call, two agreeing recordings, then one-op replays."""

    _count = 0

    def __init__(self, module):
        self.module = module
        self.entries = {}

    def __call__(self, args, kwargs):
        mod = self.module
        found = call_key(args, kwargs)
        if found is None:
            return mod(*args, **kwargs)
        leaves, key = found
        e = self.entries.get(key)
        if e is None:
            e = self.entries[key] = Entry()
        for plan in e.plans:
            out = plan.replay(leaves)
            if out is not None:
                return out
        e.calls += 1
        if e.reason is not None or e.calls > MAX_RECORDINGS:
            return mod(*args, **kwargs)
        out, plan, reason = self._record(args, kwargs, leaves)
        if plan is None:
            if e.calls > 1:  # (a first call may initialise the module: a lazy layer)
                e.refuse(f"torch.compile({type(mod).__name__})", reason)
        else:
            e.add(plan)
        return out

    def _record(self, args, kwargs, leaves):
        Tensor = _tensor_type()
        from .execute import flush

        mod = self.module
        if any(_has_hooks(m) for m in mod.modules()):
            return mod(*args, **kwargs), None, "the module has hooks"
        flush("torch.compile(module) recording")
        arg_index = {}
        for i, t in enumerate(leaves):
            if isinstance(t, Tensor):
                arg_index.setdefault(id(t._concrete("torch.compile(module) arguments")), i)
        module_tensors = {}  # id(array) -> (tensor, weakref to the array)
        for t in list(mod.parameters()) + list(mod.buffers()):
            a = t._concrete("torch.compile(module) parameters")
            if type(a) is not np.ndarray:
                module_tensors[id(a)] = (t, weakref.ref(a))
        python = [(m, _python_state(m)) for m in mod.modules()]
        with capturing() as cap:
            out = mod(*args, **kwargs)
        graph = state.graph
        if cap.broken is not None:
            return out, None, cap.broken
        if graph is None or not graph.nodes:
            return out, None, "the forward computes nothing"
        if any(_python_state(m) != s for m, s in python):
            return out, None, "the forward changes the Python state of a module"
        for m in mod.modules():
            for k, v in m.__dict__.items():
                if isinstance(v, Tensor) and type(v._data) is Pending and v._data.array is None:
                    return out, None, f"the forward keeps a new tensor on the module ({k!r})"
        CompiledForward._count += 1
        try:
            plan = _Plan(cap, graph, arg_index, module_tensors, out, CompiledForward._count)
        except _NotRecordable as e:
            return out, None, str(e)
        return out, plan, None
