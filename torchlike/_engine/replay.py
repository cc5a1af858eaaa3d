"""torchlike.compile(fn): record a training step once, then replay its program without its Python.

A call is *recorded* by running it as usual (lazily) while the engine watches which tensors'
values enter the step's one program (arguments, parameters, gradients, optimizer and buffer
state), where each Python number in it comes from (an optimizer hyper-parameter, a random
generator's counter, or a constant), and which tensors the program's outputs rebind (updated
parameters and state, new ``.grad`` tensors, the returned loss). When two consecutive recordings
of one call signature describe the same step, later calls check cheap guards (shapes and dtypes
of the values read, which ``.grad`` exist, the training flags of the modules called, generator
seeds, donation) and run the cached program on the current values: no Python of the step runs.

A step is never replayed (it stays a plain call followed by one flush) when it syncs with the
host inside (``loss.item()``), changes Python-side optimizer or scheduler state, keeps a new
tensor the engine cannot rebind, or returns a tensor whose autograd graph is still alive.
Python values outside those sources (globals read by the step) are taken as constants, as
``jax.jit`` does; docs/differences.md says so.
"""

from __future__ import annotations

import gc
import sys
import weakref

import jax
import numpy as np

from . import metrics as _metrics
from .cache import programs
from .capture import (
    CAPTURE_FLUSH,
    Capture,
    SourcedFloat,
    SourcedInt,
    _function_state,
    _module_key,
    _python_state,
    _same_module,
    _Snapshot,
    _tensor_type,
    capturing,
    objects_of_kinds,
)
from .execute import _scalar_vector
from .graph import Pending, _sharding_key

# recordings per call signature: a step that never describes itself the same way runs plainly
MAX_RECORDINGS = 8
MISS = object()


def record(fn, args, kwargs, leaves):
    """Run one call under capture; returns (its result, a Plan or None, why not)."""
    Tensor = _tensor_type()
    from .execute import flush

    arg_index = {}
    for i, t in enumerate(leaves):
        if isinstance(t, Tensor):
            arg_index.setdefault(id(t._concrete("torchlike.compile arguments")), i)
    gc.collect()
    before = _Snapshot()
    fn_state = _function_state(fn)
    # the heap the snapshot saw is frozen during the call: the collection after it and the search
    # for the tensors it made look at the call's own objects (the old tensors are in the snapshot);
    # not when the program froze objects itself (unfreezing would undo that)
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        with capturing() as cap:
            out = fn(*args, **kwargs)
            gc.collect()  # garbage cycles must not keep values alive: they would become outputs
            flush(CAPTURE_FLUSH)
        made = objects_of_kinds(Tensor)
    finally:
        if freeze:
            gc.unfreeze()
    if cap.broken is not None:
        return out, None, cap.broken
    if _function_state(fn) != fn_state:
        return out, None, "the step changes a global or closure variable"
    if cap.flushed is None:
        return out, None, "the step computes nothing"
    try:
        plan = Plan(cap, before, made, arg_index, leaves, out, fn, fn_state)
    except _NotReplayable as e:
        return out, None, str(e)
    return out, plan, None


class _NotReplayable(Exception):
    pass


def _optimizer_key(opt):
    """What a replay assumes of an optimizer it stepped: its groups and its state tensors."""
    state = opt.state
    return tuple(map(id, opt.param_groups)) + tuple(
        tuple(map(id, state[p].values())) if p in state else None
        for g in opt.param_groups
        for p in g["params"]
    )


class Plan:
    """One recorded step: where its inputs come from, what its outputs rebind, what it guards."""

    def __init__(
        self,
        cap: Capture,
        before: _Snapshot,
        made: list,
        arg_index: dict,
        leaves,
        out,
        fn,
        fn_state,
    ):
        Tensor = _tensor_type()
        from ..optim.optimizer import Optimizer

        self.fn, self.fn_state = fn, fn_state
        self._weak = None  # slot tables, built at the first replay (_slots)
        self.out_avals = {(p.shape, p.dtype) for p in cap.flushed[5]}
        key, program, donate, inputs, scalars, targets = cap.flushed
        self.key, self.program, self.donate = key, program, donate
        for obj, snap in before.python:
            if _python_state(obj) != snap:
                raise _NotReplayable(f"the step changes the Python state of {type(obj).__name__}")
        for g, seed, counter in before.generators.values():
            first = cap.rng.get(g, counter)
            if g._seed != seed or first != counter or g._counter != counter + cap.draws.get(g, 0):
                raise _NotReplayable("the step reseeds or sets the state of a random generator")
        args = {id(x): i for i, x in enumerate(leaves) if isinstance(x, Tensor)}

        def ref(t):
            i = args.get(id(t))
            return ("a", i) if i is not None else ("w", weakref.ref(t))

        grad_guard = {}  # id -> (ref, had no grad before)

        def guard_grad(t):
            grad_guard[id(t)] = (ref(t), before.tensors[id(t)][2] is None)

        # inputs: 0 argument, 1 tensor, 2 gradient of a tensor, 3 constant array
        self.inputs = []
        for a in inputs:
            aval = (a.shape, a.dtype, _sharding_key(a))
            i = arg_index.get(id(a))
            hit = before.arrays.get(id(a))
            if i is not None:
                self.inputs.append((0, i) + aval)
            elif hit is not None and hit[0]() is a:
                holder = hit[1]
                owner = before.grad_owner.get(id(holder))
                if owner is not None:
                    guard_grad(owner)
                    self.inputs.append((2, ref(owner)) + aval)
                else:
                    self.inputs.append((1, ref(holder)) + aval)
            else:
                self.inputs.append((3, a) + aval)
        # Python numbers: constants, generator counters, optimizer hyper-parameters
        self.scalars = np.asarray(scalars, np.float64)
        self.dynamic = []
        groups = []
        for pos, v in enumerate(scalars):
            if type(v) is SourcedInt:
                self.dynamic.append((pos, 0, v.source))
            elif type(v) is SourcedFloat:
                group, k, j = v.source
                now = group[k] if j is None else group[k][j]
                if now != v:
                    raise _NotReplayable(f"the step changes the optimizer's {k!r}")
                self.dynamic.append((pos, 1, v.source))
                groups.append(group)
        self.generators = [(g, g._seed, g._counter - start) for g, start in cap.rng.items()]
        for group in groups:
            for p in group["params"]:
                if id(p) in before.tensors:
                    guard_grad(p)
        gids = {id(g) for g in groups}
        self.optimizers = [
            (weakref.ref(o), _optimizer_key(o))
            for o, _ in before.python
            if isinstance(o, Optimizer) and any(id(g) in gids for g in o.param_groups)
        ]
        # outputs: which tensors they rebind
        index = {}
        for k, p in enumerate(targets):
            index[id(p)] = k
            index[id(p.array)] = k
        after = [t for t, _, _ in before.tensors.values()]
        after += [t for t in made if id(t) not in before.tensors]
        grad_owner = {id(t._grad): t for t in after if t._grad is not None}
        holds = {}
        self.bound, self.new_grads, self.cleared, self.vboxes = [], [], [], {}
        for t in after:
            d = t._data
            k = index.get(id(d))
            if k is None or not (d is targets[k] or d is targets[k].array):
                continue
            holds[id(t)] = k
            if id(t) in before.tensors:
                seen = t._vbox[0] - t._seen if t._base is not None else None
                self.bound.append((ref(t), k, seen))
                continue
            owner = grad_owner.get(id(t))
            if owner is not None and id(owner) in before.tensors:
                guard_grad(owner)
                self.new_grads.append((ref(owner), k, t._dtype, t._device))
        for t, v0, g0 in before.tensors.values():
            if t._vbox[0] != v0:
                self.vboxes[id(t._vbox)] = (ref(t), t._vbox[0] - v0)
            if t._grad is not g0:
                guard_grad(t)
                if t._grad is None:
                    self.cleared.append(ref(t))
                elif id(t._grad) not in holds or id(t._grad) in before.tensors:
                    raise _NotReplayable("the step sets a .grad the engine cannot rebind")
        self.vboxes = list(self.vboxes.values())
        self.grad_guards = list(grad_guard.values())
        self.modules = [(weakref.ref(m), _module_key(m)) for m in cap.modules.values()]
        # the result
        flat, self.treedef = jax.tree_util.tree_flatten(
            out, is_leaf=lambda x: isinstance(x, Tensor)
        )
        self.result = []
        returned = set()
        for leaf in flat:
            arg = next((i for i, x in enumerate(leaves) if x is leaf), None)
            if not isinstance(leaf, Tensor):
                self.result.append((0, leaf))
            elif arg is not None:
                self.result.append((3, arg))
            elif id(leaf) in before.tensors:
                self.result.append((1, weakref.ref(leaf)))
            elif id(leaf) in holds:
                fn = leaf.grad_fn
                if fn is not None and getattr(fn, "saved", None) is not None:
                    raise _NotReplayable(
                        "the step returns a tensor whose autograd graph is still alive"
                    )
                returned.add(id(leaf))
                self.result.append(
                    (
                        2,
                        holds[id(leaf)],
                        leaf._dtype,
                        leaf._device,
                        leaf._requires_grad,
                        fn,
                        leaf._out_idx,
                    )
                )
            else:
                raise _NotReplayable("the step returns a tensor that is not one of its outputs")
        for t in after:
            if (
                id(t) in holds
                and id(t) not in before.tensors
                and id(t) not in returned
                and id(t) not in grad_owner
            ):
                raise _NotReplayable("the step keeps a new tensor outside its results and .grad")
        held = set(holds.values())
        if any(k not in held for k in range(len(targets))):
            raise _NotReplayable(
                "a value computed by the step is kept outside a tensor (live autograd history)"
            )

    def same_as(self, other: Plan) -> bool:
        """Whether two recordings describe the same step (same program, sources and bindings)."""
        if (
            self.key != other.key
            or self.treedef != other.treedef
            or len(self.inputs) != len(other.inputs)
        ):
            return False
        for a, b in zip(self.inputs, other.inputs):
            if a[0] != b[0] or a[2:] != b[2:]:
                return False
            if a[0] == 0 and a[1] != b[1]:
                return False
            if a[0] in (1, 2) and (
                a[1][0] != b[1][0]
                or (a[1][1] != b[1][1] if a[1][0] == "a" else a[1][1]() is not b[1][1]())
            ):
                return False
            if a[0] == 3 and not np.array_equal(np.asarray(a[1]), np.asarray(b[1])):
                return False
        dyn = {pos for pos, _, _ in self.dynamic}
        consts = [i for i in range(len(self.scalars)) if i not in dyn]
        if not np.array_equal(self.scalars[consts], other.scalars[consts], equal_nan=True):
            return False
        return self._identity() == other._identity()

    def _identity(self):
        """The sources and bindings by object identity (the recorded order may differ)."""

        def key(r):
            return r[1] if r[0] == "a" else id(r[1]())

        return (
            {key(r): rest for r, *rest in self.bound},
            {key(r): tuple(rest) for r, *rest in self.new_grads},
            {key(r) for r in self.cleared},
            [
                (pos, kind, id(src[0]), src[1], src[2] if kind else None)
                for pos, kind, src in self.dynamic
            ],
            [(id(g), seed, delta) for g, seed, delta in self.generators],
            {key(r): delta for r, delta in self.vboxes},
            {id(r()): (k[0], k[1], tuple(ids for _, ids in k[2])) for r, k in self.modules},
            [(id(r()), k) for r, k in self.optimizers],
            [item[0] for item in self.result],
        )

    def _slots(self) -> bool:
        """Slot tables for replay (built at the first replay): each tensor the plan names gets one
        slot, resolved once per call (weakly referenced tensors first, then argument leaves); an
        input that the previous replay of this plan wrote into a bound tensor is recognised by
        identity (``_last``, weak references) and needs no checks. False when a tensor the plan
        names is gone."""
        weak, args = {}, {}

        def key(r):
            if r[0] == "a":
                args.setdefault(r[1], len(args))
                return ("a", r[1])
            t = r[1]()
            if t is None:
                raise LookupError
            weak.setdefault(id(t), (len(weak), r[1]))
            return ("w", id(t))

        try:
            gg = [(key(r), had_none) for r, had_none in self.grad_guards]
            bound = [(key(r), k, seen) for r, k, seen in self.bound]
            vboxes = [(key(r), delta) for r, delta in self.vboxes]
            new_grads = [(key(e[0]),) + tuple(e[1:]) for e in self.new_grads]
            cleared = [key(r) for r in self.cleared]
            ins = [
                (e[0], key(e[1]) if e[0] in (1, 2) else e[1]) + tuple(e[2:]) for e in self.inputs
            ]
        except LookupError:
            return False

        def flat(k):
            return weak[k[1]][0] if k[0] == "w" else len(weak) + args[k[1]]

        self._weak = [w for _, w in sorted(weak.values(), key=lambda e: e[0])]
        self._arg_slots = sorted(args, key=args.get)
        self._gg = [(flat(k), h) for k, h in gg]
        self._bound = [(flat(k), i, seen) for k, i, seen in bound]
        self._vb = [(flat(k), d) for k, d in vboxes]
        self._ng = [(flat(e[0]),) + e[1:] for e in new_grads]
        self._cl = [flat(k) for k in cleared]
        self._in = [(e[0], flat(e[1]) if e[0] in (1, 2) else e[1]) + e[2:] for e in ins]
        bound_k = {s: i for s, i, _ in self._bound}
        # the output each input holds after a replay (its tensor is rebound to it), by position
        self._feed = [bound_k.get(src) if kind == 1 else None for kind, src, *_ in self._in]
        self._cands = [  # inputs that can be donated: shaped like an output, not a constant
            j
            for j, (kind, _, shape, dtype, _) in enumerate(self._in)
            if kind != 3 and (shape, dtype) in self.out_avals
        ]
        self._avals = [e[2:4] for e in self._in]
        self._last = None
        return True

    def replay(self, leaves):
        """Run the recorded program on the current values; MISS when a guard fails."""
        if _function_state(self.fn) != self.fn_state:  # `model = Net()` rebound since the recording
            return MISS
        for r, key in self.modules:
            m = r()
            if m is None or not _same_module(m, key):
                return MISS
        for r, key in self.optimizers:
            o = r()
            if o is None or _optimizer_key(o) != key:
                return MISS
        for g, seed, _ in self.generators:
            if g._seed != seed:
                return MISS
        if self._weak is None and not self._slots():
            return MISS
        last = self._last
        try:
            ts = [w() for w in self._weak]
            ts += [leaves[i] for i in self._arg_slots]
            for s, had_none in self._gg:
                if (ts[s]._grad is None) is not had_none:
                    return MISS
            holders = {}
            bound = []
            for s, k, seen in self._bound:
                t = ts[s]
                if t.__dict__.get("_hostref"):  # (a NumPy-shared tensor is written through)
                    return MISS
                d = t._data
                if type(d) is Pending and d.array is not None:
                    t._data = d = d.array
                holders[id(d)] = holders.get(id(d), 0) + 1
                bound.append((t, k, seen))
            vboxes = [(ts[s], delta) for s, delta in self._vb]
            inputs = []
            j = -1
            for kind, src, shape, dtype, sharding in self._in:
                j += 1
                if kind == 3:
                    inputs.append(src)
                    continue
                t = leaves[src] if kind == 0 else ts[src]
                if kind == 2:
                    t = t._grad
                    if t is None:
                        return MISS
                elif (
                    last is not None
                    and last[j] is not None
                    and t._data is last[j]()
                    and t._base is None
                ):
                    inputs.append(t._data)  # written by the previous replay: nothing to check
                    continue
                d = t._value()
                if (
                    type(d) is Pending
                    or d.shape != shape
                    or d.dtype != dtype
                    or _sharding_key(d) != sharding
                ):
                    return MISS
                inputs.append(d)
        except AttributeError:  # a weakly referenced tensor is gone (None has no attributes)
            return MISS
        last = t = d = None
        scalars = self.scalars
        if self.dynamic:
            scalars = scalars.copy()
            for pos, kind, src in self.dynamic:
                if kind == 0:
                    scalars[pos] = src[0]._counter + src[1]
                else:
                    group, k, j = src
                    v = group[k] if j is None else group[k][j]
                    if type(v) is not float and type(v) is not int:
                        return MISS
                    scalars[pos] = v
        # donation as flush decides it: an input only its rebound holders reference (three
        # references besides them: the list, ``a``, getrefcount's argument)
        donate = []
        for j in self._cands:
            a = inputs[j]
            if sys.getrefcount(a) <= 3 + holders.get(id(a), 0):
                donate.append(j)
        a = None
        donate = tuple(donate)
        program = self.program
        if donate != self.donate:
            program = programs.get(self.key[:-1] + (donate,))
            if program is None:
                return MISS
        with jax.enable_x64(True):
            results = program(*inputs, _scalar_vector(scalars))
        del inputs
        m = _metrics.metrics
        m.cache_hits += 1
        m.executions += 1
        m.replays += 1
        m.donated += len(donate)
        runs = m.program_runs  # a replayed step runs often: its call site does not churn
        runs[id(program)] = runs.get(id(program), 0) + 1
        m.last_program = (program, self._avals, len(scalars))
        _metrics.note_sync("torchlike.compile replay")
        for t, delta in vboxes:
            t._vbox[0] += delta
        for t, k, seen in bound:
            t._data = results[k]
            if seen is not None:
                t._seen = t._vbox[0] - seen
        # weakly: holding the arrays would keep other programs from donating them
        self._last = [None if k is None else weakref.ref(results[k]) for k in self._feed]
        Tensor = _tensor_type()
        for s, k, dtype, device in self._ng:
            ts[s]._grad = Tensor._make(results[k], dtype, device)
        for s in self._cl:
            ts[s]._grad = None
        for g, _, delta in self.generators:
            g._counter += delta
        out = []
        for item in self.result:
            if item[0] == 0:
                out.append(item[1])
            elif item[0] == 1:
                out.append(item[1]())
            elif item[0] == 3:
                out.append(leaves[item[1]])
            else:
                _, k, dtype, device, requires_grad, fn, idx = item
                r = Tensor._make(results[k], dtype, device)
                r._requires_grad, r.grad_fn, r._out_idx = requires_grad, fn, idx
                out.append(r)
        return jax.tree_util.tree_unflatten(self.treedef, out)
