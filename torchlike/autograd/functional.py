"""torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp, hvp (on torchlike.func's JAX transforms)."""

from __future__ import annotations

from .. import func as _func
from .._tensor import Tensor

__all__ = ["jacobian", "hessian", "vjp", "jvp", "vhp", "hvp"]


def _as_tuple(x):
    return (x, False) if isinstance(x, tuple) else ((x,), True)


def _fix(out, single_in, single_out):
    """torch's nesting: outputs outer, inputs inner; a lone tensor where torch gives one."""
    if single_out:
        out = (out,)
    out = tuple(o[0] if single_in else tuple(o) for o in out)
    return out[0] if single_out else out


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    inputs, single_in = _as_tuple(inputs)
    outputs = func(*inputs)
    single_out = isinstance(outputs, Tensor)
    transform = _func.jacfwd if strategy == "forward-mode" else _func.jacrev
    jac = transform(func, argnums=tuple(range(len(inputs))))(*inputs)
    return _fix(jac, single_in, single_out)


def hessian(
    func,
    inputs,
    create_graph=False,
    strict=False,
    vectorize=False,
    outer_jacobian_strategy="reverse-mode",
):
    inputs, single_in = _as_tuple(inputs)
    argnums = tuple(range(len(inputs)))
    hes = _func.jacfwd(_func.jacrev(func, argnums=argnums), argnums=argnums)(*inputs)
    return hes[0][0] if single_in else tuple(tuple(h) for h in hes)


def _default_v(out):
    from .. import _creation

    if isinstance(out, Tensor):
        return _creation.ones_like(out)
    return tuple(_creation.ones_like(o) for o in out)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    inputs, single_in = _as_tuple(inputs)
    out, pull = _func.vjp(func, *inputs)
    grads = pull(_default_v(out) if v is None else v)
    return out, (grads[0] if single_in else tuple(grads))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    from .. import _creation

    inputs, single_in = _as_tuple(inputs)
    tangents = tuple(_creation.ones_like(t) for t in inputs) if v is None else _as_tuple(v)[0]
    return _func.jvp(func, inputs, tangents)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    inputs, single_in = _as_tuple(inputs)
    out = func(*inputs)
    grad_fn = _func.grad(func, argnums=tuple(range(len(inputs))))
    _, res = vjp(grad_fn, inputs, None if v is None else _as_tuple(v)[0])
    return out, (res[0] if single_in else res)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    return vhp(
        func, inputs, v, create_graph, strict
    )  # the Hessian of a scalar function is symmetric
