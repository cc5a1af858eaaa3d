"""The backward of a loop unrolled in Python, as fused ops of a few dozen nodes each.

One fused op for an unrolled loop (an RNN cell stepped 1000 times, a physics simulation of 50
steps of small ops) would be one program, whose XLA compile time grows faster than linearly in the
number of steps; the per-node walk costs Python per node. So the nodes (in recording order) are
cut into pieces: where the op sequence repeats with a period, into equal runs of whole periods (one
cached program for all of them), elsewhere into runs of ``PIECE_NODES``. Each piece is one fused
op and its own program; what crosses a piece boundary (a cotangent for an earlier node, a leaf's
running sum) is an output of one piece and an input of the next. A node with more inputs than
``_ops.pieces.PIECES_MAX`` (a cat of every timestep's output) takes the per-node path, whose
gradients are deferred slices recorded inside the pieces that use them.
"""

from __future__ import annotations

from .. import _dtype
from .._engine import execute
from .._ops import pieces as _ops_pieces
from .._tensor import Tensor
from . import _fused
from . import graph as _graph

PIECE_NODES = 16  # nodes per piece (whole periods where the sequence repeats)
PERIOD_MAX = 64
_BY_NP = _dtype._BY_NP
_SIG: dict = {}  # (op, attrs) -> small int
_CUTS: dict = {}  # the sequence of node signatures -> its pieces (a pure cache)
_ZEROS: dict = {}  # (shape, dtype) -> zeros


def _zeros(aval):
    """A cached concrete array of zeros (held here, so never donated to a program)."""
    z = _ZEROS.get(aval)
    if z is None:
        import jax

        with jax.enable_x64(True):
            z = _ZEROS[aval] = jax.numpy.zeros(*aval)
    return z


def _signature(nodes) -> tuple:
    """One small int per node: its op, attributes and output shapes (equal signatures, equal plans;
    the shapes also mark where one loop ends and the next begins: d2l's RNN from scratch steps
    matmul-add-tanh over time, then matmul-add over the outputs)."""
    out = []
    for n in nodes:
        key = (n.op, n.attrs, len(n.edges) > _ops_pieces.PIECES_MAX, n.out_avals)
        k = _SIG.get(key)
        if k is None:
            k = _SIG[key] = len(_SIG)
        out.append(k)
    return tuple(out)


def _period(sig, lo, hi):
    """(p, a, e): of sig[lo:hi], the run [a, e) with period p that covers the most nodes (at
    least 4 periods and two pieces; the shortest p among equal runs), or None."""
    best, covered = None, 0
    for p in range(1, min(PERIOD_MAX, (hi - lo) // 4) + 1):
        need = max(4 * p, 2 * PIECE_NODES, covered + 1)
        run = 0
        for i in range(lo, hi - p + 1):
            if i < hi - p and sig[i] == sig[i + p]:
                run += 1
                continue
            if run + p >= need:  # the run [i - run, i + p) ends here
                best, covered = (p, i - run, i + p), run + p
                need = covered + 1
            run = 0
    return best


def _fixed(lo, hi):
    """[lo, hi) in runs of PIECE_NODES, aligned at hi."""
    out = []
    while hi > lo:
        out.append((max(lo, hi - PIECE_NODES), hi))
        hi -= PIECE_NODES
    return out[::-1]


def _ranges(sig, lo, hi) -> list:
    """[lo, hi) cut into pieces: the longest periodic run in whole periods (equal pieces, one
    program), what lies before and after it the same way (a loop over timesteps followed by a loop
    over their outputs), the rest in runs of PIECE_NODES."""
    found = _period(sig, lo, hi)
    if found is None:
        return _fixed(lo, hi)
    p, a, e = found
    size = p * max(1, PIECE_NODES // p)
    start = e
    body = []
    while start - size >= a:
        body.append((start - size, start))
        start -= size
    return _ranges(sig, lo, start) + body[::-1] + _ranges(sig, e, hi)


def _cuts(nodes) -> tuple:
    """The pieces [lo, hi) in recording order; a many-input node alone, as (lo, lo + 1, True)."""
    sig = _signature(nodes)
    cuts = _CUTS.get(sig)
    if cuts is not None:
        return cuts
    pieces = []
    for lo, hi in _ranges(sig, 0, len(nodes)):  # the many-input nodes on their own
        start = lo
        for j in range(lo, hi):
            if len(nodes[j].edges) > _ops_pieces.PIECES_MAX:
                if j > start:
                    pieces.append((start, j, False))
                pieces.append((j, j + 1, True))
                start = j + 1
        if hi > start:
            pieces.append((start, hi, False))
    cuts = _CUTS[sig] = tuple(pieces)
    return cuts


def plan_piece(nodes, lo, hi, position):
    """The plan of nodes[lo:hi] as one fused op: (inputs, plan nodes, slot keys, slot avals). An
    input's gradient goes to a node of the piece, or to an output slot: a leaf (its
    AccumulateGrad) or an earlier node's output ((position, index))."""
    AccumulateGrad = _graph.AccumulateGrad
    inputs, plan_nodes, slot_keys, slot_avals = [], [], {}, []
    for j in range(lo, hi):
        n = nodes[j]
        refs, edges = [], []
        for e, v in zip(n.edges, n.saved):
            refs.append(len(inputs))
            inputs.append(v)
            if e is None:
                edges.append(None)
                continue
            src = e[0]
            if type(src) is AccumulateGrad:
                key = src
            else:
                sp = position[src]
                if sp >= lo:
                    edges.append((sp - lo, e[1]))
                    continue
                key = (sp, e[1])
            k = slot_keys.get(key)
            if k is None:
                k = slot_keys[key] = len(slot_avals)
                slot_avals.append((tuple(v.shape), v.dtype))
            edges.append((-1 - k,))
        plan_nodes.append(
            (n.op, n.attrs, n.structure, n.multi, tuple(refs), tuple(edges), n.out_avals)
        )
    return inputs, plan_nodes, slot_keys, slot_avals


def run(nodes, cts, device) -> None:
    """Backward of ``nodes`` (sorted in recording order) from the root cotangents ``cts``
    ({(node, output index): Tensor}); accumulates the leaves' gradients."""
    AccumulateGrad = _graph.AccumulateGrad
    position = {n: j for j, n in enumerate(nodes)}
    buf = {}  # (position, output index) -> Tensor: cotangents for nodes not yet run
    for (fn, idx), g in cts.items():
        key = (position[fn], idx)
        buf[key] = _graph._add(buf.get(key), g)
    leaves: dict = {}  # AccumulateGrad -> its running sum (a Tensor)
    for lo, hi, alone in reversed(_cuts(nodes)):
        if alone:
            _run_node(nodes[lo], lo, buf, leaves, position)
            continue
        inputs, plan_nodes, slot_keys, slot_avals = plan_piece(nodes, lo, hi, position)
        root_refs, root_cts = [], []
        for j in range(lo, hi):
            for i, (_, dt) in enumerate(nodes[j].out_avals):
                g = buf.pop((j, i), None)
                if g is not None:
                    root_refs.append((j - lo, i, dt))
                    root_cts.append(g._value())
        if not root_refs:
            continue  # no gradient reaches this piece
        init_slots, init_vals = [], []  # every leaf's running sum (zeros at first: equal plans)
        for key, k in slot_keys.items():
            if type(key) is AccumulateGrad:
                init_slots.append(k)
                total = leaves.get(key)
                init_vals.append(_zeros(slot_avals[k]) if total is None else total._value())
        plan = (tuple(plan_nodes), tuple(root_refs), tuple(slot_avals), tuple(init_slots))
        outs = _fused.record_plan(plan, inputs + root_cts + init_vals)
        for key, p in zip(slot_keys, outs):
            t = Tensor._make(p, _BY_NP[p.dtype], device)
            if type(key) is AccumulateGrad:
                leaves[key] = t
            else:
                buf[key] = _graph._add(buf.get(key), t)
        execute.flush("backward piece")
    for acc, g in leaves.items():
        _fused.accumulate(acc.variable, g)


def _run_node(node, j, buf, leaves, position):
    """One node by the per-node path (its own VJP op, or deferred slices for a many-input cat)."""
    grads = [buf.pop((j, i), None) for i in range(len(node.out_avals))]
    if all(g is None for g in grads):
        return
    for e, g in zip(node.edges, node._apply(grads)):
        if e is None or g is None:
            continue
        src = e[0]
        if type(src) is _graph.AccumulateGrad:
            leaves[src] = _graph._add(leaves.get(src), g)
        else:
            key = (position[src], e[1])
            buf[key] = _graph._add(buf.get(key), g)
