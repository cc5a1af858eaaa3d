"""torch.func: functional_call, stack_module_state, and the function transforms grad,
grad_and_value, vmap, vjp, jvp, linearize, jacrev, jacfwd, hessian — as JAX transforms.

Each transform runs the user's function in *direct mode* (see ``_func_bridge``): ops apply their
JAX kernels at once, so the function is a JAX function and ``jax.grad``/``jax.vmap``/... apply.
The transforms compose (``vmap(grad(f))``, ``jvp(grad(f), ...)``, ``vmap(vjp_fn)``), and where an
input requires grad the whole transformed call is one autograd node, so ``loss.backward()``
reaches stacked ensemble parameters through ``vmap``.

With JAX arrays (or tracers) as parameters/inputs, ``functional_call`` itself is a pure JAX
function (jit it, grad it, train it with optax); with tensors it keeps PyTorch's semantics.
"""

from __future__ import annotations

import contextlib
import functools

import jax

from . import _func_bridge as _bridge
from ._context import state
from ._func_bridge import is_jax as _is_jax
from ._func_bridge import wrap as _wrap
from ._tensor import Tensor
from .autograd import forward_ad

__all__ = [
    "functional_call",
    "stack_module_state",
    "grad",
    "grad_and_value",
    "vmap",
    "vjp",
    "jvp",
    "linearize",
    "jacrev",
    "jacfwd",
    "hessian",
    "functionalize",
    "replace_all_batch_norm_modules_",
    "debug_unwrap",
]


# -- functional_call / stack_module_state ------------------------------------------------------------


_SWAPPED = ("_data", "_dtype", "_device", "grad_fn", "_out_idx", "_accum", "_requires_grad")


@contextlib.contextmanager
def _swapped(module, values: dict, strict: bool):
    """The module's parameters and buffers hold ``values`` (their values, histories and forward-AD
    tangents) for the duration; the same objects, so hooks and tied weights keep working."""
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(dict(module.named_buffers(remove_duplicate=False)))
    if strict:
        missing, unexpected = sorted(set(named) - set(values)), sorted(set(values) - set(named))
        msgs = [f"Unexpected key(s): {', '.join(map(repr, unexpected))}."] if unexpected else []
        msgs += [f"Missing key(s): {', '.join(map(repr, missing))}."] if missing else []
        if msgs:
            raise RuntimeError(
                f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(msgs)
            )
    dual = state.dual_level is not None
    saved = []
    for name, v in values.items():
        t = named.get(name)
        if t is None:
            continue
        saved.append((t, [getattr(t, k) for k in _SWAPPED], dual and forward_ad.tangent_of(t)))
        if isinstance(v, Tensor):
            v._value()  # (a view brought up to date first)
            for k in _SWAPPED:
                setattr(t, k, getattr(v, k))
            if dual:  # a dual tensor lends its tangent too
                forward_ad.set_tangent(t, forward_ad.tangent_of(v))
        else:
            t._data, t._dtype = v, _bridge._dtype.from_np(v.dtype)
    try:
        yield
    finally:
        for t, old, tangent in saved:
            for k, x in zip(_SWAPPED, old):
                setattr(t, k, x)
            if dual and state.dual_level is not None:
                forward_ad.set_tangent(t, tangent or None)


def functional_call(
    module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False
):
    """Call ``module`` with its parameters/buffers replaced by the given ones (torch.func semantics).

    JAX arrays in -> JAX arrays out (a pure function, usable under jax.jit / jax.grad / jax.vmap).
    """
    if isinstance(parameter_and_buffer_dicts, dict):
        values = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, (list, tuple)):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError(
                "Expected all elements of parameter_and_buffer_dicts to be dictionaries"
            )
        counts: dict = {}
        for d in parameter_and_buffer_dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(
                f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous"
            )
        values = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError(
            "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, "
            f"but got {type(parameter_and_buffer_dicts)}"
        )
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    kwargs = kwargs or {}
    leaves = jax.tree_util.tree_leaves(
        (values, args, kwargs), is_leaf=lambda x: isinstance(x, Tensor)
    )
    if not any(_is_jax(x) for x in leaves):
        with _swapped(module, values, strict):
            return module(*args, **kwargs)
    # JAX arrays: the user's own JAX program traces this (their dtypes, their x64 setting)
    with _bridge.direct(x64=False), _swapped(module, values, strict):
        targs, tkwargs = jax.tree_util.tree_map(
            lambda x: _wrap(x) if _is_jax(x) else x, (args, kwargs)
        )
        out = module(*targs, **tkwargs)
        return jax.tree_util.tree_map(
            lambda x: x.jax() if isinstance(x, Tensor) else x,
            out,
            is_leaf=lambda x: isinstance(x, Tensor),
        )


def _stacked_leaf(tensors, name):
    from . import _functions

    all_rg = all(t.requires_grad for t in tensors)
    if not all_rg and any(t.requires_grad for t in tensors):
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    result = _functions.stack(list(tensors))
    if all_rg:
        result = result.detach().requires_grad_()
    return result


def stack_module_state(models) -> tuple[dict, dict]:
    """The parameters and buffers of ``models`` stacked along a new leading dimension, by name
    (new leaf tensors: an optimizer can train them), ready for ``vmap`` over ``functional_call``."""
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode."
        )
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    all_params = [dict(m.named_parameters()) for m in models]
    params = {k: _stacked_leaf(tuple(p[k] for p in all_params), k) for k in all_params[0]}
    all_buffers = [dict(m.named_buffers()) for m in models]
    buffers = {k: _stacked_leaf(tuple(b[k] for b in all_buffers), k) for k in all_buffers[0]}
    return params, buffers


# -- transforms ----------------------------------------------------------------------------------------


def _name(func) -> str:
    if isinstance(func, functools.partial):
        return f"functools.partial({_name(func.func)}, ...)"
    return getattr(func, "__name__", repr(func))


def _argnums(argnums, n: int):
    """argnums checked and made non-negative, in PyTorch's words."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        nums = (argnums,)
    elif isinstance(argnums, tuple):
        if len(argnums) == 0:
            raise RuntimeError("argnums must be non-empty")
        if len(set(argnums)) != len(argnums):
            raise RuntimeError(f"argnums elements must be unique, got {argnums}")
        nums = argnums
    else:
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    out = []
    for a in nums:
        if not isinstance(a, int):
            raise RuntimeError(f"argnum must be int, got: {type(a)}")
        if not -n <= a < n:
            raise RuntimeError(f"Got argnum={a}, but only {n} positional inputs")
        out.append(a % n)
    return out[0] if isinstance(argnums, int) else tuple(out)


def _transform(func, build, check=None):
    """``func`` transformed by ``build(jax_fn, args) -> JAX function``, as a function of tensors.
    Keyword arguments are never transformed (as in torch.func): they are bound as they are."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        device = _bridge.device_of((args, kwargs))
        f = functools.partial(func, **kwargs) if kwargs else func

        def run(*jargs):
            return build(_bridge.jax_fn(f, device, check), jargs)(*jargs)

        if _bridge.needs_autograd(args):
            return _bridge.call_differentiable(run, args, device)
        with _bridge.direct():
            out = _bridge.jit_call(run, _bridge.to_jax(args))
        return _bridge.to_torch(out, device)

    return wrapper


def _scalar_output(api, has_aux):
    def check(out):
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError(
                    f"{api}(f)(*args): output of function f should be a tuple: (output, aux) "
                    "if has_aux is True"
                )
            out = out[0]
        if not isinstance(out, Tensor):
            raise RuntimeError(
                f"{api}(f)(*args): Expected f(*args) to return a Tensor, got {type(out)}"
            )
        if out.dim() != 0:
            raise RuntimeError(
                f"{api}(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with "
                f"{out.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?"
            )

    return check


def grad(func, argnums=0, has_aux=False):
    """The gradient of scalar-valued ``func`` with respect to the ``argnums`` inputs."""

    def build(f, args):
        return jax.grad(f, argnums=_argnums(argnums, len(args)), has_aux=has_aux)

    return _transform(func, build, _scalar_output("grad_and_value", has_aux))


def grad_and_value(func, argnums=0, has_aux=False):
    """``(gradient, value)`` of scalar-valued ``func``; with ``has_aux``, ``(gradient, (value, aux))``."""

    def build(f, args):
        g = jax.value_and_grad(f, argnums=_argnums(argnums, len(args)), has_aux=has_aux)
        return lambda *a: _swap_value_and_grad(g(*a))

    return _transform(func, build, _scalar_output("grad_and_value", has_aux))


def _swap_value_and_grad(result):
    value, g = result
    return g, value


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``func`` mapped over the ``in_dims`` dimension of its inputs (one call, batched ops)."""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(
            f"Only allowed values for randomness are 'error', 'different', or 'same'. Got {randomness}"
        )

    def build(f, args):
        axes = _check_in_dims(func, in_dims, args)
        return jax.vmap(f, in_axes=axes, out_axes=_bridge.to_jax(out_dims))

    return _transform(func, build)


def _check_in_dims(func, in_dims, args):
    """in_dims as JAX's in_axes, after PyTorch's checks (and its error messages)."""
    name = _name(func)
    if not isinstance(in_dims, (int, tuple)) or isinstance(in_dims, bool):
        raise ValueError(
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
            f"(potentially nested) tuple matching the structure of inputs, got: {type(in_dims)}."
        )
    if len(args) == 0:
        raise ValueError(
            f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are "
            "trying to vmap over a function with no inputs. The latter is unsupported."
        )
    axes = _bridge.to_jax(in_dims if isinstance(in_dims, tuple) else (in_dims,) * len(args))
    if len(axes) != len(args):
        raise ValueError(
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
            f"structure of `inputs`. in_dims has {len(axes)} entries but there are {len(args)} inputs."
        )
    sizes = []
    for arg, dim in _pairs(axes, args):
        if dim is None:
            continue
        if not isinstance(dim, int):
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for an input but "
                "in_dim must be either an integer dimension or None."
            )
        if not is_jax(arg):
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for an input but "
                f"the input is of type {type(arg)}. We cannot vmap over non-Tensor arguments, "
                "please use None as the respective in_dim"
            )
        if not -arg.ndim <= dim < max(arg.ndim, 1) or arg.ndim == 0:
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for some input, "
                f"but that input is a Tensor of dimensionality {arg.ndim} so expected in_dim to "
                f"satisfy -{arg.ndim} <= in_dim < {arg.ndim}."
            )
        sizes.append(arg.shape[dim])
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError(
            "vmap: Expected all tensors to have the same size in the mapped dimension, "
            f"got sizes {sizes} for the mapped dimension"
        )
    return axes


def is_jax(x) -> bool:
    return isinstance(x, jax.Array)


def _pairs(dims, tree):
    """(leaf, its in_dim) over ``tree``, ``dims`` being a prefix of its structure."""
    if (
        isinstance(dims, (tuple, list, dict))
        and type(dims) is type(tree)
        and len(dims) == len(tree)
    ):
        items = zip(dims.values(), tree.values()) if isinstance(dims, dict) else zip(dims, tree)
        for d, t in items:
            yield from _pairs(d, t)
    elif isinstance(dims, (tuple, list, dict)):
        raise ValueError(
            f"in_dims is not compatible with the structure of `inputs`: {dims} for {type(tree).__name__}"
        )
    else:
        for leaf in _bridge.leaves(tree):
            yield leaf, dims


def vjp(func, *primals, has_aux=False):
    """``(func(*primals), vjp_fn)``: ``vjp_fn(cotangents)`` is the vector-Jacobian product, one
    entry per primal; with ``has_aux``, ``(output, vjp_fn, aux)``."""
    device = _bridge.device_of(primals)
    f = _bridge.jax_fn(func, device)
    with _bridge.direct():
        res = _bridge.jit_call(lambda *p: jax.vjp(f, *p, has_aux=has_aux), _bridge.to_jax(primals))
    out, pull = res[0], res[1]

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        with _bridge.direct():
            grads = _bridge.jit_call(lambda p, c: p(c), (pull, _bridge.to_jax(cotangents)))
        return _bridge.to_torch(tuple(grads), device)

    result = (_bridge.to_torch(out, device), vjp_fn)
    return result + (_bridge.to_torch(res[2], device),) if has_aux else result


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(func(*primals), J @ tangents)``: the Jacobian-vector product (forward mode)."""
    api = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(
            f"{api}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."
        )
    _check_tensors(primals, api, "primals")
    if not isinstance(tangents, tuple) or len(tangents) != len(primals):
        raise RuntimeError(
            f"{api}: Expected primals and tangents to have the same python structure. For example, "
            "if primals is a tuple of 3 tensors, tangents also must be."
        )
    _check_tensors(tangents, api, "tangents")

    def build(f, args):
        jt = _bridge.to_jax(tangents)
        return lambda *p: forward_ad.jvp_any(f, p, jt, has_aux=has_aux)

    return _transform(func, build)(*primals)


def _check_tensors(tree, api, argname):
    leaves = _bridge.leaves(tree)
    if not leaves:
        raise RuntimeError(f"{api}: Expected {argname} to contain at least one Tensor.")
    for x in leaves:
        if not isinstance(x, Tensor):
            raise RuntimeError(f"{api}: Expected {argname} to only contain Tensors, got {type(x)}")


def linearize(func, *primals):
    """``(func(*primals), jvp_fn)``: ``jvp_fn(*tangents)`` evaluates the JVP at ``primals``
    without running ``func`` again."""
    device = _bridge.device_of(primals)
    f = _bridge.jax_fn(func, device)
    with _bridge.direct():
        jprimals = _bridge.to_jax(primals)
        out = _bridge.jit_call(f, jprimals)

    def jvp_fn(*tangents):
        # (the forward runs again inside the JVP's program: the same numbers as jax.linearize's)
        with _bridge.direct():
            tan = _bridge.jit_call(
                lambda *t: forward_ad.jvp_any(f, jprimals, t)[1], _bridge.to_jax(tangents)
            )
        return _bridge.to_torch(tan, device)

    return _bridge.to_torch(out, device), jvp_fn


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """The Jacobian of ``func`` with respect to the ``argnums`` inputs, by reverse mode."""
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    def build(f, args):
        return jax.jacrev(f, argnums=_argnums(argnums, len(args)), has_aux=has_aux)

    return _transform(func, build)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` with respect to the ``argnums`` inputs, by forward mode."""

    def build(f, args):
        nums = _argnums(argnums, len(args))
        fwd = jax.jacfwd(f, argnums=nums, has_aux=has_aux)

        def jac(*a):
            if forward_ad.only_vjp(f, a):  # (jax.custom_vjp kernels: the same by reverse mode)
                return jax.jacrev(f, argnums=nums, has_aux=has_aux)(*a)
            return fwd(*a)

        return jac

    return _transform(func, build)


def hessian(func, argnums=0):
    """The Hessian of scalar-valued ``func``: ``jacfwd(jacrev(func, argnums), argnums)``."""
    return jacfwd(jacrev(func, argnums), argnums)


def functionalize(func, *, remove="mutations"):
    """``func`` with its mutations removed: torchlike's ops are functional already (in-place ops
    rebind values), so this is ``func`` itself, after PyTorch's argument check."""
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(
            f"functionalize(f, remove='mutations'): received invalid argument for remove={remove}."
            " Valid options are:\n"
            "     remove='mutations': all inplace and out= operators will be removed from the program, and replaced"
            " with their out-of-place equivalents.\n"
            "     remove='mutations_and_views': In addition to the above, all aliasing operators {view} will be"
            " replaced with their non-aliasing counterparts, {view}_copy.\n"
        )
    return func


def replace_all_batch_norm_modules_(root):
    """Batch norm modules in ``root`` stop tracking running statistics (their running_mean,
    running_var and num_batches_tracked become None), in place, so they can run under vmap."""
    from .nn.modules.batchnorm import _BatchNorm

    for m in [root, *root.modules()]:
        if isinstance(m, _BatchNorm) and m.track_running_stats:
            m.running_mean = None
            m.running_var = None
            m.num_batches_tracked = None
            m.track_running_stats = False
    return root


def debug_unwrap(tensor, *, recurse=True):
    """The tensor under torch.func's wrappers: torchlike's transforms wrap nothing, so itself."""
    return tensor


def from_jax(array) -> Tensor:
    """A torchlike tensor holding a jax.Array (no copy)."""
    return _wrap(array)
