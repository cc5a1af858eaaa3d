"""The UCI handwritten digits (8x8, 1,797 images, 10 classes), shipped inside the package.

Source: E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
Learning Repository (CC BY 4.0), via scikit-learn's copy. Pixels are 0..16 in the original;
images are exposed as 8-bit grayscale (0..255) like MNIST, so the same transforms apply.
"""

from __future__ import annotations

import os

import numpy as np

_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "digits.npz")
N_TRAIN = 1437  # the first 80% (of a fixed shuffle) is the training split


def _load():
    with np.load(_FILE) as f:
        images = (f["images"].astype(np.uint16) * 255 // 16).astype(np.uint8)
        return images, f["targets"].astype(np.int64)


class Digits:
    """``Digits(root=None, train=True, transform=None, target_transform=None)``, MNIST-style:
    ``data`` (uint8 N x 8 x 8 tensor), ``targets`` (int64), items are (PIL image, label)."""

    classes = [str(i) for i in range(10)]

    def __init__(self, root=None, train: bool = True, transform=None, target_transform=None, download=False):
        from ... import from_numpy

        images, targets = _load()
        sl = slice(0, N_TRAIN) if train else slice(N_TRAIN, None)
        self.root = root
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        self._images = images[sl]
        self._targets = targets[sl]
        self.data = from_numpy(self._images.copy())
        self.targets = from_numpy(self._targets.copy())
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}

    def __len__(self):
        return len(self._targets)

    def __getitem__(self, index):
        from PIL import Image

        img = Image.fromarray(self._images[index], mode="L")
        target = int(self._targets[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __repr__(self):
        return (f"Dataset Digits\n    Number of datapoints: {len(self)}\n    Root location: {self.root}\n"
                f"    Split: {'Train' if self.train else 'Test'}")


def write_image_folder(root: str, train: bool = True, size: int | None = None) -> str:
    """Write the split as an ImageFolder tree of PNGs (``root/<class>/<index>.png``); returns root."""
    from PIL import Image

    images, targets = _load()
    sl = slice(0, N_TRAIN) if train else slice(N_TRAIN, None)
    for i, (img, t) in enumerate(zip(images[sl], targets[sl])):
        d = os.path.join(root, str(int(t)))
        os.makedirs(d, exist_ok=True)
        im = Image.fromarray(img, mode="L")
        if size is not None:
            im = im.resize((size, size), Image.BILINEAR)
        im.save(os.path.join(d, f"{i:04d}.png"))
    return root
