# Worker processes as the torch.utils.data docs describe them: WorkerInfo inside a worker,
# torch.initial_seed() per worker (base_seed + id), the Reproducibility note's seed_worker,
# generator-driven base seeds, persistent workers across shuffled epochs, in_order=False,
# and the IterableDataset length warning.
import random
import warnings

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info


class WhoAmI(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        info = get_worker_info()
        return {
            "i": i,
            "worker": -1 if info is None else info.id,
            "seed": torch.initial_seed(),
            "info": repr(info).split(", dataset=")[0],
            "method": "main" if info is None else info.worker_method,
        }


torch.manual_seed(7)
for batch in DataLoader(WhoAmI(), batch_size=2):
    print(batch)
torch.manual_seed(123)
for batch in DataLoader(WhoAmI(), batch_size=2, num_workers=2):
    print(batch)
g = torch.Generator().manual_seed(99)
for batch in DataLoader(WhoAmI(), batch_size=2, num_workers=2, generator=g):
    print(batch["worker"].tolist(), batch["seed"].tolist())
print(g.initial_seed(), torch.initial_seed())


def seed_worker(worker_id):
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


class Augment(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return i, np.random.randint(0, 100), random.randint(0, 100), torch.randint(0, 100, ())


def epochs(**kw):
    g = torch.Generator()
    g.manual_seed(0)
    loader = DataLoader(Augment(), batch_size=3, shuffle=True, num_workers=2, generator=g, **kw)
    return [[[t.tolist() for t in b] for b in loader] for _ in range(2)]


print(epochs(worker_init_fn=seed_worker))
print(epochs(worker_init_fn=seed_worker) == epochs(worker_init_fn=seed_worker))
print(epochs())
print(epochs(persistent_workers=True))
print(epochs(persistent_workers=True, worker_init_fn=seed_worker))

# in_order=False may hand batches out as they come; the set of batches is the same
unordered = DataLoader(range(10), batch_size=2, num_workers=2, in_order=False)
print(sorted(b.tolist() for b in unordered), unordered.in_order)


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


loader = DataLoader(Stream(3), batch_size=None, num_workers=2)
print(len(loader))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print([int(x) for x in loader])
for w in caught:
    print(w.category.__name__, str(w.message).split(" was reported")[0].split(" object at")[0])
    print(str(w.message).split("was reported to be")[1].split("For multiprocessing")[0])
