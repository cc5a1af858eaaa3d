"""The pending lazy graph: nodes recorded by ops, values that are not computed yet.

Recording is the hot path of the whole library (one call per torch op), so it does the
minimum: describe each input, look up the memoised output avals, append the node and its
structural signature. The program key at flush time is then just the tuple of signatures.
"""

from __future__ import annotations

import sys
import weakref

import jax
import numpy as np

from .._context import state

MAX_NODES = 4000  # a longer pending graph is flushed in pieces, so compile time stays bounded
# A pending graph this long is checked for a short repeating pattern (a Python loop of small ops:
# an RNN cell stepped over time, and its backward): XLA:CPU's compile time grows faster than
# linearly in such programs (an LSTMCell stepped 40 times: 26 s), so the graph is cut into pieces
# of whole periods, each starting at the same phase; equal pieces are one cached program.
CUT_CHECK = 64  # the first check; then every CUT_STEP nodes
CUT_STEP = 32
# the longest period looked for (nodes): a sampling loop's whole model call (a DDPM reverse step
# of a small UNet: 123) repeats too; 4 periods must fit below MAX_NODES
CUT_PERIOD_MAX = MAX_NODES // 4 - 1
CUT_PERIOD_SHORT = 64  # looked for at every check (pytorch/examples' mass-spring step: 45)
CUT_SPAN = 64  # the pattern must cover at least this many of the last nodes (and 4 periods)
CUT_PIECE = 32  # nodes per piece (rounded to whole periods)

_ARRAY_TYPES = (jax.Array, np.ndarray)
_ARRAY_IMPL = None  # the concrete jax.Array type, once seen (an isinstance on the ABC costs ~0.15 us)
_SINGLE = jax.sharding.SingleDeviceSharding
_SIG_IDS: dict = {}  # node signature -> small int (a pure cache: equal signatures, equal ids)


class Pending:
    """One output of a recorded node: its aval now, its array after the flush that computes it."""

    __slots__ = ("node", "index", "shape", "dtype", "array", "__weakref__")

    def __init__(self, node, index, shape, dtype):
        self.node = node
        self.index = index
        self.shape = shape
        self.dtype = dtype  # numpy dtype
        self.array = None


class Scalar:
    """A Python number entering a program as an input (never a constant), with its torch-decided dtype."""

    __slots__ = ("value", "dtype")

    def __init__(self, value, dtype):
        self.value = value
        self.dtype = dtype  # numpy dtype


class Node:
    __slots__ = ("op", "attrs", "ins", "outs", "index", "multi", "avals")

    def __init__(self, op, attrs, ins, index, multi, avals=()):
        self.op = op
        self.attrs = attrs
        self.ins = ins
        self.index = index
        self.multi = multi
        self.outs = None
        self.avals = avals  # the inputs' (shape, dtype)s


class Graph:
    __slots__ = ("nodes", "ops", "inputs", "input_avals", "slot_of", "slot_avals", "slot_descs", "sigs",
                 "sig_ids", "scalars", "cut_at", "period")

    def __init__(self):
        self.nodes = []
        self.ops = []  # each node's op (where the period search finds candidates at C speed)
        self.inputs = []  # concrete arrays, each once
        self.input_avals = []
        self.slot_of = {}  # id(array) -> slot (the arrays are kept alive by self.inputs)
        self.slot_avals = []  # slot -> (shape, dtype)
        self.slot_descs = []  # slot -> its descriptor ("a", slot)
        self.sigs = []  # one structural signature per node
        self.sig_ids = []  # the same, interned to small ints: the program key is a tuple of ints
        self.scalars = []  # Python numbers; one float64 vector input at flush
        self.cut_at = min(CUT_CHECK, MAX_NODES)  # the length at which it is checked (or cut) next
        self.period = 0  # of the repeating pattern this graph is a piece of (0: none known)


def intern_sig(sig) -> int:
    sig_id = _SIG_IDS.get(sig)  # (intern_sig, inlined: the per-op path)
    if sig_id is None:
        sig_id = _SIG_IDS[sig] = len(_SIG_IDS)
    return sig_id


def _describe(g: Graph, a, avals: list):
    """The structural descriptor of one argument; appends its aval (or constant) to ``avals``."""
    t = type(a)
    if t is Pending:
        arr = a.array
        if arr is None:
            avals.append((a.shape, a.dtype))
            return ("n", a.node.index, a.index)
        slot = g.slot_of.get(id(arr))
        if slot is None:  # a value an earlier flush computed: its aval is the Pending's
            slot = _new_slot(g, arr, (a.shape, a.dtype))
        avals.append(g.slot_avals[slot])
        return g.slot_descs[slot]
    if t is Scalar:
        v = a.value
        if type(v) is complex or (type(v) is int and abs(v) > 2**53):
            avals.append(("const", v, a.dtype))
            return ("c", np.asarray(v, a.dtype).item())
        avals.append(((), a.dtype))
        g.scalars.append(v)
        return ("s", len(g.scalars) - 1, a.dtype)
    if t is _ARRAY_IMPL or t is np.ndarray or isinstance(a, _ARRAY_TYPES):
        slot = g.slot_of.get(id(a))
        if slot is None:
            slot = _new_slot(g, a, (a.shape, a.dtype))
        avals.append(g.slot_avals[slot])
        return g.slot_descs[slot]
    if t is list or t is tuple:
        sub = []
        descs = tuple(_describe(g, x, sub) for x in a)
        avals.append(("list", tuple(sub)))
        return ("l", descs)
    avals.append(("const", a))
    return ("c", a)


def _new_slot(g: Graph, a, aval) -> int:
    global _ARRAY_IMPL
    if type(a) is not np.ndarray:  # (only an array the isinstance check admitted gets here)
        _ARRAY_IMPL = type(a)
    slot = len(g.inputs)
    g.inputs.append(a)
    g.input_avals.append(aval + (_sharding_key(a),))
    g.slot_avals.append(aval)
    g.slot_descs.append(("a", slot))
    g.slot_of[id(a)] = slot
    return slot


def _sharding_key(a):
    if type(a) is np.ndarray:
        return None
    s = a.sharding
    if type(s) is _SINGLE:
        return None
    return None if len(s.device_set) == 1 else s


def record(op, attrs: tuple, args: list, infer) -> tuple:
    """Record ``op(*args, **attrs)``; returns (Pending outputs tuple, multi)."""
    if state.direct:
        return _run_direct(op, attrs, args)
    g = state.graph
    if g is None:
        g = state.graph = Graph()
    elif len(g.nodes) >= g.cut_at:
        g = _cut(g)
    avals = []
    ins = []
    for a in args:  # (_describe, with its two commonest cases inlined: the per-op path)
        t = type(a)
        if t is Pending and a.array is None:
            avals.append((a.shape, a.dtype))
            ins.append(("n", a.node.index, a.index))
        elif t is _ARRAY_IMPL:
            slot = g.slot_of.get(id(a))
            if slot is None:
                slot = _new_slot(g, a, (a.shape, a.dtype))
            avals.append(g.slot_avals[slot])
            ins.append(g.slot_descs[slot])
        else:
            ins.append(_describe(g, a, avals))
    ins = tuple(ins)
    avals = tuple(avals)
    out_avals, multi = infer(op, attrs, avals)
    node = Node(op, attrs, ins, len(g.nodes), multi, avals)
    if multi:
        outs = tuple([Pending(node, i, shape, dtype) for i, (shape, dtype) in enumerate(out_avals)])
        node.outs = [weakref.ref(p) for p in outs]
    else:
        (shape, dtype), = out_avals
        p = Pending(node, 0, shape, dtype)
        outs = (p,)
        node.outs = [weakref.ref(p)]
    g.nodes.append(node)
    g.ops.append(op)
    sig = (op.name, attrs, ins, multi)
    g.sigs.append(sig)
    sig_id = _SIG_IDS.get(sig)  # (intern_sig, inlined: the per-op path)
    if sig_id is None:
        sig_id = _SIG_IDS[sig] = len(_SIG_IDS)
    g.sig_ids.append(sig_id)
    if state.eager:
        from .execute import flush

        flush("eager mode")
    return outs, multi


def _cut(g: Graph) -> Graph:
    """At ``g.cut_at`` nodes: flush a piece of a repeating pattern, or the graph at its size
    bound; otherwise check again later."""
    from .execute import flush

    nodes = g.nodes
    n = len(nodes)
    period = 0
    planned = g.period
    if n < MAX_NODES and state.capture is None:
        if planned and _repeats(nodes, planned, 0):  # a planned piece, still repeating
            period = planned
        else:
            # periods beyond CUT_PERIOD_SHORT are looked for at every 4th check (a long one
            # needs 4 periods of nodes anyway)
            long = n >= 4 * CUT_PERIOD_SHORT and n // CUT_STEP % 4 == 0
            period = _period(nodes, g.ops, CUT_PERIOD_MAX if long else CUT_PERIOD_SHORT)
    if period or planned:  # (a planned piece where the pattern ended: cut too, keeping it small)
        flush("repeating graph cut")
    elif n >= MAX_NODES:
        flush("graph size bound")
    else:
        g.cut_at = min(n + CUT_STEP, MAX_NODES)
        return g
    g = state.graph = Graph()
    if period:  # the next piece starts at the same phase: whole periods make equal programs
        g.period = period
        g.cut_at = period * max(1, CUT_PIECE // period)
    return g


def _repeats(nodes, p, start) -> bool:
    """Whether nodes[start:] repeat with period p (ops, attributes and input shapes: pieces of
    a pattern whose shapes change, such as the initialisation of each parameter of a network,
    would each be a program of their own)."""
    for i in range(start, len(nodes) - p):
        a, b = nodes[i], nodes[i + p]
        if a.op is not b.op or a.attrs != b.attrs or a.avals != b.avals:
            return False
    return True


def _period(nodes, ops, reach=CUT_PERIOD_MAX) -> int:
    """The shortest period (up to ``reach``) of the last nodes' ops and attributes (covering
    CUT_SPAN nodes and at least 4 periods), or 0. A wrong guess costs programs, never results:
    pieces are ordinary programs, each keyed by its own structure. The candidates are the
    distances back to earlier nodes of the last node's op (found by ``list.index``), nearest
    first; most fail on the ops three periods back, read from the flat list of ops."""
    n = len(nodes)
    if n < CUT_SPAN:
        return 0
    op, prev = ops[-1], ops[-2]
    found = []
    i = n - 1 - min(reach, n // 4)
    while True:
        try:
            i = ops.index(op, i, n - 1)
        except ValueError:
            break
        found.append(i)
        i += 1
    last = nodes[-1]
    for i in reversed(found):
        p = n - 1 - i
        if ops[i - p] is not op or ops[i - 2 * p] is not op or ops[n - 2 - p] is not prev:
            continue
        node = nodes[i]
        if (
            node.attrs == last.attrs
            and node.avals == last.avals
            and _repeats(nodes, p, n - max(CUT_SPAN, 4 * p))
        ):
            return p
    return 0


def _direct_value(a):
    t = type(a)
    if t is Pending:
        return a.array
    if t is Scalar:
        import jax.numpy as jnp

        return jnp.asarray(a.value, dtype=jax.dtypes.canonicalize_dtype(a.dtype))
    if t is list or t is tuple:
        return [_direct_value(x) for x in a]
    return a


def _run_direct(op, attrs, args):
    """Direct mode (inside torchlike.func under jax transformations): apply the kernel now, to
    whatever arrays or tracers the arguments hold."""
    out = op.kernel(*[_direct_value(a) for a in args], **dict(attrs))
    multi = isinstance(out, (tuple, list))
    outs = []
    for i, o in enumerate(out if multi else (out,)):
        p = Pending(None, i, tuple(o.shape), np.dtype(o.dtype))
        p.array = o
        outs.append(p)
    return tuple(outs), multi


def donatable(inputs: list, out_avals: set, holders: dict | None = None) -> tuple:
    """The inputs nobody else references (a parameter or state buffer the program replaces), plus
    ``holders[id(a)]`` references that are about to go; their buffers are donated to the program.
    Only an input shaped like an output can be reused, so only those are donated (a temporary
    argument that happens to die must not make a second program). A NumPy input is judged like a
    device array (the program donates the device copy it makes, never the NumPy memory, views
    included: checked on XLA:CPU with jaxlib 0.10.2): the first step, which finds a
    small parameter or a fresh optimizer state still on the host, then has the key of every later
    step, whose inputs are the device arrays the previous step returned."""
    donate = []
    for i in range(len(inputs)):
        a = inputs[i]
        if (a.shape, a.dtype) not in out_avals:
            continue
        # three references: the list, ``a``, getrefcount's argument (an enumerate() tuple would be a fourth)
        if sys.getrefcount(a) <= 3 + (holders.get(id(a), 0) if holders else 0):
            donate.append(i)
    return tuple(donate)
