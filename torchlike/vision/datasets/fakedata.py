"""FakeData: random images, the same image for the same index (seeded by index + random_offset)."""

from __future__ import annotations

import numpy as np

from .folder import VisionDataset

__all__ = ["FakeData"]


class FakeData(VisionDataset):
    def __init__(
        self,
        size: int = 1000,
        image_size=(3, 224, 224),
        num_classes: int = 10,
        transform=None,
        target_transform=None,
        random_offset: int = 0,
    ) -> None:
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.size = size
        self.num_classes = num_classes
        self.image_size = image_size
        self.random_offset = random_offset

    def __getitem__(self, index: int):
        from ..transforms.functional import to_pil_image

        if index >= len(self):
            raise IndexError(f"{self.__class__.__name__} index out of range")
        # host-side and independent of the global generator, as torchvision restores its RNG state
        g = np.random.default_rng(index + self.random_offset)
        img = g.standard_normal(tuple(self.image_size), dtype=np.float32)
        target = int(g.integers(0, self.num_classes))
        # torchvision's ToPILImage of a float tensor: value * 255 cast to uint8 (wrapping)
        scaled = (img * 255).astype(np.int64).astype(np.uint8)
        img = to_pil_image(scaled.transpose(1, 2, 0) if scaled.ndim == 3 else scaled)
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return self.size
