"""MNIST, FashionMNIST and KMNIST readers of the standard idx files (no network access).

Files are looked for in ``root/<ClassName>/raw/`` (e.g. ``root/MNIST/raw/train-images-idx3-ubyte``,
gzipped ``.gz`` copies work too), or as torchvision's legacy ``processed/training.pt``/``test.pt``.
"""

from __future__ import annotations

import gzip
import os

import numpy as np

from .folder import VisionDataset

__all__ = [
    "MNIST",
    "FashionMNIST",
    "KMNIST",
    "read_image_file",
    "read_label_file",
    "read_sn3_pascalvincent_tensor",
]

_SN3_TYPES = {
    8: np.dtype(np.uint8),
    9: np.dtype(np.int8),
    11: np.dtype(">i2"),
    12: np.dtype(">i4"),
    13: np.dtype(">f4"),
    14: np.dtype(">f8"),
}


def _open(path: str):
    if os.path.exists(path):
        return open(path, "rb")
    return gzip.open(path + ".gz", "rb")


def read_sn3_pascalvincent_tensor(path: str, strict: bool = True):
    """An idx file (``0 0 <type> <ndim>``, big-endian sizes, then the data) as a tensor."""
    from ... import from_numpy

    with _open(path) as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    nd, ty = magic % 256, magic // 256
    if not (1 <= nd <= 3 and ty in _SN3_TYPES) or data[0:2] != b"\x00\x00":
        raise RuntimeError(f"{path} is not an idx file (magic number {magic:#010x})")
    shape = [int.from_bytes(data[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(nd)]
    dt = _SN3_TYPES[ty]
    arr = np.frombuffer(data, dtype=dt, offset=4 * (nd + 1))
    if arr.size != int(np.prod(shape)):
        if strict:
            raise RuntimeError(
                f"{path}: expected {int(np.prod(shape))} values for shape {shape}, found {arr.size}"
            )
        arr = arr[: int(np.prod(shape))]
    return from_numpy(arr.astype(dt.newbyteorder("="), copy=True).reshape(shape))


def read_label_file(path: str):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype.name != "uint8" or x.ndim != 1:
        raise RuntimeError(
            f"{path}: expected a 1-d uint8 label file, got {x.dtype} with {x.ndim} dimensions"
        )
    from ... import from_numpy

    return from_numpy(np.asarray(x).astype(np.int64))


def read_image_file(path: str):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype.name != "uint8" or x.ndim != 3:
        raise RuntimeError(
            f"{path}: expected a 3-d uint8 image file, got {x.dtype} with {x.ndim} dimensions"
        )
    return x


class MNIST(VisionDataset):
    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9646ae8d3ad57b0a9e5a0ea0e1d29b0d"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    training_file = "training.pt"
    test_file = "test.pt"
    classes = [
        "0 - zero",
        "1 - one",
        "2 - two",
        "3 - three",
        "4 - four",
        "5 - five",
        "6 - six",
        "7 - seven",
        "8 - eight",
        "9 - nine",
    ]

    def __init__(
        self,
        root,
        train: bool = True,
        transform=None,
        target_transform=None,
        download: bool = False,
    ):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if self._check_legacy_exist():
            self.data, self.targets = self._load_legacy_data()
        else:
            if download:
                self.download()
            if not self._check_exists():
                raise RuntimeError(self._not_found_message())
            self.data, self.targets = self._load_data()
        self._np_data = np.asarray(self.data)
        self._np_targets = np.asarray(self.targets)

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.classes)}

    def _raw_files(self):
        return [
            os.path.join(self.raw_folder, os.path.splitext(name)[0]) for name, _ in self.resources
        ]

    def _check_exists(self) -> bool:
        return all(os.path.isfile(p) or os.path.isfile(p + ".gz") for p in self._raw_files())

    def _check_legacy_exist(self) -> bool:
        if not os.path.exists(self.processed_folder):
            return False
        return all(
            os.path.isfile(os.path.join(self.processed_folder, f))
            for f in (self.training_file, self.test_file)
        )

    def _load_legacy_data(self):
        from ...serialization import load

        data_file = self.training_file if self.train else self.test_file
        return load(os.path.join(self.processed_folder, data_file))

    def _load_data(self):
        prefix = "train" if self.train else "t10k"
        data = read_image_file(os.path.join(self.raw_folder, f"{prefix}-images-idx3-ubyte"))
        targets = read_label_file(os.path.join(self.raw_folder, f"{prefix}-labels-idx1-ubyte"))
        return data, targets

    def _not_found_message(self) -> str:
        names = ", ".join(os.path.splitext(n)[0] for n, _ in self.resources)
        return (
            f"Dataset not found. Put the files {names} (or their .gz originals) in {self.raw_folder}. "
            "torchlike cannot download data sets (no network access); the embedded "
            "torchlike.vision.datasets.Digits works offline."
        )

    def download(self) -> None:
        if self._check_exists():
            return
        raise RuntimeError(
            f"{self.__class__.__name__}(download=True): torchlike does not download data sets (no network "
            f"access). Fetch them elsewhere (mirrors: {', '.join(self.mirrors)}) and put "
            f"{', '.join(n for n, _ in self.resources)} (gzipped or not) in {self.raw_folder}."
        )

    def __getitem__(self, index: int):
        from PIL import Image

        img, target = self._np_data[index], int(self._np_targets[index])
        img = Image.fromarray(img, mode="L")
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self._np_data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]


class KMNIST(MNIST):
    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]
