# ruff: noqa: B007, UP032  (tutorial code, kept as the tutorials write it)
# "Datasets & DataLoaders" (CustomImageDataset over an annotations CSV and an image folder, read
# with PIL since torchvision.io is unavailable next to this torch) and the "Data loading in
# PyTorch" recipe (a yesno-like audio dataset), with the training loop that consumes them.
import csv
import os
import tempfile

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
rng = np.random.default_rng(1)
labels_map = {0: "T-Shirt", 1: "Trouser", 2: "Pullover", 3: "Dress"}
img_dir = tempfile.mkdtemp()
annotations_file = os.path.join(img_dir, "labels.csv")
with open(annotations_file, "w", newline="") as f:
    w = csv.writer(f)
    for i in range(20):
        name = f"img_{i:02d}.png"
        Image.fromarray(rng.integers(0, 256, (8, 8), dtype=np.uint8), mode="L").save(
            os.path.join(img_dir, name)
        )
        w.writerow([name, i % 4])


def read_image(path):
    """torchvision.io.read_image: a uint8 C x H x W tensor."""
    array = np.array(Image.open(path))
    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(array).permute(2, 0, 1).contiguous()


class CustomImageDataset(Dataset):
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        with open(annotations_file) as f:
            self.img_labels = [(row[0], int(row[1])) for row in csv.reader(f)]
        self.img_dir = img_dir
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.img_labels)

    def __getitem__(self, idx):
        img_path = os.path.join(self.img_dir, self.img_labels[idx][0])
        image = read_image(img_path)
        label = self.img_labels[idx][1]
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


class ToFloat:
    """transforms.ToTensor on a uint8 tensor: float32 in [0, 1]."""

    def __call__(self, image):
        return image.float() / 255


class Lambda:
    def __init__(self, lambd):
        self.lambd = lambd

    def __call__(self, x):
        return self.lambd(x)


training_data = CustomImageDataset(annotations_file, img_dir)
print(len(training_data))
image, label = training_data[3]
print(image.shape, image.dtype, label, labels_map[label], image[0, 0, :4])
sample_idx = torch.randint(len(training_data), size=(1,)).item()
img, label = training_data[sample_idx]
print(sample_idx, labels_map[label], img.squeeze().shape)

train_dataloader = DataLoader(training_data, batch_size=8, shuffle=True)
train_features, train_labels = next(iter(train_dataloader))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
img = train_features[0].squeeze()
label = train_labels[0]
print(f"Label: {label}", img.dtype, img.sum())
print(len(train_dataloader), [len(y) for _, y in train_dataloader])

ds = CustomImageDataset(
    annotations_file,
    img_dir,
    transform=ToFloat(),
    target_transform=Lambda(
        lambda y: torch.zeros(4, dtype=torch.float).scatter_(0, torch.tensor(y), value=1)
    ),
)
x, y = ds[5]
print(x.dtype, x.max() <= 1, y)
loader = DataLoader(ds, batch_size=6, shuffle=True, drop_last=True)
print(len(loader))


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 4))

    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))


model = NeuralNetwork()
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)


def train_loop(dataloader, model, loss_fn, optimizer, batch_size):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 2 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y.argmax(1)).item()
            correct += (pred.argmax(1) == y.argmax(1)).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    # 4 decimals, not the tutorial's 6: float32 matmuls differ from PyTorch's CPU GEMM by an ulp
    # (docs/differences.md), which shows in the 7th digit of this mean
    print(f"Test Error: \n Accuracy: {(100 * correct):>0.1f}%, Avg loss: {test_loss:>.4f} \n")


for t in range(2):
    print(f"Epoch {t + 1}\n-------------------------------")
    train_loop(loader, model, loss_fn, optimizer, 6)
    test_loop(DataLoader(ds, batch_size=7), model, loss_fn)
print("Done!")


# the "Data loading in PyTorch" recipe: a yesno-like dataset of (waveform, sample_rate, labels)
class YesNo(Dataset):
    def __init__(self, n=6):
        g = torch.Generator().manual_seed(2)
        self.items = []
        for i in range(n):
            waveform = torch.rand(1, 10, generator=g) * 2 - 1
            labels = torch.randint(0, 2, (8,), generator=g).tolist()
            self.items.append((waveform, 8000, labels))

    def __getitem__(self, n):
        return self.items[n]

    def __len__(self):
        return len(self.items)


yesno_data = YesNo()
n = 3
waveform, sample_rate, labels = yesno_data[n]
print("Waveform: {}\nSample rate: {}\nLabels: {}".format(waveform, sample_rate, labels))
data_loader = DataLoader(yesno_data, batch_size=1, shuffle=True)
for data in data_loader:
    print("Data: ", data)
    print("Waveform: {}\nSample rate: {}\nLabels: {}".format(data[0], data[1], data[2]))
    break
print(len(data_loader), [d[0].shape for d in DataLoader(yesno_data, batch_size=4)])
