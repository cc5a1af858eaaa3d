# The errors PyTorch raises for common data-pipeline mistakes, printed as a tutorial reader
# would see them (type and first line of the message).
import os
import pickle
import tempfile

import numpy as np
import torch
from PIL import Image
from torch.utils.data import (
    BatchSampler,
    ChainDataset,
    ConcatDataset,
    DataLoader,
    Dataset,
    DistributedSampler,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    StackDataset,
    Subset,
    TensorDataset,
    WeightedRandomSampler,
    random_split,
)


def show(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001
        print(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    else:
        print("ok:", out)


class Squares(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i >= 6:
            raise IndexError(f"index {i} out of range")
        return i * i


class Endless(IterableDataset):
    def __iter__(self):
        return iter(range(5))


ds = Squares()
show(lambda: DataLoader(ds, shuffle=True, sampler=SequentialSampler(ds)))
show(lambda: DataLoader(ds, batch_size=2, batch_sampler=BatchSampler(range(6), 2, False)))
show(lambda: DataLoader(ds, shuffle=True, batch_sampler=[[0, 1]]))
show(lambda: DataLoader(ds, batch_size=None, drop_last=True))
show(lambda: DataLoader(ds, num_workers=-1))
show(lambda: DataLoader(ds, prefetch_factor=2))
show(lambda: DataLoader(ds, persistent_workers=True))
show(lambda: DataLoader(ds, timeout=-1))
show(lambda: next(iter(DataLoader(ds, timeout=1))))
show(lambda: DataLoader(ds, num_workers=1, prefetch_factor=-1))
show(lambda: DataLoader(Endless(), shuffle=True))
show(lambda: DataLoader(Endless(), sampler=[0, 1]))
show(lambda: DataLoader(Endless(), batch_sampler=[[0]]))
show(lambda: DataLoader(ds, multiprocessing_context="spawn"))
show(lambda: DataLoader(ds, num_workers=1, multiprocessing_context="nope"))
show(lambda: DataLoader(ds, batch_size=0))
show(lambda: DataLoader(ds, batch_size=2.0))
show(lambda: len(DataLoader(Endless())))
show(lambda: len(DataLoader(Endless(), batch_size=2)))
show(lambda: len(Dataset()))
show(lambda: Dataset()[0])
show(lambda: list(iter(IterableDataset())))
loader = DataLoader(ds, batch_size=4)
show(lambda: setattr(loader, "batch_size", 8))
show(lambda: setattr(loader, "sampler", None))
show(lambda: setattr(loader, "drop_last", True))
loader.num_workers = 0
print(loader.num_workers)
it = iter(loader)
show(lambda: pickle.dumps(it))
print([b.tolist() for b in it])
show(lambda: next(it))

show(lambda: BatchSampler(range(4), batch_size=0, drop_last=False))
show(lambda: BatchSampler(range(4), batch_size=True, drop_last=False))
show(lambda: BatchSampler(range(4), batch_size=2, drop_last=1))
show(lambda: RandomSampler(ds, num_samples=0))
show(lambda: RandomSampler(ds, replacement=1))
show(lambda: RandomSampler([], num_samples=None))
show(lambda: WeightedRandomSampler([0.5, 0.5], num_samples=0))
show(lambda: WeightedRandomSampler([0.5, 0.5], num_samples=2, replacement="yes"))
show(lambda: WeightedRandomSampler([[0.5, 0.5]], num_samples=2))
show(lambda: list(WeightedRandomSampler([0.5, -0.5], num_samples=2)))
show(lambda: list(WeightedRandomSampler([0.0, 0.0], num_samples=2)))
show(lambda: list(WeightedRandomSampler([0.5, 0.5], num_samples=3, replacement=False)))
show(lambda: list(WeightedRandomSampler([1.0, 0.0, 0.0], num_samples=2, replacement=False)))
show(lambda: list(WeightedRandomSampler([1.0, float("nan")], num_samples=2)))
show(lambda: list(WeightedRandomSampler([1.0, float("inf")], num_samples=2)))

show(lambda: random_split(range(10), [3, 3]))
show(lambda: random_split(range(10), [0.5, 0.6]))
show(lambda: random_split(range(10), [1.5, -0.5]))
show(lambda: [len(p) for p in random_split(range(3), [0.5, 0.5, 0.0])])
show(lambda: [len(p) for p in random_split(range(10), [0.1] * 10)])
show(lambda: TensorDataset(torch.zeros(3), torch.zeros(4)))
show(lambda: TensorDataset(torch.zeros(3, 2))[3])
show(lambda: TensorDataset(torch.zeros(3, 2))[-4])
show(lambda: Subset(ds, [0, 9])[1])
show(lambda: Subset(ds, [0, 1])[2])
show(lambda: ConcatDataset([]))
show(lambda: ConcatDataset([ds, Endless()]))
show(lambda: ConcatDataset([ds, ds])[-13])
show(lambda: ConcatDataset([ds, ds])[12])
show(lambda: list(ChainDataset([Endless(), ds])))
show(lambda: StackDataset(ds, Squares(), x=ds))
show(lambda: StackDataset())
show(lambda: StackDataset(ds, range(3)))
show(lambda: DistributedSampler(ds))
show(lambda: DistributedSampler(ds, num_replicas=2))
show(lambda: DistributedSampler(ds, num_replicas=2, rank=2))
show(lambda: DistributedSampler(ds, num_replicas=2, rank=-1))


# the classic mistake: forgetting to convert PIL images to tensors
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "img.png")
Image.fromarray(np.zeros((4, 4, 3), dtype=np.uint8)).save(path)


class Images(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        return Image.open(path), i


show(lambda: next(iter(DataLoader(Images(), batch_size=2))))
show(lambda: type(next(iter(DataLoader(Images(), batch_size=None)))[0]).__name__)


class Broken(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 2:
            raise ValueError(f"corrupt file #{i}")
        return i


show(lambda: [b.tolist() for b in DataLoader(Broken(), batch_size=2)])
show(lambda: [b.tolist() for b in DataLoader(Broken(), batch_size=2, num_workers=1)])
show(lambda: [b.tolist() for b in DataLoader(Broken(), batch_size=2, num_workers=2)])


class KeyErr(Dataset):
    def __len__(self):
        return 1

    def __getitem__(self, i):
        return {}["missing"]


show(lambda: list(DataLoader(KeyErr(), num_workers=1)))
show(lambda: list(DataLoader(ds, batch_size=2, collate_fn=lambda b: b[5])))
show(lambda: list(DataLoader(ds, num_workers=1, worker_init_fn=lambda i: 1 / 0)))
