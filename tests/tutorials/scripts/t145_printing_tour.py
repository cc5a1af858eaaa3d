"""A tour of what tutorials print: tensors of every dtype and shape, print options, Python values
taken from tensors, torch objects, module/optimizer reprs and the errors users meet."""

from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

print("== tensors")
for dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.int8,
              torch.uint8, torch.int32, torch.int64, torch.bool):
    x = torch.randn(2, 3) * 3
    x = (x.abs() if dtype == torch.uint8 else x).to(dtype)  # (negative floats to uint8 wrap per platform)
    print(dtype, x.shape, x.dtype)
    print(x)
print(torch.tensor(3.0), torch.tensor(7), torch.tensor([]), torch.zeros(2, 0, 3))
print(torch.arange(2000.0))
print(torch.randn(30, 40))
print(torch.tensor([1e-5, 1.0]), torch.tensor([1e8, 1.0]), torch.tensor([1.0, 2.0]))
print(torch.tensor([float("nan"), -0.0, float("inf"), -float("inf"), 2.5]))
print(torch.tensor([2**62, -(2**63)]))

print("== autograd suffixes")
w = torch.randn(3, requires_grad=True)
y = (w * 2).sum()
print(w, y, w * 2, w.exp(), w[1:], w.norm(), w.double())
y.backward()
print(w.grad, w.grad_fn, y.grad_fn.name())
print(nn.Parameter(torch.ones(2, 2)))

print("== print options")
torch.set_printoptions(precision=2, linewidth=50)
print(torch.randn(3, 12))
torch.set_printoptions(sci_mode=True)
print(torch.tensor([1.5, 2.0]))
torch.set_printoptions(profile="short")
print(torch.randn(40, 40))
torch.set_printoptions(profile="default")
print(torch.randn(3))

print("== Python values")
x = torch.tensor([0.1, 0.2, 1 / 3])
print(x.tolist(), x[0].item(), float(x[1]), f"{x[2]:.4f}", "{:.2f}".format(x.sum()))  # noqa: UP032 (str.format of a 0-d tensor)
print(format(x.mean().item(), ".4f"), f"{x}", str(torch.tensor(1.5)))
print(torch.tensor(0.1, dtype=torch.float64).item(), int(torch.tensor(3.9)))

print("== torch objects")
print(torch.Size([2, 3]), torch.ones(2, 3, 4).stride(), torch.ones(2, 3).t().stride())
print(torch.device("cpu"), repr(torch.device("cpu")), torch.float32, torch.long)
print(torch.finfo(torch.float32))
print(torch.iinfo(torch.int16))
print(torch.max(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), dim=1))
print(torch.sort(torch.tensor([3, 1, 2])))

print("== modules")
model = nn.Sequential(OrderedDict([
    ("conv", nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False, padding_mode="reflect")),
    ("bn", nn.BatchNorm2d(8, momentum=None)),
    ("act", nn.LeakyReLU(0.2, inplace=True)),
    ("pool", nn.MaxPool2d(3, stride=2, ceil_mode=True)),
    ("flat", nn.Flatten()),
    ("drop", nn.Dropout(0.3)),
    ("fc", nn.Linear(8, 2)),
]))
print(model)
print(nn.LSTM(4, 8, 2, batch_first=True, bidirectional=True, dropout=0.5))
print(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True))
print(nn.ModuleDict({"emb": nn.Embedding(10, 3, padding_idx=0), "norm": nn.LayerNorm(3, bias=False)}))
print(nn.ParameterList([nn.Parameter(torch.ones(3)), nn.Parameter(torch.ones(2, 2))]))
print(nn.ParameterDict({"w": nn.Parameter(torch.ones(3)), "b": nn.Parameter(torch.zeros(1))}))
print(nn.CrossEntropyLoss(label_smoothing=0.1), nn.Softmax(dim=1), nn.Upsample(scale_factor=2, mode="nearest"))

print("== optimizers")
opt = torch.optim.SGD([{"params": model.conv.parameters()}, {"params": model.fc.parameters(), "lr": 0.5}],
                      lr=0.1, momentum=0.9)
print(opt)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
opt.step()
sched.step()
print(sched.get_last_lr())

print("== errors")
attempts = [
    lambda: torch.ones(2, 3) @ torch.ones(2, 3),
    lambda: torch.ones(2, 3, 4) @ torch.ones(5, 6),
    lambda: nn.Linear(4, 3)(torch.ones(5)),
    lambda: torch.ones(2, 3) + torch.ones(3, 2),
    lambda: torch.ones(2, 3).t().view(6),
    lambda: torch.ones(3)[5],
    lambda: torch.ones(2, 3).sum(dim=2),
    lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([1.0, 2.0, 0.0])),
    lambda: (torch.ones(3, requires_grad=True) * 2).backward(),
    lambda: torch.tensor([1, 2], requires_grad=True),
    lambda: torch.ones(3, requires_grad=True).add_(1),
    lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]),
    lambda: nn.Conv2d(3, 8, 3)(torch.ones(1, 4, 8, 8)),
    lambda: nn.Linear(2, 2)(torch.ones(1, 2, dtype=torch.float64)),
    lambda: nn.Linear(2, 2).load_state_dict({"weight": torch.ones(3, 2), "extra": torch.ones(1)}),
    lambda: torch.ones(3, requires_grad=True).numpy(),
    lambda: int(torch.ones(2)),
    lambda: torch.ones(2, dtype=torch.int64) // 0,
]
for attempt in attempts:
    try:
        attempt()
    except Exception as e:  # noqa: BLE001
        print(f"{type(e).__name__}: {e}")
