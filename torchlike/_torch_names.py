"""PyTorch's names for torchlike's classes while ``torch`` is torchlike (``python -m torchlike``).

Under the import hook ``torch.nn.modules.linear`` *is* ``torchlike.nn.modules.linear``, so a class
can carry PyTorch's module path: ``type(nn.Linear(2, 2))`` prints
``<class 'torch.nn.modules.linear.Linear'>``, and pickle, which finds a class again by its
``__module__`` and ``__qualname__``, imports ``torch.nn.modules.linear`` through the alias and gets
torchlike's class back (``torch.save`` of a whole model, DataLoader workers, spawned processes).

Without the hook (``import torchlike``) a ``torch.*`` path would be real PyTorch or nothing, so
classes keep their ``torchlike.*`` paths; ``torch.load`` and ``torch.jit.load`` map the ``torch.*``
paths that files written under the hook contain back to torchlike
(:func:`torchlike.serialization.resolve_torch_name`, :func:`moved_class`).

A class is named ``torch`` + its torchlike module path (``torchlike.vision.*`` as
``torchvision.*``) unless :data:`PYTORCH_MODULES` says PyTorch keeps it elsewhere; those PyTorch
modules are served by the hook as well (:func:`complete`, :data:`VIRTUAL_MODULES`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
import types

# Classes torchlike keeps somewhere other than PyTorch does, by torchlike module: their PyTorch
# ``__module__`` (PyTorch 2.x's ``cls.__module__``; ``torch.Tensor``, ``torch.Size`` ... report
# ``torch``, the generator and profiler enums come from torch._C).
PYTORCH_MODULES = {
    "torchlike._tensor": {"Tensor": "torch"},
    "torchlike._size": {"Size": "torch"},
    "torchlike._dtype": {"dtype": "torch"},
    "torchlike._device": {"device": "torch"},
    "torchlike._layout": {"layout": "torch"},
    "torchlike._quantized": {"qscheme": "torch"},
    "torchlike._ops.other": {"finfo": "torch", "iinfo": "torch"},
    "torchlike.random": {"Generator": "torch._C"},
    "torchlike.futures": {"Future": "torch.jit"},
    "torchlike.amp": {"GradScaler": "torch.amp.grad_scaler", "autocast": "torch.amp.autocast_mode"},
    "torchlike.cuda.amp": {
        "GradScaler": "torch.cuda.amp.grad_scaler",
        "autocast": "torch.cuda.amp.autocast_mode",
    },
    "torchlike.nn.modules.fractional_pooling": {
        "FractionalMaxPool2d": "torch.nn.modules.pooling",
        "FractionalMaxPool3d": "torch.nn.modules.pooling",
    },
    "torchlike.nn.modules.normalization": {
        "_InstanceNorm": "torch.nn.modules.instancenorm",
        "InstanceNorm1d": "torch.nn.modules.instancenorm",
        "InstanceNorm2d": "torch.nn.modules.instancenorm",
        "InstanceNorm3d": "torch.nn.modules.instancenorm",
    },
    "torchlike.nn.modules.lazy_norm": {
        "_LazyNormBase": "torch.nn.modules.batchnorm",
        "LazyBatchNorm1d": "torch.nn.modules.batchnorm",
        "LazyBatchNorm2d": "torch.nn.modules.batchnorm",
        "LazyBatchNorm3d": "torch.nn.modules.batchnorm",
        "LazyInstanceNorm1d": "torch.nn.modules.instancenorm",
        "LazyInstanceNorm2d": "torch.nn.modules.instancenorm",
        "LazyInstanceNorm3d": "torch.nn.modules.instancenorm",
    },
    "torchlike.nn.modules.activation_attention": {
        "MultiheadAttention": "torch.nn.modules.activation",
        "NonDynamicallyQuantizableLinear": "torch.nn.modules.linear",
    },
    "torchlike.optim.adam": {"AdamW": "torch.optim.adamw"},
    "torchlike.optim.adafactor": {"Adafactor": "torch.optim"},
    "torchlike.optim.muon": {"Muon": "torch.optim"},
    "torchlike.optim._lr_base": dict.fromkeys(
        ("LRScheduler", "_LRScheduler"), "torch.optim.lr_scheduler"
    ),
    "torchlike.optim._lr_plateau": {"ReduceLROnPlateau": "torch.optim.lr_scheduler"},
    "torchlike.optim._lr_cyclic": dict.fromkeys(
        ("CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR"), "torch.optim.lr_scheduler"
    ),
    "torchlike.utils.data._iterators": dict.fromkeys(
        ("_BaseDataLoaderIter", "_SingleProcessDataLoaderIter", "_MultiProcessingDataLoaderIter"),
        "torch.utils.data.dataloader",
    ),
    "torchlike.distributions._elementwise_transforms": dict.fromkeys(
        (
            "AbsTransform",
            "AffineTransform",
            "ExpTransform",
            "PowerTransform",
            "SigmoidTransform",
            "SoftplusTransform",
            "TanhTransform",
        ),
        "torch.distributions.transforms",
    ),  # fmt: skip
    "torchlike.distributions._vector_transforms": dict.fromkeys(
        (
            "CatTransform",
            "CorrCholeskyTransform",
            "CumulativeDistributionTransform",
            "LowerCholeskyTransform",
            "PositiveDefiniteTransform",
            "SoftmaxTransform",
            "StackTransform",
            "StickBreakingTransform",
        ),
        "torch.distributions.transforms",
    ),  # fmt: skip
    "torchlike.distributed": dict.fromkeys(
        ("Backend", "GroupMember", "ProcessGroup", "ReduceOp", "_World"),
        "torch.distributed.distributed_c10d",
    ),
    "torchlike.autograd.profiler_util": {"DeviceType": "torch._C._autograd"},
    "torchlike.profiler.profiler": {"ProfilerActivity": "torch._C._profiler"},
    "torchlike.ao.quantization.quantize": {
        "QuantStub": "torch.ao.quantization.stubs",
        "DeQuantStub": "torch.ao.quantization.stubs",
    },
    "torchlike.ao.nn.quantized.dynamic.modules.linear": {
        "LinearPackedParams": "torch.ao.nn.quantized.modules.linear",
    },
    "torchlike._serialization_tensors": {"StorageType": "torch.serialization"},
    "torchlike._weights_only_unpickler": {"safe_globals": "torch.serialization"},
}

# PyTorch module -> [(torchlike module, class name)] of the classes above
_BY_PYTORCH_MODULE: dict[str, list[tuple[str, str]]] = {}
for _home, _classes in PYTORCH_MODULES.items():
    for _name, _module in _classes.items():
        _BY_PYTORCH_MODULE.setdefault(_module, []).append((_home, _name))


def pytorch_module(module: str, qualname: str) -> str | None:
    """PyTorch's ``__module__`` for the torchlike class ``module.qualname`` (None: not torchlike's)."""
    moved = PYTORCH_MODULES.get(module, {}).get(qualname)
    if moved is not None:
        return moved
    if module == "torchlike.vision" or module.startswith("torchlike.vision."):
        return "torchvision" + module[len("torchlike.vision") :]
    if module == "torchlike" or module.startswith("torchlike."):
        return "torch" + module[len("torchlike") :]
    return None


def moved_class(module: str, name: str):
    """torchlike's class that PyTorch names ``module.name`` when torchlike keeps it elsewhere
    (``torch.optim.adamw.AdamW`` -> ``torchlike.optim.adam.AdamW``), else None."""
    for home, qualname in _BY_PYTORCH_MODULE.get(module, ()):
        if qualname == name:
            return getattr(importlib.import_module(home), name)
    return None


# The PyTorch modules above that torchlike has no module for: the hook registers them, holding just
# those classes, as soon as one of the classes is loaded.
VIRTUAL_MODULES = frozenset({
    "torch._C", "torch._C._autograd", "torch._C._profiler", "torch.amp.grad_scaler",
    "torch.amp.autocast_mode", "torch.cuda.amp.grad_scaler", "torch.cuda.amp.autocast_mode",
    "torch.ao.quantization.stubs", "torch.optim.adamw", "torch.nn.modules.instancenorm",
    "torch.distributed.distributed_c10d", "torch.ao.nn.quantized.modules.linear",
})  # fmt: skip


def complete(module_name: str, module) -> None:
    """Give the module the hook serves as PyTorch's ``module_name`` the classes PyTorch defines
    there and torchlike keeps elsewhere, so pickle finds them by their PyTorch path."""
    for home, name in _BY_PYTORCH_MODULE.get(module_name, ()):
        if name not in vars(module):
            setattr(module, name, getattr(importlib.import_module(home), name))


def _home_of(cls) -> str | None:
    return next((home for renamed, home in _RENAMED if renamed is cls), None)


def _register_virtual(cls) -> None:
    name = cls.__module__
    if name in VIRTUAL_MODULES:
        module = sys.modules.get(name)
        if module is None:
            doc = f"PyTorch's {name}: its classes that torchlike keeps in other modules"
            module = sys.modules[name] = types.ModuleType(name, doc)
            # inspect.getfile(cls) reads the module's file: the first class's (a class from
            # another torchlike file is then not found by inspect.getsource)
            module.__file__ = getattr(sys.modules.get(_home_of(cls)), "__file__", None)
        setattr(module, cls.__qualname__, cls)


# -- renaming ---------------------------------------------------------------------------------------

_RENAMED: list[tuple[type, str]] = []  # (class, its torchlike __module__), to put back on uninstall
_RENAMED_MODULES: list[tuple[types.ModuleType, str]] = []  # (module, its torchlike __name__)
_DONE: set[str] = set()


def _rename_module(module) -> None:
    name = getattr(module, "__name__", None)
    if not isinstance(name, str) or name in _DONE:
        return
    _DONE.add(name)
    _rename_module_itself(module, name)
    for qualname, obj in list(vars(module).items()):
        # only a class reachable as module.qualname: that is the path pickle will look up
        if not isinstance(obj, type) or obj.__module__ != name or obj.__qualname__ != qualname:
            continue
        target = pytorch_module(name, qualname)
        if target is None:
            continue
        _rename(obj, name, target)
        # a base made on the way and never bound in the module (``namedtuple("IncompatibleKeys",
        # ...)``) is named with its class: pickle never looks it up, printing the MRO does
        for base in obj.__mro__[1:]:
            if base.__module__ == name and getattr(module, base.__qualname__, None) is not base:
                _rename(base, name, target)
    _register(module, name)


def _register(module, name: str) -> None:
    """Make the PyTorch paths of the torchlike module ``name``'s classes lead to them with no
    import: pickle imports them, ``inspect.getsource`` and ``typing.get_type_hints`` look them up
    in ``sys.modules``."""
    target = pytorch_module(name, "")
    if target is not None:
        sys.modules.setdefault(target, module)
        for home, qualname in _BY_PYTORCH_MODULE.get(target, ()):  # kept elsewhere, loaded already
            cls = vars(sys.modules.get(home) or types).get(qualname)
            if isinstance(cls, type) and qualname not in vars(module):
                setattr(module, qualname, cls)
    for qualname, pytorch in PYTORCH_MODULES.get(name, {}).items():
        cls = vars(module).get(qualname)
        if not isinstance(cls, type):
            continue
        if pytorch in VIRTUAL_MODULES:
            _register_virtual(cls)
        elif pytorch in sys.modules and qualname not in vars(sys.modules[pytorch]):
            setattr(sys.modules[pytorch], qualname, cls)


def _rename_module_itself(module, name: str) -> None:
    """The module's own ``__name__`` becomes PyTorch's, as its classes' ``__module__`` does: code
    that compares them (d2l: ``scheduler.__module__ == lr_scheduler.__name__``) or prints a
    module name sees ``torch.*``. Its spec and ``__package__`` keep the torchlike path, so
    imports inside it are unchanged; runtime lookups of ``f"{__name__}.x"`` go through the hook."""
    target = pytorch_module(name, "")
    if target is None or type(module) is not types.ModuleType:
        return
    module.__name__ = target
    _DONE.add(target)
    _RENAMED_MODULES.append((module, name))


def _rename(cls, name: str, target: str) -> bool:
    try:
        cls.__module__ = target
    except (AttributeError, TypeError):  # a class that does not allow it keeps its name
        return False
    _RENAMED.append((cls, name))
    return True


class _RenamingLoader:
    """Runs a torchlike module's own loader, then gives its classes their PyTorch names."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _rename_module(module)

    def __getattr__(self, name):  # get_source, get_resource_reader, is_package ...
        return getattr(self._loader, name)


class _RenamingFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("torchlike."):
            return None
        for finder in sys.meta_path:
            if finder is self or isinstance(finder, type(self)) or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _RenamingLoader(spec.loader)
        return spec


_FINDER = _RenamingFinder()


def apply() -> None:
    """Name torchlike's classes as PyTorch does: those loaded now, and those loaded later (only
    while ``torch`` resolves to torchlike; :func:`restore` undoes it)."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name, module in list(sys.modules.items()):
        if (name == "torchlike" or name.startswith("torchlike.")) and module is not None:
            _rename_module(module)
    for name, module in list(sys.modules.items()):  # install() dropped every torch.* module
        if (name == "torchlike" or name.startswith("torchlike.")) and module is not None:
            _register(module, name)


def restore() -> None:
    """Give every renamed class its torchlike path back (the hook is uninstalled)."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for cls, module in reversed(_RENAMED):
        cls.__module__ = module
    for module, name in reversed(_RENAMED_MODULES):
        module.__name__ = name
    _RENAMED.clear()
    _RENAMED_MODULES.clear()
    _DONE.clear()
