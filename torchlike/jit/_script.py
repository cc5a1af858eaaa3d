"""torch.jit.script and the ScriptModule / ScriptFunction types.

torchlike has no TorchScript compiler: its ops are already recorded lazily and compiled by XLA, so a
"scripted" module keeps running its Python ``forward``. What ``torch.jit.script`` gives back is
PyTorch's object model around it: a separate module tree of ``RecursiveScriptModule`` objects (each
submodule wrapped too) that shares its Parameter objects with the original module but has its own
``training`` flags, prints with ``original_name=`` lines, and can be saved with ``torch.jit.save``.

A wrapper is an instance of a class made once per (wrapper kind, user class), named as PyTorch's
(``RecursiveScriptModule``, ``TracedModule``, ``TopLevelTracedModule``) and deriving from both, so
the user's ``forward`` runs with ``self`` the wrapper: helper methods, ``super()``, properties and
container dunders (``for layer in self.layers``) all work. Unlike PyTorch, such a wrapper is also an
instance of the user's class.
"""

from __future__ import annotations

import collections
import copy
import inspect
import warnings
from typing import Any

from ..nn.modules.module import Module

__all__ = [
    "Attribute", "ScriptModule", "RecursiveScriptModule", "ScriptFunction", "script", "script_method",
]  # fmt: skip

# torch.jit.Attribute(value, type): in __init__, declares an attribute's TorchScript type; the value is kept
Attribute = collections.namedtuple("Attribute", ["value", "type"])

# Module.__init__'s bookkeeping: not user state (what a wrapper copies and an archive stores skips these)
_MODULE_INTERNALS = frozenset(Module().__dict__) | {"_jit_original_name"}


class _UnavailableIR:
    """What ``.graph`` / ``.inlined_graph`` return: prints why there is no TorchScript IR."""

    def __init__(self, what: str, owner: str):
        self._message = (
            f"torchlike has no TorchScript IR: there is no {what} for {owner}, whose Python runs "
            "as recorded XLA programs (torchlike has no TorchScript compiler)"
        )

    def __repr__(self):
        return self._message

    __str__ = __repr__

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotImplementedError(self._message)


def _python_code(fn, owner: str) -> str:
    header = f"# torchlike has no TorchScript code: {owner} runs as Python (recorded lazily, compiled by XLA)"
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return header + "\n"
    return header + "; its Python source:\n" + inspect.cleandoc("\n" + source) + "\n"


def _torch_qualified_name(cls_or_fn) -> str:
    """PyTorch's TorchScript name for a Python class or function (``__torch__.MyCell``)."""
    module = getattr(cls_or_fn, "__module__", None) or ""
    if module.startswith("torchlike"):
        module = "torch" + module[len("torchlike") :]
    name = cls_or_fn.__qualname__
    return "__torch__." + (name if module in ("__main__", "") else f"{module}.{name}")


class ScriptModule(Module):
    """torch.jit.ScriptModule: the base of scripted and traced modules, and a base class for
    modules whose methods are marked ``@torch.jit.script_method``."""

    def __setattr__(self, name, value):
        if isinstance(value, Attribute):
            value = value.value
        elif (
            isinstance(value, Module)
            and not isinstance(value, ScriptModule)
            and getattr(type(self), "_jit_user_class", None)
            is None  # a user's ScriptModule subclass
        ):
            value = _wrap(value, RecursiveScriptModule, RecursiveScriptModule, {})
        super().__setattr__(name, value)

    def __repr__(self):  # Module's, not a container's own (ModuleList's), as PyTorch prints wrappers
        if self.__dict__.get("_jit_frozen"):  # PyTorch's frozen module has no submodules left
            return f"{self._get_name()}({self.extra_repr()})"
        return Module.__repr__(self)

    @property
    def original_name(self) -> str:
        return self.__dict__.get("_jit_original_name") or _user_class(self).__name__

    @property
    def code(self) -> str:
        return _python_code(_user_class(self).forward, f"{self.original_name}.forward")

    @property
    def graph(self) -> _UnavailableIR:
        return _UnavailableIR("graph", f"{self.original_name}.forward")

    @property
    def inlined_graph(self) -> _UnavailableIR:
        return _UnavailableIR("inlined graph", f"{self.original_name}.forward")

    @property
    def code_with_constants(self):
        return self.code, {}

    def save(self, f, **kwargs) -> None:
        from ._serialization import save

        save(self, f, **kwargs)

    def save_to_buffer(self, _extra_files=None) -> bytes:
        import io

        from ._serialization import save

        buffer = io.BytesIO()
        save(self, buffer, _extra_files=_extra_files)
        return buffer.getvalue()

    def __reduce_ex__(self, protocol):
        raise RuntimeError(
            f"Tried to serialize object {_torch_qualified_name(_user_class(self))} which does not have "
            "a __getstate__ method defined!"
        )

    def __copy__(self):
        new = object.__new__(_script_class(RecursiveScriptModule, _user_class(self)))
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo):
        new = object.__new__(_script_class(RecursiveScriptModule, _user_class(self)))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new


class RecursiveScriptModule(ScriptModule):
    """What ``torch.jit.script(module)`` and ``torch.jit.load`` return; prints as
    ``RecursiveScriptModule(original_name=...)``."""

    def extra_repr(self) -> str:
        return f"original_name={self.original_name}"

    def _get_name(self):
        return "RecursiveScriptModule"


# (wrapper kind, user class) -> the class of such wrappers; classes are immutable once made
_WRAPPER_CLASSES: dict[tuple[type, type], type] = {}


def _user_class(module: Module) -> type:
    return getattr(type(module), "_jit_user_class", type(module))


def _script_class(kind: type, user_cls: type) -> type:
    """The class named ``kind.__name__`` deriving from ``kind`` and ``user_cls``."""
    key = (kind, user_cls)
    cls = _WRAPPER_CLASSES.get(key)
    if cls is None:
        if issubclass(user_cls, kind):
            cls = user_cls
        else:
            cls = type(
                kind.__name__,
                (kind, user_cls),
                {
                    "__module__": kind.__module__,
                    "__qualname__": kind.__qualname__,
                    "_jit_user_class": user_cls,
                },
            )
        _WRAPPER_CLASSES[key] = cls
    return cls


def _wrap(module: Module, kind: type, child_kind: type, memo: dict) -> Module:
    """A wrapper of ``module`` (and, below it, of each submodule) sharing its Parameter and buffer
    objects; a submodule that is already a ScriptModule is kept as it is, as in PyTorch."""
    if isinstance(module, ScriptModule):
        return module
    done = memo.get(id(module))
    if done is not None:
        return done
    wrapper = object.__new__(_script_class(kind, type(module)))
    memo[id(module)] = wrapper
    d = wrapper.__dict__
    for key, value in module.__dict__.items():
        d[key] = value.value if isinstance(value, Attribute) else value
    for (
        key,
        value,
    ) in Module().__dict__.items():  # own dicts (hooks, parameter tables), same entries
        if isinstance(value, (dict, set)):
            d[key] = type(value)(module.__dict__.get(key, value))
    d["_modules"] = collections.OrderedDict(
        (k, None if m is None else _wrap(m, child_kind, child_kind, memo))
        for k, m in module._modules.items()
    )
    d["_jit_original_name"] = type(module).__name__
    return wrapper


class ScriptFunction:
    """torch.jit.ScriptFunction: a scripted or traced Python function (it runs as Python)."""

    def __init__(self, fn, name: str | None = None):
        self._fn = fn
        self.name = name or getattr(fn, "__name__", type(fn).__name__)
        self.__doc__ = getattr(fn, "__doc__", None)

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self):
        return f"<torch.jit.ScriptFunction object at {hex(id(self))}>"

    @property
    def qualified_name(self) -> str:
        return (
            _torch_qualified_name(self._fn)
            if hasattr(self._fn, "__qualname__")
            else f"__torch__.{self.name}"
        )

    @property
    def code(self) -> str:
        return _python_code(self._fn, self.name)

    @property
    def graph(self) -> _UnavailableIR:
        return _UnavailableIR("graph", self.name)

    @property
    def inlined_graph(self) -> _UnavailableIR:
        return _UnavailableIR("inlined graph", self.name)

    def save(self, filename, _extra_files=None) -> None:
        from ._serialization import save

        save(self, filename, _extra_files=_extra_files)

    def save_to_buffer(self, _extra_files=None) -> bytes:
        import io

        from ._serialization import save

        buffer = io.BytesIO()
        save(self, buffer, _extra_files=_extra_files)
        return buffer.getvalue()

    def __reduce_ex__(self, protocol):
        raise RuntimeError(
            f"Tried to serialize object {self.qualified_name} which does not have a __getstate__ method defined!"
        )


def script(obj: Any, optimize=None, _frames_up: int = 0, _rcb=None, example_inputs=None) -> Any:
    """torch.jit.script: a module becomes a RecursiveScriptModule tree, a function a ScriptFunction;
    both keep running their Python (see the module docstring)."""
    warnings.warn(
        "`torch.jit.script` is deprecated. Please switch to `torch.compile` or `torch.export`.",
        DeprecationWarning,
        stacklevel=1,  # attributed to torch.jit, as in PyTorch (hidden by default)
    )
    if optimize is not None:
        warnings.warn(
            "`optimize` is deprecated and has no effect. Use `with torch.jit.optimized_execution()` instead",
            FutureWarning,
            stacklevel=2,
        )
    if isinstance(obj, (ScriptModule, ScriptFunction)):
        return obj
    if isinstance(obj, Module):
        return _wrap(obj, RecursiveScriptModule, RecursiveScriptModule, {})
    if inspect.isclass(obj):
        if issubclass(obj, Module):
            raise RuntimeError(
                f"Type '{obj}' cannot be compiled since it inherits from nn.Module, pass an instance instead"
            )
        return obj  # a TorchScript class: it stays a Python class
    if isinstance(obj, (dict, list)):
        raise NotImplementedError(
            "torchlike does not provide torch.jit.script of a dict or list (ScriptDict / ScriptList)"
        )
    if callable(obj):
        return ScriptFunction(obj)
    raise RuntimeError(f"Type '{type(obj)}' cannot be compiled")


def script_method(fn):
    """Marks a method of a torch.jit.ScriptModule subclass as compiled; it runs as Python here."""
    warnings.warn(
        "`torch.jit.script_method` is deprecated. Please switch to `torch.compile` or `torch.export`.",
        DeprecationWarning,
        stacklevel=1,  # attributed to torch.jit, as in PyTorch (hidden by default)
    )
    return fn
