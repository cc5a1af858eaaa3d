"""``torch.library``: define operators in Python and register their kernels, fake (meta)
functions and autograd formulas; ``torch.ops.<ns>.<name>`` calls them.

Dispatch (``_library/registry.py``), schemas (``_library/schema.py``), custom ops
(``_library/custom_ops.py``) and ``opcheck`` (``_library/opcheck.py``) live in ``_library``.
"""

from __future__ import annotations

import sys
import warnings

from ._library import registry
from ._library.custom_ops import OPDEFS, CustomOpDef
from ._library.infer_schema import infer_schema
from ._library.opcheck import _OPCHECK_DEFAULT_UTILS, opcheck  # noqa: F401
from ._library.schema import parse_schema
from ._ops_namespace import OpOverload

__all__ = [
    "Library", "impl", "define", "fallthrough_kernel", "impl_abstract", "register_fake",
    "register_kernel", "register_autograd", "get_ctx", "custom_op", "triton_op", "wrap_triton",
    "infer_schema", "opcheck", "CustomOpDef",
]
_reserved_namespaces = ["prim"]
_KINDS = ("IMPL", "DEF", "FRAGMENT")
_keep_alive: list = []  # the libraries define()/impl() make without a ``lib=``


def _caller(stacklevel: int) -> str:
    """``file:line`` of the user's call (the registration site PyTorch's messages name)."""
    frame = sys._getframe(stacklevel + 1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("torchlike."):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame else "<unknown>"


def fallthrough_kernel():
    """A dummy kernel: PyTorch's marker for 'skip this dispatch key'."""
    raise NotImplementedError("fallthrough_kernel() should never be called.")


class Library:
    """A set of operator definitions (``"DEF"``/``"FRAGMENT"``) or implementations (``"IMPL"``) for
    one namespace."""

    def __init__(self, ns: str, kind: str, dispatch_key: str = ""):
        if kind not in _KINDS:
            raise ValueError(f"Unsupported kind: {kind}")
        if ns in _reserved_namespaces and kind in ("DEF", "FRAGMENT"):
            raise ValueError(f"{ns} is a reserved namespace. Please try creating a library with another name.")
        where = _caller(1)
        if kind == "DEF":
            previous = "(builtin)" if ns == "aten" else registry.FRAGMENTS.get(ns)
            if previous is not None:
                raise RuntimeError(
                    f"Only a single TORCH_LIBRARY can be used to register the namespace {ns}; please put all "
                    f"of your definitions in a single TORCH_LIBRARY block.  If you were trying to specify "
                    f"implementations, consider using TORCH_LIBRARY_IMPL (which can be duplicated).  If you "
                    f"really intended to define operators for a single namespace in a distributed way, you "
                    f"can use TORCH_LIBRARY_FRAGMENT to explicitly indicate this.  Previous registration of "
                    f"TORCH_LIBRARY was registered at {previous}; latest registration was registered at {where}"
                )
            registry.FRAGMENTS[ns] = where
        self.ns = ns
        self.kind = kind
        self.dispatch_key = dispatch_key
        self._where = where
        self._op_defs: set[str] = set()
        self._entries: list = []
        self._registrations: list = []  # (entry, what, key): kernels and fakes to undo on _destroy

    def __repr__(self):
        return f"Library(kind={self.kind}, ns={self.ns}, dispatch_key={self.dispatch_key})>"

    def define(self, schema: str, alias_analysis: str = "", *, tags=(), _stacklevel: int = 1) -> str:
        """Define an operator from its schema; returns its name (without the overload)."""
        parsed = parse_schema(schema)
        ns, _, name = parsed.name.rpartition("::")
        if ns and ns != self.ns:
            raise RuntimeError(
                f"Explicitly provided namespace ({ns}) in schema string does not match namespace of enclosing "
                f"TORCH_LIBRARY block ({self.ns}).  Move this definition to the (unique) TORCH_LIBRARY block "
                f"corresponding to this namespace (and consider deleting the namespace from your schema "
                f"string.)  (Error occurred while processing TORCH_LIBRARY block at {self._where})"
            )
        parsed.name = f"{self.ns}::{name}"
        where = self._where  # (PyTorch names the library's registration site)
        existing = registry.lookup(parsed.name, parsed.overload_name)
        if existing is not None:
            raise RuntimeError(
                f"Tried to register an operator ({parsed}) with the same name and overload name multiple "
                f"times. Each overload's schema should only be registered with a single call to def(). "
                f"Duplicate registration: registered at {where}. Original registration: registered at "
                f"{existing.where}"
            )
        entry = registry.define(parsed, self.ns)
        entry.where = where
        for key, fn in registry.PENDING.pop((parsed.name, parsed.overload_name), {}).items():
            entry.kernels.setdefault(key, fn)
        self._entries.append(entry)
        self._op_defs.add(f"{parsed.name}.{parsed.overload_name}")
        return name

    def _entry(self, op_name):
        if isinstance(op_name, OpOverload):
            return op_name._entry, op_name.name()
        name, _, overload = op_name.partition(".")
        qualname = name if "::" in name else f"{self.ns}::{name}"
        return registry.lookup(qualname, overload), (qualname, overload)

    def impl(self, op_name, fn, dispatch_key: str = "", *, with_keyset: bool = False,
             allow_override: bool = True) -> None:
        """Register ``fn`` as the operator's kernel for ``dispatch_key``."""
        if with_keyset:
            raise NotImplementedError("Library.impl(with_keyset=True): torchlike has no dispatch key sets")
        key = registry.dispatch_key(dispatch_key or self.dispatch_key or "CompositeImplicitAutograd")
        entry, ident = self._entry(op_name)
        if self.ns == "aten" or (isinstance(ident, str) and ident.startswith("aten::")):
            raise NotImplementedError(
                f"torchlike cannot replace the kernels of ATen operators ({ident}): they are its own ops")
        if entry is None:  # PyTorch allows an impl before its def
            registry.PENDING.setdefault(ident, {})[key] = fn
            return
        entry.kernels[key] = fn
        self._registrations.append((entry, "kernel", key))

    def _register_fake(self, op_name, fn, _stacklevel: int = 1, *, allow_override: bool = True):
        entry, ident = self._entry(op_name)
        if entry is None:
            raise RuntimeError(f"operator {ident[0]} does not exist")
        entry.fake = fn
        self._registrations.append((entry, "fake", None))

    def fallback(self, fn, dispatch_key: str = "", *, with_keyset: bool = False):
        raise NotImplementedError("Library.fallback: torchlike has no boxed fallback kernels")

    def _destroy(self):
        for entry, what, key in self._registrations:
            if what == "kernel":
                entry.kernels.pop(key, None)
            else:
                entry.fake = None
        for entry in self._entries:
            registry.undefine(entry)
            OPDEFS.pop(entry.qualname, None) if not registry.DEFS.get(entry.qualname) else None
        if self.kind == "DEF" and registry.FRAGMENTS.get(self.ns) == self._where:
            del registry.FRAGMENTS[self.ns]
        self._registrations, self._entries = [], []


def _library_for(qualname: str, lib):
    if lib is None:
        lib = Library(qualname.split("::")[0], "FRAGMENT")
        _keep_alive.append(lib)
    return lib


def define(qualname: str, schema: str, *, lib=None, tags=()) -> None:
    """Define ``qualname`` (``"mylib::sin"``) with ``schema`` (``"(Tensor x) -> Tensor"``)."""
    ns, _, name = qualname.partition("::")
    _library_for(qualname, lib).define(name + schema, tags=tags, _stacklevel=2)


def _resolve(op):
    """``(qualname, overload, CustomOpDef or None)`` for a string, OpOverload or CustomOpDef."""
    if isinstance(op, CustomOpDef):
        return op._qualname, "", op
    if isinstance(op, OpOverload):
        entry = op._entry
        overload = "" if op._overloadname == "default" else op._overloadname
        qualname = f"{op._namespace}::{op._opname}"
        return qualname, overload, (OPDEFS.get(qualname) if entry is not None and entry.opdef else None)
    if not isinstance(op, str):
        raise ValueError(f"register(op): got unexpected type for op: {type(op)}")
    name, _, overload = op.partition(".")
    if "::" not in name:
        raise ValueError(f"Expected there to be a namespace in {op}, i.e. The operator name should look "
                         f"something like ns::foo")
    entry = registry.lookup(name, overload)
    return name, overload, (entry.opdef if entry is not None else None)


def impl(qualname, types, func=None, *, lib=None):
    """Register a kernel for device types (``"cpu"``, ``"cuda"``) or dispatch keys."""
    keys = [types] if isinstance(types, str) else list(types)

    def register(fn):
        name, overload, opdef = _resolve(qualname)
        if opdef is not None:
            opdef.register_kernel(keys, fn)
            return fn
        target = _library_for(name, lib)
        for key in keys:
            target.impl(f"{name}.{overload}" if overload else name, fn, registry.dispatch_key(key))
        return fn

    return register if func is None else register(func)


def register_kernel(op, device_types, func=None, /, *, lib=None):
    """Register a kernel for ``device_types`` (None: every device)."""
    name, overload, opdef = _resolve(op)
    if opdef is not None:
        return opdef.register_kernel(device_types, func)
    kinds = "CompositeExplicitAutograd" if device_types is None else device_types
    return impl(f"{name}.{overload}" if overload else name, kinds, func, lib=lib)


def register_fake(op, func=None, /, *, lib=None, _stacklevel: int = 1, allow_override: bool = True):
    """Register the fake (meta) function: the outputs' shapes/dtypes/devices from the inputs'."""

    def register(fn):
        name, overload, opdef = _resolve(op)
        if opdef is not None:
            return opdef.register_fake(fn)
        _library_for(name, lib)._register_fake(f"{name}.{overload}" if overload else name, fn)
        return fn

    return register if func is None else register(func)


def impl_abstract(qualname, func=None, *, lib=None, _stacklevel: int = 1):
    warnings.warn(
        "`torch.library.impl_abstract` was renamed to `torch.library.register_fake`. Please use that instead; "
        "we will remove `torch.library.impl_abstract` in a future version of PyTorch.",
        FutureWarning, stacklevel=2,
    )
    return register_fake(qualname, func, lib=lib)


def register_autograd(op, backward, /, *, setup_context=None, lib=None) -> None:
    """Make the operator differentiable: ``backward(ctx, *grads)`` after ``setup_context``."""
    name, overload, opdef = _resolve(op)
    if opdef is not None:
        return opdef.register_autograd(backward, setup_context=setup_context)
    entry = registry.lookup(name, overload)
    if entry is None:
        raise ValueError(f"register_autograd(op): operator {name} does not exist")
    schema = entry.schema
    if schema.is_mutable or any(r.alias_info is not None for r in schema.returns):
        raise RuntimeError(
            f"Cannot register autograd formula for non-functional operator {entry.op_label()} with schema "
            f"{schema}. Please create a functional operator and register an autograd formula for that."
        )
    entry.autograd = (backward, setup_context)


class FakeImplCtx:
    """``torch.library.get_ctx()`` inside a fake function."""

    def new_dynamic_size(self, *, min: int = 0, max: int | None = None):
        raise NotImplementedError(
            "get_ctx().new_dynamic_size(): torchlike has no symbolic sizes; an operator whose output "
            "size depends on its input values cannot run on device='meta'")

    create_unbacked_symint = new_dynamic_size


def get_ctx() -> FakeImplCtx:
    return FakeImplCtx()


def custom_op(name: str, fn=None, /, *, mutates_args, device_types=None, schema: str | None = None,
              tags=None):
    """Wrap a Python function into an operator ``torch.ops.<ns>.<name>`` (``name`` is ``"ns::name"``)."""

    def inner(fn):
        schema_str = infer_schema(fn, mutates_args=mutates_args) if schema is None else schema
        namespace, opname = name.split("::")
        result = CustomOpDef(namespace, opname, schema_str, fn, tags)
        if schema is not None:
            expected = {a.name for a in result._entry.schema.arguments
                        if a.alias_info is not None and a.alias_info.is_write}
            if expected != set(mutates_args):
                raise ValueError(
                    f"Attempted to create a custom op with `mutates_args={mutates_args}` and `schema={schema}. "
                    f"The schema suggests that the op mutates {expected}which is different from what was "
                    f"provided to us in `mutates_args`. Please make these consistent."
                )
        result.register_kernel(device_types)(fn)
        return result

    return inner if fn is None else inner(fn)


def triton_op(name: str, fn=None, /, *, mutates_args, schema: str | None = None):
    """A custom op whose body launches triton kernels; without triton it is a plain custom op."""
    return custom_op(name, fn, mutates_args=mutates_args, schema=schema)


def wrap_triton(triton_kernel, /):
    raise ModuleNotFoundError("No module named 'triton'", name="triton")
