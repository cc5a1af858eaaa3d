# DataLoader / default_collate corners and checkpoint extras (optimizer, scheduler, paths, files).
import collections
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import (
    ChainDataset,
    DataLoader,
    IterableDataset,
    StackDataset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    get_worker_info,
)

Pair = collections.namedtuple("Pair", "a b")
ds = [Pair(torch.tensor([i, i]), float(i)) for i in range(5)]
for b in DataLoader(ds, batch_size=2):
    print(b)
print(default_collate([Pair(1, "x"), Pair(2, "y")]))
print(default_collate([(np.array(1.5), torch.tensor(2))]))
print(default_collate([{"a": {"b": [1, 2]}}, {"a": {"b": [3, 4]}}]))
print(
    default_collate([torch.tensor(1.0), torch.tensor(2.0)]),
    default_collate([torch.ones(2, dtype=torch.int8)]),
)
print(
    default_collate([np.bool_(True), np.bool_(False)]),
    default_collate([np.array([1.5], dtype=np.float16)]),
)
print(default_collate([collections.OrderedDict(x=1)]))
dl = DataLoader(TensorDataset(torch.arange(10)), batch_size=3)
print(len(dl), list(dl)[-1], next(iter(dl)))
it = iter(dl)
print(next(it), next(it), len(it) if hasattr(it, "__len__") else "")
print(
    len(DataLoader(range(10), batch_size=4, drop_last=True)),
    list(DataLoader(range(5), batch_size=2)),
)
print(list(DataLoader(["a", "b", "c"], batch_size=2)), list(DataLoader([1.5, 2.5], batch_size=2)))
print(list(DataLoader([(1, 2), (3, 4)], batch_size=None)))
print(list(DataLoader(np.arange(4).reshape(2, 2), batch_size=2)))
print(
    list(DataLoader([np.float64(1.0)], batch_size=None)),
    list(DataLoader([np.arange(2)], batch_size=None)),
)
print(
    len(list(WeightedRandomSampler([0.1, 0.9], 5))),
    len(SubsetRandomSampler([1, 2, 3])),
    sorted(SubsetRandomSampler([4, 2, 3])),
)
sd = StackDataset(TensorDataset(torch.arange(3)), torch.arange(3) * 2)
print(sd[1], len(sd))
sd2 = StackDataset(x=torch.arange(3), y=[7, 8, 9])
print(sd2[2], list(DataLoader(sd2, batch_size=2)))


class It(IterableDataset):
    def __init__(self, s):
        self.s = s

    def __iter__(self):
        return iter(range(self.s, self.s + 3))


print(list(ChainDataset([It(0), It(10)])), list(DataLoader(It(0) + It(5), batch_size=4)))
print(get_worker_info())
print(torch.utils.data.dataloader.default_collate is default_collate)
dl = DataLoader(
    TensorDataset(torch.arange(6.0).reshape(3, 2), torch.tensor([0, 1, 0])), batch_size=2
)
for batch_idx, (data, target) in enumerate(dl):
    print(batch_idx, data, target, len(dl.dataset), data.requires_grad, data.is_leaf)
print(
    dl.sampler.__class__.__name__,
    dl.batch_sampler.__class__.__name__,
    dl.num_workers,
    dl.collate_fn.__name__,
)

# save/load extras
with tempfile.TemporaryDirectory() as tmp:
    p = os.path.join(tmp, "x.pth")
    lin = nn.Linear(2, 2)
    torch.save(lin.state_dict(), p)
    loaded = torch.load(p)
    print(
        type(loaded),
        list(loaded),
        loaded["weight"].requires_grad,
        hasattr(loaded, "_metadata"),
        loaded._metadata,
    )
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    torch.save(
        {
            "w": w,
            "p": nn.Parameter(torch.ones(2)),
            "n": None,
            "i": 3,
            "l": [1, (2, 3)],
            "s": torch.Size([2, 3]),
            "dt": torch.float16,
            "dev": torch.device("cpu"),
        },
        p,
    )
    print(torch.load(p))
    torch.save(torch.tensor(5), p)
    print(torch.load(p), torch.load(p, weights_only=True), os.path.getsize(p) > 0)
    torch.save({"np": np.arange(3)}, p)
    try:
        torch.load(p)
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0][:60])
    print(torch.load(p, weights_only=False))
    with open(p, "wb") as f:
        torch.save([1, 2], f)
    with open(p, "rb") as f:
        print(torch.load(f))
    from pathlib import Path

    torch.save({"a": 1}, Path(tmp) / "y.pt")
    print(torch.load(Path(tmp) / "y.pt"))
    opt = torch.optim.Adam(lin.parameters(), lr=0.1)
    lin(torch.ones(1, 2)).sum().backward()
    opt.step()
    s = opt.state_dict()
    print(s["state"][0]["step"], s["state"][0].keys(), s["param_groups"])
    torch.save(s, p)
    s2 = torch.load(p)
    opt2 = torch.optim.Adam(nn.Linear(2, 2).parameters())
    opt2.load_state_dict(s2)
    print(opt2.state_dict()["param_groups"][0]["lr"], opt2.state_dict()["state"][0]["step"], opt2)
    sched = torch.optim.lr_scheduler.StepLR(opt, 2, gamma=0.5)
    print(sched.state_dict())
    torch.save({"sched": sched.state_dict()}, p)
    print(torch.load(p)["sched"])
