import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

print(
    torch.get_default_dtype(), torch.float32, torch.int64, torch.bool, torch.float16, torch.bfloat16
)
print(torch.finfo(torch.float32), torch.iinfo(torch.int32))
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float16).max, torch.iinfo(torch.int64).max)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print(
    x.type(),
    x.long().type(),
    x.type(torch.IntTensor),
    x.element_size(),
    x.nbytes if hasattr(x, "nbytes") else "",
)
print(
    torch.Tensor([1, 2]),
    torch.FloatTensor([1.5]),
    torch.LongTensor([3, 4]),
    torch.Tensor(2, 3).shape,
)
print(x.device, x.is_cuda, x.requires_grad, x.grad, x.is_leaf, x.grad_fn)
print(torch.Size([2, 3]), torch.Size([2, 3]).numel(), x.shape[-1], tuple(x.shape), list(x.size()))
torch.set_printoptions(precision=2)
print(x / 3)
torch.set_printoptions(precision=4)
torch.set_printoptions(sci_mode=False)
print(torch.tensor([1e-6, 1e6]))
torch.set_printoptions(profile="default")
print(torch.tensor([1e-6, 1e6]))
print(torch.einsum("ij,jk->ik", x, x), torch.bmm(x[None], x[None]).shape)
print(F.one_hot(torch.tensor([0, 2, 1]), num_classes=3))
print(F.one_hot(torch.tensor([0, 2, 1])))
print(F.pad(x, (1, 1)), F.pad(x, (0, 1, 1, 0), value=-1.0))
emb = nn.Embedding(10, 3, padding_idx=0)
print(
    emb,
    nn.Dropout(p=0.2),
    nn.BatchNorm2d(4),
    nn.LayerNorm(8),
    nn.MaxPool2d(2),
    nn.Conv1d(2, 4, 3, bias=False),
)
print(
    nn.LeakyReLU(0.1),
    nn.Softmax(dim=-1),
    nn.LogSoftmax(1),
    nn.GELU(),
    nn.Tanh(),
    nn.Identity(),
    nn.Upsample(scale_factor=2),
)
print(nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16))
print(nn.MultiheadAttention(8, 2))
print(nn.ModuleList([nn.Linear(2, 2), nn.ReLU()]))
print(nn.ModuleDict({"a": nn.Linear(2, 2)}), nn.ParameterList([nn.Parameter(torch.ones(2))]))
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
for name, m in seq.named_modules():
    print(repr(name), type(m).__name__)
for name, m in seq.named_children():
    print(name, m)
with torch.no_grad():
    for p in seq.parameters():
        p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) / 10)
print(seq.state_dict())
print(seq[0].weight)
print(nn.Parameter(torch.ones(2)))
opt = torch.optim.SGD(seq.parameters(), lr=0.1, momentum=0.9)
seq(torch.ones(4, 2)).sum().backward()
opt.step()
print(opt.state_dict())
opt2 = torch.optim.Adam(seq.parameters(), lr=0.01)
seq(torch.ones(4, 2)).sum().backward()
opt2.step()
print(opt2.state_dict()["state"][0])
print(opt2)


@torch.no_grad()
def evaluate(t):
    return (t * 2).requires_grad


w = torch.ones(3, requires_grad=True)
print(evaluate(w))
with torch.inference_mode():
    print((w * 2).requires_grad)
y = (w * 3).sum()
print(y.grad_fn.name(), type(y.grad_fn).__name__)
g = torch.autograd.grad(y, w)
print(g)
h = w.register_hook(lambda grad: print("hook", grad))
(w * w).sum().backward()
h.remove()
print(w.grad)
print(torch.autograd.functional.jacobian(lambda t: t**2, torch.tensor([1.0, 2.0])))
t = torch.tensor([[1, 2], [3, 4]], dtype=torch.float32, requires_grad=True)
print(t.detach().numpy(), t.tolist(), t.sum().item())
print(
    torch.from_numpy(np.array([1, 2], dtype=np.int32)),
    torch.as_tensor([1.0, 2.0]),
    torch.tensor(np.float64(2.5)),
)
print(torch.zeros(2, 3).new_zeros(2), torch.empty(0), torch.zeros(3, dtype=torch.complex64))
print(x.mean(dim=(0, 1)), x.sum(-1).shape, x.numpy().dtype, torch.tensor([1, 2]).numpy().dtype)
print(torch.allclose(x, x + 1e-9), torch.equal(x, x), torch.isclose(x, x).all())
print(torch.tensor([3.7]).int(), torch.tensor([-3.7]).long(), torch.tensor([1, 0]).bool())
print(x.view(-1).shape, x[None, :, None].shape, x[..., None].shape, x[[0, 1], [1, 0]])
print(x[x > 2], x.nonzero(), torch.nonzero(x > 1, as_tuple=True))
print(
    torch.tensor(5) / torch.tensor(2),
    torch.tensor(5) // 2,
    7 / torch.tensor([2]),
    torch.tensor([2]) ** 2,
)
print(
    torch.randn(3).shape,
    torch.rand(2, 2).dtype,
    torch.randint(0, 10, (3,)).dtype,
    torch.randperm(4).sort().values,
)
print(torch.manual_seed(0), isinstance(torch.manual_seed(1), torch.Generator))
