"""torch.save/torch.load round trips: torchlike -> file -> real PyTorch and back, every dtype,
views, shared storage, containers, state dicts; the zip layout; map_location; safetensors."""

from __future__ import annotations

import collections
import io
import zipfile

import ml_dtypes
import numpy as np
import pytest

import torchlike as tl
from torchlike import serialization as tls

pt = pytest.importorskip("torch")

SAMPLES = {
    "bool": np.array([[True, False, True], [False, False, True]]),
    "uint8": np.array([[0, 1, 255], [7, 128, 3]], np.uint8),
    "int8": np.array([[-128, 0, 127], [1, -1, 5]], np.int8),
    "int16": np.array([[-32768, 0, 32767], [1, -1, 5]], np.int16),
    "int32": np.array([[-(2**31), 0, 2**31 - 1], [1, -1, 5]], np.int32),
    "int64": np.array([[-(2**63), 0, 2**63 - 1], [1, -1, 5]], np.int64),
    "float16": np.array([[np.inf, -0.0, 65504], [np.nan, 1e-7, -2.5]], np.float16),
    "bfloat16": np.array([[np.inf, -0.0, 3e38], [np.nan, 1e-30, -2.5]], ml_dtypes.bfloat16),
    "float32": np.array([[np.inf, -0.0, 3.4e38], [np.nan, 1e-45, -2.5]], np.float32),
    "float64": np.array([[np.inf, -0.0, 1e308], [np.nan, 5e-324, -2.5]], np.float64),
    "complex64": np.array([[1 + 2j, -0.0j, np.inf], [np.nan, 3j, -2.5]], np.complex64),
    "complex128": np.array([[1 + 2j, -0.0j, np.inf], [np.nan, 3j, -2.5]], np.complex128),
}


def pt_np(x) -> np.ndarray:
    """A PyTorch tensor's exact values as NumPy (bfloat16 through its bits)."""
    x = x.detach()
    if x.dtype == pt.bfloat16:
        return x.view(pt.int16).numpy().view(ml_dtypes.bfloat16)
    return x.numpy()


def pt_from_np(a: np.ndarray):
    if a.dtype == ml_dtypes.bfloat16:
        return pt.from_numpy(a.view(np.int16).copy()).view(pt.bfloat16)
    return pt.from_numpy(a.copy())


def tl_np(x) -> np.ndarray:
    x = x.detach()
    if x.dtype is tl.bfloat16:  # .numpy() refuses bfloat16, as PyTorch's does; float32 is exact
        return x.float().numpy().astype(ml_dtypes.bfloat16)
    return np.asarray(x.numpy())


def assert_same(ours, theirs) -> None:
    """A torchlike tensor and a PyTorch tensor hold the same dtype, shape and exact values."""
    assert repr(ours.dtype) == str(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    a, b = tl_np(ours), pt_np(theirs)
    assert a.dtype == b.dtype
    if a.dtype == ml_dtypes.bfloat16:  # NumPy's NaN-aware comparison needs a builtin float type
        a, b = a.astype(np.float32), b.astype(np.float32)
    np.testing.assert_array_equal(a, b)


def assert_same_tree(ours, theirs, path="obj") -> None:
    if isinstance(theirs, pt.Tensor):
        assert isinstance(ours, tl.Tensor), f"{path}: {type(ours)}"
        assert ours.requires_grad == theirs.requires_grad, path
        assert isinstance(ours, tl.nn.Parameter) == isinstance(theirs, pt.nn.Parameter), path
        assert_same(ours, theirs)
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs), path
        for k in theirs:
            assert_same_tree(ours[k], theirs[k], f"{path}[{k!r}]")
    elif isinstance(theirs, pt.Size):
        assert isinstance(ours, tl.Size) and tuple(ours) == tuple(theirs), path
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), path
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_tree(a, b, f"{path}[{i}]")
    elif isinstance(theirs, pt.dtype):
        assert repr(ours) == str(theirs), path
    else:
        assert ours == theirs, path


def to_pt(path):
    return pt.load(path, weights_only=True)


@pytest.fixture
def ckpt(tmp_path):
    return tmp_path / "model.pt"


# -- torchlike -> PyTorch -----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_dtype_saved_by_torchlike_loads_in_pytorch(ckpt, name):
    t = tl.from_numpy(SAMPLES[name].copy())
    tls.save(t, ckpt)
    assert_same(t, to_pt(ckpt))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_dtype_saved_by_pytorch_loads_in_torchlike(ckpt, name):
    x = pt_from_np(SAMPLES[name])
    pt.save(x, ckpt)
    assert_same(tls.load(ckpt), x)


@pytest.mark.parametrize("name", ["float32", "bfloat16", "bool", "int64", "complex64"])
def test_zero_dim_tensors_round_trip_both_ways(ckpt, name):
    t = tl.from_numpy(SAMPLES[name].reshape(-1)[:1].reshape(()).copy())
    tls.save({"x": t}, ckpt)
    back = to_pt(ckpt)["x"]
    assert back.shape == () and back.dim() == 0
    assert_same(t, back)
    pt.save({"x": back}, ckpt)
    assert_same(tls.load(ckpt)["x"], back)


def test_views_are_saved_as_storage_offset_and_stride(ckpt):
    base = tl.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4))
    view = base[1:, 1:3]
    tls.save({"base": base, "view": view}, ckpt)
    got = to_pt(ckpt)
    assert got["view"].storage_offset() == 5 and got["view"].stride() == (4, 1)
    assert got["view"].untyped_storage().data_ptr() == got["base"].untyped_storage().data_ptr()
    assert_same(view, got["view"])
    got["base"].add_(100)  # they are one storage again in PyTorch
    assert got["view"][0, 0].item() == 105


def test_a_view_alone_saves_its_whole_storage_as_pytorch_does(ckpt):
    base = tl.from_numpy(np.arange(10, dtype=np.int64))
    tls.save(base[7:9], ckpt)
    got = to_pt(ckpt)
    assert got.tolist() == [7, 8] and got.storage_offset() == 7
    assert got.untyped_storage().nbytes() == 80


def test_tensors_sharing_storage_are_written_once(ckpt):
    x = tl.from_numpy(np.arange(6, dtype=np.float32))
    tls.save({"a": x, "again": x, "head": x[:2], "tail": x[4:]}, ckpt)
    with zipfile.ZipFile(ckpt) as z:
        assert [n for n in z.namelist() if "/data/" in n] == ["model/data/0"]
    got = to_pt(ckpt)
    assert got["a"] is got["again"]
    assert got["head"].untyped_storage().data_ptr() == got["a"].untyped_storage().data_ptr()
    assert got["tail"].tolist() == [4.0, 5.0]


def test_tensors_sharing_storage_share_again_after_loading(ckpt):
    base = pt.arange(12, dtype=pt.float32).reshape(3, 4)
    pt.save({"base": base, "view": base[1:, 1:3], "flat": base.view(-1)}, ckpt)
    ours = tls.load(ckpt)
    root = ours["base"]._storage_info()[0]
    view_root, offset, stride = ours["view"]._storage_info()
    assert view_root is root and (offset, tuple(stride)) == (5, (4, 1))
    ours["base"].add_(100)  # an in-place write through one is seen through the others
    assert tl_np(ours["view"]).tolist() == [[105.0, 106.0], [109.0, 110.0]]
    assert tl_np(ours["flat"])[11] == 111.0
    tls.save(ours, ckpt)  # and they are written as one storage again
    with zipfile.ZipFile(ckpt) as z:
        assert [n for n in z.namelist() if "/data/" in n] == ["model/data/0"]
    assert to_pt(ckpt)["view"].tolist() == [[105.0, 106.0], [109.0, 110.0]]


def test_parameters_and_requires_grad_survive(ckpt):
    w = tl.nn.Parameter(tl.from_numpy(np.ones((2, 3), np.float32)))
    frozen = tl.nn.Parameter(tl.from_numpy(np.zeros(2, np.float32)), requires_grad=False)
    leaf = tl.from_numpy(np.ones(2, np.float32)).requires_grad_(True)
    tls.save({"w": w, "frozen": frozen, "leaf": leaf}, ckpt)
    got = to_pt(ckpt)
    assert isinstance(got["w"], pt.nn.Parameter) and got["w"].requires_grad
    assert isinstance(got["frozen"], pt.nn.Parameter) and not got["frozen"].requires_grad
    assert type(got["leaf"]) is pt.Tensor and got["leaf"].requires_grad
    back = tls.load(ckpt)
    assert isinstance(back["w"], tl.nn.Parameter) and back["w"].requires_grad
    assert not back["frozen"].requires_grad and back["leaf"].requires_grad


def nested_pt():
    return {
        "list": [pt.arange(3), 1, "two", (2.5, None, True)],
        "tuple": (pt.ones(2, dtype=pt.float64), {"deep": [pt.zeros(1, dtype=pt.int8)]}),
        "set": {1, 2, 3},
        "bytes": b"\x00\xffraw",
        "bytearray": bytearray(b"ab"),
        "complex": 1 + 2j,
        "dtype": pt.float16,
        "size": pt.Size([2, 3]),
        "big": 2**70,
        "ordered": collections.OrderedDict(b=1, a=2),
        "counter": collections.Counter("aab"),
    }


def test_nested_containers_round_trip_both_ways(ckpt):
    theirs = nested_pt()
    pt.save(theirs, ckpt)
    ours = tls.load(ckpt)
    assert_same_tree(ours, theirs)
    assert isinstance(ours["size"], tl.Size) and ours["dtype"] is tl.float16
    tls.save(ours, ckpt)
    assert_same_tree(ours, to_pt(ckpt))


def model_state_pt():
    net = pt.nn.Sequential(pt.nn.Linear(4, 3), pt.nn.BatchNorm1d(3), pt.nn.Linear(3, 2))
    net(pt.randn(5, 4))  # moves the running stats and num_batches_tracked
    return net, net.state_dict()


def test_pytorch_model_state_dict_loads_in_torchlike_and_back(ckpt):
    net, state = model_state_pt()
    pt.save(state, ckpt)
    ours = tls.load(ckpt)
    assert isinstance(ours, collections.OrderedDict)
    assert_same_tree(ours, state)
    assert (
        ours["1.num_batches_tracked"].dtype is tl.int64
        and ours["1.num_batches_tracked"].shape == ()
    )
    tls.save(ours, ckpt)
    fresh = pt.nn.Sequential(pt.nn.Linear(4, 3), pt.nn.BatchNorm1d(3), pt.nn.Linear(3, 2))
    fresh.load_state_dict(to_pt(ckpt))
    for a, b in zip(fresh.state_dict().values(), state.values()):
        assert pt.equal(a, b)


def test_torchlike_module_state_dict_loads_into_pytorch_module(ckpt):
    if not hasattr(tl.nn, "Linear"):
        pytest.skip("torchlike.nn.Linear not available yet")
    ours = tl.nn.Linear(4, 3)
    tls.save(ours.state_dict(), ckpt)
    theirs = pt.nn.Linear(4, 3)
    theirs.load_state_dict(to_pt(ckpt))
    assert_same(ours.weight, theirs.weight.detach())
    assert_same(ours.bias, theirs.bias.detach())


def optimizer_state(lib, make):
    return {
        "state": {
            0: {"step": make(np.array(3.0, np.float32)), "exp_avg": make(np.ones((2, 2), np.float32)),
                "exp_avg_sq": make(np.full((2, 2), 0.5, np.float32))},
            1: {"step": make(np.array(3.0, np.float32)), "exp_avg": make(np.zeros(2, np.float32)),
                "exp_avg_sq": make(np.zeros(2, np.float32))},
        },
        "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
                          "amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                          "differentiable": False, "fused": None, "params": [0, 1]}],
    }  # fmt: skip


def test_optimizer_state_dict_round_trips_both_ways(ckpt):
    theirs = optimizer_state(pt, pt_from_np)
    pt.save(theirs, ckpt)
    ours = tls.load(ckpt)
    assert_same_tree(ours, theirs)
    tls.save(optimizer_state(tl, lambda a: tl.from_numpy(a.copy())), ckpt)
    assert_same_tree(ours, to_pt(ckpt))


def test_real_pytorch_adam_state_dict_loads(ckpt):
    p = pt.nn.Parameter(pt.randn(3))
    opt = pt.optim.Adam([p], lr=0.1)
    p.sum().backward()
    opt.step()
    pt.save(opt.state_dict(), ckpt)
    assert_same_tree(tls.load(ckpt), opt.state_dict())


# -- the legacy (pre-zip) format and file objects -----------------------------------------------


def test_pytorch_legacy_format_loads_with_views_and_sharing(ckpt):
    base = pt.arange(12, dtype=pt.float32).reshape(3, 4)
    theirs = {"base": base, "view": base[1:, 1:3], "same": base, "p": pt.nn.Parameter(pt.ones(2))}
    pt.save(theirs, ckpt, _use_new_zipfile_serialization=False)
    ours = tls.load(ckpt)
    assert_same_tree(ours, theirs)
    assert ours["base"] is ours["same"]


def test_torchlike_legacy_format_loads_in_pytorch(ckpt):
    x = tl.from_numpy(np.arange(6, dtype=np.float64))
    tls.save({"x": x, "v": x[2:4]}, ckpt, _use_new_zipfile_serialization=False)
    got = to_pt(ckpt)
    assert got["v"].tolist() == [2.0, 3.0] and got["v"].storage_offset() == 2
    assert_same_tree(tls.load(ckpt), got)


@pytest.mark.parametrize("zip_format", [True, False])
def test_bytesio_works_both_ways(zip_format):
    buf = io.BytesIO()
    tls.save(
        {"x": tl.from_numpy(np.arange(3, dtype=np.int32))},
        buf,
        _use_new_zipfile_serialization=zip_format,
    )
    buf.seek(0)
    got = pt.load(buf, weights_only=True)
    assert got["x"].tolist() == [0, 1, 2]
    buf = io.BytesIO()
    pt.save(got, buf, _use_new_zipfile_serialization=zip_format)
    buf.seek(0)
    assert tl_np(tls.load(buf)["x"]).tolist() == [0, 1, 2]


# -- the zip layout -----------------------------------------------------------------------------


def test_zip_records_match_pytorchs_layout_and_alignment(ckpt, tmp_path):
    values = {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.ones(5, np.float64)}
    tls.save({k: tl.from_numpy(v) for k, v in values.items()}, ckpt)
    ref = tmp_path / "ref" / "model.pt"
    ref.parent.mkdir()
    pt.save({k: pt.from_numpy(v) for k, v in values.items()}, ref)
    with zipfile.ZipFile(ckpt) as ours, zipfile.ZipFile(ref) as theirs:
        assert ours.namelist() == theirs.namelist()
        assert ours.read("model/data.pkl") == theirs.read("model/data.pkl")
        for info in ours.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            assert (
                ours.read(info) == theirs.read(info.filename) or "serialization_id" in info.filename
            )
    raw = ckpt.read_bytes()
    with zipfile.ZipFile(ckpt) as z:
        for info in z.infolist():
            name_len, extra_len = np.frombuffer(
                raw[info.header_offset + 26 : info.header_offset + 30], "<u2"
            )
            assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0, info.filename
    assert ckpt.stat().st_size == ref.stat().st_size


def test_pytorch_mmap_with_computed_offsets_reads_torchlike_files(ckpt, monkeypatch):
    from torch.utils.serialization import config

    monkeypatch.setattr(config.load, "calculate_storage_offsets", True)
    monkeypatch.setenv("TORCH_SERIALIZATION_DEBUG", "1")  # PyTorch checks each computed offset
    tensors = {f"t{i}": tl.from_numpy(np.full(i + 1, i, np.float32)) for i in range(5)}
    tensors["empty"] = tl.from_numpy(np.zeros(0, np.int64))
    tls.save(tensors, ckpt)
    got = pt.load(ckpt, weights_only=True, mmap=True)
    assert got["t4"].tolist() == [4.0] * 5 and got["empty"].numel() == 0


def test_torchlike_mmap_load(ckpt):
    pt.save({"x": pt.arange(5)}, ckpt)
    assert tl_np(tls.load(ckpt, mmap=True)["x"]).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="file path"):
        tls.load(io.BytesIO(ckpt.read_bytes()), mmap=True)


def test_archive_folder_of_any_name_is_read(ckpt, tmp_path):
    other = tmp_path / "weird.name.bin"
    pt.save({"x": pt.ones(2)}, other)
    with zipfile.ZipFile(other) as z:
        assert z.namelist()[0].startswith("weird.name/")
    assert tl_np(tls.load(other)["x"]).tolist() == [1.0, 1.0]


# -- map_location -------------------------------------------------------------------------------


def cuda_tagged_checkpoint(path) -> None:
    """A checkpoint whose storage says 'cuda:0', as a GPU machine writes it."""
    tls.save({"x": tl.from_numpy(np.arange(3, dtype=np.float32))}, path)
    with zipfile.ZipFile(path) as z:
        records = {n: z.read(n) for n in z.namelist()}
    pkl = "model/data.pkl"
    records[pkl] = records[pkl].replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in records.items():
            z.writestr(name, data)


def test_cuda_checkpoint_without_gpu_needs_map_location(ckpt):
    from torchlike import _device

    cuda_tagged_checkpoint(ckpt)
    if _device.accelerators():
        assert tls.load(ckpt)["x"].device.type == "cuda"
        return
    with pytest.raises(RuntimeError, match="torch.cuda.is_available\\(\\) is False") as ours:
        tls.load(ckpt)
    if not pt.cuda.is_available():
        with pytest.raises(RuntimeError) as theirs:
            pt.load(ckpt, weights_only=True)
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "map_location",
    [
        "cpu",
        tl.device("cpu"),
        {"cuda:0": "cpu"},
        lambda storage, loc: storage,
        lambda s, loc: s.cpu(),
    ],
    ids=["str", "device", "dict", "callable", "callable_cpu"],
)
def test_map_location_forms_put_cuda_storages_on_cpu(ckpt, map_location):
    cuda_tagged_checkpoint(ckpt)
    x = tls.load(ckpt, map_location=map_location)["x"]
    assert x.device.type == "cpu" and tl_np(x).tolist() == [0.0, 1.0, 2.0]


def test_map_location_callable_sees_the_saved_location(ckpt):
    cuda_tagged_checkpoint(ckpt)
    seen = []
    tls.load(ckpt, map_location=lambda storage, loc: seen.append(loc) or storage)
    assert seen == ["cuda:0"]


# -- whole objects, numpy, safetensors ----------------------------------------------------------


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


def test_numpy_arrays_and_plain_objects_need_weights_only_false_or_allowlisting(ckpt):
    obj = {
        "np": np.arange(3, dtype=np.float32),
        "point": Point(1, 2),
        "t": tl.from_numpy(np.ones(1, np.int16)),
    }
    tls.save(obj, ckpt)
    back = tls.load(ckpt, weights_only=False)
    np.testing.assert_array_equal(back["np"], obj["np"])
    assert back["point"] == Point(1, 2) and tl_np(back["t"]).tolist() == [1]
    with pytest.raises(Exception, match="Unsupported global"):
        tls.load(ckpt)
    theirs = pt.load(ckpt, weights_only=False)
    assert theirs["point"] == Point(1, 2) and theirs["t"].dtype == pt.int16


def test_numpy_arrays_load_with_the_globals_pytorch_asks_for(ckpt):
    pt.save({"a": np.arange(3, dtype=np.float32)}, ckpt)
    needed = pt.serialization.get_unsafe_globals_in_checkpoint(ckpt)
    assert sorted(tls.get_unsafe_globals_in_checkpoint(ckpt)) == sorted(needed)
    allow = [np._core.multiarray._reconstruct, np.ndarray, np.dtype, np.dtypes.Float32DType]
    with tls.safe_globals(allow):
        np.testing.assert_array_equal(tls.load(ckpt)["a"], np.arange(3, dtype=np.float32))


def needs_modules():
    if not (hasattr(tl.nn, "Linear") and hasattr(tl.nn, "Sequential")):
        pytest.skip("torchlike.nn.Linear/Sequential not available yet")


def test_whole_torchlike_module_loads_in_torchlike_and_pytorch(ckpt):
    needs_modules()
    model = tl.nn.Sequential(tl.nn.Linear(3, 2))
    tls.save(model, ckpt)
    back = tls.load(ckpt, weights_only=False)
    assert type(back) is tl.nn.Sequential and type(back[0]) is tl.nn.Linear
    assert_same(back[0].weight, pt.from_numpy(tl_np(model[0].weight).copy()))
    with pytest.raises(Exception, match="Unsupported global: GLOBAL torch.nn.modules"):
        tls.load(ckpt)
    with tls.safe_globals([tl.nn.Sequential, tl.nn.Linear]):
        assert type(tls.load(ckpt)[0]) is tl.nn.Linear
    theirs = pt.load(ckpt, weights_only=False)  # written under PyTorch's class names
    assert type(theirs[0]) is pt.nn.Linear
    x = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(
        tl_np(model(tl.from_numpy(x))), pt_np(theirs(pt.from_numpy(x))), rtol=1e-6, atol=1e-7
    )


def test_whole_pytorch_module_loads_as_torchlike_module(ckpt):
    needs_modules()
    theirs = pt.nn.Sequential(pt.nn.Linear(3, 2))
    pt.save(theirs, ckpt)
    ours = tls.load(ckpt, weights_only=False)
    assert type(ours) is tl.nn.Sequential and type(ours[0]) is tl.nn.Linear
    assert isinstance(ours[0].weight, tl.nn.Parameter)
    x = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(
        tl_np(ours(tl.from_numpy(x))), pt_np(theirs(pt.from_numpy(x))), rtol=1e-6, atol=1e-7
    )
    with tls.safe_globals([tl.nn.Sequential, tl.nn.Linear]):  # torchlike classes allow torch names
        assert type(tls.load(ckpt)[0]) is tl.nn.Linear


def test_safetensors_round_trip_with_pytorch(tmp_path):
    from safetensors.torch import load_file, save_file

    names = ("float32", "int64", "bool", "float16", "uint8", "bfloat16", "complex64")
    state = {n: tl.from_numpy(SAMPLES[n].copy()) for n in names}
    path = tmp_path / "w.safetensors"
    tls.save_safetensors(state, path)
    theirs = load_file(str(path))
    for name, t in state.items():
        assert_same(t, theirs[name])
    theirs = {
        "a": pt.arange(4, dtype=pt.float64),
        "b": pt.ones(2, 2, dtype=pt.int32),
        "h": pt.tensor([1.5, -2.0], dtype=pt.bfloat16),
    }
    save_file(theirs, str(path))
    ours = tls.load_safetensors(path)
    for name, t in theirs.items():
        assert_same(ours[name], t)
    assert tl_np(tls.load(path)["b"]).tolist() == [[1, 1], [1, 1]]  # torch.load routes .safetensors
    save_file({"f8": pt.ones(2).to(pt.float8_e4m3fn)}, str(path))
    with pytest.raises(RuntimeError, match="'f8'"):
        tls.load_safetensors(path)


def test_views_of_roots_stored_in_another_order_save_their_values(tmp_path):
    """A channels-last tensor or an element-wise result of a transposed view is stored in its own
    dimension order; its views' offsets and strides index that storage, so the checkpoint writes
    the storage in that order (PyTorch reads the same values and strides)."""
    x = tl.arange(12.0).view(3, 4)
    y = x.t() * 2
    z = tl.arange(24.0).view(1, 2, 3, 4).to(memory_format=tl.channels_last)
    objs = {"y": y, "y0": y[0], "yT": y.t(), "z": z, "z1": z[:, 1:], "zp": z.permute(0, 2, 3, 1)}
    tl.save(objs, tmp_path / "o.pt")
    theirs = pt.load(tmp_path / "o.pt")
    ours = tl.load(tmp_path / "o.pt")
    for k, v in objs.items():
        np.testing.assert_array_equal(theirs[k].numpy(), v.numpy(), err_msg=k)
        np.testing.assert_array_equal(ours[k].numpy(), v.numpy(), err_msg=k)
        assert theirs[k].stride() == v.stride(), k
