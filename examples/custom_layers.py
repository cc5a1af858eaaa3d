"""Custom layers: an ``nn.Module`` with its own parameters and ``reset_parameters``, and a
``torch.autograd.Function`` with a hand-written backward (a clipped straight-through estimator
for sign quantisation), used together in a small network trained on the embedded digits.

    python -m torchlike examples/custom_layers.py [--epochs 10]
"""

import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from torchvision.datasets import Digits


class SignSTE(torch.autograd.Function):
    """Forward: sign(x). Backward: pass the gradient through where |x| <= 1 (straight-through)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x.abs() <= 1).to(grad_output.dtype)


class ScaledLinear(nn.Module):
    """y = scale * (x @ W^T) + b with a learnable per-output scale (a custom parametrised layer)."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.scale = nn.Parameter(torch.empty(out_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        nn.init.ones_(self.scale)
        bound = 1 / math.sqrt(self.in_features)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.linear(x, self.weight) * self.scale + self.bias

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}"


class BinaryActivationNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = ScaledLinear(64, 128)
        self.bn = nn.BatchNorm1d(128)
        self.fc2 = ScaledLinear(128, 10)

    def forward(self, x):
        h = SignSTE.apply(self.bn(self.fc1(x)))  # binary hidden units
        return self.fc2(h)


def check_function():
    """The custom backward gives the gradient it promises."""
    x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
    y = SignSTE.apply(x)
    y.backward(torch.ones_like(y))
    print(f"SignSTE forward {y.tolist()} grad {x.grad.tolist()}")
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]
    assert y.grad_fn is not None


def digits(train):
    ds = Digits(train=train)
    return TensorDataset(ds.data.float().div(255.0).view(-1, 64), ds.targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args()

    torch.manual_seed(0)
    check_function()
    model = BinaryActivationNet()
    print(model)
    train_loader = DataLoader(
        digits(True), batch_size=args.batch_size, shuffle=True, drop_last=True
    )
    test_loader = DataLoader(digits(False), batch_size=360)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)

    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / len(train_loader):.4f}")

    model.eval()
    with torch.no_grad():
        x, y = next(iter(test_loader))
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"test accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
