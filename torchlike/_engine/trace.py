"""Graph -> JAX function, and memoised shape/dtype inference of single ops."""

from __future__ import annotations

import jax
import numpy as np

from .. import _barebones as barebones


def _abstract(aval):
    if type(aval[0]) is str:
        kind = aval[0]
        if kind == "list":
            return [_abstract(a) for a in aval[1]]
        if len(aval) == 3:
            return np.asarray(aval[1], aval[2])
        return aval[1]
    return jax.ShapeDtypeStruct(aval[0], aval[1])


def infer(op, attrs: tuple, avals: tuple):
    """Output avals ((shape, numpy dtype) per output) and whether the op returns a tuple; memoised."""
    key = (attrs, avals)
    hit = op.infer_cache.get(key)
    if hit is not None:
        return hit
    kw = dict(attrs)
    args = [_abstract(a) for a in avals]
    _check_dims(op.name, kw, args)
    barebones.check(op, avals, kw)  # (uint16/32/64, float8: the ops PyTorch runs for them)
    with jax.enable_x64(True):
        try:
            out = jax.eval_shape(lambda *a: op.kernel(*a, **kw), *args)
        except (TypeError, ValueError) as e:
            if "broadcast" not in str(e):
                raise
            raise RuntimeError(_broadcast_message(args) or str(e)) from None
    if isinstance(out, (tuple, list)):
        result = (tuple((tuple(o.shape), np.dtype(o.dtype)) for o in out), True)
    else:
        result = (((tuple(out.shape), np.dtype(out.dtype)),), False)
    op.infer_cache[key] = result
    return result


# dimension arguments checked against the first input's rank (unsqueeze-like ops: one more);
# other ops' "dims"/"axis" arguments mean something else (tensordot's count, tile's repeats)
_DIM_ATTRS = ("dim", "dim0", "dim1", "dim2", "start_dim", "end_dim", "source", "destination", "dimension")
_DIMS_ATTR_OPS = frozenset({"flip", "permute", "roll", "rot90"})
_NEW_DIM_OPS = frozenset({"unsqueeze", "stack", "diag_embed"})
_OWN_DIM_CHECK = frozenset({"cat", "cosine_similarity"})


def _check_dims(name, kw, args):
    """torch's IndexError for a dimension outside [-rank, rank - 1] (a 0-d tensor has rank 1 here)."""
    if name in _OWN_DIM_CHECK or not args:
        return
    first = args[0]
    if isinstance(first, list):
        if name != "stack" or not first:
            return
        first = first[0]
    if not isinstance(first, jax.ShapeDtypeStruct):
        return
    n = max(len(first.shape), 1) + (name in _NEW_DIM_OPS)
    for key in _DIM_ATTRS + (("dims",) if name in _DIMS_ATTR_OPS else ()):
        value = kw.get(key)
        for d in value if isinstance(value, (tuple, list)) else (value,):
            if type(d) is int and not -n <= d < n:
                raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")


def _broadcast_message(args):
    """torch's words for operands that do not broadcast (the rightmost clashing dimension)."""
    shapes = [tuple(a.shape) for a in args if isinstance(a, jax.ShapeDtypeStruct)][:2]
    return broadcast_clash(*shapes) if len(shapes) == 2 else None


def broadcast_clash(a: tuple, b: tuple):
    """ATen's infer_size error for shapes ``a`` and ``b`` (their rightmost clashing dimension), or
    None when they broadcast."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i in range(n - 1, -1, -1):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            return f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) at non-singleton dimension {i}"
    return None


def _resolve(d, inputs, scalars, env):
    kind = d[0]
    if kind == "n":
        return env[d[1]][d[2]]
    if kind == "a":
        return inputs[d[1]]
    if kind == "s":
        return scalars[d[1]].astype(d[2])
    if kind == "l":
        return [_resolve(x, inputs, scalars, env) for x in d[1]]
    return d[1]


def build_function(program: tuple, outputs: tuple):
    """A pure function (inputs..., scalars) -> outputs replaying the recorded nodes."""

    def run(*args):
        inputs, scalars = args[:-1], args[-1]
        env = []
        for op, attrs, ins, multi in program:
            vals = [_resolve(d, inputs, scalars, env) for d in ins]
            out = op.kernel(*vals, **dict(attrs))
            if not op.differentiable:  # (only matters when JAX differentiates a recorded segment)
                out = jax.lax.stop_gradient(out)
            env.append(tuple(out) if multi else (out,))
        return [env[n][i] for n, i in outputs]

    return run
