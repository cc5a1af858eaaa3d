"""torch.autograd.forward_ad: dual tensors (forward-mode AD).

Inside ``dual_level()`` a tensor may carry a tangent (``make_dual``). Every op applied to a dual
tensor records, next to its own node, one more lazy op: the JVP of its kernel (``jax.jvp``) at
the inputs' values and tangents, whose result is the output's tangent. So forward-mode AD is
more lazy graph, like backward. Tangents live in the level (``state.dual_level``: id(tensor) ->
(weak reference, tangent)) and are gone when it exits, as in PyTorch. One level at a time, as
in PyTorch. In-place ops on dual tensors do not carry tangents (the functional result does).
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any, NamedTuple

import jax
import numpy as np

from .._context import state
from .._ops.registry import OpDef
from .._tensor import Tensor
from .graph import _FLAT, _INEXACT, _flatten, _list_free, _unflatten

__all__ = [
    "UnpackedDualTensor",
    "dual_level",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
]


class UnpackedDualTensor(NamedTuple):
    primal: Any
    tangent: Any


def enter_dual_level() -> int:
    """Enter a new forward grad level (only one at a time is supported)."""
    if state.dual_level is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    state.dual_level = {}
    return 0


def exit_dual_level(*, level=None):
    """Exit the forward grad level, deleting every tangent made in it."""
    if state.dual_level is None or level not in (None, 0):
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. "
            "This is not supported."
        )
    state.dual_level = None


class dual_level(contextlib.ContextDecorator):
    """Context manager in which dual tensors can be made; their tangents end with it."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()


def tangent_of(t):
    """The tangent ``t`` carries at the current level, or None."""
    level = state.dual_level
    if level is None:
        return None
    entry = level.get(id(t))
    if entry is None or entry[0]() is not t:
        return None
    return entry[1]


def set_tangent(t, tangent):
    level = state.dual_level
    key = id(t)
    if tangent is None:
        level.pop(key, None)
        return
    level[key] = (weakref.ref(t, lambda _, key=key, level=level: level.pop(key, None)), tangent)


@contextlib.contextmanager
def _suspended():
    """No tangent propagation (a custom Function's forward; the primal of unpack_dual)."""
    level, state.dual_level = state.dual_level, None
    try:
        yield
    finally:
        state.dual_level = level


def make_dual(tensor, tangent, *, level=None):
    """A view of ``tensor`` that carries ``tangent`` (as it is, or a copy where its dtype or
    layout differ from the primal's)."""
    if state.dual_level is None:
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    if not (tensor.is_floating_point() or tensor.is_complex()):
        raise ValueError(
            f"Expected primal to be floating point or complex, but got: {tensor.dtype}"
        )
    if not (tangent.is_floating_point() or tangent.is_complex()):
        raise ValueError(
            f"Expected tangent to be floating point or complex, but got: {tangent.dtype}"
        )
    if tangent.shape != tensor.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the original "
            f"Tensor, this is not supported. Tensor is of size {list(tensor.shape)} while the given "
            f"forward gradient is of size {list(tangent.shape)}."
        )
    if tangent.dtype != tensor.dtype:
        tangent = tangent.to(tensor.dtype)
    elif tangent.is_contiguous() != tensor.is_contiguous():
        tangent = tangent.clone()
    with _suspended():
        dual = tensor.view(tensor.shape)
    set_tangent(dual, tangent.detach() if tangent.requires_grad else tangent)
    return dual


def unpack_dual(tensor, *, level=None) -> UnpackedDualTensor:
    """``(primal, tangent)``: a view of the tensor without its tangent, and the tangent (or None)."""
    if state.dual_level is None:
        return UnpackedDualTensor(tensor, None)
    tangent = tangent_of(tensor)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    with _suspended():
        primal = tensor.view(tensor.shape)
    return UnpackedDualTensor(primal, tangent)


# -- tangent propagation (called by dispatch for every op while a level is active) ------------------


def propagate(op, attrs, args, values, results):
    """Give ``results`` of ``op`` their tangents: one lazy JVP op over the inputs that have one."""
    if _list_free(args):
        leaves, vleaves, structure = args, values, _FLAT[len(args)]
    else:
        leaves, structure = _flatten(args)
        vleaves, _ = _flatten(values)
    diff, tangents = [], []
    for i, a in enumerate(leaves):
        if isinstance(a, Tensor):
            t = tangent_of(a)
            if t is not None:
                diff.append(i)
                tangents.append(t)
    if not diff:
        return
    out_sel = tuple(i for i, r in enumerate(results) if _INEXACT[r._dtype.np])
    if not out_sel:
        return
    from .. import _dispatch

    primals = [a if isinstance(a, Tensor) else v for a, v in zip(leaves, vleaves)]
    with _suspended():  # (the tangent computation is not itself a dual computation)
        out = _dispatch.dispatch(
            jvp_op(op),
            primals + tangents,
            (
                ("fwd_attrs", attrs),
                ("n_primal", len(primals)),
                ("diff", tuple(diff)),
                ("structure", structure),
                ("out_sel", out_sel),
                ("multi", len(results) > 1),
            ),
        )
    for i, t in zip(out_sel, out if isinstance(out, tuple) else (out,)):
        set_tangent(results[i], t)


def _uses_custom_vjp(jaxpr) -> bool:
    for eqn in jaxpr.eqns:
        if eqn.primitive.name == "custom_vjp_call":
            return True
        for v in eqn.params.values():
            for sub in v if isinstance(v, (tuple, list)) else (v,):
                inner = getattr(sub, "jaxpr", sub)  # (a ClosedJaxpr's Jaxpr)
                if hasattr(inner, "eqns") and _uses_custom_vjp(inner):
                    return True
    return False


def only_vjp(f, primals) -> bool:
    """Whether ``f`` runs a kernel that defines only a VJP (``jax.custom_vjp``: max pooling, the
    recurrent layers), which ``jax.jvp`` cannot differentiate (it fails only when run)."""
    flat, tree = jax.tree_util.tree_flatten(tuple(primals))
    dyn = [i for i, x in enumerate(flat) if isinstance(x, (jax.Array, np.ndarray))]

    def g(*xs):
        full = list(flat)
        for i, x in zip(dyn, xs):
            full[i] = x
        return f(*jax.tree_util.tree_unflatten(tree, full))

    avals = [jax.ShapeDtypeStruct(flat[i].shape, flat[i].dtype) for i in dyn]
    return _uses_custom_vjp(jax.make_jaxpr(g)(*avals).jaxpr)


def jvp_any(f, primals, tangents, has_aux=False):
    """``jax.jvp``, also through kernels that define only a VJP: there the JVP is the transpose of
    the (linear) pullback, taken by a second VJP."""
    if not only_vjp(f, primals):
        return jax.jvp(f, primals, tangents, has_aux=has_aux)
    out, pull, *aux = jax.vjp(f, *primals, has_aux=has_aux)
    _, transpose = jax.vjp(pull, jax.tree_util.tree_map(jax.numpy.zeros_like, out))
    (out_tangent,) = transpose(tuple(tangents))
    return (out, out_tangent, *aux)


_JVP_OPS: dict = {}


def jvp_op(op) -> OpDef:
    """The op computing ``op``'s output tangents from its inputs and their tangents."""
    j = _JVP_OPS.get(op.name)
    if j is not None:
        return j
    fwd = op.kernel

    def kernel(*args, fwd_attrs, n_primal, diff, structure, out_sel, multi):
        primals = list(args[:n_primal])
        kw = dict(fwd_attrs)

        def f(*d):
            leaves = list(primals)
            for i, x in zip(diff, d):
                leaves[i] = x
            out = fwd(*_unflatten(leaves, structure), **kw)
            return tuple(out[i] for i in out_sel) if multi else out

        tans = tuple(t.astype(primals[i].dtype) for i, t in zip(diff, args[n_primal:]))
        _, out_tangents = jvp_any(f, tuple(primals[i] for i in diff), tans)
        return tuple(out_tangents) if multi else out_tangents

    j = _JVP_OPS[op.name] = OpDef(op.name + "_jvp", kernel, grad_name=op.grad_name)
    return j
