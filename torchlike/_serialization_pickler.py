"""Writing checkpoints: a pickler that names torchlike tensors the way PyTorch does.

:class:`TorchPickler` reduces a torchlike tensor to exactly what PyTorch writes —
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
OrderedDict())``, the storage a persistent id ``('storage', torch.FloatStorage, key, location,
numel)`` — and names ``torch.*`` globals through :class:`TorchGlobal` stand-ins, so no import
of torch is needed and real PyTorch's weights-only loader accepts the file. Tensors sharing a
storage (``Tensor._storage_info()`` gives the same root) produce one :class:`StorageRecord`.
"""

from __future__ import annotations

import collections
import functools
import pickle

import numpy as np

from . import _device, _dtype, _layout, _size
from ._serialization_tensors import (
    STORAGE_FOR_DTYPE,
    UnsupportedDtype,
    resolve_torch_name,
    torch_module_name,
)


class TorchGlobal:
    """Stands for the PyTorch object ``module.name`` in a pickle we write."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args, **kwargs):
        raise TypeError(f"{self.module}.{self.name} is a placeholder for pickling")

    def __repr__(self) -> str:
        return f"<{self.module}.{self.name}>"


@functools.cache
def torch_global(module: str, name: str) -> TorchGlobal:
    # One object per name, so the pickler's memo writes each GLOBAL once, as PyTorch's does.
    return TorchGlobal(module, name)


# -- writing ------------------------------------------------------------------------------------


class StorageRecord:
    """One storage being saved: the tensor that owns it, its key, dtype and location."""

    __slots__ = ("root", "key", "dtype", "location", "numel")

    def __init__(self, root, key: str, dtype, location: str, numel: int):
        self.root, self.key, self.dtype, self.location, self.numel = (
            root,
            key,
            dtype,
            location,
            numel,
        )

    def data(self) -> np.ndarray:
        root = self.root.detach()
        if root.device.type != "cpu":
            root = root.cpu()
        # _host: the exact host array, which .numpy() refuses for bfloat16 (as PyTorch's does).
        host = getattr(root, "_host", None)
        arr = host("torch.save") if host else root.numpy()
        if "_memory_format" in root.__dict__ and arr.ndim > 1:
            # a root stored in another order (channels-last, an element-wise result of a permuted
            # view): its storage in that order, which its views' offsets and strides index
            stride = root.stride()
            arr = arr.transpose(sorted(range(arr.ndim), key=lambda d: (-stride[d], d)))
        arr = np.ascontiguousarray(arr).reshape(-1)
        return arr if arr.dtype.byteorder != ">" else arr.astype(arr.dtype.newbyteorder("<"))


class _ParameterData:
    """A parameter's ``.data``: pickled as a plain tensor inside ``_rebuild_parameter``."""

    __slots__ = ("param",)

    def __init__(self, param):
        self.param = param


def _location(device) -> str:
    if device.type == "cpu":
        return "cpu"
    return f"{device.type}:{device.index or 0}"


class TorchPickler(pickle._Pickler):
    """A pickler that writes torchlike tensors, dtypes, devices and sizes under PyTorch's names.

    Built on the pure-Python pickler because only it lets us emit a GLOBAL for a name we do
    not import; only the small metadata pickle goes through it, storages are written raw.
    """

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol: int = 2, *, legacy: bool = False):
        super().__init__(file, protocol)
        self.storages: dict[int, StorageRecord] = {}  # id(root) -> record, in first-use order
        self._legacy = legacy
        import torchlike

        self._tensor_type = torchlike.Tensor
        self._parameter_type = getattr(getattr(torchlike, "nn", None), "Parameter", None)

    def _save_torch_global(self, obj: TorchGlobal) -> None:
        if self.proto >= 4:
            self.save(obj.module)
            self.save(obj.name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    def _save_dtype(self, obj: _dtype.dtype) -> None:
        self.save(torch_global("torch", obj.name))

    dispatch[TorchGlobal] = _save_torch_global
    dispatch[_dtype.dtype] = _save_dtype
    dispatch[UnsupportedDtype] = _save_dtype

    def save_global(self, obj, name=None):
        # torchlike.nn.modules.linear.Linear is written as torch.nn.modules.linear.Linear, so
        # PyTorch can load a whole torchlike model; only when that name reads back as this very
        # object here, so nothing changes for torchlike's own loads.
        module = getattr(obj, "__module__", None) or ""
        qualname = name or getattr(obj, "__qualname__", "")
        if module.split(".")[0] == "torchlike" and qualname and "." not in qualname:
            torch_module = torch_module_name(module)
            try:
                same = resolve_torch_name(torch_module, qualname) is obj
            except (ImportError, AttributeError):
                same = False
            if same:
                self.save(torch_global(torch_module, qualname))
                self.memoize(obj)
                return
        super().save_global(obj, name)

    def persistent_id(self, obj):
        if type(obj) is StorageRecord:
            storage_type = torch_global("torch", STORAGE_FOR_DTYPE[obj.dtype.name])
            if self._legacy:
                return ("storage", storage_type, obj.key, obj.location, obj.numel, None)
            return ("storage", storage_type, obj.key, obj.location, obj.numel)
        return None

    def _record_for(self, tensor) -> tuple[StorageRecord, int, tuple]:
        info = tensor._storage_info()
        if info is None:  # a view no strided layout describes: it gets a storage of its own
            shape = tuple(tensor.shape)
            info = (tensor, 0, tuple(int(np.prod(shape[i + 1 :])) for i in range(len(shape))))
        root, offset, stride = info
        record = self.storages.get(id(root))
        if record is None:
            numel = int(np.prod(tuple(root.shape), dtype=np.int64))
            record = StorageRecord(
                root, str(len(self.storages)), root.dtype, _location(root.device), numel
            )
            self.storages[id(root)] = record
        if record.dtype is not tensor.dtype:
            raise RuntimeError(
                "Cannot save multiple tensors or storages that view the same data as different types"
            )
        return record, int(offset), tuple(int(s) for s in stride)

    def _tensor_reduction(self, tensor, requires_grad: bool):
        record, offset, stride = self._record_for(tensor)
        size = tuple(int(s) for s in tensor.shape)
        args = (record, offset, size, stride, requires_grad, collections.OrderedDict())
        return (torch_global("torch._utils", "_rebuild_tensor_v2"), args)

    def _qtensor_reduction(self, tensor):
        # as PyTorch's Tensor.__reduce_ex__: the integer values in a QInt8Storage (...) and the
        # quantizer's parameters
        ints = tensor.int_repr()
        record = StorageRecord(ints, str(len(self.storages)), tensor.dtype, "cpu", ints.numel())
        self.storages[id(ints)] = record
        size = tuple(int(s) for s in tensor.shape)
        stride = tuple(int(np.prod(size[i + 1 :])) for i in range(len(size)))
        scale, zero_point, axis = tensor._q
        if axis is None:
            params = (torch_global("torch", "per_tensor_affine"), scale, zero_point)
        else:
            params = (torch_global("torch", "per_channel_affine"), scale, zero_point, axis)
        args = (record, 0, size, stride, params, False, collections.OrderedDict())
        return (torch_global("torch._utils", "_rebuild_qtensor"), args)

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is _ParameterData:
            return self._tensor_reduction(obj.param, False)
        if isinstance(obj, self._tensor_type):
            if obj.is_quantized:
                return self._qtensor_reduction(obj)
            if obj.is_sparse:  # as PyTorch's Tensor.__reduce_ex__ (its layout, COO data)
                data = (obj._indices(), obj._values(), obj.shape, obj.is_coalesced())
                return (torch_global("torch._utils", "_rebuild_sparse_tensor"), (obj.layout, data))
            if self._parameter_type is not None and isinstance(obj, self._parameter_type):
                args = (_ParameterData(obj), bool(obj.requires_grad), collections.OrderedDict())
                return (torch_global("torch._utils", "_rebuild_parameter"), args)
            return self._tensor_reduction(obj, bool(obj.requires_grad))
        if kind is _device.device:
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            return (torch_global("torch", "device"), args)
        if kind is _layout.layout:
            return (torch_global("torch.serialization", "_get_layout"), (repr(obj),))
        if kind is _size.Size:
            return (torch_global("torch", "Size"), (tuple(obj),))
        return NotImplemented
