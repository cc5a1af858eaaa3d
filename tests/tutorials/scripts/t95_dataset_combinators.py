# Dataset building blocks: TensorDataset indexing (ints, slices, tensors, lists), Subset,
# ConcatDataset (and +), ChainDataset, StackDataset, and loaders over each, with len().
import torch
from torch.utils.data import (
    ChainDataset,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
)

x = torch.arange(24, dtype=torch.float32).view(8, 3)
y = torch.tensor([0, 1, 0, 1, 1, 0, 1, 0])
ds = TensorDataset(x, y)
print(len(ds), len(ds.tensors), ds.tensors[0].shape)
print(ds[0])
print(ds[-1])
print(ds[2:4])
print(ds[torch.tensor([1, 3])])
print(ds[[0, 5]])
print(ds[torch.tensor(6)])
xb, yb = ds[1:6:2]
print(xb.shape, yb.dtype, yb)
x[0, 0] = 100.0  # TensorDataset holds the tensors themselves
print(ds[0][0], ds.tensors[0] is x)
ds1 = TensorDataset(torch.arange(4))
print(ds1[2], type(ds1[2]).__name__, len(ds1[2]))

sub = Subset(ds, [7, 0, 3])
print(len(sub), sub[0], sub.indices, sub.dataset is ds)
print(sub[[0, 2]])
sub_of_sub = Subset(sub, [2, 1])
print(sub_of_sub[0], len(sub_of_sub))
print(next(iter(DataLoader(sub, batch_size=3))))
print(Subset(ds, torch.tensor([1, 2]))[1])
print(Subset(range(10), range(2, 8, 2))[1], len(Subset(range(10), range(2, 8, 2))))


class Letters(Dataset):
    def __init__(self, s):
        self.s = s

    def __len__(self):
        return len(self.s)

    def __getitem__(self, i):
        return self.s[i]


cat = ConcatDataset([Letters("abc"), Letters("de"), Letters("fghi")])
print(len(cat), cat.cumulative_sizes, [cat[i] for i in range(len(cat))], cat[-1], cat[-9])
print(len(Letters("ab") + Letters("cd") + Letters("e")), (Letters("ab") + Letters("cd"))[3])
print(type(Letters("ab") + Letters("c")).__name__)
print(list(DataLoader(cat, batch_size=4)))
print(len(DataLoader(cat, batch_size=4)), len(DataLoader(cat, batch_size=4, drop_last=True)))
print(ConcatDataset.cumsum([Letters("ab"), Letters("cde")]))
print(list(DataLoader(ConcatDataset([ds, sub]), batch_size=5))[-1])


class Stream(IterableDataset):
    def __init__(self, start, n):
        self.start, self.n = start, n

    def __iter__(self):
        return iter(range(self.start, self.start + self.n))

    def __len__(self):
        return self.n


chain = ChainDataset([Stream(0, 3), Stream(10, 2)])
print(list(chain), len(chain))
print(list(DataLoader(chain, batch_size=2)), len(DataLoader(chain, batch_size=2)))
print(list(Stream(0, 2) + Stream(5, 2)), type(Stream(0, 1) + Stream(1, 1)).__name__)
print(list(DataLoader(Stream(0, 5), batch_size=2, drop_last=True)))
print(len(DataLoader(Stream(0, 5), batch_size=2, drop_last=True)), len(DataLoader(Stream(0, 5))))

images = TensorDataset(torch.rand(4, 2))
texts = Letters(["w", "x", "y", "z"])
stack = StackDataset(images, texts)
print(len(stack), type(stack[1]).__name__, stack[1][1], stack[1][0][0].shape)
kw = StackDataset(image=images, text=texts)
print(sorted(kw[2]), kw[2]["text"], len(kw))
for batch in DataLoader(kw, batch_size=3):
    print(batch["image"][0].shape, batch["text"])
for batch in DataLoader(stack, batch_size=3):
    print(type(batch).__name__, len(batch), batch[1])


# a map-style Dataset with __getitems__: the loader asks for the whole batch at once
class Batched(Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return i * 10

    def __getitems__(self, indices):
        print("getitems", indices)
        return [i * 10 for i in indices]


print(list(DataLoader(Batched(), batch_size=3)))
print(list(DataLoader(Subset(Batched(), [6, 5, 4]), batch_size=2)))
print(list(DataLoader(Batched(), batch_size=None))[:3])
