"""``torch.library.opcheck``: check an operator's registrations against the operator's behaviour.

- ``test_schema``: inputs the schema does not mark mutable (``Tensor(a!)``) keep their values, and
  outputs do not alias inputs unless the schema says so.
- ``test_autograd_registration``: an op whose outputs require grad has an autograd kernel.
- ``test_faketensor``: the fake function, run on ``device='meta'`` copies of the inputs, gives
  the real outputs' shapes and dtypes.
- ``test_aot_dispatch_static``/``_dynamic``: the op inside ``torch.compile`` gives the eager
  values (and, when inputs require grad, the eager gradients).
"""

from __future__ import annotations

import numpy as np

from . import registry

_OPCHECK_DEFAULT_UTILS = ("test_schema", "test_autograd_registration", "test_faketensor",
                          "test_aot_dispatch_dynamic")
_ALL_UTILS = ("test_schema", "test_autograd_registration", "test_faketensor", "test_aot_dispatch_static",
              "test_aot_dispatch_dynamic")


class OpCheckError(Exception):
    pass


def _map(values, fn):
    from .._tensor import Tensor

    if isinstance(values, Tensor):
        return fn(values)
    if isinstance(values, (list, tuple)):
        return type(values)(_map(v, fn) for v in values)
    if isinstance(values, dict):
        return {k: _map(v, fn) for k, v in values.items()}
    return values


def _clone(values):
    return _map(values, lambda t: t.detach().clone().requires_grad_(t.requires_grad))


def _host(t):
    return np.array(t.detach()._host("opcheck"))


def _flat(values) -> list:
    out = []
    _map(values, out.append)
    return out


def _call(op, args, kwargs):
    return op(*args, **kwargs)


def _schema_of(op):
    return op._entry.schema if op._entry is not None else None


def test_schema(op, args, kwargs, atol, rtol):
    schema = _schema_of(op)
    args, kwargs = _clone(args), _clone(kwargs)
    if schema is None:
        _call(op, args, kwargs)
        return
    named = list(zip(schema.arguments, list(args) + [kwargs.get(a.name) for a in schema.arguments[len(args):]]))
    before = [(a, [(t, _host(t)) for t in _flat(v)]) for a, v in named]
    result = _call(op, args, kwargs)
    for a, tensors in before:
        mutable = a.alias_info is not None and a.alias_info.is_write
        for t, value in tensors:
            if not mutable and not np.array_equal(_host(t), value, equal_nan=True):
                raise RuntimeError(f"Argument {a.name} is not defined as mutable but was mutated")
            if a.alias_info is None and any(o is t for o in _flat(result)):
                raise RuntimeError(f"Argument {a.name} is not defined to alias output but was aliasing")


def test_autograd_registration(op, args, kwargs, atol, rtol):
    entry = op._entry
    if entry is None or not any(t.requires_grad for t in _flat([args, kwargs])):
        return
    result = _call(op, _clone(args), _clone(kwargs))
    if not any(t.requires_grad for t in _flat(result)):
        return
    if entry.opdef is not None or entry.autograd is not None:
        return
    if any(k in entry.kernels for k in ("Autograd", "AutogradCPU", "AutogradCUDA", "CompositeImplicitAutograd")):
        return
    raise RuntimeError(
        f"{entry.qualname}: at least one output of this operator has requires_grad=True but the operator does "
        f"not have an autograd kernel defined at an autograd key (e.g. DispatchKey::Autograd). This could mean "
        f"that you have incorrectly registered an autograd kernel to a non-Autograd DispatchKey, which may "
        f"lead to silently incorrect results. If your operator consists of regular PyTorch operations, "
        f"consider not using an operator at all or registering your operator as CompositeImplicitAutograd. If "
        f"you have an autograd.Function registered to a backend (CPU/CUDA/XPU) key, the correct location for "
        f"it is the Autograd key."
    )


def test_faketensor(op, args, kwargs, atol, rtol):
    from ..autograd.grad_mode import no_grad

    entry = op._entry
    with no_grad():
        real = _call(op, _clone(args), _clone(kwargs))
        meta = lambda t: t.detach().to("meta")  # noqa: E731
        if entry is None:
            fake = _call(op, _map(args, meta), _map(kwargs, meta))
        else:
            fake_args, fake_kwargs = entry.schema.bind(tuple(_map(args, meta)), _map(kwargs, meta))
            fake = registry.run_fake(entry, fake_args, fake_kwargs)
    real_t, fake_t = _flat(real), _flat(fake)
    if len(real_t) != len(fake_t):
        raise RuntimeError(f"When comparing the output of {op} on FakeTensor and concrete Tensors, found "
                           f"{len(fake_t)} fake tensor outputs but {len(real_t)} real ones")
    for r, f in zip(real_t, fake_t):
        if r.shape != f.shape:
            what = f"Shapes {r.shape} and {f.shape} are not equal!"
        elif r.dtype != f.dtype:
            what = f"Dtypes {r.dtype} and {f.dtype} are not equal!"
        else:
            continue
        raise RuntimeError(f"When comparing the output of {op} on FakeTensor and concrete Tensors, found "
                           f"mismatched tensor metadata: {what}")


def _close(a, b, atol, rtol) -> bool:
    a, b = _host(a), _host(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind not in "fc":
        return np.array_equal(a, b)
    return np.allclose(a, b, rtol=1.3e-6 if rtol is None else rtol, atol=1e-5 if atol is None else atol,
                       equal_nan=True)


def test_aot_dispatch(op, args, kwargs, atol, rtol):
    import torchlike

    eager_args, eager_kwargs = _clone(args), _clone(kwargs)
    eager = _call(op, eager_args, eager_kwargs)
    compiled_args, compiled_kwargs = _clone(args), _clone(kwargs)
    compiled = torchlike.compile(lambda a, k: _call(op, a, k))(compiled_args, compiled_kwargs)
    pairs = list(zip(_flat([eager, eager_args, eager_kwargs]), _flat([compiled, compiled_args, compiled_kwargs])))
    for e, c in pairs:
        if not _close(e, c, atol, rtol):
            raise RuntimeError(f"{op}: the outputs (or mutated inputs) of the operator are different eagerly and "
                               f"under torch.compile")
    inputs_e = [t for t in _flat([eager_args, eager_kwargs]) if t.requires_grad]
    inputs_c = [t for t in _flat([compiled_args, compiled_kwargs]) if t.requires_grad]
    outs = [(e, c) for e, c in zip(_flat(eager), _flat(compiled)) if e.requires_grad and e.grad_fn is not None]
    if not inputs_e or not outs:
        return
    grad_e = torchlike.autograd.grad([e for e, _ in outs], inputs_e, [torchlike.ones_like(e) for e, _ in outs],
                                     allow_unused=True)
    grad_c = torchlike.autograd.grad([c for _, c in outs], inputs_c, [torchlike.ones_like(c) for _, c in outs],
                                     allow_unused=True)
    for ge, gc in zip(grad_e, grad_c):
        if (ge is None) != (gc is None) or ge is not None and not _close(ge, gc, atol, rtol):
            raise RuntimeError(f"{op}: the gradients of the operator are different eagerly and under "
                               f"torch.compile")


_TESTS = {
    "test_schema": test_schema, "test_autograd_registration": test_autograd_registration,
    "test_faketensor": test_faketensor, "test_aot_dispatch_static": test_aot_dispatch,
    "test_aot_dispatch_dynamic": test_aot_dispatch,
}


def opcheck(op, args, kwargs=None, *, test_utils=_OPCHECK_DEFAULT_UTILS, raise_exception: bool = True,
            atol=None, rtol=None) -> dict:
    """Run the checks in ``test_utils`` on ``op(*args, **kwargs)``; a dict of results per check."""
    from .._ops_namespace import OpOverload, OpOverloadPacket
    from .custom_ops import CustomOpDef

    if isinstance(op, CustomOpDef):
        op = op._opoverload
    if isinstance(op, OpOverloadPacket) and "default" in op.overloads():
        op = op.default
    if not isinstance(op, OpOverload):
        raise ValueError(f"opcheck(op, ...): op must be instance of torch._ops.OpOverload, e.g. "
                         f"torch.ops.aten.sin.default, got {type(op)}")
    if isinstance(test_utils, str):
        test_utils = (test_utils,)
    if not set(test_utils).issubset(_ALL_UTILS):
        raise ValueError(f"opcheck(op, ..., test_utils={test_utils}), expected test_utils to be subset of "
                         f"{_ALL_UTILS} but it was not")
    kwargs = kwargs or {}
    results = {}
    for name in test_utils:
        try:
            _TESTS[name](op, tuple(args), kwargs, atol, rtol)
            results[name] = "SUCCESS"
        except Exception as e:
            if raise_exception:
                raise OpCheckError(f"opcheck(op, ...): {name} failed with {e} (scroll up for stack trace)") from e
            results[name] = e
    return results
