"""The whole backward as one recorded op (the common case of ``loss.backward()``).

The per-node walk (graph.run_backward) records one VJP op per autograd node; for a small model
that Python is most of a training step. When nothing can observe the intermediate gradients (no
hooks, no retain_grad, no create_graph, no custom Functions, no anomaly mode, every leaf's
gradient accumulated), the same walk runs inside ONE op instead: its static plan lists the nodes
(op, attributes, saved inputs, where each input's gradient goes), its kernel takes each node's
VJP at its saved inputs in reverse recording order. The program is the one the per-node walk
records (each VJP re-traces only its own op, so XLA merges it with the forward as before); only
the Python per node is gone.

Anything else takes the per-node walk, whose results this path equals.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import _dtype
from .._context import state
from .._engine.graph import record
from .._ops.registry import OpDef
from .._tensor import Tensor

_BY_NP = _dtype._BY_NP
MAX_NODES = 256
LOOP_REPEATS = 48
_PLANS: list = []  # plan id -> plan
_PLAN_IDS: dict = {}  # plan -> plan id (a pure cache: equal plans, equal ids)


def _kernel(*args, plan):
    """The per-node backward walk, inside one op: each node's VJP (jax.vjp of its kernel at its
    saved inputs), in reverse recording order, cotangents summed per node output and per output
    slot (a leaf, or a node outside this piece); ``inits`` are slot sums carried in."""
    nodes, roots, slot_avals, init_slots = _PLANS[plan]
    n_in = len(args) - len(roots) - len(init_slots)
    inputs, cts, inits = args[:n_in], args[n_in:n_in + len(roots)], args[n_in + len(roots):]
    buf = {}
    for (j, i, dt), c in zip(roots, cts):
        _put(buf, (j, i), c.astype(dt))
    slots = [None] * len(slot_avals)
    for k, v in zip(init_slots, inits):
        slots[k] = v
    for j in range(len(nodes) - 1, -1, -1):
        op, attrs, structure, multi, refs, edges, out_avals = nodes[j]
        out_sel = [i for i, (_, dt) in enumerate(out_avals) if _graph._INEXACT[dt]]
        cs = [buf.pop((j, i), None) for i in out_sel]
        if all(c is None for c in cs):
            continue
        # a gradient of another dtype is cast to the output's, as torch's engine does
        cs = [jnp.zeros(*out_avals[i]) if c is None else c.astype(out_avals[i][1]) for c, i in zip(cs, out_sel)]
        primals = [inputs[k] for k in refs]
        diff = [i for i, e in enumerate(edges) if e is not None]
        grads = _vjp(op.kernel, dict(attrs), structure, multi, out_sel, primals, diff, cs)
        for i, g in zip(diff, grads):
            e = edges[i]
            if e[0] < 0:
                k = -1 - e[0]
                slots[k] = g if slots[k] is None else slots[k] + g
            else:
                _put(buf, e, g)
    return tuple(jnp.zeros(*a) if g is None else g for g, a in zip(slots, slot_avals))


def _put(buf, key, g):
    old = buf.get(key)
    buf[key] = g if old is None else old + g


def _vjp(kernel, kw, structure, multi, out_sel, primals, diff, cts):
    def f(*d):
        leaves = list(primals)
        for i, x in zip(diff, d):
            leaves[i] = x
        out = kernel(*_graph._unflatten(leaves, structure), **kw)
        return tuple(out[i] for i in out_sel) if multi else out

    _, pull = jax.vjp(f, *[primals[i] for i in diff])
    return pull(tuple(cts) if multi else cts[0])


FUSED_BACKWARD = OpDef("fused_backward", _kernel, differentiable=False)


def try_fused_backward(roots, grad_tensors, retain_graph) -> bool:
    """Run the backward of ``roots`` (tensors with a grad_fn) as one op and accumulate the leaves'
    gradients; False (nothing done) when the graph needs the per-node walk."""
    AccumulateGrad, OpNode = _graph.AccumulateGrad, _graph.OpNode
    if state.anomaly or state.direct:
        return False
    cts = {}
    stack = []
    for t, g in zip(roots, grad_tensors):
        fn = t.grad_fn
        if fn is None or not isinstance(g, Tensor) or t._device.type == "meta":
            return False
        key = (fn, t._out_idx)
        cts[key] = g if key not in cts else cts[key] + g
        stack.append(fn)
    seen = set()
    nodes = []
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if type(n) is AccumulateGrad:
            if n.variable._hooks or "_post_acc_hooks" in n.variable.__dict__:
                return False
            continue
        if (not isinstance(n, OpNode) or n.saved is None or n.op.vjp is not None or n._tensor_hooks
                or n._retained or n._pre_hooks or n._post_hooks or n._packed is not None):
            return False
        nodes.append(n)
        for e in n.edges:
            if e is not None:
                stack.append(e[0])
    nodes.sort(key=_seq)
    if len(nodes) > MAX_NODES or _unrolled_loop(nodes):
        # a loop unrolled in Python (an RNN cell stepped over time): one op would be one program,
        # whose XLA compile time grows faster than linearly in the number of steps; so pieces
        if state.capture is not None:
            return False
        _pieces.run(nodes, cts, grad_tensors[0]._device)
        if not retain_graph:
            for n in nodes:
                n._free()
        return True
    position = {n: j for j, n in enumerate(nodes)}
    inputs, plan_nodes, leaves, leaf_avals = _pieces.plan_piece(nodes, 0, len(nodes), position)
    if not leaves:
        return False
    root_refs, root_cts = [], []
    for (fn, idx), g in cts.items():
        j = position.get(fn)
        if j is None:
            return False
        root_refs.append((j, idx, fn.out_avals[idx][1]))
        root_cts.append(g._value())
    outs = record_plan((tuple(plan_nodes), tuple(root_refs), tuple(leaf_avals), ()), inputs + root_cts)
    device = grad_tensors[0]._device
    for acc, p in zip(leaves, outs):
        accumulate(acc.variable, Tensor._make(p, _BY_NP[p.dtype], device))
    if not retain_graph:
        for n in nodes:
            n._free()
    return True


def record_plan(plan, args):
    """Record one fused backward op for ``plan`` (interned); its Pending outputs, one per slot."""
    plan_id = _PLAN_IDS.get(plan)
    if plan_id is None:
        plan_id = _PLAN_IDS[plan] = len(_PLANS)
        _PLANS.append(plan)
    out_avals = plan[2]
    outs, _ = record(FUSED_BACKWARD, (("plan", plan_id),), args, lambda *_: (out_avals, True))
    return outs


def accumulate(var, g):
    if var._grad is None and g._dtype is var._dtype and g._data.shape == var._data.shape:
        var._grad = g
    else:
        _graph._accumulate(var, g, False)


from . import _fused_pieces as _pieces  # noqa: E402
from . import graph as _graph  # noqa: E402  (graph imports this module)


def _unrolled_loop(nodes) -> bool:
    """Whether one op recurs LOOP_REPEATS times (an op applied per timestep); cheap, counted only
    for graphs long enough to hold such a loop."""
    if len(nodes) < LOOP_REPEATS:
        return False
    counts: dict = {}
    for n in nodes:
        c = counts[n.op] = counts.get(n.op, 0) + 1
        if c >= LOOP_REPEATS:
            return True
    return False


def _seq(n):
    return n.seq
