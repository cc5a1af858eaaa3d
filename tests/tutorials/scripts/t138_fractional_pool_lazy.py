"""A small CNN with lazily-sized layers (LazyConv2d, LazyBatchNorm2d, LazyLinear) and stochastic
FractionalMaxPool2d: the pooling windows are drawn from the global generator on every call."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
net = nn.Sequential(
    nn.LazyConv2d(6, 3, padding=1),
    nn.LazyBatchNorm2d(),
    nn.ReLU(),
    nn.FractionalMaxPool2d(2, output_ratio=(0.7, 0.7)),
    nn.Conv2d(6, 8, 3, padding=1),
    nn.LazyInstanceNorm2d(),
    nn.ReLU(),
    nn.FractionalMaxPool2d(2, output_size=4),
    nn.Flatten(),
    nn.LazyLinear(3),
)
print(net)
print(list(net.state_dict().keys())[:6])
x = torch.randn(4, 2, 12, 12)
y = torch.tensor([0, 1, 2, 1])
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
net(x)  # sizes the lazy layers (and draws the pooling offsets)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
print(net)
for step in range(5):
    opt.zero_grad()
    out = net(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")

pooled, idx = F.fractional_max_pool2d(x[:1], 3, output_size=(5, 5), return_indices=True)
print(idx[0, 0].tolist())
print([round(v, 4) for v in pooled[0, 1, 0].tolist()])
fixed = torch.full((1, 2, 2), 0.5)
again = F.fractional_max_pool2d(x[:1], 3, output_size=(5, 5), _random_samples=fixed)
print("fixed samples repeat:", torch.equal(again, F.fractional_max_pool2d(x[:1], 3, output_size=(5, 5), _random_samples=fixed)))
p3 = nn.FractionalMaxPool3d(2, output_ratio=0.5, return_indices=True)
o3, i3 = p3(torch.randn(1, 2, 8, 8, 8))
print(tuple(o3.shape), i3.flatten()[:8].tolist())
