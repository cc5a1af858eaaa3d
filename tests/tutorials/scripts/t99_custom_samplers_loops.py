# ruff: noqa: B007  (tutorial code, kept as the tutorials write it)
# Custom Sampler / batch_sampler classes (bucketing by length), the "What is torch.nn really?"
# loaders (TensorDataset, get_data, WrappedDataLoader), abandoned epochs, iterator reuse and
# loaders built from plain Python samplers.
import numpy as np
import torch
from torch import nn, optim
from torch.utils.data import BatchSampler, DataLoader, Sampler, TensorDataset


class BucketBatchSampler(Sampler):
    """Batches of indices whose sequences have similar lengths, shuffled each epoch."""

    def __init__(self, lengths, batch_size, generator=None):
        self.lengths = lengths
        self.batch_size = batch_size
        self.generator = generator

    def __iter__(self):
        order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        for j in torch.randperm(len(batches), generator=self.generator).tolist():
            yield batches[j]

    def __len__(self):
        return (len(self.lengths) + self.batch_size - 1) // self.batch_size


rng = np.random.default_rng(0)
seqs = [rng.integers(1, 50, size=n).tolist() for n in [5, 2, 7, 3, 2, 6, 4, 1, 5]]
lengths = [len(s) for s in seqs]


def pad_batch(batch):
    longest = max(len(s) for s in batch)
    out = torch.zeros(len(batch), longest, dtype=torch.long)
    for i, s in enumerate(batch):
        out[i, : len(s)] = torch.tensor(s)
    return out, torch.tensor([len(s) for s in batch])


g = torch.Generator().manual_seed(0)
loader = DataLoader(
    seqs, batch_sampler=BucketBatchSampler(lengths, 3, generator=g), collate_fn=pad_batch
)
print(len(loader), loader.batch_size, loader.drop_last, type(loader.sampler).__name__)
for epoch in range(2):
    for padded, lens in loader:
        print(epoch, padded.shape, lens.tolist())


class EveryOther(Sampler[int]):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        yield from range(0, self.n, 2)
        yield from range(1, self.n, 2)

    def __len__(self):
        return self.n


print([b.tolist() for b in DataLoader(range(7), batch_size=3, sampler=EveryOther(7))])
print([b.tolist() for b in DataLoader(range(7), batch_size=3, sampler=range(6, -1, -2))])
print([b.tolist() for b in DataLoader(range(7), batch_sampler=[[0, 6], [3], [1, 2, 4]])])
print(len(DataLoader(range(7), batch_sampler=BatchSampler(EveryOther(7), 2, drop_last=True))))
print(list(BatchSampler(EveryOther(5), 2, drop_last=False)))

# "What is torch.nn really?": TensorDataset, get_data, WrappedDataLoader, fit
torch.manual_seed(0)
x_train = torch.randn(40, 6)
y_train = (x_train[:, 0] > 0).long()
x_valid = torch.randn(20, 6)
y_valid = (x_valid[:, 0] > 0).long()
bs = 8
train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)


def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )


def preprocess(x, y):
    return x.view(-1, 2, 3), y


class WrappedDataLoader:
    def __init__(self, dl, func):
        self.dl = dl
        self.func = func

    def __len__(self):
        return len(self.dl)

    def __iter__(self):
        for b in self.dl:
            yield (self.func(*b))


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
train_dl = WrappedDataLoader(train_dl, preprocess)
valid_dl = WrappedDataLoader(valid_dl, preprocess)
print(len(train_dl), len(valid_dl), next(iter(train_dl))[0].shape)
model = nn.Sequential(nn.Flatten(), nn.Linear(6, 2))
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_func = nn.functional.cross_entropy


def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)
    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()
    return loss.item(), len(xb)


for epoch in range(3):
    model.train()
    for xb, yb in train_dl:
        loss_batch(model, loss_func, xb, yb, opt)
    model.eval()
    with torch.no_grad():
        losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
    val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)
    print(epoch, f"{val_loss:.4f}", nums)

# abandoned epochs and iterator reuse
loader = DataLoader(
    range(10), batch_size=3, shuffle=True, generator=torch.Generator().manual_seed(5)
)
it = iter(loader)
print(len(it), next(it).tolist())
for b in loader:
    print("full", b.tolist())
print("resumed", [b.tolist() for b in it])
print([b.tolist() for b in it], next(iter(loader)).tolist())
for i, b in enumerate(DataLoader(range(5), batch_size=2), 1):
    print(i, b)
workers = DataLoader(range(9), batch_size=2, num_workers=2)
for i, b in enumerate(workers):
    if i == 1:
        break
print("broke at", b.tolist(), [b.tolist() for b in workers])
