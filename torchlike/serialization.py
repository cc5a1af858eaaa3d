"""``torch.save``/``torch.load`` in PyTorch's own checkpoint format, and safetensors for state dicts.

Files written here load in real PyTorch with ``weights_only=True``, and PyTorch's files (the zip
format, and the older pickle-stream format) load here — without importing torch. The layout:

- ``<archive>/data.pkl``: the object, pickled; each tensor is
  ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)``
  and each storage a persistent id ``('storage', torch.FloatStorage, key, location, numel)``;
- ``<archive>/data/<key>``: one record per storage, raw little-endian bytes, 64-byte aligned;
- ``<archive>/byteorder``, ``version``, ``.format_version``, ``.storage_alignment``,
  ``.data/serialization_id``.

Saving to a path writes a temporary file beside it and renames it into place, so an
interrupted save never destroys the previous checkpoint. Loading defaults to the weights-only
unpickler (:mod:`torchlike._weights_only_unpickler`), as PyTorch ≥ 2.6 does.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import pickletools
import secrets
import stat
import sys
import warnings
from collections.abc import Callable
from pickle import UnpicklingError
from typing import IO, Any

import numpy as np

from . import _serialization_legacy as _legacy
from . import _serialization_pickler as _pickler
from . import _serialization_tensors as _st
from . import _serialization_zip as _zip
from . import _weights_only_unpickler as _wo
from ._serialization_tensors import LoadedStorage, StorageType, resolve_torch_name
from ._weights_only_unpickler import (
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
)

DEFAULT_PROTOCOL = 2
MAGIC_NUMBER = _legacy.MAGIC_NUMBER
PROTOCOL_VERSION = _legacy.PROTOCOL_VERSION
_TRUE = ("1", "y", "yes", "true")
UNSAFE_MESSAGE = (
    "In PyTorch 2.6, the default value of the `weights_only` argument in `torch.load` changed "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely "
    "succeed, but it can result in arbitrary code execution. Do it only if you got the file from "
    "a trusted source."
)

__all__ = [
    "save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
    "get_unsafe_globals_in_checkpoint", "save_safetensors", "load_safetensors",
    "resolve_torch_name", "DEFAULT_PROTOCOL",
]  # fmt: skip


# -- save -----------------------------------------------------------------------------------------


def _is_path(f) -> bool:
    return isinstance(f, (str, bytes)) or hasattr(f, "__fspath__")


def _pickler_class(pickle_module) -> type:
    base = getattr(pickle_module, "Pickler", None)
    if pickle_module is pickle or base is None or not issubclass(base, pickle._Pickler):
        return _pickler.TorchPickler
    # e.g. dill: keep its reductions, add ours on top.
    extras = {
        k: v for k, v in _pickler.TorchPickler.dispatch.items() if k not in pickle._Pickler.dispatch
    }
    return type(
        "TorchPickler", (_pickler.TorchPickler, base), {"dispatch": {**base.dispatch, **extras}}
    )


def _serialize(obj, pickle_module, protocol: int, legacy: bool) -> tuple[bytes, list]:
    buffer = io.BytesIO()
    pickler = _pickler_class(pickle_module)(buffer, protocol, legacy=legacy)
    pickler.dump(obj)
    return buffer.getvalue(), list(pickler.storages.values())


def _raw_bytes(record) -> np.ndarray:
    return record.data().view(np.uint8)


def _emit_zip(
    stream: IO[bytes], archive: str, data_pkl: bytes, records: list, byteorder: bool,
    extra: dict[str, bytes] | None = None,
) -> None:
    writer = _zip.ZipRecordWriter(stream, archive)
    for name, content in (extra or {}).items():  # torch.jit.save's marker and _extra_files
        writer.write_record(name, content)
    writer.write_record("data.pkl", data_pkl)
    writer.write_record(".format_version", b"1")
    writer.write_record(".storage_alignment", str(_zip.ALIGNMENT).encode())
    if byteorder:
        writer.write_record("byteorder", b"little")
    for record in records:
        writer.write_record(f"data/{record.key}", _raw_bytes(record))
    writer.write_record("version", b"3\n")
    writer.write_record(".data/serialization_id", f"{secrets.randbelow(10**40):040d}".encode())
    writer.close()


def _atomic_write(path, write: Callable[[IO[bytes]], None]) -> None:
    """Write to a temporary file in the target's folder, fsync, then rename over the target."""
    target = os.path.realpath(os.fsdecode(path))
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {folder} does not exist.")
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if os.path.exists(target):  # overwriting keeps the file's permissions, as rewriting would
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def save(
    obj: object,
    f,
    pickle_module: Any = pickle,
    pickle_protocol: int = DEFAULT_PROTOCOL,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Save ``obj`` (tensors, state dicts, modules, any picklable object) to a path or file object."""
    if not _is_path(f) and not hasattr(f, "write"):
        raise AttributeError(
            f"expected 'f' to be string, path, or a file-like object with a 'write' attribute, got {type(f)}"
        )
    # Everything that can fail on the object (pickling) happens before any file is touched.
    data_pkl, records = _serialize(
        obj, pickle_module, pickle_protocol, not _use_new_zipfile_serialization
    )

    def write(stream: IO[bytes]) -> None:
        if _use_new_zipfile_serialization:
            _emit_zip(
                stream, _zip.archive_name_for(f), data_pkl, records, not _disable_byteorder_record
            )
        else:
            _legacy.emit_legacy(stream, data_pkl, records, pickle_protocol)

    if _is_path(f):
        _atomic_write(f, write)
    else:
        write(f)
        if hasattr(f, "flush"):
            f.flush()


# -- where loaded storages go ---------------------------------------------------------------------


def _default_restore(storage: LoadedStorage, location) -> LoadedStorage:
    from . import _device

    location = location.decode("ascii") if isinstance(location, bytes) else str(location)
    kind, _, index = location.partition(":")
    if kind == "cpu":
        return storage.cpu()
    if kind in ("cuda", "xla", "tpu"):
        count = len(_device.accelerators())
        if count == 0:
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
                "If you are running on a CPU-only machine, please use torch.load with "
                "map_location=torch.device('cpu') to map your storages to the CPU."
            )
        i = int(index) if index else 0
        if i >= count:
            raise RuntimeError(
                f"Attempting to deserialize object on CUDA device {i} but torch.cuda.device_count() is {count}. "
                "Please use torch.load with map_location to map your storages to an existing device."
            )
        return storage.to(f"cuda:{i}")
    raise RuntimeError(
        f"don't know how to restore data location of {type(storage).__name__} (tagged with {location})"
    )


def _restorer(map_location) -> Callable[[LoadedStorage, str], LoadedStorage]:
    if map_location is None:
        return _default_restore
    if isinstance(map_location, dict):
        return lambda s, loc: _default_restore(s, map_location.get(loc, loc))
    if isinstance(map_location, (str, bytes)) or type(map_location).__name__ == "device":
        return lambda s, loc: _default_restore(s, map_location)
    if callable(map_location):

        def restore(storage, location):
            result = map_location(storage, location)
            return _default_restore(storage, location) if result is None else result

        return restore
    raise TypeError(
        f"map_location should be a string, device, dict or callable, got {type(map_location)}"
    )


# -- load -----------------------------------------------------------------------------------------


def _weights_only_message(message: str) -> str:
    if "was not an allowed global by default" in message:
        return (
            "Weights only load failed. This file can still be loaded, to do so you have two options, "
            "do those steps only if you trust the source of the checkpoint.\n"
            f"\t(1) {UNSAFE_MESSAGE}\n"
            "\t(2) Alternatively, to load with `weights_only=True` please check the recommended "
            f"steps in the following error message.\n\tWeightsUnpickler error: {message}"
        )
    if "is blocked" in message:
        return f"Weights only load failed. {UNSAFE_MESSAGE}\n\n{message}"
    return (
        f"Weights only load failed. {UNSAFE_MESSAGE}\nPlease file an issue with the following so that "
        f"we can make `weights_only=True` compatible with your use case: WeightsUnpickler error: {message}"
    )


def _resolve_weights_only(weights_only, pickle_module) -> bool:
    unset = weights_only is None
    if unset:
        weights_only = pickle_module is None
    force_on = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in _TRUE
    force_off = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in _TRUE
    if force_on and force_off:
        raise RuntimeError(
            "Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
            "should be set, but both were set."
        )
    if force_on:
        return True
    if force_off and unset:  # only overrides the default, never an explicit argument
        warnings.warn(
            "Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the `weights_only` "
            "argument was not explicitly passed to `torch.load`, forcing weights_only=False.",
            UserWarning,
            stacklevel=3,
        )
        return False
    return bool(weights_only)


class _Loader:
    """One ``load`` call: how pickles are read and where storages go."""

    def __init__(self, map_location, weights_only: bool, pickle_module, pickle_load_args: dict):
        self.restore = _restorer(map_location)
        self.weights_only = weights_only
        self.pickle_module = pickle_module
        self.args = pickle_load_args

    def data_only(self) -> _Loader:
        """A weights-only loader for the plain-data pickles around a legacy checkpoint."""
        return _Loader(None, True, None, {"encoding": "utf-8"})

    def unpickle(self, stream: IO[bytes], persistent_load=None):
        fail = persistent_load or (
            lambda pid: _raise(UnpicklingError("unsupported persistent id encountered"))
        )
        if self.weights_only:
            torch_names = _st.torch_globals()
            allowed = {**_wo.default_allowed_python(), **torch_names}
            Parameter = torch_names["torch.nn.parameter.Parameter"]
            hooks = {Parameter: _st._set_state, torch_names["torch.Tensor"]: _legacy_tensor_state}
            return _wo.Unpickler(
                stream, allowed, fail, encoding=self.args.get("encoding", "bytes"),
                build_hooks=hooks, new_hooks={Parameter: Parameter},
            ).load()  # fmt: skip

        class FullUnpickler(self.pickle_module.Unpickler):
            def find_class(self, module, name):
                if module.split(".")[0] in ("torch", "torchvision"):
                    if "Storage" in name and name.split(".")[-1] in _st.STORAGE_DTYPES:
                        return StorageType(name.split(".")[-1])
                    return resolve_torch_name(module, name)
                return super().find_class(module, name)

            def persistent_load(self, pid):
                return fail(pid)

        return FullUnpickler(stream, **self.args).load()


def _raise(error: Exception):
    raise error


def _legacy_tensor_state(tensor, state) -> None:
    raise UnpicklingError(
        "torchlike cannot load tensors pickled with the pre-1.0 `Tensor.set_` state"
    )


def _load_zip(reader: _zip.ZipRecordReader, loader: _Loader, mmap_path: str | None):
    byteorder = reader.get_record("byteorder") if reader.has_record("byteorder") else b"little"
    if byteorder not in (b"little", b"big"):
        raise ValueError("Unknown endianness type: " + byteorder.decode(errors="replace"))
    swap = byteorder.decode() != sys.byteorder
    storages: dict[str, LoadedStorage] = {}

    def read_storage(key: str, dtype, numel: int) -> np.ndarray:
        name = f"data/{key}"
        np_dtype = getattr(dtype, "np", np.dtype(np.uint8))
        if not reader.has_record(name):
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        if mmap_path is not None:
            offset, size, crc = reader.record_span(name)
            mapped = np.memmap(mmap_path, dtype=np.uint8, mode="c", offset=offset, shape=(size,))
            array = mapped.view(np.ndarray)  # a plain array over the mapping
            if not _zip.crc_matches(array, crc):
                raise RuntimeError(
                    f"PytorchStreamReader failed reading file {name}: invalid CRC-32"
                )
        else:
            array = np.frombuffer(bytearray(reader.get_record(name)), dtype=np.uint8)
        if hasattr(dtype, "np") and array.nbytes != numel * np_dtype.itemsize:
            raise RuntimeError(
                f"storage {name} holds {array.nbytes} bytes but the checkpoint declares "
                f"{numel} elements of {dtype!r}; the file is corrupt"
            )
        array = array.view(np_dtype) if hasattr(dtype, "np") else array
        return array.byteswap() if swap and np_dtype.itemsize > 1 else array

    def persistent_load(pid):
        if not isinstance(pid, tuple) or len(pid) != 5:
            raise UnpicklingError(f"unexpected persistent id in checkpoint: {pid!r}")
        _, storage_type, key, location, numel = pid
        if key not in storages:
            dtype = _st.storage_dtype(storage_type)
            array = read_storage(str(key), dtype, int(numel))
            location = location.decode("ascii") if isinstance(location, bytes) else location
            storages[key] = loader.restore(LoadedStorage(array, dtype), location)
        return storages[key]

    return loader.unpickle(io.BytesIO(reader.get_record("data.pkl")), persistent_load)


@contextlib.contextmanager
def _open_for_read(f):
    if _is_path(f):
        with open(f, "rb") as stream:
            yield stream
        return
    if not hasattr(f, "read"):
        raise AttributeError(
            f"expected 'f' to be string, path, or a file-like object with a 'read' attribute, got {type(f)}"
        )
    seekable = getattr(f, "seekable", lambda: True)()
    yield f if seekable else io.BytesIO(f.read())


def load(
    f,
    map_location=None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **pickle_load_args: Any,
) -> Any:
    """Load what :func:`save` (or PyTorch's ``torch.save``) wrote."""
    weights_only = _resolve_weights_only(weights_only, pickle_module)
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if weights_only and pickle_load_args:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    pickle_load_args.setdefault("encoding", "utf-8")
    if _is_path(f) and os.fsdecode(f).endswith(".safetensors"):
        if isinstance(map_location, dict) or callable(map_location):
            raise RuntimeError("Loading safetensors file with dict or callable map_location is not supported. "
                               "Use a device string or torch.device instead.")  # fmt: skip
        return load_safetensors(f, device=str(map_location or "cpu"))
    loader = _Loader(map_location, weights_only, pickle_module or pickle, pickle_load_args)
    with _open_for_read(f) as stream:
        start = stream.tell()
        try:
            if _zip.is_zip(stream):
                reader = _zip.ZipRecordReader(stream)
                if reader.has_record("constants.pkl") or reader.has_record("torchlike_jit"):
                    return _load_torchscript(f, stream, start, map_location, weights_only)
                if mmap and not _is_path(f):
                    raise ValueError("f must be a file path in order to use the mmap argument")
                mmap_path = os.fsdecode(f) if mmap else None
                return _load_zip(reader, loader, mmap_path)
            if mmap:
                raise RuntimeError("mmap can only be used with files saved with "
                                   "`torch.save(_use_new_zipfile_serialization=True)`")  # fmt: skip
            if _legacy.looks_like_tar(stream):
                raise RuntimeError("torchlike cannot read PyTorch's pre-1.0 .tar checkpoint format; "
                                   "re-save it with a recent PyTorch")  # fmt: skip
            return _legacy.load_legacy(stream, loader)
        except UnpicklingError as e:
            if weights_only:
                raise UnpicklingError(_weights_only_message(str(e))) from None
            raise
        except EOFError:
            raise RuntimeError(
                "torch.load: unexpected end of file; the checkpoint is truncated or corrupt"
            ) from None


def _load_torchscript(f, stream, start: int, map_location, weights_only: bool):
    """A torch.jit.save archive given to torch.load: PyTorch's warning, then torch.jit.load."""
    warnings.warn(
        "'torch.load' received a zip file that looks like a TorchScript archive dispatching to "
        "'torch.jit.load' (call 'torch.jit.load' directly to silence this warning)",
        UserWarning,
        stacklevel=3,
    )
    if weights_only:
        raise RuntimeError(
            "Cannot use ``weights_only=True`` with TorchScript archives passed to ``torch.load``. "
            "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
            "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely "
            "succeed, but it can result in arbitrary code execution. Do it only if you got the file from "
            "a trusted source."
        )
    from .jit import load as jit_load

    stream.seek(start)
    return jit_load(stream, map_location=map_location)


def get_unsafe_globals_in_checkpoint(f) -> list[str]:
    """The globals in a checkpoint that a weights-only load would refuse."""
    with _open_for_read(f) as stream:
        if _zip.is_zip(stream):
            data = _zip.ZipRecordReader(stream).get_record("data.pkl")
        else:
            headers = _Loader(None, True, None, {}).data_only()
            for _ in range(3):  # magic number, protocol version, sys info: plain data
                headers.unpickle(stream)
            start = stream.tell()
            for _ in pickletools.genops(stream):
                pass
            end = stream.tell()
            stream.seek(start)
            data = stream.read(end - start)
    allowed = {**_wo.default_allowed_python(), **_st.torch_globals(), **_wo.SAFE_GLOBALS.by_name()}
    return [g for g in _wo.globals_in_pickle(data) if g not in allowed]


# -- safetensors ----------------------------------------------------------------------------------


def save_safetensors(tensors: dict, filename, metadata: dict[str, str] | None = None) -> None:
    """Write a flat ``{name: tensor}`` dict (a state_dict) as a .safetensors file, atomically."""
    import safetensors.numpy

    arrays = {}
    for name, t in tensors.items():
        if not hasattr(t, "detach"):
            raise TypeError(f"save_safetensors expects tensors, but {name!r} is {type(t).__name__}")
        arrays[name] = (
            _pickler.StorageRecord(t, "", t.dtype, "cpu", 0).data().reshape(tuple(t.shape))
        )
    data = safetensors.numpy.save(arrays, metadata=metadata)
    _atomic_write(filename, lambda stream: stream.write(data))


def load_safetensors(filename, device: str = "cpu") -> dict:
    """Read a .safetensors file into ``{name: tensor}``."""
    from safetensors import safe_open

    import torchlike

    out = {}
    with safe_open(os.fsdecode(filename), framework="numpy") as f:
        for name in f.keys():  # noqa: SIM118 - safe_open is not a mapping
            try:
                array = f.get_tensor(name)
            except (AttributeError, TypeError, KeyError):
                dtype = f.get_slice(name).get_dtype()
                raise RuntimeError(
                    f"torchlike has no dtype for tensor {name!r} ({dtype})"
                ) from None
            out[name] = _st._place(torchlike.from_numpy(np.array(array)), str(device))
    return out
