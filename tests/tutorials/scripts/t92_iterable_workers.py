# IterableDataset with worker splitting (the torch.utils.data docs' MyIterableDataset),
# worker_init_fn, seeds inside workers, persistent workers, prefetch_factor, pin_memory on CPU.
import math
import random

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info


class MyIterableDataset(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        assert end > start, "this example code only works with end >= start"
        self.start = start
        self.end = end

    def __iter__(self):
        worker_info = get_worker_info()
        if worker_info is None:  # single-process data loading, return the full iterator
            iter_start = self.start
            iter_end = self.end
        else:  # in a worker process: split workload
            per_worker = int(math.ceil((self.end - self.start) / float(worker_info.num_workers)))
            worker_id = worker_info.id
            iter_start = self.start + worker_id * per_worker
            iter_end = min(iter_start + per_worker, self.end)
        return iter(range(iter_start, iter_end))


ds = MyIterableDataset(start=3, end=7)
print(list(DataLoader(ds, num_workers=0)))
print(list(DataLoader(ds, num_workers=2)))
print(list(DataLoader(ds, num_workers=12 // 6)))
print(list(DataLoader(ds, batch_size=2, num_workers=2)))


def worker_init_fn(worker_id):
    worker_info = get_worker_info()
    dataset = worker_info.dataset  # the dataset copy in this worker process
    overall_start = dataset.start
    overall_end = dataset.end
    per_worker = int(math.ceil((overall_end - overall_start) / float(worker_info.num_workers)))
    dataset.start = overall_start + worker_id * per_worker
    dataset.end = min(dataset.start + per_worker, overall_end)


class Plain(IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))


print(list(DataLoader(Plain(3, 7), num_workers=2, worker_init_fn=worker_init_fn)))
print(list(DataLoader(Plain(3, 7), num_workers=2)))  # no splitting: every worker yields all
print(list(DataLoader(Plain(0, 5), batch_size=2, num_workers=2, drop_last=True)))


class SeedReport(IterableDataset):
    """Each worker reports its id, seed and what its RNGs draw first."""

    def __iter__(self):
        info = get_worker_info()
        yield {
            "id": info.id,
            "num_workers": info.num_workers,
            "seed_matches": info.seed == torch.initial_seed(),
            "torch": torch.rand(2),
            "numpy": np.random.randint(0, 1000, size=3),
            "python": random.randint(0, 1000),
            "dataset_is_copy": isinstance(info.dataset, SeedReport),
        }


torch.manual_seed(0)
for batch in DataLoader(SeedReport(), batch_size=None, num_workers=2):
    print(batch)

torch.manual_seed(0)
base = DataLoader(SeedReport(), batch_size=None, num_workers=2)
seeds_a = [b["torch"].tolist() for b in base]
seeds_b = [b["torch"].tolist() for b in base]  # a new epoch draws a new base seed
print(seeds_a != seeds_b, len(seeds_a))


def seed_worker(worker_id):
    # the "Reproducibility" note's recipe
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


class NumpyNoise(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        return i, np.random.rand(), random.random(), torch.randint(0, 100, (1,))


g = torch.Generator()
g.manual_seed(0)
loader = DataLoader(
    NumpyNoise(), batch_size=2, num_workers=2, worker_init_fn=seed_worker, generator=g, shuffle=True
)
for idx, a, b, c in loader:
    print(idx, a, b, c.view(-1))


# persistent workers keep their state between epochs; prefetch_factor; pin_memory on CPU
class Counting(Dataset):
    def __init__(self):
        self.calls = 0

    def __len__(self):
        return 6

    def __getitem__(self, i):
        self.calls += 1
        return torch.tensor([i, self.calls])


loader = DataLoader(
    Counting(), batch_size=3, num_workers=2, persistent_workers=True, prefetch_factor=4
)
print(loader.persistent_workers, loader.prefetch_factor, len(loader))
for epoch in range(3):
    print(epoch, [b[:, 1].tolist() for b in loader])
loader = DataLoader(Counting(), batch_size=3, num_workers=2)
for epoch in range(2):
    print(epoch, [b[:, 1].tolist() for b in loader])
print(DataLoader(range(4), num_workers=1).prefetch_factor, DataLoader(range(4)).prefetch_factor)

pinned = DataLoader(Counting(), batch_size=4, pin_memory=True)
for b in pinned:
    print(b.shape, b.is_pinned(), b.device)
pinned = DataLoader([{"x": torch.ones(2), "y": 1}], batch_size=1, pin_memory=True, num_workers=1)
print(next(iter(pinned)))
