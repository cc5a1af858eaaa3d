"""``nn.DataParallel``: one model, each batch split over the local devices, gradients combined.

    python -m torchlike examples/data_parallel.py
    XLA_FLAGS=--xla_force_host_platform_device_count=2 python -m torchlike examples/data_parallel.py

On torchlike the batch axis is sharded over all local JAX devices (GPUs, TPU cores, or forced
host CPU devices as in the second command) inside one compiled step.
"""

import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from torchvision.datasets import Digits


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(32 * 2 * 2, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def digits(train):
    ds = Digits(train=train)
    return TensorDataset(ds.data.float().div(255.0).unsqueeze(1), ds.targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument(
        "--batch-size", type=int, default=64, help="global batch, split over devices"
    )
    args = parser.parse_args()

    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.DataParallel(Net()).to(device)
    print(f"DataParallel over {max(len(model.device_ids), 1)} device(s)")
    train_loader = DataLoader(
        digits(True), batch_size=args.batch_size, shuffle=True, drop_last=True
    )
    test_loader = DataLoader(digits(False), batch_size=120)
    optimizer = optim.Adam(model.parameters(), lr=0.005)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / len(train_loader):.4f}")

    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in test_loader:
            correct += (model(x.to(device)).argmax(1) == y.to(device)).sum().item()
            total += y.size(0)
    print(f"test accuracy: {correct / total:.3f}")
    # the wrapped module is what gets saved: its keys have no "module." prefix
    print(f"state_dict keys of model.module: {list(model.module.state_dict())[:2]} ...")


if __name__ == "__main__":
    main()
