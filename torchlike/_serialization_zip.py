"""The zip container of PyTorch checkpoints, written the way PyTorch's own writer lays it out.

PyTorch writes every record uncompressed under one top-level folder (``<archive>/data.pkl``,
``<archive>/data/0`` ...), pads each local header with an ``FB`` extra field so the payload
starts on a 64-byte boundary (which is what lets ``torch.load(mmap=True)`` map storages in
place and compute their offsets without reading headers), follows each payload with a data
descriptor, and always ends with zip64 end records. We reproduce that layout byte for byte in
structure so real PyTorch reads our files with any of its loading paths; reading goes through
:mod:`zipfile`, which checks CRCs, with errors turned into PyTorch's ``RuntimeError``.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from typing import IO

ALIGNMENT = 64
_U32_MAX = 0xFFFFFFFF
_FLAGS = 0x0808  # bit 3: sizes in a data descriptor; bit 11: UTF-8 names
_LOCAL_MAGIC = b"PK\x03\x04"


class ZipRecordWriter:
    """Streams records into ``stream``; call :meth:`close` to write the central directory."""

    def __init__(self, stream: IO[bytes], archive_name: str, alignment: int = ALIGNMENT):
        self._stream = stream
        self._prefix = archive_name + "/"
        self._alignment = alignment
        self._pos = 0  # offsets are relative to where the archive starts in the stream
        self._entries: list[tuple[bytes, int, int, int]] = []  # (name, crc, size, header offset)
        self._names: set[str] = set()

    def _write(self, data) -> None:
        self._stream.write(data)
        self._pos += len(data) if isinstance(data, bytes) else memoryview(data).nbytes

    def _padding_field(self, name_len: int, size: int) -> bytes:
        # The payload starts after the fixed header, the name, any zip64 field and the FB field.
        start = self._pos + 30 + name_len + 4
        if size >= _U32_MAX or self._pos >= _U32_MAX:
            start += 4 + (16 if size >= _U32_MAX else 0) + (8 if self._pos >= _U32_MAX else 0)
        pad = -start % self._alignment
        return b"FB" + struct.pack("<H", pad) + b"Z" * pad

    def write_record(self, name: str, data) -> None:
        """Write one record; ``data`` is bytes or anything exposing the buffer protocol."""
        if name in self._names:
            raise RuntimeError(f"Tried to serialize file twice: {name}")
        self._names.add(name)
        view = memoryview(data).cast("B") if not isinstance(data, bytes) else data
        size = len(view)
        full = (self._prefix + name).encode("utf-8")
        offset = self._pos
        zip64 = size >= _U32_MAX or offset >= _U32_MAX
        extra = b""
        if zip64:
            values = ([size, size] if size >= _U32_MAX else []) + (
                [offset] if offset >= _U32_MAX else []
            )
            extra = struct.pack("<HH", 1, 8 * len(values)) + struct.pack(
                f"<{len(values)}Q", *values
            )
        extra += self._padding_field(len(full), size)
        header = struct.pack(
            "<4sHHHHHIIIHH", _LOCAL_MAGIC, 0, _FLAGS, 0, 0, 0, 0, 0, 0, len(full), len(extra)
        )
        self._write(header + full + extra)
        crc = 0
        step = 1 << 26  # checksum and write in chunks so multi-GB storages stream
        for start in range(0, size, step):
            chunk = view[start : start + step]
            crc = zlib.crc32(chunk, crc)
            self._write(chunk)
        if size:  # an empty payload gets no descriptor, as PyTorch's writer does
            if zip64:
                self._write(struct.pack("<4sIQQ", b"PK\x07\x08", crc, size, size))
            else:
                self._write(struct.pack("<4sIII", b"PK\x07\x08", crc, size, size))
        self._entries.append((full, crc, size, offset))

    def close(self) -> None:
        cd_start = self._pos
        for name, crc, size, offset in self._entries:
            values = ([size, size] if size >= _U32_MAX else []) + (
                [offset] if offset >= _U32_MAX else []
            )
            extra = b""
            if values:
                extra = struct.pack("<HH", 1, 8 * len(values)) + struct.pack(
                    f"<{len(values)}Q", *values
                )
            self._write(
                struct.pack(
                    "<4sHHHHHHIIIHHHHHII",
                    b"PK\x01\x02",
                    0,
                    0,
                    _FLAGS,
                    0,
                    0,
                    0,
                    crc,
                    min(size, _U32_MAX),
                    min(size, _U32_MAX),
                    len(name),
                    len(extra),
                    0,
                    0,
                    0,
                    0,
                    min(offset, _U32_MAX),
                )
                + name
                + extra
            )
        cd_size = self._pos - cd_start
        count = len(self._entries)
        eocd64_at = self._pos
        self._write(
            struct.pack(
                "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 0x031E, 45, 0, 0, count, count, cd_size, cd_start
            )
        )
        self._write(struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd64_at, 1))
        self._write(
            struct.pack(
                "<4sHHHHIIH",
                b"PK\x05\x06",
                0,
                0,
                min(count, 0xFFFF),
                min(count, 0xFFFF),
                min(cd_size, _U32_MAX),
                min(cd_start, _U32_MAX),
                0,
            )
        )


def is_zip(stream: IO[bytes]) -> bool:
    """Whether the stream starts with a zip local header (the stream position is restored)."""
    start = stream.tell()
    magic = stream.read(4)
    stream.seek(start)
    return magic == _LOCAL_MAGIC


def _reader_error(detail: str) -> RuntimeError:
    return RuntimeError(f"PytorchStreamReader failed reading zip archive: {detail}")


class ZipRecordReader:
    """Records of a PyTorch zip checkpoint, addressed without the archive folder name."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        try:
            self._zip = zipfile.ZipFile(stream)
            names = self._zip.namelist()
        except (zipfile.BadZipFile, OSError, EOFError, struct.error, ValueError) as e:
            raise _reader_error(f"failed finding central directory ({e})") from None
        if not names:
            raise _reader_error("the archive holds no records")
        # Like PyTorch, the folder of the first record names the archive, whatever it is.
        self.prefix = names[0].split("/", 1)[0] + "/" if "/" in names[0] else ""
        self._infos = {
            n[len(self.prefix) :]: i
            for n, i in zip(names, self._zip.infolist())
            if n.startswith(self.prefix)
        }

    def has_record(self, name: str) -> bool:
        return name in self._infos

    def records(self) -> list[str]:
        return list(self._infos)

    def get_record(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise _reader_error(f"file not found: {self.prefix}{name}")
        try:
            data = self._zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, struct.error, zlib.error, ValueError) as e:
            raise _reader_error(f"invalid record {self.prefix}{name} ({e})") from None
        if len(data) != info.file_size:
            raise _reader_error(f"record {self.prefix}{name} is truncated")
        return data

    def record_span(self, name: str) -> tuple[int, int, int]:
        """(byte offset of the payload in the file, size, expected CRC) for memory mapping."""
        info = self._infos[name]
        self._stream.seek(info.header_offset)
        header = self._stream.read(30)
        if len(header) != 30 or header[:4] != _LOCAL_MAGIC:
            raise _reader_error(f"bad local header for {self.prefix}{name}")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_len + extra_len, info.file_size, info.CRC

    def close(self) -> None:
        self._zip.close()


def crc_matches(buffer, expected: int) -> bool:
    view = memoryview(buffer).cast("B")
    crc = 0
    step = 1 << 26
    for start in range(0, len(view), step):
        crc = zlib.crc32(view[start : start + step], crc)
    return crc == expected


def archive_name_for(f) -> str:
    """PyTorch names the archive folder after the file (``model.pt`` -> ``model``)."""
    if isinstance(f, (str, bytes)) or hasattr(f, "__fspath__"):
        base = os.path.basename(os.fsdecode(f))
        stem = base.rsplit(".", 1)[0] if "." in base else base
        return stem or "archive"
    return "archive"
