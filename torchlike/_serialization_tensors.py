"""What the ``torch.*`` names in a checkpoint mean in torchlike, and how tensors are rebuilt.

:func:`torch_globals` maps every name PyTorch allows in a weights-only load to a torchlike
object (the ``torch._utils._rebuild_*`` functions below, dtypes, ``Size``, ``device``,
storage types ...), and :func:`resolve_torch_name` maps any other ``torch.*``/``torchvision.*``
name to torchlike's object of the same name for full (``weights_only=False``) loads. Storages
read from a file become :class:`LoadedStorage`; tensors are rebuilt on them so tensors that
shared storage when saved share it again. The writing side is :mod:`._serialization_pickler`.
"""

from __future__ import annotations

import functools
import importlib
import pickle
from typing import Any

import numpy as np

from . import _dtype, _torch_names

# Legacy typed-storage class names, as pickled by PyTorch, and the dtype each holds.
STORAGE_DTYPES = {
    "DoubleStorage": "float64", "FloatStorage": "float32", "HalfStorage": "float16",
    "BFloat16Storage": "bfloat16", "LongStorage": "int64", "IntStorage": "int32",
    "ShortStorage": "int16", "CharStorage": "int8", "ByteStorage": "uint8",
    "BoolStorage": "bool", "ComplexFloatStorage": "complex64",
    "ComplexDoubleStorage": "complex128", "QUInt8Storage": "quint8", "QInt8Storage": "qint8",
    "QInt32Storage": "qint32", "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
}  # fmt: skip
STORAGE_FOR_DTYPE = {v: k for k, v in STORAGE_DTYPES.items()}

# torch dtypes torchlike has no equivalent for; they still resolve (a file may mention them
# in a config dict) but a tensor of one cannot be built.
UNSUPPORTED_DTYPES = (
    "complex32", "quint8", "qint8", "qint32", "quint4x2", "quint2x4", "uint16", "uint32",
    "uint64", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz",
    "float8_e8m0fnu", "float4_e2m1fn_x2", "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16",
    *(f"uint{i}" for i in range(1, 8)), *(f"int{i}" for i in range(1, 8)),
)  # fmt: skip


class UnsupportedDtype:
    """A torch dtype torchlike cannot hold (``torch.uint16`` ...), kept so files mentioning it load."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name


@functools.cache
def unsupported_dtype(name: str) -> UnsupportedDtype:
    return UnsupportedDtype(name)


def _require_dtype(d) -> _dtype.dtype:
    if isinstance(d, UnsupportedDtype):
        raise RuntimeError(
            f"torchlike has no dtype {d!r}, so this checkpoint's tensor of that type cannot be loaded"
        )
    return d


class StorageType:
    """What ``torch.FloatStorage`` (or ``UntypedStorage``) means inside a checkpoint: a dtype."""

    def __init__(self, name: str):
        self.name = name
        base = STORAGE_DTYPES.get(name, "uint8")
        self.dtype = _dtype._BY_NAME.get(base) or unsupported_dtype(base)

    def __repr__(self) -> str:
        return f"StorageType(dtype={self.dtype!r})"


def storage_dtype(storage_type):
    """The dtype a storage type read from a checkpoint stands for."""
    if isinstance(storage_type, StorageType):
        return storage_type.dtype
    raise pickle.UnpicklingError(
        f"expected a storage type in a storage record, got {storage_type!r}"
    )


def dtype_of_name(name: str):
    return _dtype._BY_NAME.get(name) or unsupported_dtype(name)


# -- storages read from a checkpoint ------------------------------------------------------------


class LoadedStorage:
    """A storage from a checkpoint: flat data, where its tensors go, and the tensor owning it.

    The first tensor that covers the whole storage contiguously (the usual case: one tensor per
    storage) becomes its owner directly, with no view op; any other tensor on the storage is an
    ``as_strided`` view of that owner, so tensors that shared memory when saved share it again.
    ``cpu()``/``cuda()``/``to()`` exist for ``map_location`` callables, which receive and return
    storages.
    """

    def __init__(self, array: np.ndarray, dtype, device: str = "cpu", root=None, offset: int = 0):
        self.array = array
        self.dtype = dtype
        self.device = device
        self._root = root  # legacy-format storage views share their root's tensor
        self._offset = offset
        self._owners: dict[str, Any] = {}  # dtype name -> the tensor holding the storage

    def size(self) -> int:
        return int(self.array.shape[0])

    __len__ = size

    def nbytes(self) -> int:
        return int(self.array.nbytes)

    def element_size(self) -> int:
        return int(self.array.itemsize)

    def tolist(self) -> list:
        return self.array.tolist()

    def _moved(self, device: str) -> LoadedStorage:
        return LoadedStorage(self.array, self.dtype, device, self._root, self._offset)

    def cpu(self) -> LoadedStorage:
        return self._moved("cpu")

    def cuda(self, device=None, non_blocking: bool = False) -> LoadedStorage:
        index = device.index if hasattr(device, "index") else device
        return self._moved("cuda" if index is None else f"cuda:{int(index)}")

    def to(self, device=None, non_blocking: bool = False) -> LoadedStorage:
        return self._moved(str(device))

    def __repr__(self) -> str:
        return f"torchlike storage (dtype={self.dtype!r}, device={self.device}, size={self.size()})"

    def tensor(self, dtype, offset: int, size: tuple, stride: tuple):
        """The tensor ``self[offset]`` with ``size``/``stride`` (bounds already checked)."""
        import torchlike

        if self._root is not None:
            return self._root.tensor(dtype, self._offset + offset, size, stride)
        numel = self.nbytes() // dtype.itemsize
        owner = self._owners.get(dtype.name)
        if owner is None and offset == 0 and _covers(size, stride, numel):
            owner = _place(_from_numpy(self.array.view(dtype.np).reshape(size)), self.device)
            self._owners[dtype.name] = owner
            return owner
        if owner is None:
            owner = _place(_from_numpy(self.array.view(dtype.np)), self.device)
            self._owners[dtype.name] = owner
        flat = owner if owner.dim() == 1 else owner.reshape(-1)
        return torchlike.as_strided(flat, size, stride, offset)


def _covers(size: tuple, stride: tuple, numel: int) -> bool:
    """Whether a C-contiguous ``size``/``stride`` spans exactly ``numel`` elements."""
    if int(np.prod(size, dtype=np.int64)) != numel:
        return False
    expected = 1
    for n, st in zip(reversed(size), reversed(stride)):
        if n != 1 and st != expected:
            return False
        expected *= n
    return True


def _from_numpy(array: np.ndarray):
    import torchlike

    return torchlike.from_numpy(array)


def _place(tensor, location: str):
    from . import _device

    target = _device.device(location)
    if target.type == "cpu":
        return tensor
    return tensor.to(_device.canonical(target))


def tensor_from_storage(storage, offset: int, size, stride, dtype=None):
    """The tensor a checkpoint describes as ``storage[offset]`` with ``size``/``stride``."""
    if not isinstance(storage, LoadedStorage):
        raise pickle.UnpicklingError(
            f"expected a storage in a tensor record, got {type(storage).__name__}"
        )
    dtype = _require_dtype(dtype or storage.dtype)
    offset = int(offset)
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape: {size} vs {stride}")
    # Bounds are checked against the storage actually read, so a corrupt record cannot
    # produce a tensor that reads beyond it.
    available = storage.nbytes() // dtype.itemsize
    needed = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if offset < 0 or any(s < 0 for s in stride) or needed > available:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
            f"itemsize {dtype.itemsize} requiring a storage size of {needed * dtype.itemsize} are "
            f"out of bounds for storage of size {available * dtype.itemsize}"
        )
    return storage.tensor(dtype, offset, size, stride)


# -- the rebuild functions named in checkpoints -------------------------------------------------


def _rebuild_tensor(storage, storage_offset, size, stride):
    return tensor_from_storage(storage, storage_offset, size, stride)


def _rebuild_tensor_v2(
    storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None
):
    t = tensor_from_storage(storage, storage_offset, size, stride)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_tensor_v3(
    storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None
):
    t = tensor_from_storage(storage, storage_offset, size, stride, _require_dtype(dtype))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _set_state(obj, state) -> None:
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    for k, v in (state or {}).items():
        setattr(obj, k, v)
    for k, v in (slots or {}).items():
        setattr(obj, k, v)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    import torchlike.nn

    return torchlike.nn.Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    param = _rebuild_parameter(data, requires_grad, backward_hooks)
    _set_state(param, state)
    return param


def _rebuild_from_type_v2(func, new_type, args, state):
    result = func(*args)
    if type(result) is not new_type:
        as_subclass = getattr(result, "as_subclass", None)
        if as_subclass is None:
            raise RuntimeError(f"torchlike cannot rebuild a tensor of type {new_type}")
        result = as_subclass(new_type)
    _set_state(result, state)
    return result


def _rebuild_device_tensor_from_cpu_tensor(data, dtype, device, requires_grad):
    t = _place(data, str(device)) if str(device) != "cpu" else data
    return t.requires_grad_(True) if requires_grad else t


def _rebuild_device_tensor_from_numpy(data, dtype, device, requires_grad):
    t = _place(_from_numpy(np.asarray(data).astype(_require_dtype(dtype).np)), str(device))
    return t.requires_grad_(True) if requires_grad else t


def _unsupported(what: str):
    def rebuild(*args, **kwargs):
        raise RuntimeError(f"torchlike cannot load {what} from a PyTorch checkpoint")

    rebuild.__name__ = "_rebuild_" + what.replace(" ", "_")
    return rebuild


def _get_layout(name: str):
    from . import _layout

    layout = getattr(_layout, name.rpartition(".")[2], None)
    return layout if isinstance(layout, _layout.layout) else name


def _rebuild_sparse_tensor(layout, data):
    from . import _layout
    from ._sparse import sparse_coo_tensor

    if layout is not _layout.sparse_coo:
        raise RuntimeError(f"torchlike cannot load a sparse tensor of layout {layout}")
    indices, values, size, *coalesced = data
    return sparse_coo_tensor(
        indices, values, size, is_coalesced=coalesced[0] if coalesced else None
    )


def _legacy_tensor_class(dtype_name: str):
    def construct(*args):
        import torchlike

        if args:
            raise RuntimeError(
                f"torchlike cannot rebuild a legacy torch tensor class with {args!r}"
            )
        return torchlike.from_numpy(np.zeros(0, _dtype._BY_NAME[dtype_name].np))

    return construct


@functools.lru_cache(maxsize=1)
def torch_globals() -> dict[str, Any]:
    """Every ``torch.*`` global PyTorch's weights-only loader allows, as its torchlike object."""
    import torchlike
    import torchlike.nn

    from . import _device, _size

    table: dict[str, Any] = {
        "torch.nn.parameter.Parameter": torchlike.nn.Parameter,
        "torch.serialization._get_layout": _get_layout,
        "torch.Size": _size.Size,
        "torch.Tensor": torchlike.Tensor,
        "torch.device": _device.device,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
    }
    for name in list(_dtype._BY_NAME) + list(UNSUPPORTED_DTYPES):
        table[f"torch.{name}"] = dtype_of_name(name)
    for storage_name, dtype_name in STORAGE_DTYPES.items():
        for module in ("torch", "torch.cuda"):
            table[f"{module}.{storage_name}"] = StorageType(storage_name)
        tensor_name = storage_name.replace("Storage", "Tensor")
        if not storage_name.startswith(("Q", "Complex")) and dtype_name in _dtype._BY_NAME:
            for module in ("torch", "torch.cuda"):
                table[f"{module}.{tensor_name}"] = _legacy_tensor_class(dtype_name)
    for name in ("UntypedStorage", "storage.UntypedStorage", "storage.TypedStorage"):
        table[f"torch.{name}"] = StorageType("UntypedStorage")
    for scheme in ("per_tensor_affine", "per_tensor_symmetric", "per_channel_affine",
                   "per_channel_symmetric", "per_channel_affine_float_qparams"):  # fmt: skip
        table[f"torch.{scheme}"] = "torch." + scheme
    rebuilders = [
        _rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
        _rebuild_parameter_with_state, _rebuild_device_tensor_from_cpu_tensor,
        _rebuild_device_tensor_from_numpy,
        _unsupported("qtensor"), _rebuild_sparse_tensor, _unsupported("nested tensor"),
        _unsupported("wrapper subclass"), _unsupported("meta tensor no storage"),
    ]  # fmt: skip
    for fn in rebuilders:
        table[f"torch._utils.{fn.__name__}"] = fn
    return table


def torch_module_name(module: str) -> str:
    """The PyTorch module a torchlike module mirrors (``torchlike.vision.x`` -> ``torchvision.x``)."""
    if module == "torchlike.vision" or module.startswith("torchlike.vision."):
        return "torchvision" + module[len("torchlike.vision") :]
    return "torch" + module[len("torchlike") :]


def resolve_torch_name(module: str, name: str):
    """torchlike's object for the PyTorch name ``module.name`` (``torch.nn.modules.linear.Linear``
    -> ``torchlike.nn.Linear``): the same path under torchlike, else the nearest package that
    exports the name."""
    full = f"{module}.{name}"
    known = torch_globals().get(full)
    if known is None:  # a class torchlike keeps elsewhere (torch.optim.adamw.AdamW)
        known = _torch_names.moved_class(module, name)
    if known is not None:
        return known
    if module == "torch.tensor":  # renamed in PyTorch 1.8
        module = "torch._tensor"
    if module.split(".")[0] == "torchvision":
        parts = ["torchlike", "vision", *module.split(".")[1:]]
    elif module.split(".")[0] == "torch":
        parts = ["torchlike", *module.split(".")[1:]]
    else:
        raise ImportError(f"{module} is not a torch module")
    while parts:
        try:
            mod = importlib.import_module(".".join(parts))
        except ImportError:
            parts.pop()
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
        parts.pop()
    raise AttributeError(f"torchlike has no equivalent of {full}")
