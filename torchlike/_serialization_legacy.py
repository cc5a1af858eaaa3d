"""PyTorch's pre-1.6 checkpoint format: a stream of pickles followed by raw storages.

Layout: pickles of the magic number, the protocol version and a sys-info dict; the object's
pickle, whose storages are persistent ids ``('storage', torch.FloatStorage, key, location,
numel, view)``; a pickle of the sorted storage keys; then per key an int64 element count and
the raw bytes. The storage data comes *after* the pickle that needs it, so loading first walks
the pickle with :class:`ScanUnpickler` — which builds nothing but containers and stand-ins,
so it is safe on any input — to learn each storage's type, reads the data, and only then
unpickles for real. PyTorch still writes this format with
``torch.save(..., _use_new_zipfile_serialization=False)``.
"""

from __future__ import annotations

import contextlib
import pickle
import struct
from pickle import UnpicklingError
from typing import IO

import numpy as np

from . import _serialization_tensors as _st
from ._serialization_tensors import LoadedStorage
from ._weights_only_unpickler import Unpickler, read_global_name, tag_of

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
SYS_INFO = {
    "protocol_version": PROTOCOL_VERSION,
    "little_endian": True,
    "type_sizes": {"short": 2, "int": 4, "long": 4},
}


class Symbol:
    """Stands for a global, or the result of a call, while a pickle is scanned without running it."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


class ScanUnpickler(Unpickler):
    """Walks a pickle to the end, building only containers and :class:`Symbol` stand-ins.

    Nothing a file names is ever imported or called, so scanning is safe for any input; the
    legacy loader uses it to learn which storages a pickle references (and their types)
    before the storage data that follows the pickle is read.
    """

    def __init__(self, file, persistent_load, *, encoding: str = "bytes"):
        super().__init__(file, {}, persistent_load, encoding=encoding)

    def _find_global(self, module: str, name: str):
        module, name = read_global_name(module, name)
        return Symbol(f"{module}.{name}")

    def _op_reduce(self):
        self._stack.pop()
        self._stack[-1] = Symbol("call")

    def _new(self, cls, args, kwargs):
        return Symbol("new")

    def _op_build(self):
        self._stack.pop()

    def _op_append(self):
        item = self._stack.pop()
        if type(self._stack[-1]) is list:
            self._stack[-1].append(item)

    def _op_appends(self):
        items = self._pop_mark()
        if type(self._stack[-1]) is list:
            self._stack[-1].extend(items)

    def _op_setitem(self):
        value = self._stack.pop()
        key = self._stack.pop()
        self._put(self._stack[-1], [key, value])

    def _op_setitems(self):
        items = self._pop_mark()
        self._put(self._stack[-1], items)

    @staticmethod
    def _put(target, items) -> None:
        if isinstance(target, dict):
            for i in range(0, len(items) - 1, 2):
                with contextlib.suppress(TypeError):
                    target[items[i]] = items[i + 1]

    def _op_additems(self):
        items = self._pop_mark()
        if type(self._stack[-1]) is set:
            with contextlib.suppress(TypeError):
                self._stack[-1].update(items)

    def _op_frozenset(self):
        items = self._pop_mark()
        try:
            self._push(frozenset(items))
        except TypeError:
            self._push(Symbol("frozenset"))

    def _op_persid(self):
        self._push(self._persistent_load(self._stack.pop()))


def emit_legacy(stream: IO[bytes], data_pkl: bytes, records: list, protocol: int) -> None:
    for header in (MAGIC_NUMBER, PROTOCOL_VERSION, SYS_INFO):
        pickle.dump(header, stream, protocol=protocol)
    stream.write(data_pkl)
    ordered = sorted(records, key=lambda r: r.key)  # PyTorch sorts the keys as strings
    pickle.dump([r.key for r in ordered], stream, protocol=protocol)
    for record in ordered:
        stream.write(struct.pack("<q", record.numel))
        stream.write(memoryview(record.data().view(np.uint8)))


def _scan_storages(stream: IO[bytes], encoding: str) -> dict[str, tuple]:
    """The storages a legacy pickle names, found by interpreting it without running anything."""
    found: dict[str, tuple] = {}

    def record(pid):
        if isinstance(pid, tuple) and len(pid) == 6 and tag_of(pid) == "storage":
            found[str(pid[2])] = pid
        return Symbol("storage")

    ScanUnpickler(stream, record, encoding=encoding).load()
    return found


def load_legacy(stream: IO[bytes], loader):
    """Load a legacy checkpoint; ``loader`` is serialization's ``_Loader`` for this call."""
    headers = loader.data_only()
    try:
        magic = headers.unpickle(stream)
    except UnpicklingError:
        raise  # a refused global: the caller explains weights_only
    except Exception:
        magic = None
    if magic != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version = headers.unpickle(stream)
    if version != PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    sys_info = headers.unpickle(stream)
    little = not isinstance(sys_info, dict) or sys_info.get("little_endian", True)
    start = stream.tell()
    pids = _scan_storages(stream, loader.args.get("encoding", "utf-8"))
    keys = headers.unpickle(stream)
    if not isinstance(keys, list):
        raise RuntimeError("corrupt checkpoint: expected the list of storage keys")
    arrays = {str(key): _read_storage(stream, pids.get(str(key)), little) for key in keys}
    stream.seek(start)
    storages: dict[str, LoadedStorage] = {}

    def persistent_load(pid):
        tag = tag_of(pid)
        if tag == "module" and not loader.weights_only and len(pid) == 4:
            return pid[1]  # a whole-module save: the class itself
        if tag != "storage" or len(pid) != 6:
            raise UnpicklingError(f"Unknown saved id type: {pid!r}")
        _, storage_type, key, location, _numel, view = pid
        key = str(key)
        if key not in storages:
            if key not in arrays:
                raise RuntimeError(f"corrupt checkpoint: no data for storage {key}")
            location = location.decode("ascii") if isinstance(location, bytes) else location
            dtype = _st.storage_dtype(storage_type)
            storages[key] = loader.restore(LoadedStorage(arrays[key], dtype), location)
        if view is None:
            return storages[key]
        view_key, offset, size = view
        if view_key not in storages:
            root = storages[key]
            part = root.array[offset : offset + size]
            storages[view_key] = LoadedStorage(part, root.dtype, root.device, root, offset)
        return storages[view_key]

    return loader.unpickle(stream, persistent_load)


def _read_storage(stream: IO[bytes], pid, little: bool) -> np.ndarray:
    if pid is None or not isinstance(pid[1], Symbol):
        raise RuntimeError("corrupt checkpoint: a storage listed in it is never referenced")
    dtype = _st.StorageType(pid[1].name.rsplit(".", 1)[-1]).dtype
    np_dtype = getattr(dtype, "np", np.dtype(np.uint8))
    header = stream.read(8)
    if len(header) != 8:
        raise RuntimeError("checkpoint is truncated: storage data is missing")
    (numel,) = struct.unpack("<q", header)
    if numel < 0 or (hasattr(dtype, "np") and numel != pid[4]):
        raise RuntimeError(
            f"corrupt checkpoint: storage {pid[2]} declares {pid[4]} elements, data has {numel}"
        )
    array = np.empty(numel, np_dtype)
    raw = memoryview(array.view(np.uint8))
    got = 0
    while got < len(raw):
        chunk = stream.read(min(len(raw) - got, 1 << 26))
        if not chunk:
            raise RuntimeError("checkpoint is truncated: storage data ends early")
        raw[got : got + len(chunk)] = chunk
        got += len(chunk)
    return array if little or np_dtype.itemsize == 1 else array.byteswap()


def looks_like_tar(stream: IO[bytes]) -> bool:
    start = stream.tell()
    header = stream.read(512)
    stream.seek(start)
    return len(header) == 512 and header[257:262] == b"ustar"
