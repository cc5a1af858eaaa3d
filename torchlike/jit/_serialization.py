"""torch.jit.save / torch.jit.load for torchlike's own archives.

PyTorch's TorchScript archive holds compiled TorchScript code; torchlike has no TorchScript
interpreter, so it writes its own archive instead, in the zip layout of ``torch.save``:

- ``<archive>/data.pkl``: a plain-data pickle (only dicts, lists, tuples, strings, numbers and
  tensors; nothing that runs code when read) describing the module tree. Each module is a dict:
  its Python class *by reference* (``"module:QualName"``), ``original_name``, ``training``,
  parameters, buffers, submodules, and its other attributes encoded as tagged tuples (numbers,
  strings, containers, dtypes, devices, tensors, and functions or classes by reference);
- ``<archive>/data/<key>``: the tensors' storages, as ``torch.save`` writes them;
- ``<archive>/torchlike_jit``: marks the archive (``torch.load`` then dispatches to
  ``torch.jit.load``, as PyTorch does for a TorchScript archive);
- ``<archive>/extra/<name>``: ``_extra_files``, where PyTorch puts them.

Loading reads ``data.pkl`` with the weights-only unpickler, imports each class by name (so the
class must be defined at load time: importable, or defined in ``__main__``), and rebuilds a
RecursiveScriptModule tree without calling ``__init__``. Real PyTorch reads the same file with
``torch.load`` (a dict holding the tensors) but not with ``torch.jit.load``; torchlike cannot run a
TorchScript archive written by PyTorch and says so.
"""

from __future__ import annotations

import importlib
import os
import pickle
import sys
import warnings

from .. import _serialization_zip as _zip
from .. import serialization as _ser
from .._dtype import dtype as _dtype_type
from .._size import Size
from .._tensor import Tensor
from ..nn.modules.module import Module
from ._script import (
    _MODULE_INTERNALS,
    RecursiveScriptModule,
    ScriptFunction,
    ScriptModule,
    _script_class,
    _user_class,
)

__all__ = ["save", "load"]

MARKER = "torchlike_jit"
_FORMAT = "torchlike.jit/1"
_STORABLE = (
    "None, bool, int, float, complex, str, bytes, tuple, list, dict, set, torch.dtype, torch.device, "
    "torch.Size, Tensor, nn.Module, and functions or classes importable by module and name"
)


class PlaceholderModule(Module):
    """What a saved ScriptFunction loads as (PyTorch's name): forward calls the function."""

    def forward(self, *args, **kwargs):
        return self._fn(*args, **kwargs)


# -- save -----------------------------------------------------------------------------------------


def _reference(obj, what: str) -> str:
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        raise RuntimeError(
            f"torch.jit.save: torchlike stores {what} by its module and name so that torch.jit.load can "
            f"import it, but {qualname or obj!r} is not reachable by name (defined inside a function, or "
            "a lambda); define it at module level"
        )
    return f"{module}:{qualname}"


# torchlike's ops name the module of their kernels, not where users reach them: look there as well
_PUBLIC_NAMESPACES = (
    "torchlike",
    "torchlike.nn.functional",
    "torchlike.special",
    "torchlike.linalg",
)


def _callable_reference(v, what: str) -> str:
    ref = _reference(v, what)  # raises for a lambda or a function defined inside a function
    for candidate in [ref] + [
        f"{ns}:{v.__name__}" for ns in _PUBLIC_NAMESPACES if hasattr(v, "__name__")
    ]:
        try:
            if _resolve(candidate) is v:
                return candidate
        except RuntimeError:
            continue
    raise RuntimeError(
        f"torch.jit.save: {what} ({ref.replace(':', '.')}) cannot be found by that name"
    )


class _Encoder:
    def __init__(self):
        self.nodes: dict[int, dict] = {}

    def module(self, m: Module) -> dict:
        node = self.nodes.get(id(m))
        if node is not None:  # a shared submodule: the pickle keeps the one dict, so one module
            return node
        cls = _user_class(m)
        node = self.nodes[id(m)] = {}
        d = m.__dict__
        node.update(
            {
                "class": _reference(cls, f"the module class {cls.__qualname__}"),
                "original_name": getattr(m, "original_name", cls.__name__),
                "training": bool(d["training"]),
                "parameters": dict(d["_parameters"]),
                "buffers": dict(d["_buffers"]),
                "non_persistent": sorted(d["_non_persistent_buffers_set"]),
                "modules": {
                    k: None if c is None else self.module(c) for k, c in d["_modules"].items()
                },
            }
        )
        owner = node["original_name"]
        node["attributes"] = {
            k: self.value(v, k, owner) for k, v in d.items() if k not in _MODULE_INTERNALS
        }
        return node

    def value(self, v, name: str, owner: str):
        if v is None or isinstance(v, (bool, int, float, str, bytes)):
            return v
        if isinstance(v, Tensor):
            return ("tensor", v)  # the pickle keeps identity: an alias of a parameter stays one
        if isinstance(v, Size):
            return ("size", list(v))
        if isinstance(v, complex):
            return ("complex", v.real, v.imag)
        if isinstance(v, (tuple, list, set, frozenset)):
            kind = "tuple" if isinstance(v, tuple) else "list" if isinstance(v, list) else "set"
            return (kind, [self.value(x, name, owner) for x in v])
        if isinstance(v, dict):
            return (
                "dict",
                [(self.value(k, name, owner), self.value(x, name, owner)) for k, x in v.items()],
            )
        if isinstance(v, _dtype_type):
            return ("dtype", str(v).split(".")[-1])
        if type(v).__name__ == "device" and hasattr(v, "type") and hasattr(v, "index"):
            return ("device", str(v))
        if isinstance(v, Module):
            return ("module", self.module(v))
        if isinstance(v, ScriptFunction):
            v = v._fn
        if callable(v) and hasattr(v, "__qualname__"):
            return ("ref", _callable_reference(v, f"attribute '{name}' of {owner}"))
        raise RuntimeError(
            f"torch.jit.save: cannot store attribute '{name}' of {owner} (a {type(v).__module__}."
            f"{type(v).__qualname__}): torchlike's archives hold values of types {_STORABLE}"
        )


def _archive(m) -> dict:
    if isinstance(m, ScriptFunction):
        holder = object.__new__(_script_class(RecursiveScriptModule, PlaceholderModule))
        Module.__init__(holder)
        holder.__dict__["_fn"] = m._fn
        m = holder
    elif not isinstance(m, ScriptModule):
        raise AttributeError(f"'{type(m).__name__}' object has no attribute 'save'")
    return {"format": _FORMAT, "root": _Encoder().module(m)}


def save(m, f, _extra_files=None) -> None:
    """torch.jit.save: write ``m`` (a ScriptModule or ScriptFunction) to a path or a binary file."""
    warnings.warn(
        "`torch.jit.save` is deprecated. Please switch to `torch.export`.",
        DeprecationWarning,
        stacklevel=1,
    )
    data_pkl, records = _ser._serialize(_archive(m), pickle, _ser.DEFAULT_PROTOCOL, False)
    extra = {MARKER: _FORMAT.encode()}
    for name, content in (_extra_files or {}).items():
        extra[f"extra/{name}"] = content.encode() if isinstance(content, str) else bytes(content)

    def write(stream) -> None:
        _ser._emit_zip(stream, _zip.archive_name_for(f), data_pkl, records, True, extra)

    if _ser._is_path(f):
        _ser._atomic_write(f, write)
    else:
        write(f)
        if hasattr(f, "flush"):
            f.flush()


# -- load -----------------------------------------------------------------------------------------


def _resolve(ref: str):
    module_name, _, qualname = ref.partition(":")
    if module_name.split(".")[0] in ("torch", "torchvision") and "." not in qualname:
        # saved under `python -m torchlike`, where classes carry PyTorch's paths; without the
        # hook ``torch`` is not torchlike, so find torchlike's class for that path
        if sys.modules.get("torch") is not sys.modules["torchlike"]:
            try:
                return _ser.resolve_torch_name(module_name, qualname)
            except (ImportError, AttributeError) as e:
                raise _not_defined(ref, str(e)) from None
    module = sys.modules.get(module_name)
    if module is None:
        try:
            module = importlib.import_module(module_name)
        except ImportError as e:
            raise _not_defined(ref, f"importing {module_name} failed: {e}") from None
    obj = module
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise _not_defined(ref, f"{module_name} has no attribute {qualname}") from None
    return obj._fn if isinstance(obj, ScriptFunction) else obj


def _not_defined(ref: str, detail: str) -> RuntimeError:
    return RuntimeError(
        f"torch.jit.load: the archive refers to {ref.replace(':', '.')}, which is not defined here "
        f"({detail}). torchlike saves a scripted module as its Python class (by module and name) plus "
        "its state, not as TorchScript code, so that class must be importable, or defined in the "
        "running script, when loading"
    )


class _Decoder:
    def __init__(self):
        self.built: dict[int, Module] = {}

    def module(self, node: dict) -> Module:
        done = self.built.get(id(node))
        if done is not None:
            return done
        cls = _resolve(node["class"])
        if not (isinstance(cls, type) and issubclass(cls, Module)):
            raise RuntimeError(f"torch.jit.load: {node['class']} is not an nn.Module subclass")
        m = object.__new__(_script_class(RecursiveScriptModule, _user_class_of(cls)))
        Module.__init__(m)
        self.built[id(node)] = m
        d = m.__dict__
        d["training"] = node["training"]
        d["_parameters"].update(node["parameters"])
        d["_buffers"].update(node["buffers"])
        d["_non_persistent_buffers_set"].update(node["non_persistent"])
        for name, child in node["modules"].items():
            d["_modules"][name] = None if child is None else self.module(child)
        for name, value in node["attributes"].items():
            d[name] = self.value(value)
        d["_jit_original_name"] = node["original_name"]
        return m

    def value(self, v):
        if not isinstance(v, tuple):
            return v
        tag = v[0]
        if tag == "tensor":
            return v[1]
        if tag in ("tuple", "list", "set"):
            items = [self.value(x) for x in v[1]]
            return tuple(items) if tag == "tuple" else items if tag == "list" else set(items)
        if tag == "dict":
            return {self.value(k): self.value(x) for k, x in v[1]}
        if tag == "size":
            return Size(v[1])
        if tag == "complex":
            return complex(v[1], v[2])
        if tag == "dtype":
            from .. import _dtype

            return getattr(_dtype, v[1])
        if tag == "device":
            from .._device import device

            return device(v[1])
        if tag == "module":
            return self.module(v[1])
        if tag == "ref":
            return _resolve(v[1])
        raise RuntimeError(f"torch.jit.load: unknown value tag {tag!r} in the archive")


def _user_class_of(cls: type) -> type:
    return getattr(cls, "_jit_user_class", cls)


def _torchscript_error(f) -> RuntimeError:
    name = os.fsdecode(f) if _ser._is_path(f) else "the file"
    return RuntimeError(
        f"torch.jit.load: {name} is a TorchScript archive written by PyTorch. torchlike cannot run it: "
        "TorchScript code needs PyTorch's TorchScript interpreter, which torchlike does not have. "
        "Save the model's state_dict in PyTorch instead (torch.save(model.state_dict(), path)) and load "
        "it into the model's Python class with load_state_dict"
    )


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    """torch.jit.load: a RecursiveScriptModule tree from what torch.jit.save wrote."""
    warnings.warn(
        "`torch.jit.load` is deprecated. Please switch to `torch.export`.",
        DeprecationWarning,
        stacklevel=1,
    )
    if _ser._is_path(f):
        path = os.fsdecode(f)
        if not os.path.exists(path):
            raise ValueError(f"The provided filename {path} does not exist")
        if os.path.isdir(path):
            raise ValueError(f"The provided filename {path} is a directory")
    loader = _ser._Loader(map_location, True, None, {"encoding": "utf-8"})
    with _ser._open_for_read(f) as stream:
        reader = _zip.ZipRecordReader(stream)
        if reader.has_record("constants.pkl") and not reader.has_record(MARKER):
            raise _torchscript_error(f)
        if not reader.has_record(MARKER):
            raise RuntimeError(
                "torch.jit.load: the file is not an archive written by torch.jit.save (it holds no "
                f"{MARKER} record); a torch.save checkpoint is read with torch.load"
            )
        payload = _ser._load_zip(reader, loader, None)
        if _extra_files is not None:
            for name in _extra_files:
                record = f"extra/{name}"
                _extra_files[name] = reader.get_record(record) if reader.has_record(record) else b""
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise RuntimeError(f"torch.jit.load: unsupported archive format {payload.get('format')!r}")
    return _Decoder().module(payload["root"])
