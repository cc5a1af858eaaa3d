"""torch.load's safety: the weights-only default refuses code, damaged files fail loudly, and an
interrupted torch.save never destroys the checkpoint already on disk."""

from __future__ import annotations

import io
import os
import pickle
import warnings
import zipfile

import numpy as np
import pytest

import torchlike as tl
from torchlike import _serialization_pickler as _pickler
from torchlike import serialization as tls

pt = pytest.importorskip("torch")

LOAD_ERRORS = (RuntimeError, pickle.UnpicklingError)


class Point:
    def __init__(self, x=0, y=0):
        self.x, self.y = x, y


def evil_pickle(marker) -> bytes:
    """The textbook malicious pickle: ``os.system('touch <marker>')``."""
    cmd = f"touch {marker}".encode()
    return b"\x80\x02cos\nsystem\nq\x00X" + len(cmd).to_bytes(4, "little") + cmd + b"\x85R."


def zip_with_pickle(path, data_pkl: bytes) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", data_pkl)
        z.writestr("archive/byteorder", "little")
        z.writestr("archive/version", "3\n")


@pytest.fixture
def ckpt(tmp_path):
    return tmp_path / "ckpt.pt"


# -- the weights-only default -------------------------------------------------------------------


@pytest.mark.parametrize("container", ["zip", "legacy", "raw"])
def test_os_system_pickle_is_refused_by_default(tmp_path, ckpt, container):
    marker = tmp_path / "pwned"
    payload = evil_pickle(marker)
    if container == "zip":
        zip_with_pickle(ckpt, payload)
    elif container == "legacy":
        headers = (tls.MAGIC_NUMBER, tls.PROTOCOL_VERSION, {})
        ckpt.write_bytes(
            b"".join(pickle.dumps(h, protocol=2) for h in headers) + payload + pickle.dumps([])
        )
    else:
        ckpt.write_bytes(payload)
    with pytest.raises(pickle.UnpicklingError, match="os.system") as err:
        tls.load(ckpt)
    assert "Weights only load failed" in str(err.value) or container == "raw"
    assert not marker.exists()


def test_refusal_message_names_the_global_as_pytorch_does(ckpt):
    tls.save({"p": Point()}, ckpt)
    with pytest.raises(pickle.UnpicklingError) as ours:
        tls.load(ckpt)
    with pytest.raises(pickle.UnpicklingError) as theirs:
        pt.load(ckpt)
    name = f"{Point.__module__}.Point"
    for err in (ours, theirs):
        assert f"Unsupported global: GLOBAL {name} was not an allowed global by default" in str(
            err.value
        )
        assert f"add_safe_globals([{name}])" in str(err.value)


def test_blocked_modules_stay_blocked_even_when_allowlisted(ckpt):
    zip_with_pickle(ckpt, b"\x80\x02cposix\nsystem\nX\x04\x00\x00\x00true\x85R.")
    with tls.safe_globals([(os.system, "posix.system")]):
        with pytest.raises(pickle.UnpicklingError, match="whose module posix is blocked"):
            tls.load(ckpt)


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"\x80\x02cbuiltins\neval\nX\x01\x00\x00\x001\x85R.", "GLOBAL eval"),
        (b"\x80\x02cbuiltins\nlist\n)\x81.", "GLOBAL list"),
        (b"\x80\x02}(K\x01K\x02e.", "Can only extend lists"),
        (b"\x80\x02](K\x01K\x02u.", "Can only SETITEMS"),
        (b"\x80\x02X\x03\x00\x00\x00abcQ.", "persistent_load"),
        (b"\x80\x02K\x01", "truncated|Ran out|end of file"),
    ],
    ids=["eval", "newobj-list", "appends-dict", "setitems-list", "persid", "no-stop"],
)
def test_the_weights_only_unpickler_only_builds_data(ckpt, payload, message):
    zip_with_pickle(ckpt, payload)
    with pytest.raises(LOAD_ERRORS, match=message):
        tls.load(ckpt)


def test_allowlisted_classes_may_be_created_and_built(ckpt):
    zip_with_pickle(ckpt, b"\x80\x02ccollections\nOrderedDict\n)\x81}b.")  # NEWOBJ + BUILD
    assert tls.load(ckpt) == {}


def test_safe_globals_context_manager_and_registry(ckpt):
    tls.save(Point(3, 4), ckpt)
    with tls.safe_globals([Point]):
        assert Point in tls.get_safe_globals()
        p = tls.load(ckpt)
        assert isinstance(p, Point) and (p.x, p.y) == (3, 4)
    assert Point not in tls.get_safe_globals()
    with pytest.raises(pickle.UnpicklingError):
        tls.load(ckpt)
    tls.add_safe_globals([Point])
    try:
        assert tls.load(ckpt).y == 4
    finally:
        tls.clear_safe_globals()
    assert tls.get_safe_globals() == []
    assert tls.get_unsafe_globals_in_checkpoint(ckpt) == [f"{Point.__module__}.Point"]


def test_force_weights_only_env_overrides_explicit_false(ckpt, monkeypatch):
    tls.save(Point(), ckpt)
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    with pytest.raises(pickle.UnpicklingError):
        tls.load(ckpt, weights_only=False)


def test_force_no_weights_only_env_changes_only_the_default(ckpt, monkeypatch):
    tls.save(Point(1, 2), ckpt)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "true")
    with pytest.warns(UserWarning, match="TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"):
        assert tls.load(ckpt).x == 1
    with pytest.raises(pickle.UnpicklingError):
        tls.load(ckpt, weights_only=True)
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    with pytest.raises(RuntimeError, match="Only one of"):
        tls.load(ckpt)


def test_explicit_pickle_module_conflicts_with_weights_only(ckpt):
    tls.save({"a": 1}, ckpt)
    with pytest.raises(RuntimeError, match="explicit pickle_module"):
        tls.load(ckpt, pickle_module=pickle, weights_only=True)
    assert tls.load(ckpt, pickle_module=pickle) == {"a": 1}  # implies weights_only=False


# -- damaged files ------------------------------------------------------------------------------


def good_checkpoint(path, zip_format=True) -> bytes:
    state = {
        "w": tl.from_numpy(np.arange(64, dtype=np.float32)),
        "b": tl.from_numpy(np.ones(8, np.int64)),
    }
    tls.save(state, path, _use_new_zipfile_serialization=zip_format)
    return path.read_bytes()


@pytest.mark.parametrize("zip_format", [True, False], ids=["zip", "legacy"])
@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1, 0.02])
def test_truncated_file_raises_a_clear_error(ckpt, zip_format, keep):
    data = good_checkpoint(ckpt, zip_format)
    ckpt.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(LOAD_ERRORS):
        tls.load(ckpt)


def test_empty_file_raises(ckpt):
    ckpt.write_bytes(b"")
    with pytest.raises(LOAD_ERRORS):
        tls.load(ckpt)


def test_flipped_byte_in_tensor_data_is_caught_by_the_checksum(ckpt):
    data = bytearray(good_checkpoint(ckpt))
    with zipfile.ZipFile(ckpt) as z:
        info = z.getinfo("ckpt/data/0")
    name_len, extra_len = np.frombuffer(
        bytes(data[info.header_offset + 26 : info.header_offset + 30]), "<u2"
    )
    start = info.header_offset + 30 + int(name_len) + int(extra_len)
    data[start + 17] ^= 0xFF
    ckpt.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="CRC"):
        tls.load(ckpt)
    with pytest.raises(RuntimeError, match="CRC"):
        tls.load(ckpt, mmap=True)


def test_storage_of_the_wrong_size_is_refused(ckpt):
    good_checkpoint(ckpt)
    with zipfile.ZipFile(ckpt) as z:
        records = {n: z.read(n) for n in z.namelist()}
    records["ckpt/data/0"] = records["ckpt/data/0"][:100]
    with zipfile.ZipFile(ckpt, "w") as z:
        for name, data in records.items():
            z.writestr(name, data)
    with pytest.raises(RuntimeError, match="corrupt"):
        tls.load(ckpt)


def test_out_of_bounds_view_in_pickle_is_refused(ckpt):
    good_checkpoint(ckpt)
    with zipfile.ZipFile(ckpt) as z:
        records = {n: z.read(n) for n in z.namelist()}
    # 'w' is size (64,): claim (65,) so it would read past its storage
    records["ckpt/data.pkl"] = records["ckpt/data.pkl"].replace(b"K@\x85", b"KA\x85", 1)
    with zipfile.ZipFile(ckpt, "w") as z:
        for name, data in records.items():
            z.writestr(name, data)
    with pytest.raises(LOAD_ERRORS, match="out of bounds"):
        tls.load(ckpt)


def test_not_a_checkpoint_raises(ckpt):
    ckpt.write_bytes(b"hello, this is not a checkpoint at all" * 10)
    with pytest.raises(LOAD_ERRORS):
        tls.load(ckpt)


# -- atomic saves -------------------------------------------------------------------------------


def test_exception_while_writing_storages_keeps_the_previous_file(ckpt, monkeypatch):
    before = good_checkpoint(ckpt)
    calls = {"n": 0}
    original = _pickler.StorageRecord.data

    def failing(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (simulated)")
        return original(self)

    monkeypatch.setattr(_pickler.StorageRecord, "data", failing)
    with pytest.raises(OSError, match="simulated"):
        tls.save(
            {"a": tl.from_numpy(np.zeros(1000, np.float32)), "b": tl.from_numpy(np.zeros(3))}, ckpt
        )
    assert ckpt.read_bytes() == before
    assert os.listdir(ckpt.parent) == [ckpt.name]  # no temporary file left behind
    assert tuple(tls.load(ckpt)["w"].shape) == (64,)


def test_unpicklable_object_never_touches_the_file(ckpt):
    before = good_checkpoint(ckpt)
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        tls.save({"f": lambda: 1}, ckpt)
    assert ckpt.read_bytes() == before


def test_keyboard_interrupt_mid_write_keeps_the_previous_file(ckpt, monkeypatch):
    before = good_checkpoint(ckpt)

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(_pickler.StorageRecord, "data", interrupted)
    with pytest.raises(KeyboardInterrupt):
        tls.save({"a": tl.from_numpy(np.zeros(3))}, ckpt)
    assert ckpt.read_bytes() == before and os.listdir(ckpt.parent) == [ckpt.name]


def test_save_keeps_permissions_and_writes_through_symlinks(ckpt):
    good_checkpoint(ckpt)
    os.chmod(ckpt, 0o640)
    link = ckpt.parent / "latest.pt"
    link.symlink_to(ckpt)
    tls.save({"x": 1}, link)
    assert link.is_symlink() and oct(ckpt.stat().st_mode & 0o777) == "0o640"
    assert tls.load(ckpt) == {"x": 1}


def test_missing_parent_directory_is_reported(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory .* does not exist"):
        tls.save({"x": 1}, tmp_path / "nope" / "ckpt.pt")


def test_file_objects_are_written_directly():
    buf = io.BytesIO()
    tls.save([1, 2], buf)
    assert buf.getvalue()[:4] == b"PK\x03\x04"
    buf.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tls.load(buf) == [1, 2]
