# Datasets & DataLoaders, Transforms, Zeroing out gradients (condensed tutorials).
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    random_split,
)
from torch.utils.data.dataloader import default_collate


class Lambda:
    """torchvision.transforms.Lambda (torchvision is not importable next to this torch)."""

    def __init__(self, lambd):
        self.lambd = lambd

    def __call__(self, x):
        return self.lambd(x)


class CustomImageDataset(Dataset):
    def __init__(self, n=10, transform=None, target_transform=None):
        self.images = np.arange(n * 4, dtype=np.float32).reshape(n, 2, 2) / 10
        self.labels = [i % 10 for i in range(n)]
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        image = torch.from_numpy(self.images[idx])
        label = self.labels[idx]
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


one_hot = Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1))
ds = CustomImageDataset(transform=Lambda(lambda x: x * 2), target_transform=one_hot)
print(len(ds))
img, label = ds[3]
print(img, label)

loader = DataLoader(ds, batch_size=4, shuffle=False)
print(len(loader))
for i, (x, y) in enumerate(loader):
    print(i, x.shape, x.dtype, y.shape, y.argmax(1))
train_features, train_labels = next(iter(loader))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
print(train_features[0].squeeze(), train_labels[0])

loader = DataLoader(CustomImageDataset(), batch_size=4, drop_last=True)
print(len(loader), [y.tolist() for _, y in loader])
print([y for _, y in DataLoader(CustomImageDataset(), batch_size=None)][:3])


class DictDataset(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {
            "x": np.array([i, i + 1], dtype=np.float64),
            "y": i * 0.5,
            "id": i,
            "name": f"s{i}",
            "pair": (i, torch.tensor([i, -i])),
            "flag": i % 2 == 0,
        }


for batch in DataLoader(DictDataset(), batch_size=3):
    print(batch)

print(default_collate([1, 2, 3]), default_collate([1.5, 2.5]), default_collate([True, False]))
print(default_collate([(1, "a"), (2, "b")]))
print(default_collate([np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)]))
print(default_collate([np.float32(1.0), np.float32(2.0)]), default_collate([np.int64(3)]))
print(default_collate([{"a": torch.ones(2)}, {"a": torch.zeros(2)}]))
print(default_collate([[1, 2], [3, 4]]))


def pad_collate(batch):
    xs = [torch.tensor(b) for b in batch]
    n = max(len(x) for x in xs)
    out = torch.zeros(len(xs), n, dtype=torch.long)
    for i, x in enumerate(xs):
        out[i, : len(x)] = x
    return out, torch.tensor([len(x) for x in xs])


seqs = [[1], [2, 3], [4, 5, 6], [7, 8], [9]]
for padded, lengths in DataLoader(seqs, batch_size=2, collate_fn=pad_collate):
    print(padded, lengths)

# TensorDataset, random_split with a generator, Subset, ConcatDataset
X = torch.arange(20, dtype=torch.float32).reshape(10, 2)
Y = torch.arange(10) % 3
tds = TensorDataset(X, Y)
print(len(tds), tds[2], tds.tensors[1])
train, val = random_split(tds, [8, 2], generator=torch.Generator().manual_seed(42))
print(type(train).__name__, len(train), len(val), type(train.indices).__name__, len(train.indices))
parts = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(0))
print([len(p) for p in parts], sorted(i for p in parts for i in p))
sub = Subset(tds, [0, 2, 4])
print(len(sub), sub[1], sub.indices)
cat = ConcatDataset([sub, Subset(tds, [9])])
print(len(cat), cat[3], cat.cumulative_sizes)
print(len(ConcatDataset([tds, tds])), (tds + sub)[11])
for xb, yb in DataLoader(cat, batch_size=2):
    print(xb, yb)

# samplers
print(list(SequentialSampler(range(4))), len(RandomSampler(range(7))))
print(
    sorted(RandomSampler(range(5))), len(RandomSampler(range(5), replacement=True, num_samples=9))
)
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(BatchSampler(range(7), batch_size=3, drop_last=True)))
bs = DataLoader(
    tds, batch_sampler=BatchSampler(SequentialSampler(tds), batch_size=4, drop_last=False)
)
print(len(bs), [yb.tolist() for _, yb in bs])
sl = DataLoader(tds, sampler=[9, 0, 5], batch_size=2)
print(len(sl), [xb[:, 0].tolist() for xb, _ in sl])
shuffled = DataLoader(tds, batch_size=3, shuffle=True, generator=torch.Generator().manual_seed(1))
print(
    len(shuffled),
    sorted(int(v) for _, yb in shuffled for v in yb),
    sum(len(b[0]) for b in shuffled),
)
print(isinstance(loader.dataset, Dataset), loader.batch_size, loader.drop_last)


class Squares(torch.utils.data.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(i * i for i in range(self.n))


print(list(DataLoader(Squares(7), batch_size=3)))

# Zeroing out gradients
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
rng = np.random.default_rng(0)
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.from_numpy(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
data = torch.from_numpy(np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4))
tgt = torch.tensor([0, 1, 1, 0, 1, 0])
crit = nn.CrossEntropyLoss()
for epoch in range(2):
    running = 0.0
    for i in range(0, 6, 2):
        opt.zero_grad()
        out = net(data[i : i + 2])
        loss = crit(out, tgt[i : i + 2])
        loss.backward()
        opt.step()
        running += loss.item()
    print(f"[{epoch + 1}] loss: {running / 3:.4f}")
print(net[0].weight.grad.round(decimals=4))
opt.zero_grad()
print(net[0].weight.grad)
loss = crit(net(data), tgt)
loss.backward()
opt.zero_grad(set_to_none=False)
print(net[2].bias.grad)
net.zero_grad()
print(net[2].bias.grad)
