"""Multi-task learning (the seed article's MultiTaskModel): a shared trunk and one head per task
kept in an ``nn.ModuleList``; two losses summed into one backward. Task 1 classifies the digit,
task 2 says whether it is odd.

    python -m torchlike examples/multitask.py [--epochs 10]
"""

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from torchvision.datasets import Digits


class MultiTaskModel(nn.Module):
    def __init__(self, in_features=64, hidden=64, task_classes=(10, 2)):
        super().__init__()
        self.shared = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Dropout(0.1))
        self.heads = nn.ModuleList([nn.Linear(hidden, n) for n in task_classes])

    def forward(self, x):
        h = self.shared(x)
        return [head(h) for head in self.heads]


def digits(train):
    ds = Digits(train=train)
    x = ds.data.float().div(255).view(-1, 64)
    return TensorDataset(x, ds.targets, ds.targets % 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--parity-weight", type=float, default=0.5)
    args = parser.parse_args()

    torch.manual_seed(0)
    train_loader = DataLoader(digits(True), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(digits(False), batch_size=360)
    model = MultiTaskModel()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)

    for epoch in range(args.epochs):
        model.train()
        sums = [0.0, 0.0]
        for x, digit, odd in train_loader:
            digit_logits, odd_logits = model(x)
            loss_digit = F.cross_entropy(digit_logits, digit)
            loss_odd = F.cross_entropy(odd_logits, odd)
            loss = loss_digit + args.parity_weight * loss_odd
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            sums[0] += loss_digit.item()
            sums[1] += loss_odd.item()
        n = len(train_loader)
        print(f"epoch {epoch + 1}: digit loss {sums[0] / n:.4f}  parity loss {sums[1] / n:.4f}")

    model.eval()
    with torch.no_grad():
        x, digit, odd = next(iter(test_loader))
        digit_logits, odd_logits = model(x)
        acc_digit = (digit_logits.argmax(1) == digit).float().mean().item()
        acc_odd = (odd_logits.argmax(1) == odd).float().mean().item()
    print(f"test accuracy: digit {acc_digit:.3f}  parity {acc_odd:.3f}")


if __name__ == "__main__":
    main()
