"""Condensed from the "Introduction to torch.compile" tutorial: compiled functions, a compiled
module (OptimizedModule), training and evaluation through it, a graph break, torch._dynamo.reset."""

import numpy as np
import torch
import torch._dynamo

rng = np.random.default_rng(0)


def t(*shape):
    return torch.tensor(rng.standard_normal(shape).astype(np.float32))


def foo(x, y):
    a = torch.sin(x)
    b = torch.cos(y)
    return a + b


opt_foo1 = torch.compile(foo)
x, y = t(3, 3), t(3, 3)
for _ in range(4):
    print(opt_foo1(x, y).round(decimals=4))


@torch.compile
def opt_foo2(x, y):
    a = torch.sin(x)
    b = torch.cos(y)
    return a + b


print(opt_foo2(t(2, 2), t(2, 2)).round(decimals=4))


class MyModule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(10, 4)

    def forward(self, x):
        return torch.nn.functional.relu(self.lin(x))


mod = MyModule()
with torch.no_grad():
    mod.lin.weight.copy_(t(4, 10) * 0.3)
    mod.lin.bias.copy_(t(4) * 0.1)
opt_mod = torch.compile(mod)
print(opt_mod)
print(type(opt_mod).__name__, list(opt_mod.state_dict().keys()))
print(opt_mod(t(2, 10)).round(decimals=4))

# training through the compiled module
opt = torch.optim.SGD(opt_mod.parameters(), lr=0.1)
data, target = t(8, 10), torch.tensor(rng.integers(0, 4, 8))
for step in range(6):
    opt.zero_grad(set_to_none=True)
    pred = opt_mod(data)
    loss = torch.nn.CrossEntropyLoss()(pred, target)
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.4f}")
print(mod.lin.weight.grad.shape, f"{mod.lin.bias.sum().item():.4f}")

# evaluation
opt_mod.eval()
with torch.no_grad():
    for _ in range(3):
        out = opt_mod(data)
    print(out.argmax(1).tolist(), out.requires_grad, mod.training)


# a data-dependent branch (a graph break in PyTorch): same results
def bar(a, b):
    x = a / (torch.abs(a) + 1)
    if b.sum() < 0:
        b = b * -1
    return x * b


opt_bar = torch.compile(bar)
for _ in range(4):
    print(opt_bar(t(5), t(5)).round(decimals=4))

torch._dynamo.reset()
print(opt_foo1(x, y).round(decimals=4))


# a compiled training step
@torch.compile
def train_step(data, target):
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(opt_mod(data), target)
    loss.backward()
    opt.step()
    return loss


opt_mod.train()
for step in range(5):
    print("step", step, f"{train_step(data, target).item():.4f}")
