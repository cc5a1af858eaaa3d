"""torch.hub offline: cache directory rules, torchvision entry points, cached state dicts."""

import pytest

import torchlike as tl


@pytest.fixture
def hub_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    monkeypatch.setitem(tl.hub._state, "hub_dir", None)
    return tmp_path / "th" / "hub"


def test_get_dir_follows_torch_home_and_set_dir(hub_home, tmp_path, monkeypatch):
    assert tl.hub.get_dir() == str(hub_home)
    monkeypatch.delenv("TORCH_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tl.hub.get_dir() == str(tmp_path / "xdg" / "torch" / "hub")
    tl.hub.set_dir(tmp_path / "elsewhere")
    assert tl.hub.get_dir() == str(tmp_path / "elsewhere")


def test_load_torchvision_entry_point(hub_home):
    model = tl.hub.load("pytorch/vision:v0.9.0", "resnet18", weights=None, num_classes=7)
    assert type(model).__name__ == "ResNet" and model.fc.out_features == 7
    assert "resnet18" in tl.hub.list("pytorch/vision")
    with (
        pytest.raises(FileNotFoundError, match="resnet18-f37072fd.pth"),
        pytest.warns(UserWarning, match="pretrained"),
    ):
        tl.hub.load("pytorch/vision", "resnet18", pretrained=True)
    with pytest.raises(RuntimeError, match="Cannot find callable nope in hubconf"):
        tl.hub.load("pytorch/vision", "nope")
    with pytest.raises(RuntimeError, match="does not use the network"):
        tl.hub.load("someone/repo", "model")
    with pytest.raises(ValueError, match='Unknown source: "ftp"'):
        tl.hub.load("pytorch/vision", "resnet18", source="ftp")


def test_load_local_hubconf(tmp_path):
    (tmp_path / "hubconf.py").write_text("def double(x):\n    '''Twice x.'''\n    return 2 * x\n")
    assert tl.hub.load(str(tmp_path), "double", 21, source="local") == 42


def test_load_state_dict_from_url_reads_the_cache_only(hub_home):
    url = "https://example.com/models/tiny-1234.pth?raw=1"
    with pytest.raises(FileNotFoundError, match="tiny-1234.pth"):
        tl.hub.load_state_dict_from_url(url)
    (hub_home / "checkpoints").mkdir(parents=True)
    tl.save({"w": tl.ones(2)}, str(hub_home / "checkpoints" / "tiny-1234.pth"))
    state = tl.hub.load_state_dict_from_url(url, weights_only=True)
    assert state["w"].tolist() == [1.0, 1.0]


def test_cuda_and_backends_are_modules():
    import importlib

    amp = importlib.import_module("torchlike.cuda.amp")
    cudnn = importlib.import_module("torchlike.backends.cudnn")
    assert tl.cuda.amp is amp and tl.backends.cudnn is cudnn
    assert tl.cuda.is_available() == bool(tl.cuda.device_count())
    assert tl.cuda.memory_allocated() >= 0
    assert isinstance(amp.GradScaler(enabled=False), tl.amp.GradScaler)
    with amp.autocast(enabled=False) as ctx:
        assert isinstance(ctx, tl.amp.autocast) and ctx.device_type == "cuda"
    assert tl.backends.cuda.matmul.allow_tf32 is False and tl.backends.mps.is_available() is False
