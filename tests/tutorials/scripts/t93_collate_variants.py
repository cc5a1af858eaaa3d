# collate_fn variants as the "Data loading in PyTorch" recipe and the torch.utils.data docs use
# them: dicts, namedtuples, mixed tuples, strings, NumPy arrays, default_convert, a custom
# collate_fn, collate with a collate_fn_map, and PyTorch's errors for batches it cannot collate.
import collections

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, default_collate, default_convert
from torch.utils.data._utils.collate import collate, default_collate_fn_map

Point = collections.namedtuple("Point", ["x", "y", "tag"])


class Mixed(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return (
            torch.full((2,), float(i)),
            np.array([i, 2 * i], dtype=np.int16),
            i,
            i / 4,
            f"item{i}",
            {"mask": np.arange(3) < i, "w": np.float32(i) / 2},
            Point(i, -i, "p"),
        )


for batch in DataLoader(Mixed(), batch_size=2):
    t, a, n, f, s, d, p = batch
    print(type(batch).__name__, t, a, a.dtype, n, f, s, d, p, sep="\n  ")

print(default_convert(Mixed()[1]))
print(default_convert([np.arange(2), (np.float64(1.5), "x"), {"k": np.ones((1, 2))}]))
print(default_convert(Point(np.int32(3), np.arange(2.0), "t")))
print(default_convert(np.array(["a", "b"])), default_convert(b"raw"), default_convert(3))
print(list(DataLoader(Mixed(), batch_size=None))[0])
print(default_collate(["a", "b"]), default_collate([b"a", b"b"]))
print(default_collate([np.array(3.5), np.array(1.5)]))
print(default_collate([np.float16(1), np.float16(2)]).dtype, default_collate([np.uint8(4)]).dtype)
print(default_collate([np.zeros((2, 2), dtype=np.bool_)]).dtype)
print(default_collate([[1, 2.5], [3, 4.0]]))
print(default_collate([(torch.tensor([1.0]), 2), (torch.tensor([3.0]), 4)]))
print(default_collate([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]))
print(default_collate([Point(1, 2.0, "a"), Point(3, 4.0, "b")]))
print(default_collate([torch.tensor(1), torch.tensor(2)]).shape)
print(default_collate([torch.ones(2, dtype=torch.float16), torch.zeros(2, dtype=torch.float16)]))


# a custom collate_fn: pad variable-length sequences and keep the lengths
def collate_pad(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    padded = torch.nn.utils.rnn.pad_sequence(
        [torch.tensor(s) for s in seqs], batch_first=True, padding_value=-1
    )
    return padded, lengths, torch.tensor(labels)


data = [([1, 2, 3], 0), ([4], 1), ([5, 6], 0), ([7, 8, 9, 10], 1), ([11], 0)]
for padded, lengths, labels in DataLoader(data, batch_size=2, collate_fn=collate_pad):
    print(padded, lengths, labels)


# collate_fn that returns a custom batch class with pin_memory (the docs' SimpleCustomBatch)
class SimpleCustomBatch:
    def __init__(self, data):
        transposed_data = list(zip(*data))
        self.inp = torch.stack(transposed_data[0], 0)
        self.tgt = torch.stack(transposed_data[1], 0)

    def pin_memory(self):
        self.inp = self.inp.pin_memory()
        self.tgt = self.tgt.pin_memory()
        return self


def collate_wrapper(batch):
    return SimpleCustomBatch(batch)


inps = torch.arange(10 * 5, dtype=torch.float32).view(10, 5)
tgts = torch.arange(10 * 5, dtype=torch.float32).view(10, 5)
dataset = torch.utils.data.TensorDataset(inps, tgts)
loader = DataLoader(dataset, batch_size=2, collate_fn=collate_wrapper)
for batch_ndx, sample in enumerate(loader):
    print(batch_ndx, sample.inp.is_pinned(), sample.tgt[:, 0].tolist(), type(sample).__name__)


# extending default_collate through collate_fn_map (the docs' recipe)
class Custom:
    def __init__(self, v):
        self.v = v


def collate_custom_fn(batch, *, collate_fn_map=None):
    return sum(c.v for c in batch)


custom_map = {**default_collate_fn_map, Custom: collate_custom_fn}
print(collate([(Custom(1), 2.0), (Custom(5), 3.0)], collate_fn_map=custom_map))
print(collate([{"c": Custom(1)}, {"c": Custom(2)}], collate_fn_map=custom_map))
print(sorted(k.__name__ if isinstance(k, type) else str(k) for k in default_collate_fn_map)[:3])


def show_error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__ + ":", str(e).splitlines()[0])


show_error(lambda: default_collate([None, None]))
show_error(lambda: default_collate([(1, None), (2, None)]))
show_error(lambda: default_collate([object(), object()]))
show_error(lambda: default_collate([Custom(1)]))
show_error(lambda: default_collate([np.array(["a"]), np.array(["b"])]))
show_error(lambda: default_collate([np.array([object()])]))
show_error(lambda: default_collate([torch.ones(2), torch.ones(3)]))
show_error(lambda: default_collate([np.ones(2), np.ones(3)]))
show_error(lambda: default_collate([[1, 2], [3]]))
show_error(lambda: default_collate([{"a": 1}, {"b": 2}]))
show_error(lambda: default_collate([1, 2.5]))
show_error(lambda: default_collate([2.5, 1]))
show_error(lambda: default_collate([1, "a"]))
show_error(lambda: default_collate([]))
show_error(lambda: list(DataLoader([None, None], batch_size=2)))
show_error(lambda: list(DataLoader([{"a": None}], batch_size=1)))
show_error(lambda: list(DataLoader([torch.ones(2), torch.ones(3)], batch_size=2)))
print(list(DataLoader([None, None], batch_size=None)))
print(default_collate([1, True]), default_collate([True, 1]))
