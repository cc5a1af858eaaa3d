"""``torch.ops``: operators by namespace, as PyTorch's dispatcher names them.

``torch.ops.aten.add`` is an OpOverloadPacket, ``torch.ops.aten.add.Tensor`` one of its
OpOverloads. An ATen op calls the torchlike function, Tensor method or functional of the same name
(or its ``_aten_adapters`` entry where ATen's arguments differ); ``_aten_names`` lists the ops
torchlike runs and their overload names. Any other namespace holds the operators defined through
``torch.library`` (``_library.registry``).
"""

from __future__ import annotations

import os
import types

from ._aten_adapters import ADAPTERS
from ._aten_names import OVERLOADS
from ._library import registry


def _fx_proxy(args, kwargs):
    """The torch.fx Proxy among a call's arguments (a symbolic trace records the op), or None."""
    import sys

    if "torchlike.fx.proxy" not in sys.modules:
        return None
    from .fx.proxy import Proxy

    for a in list(args) + list(kwargs.values()):
        if isinstance(a, Proxy) or isinstance(a, (list, tuple)) and any(isinstance(x, Proxy) for x in a):
            return Proxy
    return None


class OpOverload:
    """One overload of an operator (``aten.add.Tensor``, ``mylib.crop.default``)."""

    def __init__(self, packet: OpOverloadPacket, overload: str, fn, entry=None):
        self._overloadpacket = packet
        self._overloadname = overload
        self._op = fn
        self._entry = entry
        self._namespace = packet._namespace
        self._opname = packet.__name__
        self.__name__ = f"{packet.__name__}.{overload}"
        self.__qualname__ = self.name()
        self.__module__ = packet.__module__

    def __call__(self, *args, **kwargs):
        proxy = _fx_proxy(args, kwargs)
        if proxy is not None:
            return proxy.__torch_function__(self, (), args, kwargs)
        return self._op(*args, **kwargs)

    def __repr__(self):
        return f"<OpOverload(op='{self._namespace}.{self._opname}', overload='{self._overloadname}')>"

    def __str__(self):
        return f"{self._namespace}.{self._opname}.{self._overloadname}"

    def name(self) -> str:
        base = f"{self._namespace}::{self._opname}"
        return base if self._overloadname == "default" else f"{base}.{self._overloadname}"

    @property
    def namespace(self) -> str:
        return self._namespace

    @property
    def overloadpacket(self) -> OpOverloadPacket:
        return self._overloadpacket

    @property
    def op(self):
        return self._op

    @property
    def _schema(self):
        if self._entry is None:
            raise AttributeError(f"torchlike does not carry ATen's operator schemas ({self.name()})")
        return self._entry.schema

    def is_view(self) -> bool:
        return self._entry is not None and self._entry.schema._is_view_op()

    def __hash__(self):
        return id(self)

    def __reduce__(self):
        return _load_overload, (self._namespace, self._opname, self._overloadname)


def _load_overload(namespace, opname, overload):
    return getattr(getattr(getattr(ops, namespace), opname), overload)


class OpOverloadPacket:
    """All overloads of one operator name (``torch.ops.aten.add``); calling it picks one."""

    def __init__(self, namespace: str, name: str, overload_names: list[str], make_overload):
        self._namespace = namespace
        self._qualified_op_name = f"{namespace}::{name}"
        self.__name__ = name
        # (PyTorch says torch._ops.<ns>; fx writes a target as module + name, and torch.ops.<ns> is
        # where torchlike's generated code finds it)
        self.__module__ = f"torch.ops.{namespace}"
        self._overload_names = overload_names
        self._make_overload = make_overload

    def __repr__(self):
        return f"<OpOverloadPacket(op='{self._namespace}.{self.__name__}')>"

    def __str__(self):
        return f"{self._namespace}.{self.__name__}"

    def __getattr__(self, key: str):
        if key.startswith("__") or key not in self.__dict__["_overload_names"]:
            if key.startswith("__"):
                raise AttributeError(f"'{type(self).__name__}' object has no attribute '{key}'")
            raise AttributeError(f"The underlying op of '{self}' has no overload name '{key}'")
        overload = self._make_overload(self, key)
        setattr(self, key, overload)
        return overload

    def overloads(self) -> list[str]:
        return [n for n in self._overload_names]

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._overload_names))

    def __iter__(self):
        return iter(self._overload_names)

    def __call__(self, *args, **kwargs):
        proxy = _fx_proxy(args, kwargs)
        if proxy is not None:
            return proxy.__torch_function__(self, (), args, kwargs)
        return self._call(*args, **kwargs)

    def __hash__(self):
        return id(self)

    def __reduce__(self):
        return getattr, (getattr(ops, self._namespace), self.__name__)


# -- ATen --------------------------------------------------------------------------------------------
def _aten_function(name: str):
    if name in ADAPTERS:
        return ADAPTERS[name]
    import torchlike

    from ._tensor import Tensor
    from .nn import functional

    for namespace in (torchlike, Tensor, functional):
        fn = getattr(namespace, name, None)
        if callable(fn) and not isinstance(fn, type):
            return fn
    raise AssertionError(f"aten::{name} is listed in _aten_names but torchlike has no function for it")


def _aten_packet(name: str) -> OpOverloadPacket:
    spec = OVERLOADS[name].split()
    fn = _aten_function(name)
    unsupported = {s[1:] for s in spec if s.startswith("~")}

    def make_overload(packet, overload):
        if overload not in unsupported:
            return OpOverload(packet, overload, fn)

        def scalar_form(*args, **kwargs):
            raise NotImplementedError(
                f"torch.ops.aten.{name}.{overload}: torchlike runs the tensor overloads of aten::{name}; "
                f"this TorchScript form on Python numbers/lists/strings is not supported"
            )

        return OpOverload(packet, overload, scalar_form)

    packet = OpOverloadPacket("aten", name, [s.lstrip("~") for s in spec], make_overload)
    packet._call = fn
    return packet


# -- torch.library operators -------------------------------------------------------------------------
def _library_packet(namespace: str, name: str) -> OpOverloadPacket | None:
    entries = registry.DEFS.get(f"{namespace}::{name}")
    if not entries:
        return None
    names = [o or "default" for o in entries]

    def make_overload(packet, overload):
        entry = entries["" if overload == "default" else overload]
        return OpOverload(packet, overload, lambda *a, **k: registry.call(entry, a, k), entry)

    packet = OpOverloadPacket(namespace, name, names, make_overload)

    def call(*args, **kwargs):
        error = None
        for overload in names:
            try:
                entry = entries["" if overload == "default" else overload]
                entry.schema.bind(args, kwargs)
            except RuntimeError as e:
                error = error or e
                continue
            return getattr(packet, overload)(*args, **kwargs)
        raise error

    packet._call = call
    return packet


class _OpNamespace(types.ModuleType):
    """``torch.ops.<namespace>``: its operators as attributes, made on first use."""

    def __init__(self, name: str):
        super().__init__("torch.ops." + name)
        self.name = name
        self.__file__ = "torch.ops"
        self._dir: list[str] = []

    def __iter__(self):
        return iter(self._dir)

    def __getattr__(self, op_name: str):
        if op_name.startswith("__"):
            raise AttributeError(f"'_OpNamespace' '{self.name}' object has no attribute '{op_name}'")
        if self.name == "aten" and op_name in OVERLOADS:
            packet = _aten_packet(op_name)
        else:
            packet = _library_packet(self.name, op_name)
        if packet is None:
            raise AttributeError(f"'_OpNamespace' '{self.name}' object has no attribute '{op_name}'")
        setattr(self, op_name, packet)
        self._dir.append(op_name)
        return packet


class _Ops(types.ModuleType):
    """``torch.ops``: one ``_OpNamespace`` per operator namespace."""

    def __init__(self):
        super().__init__("torch.ops")
        self.__file__ = "_ops.py"
        self.loaded_libraries: set[str] = set()
        self._dir: list[str] = []

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(f"module 'torch.ops' has no attribute '{name}'")
        namespace = _OpNamespace(name)
        setattr(self, name, namespace)
        self._dir.append(name)
        return namespace

    def __iter__(self):
        return iter(self._dir)

    def import_module(self, module: str):
        import importlib

        importlib.import_module(module)

    def load_library(self, path) -> None:
        """PyTorch dlopens a C++ operator library here; torchlike runs on JAX and cannot load one."""
        path = os.path.realpath(os.fspath(path))
        raise OSError(
            f"Could not load this library: {path} (torchlike cannot load C++ extensions or compiled "
            f"operator libraries; define the operators in Python with torch.library.custom_op)"
        )


def forget(namespace: str, name: str) -> None:
    """Drop a cached packet so the next lookup sees an operator's new overloads."""
    ns = ops.__dict__.get(namespace)
    if ns is not None and name in ns.__dict__:
        delattr(ns, name)
        ns._dir.remove(name)


ops = _Ops()
