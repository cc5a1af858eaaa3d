# Writing Custom Datasets, DataLoaders and Transforms (face-landmarks tutorial, condensed):
# a CSV of landmarks and PIL images written to a temp dir, Rescale/RandomCrop/ToTensor
# callables composed by hand (torchvision is not importable next to this torch).
import csv
import os
import tempfile

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
np.random.seed(0)
tmp = tempfile.mkdtemp()
root = os.path.join(tmp, "faces")
os.makedirs(root)
rng = np.random.default_rng(0)
sizes = [(40, 30), (36, 48), (50, 50), (32, 44), (44, 36), (38, 38)]
with open(os.path.join(root, "face_landmarks.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["image_name"] + [f"part_{i}_{c}" for i in range(4) for c in "xy"])
    for i, (h, w) in enumerate(sizes):
        name = f"face_{i}.jpg" if i % 2 else f"face_{i}.png"
        pixels = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(root, name))
        points = rng.integers(0, min(h, w), size=8)
        writer.writerow([name] + points.tolist())

with open(os.path.join(root, "face_landmarks.csv")) as f:
    rows = list(csv.reader(f))[1:]
n = 3
img_name = rows[n][0]
landmarks = np.asarray(rows[n][1:], dtype=float).reshape(-1, 2)
print(f"Image name: {img_name}")
print(f"Landmarks shape: {landmarks.shape}")
print(f"First 4 Landmarks: {landmarks[:4]}")


class FaceLandmarksDataset(Dataset):
    """Face Landmarks dataset."""

    def __init__(self, csv_file, root_dir, transform=None):
        with open(csv_file) as f:
            self.landmarks_frame = list(csv.reader(f))[1:]
        self.root_dir = root_dir
        self.transform = transform

    def __len__(self):
        return len(self.landmarks_frame)

    def __getitem__(self, idx):
        if torch.is_tensor(idx):
            idx = idx.tolist()
        row = self.landmarks_frame[idx]
        img_name = os.path.join(self.root_dir, row[0])
        image = np.asarray(Image.open(img_name).convert("RGB"))
        landmarks = np.array([row[1:]], dtype=float).reshape(-1, 2)
        sample = {"image": image, "landmarks": landmarks}
        if self.transform:
            sample = self.transform(sample)
        return sample


face_dataset = FaceLandmarksDataset(
    csv_file=os.path.join(root, "face_landmarks.csv"), root_dir=root
)
for i, sample in enumerate(face_dataset):
    print(i, sample["image"].shape, sample["landmarks"].shape, sample["image"].dtype)
    if i == 3:
        break
print(face_dataset[torch.tensor(2)]["landmarks"][0])


class Rescale:
    """Rescale the image in a sample to a given size."""

    def __init__(self, output_size):
        assert isinstance(output_size, (int, tuple))
        self.output_size = output_size

    def __call__(self, sample):
        image, landmarks = sample["image"], sample["landmarks"]
        h, w = image.shape[:2]
        if isinstance(self.output_size, int):
            if h > w:
                new_h, new_w = self.output_size * h / w, self.output_size
            else:
                new_h, new_w = self.output_size, self.output_size * w / h
        else:
            new_h, new_w = self.output_size
        new_h, new_w = int(new_h), int(new_w)
        img = np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.BILINEAR))
        img = img.astype(np.float64) / 255.0
        landmarks = landmarks * [new_w / w, new_h / h]
        return {"image": img, "landmarks": landmarks}


class RandomCrop:
    """Crop randomly the image in a sample."""

    def __init__(self, output_size):
        assert isinstance(output_size, (int, tuple))
        if isinstance(output_size, int):
            self.output_size = (output_size, output_size)
        else:
            assert len(output_size) == 2
            self.output_size = output_size

    def __call__(self, sample):
        image, landmarks = sample["image"], sample["landmarks"]
        h, w = image.shape[:2]
        new_h, new_w = self.output_size
        top = np.random.randint(0, h - new_h + 1)
        left = np.random.randint(0, w - new_w + 1)
        image = image[top : top + new_h, left : left + new_w]
        landmarks = landmarks - [left, top]
        return {"image": image, "landmarks": landmarks}


class ToTensor:
    """Convert ndarrays in sample to Tensors."""

    def __call__(self, sample):
        image, landmarks = sample["image"], sample["landmarks"]
        # numpy image: H x W x C, torch image: C x H x W
        image = image.transpose((2, 0, 1))
        return {"image": torch.from_numpy(image), "landmarks": torch.from_numpy(landmarks)}


class Compose:
    """torchvision.transforms.Compose, written out."""

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, sample):
        for t in self.transforms:
            sample = t(sample)
        return sample


scale = Rescale(32)
crop = RandomCrop(24)
composed = Compose([Rescale(34), RandomCrop(28)])
sample = face_dataset[5]
for tsfrm in [scale, crop, composed]:
    out = tsfrm(sample) if tsfrm is not crop else tsfrm(scale(sample))
    print(type(tsfrm).__name__, out["image"].shape, np.round(out["landmarks"][:2], 3).tolist())

transformed_dataset = FaceLandmarksDataset(
    csv_file=os.path.join(root, "face_landmarks.csv"),
    root_dir=root,
    transform=Compose([Rescale(32), RandomCrop(28), ToTensor()]),
)
for i, sample in enumerate(transformed_dataset):
    print(i, sample["image"].size(), sample["landmarks"].size(), sample["image"].dtype)
    if i == 3:
        break

dataloader = DataLoader(transformed_dataset, batch_size=4, shuffle=True, num_workers=0)
print(len(dataloader))
for i_batch, sample_batched in enumerate(dataloader):
    print(
        i_batch,
        sample_batched["image"].size(),
        sample_batched["landmarks"].size(),
        sample_batched["landmarks"].dtype,
    )
    print(sample_batched["landmarks"][:, 0].round(decimals=3))
    print(f"{sample_batched['image'].mean().item():.6f}")

# the same with two workers: each worker's NumPy RNG is seeded from the loader's base seed
torch.manual_seed(1)
dataloader = DataLoader(transformed_dataset, batch_size=2, shuffle=True, num_workers=2)
for i_batch, sample_batched in enumerate(dataloader):
    print(i_batch, sample_batched["image"].shape, sample_batched["landmarks"][:, 0].tolist())
