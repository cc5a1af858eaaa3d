"""torch.func, and the bridge to JAX: functional_call/grad/vmap usable under jax.jit/grad/vmap.

With JAX arrays (or tracers) as parameters/inputs, the module runs in *direct mode*: each op
applies its JAX kernel immediately, so the whole call is an ordinary JAX function (jit it, grad
it, vmap it, train it with optax). With torchlike tensors, functional_call keeps PyTorch's
semantics (lazy ops, autograd to the given tensors).
"""

from __future__ import annotations

import contextlib
import functools

import jax

from . import _dtype
from ._context import state
from ._tensor import Tensor


def _is_jax(x) -> bool:
    return isinstance(x, jax.Array) and not isinstance(x, Tensor)


def _wrap(x):
    if _is_jax(x):
        from ._device import CPU

        return Tensor._make(x, _dtype.from_np(x.dtype), CPU)
    return x


def _unwrap(x):
    if isinstance(x, Tensor):
        return x._value().array if hasattr(x._value(), "array") else x._value()
    return x


@contextlib.contextmanager
def _direct():
    prev = (state.direct, state.grad_enabled)
    from ._engine.execute import flush

    flush("torchlike.func (direct mode)")
    state.direct, state.grad_enabled = True, False
    try:
        yield
    finally:
        state.direct, state.grad_enabled = prev


@contextlib.contextmanager
def _swapped(module, values: dict, strict: bool):
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(dict(module.named_buffers(remove_duplicate=False)))
    if strict:
        missing = set(named) - set(values)
        unexpected = set(values) - set(named)
        if missing or unexpected:
            raise RuntimeError(
                f"Error(s) in reparametrizing for {type(module).__name__}: missing keys {sorted(missing)}, "
                f"unexpected keys {sorted(unexpected)}"
            )
    saved = []
    for name, v in values.items():
        t = named.get(name)
        if t is None:
            continue
        saved.append((t, t._data, t._dtype, t.grad_fn, t._out_idx, t._requires_grad))
        if isinstance(v, Tensor):
            t._data, t._dtype = v._value(), v._dtype
            t.grad_fn, t._out_idx, t._accum = v.grad_fn, v._out_idx, v._accum
            t._requires_grad = v._requires_grad
        else:
            t._data, t._dtype = v, _dtype.from_np(v.dtype)
    try:
        yield
    finally:
        for t, data, dt, fn, idx, rg in saved:
            t._data, t._dtype, t.grad_fn, t._out_idx, t._requires_grad = data, dt, fn, idx, rg


def functional_call(
    module, parameter_and_buffer_dicts, args=(), kwargs=None, *, tie_weights=True, strict=False
):
    """Call ``module`` with its parameters/buffers replaced by the given ones (torch.func semantics).

    JAX arrays in -> JAX arrays out (a pure function, usable under jax.jit / jax.grad / jax.vmap).
    """
    if isinstance(parameter_and_buffer_dicts, (list, tuple)):
        merged = {}
        for d in parameter_and_buffer_dicts:
            merged.update(d)
        values = merged
    else:
        values = dict(parameter_and_buffer_dicts)
    if not isinstance(args, tuple):
        args = (args,)
    kwargs = kwargs or {}
    leaves = jax.tree_util.tree_leaves(
        (values, args, kwargs), is_leaf=lambda x: isinstance(x, Tensor)
    )
    jax_mode = any(_is_jax(x) for x in leaves)
    if not jax_mode:
        with _swapped(module, values, strict):
            return module(*args, **kwargs)
    with _direct(), _swapped(module, values, strict):
        targs, tkwargs = jax.tree_util.tree_map(_wrap, (args, kwargs))
        out = module(*targs, **tkwargs)
        return jax.tree_util.tree_map(_unwrap, out, is_leaf=lambda x: isinstance(x, Tensor))


def _as_jax_fn(func):
    """A function of JAX arrays from a function of torchlike tensors (run in direct mode)."""

    @functools.wraps(func)
    def fn(*args, **kwargs):
        targs, tkwargs = jax.tree_util.tree_map(_wrap, (args, kwargs))
        out = func(*targs, **tkwargs)
        return jax.tree_util.tree_map(_unwrap, out, is_leaf=lambda x: isinstance(x, Tensor))

    return fn


def _to_jax_tree(tree):
    return jax.tree_util.tree_map(
        lambda x: x.jax() if isinstance(x, Tensor) else x,
        tree,
        is_leaf=lambda x: isinstance(x, Tensor),
    )


def _from_jax_tree(tree):
    return jax.tree_util.tree_map(lambda x: _wrap(x) if _is_jax(x) else x, tree)


def _transform(jax_transform, func, *targs, **tkw):
    jf = jax_transform(_as_jax_fn(func), *targs, **tkw)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        jargs, jkwargs = _to_jax_tree((args, kwargs))
        with _direct():
            out = jf(*jargs, **jkwargs)
        return _from_jax_tree(out)

    return wrapper


def grad(func, argnums=0, has_aux=False):
    return _transform(jax.grad, func, argnums=argnums, has_aux=has_aux)


def grad_and_value(func, argnums=0, has_aux=False):
    return _transform(jax.value_and_grad, func, argnums=argnums, has_aux=has_aux)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    return _transform(jax.vmap, func, in_axes=in_dims, out_axes=out_dims)


def jacrev(func, argnums=0, *, has_aux=False):
    return _transform(jax.jacrev, func, argnums=argnums, has_aux=has_aux)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    return _transform(jax.jacfwd, func, argnums=argnums, has_aux=has_aux)


def from_jax(array) -> Tensor:
    """A torchlike tensor holding a jax.Array (no copy)."""
    return _wrap(array)
