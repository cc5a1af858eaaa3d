"""Operators defined through ``torch.library``: their schemas, kernels per dispatch key, fake
(meta) functions and autograd formulas, and how a call picks among them.

PyTorch's dispatcher walks dispatch keys in priority order; the same order here, for the keys a
Python-defined operator can have: ``CompositeImplicitAutograd`` (the kernel's own ops are
differentiated), then ``Autograd`` (a registered formula, or a custom op's generated node), then the
backend of the tensor arguments (``CPU``/``CUDA``/``Meta``, then ``CompositeExplicitAutograd``). A
``Meta`` tensor with no Meta kernel runs the fake function: torchlike's way to know an op's output
shapes without running it.
"""

from __future__ import annotations

DEFS: dict[str, dict[str, OpEntry]] = {}  # "ns::name" -> overload name -> entry
FRAGMENTS: dict[str, str] = {}  # namespace -> where its DEF library was created
PENDING: dict[tuple, dict] = {}  # (qualname, overload) -> {dispatch key: kernel} registered before the def
_DEVICE_KEYS = {"cpu": "CPU", "cuda": "CUDA", "meta": "Meta", "xla": "XLA", "mps": "MPS", "xpu": "XPU"}


class OpEntry:
    """One operator overload: ``mylib::crop`` (overload ``""``) with its registrations."""

    def __init__(self, schema, ns: str, name: str, overload: str):
        self.schema = schema
        self.ns, self.name, self.overload = ns, name, overload
        self.kernels: dict[str, object] = {}
        self.fake = None
        self.autograd = None  # (backward, setup_context) from register_autograd
        self.opdef = None  # the CustomOpDef, for ops made by custom_op
        self.packet_name = f"{ns}.{name}"
        self.where = "<unknown>"  # the file:line that defined it
        self.function_class = None  # the autograd.Function a registered formula runs as

    @property
    def qualname(self) -> str:
        return f"{self.ns}::{self.name}"

    def op_label(self) -> str:
        """``mylib.crop.default``: how PyTorch names the overload in messages."""
        return f"{self.packet_name}.{self.overload or 'default'}"


def lookup(qualname: str, overload: str = "") -> OpEntry | None:
    return DEFS.get(qualname, {}).get(overload)


def define(schema, ns: str) -> OpEntry:
    name = schema.name.split("::")[-1]
    overloads = DEFS.setdefault(f"{ns}::{name}", {})
    entry = OpEntry(schema, ns, name, schema.overload_name)
    overloads[schema.overload_name] = entry
    from .. import _ops_namespace

    _ops_namespace.forget(ns, name)
    return entry


def undefine(entry: OpEntry) -> None:
    overloads = DEFS.get(entry.qualname, {})
    if overloads.get(entry.overload) is entry:
        del overloads[entry.overload]
        if not overloads:
            del DEFS[entry.qualname]
        from .. import _ops_namespace

        _ops_namespace.forget(entry.ns, entry.name)


def dispatch_key(key: str) -> str:
    """A device type (``"cpu"``) or a dispatch key (``"CPU"``) as the dispatch key it names."""
    return _DEVICE_KEYS.get(key, key)


# -- calls -----------------------------------------------------------------------------------------
def _tensors(values):
    from .._tensor import Tensor

    for v in values:
        if isinstance(v, Tensor):
            yield v
        elif isinstance(v, (list, tuple)):
            yield from (x for x in v if isinstance(x, Tensor))


def backend_key(args, kwargs) -> str | None:
    for t in _tensors(list(args) + list(kwargs.values())):
        return _DEVICE_KEYS.get(t.device.type, t.device.type.upper())
    return None


def call(entry: OpEntry, args: tuple, kwargs: dict):
    args, kwargs = entry.schema.bind(args, kwargs)
    kernel = entry.kernels.get("CompositeImplicitAutograd")
    if kernel is not None:
        return kernel(*args, **kwargs)
    kernel = entry.kernels.get("Autograd")
    if kernel is not None:
        return kernel(*args, **kwargs)
    if entry.opdef is not None or entry.autograd is not None:
        from .custom_ops import autograd_call

        return autograd_call(entry, args, kwargs)
    return call_backend(entry, args, kwargs)


def call_backend(entry: OpEntry, args, kwargs):
    key = backend_key(args, kwargs)
    if entry.opdef is not None and key is None:
        key = entry.opdef._device_of(args, kwargs)
    kernel = entry.kernels.get(key) if key else None
    if kernel is None and key == "Meta":
        return run_fake(entry, args, kwargs)
    if kernel is None:
        kernel = entry.kernels.get("CompositeExplicitAutograd")
    if kernel is None:
        known = [k for k in entry.kernels] + (["Meta"] if entry.fake else [])
        raise NotImplementedError(
            f"Could not run '{entry.schema.qualified()}' with arguments from the '{key or 'Undefined'}' "
            f"backend. This could be because the operator doesn't exist for this backend, or was omitted "
            f"during the selective/custom build process (if using custom build). If you are a Facebook "
            f"employee using PyTorch on mobile, please visit https://fburl.com/ptmfixes for possible "
            f"resolutions. "
            f"'{entry.schema.qualified()}' is only available for these backends: [{', '.join(known)}]."
        )
    return kernel(*args, **kwargs)


def run_fake(entry: OpEntry, args, kwargs):
    """The op's outputs from its fake function (shapes, dtypes and devices, no values)."""
    if entry.fake is not None:
        return entry.fake(*args, **kwargs)
    if entry.opdef is not None:
        return entry.opdef._missing_fake(args, kwargs)
    if not any(r.is_tensor for r in entry.schema.returns):
        return None
    raise NotImplementedError(
        f"{entry.op_label()}: There was no fake impl registered for {entry.qualname}. It is needed to "
        f"run the operator on tensors without data (device='meta'); use "
        f"torch.library.register_fake(\"{entry.qualname}\") to add one."
    )
