"""What torchlike.func's transforms stand on: torch pytrees <-> JAX pytrees, direct mode, and the
autograd node that lets gradients flow through a transformed call.

A transform (grad, vmap, jacrev, ...) runs the user's function in *direct mode*: every op applies
its JAX kernel at once, to arrays or tracers, so the function is an ordinary JAX function that
``jax.grad``/``jax.vmap``/... transform. Tensors cross as arrays; dicts cross as ``_OrderedDict``
so JAX keeps their insertion order (it sorts plain dicts' keys; torch's pytrees do not).
"""

from __future__ import annotations

import collections
import contextlib
import functools

import jax
import numpy as np

from . import _dtype
from ._context import state
from ._device import CPU
from ._tensor import Tensor
from .autograd.function import Function


class _OrderedDict(dict):
    """A dict that JAX flattens in insertion order, as torch's pytrees flatten dicts."""


jax.tree_util.register_pytree_node(
    _OrderedDict,
    lambda d: (tuple(d.values()), tuple(d.keys())),
    lambda keys, values: _OrderedDict(zip(keys, values)),
)


def is_jax(x) -> bool:
    return isinstance(x, jax.Array) and not isinstance(x, Tensor)


def wrap(x, device=CPU) -> Tensor:
    """A tensor holding a JAX array or tracer (no copy)."""
    return Tensor._make(x, _dtype.from_np(x.dtype), device)


def tree_map(fn, tree, dict_type=dict):
    """``fn`` over the leaves of a torch pytree (tuples, lists, namedtuples, dicts, OrderedDicts),
    keeping its structure; plain dicts become ``dict_type``."""
    t = type(tree)
    if t is dict or t is _OrderedDict:
        return dict_type((k, tree_map(fn, v, dict_type)) for k, v in tree.items())
    if t is list or t is tuple:
        return t(tree_map(fn, x, dict_type) for x in tree)
    if isinstance(tree, tuple) and hasattr(t, "_fields"):  # a namedtuple
        return t(*(tree_map(fn, x, dict_type) for x in tree))
    if t is collections.OrderedDict:
        return t((k, tree_map(fn, v, dict_type)) for k, v in tree.items())
    return fn(tree)


def leaves(tree) -> list:
    out = []
    tree_map(out.append, tree)
    return out


def to_jax(tree):
    """Tensors -> their arrays (or tracers), dicts -> _OrderedDict."""
    return tree_map(lambda x: x.jax() if isinstance(x, Tensor) else x, tree, _OrderedDict)


def to_torch(tree, device=CPU):
    """JAX arrays -> tensors, _OrderedDict -> dict."""
    return tree_map(lambda x: wrap(x, device) if is_jax(x) else x, tree, dict)


def device_of(tree):
    for x in leaves(tree):
        if isinstance(x, Tensor):
            return x._device
    return CPU


@contextlib.contextmanager
def direct(x64: bool = True):
    """Ops apply their kernels immediately (what a JAX transformation traces), no autograd
    recording; 64-bit types on where the values come from torchlike tensors."""
    scope = jax.enable_x64(True) if x64 else contextlib.nullcontext()
    if state.direct:  # a transform inside a transform
        with scope:
            yield
        return
    from ._engine.execute import flush

    flush("torchlike.func (direct mode)")
    prev = (state.direct, state.grad_enabled)
    state.direct, state.grad_enabled = True, False
    try:
        with scope:
            yield
    finally:
        state.direct, state.grad_enabled = prev


def jax_fn(func, device, check=None):
    """``func`` over tensors as a function over JAX arrays (called in direct mode)."""

    @functools.wraps(func)
    def fn(*args):
        out = func(*to_torch(args, device))
        if check is not None:
            check(out)
        return to_jax(out)

    return fn


_PROGRAMS: collections.OrderedDict = collections.OrderedDict()  # jaxpr text -> jitted evaluator
_PROGRAMS_MAX = 64


def jit_call(fn, args: tuple):
    """``fn(*args)`` (a JAX function) run as one compiled XLA program, as torchlike's lazy ops
    are, so a transform computes the very numbers that the same ops give outside it (eager JAX
    op-by-op differs in the last bits, e.g. a dot inside a program or alone).

    The function is traced on every call (closures are re-read: nothing goes stale) and the
    compiled program is found by the jaxpr's text, with the captured constants as arguments.
    Inside another transformation (tracers among the arguments) it is simply called.
    """
    flat, in_tree = jax.tree_util.tree_flatten(args)
    if any(isinstance(x, jax.core.Tracer) for x in flat):
        return fn(*args)
    dyn = [i for i, x in enumerate(flat) if isinstance(x, (jax.Array, np.ndarray))]

    def flat_fn(*xs):
        full = list(flat)
        for i, x in zip(dyn, xs):
            full[i] = x
        return fn(*jax.tree_util.tree_unflatten(in_tree, full))

    closed, shape = jax.make_jaxpr(flat_fn, return_shape=True)(*[flat[i] for i in dyn])
    key = str(closed.jaxpr)
    run = _PROGRAMS.get(key)
    if run is None:
        jaxpr = closed.jaxpr
        run = _PROGRAMS[key] = jax.jit(lambda consts, *xs: jax.core.eval_jaxpr(jaxpr, consts, *xs))
        if len(_PROGRAMS) > _PROGRAMS_MAX:
            _PROGRAMS.popitem(last=False)
    else:
        _PROGRAMS.move_to_end(key)
    out = run(closed.consts, *[flat[i] for i in dyn])
    return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(shape), out)


def needs_autograd(tree) -> bool:
    """Whether a transformed call must record an autograd node (an input requires grad)."""
    if state.direct or not state.grad_enabled:
        return False
    return any(isinstance(x, Tensor) and x._requires_grad for x in leaves(tree))


def call_differentiable(run, args, device):
    """``run(*jax_args) -> jax outputs`` applied to ``args`` as one autograd node: its backward
    is the VJP of the whole transformed call with respect to the inputs that require grad."""
    flat, treedef = jax.tree_util.tree_flatten(
        tree_map(lambda x: x, args, _OrderedDict), is_leaf=lambda x: isinstance(x, Tensor)
    )
    out_tree = []

    def flat_run(*arrays):
        out = run(*jax.tree_util.tree_unflatten(treedef, arrays))
        out_leaves, spec = jax.tree_util.tree_flatten(out)
        out_tree.append(spec)
        return out_leaves

    outs = _TransformedCall.apply(flat_run, device, *flat)
    return to_torch(jax.tree_util.tree_unflatten(out_tree[0], list(outs)), device)


def _ct(g, shape, dtype):
    if not np.issubdtype(dtype, np.inexact):
        return np.zeros(shape, jax.dtypes.float0)
    return g.jax().astype(dtype) if g is not None else jax.numpy.zeros(shape, dtype)


class _TransformedCall(Function):
    """The autograd node of a transformed call (forward: the call, linearised; backward: its VJP)."""

    @staticmethod
    def forward(ctx, flat_run, device, *flat):
        arrays = [x.jax() if isinstance(x, Tensor) else x for x in flat]
        diff = [i for i, x in enumerate(flat) if isinstance(x, Tensor) and x._requires_grad]

        def f(*d):
            a = list(arrays)
            for i, x in zip(diff, d):
                a[i] = x
            return flat_run(*a)

        with direct():
            out, pull = jit_call(lambda *d: jax.vjp(f, *d), tuple(arrays[i] for i in diff))
        ctx.pull, ctx.diff, ctx.n = pull, diff, len(flat)
        ctx.avals = [(o.shape, o.dtype) for o in out]
        return tuple(wrap(o, device) for o in out)

    @staticmethod
    def backward(ctx, *grads):
        cts = [_ct(g, s, d) for g, (s, d) in zip(grads, ctx.avals)]
        with direct():
            gs = jit_call(lambda p, c: p(c), (ctx.pull, cts))
        result = [None] * ctx.n
        for i, g in zip(ctx.diff, gs):
            result[i] = wrap(g)
        return (None, None, *result)
