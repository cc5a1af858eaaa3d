"""vision.datasets: ImageFolder on a generated tree, MNIST/CIFAR readers on tiny files, FakeData."""

import gzip
import os
import pickle

import numpy as np
import pytest
from PIL import Image

import torchlike as tl
from torchlike.utils.data import DataLoader
from torchlike.vision import datasets
from torchlike.vision import transforms as T
from torchlike.vision.datasets import write_image_folder


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return write_image_folder(str(tmp_path_factory.mktemp("digits")), train=False)


def test_image_folder_classes_and_samples_order(tree):
    ds = datasets.ImageFolder(tree)
    assert ds.classes == [str(i) for i in range(10)]
    assert ds.class_to_idx == {str(i): i for i in range(10)}
    expected = []
    for c in sorted(os.listdir(tree)):
        expected += [
            (os.path.join(tree, c, f), int(c)) for f in sorted(os.listdir(os.path.join(tree, c)))
        ]
    assert ds.samples == expected and ds.imgs == expected
    assert ds.targets == [t for _, t in expected]
    assert len(ds) == 360
    img, target = ds[0]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (8, 8) and target == 0


def test_image_folder_transform_and_target_transform(tree):
    ds = datasets.ImageFolder(
        tree, transform=T.Compose([T.Grayscale(), T.ToTensor()]), target_transform=lambda t: t + 100
    )
    x, t = ds[len(ds) - 1]
    assert x.shape == (1, 8, 8) and x.dtype == tl.float32 and t == 109
    path = ds.samples[-1][0]
    np.testing.assert_array_equal(
        x.numpy()[0], np.asarray(Image.open(path).convert("L")) / np.float32(255)
    )
    assert repr(ds).startswith(
        f"Dataset ImageFolder\n    Number of datapoints: 360\n    Root location: {tree}\n"
        "    StandardTransform\n    Transform: Compose("
    )


def test_is_valid_file_and_extensions(tree, tmp_path):
    ds = datasets.ImageFolder(tree, is_valid_file=lambda p: p.endswith("0.png"))
    assert all(p.endswith("0.png") for p, _ in ds.samples) and 0 < len(ds) < 360
    folder = datasets.DatasetFolder(tree, loader=lambda p: p, extensions=(".png",))
    assert len(folder) == 360 and folder[3][0] == folder.samples[3][0]
    assert datasets.folder.has_file_allowed_extension(
        "A/B.PNG", ".png"
    )  # the file name is lower-cased
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        datasets.DatasetFolder(tree, loader=lambda p: p)
    # a class folder with no valid file
    os.makedirs(tmp_path / "a")
    os.makedirs(tmp_path / "b")
    Image.new("RGB", (2, 2)).save(tmp_path / "a" / "x.png")
    (tmp_path / "b" / "notes.txt").write_text("x")
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes b"):
        datasets.ImageFolder(str(tmp_path))
    ds = datasets.ImageFolder(str(tmp_path), allow_empty=True)
    assert ds.classes == ["a", "b"] and ds.targets == [0]
    empty = tmp_path / "empty"
    os.makedirs(empty)
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.ImageFolder(str(empty))
    assert datasets.IMG_EXTENSIONS[:3] == (".jpg", ".jpeg", ".png")


def test_image_folder_in_dataloader_workers(tree):
    tl.manual_seed(0)
    ds = datasets.ImageFolder(
        tree,
        transform=T.Compose(
            [
                T.RandomCrop(6),
                T.RandomHorizontalFlip(),
                T.ToTensor(),
                T.Normalize((0.5,) * 3, (0.5,) * 3),
            ]
        ),
    )
    loader = DataLoader(ds, batch_size=64, shuffle=True, num_workers=2)
    n = 0
    for x, y in loader:
        assert x.shape[1:] == (3, 6, 6) and x.dtype == tl.float32 and y.dtype == tl.int64
        assert float(x.min()) >= -1.0 and float(x.max()) <= 1.0
        n += x.shape[0]
    assert n == 360


def _write_idx(path, arr, gz=False):
    codes = {np.uint8: 8, np.int8: 9}
    header = bytes([0, 0, codes[arr.dtype.type], arr.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in arr.shape
    )
    data = header + arr.tobytes()
    with gzip.open(path + ".gz", "wb") if gz else open(path, "wb") as f:
        f.write(data)


@pytest.mark.parametrize("cls", [datasets.MNIST, datasets.FashionMNIST, datasets.KMNIST])
@pytest.mark.parametrize("gz", [False, True])
def test_mnist_family_reads_idx_files(tmp_path, cls, gz):
    raw = tmp_path / cls.__name__ / "raw"
    os.makedirs(raw)
    rng = np.random.default_rng(0)
    imgs = {
        "train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "t10k": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
    }
    labels = {"train": np.array([3, 1, 4, 1, 5], np.uint8), "t10k": np.array([9, 2, 6], np.uint8)}
    for split in ("train", "t10k"):
        _write_idx(str(raw / f"{split}-images-idx3-ubyte"), imgs[split], gz)
        _write_idx(str(raw / f"{split}-labels-idx1-ubyte"), labels[split], gz)
    train = cls(str(tmp_path), train=True, transform=T.ToTensor())
    test = cls(str(tmp_path), train=False, download=True)  # files present: download is a no-op
    assert len(train) == 5 and len(test) == 3
    assert train.data.dtype == tl.uint8 and train.data.shape == (5, 28, 28)
    assert train.targets.dtype == tl.int64 and train.targets.tolist() == [3, 1, 4, 1, 5]
    x, y = train[2]
    assert y == 4 and x.shape == (1, 28, 28)
    np.testing.assert_array_equal(x.numpy()[0], imgs["train"][2] / np.float32(255))
    img, y = test[0]
    assert isinstance(img, Image.Image) and img.mode == "L" and y == 9
    assert len(cls.classes) == 10 and test.class_to_idx[cls.classes[9]] == 9
    assert (
        repr(test)
        == f"Dataset {cls.__name__}\n    Number of datapoints: 3\n    Root location: {tmp_path}\n    Split: Test"
    )


def test_mnist_missing_files_say_where_to_put_them(tmp_path):
    with pytest.raises(RuntimeError, match="Dataset not found.*" + str(tmp_path / "MNIST" / "raw")):
        datasets.MNIST(str(tmp_path))
    with pytest.raises(RuntimeError, match="no network"):
        datasets.MNIST(str(tmp_path), download=True)


def test_idx_reader_rejects_bad_magic(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x01\x02\x03\x04" + b"\x00" * 8)
    with pytest.raises(RuntimeError, match="not an idx file"):
        datasets.mnist.read_sn3_pascalvincent_tensor(str(tmp_path / "bad"))


def _write_cifar(root, n_per_batch=4, hundred=False):
    rng = np.random.default_rng(1)
    folder = os.path.join(root, "cifar-100-python" if hundred else "cifar-10-batches-py")
    os.makedirs(folder)
    names = (
        ["train", "test"] if hundred else [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    )
    written = {}
    for name in names:
        data = rng.integers(0, 256, (n_per_batch, 3072), dtype=np.uint8)
        labels = rng.integers(0, 100 if hundred else 10, n_per_batch).tolist()
        entry = {"data": data, ("fine_labels" if hundred else "labels"): labels}
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump(entry, f)
        written[name] = (data, labels)
    meta_name, key = ("meta", "fine_label_names") if hundred else ("batches.meta", "label_names")
    with open(os.path.join(folder, meta_name), "wb") as f:
        pickle.dump({key: [f"c{i}" for i in range(100 if hundred else 10)]}, f)
    return written


def test_cifar10_reads_python_batches(tmp_path):
    written = _write_cifar(str(tmp_path))
    train = datasets.CIFAR10(str(tmp_path), train=True)
    test = datasets.CIFAR10(str(tmp_path), train=False, transform=T.ToTensor())
    assert len(train) == 20 and len(test) == 4
    assert train.data.shape == (20, 32, 32, 3) and train.data.dtype == np.uint8
    data, labels = written["data_batch_2"]
    np.testing.assert_array_equal(train.data[4], data[0].reshape(3, 32, 32).transpose(1, 2, 0))
    assert train.targets[4:8] == labels
    img, y = train[4]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and y == labels[0]
    x, _ = test[1]
    assert x.shape == (3, 32, 32)
    np.testing.assert_array_equal(
        x.numpy(), written["test_batch"][0][1].reshape(3, 32, 32) / np.float32(255)
    )
    assert train.classes[3] == "c3" and train.class_to_idx["c3"] == 3


def test_cifar100_and_missing(tmp_path):
    written = _write_cifar(str(tmp_path), hundred=True)
    ds = datasets.CIFAR100(str(tmp_path), train=False)
    assert len(ds) == 4 and ds.targets == written["test"][1] and len(ds.classes) == 100
    with pytest.raises(RuntimeError, match="cifar-10-batches-py"):
        datasets.CIFAR10(str(tmp_path / "nothing"))
    with pytest.raises(RuntimeError, match="no network"):
        datasets.CIFAR10(str(tmp_path / "nothing"), download=True)


def test_fakedata_is_deterministic_per_index():
    ds = datasets.FakeData(size=4, image_size=(3, 10, 12), num_classes=5, transform=T.ToTensor())
    x0, y0 = ds[1]
    x1, y1 = ds[1]
    assert (
        x0.shape == (3, 10, 12)
        and np.array_equal(x0.numpy(), x1.numpy())
        and y0 == y1
        and 0 <= y0 < 5
    )
    assert not np.array_equal(ds[2][0].numpy(), x0.numpy())
    assert len(ds) == 4
    with pytest.raises(IndexError, match="FakeData index out of range"):
        ds[4]
    assert datasets.FakeData(size=2, random_offset=7, image_size=(1, 4, 4))[0][0].mode == "L"


def test_digits_embedded():
    ds = datasets.Digits(train=True, transform=T.ToTensor())
    x, y = ds[0]
    assert x.shape == (1, 8, 8) and 0 <= y < 10 and len(ds) == 1437
