# ruff: noqa: B007, E501, UP008  (tutorial code, kept as upstream writes it)
"""aladdinpersson/Machine-Learning-Collection ML/Pytorch/Basics, the small utility programs:
set_deterministic_behavior/pytorch_set_seeds.py (seed_everything), pytorch_init_weights.py (a CNN
whose initialize_weights walks self.modules() with kaiming_uniform_/constant_),
pytorch_loadsave.py (a checkpoint dict of model and Adam state_dicts through torch.save/torch.load
and load_state_dict), pytorch_lr_ratescheduler.py (ReduceLROnPlateau stepped with each epoch's
mean loss), pytorch_mixed_precision_example.py (torch.cuda.amp.GradScaler and autocast, which switch
themselves off on a machine without CUDA), pytorch_progress_bar.py (tqdm set_description /
set_postfix over a TensorDataset loader), pytorch_std_mean.py (per-channel mean/std over a loader
with torch.mean(data, dim=[0, 2, 3])) and Imbalanced_classes/main.py (class weights from
os.listdir of an ImageFolder-style directory, WeightedRandomSampler with replacement). Adapted:
seeded in-script datasets instead of MNIST/CIFAR10/the dog photos (the image folder holds small
tensors written with torch.save), a small CNN instead of torchvision's vgg16 for the checkpoint,
small channel counts, few epochs; upstream's `assert device == "cuda"` is printed instead;
ReduceLROnPlateau without verbose=True (removed from PyTorch)."""
import os
import random
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, Dataset, TensorDataset, WeightedRandomSampler
from tqdm import tqdm

warnings.simplefilter("ignore")  # the CUDA-less AMP warnings go to stderr; keep it quiet


# ---------------------------------------------------------------- pytorch_set_seeds.py
def seed_everything(seed=42):
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


seed_everything()
print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark, torch.initial_seed())


class MNIST(Dataset):
    """(1, 28, 28) float images in [0, 1] and int labels, as datasets.MNIST(transform=ToTensor())."""

    def __init__(self, train, n):
        g = torch.Generator().manual_seed(1 if train else 2)
        self.train = train
        self.targets = torch.randint(0, 10, (n,), generator=g)
        base = torch.rand(10, 28, 28, generator=g)
        self.data = (0.7 * base[self.targets] + 0.3 * torch.rand(n, 28, 28, generator=g)).unsqueeze(1)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return self.data[index], int(self.targets[index])


# ---------------------------------------------------------------- pytorch_init_weights.py
class CNN(nn.Module):
    def __init__(self, in_channels, num_classes):
        super(CNN, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=in_channels, out_channels=6, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        self.pool = nn.MaxPool2d(kernel_size=(2, 2), stride=(2, 2))
        self.conv2 = nn.Conv2d(in_channels=6, out_channels=16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        self.fc1 = nn.Linear(16 * 7 * 7, num_classes)
        self.initialize_weights()

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(x)
        x = F.relu(self.conv2(x))
        x = self.pool(x)
        x = x.reshape(x.shape[0], -1)
        x = self.fc1(x)
        return x

    def initialize_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_uniform_(m.weight)

                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)

            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

            elif isinstance(m, nn.Linear):
                nn.init.kaiming_uniform_(m.weight)
                nn.init.constant_(m.bias, 0)


model = CNN(in_channels=3, num_classes=10)
for param in model.parameters():
    print(param.shape, param.requires_grad, f"{param.abs().max().item():.4f}", f"{param.sum().item():.4f}")
print(model.conv1.bias)


# ---------------------------------------------------------------- pytorch_loadsave.py
def save_checkpoint(state, filename="my_checkpoint.pth.tar"):
    print("=> Saving checkpoint")
    torch.save(state, filename)


def load_checkpoint(checkpoint, model, optimizer):
    print("=> Loading checkpoint")
    model.load_state_dict(checkpoint["state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer"])


tmp = tempfile.TemporaryDirectory()
filename = os.path.join(tmp.name, "my_checkpoint.pth.tar")

model = CNN(in_channels=1, num_classes=10)
optimizer = optim.Adam(model.parameters())

checkpoint = {"state_dict": model.state_dict(), "optimizer": optimizer.state_dict()}
save_checkpoint(checkpoint, filename)

loaded = torch.load(filename)
print(list(loaded), list(loaded["state_dict"]))
print(loaded["optimizer"])
model2 = CNN(in_channels=1, num_classes=10)
print(torch.equal(model2.fc1.weight, model.fc1.weight))
load_checkpoint(loaded, model2, optimizer)
print(torch.equal(model2.fc1.weight, model.fc1.weight), model2.fc1.bias.abs().sum().item())

# ---------------------------------------------------------------- pytorch_lr_ratescheduler.py
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

num_classes = 10
learning_rate = 0.1
batch_size = 64
num_epochs = 8

model = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)).to(device)

train_dataset = MNIST(train=True, n=128)
train_loader = DataLoader(dataset=train_dataset, batch_size=batch_size, shuffle=True)

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=learning_rate)

scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.1, patience=1)

for epoch in range(1, num_epochs):
    losses = []

    for batch_idx, (data, targets) in enumerate(train_loader):
        data = data.reshape(data.shape[0], -1)
        data = data.to(device=device)
        targets = targets.to(device=device)

        scores = model(data)
        loss = criterion(scores, targets)

        losses.append(loss.item())

        loss.backward()

        optimizer.step()
        optimizer.zero_grad()

    mean_loss = sum(losses) / len(losses)

    scheduler.step(mean_loss)
    print(f'Cost at epoch {epoch} is {mean_loss:.4f}', scheduler.get_last_lr(), scheduler.num_bad_epochs)


def check_accuracy(loader, model):
    num_correct = 0
    num_samples = 0
    model.eval()

    with torch.no_grad():
        for x, y in loader:
            x = x.to(device=device)
            y = y.to(device=device)

            scores = model(x.reshape(x.shape[0], -1))
            _, predictions = scores.max(1)
            num_correct += (predictions == y).sum()
            num_samples += predictions.size(0)

        print(f'Got {num_correct} / {num_samples} with accuracy {float(num_correct)/float(num_samples)*100:.2f}')

    model.train()


check_accuracy(train_loader, model)
print(scheduler.state_dict()["best"] == min(scheduler.state_dict()["best"], 100), scheduler.cooldown_counter)

# ---------------------------------------------------------------- pytorch_mixed_precision_example.py
print(device == "cuda", torch.cuda.is_available())

model = CNN(in_channels=1, num_classes=10).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=3e-4)

scaler = torch.cuda.amp.GradScaler()
print(scaler.is_enabled(), scaler.get_scale())

for epoch in range(1):
    for batch_idx, (data, targets) in enumerate(train_loader):
        data = data.to(device=device)
        targets = targets.to(device=device)

        with torch.cuda.amp.autocast():
            scores = model(data)
            loss = criterion(scores, targets)
        print(scores.dtype, loss.dtype, f"{loss.item():.4f}")

        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
print(scaler.get_scale(), scaler.state_dict())

# ---------------------------------------------------------------- pytorch_progress_bar.py
x = torch.randn((16, 3, 32, 32))
y = torch.randint(low=0, high=10, size=(16, 1))
ds = TensorDataset(x, y)
loader = DataLoader(ds, batch_size=8)

model = nn.Sequential(
    nn.Conv2d(in_channels=3, out_channels=10, kernel_size=3, padding=1, stride=1),
    nn.Flatten(),
    nn.Linear(10 * 32 * 32, 10),
)

NUM_EPOCHS = 2
for epoch in range(NUM_EPOCHS):
    loop = tqdm(loader)
    for idx, (x, y) in enumerate(loop):
        scores = model(x)
        loop.set_description(f"Epoch [{epoch}/{NUM_EPOCHS}]")
        loop.set_postfix(loss=torch.rand(1).item(), acc=torch.rand(1).item())
    print(loop.desc, loop.postfix, scores.shape, y.shape, y.dtype)


# ---------------------------------------------------------------- pytorch_std_mean.py
class CIFAR10(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(3)
        self.data = torch.rand(n, 3, 32, 32, generator=g) * torch.tensor([0.9, 0.6, 0.3]).view(1, 3, 1, 1)
        self.targets = torch.randint(0, 10, (n,), generator=g).tolist()

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.data[index], self.targets[index]


train_set = CIFAR10(128)
train_loader = DataLoader(dataset=train_set, batch_size=64, shuffle=True)


def get_mean_std(loader):
    # var[X] = E[X**2] - E[X]**2
    channels_sum, channels_sqrd_sum, num_batches = 0, 0, 0

    for data, _ in tqdm(loader):
        channels_sum += torch.mean(data, dim=[0, 2, 3])
        channels_sqrd_sum += torch.mean(data ** 2, dim=[0, 2, 3])
        num_batches += 1

    mean = channels_sum / num_batches
    std = (channels_sqrd_sum / num_batches - mean ** 2) ** 0.5

    return mean, std


mean, std = get_mean_std(train_loader)
print(mean)
print(std)


# ---------------------------------------------------------------- Imbalanced_classes/main.py
class ImageFolder(Dataset):
    """datasets.ImageFolder's interface (classes, samples) over tensors saved with torch.save."""

    def __init__(self, root, transform=None):
        self.classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = [
            (os.path.join(root, c, f), self.class_to_idx[c]) for c in self.classes for f in sorted(os.listdir(os.path.join(root, c)))
        ]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, label = self.samples[index]
        img = torch.load(path)
        if self.transform is not None:
            img = self.transform(img)
        return img, label


root = os.path.join(tmp.name, "dataset")
for name, count in (("Golden retriever", 12), ("Swedish elkhound", 3)):
    os.makedirs(os.path.join(root, name))
    for i in range(count):
        torch.save(torch.rand(3, 8, 8), os.path.join(root, name, f"{i}.pt"))


def get_loader(root_dir, batch_size):
    def my_transforms(img):  # transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
        return F.interpolate(img.unsqueeze(0), size=(16, 16), mode="bilinear", align_corners=False).squeeze(0)

    dataset = ImageFolder(root=root_dir, transform=my_transforms)
    subdirectories = dataset.classes
    class_weights = []

    for subdir in subdirectories:
        files = os.listdir(os.path.join(root_dir, subdir))
        class_weights.append(1 / len(files))

    sample_weights = [0] * len(dataset)

    for idx, (data, label) in enumerate(dataset):
        class_weight = class_weights[label]
        sample_weights[idx] = class_weight

    sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)

    loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
    return loader


loader = get_loader(root_dir=root, batch_size=8)

num_retrievers = 0
num_elkhounds = 0
for epoch in range(10):
    for data, labels in loader:
        num_retrievers += torch.sum(labels == 0)
        num_elkhounds += torch.sum(labels == 1)

print(num_retrievers.item())
print(num_elkhounds.item())
print(data.shape, labels, list(loader.sampler)[:8])

tmp.cleanup()
