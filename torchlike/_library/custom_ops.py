"""``torch.library.custom_op``: a Python function made an operator (``torch.ops.<ns>.<name>``).

The function runs eagerly on concrete tensors (it may call ``.numpy()``: the tensors it mutates
share memory with their NumPy arrays while it runs), below autograd: a registered autograd
formula becomes a custom ``autograd.Function`` node named as PyTorch names it
(``GeneratedBackwardFor_mylib_crop_defaultBackward``); without one, backward through the op raises
PyTorch's error.
"""

from __future__ import annotations

import contextlib
import inspect

import numpy as np

from .._context import state
from . import registry

OPDEFS: dict[str, CustomOpDef] = {}  # "ns::name" -> its CustomOpDef
_LIBS: dict[str, object] = {}  # "ns::name" -> the FRAGMENT library that defined it (redefining replaces)


class CustomOpDef:
    """What ``custom_op`` returns: call it like the function; register fake, kernel, autograd."""

    def __init__(self, namespace: str, name: str, schema: str, fn, tags=()):
        from ..library import Library

        self._namespace = namespace
        self._name = name
        self._schema = schema
        self._tags = tags
        self._init_fn = fn
        self._disabled_kernel: set = set()
        qualname = self._qualname
        if qualname in _LIBS:  # redefining an op (a re-run cell): the new definition replaces it
            _LIBS.pop(qualname)._destroy()
        self._lib = _LIBS[qualname] = Library(namespace, "FRAGMENT")
        self._lib.define(name + schema, _stacklevel=3)
        self._entry = registry.lookup(qualname)
        self._entry.opdef = self
        self._function = None
        OPDEFS[qualname] = self
        schema_obj = self._entry.schema
        if any(a.kwarg_only and a.is_tensor for a in schema_obj.arguments):
            raise NotImplementedError(
                f"custom_op with kwarg-only Tensor args. Please make your tensors not kwarg-only. "
                f"Got: {name + schema}"
            )

    @property
    def _qualname(self) -> str:
        return f"{self._namespace}::{self._name}"

    @property
    def _opoverload(self):
        from .._ops_namespace import ops

        return getattr(getattr(ops, self._namespace), self._name).default

    def __repr__(self):
        return f"<CustomOpDef({self._qualname})>"

    def __call__(self, *args, **kwargs):
        return self._opoverload(*args, **kwargs)

    # -- registrations ---------------------------------------------------------------------------------
    def register_kernel(self, device_types, fn=None, /):
        def inner(fn):
            kinds = [device_types] if device_types is None or isinstance(device_types, str) else device_types
            for device_type in kinds:
                key = "CompositeExplicitAutograd" if device_type is None else registry.dispatch_key(device_type)
                self._entry.kernels[key] = self._checked_kernel(device_type, fn)
            return fn

        if device_types is not None and not any(a.is_tensor for a in self._entry.schema.arguments):
            if not any(a.type.startswith("Device") for a in self._entry.schema.arguments):
                raise ValueError(
                    "Functions without tensor inputs are required to have a `device: torch.device` argument")
        return inner if fn is None else inner(fn)

    def _checked_kernel(self, device_type, fn):
        def kernel(*args, **kwargs):
            body = self._init_fn if device_type in self._disabled_kernel else fn
            result = body(*args, **kwargs)
            if not self._entry.schema._is_view_op():
                _check_no_alias(self, args, kwargs, result)
            return result

        return kernel

    def register_fake(self, fn, /):
        self._entry.fake = fn
        return fn

    def register_autograd(self, backward, /, *, setup_context=None) -> None:
        schema = self._entry.schema
        if schema.is_mutable or any(r.alias_info is not None for r in schema.returns):
            raise RuntimeError(
                f"Cannot register autograd formula for non-functional operator {self} with schema "
                f"{schema}. Please create a functional operator and register an autograd formula for that."
            )
        self._entry.autograd = (backward, setup_context)

    @contextlib.contextmanager
    def set_kernel_enabled(self, device_type: str, enabled: bool = True):
        was_disabled = device_type in self._disabled_kernel
        (self._disabled_kernel.discard if enabled else self._disabled_kernel.add)(device_type)
        try:
            yield
        finally:
            (self._disabled_kernel.add if was_disabled else self._disabled_kernel.discard)(device_type)

    def _unsupported(self, what: str):
        raise NotImplementedError(f"{self}.{what}: torchlike has no {what.split('_', 1)[1]} mode to register with")

    def register_torch_dispatch(self, *args, **kwargs):
        self._unsupported("register_torch_dispatch")

    def register_vmap(self, *args, **kwargs):
        self._unsupported("register_vmap")

    def register_autocast(self, *args, **kwargs):
        self._unsupported("register_autocast")

    # -- calls -----------------------------------------------------------------------------------------
    def _device_of(self, args, kwargs):
        """The dispatch key of an op without tensor inputs: its ``device`` argument's."""
        from .._device import device

        for v in list(args) + list(kwargs.values()):
            if isinstance(v, (device, str)) and str(v).split(":")[0] in registry._DEVICE_KEYS:
                key = registry.dispatch_key(str(v).split(":")[0])
                if key not in self._entry.kernels:
                    raise RuntimeError(f"{self._name} does not have a kernel registered for "
                                       f"{str(v).split(':')[0]}. Please use register_kernel to do so.")
                return key
        return None

    def _missing_fake(self, args, kwargs):
        if not any(r.is_tensor for r in self._entry.schema.returns):
            return None
        raise RuntimeError(
            f"There was no fake impl registered for {self}. This is necessary for torch.compile/export/fx "
            f"tracing to work. Please use `{self._init_fn.__name__}.register_fake` to add an fake impl."
        )


def _check_no_alias(opdef, args, kwargs, result):
    from .._tensor import Tensor

    inputs = [t for t in registry._tensors(list(args) + list(kwargs.values()))]
    outputs = [t for t in registry._tensors([result] if isinstance(result, Tensor) else
                                            result if isinstance(result, (list, tuple)) else [])]
    roots = [_root(t) for t in inputs]
    seen = []
    for o in outputs:
        r = _root(o)
        if any(r is x for x in roots) or any(r is x for x in seen):
            raise RuntimeError(
                f"{opdef._name} (with implementation in {inspect.getmodule(_check_no_alias)}): The output of "
                f"this custom operator (1) must not also be an input to this custom operator and (2) may not "
                f"alias any inputs to this custom operator or other returns. The most common way to trigger "
                f"this error is if we have y = custom_op(x) and y and x are the same Tensor. Please instead "
                f"return a clone of the offending output tensor(s) (e.g. return x.clone()) or refactor the "
                f"custom operator to not return y."
            )
        seen.append(r)


def _root(t):
    while t._base is not None:
        t = t._base
    return t


def _share_with_numpy(t) -> None:
    """A CPU tensor the kernel mutates: its value lives in a writable NumPy array while the kernel
    runs, so ``t.numpy()`` there is the tensor's memory (as in PyTorch) whatever its size."""
    if t._base is not None or t.device.type != "cpu" or t.__dict__.get("_hostref"):
        return
    t._data = np.array(t._host("custom op mutating an input"))
    t._hostref = True


def _below_autograd(value):
    from .._tensor import Tensor

    if isinstance(value, Tensor):
        return value.detach() if value.requires_grad else value
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) and v.requires_grad for v in value):
        return type(value)(_below_autograd(v) for v in value)
    return value


def backend(entry, args, kwargs):
    """Run the op's kernel for the tensors' device, below autograd."""
    mutated = [i for i, a in enumerate(entry.schema.arguments) if a.alias_info and a.alias_info.is_write]
    values = list(args) + [kwargs[a.name] for a in entry.schema.arguments[len(args):]]
    targets = [t for i in mutated for t in registry._tensors([values[i]])]
    for t in targets:
        _share_with_numpy(t)
    # below autograd the kernel sees tensors that do not require grad (it may call .numpy())
    args = [_below_autograd(v) for v in args]
    kwargs = {k: _below_autograd(v) for k, v in kwargs.items()}
    result = registry.call_backend(entry, args, kwargs)
    for t in targets:
        t._vbox[0] += 1  # (PyTorch's ADInplaceOrView kernel bumps a mutated input's version)
    return result


def autograd_call(entry, args, kwargs):
    """The op's Autograd kernel: a custom Function node when an input requires grad, else the
    backend kernel under no_grad."""
    from ..autograd.grad_mode import no_grad

    if not (state.grad_enabled and any(t.requires_grad for t in registry._tensors(list(args) + list(
            kwargs.values())))):
        with no_grad():
            return backend(entry, args, kwargs)
    fn = _function_class(entry)
    out = fn.apply(kwargs, *args)
    return list(out) if entry.schema.returns and entry.schema.returns[0].type == "Tensor[]" else out


def _node_repr(node) -> str:
    return f"<torch.autograd.function.{type(node).__name__} object at {hex(id(node))}>"


def _function_class(entry):
    from ..autograd.function import Function

    if entry.function_class is not None:
        return entry.function_class
    label = entry.op_label()

    def forward(ctx, kwargs, *args):
        ctx.needs_input_grad = ctx.needs_input_grad[1:]
        out = backend(entry, args, kwargs)
        if entry.autograd is not None and entry.autograd[1] is not None:
            setup_context = entry.autograd[1]
            if "keyword_only_inputs" in inspect.signature(setup_context).parameters:
                setup_context(ctx=ctx, inputs=args, keyword_only_inputs=kwargs, output=out)
            else:
                setup_context(ctx=ctx, inputs=args, output=out)
        return tuple(out) if isinstance(out, list) else out

    def backward(ctx, *grads):
        if entry.autograd is None:
            raise RuntimeError(f"Trying to backward through {label} but no autograd formula was registered. "
                               f"Please use register_autograd to add one.")
        result = entry.autograd[0](ctx, *grads)
        result = result if isinstance(result, tuple) else (result,)
        return (None, *result)

    name = "GeneratedBackwardFor_" + label.replace(".", "_").replace("::", "_")
    cls = type(name, (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})
    cls._backward_cls.__repr__ = _node_repr
    entry.function_class = cls
    return cls
