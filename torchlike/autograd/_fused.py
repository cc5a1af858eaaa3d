"""The whole backward as one recorded op (the common case of ``loss.backward()``).

The per-node walk (graph.run_backward) records one VJP op per autograd node; for a small model
that Python is most of a training step. When nothing can observe the intermediate gradients
(no hooks, no retain_grad, no create_graph, no custom Functions, no anomaly mode, every leaf's
gradient accumulated) and the forward is still pending in the same lazy graph, the whole
backward is ONE op: its static plan lists the forward nodes (op, attributes, where each input
comes from), its kernel replays them as a function of the leaves' values and takes one
``jax.vjp``. XLA merges the replayed forward with the pending forward (common subexpressions),
as it already does for the per-node VJPs, which also replay their forward op.

Anything else (a graph someone can observe, a forward already flushed, a node that is not a
plain registered op) takes the per-node walk, whose results this path equals.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .._context import state
from .._engine.graph import Pending, record
from .._ops.registry import OpDef
from .._tensor import Tensor
from .. import _dtype

_BY_NP = _dtype._BY_NP
_PLANS: list = []  # plan id -> plan
_PLAN_IDS: dict = {}  # plan -> plan id (a pure cache: equal plans, equal ids)


def _kernel(*args, plan):
    nodes, roots, groups = _PLANS[plan]
    n_in = len(args) - len(roots)
    inputs, cts = args[:n_in], args[n_in:]
    occurrences = [k for group in groups for k in group]

    def forward(*diff):
        vals = list(inputs)
        for k, v in zip(occurrences, diff):
            vals[k] = v
        env = []
        for op, attrs, structure, multi, refs in nodes:
            leaves = [vals[r] if type(r) is int else env[r[0]][r[1]] for r in refs]
            args, i = [], 0
            for s in structure:  # one list deep, as graph._unflatten
                if s < 0:
                    args.append(leaves[i])
                    i += 1
                else:
                    args.append(list(leaves[i : i + s]))
                    i += s
            out = op.kernel(*args, **dict(attrs))
            env.append(tuple(out) if multi else (out,))
        return tuple(env[j][i] for j, i, _ in roots)

    _, pull = jax.vjp(forward, *[inputs[k] for k in occurrences])
    # a gradient of another dtype is cast to the output's, as torch's engine does
    grads = pull(tuple(c.astype(dt) for c, (_, _, dt) in zip(cts, roots)))
    out, i = [], 0
    for group in groups:  # a leaf used by several ops: the sum of its occurrences' gradients
        g = grads[i]
        for extra in grads[i + 1 : i + len(group)]:
            g = g + extra
        out.append(g)
        i += len(group)
    return tuple(out)


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
        if fn is None or not isinstance(g, Tensor):
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
            if n.variable._hooks:
                return False
            continue
        if (not isinstance(n, OpNode) or n.saved is None or n.op.vjp is not None or n._tensor_hooks
                or n._retained or n._pre_hooks or n._post_hooks):
            return False
        nodes.append(n)
        for e in n.edges:
            if e is not None:
                stack.append(e[0])
    nodes.sort(key=_seq)
    position = {n: j for j, n in enumerate(nodes)}
    inputs, occurrences, plan_nodes = [], {}, []
    for n in nodes:
        refs = []
        for e, v in zip(n.edges, n.saved):
            if e is not None:
                src = e[0]
                if type(src) is not AccumulateGrad:
                    if type(v) is not Pending or v.array is not None:
                        return False  # the forward was computed already: do not replay it
                    refs.append((position[src], e[1]))
                    continue
                occurrences.setdefault(src, []).append(len(inputs))
            refs.append(len(inputs))
            inputs.append(v)
        plan_nodes.append((n.op, n.attrs, n.structure, n.multi, tuple(refs)))
    if not occurrences:
        return False
    root_refs, root_cts = [], []
    for (fn, idx), g in cts.items():
        j = position.get(fn)
        if j is None:
            return False
        root_refs.append((j, idx, fn.out_avals[idx][1]))
        root_cts.append(g._value())
    leaves = list(occurrences)
    plan = (tuple(plan_nodes), tuple(root_refs), tuple(tuple(occurrences[a]) for a in leaves))
    plan_id = _PLAN_IDS.get(plan)
    if plan_id is None:
        plan_id = _PLAN_IDS[plan] = len(_PLANS)
        _PLANS.append(plan)
    out_avals = tuple(_aval(inputs[occurrences[a][0]]) for a in leaves)
    outs, _ = record(FUSED_BACKWARD, (("plan", plan_id),), inputs + root_cts, lambda *_: (out_avals, True))
    device = grad_tensors[0]._device
    for acc, p in zip(leaves, outs):
        g = Tensor._make(p, _BY_NP[p.dtype], device)
        var = acc.variable
        if var._grad is None and g._dtype is var._dtype and p.shape == var._data.shape:
            var._grad = g
        else:
            _graph._accumulate(var, g, False)
    if not retain_graph:
        for n in nodes:
            n._free()
    return True


from . import graph as _graph  # noqa: E402  (graph imports this module)


def _seq(n):
    return n.seq


def _aval(v):
    """(shape, numpy dtype) of a leaf's saved value (a Pending or an array)."""
    return (tuple(v.shape), v.dtype)
