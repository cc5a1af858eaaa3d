# Samplers as the torch.utils.data docs and tutorials use them: WeightedRandomSampler for
# class imbalance, BatchSampler, SubsetRandomSampler with a generator (train/valid split),
# RandomSampler with replacement, DistributedSampler with explicit replicas/rank and
# set_epoch, random_split with fractions, and generator-seeded shuffle orders.
import numpy as np
import torch
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    DistributedSampler,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    random_split,
)

torch.manual_seed(0)

# class-imbalance recipe: weight each sample by the inverse frequency of its class
targets = torch.tensor([0] * 8 + [1] * 2)
class_count = torch.bincount(targets)
class_weights = 1.0 / class_count.float()
sample_weights = class_weights[targets]
print(class_count, class_weights, sample_weights.dtype)
sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)
print(sampler.weights.dtype, sampler.num_samples, sampler.replacement, len(sampler))
data = TensorDataset(torch.arange(10.0).unsqueeze(1), targets)
loader = DataLoader(data, batch_size=5, sampler=sampler)
for epoch in range(2):
    for x, y in loader:
        print(epoch, x.view(-1).tolist(), y.tolist())
print(list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, replacement=True)))
print(list(WeightedRandomSampler([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, replacement=False)))
g = torch.Generator().manual_seed(3)
print(list(WeightedRandomSampler(np.array([1.0, 2.0, 3.0]), 6, generator=g)))

# BatchSampler over the docs' examples
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False)))
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=True)))
print(len(BatchSampler(range(10), 3, False)), len(BatchSampler(range(10), 3, True)))
print(
    list(
        BatchSampler(RandomSampler(range(7), generator=torch.Generator().manual_seed(0)), 3, False)
    )
)

# train/validation split with SubsetRandomSampler (the classic CIFAR recipe)
num_train = 20
indices = list(range(num_train))
split = int(np.floor(0.2 * num_train))
np.random.seed(42)
np.random.shuffle(indices)
train_idx, valid_idx = indices[split:], indices[:split]
g = torch.Generator()
g.manual_seed(0)
train_sampler = SubsetRandomSampler(train_idx, generator=g)
valid_sampler = SubsetRandomSampler(valid_idx)
ds = TensorDataset(torch.arange(num_train))
train_loader = DataLoader(ds, batch_size=4, sampler=train_sampler)
valid_loader = DataLoader(ds, batch_size=4, sampler=valid_sampler)
print(len(train_loader), len(valid_loader), len(train_sampler))
print([b[0].tolist() for b in train_loader])
print([b[0].tolist() for b in train_loader])
print([b[0].tolist() for b in valid_loader])

# RandomSampler: replacement, num_samples, generator
print(list(RandomSampler(range(5), replacement=True, num_samples=8)))
print(list(RandomSampler(range(4), num_samples=10)))
print(list(RandomSampler(range(6), generator=torch.Generator().manual_seed(7))))
print(len(RandomSampler(range(6), num_samples=3)), RandomSampler(range(6)).num_samples)

# DistributedSampler without a process group: explicit num_replicas and rank
dset = list(range(11))
for shuffle in (False, True):
    for rank in range(3):
        s = DistributedSampler(dset, num_replicas=3, rank=rank, shuffle=shuffle, seed=1)
        print(shuffle, rank, len(s), s.total_size, list(s))
s = DistributedSampler(dset, num_replicas=3, rank=1, drop_last=True)
print(len(s), list(s))
s = DistributedSampler(dset, num_replicas=2, rank=0)
for epoch in range(3):
    s.set_epoch(epoch)
    print(epoch, s.epoch, list(s))
loader = DataLoader(dset, batch_size=2, sampler=DistributedSampler(dset, num_replicas=4, rank=3))
print(len(loader), [b.tolist() for b in loader])

# random_split with lengths and with fractions; a seeded generator fixes the split
generator1 = torch.Generator().manual_seed(42)
generator2 = torch.Generator().manual_seed(42)
a = random_split(range(10), [3, 7], generator=generator1)
b = random_split(range(10), [0.3, 0.7], generator=generator2)
print([list(s) for s in a], [list(s) for s in b])
parts = random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))
print([len(p) for p in parts], [p.indices for p in parts])
parts = random_split(range(11), [0.5, 0.25, 0.25], generator=torch.Generator().manual_seed(0))
print([len(p) for p in parts], parts[0].indices, type(parts[0].indices).__name__)
torch.manual_seed(5)
print([p.indices for p in random_split(TensorDataset(torch.arange(6)), [4, 2])])

# shuffle orders: the global seed, and a loader generator
torch.manual_seed(0)
print([b.tolist() for b in DataLoader(range(10), batch_size=4, shuffle=True)])
print([b.tolist() for b in DataLoader(range(10), batch_size=4, shuffle=True)])
loader = DataLoader(
    range(10), batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(42)
)
print([b.tolist() for b in loader], [b.tolist() for b in loader])
print(type(loader.sampler).__name__, loader.sampler.generator is loader.generator)
torch.manual_seed(0)
print(torch.rand(1))  # the global stream after the shuffles above
