"""The main job: train the seed CNN on the embedded handwritten digits, in plain PyTorch style.

python examples/train_digits.py            # torchlike
python -m torchlike examples/train_digits.py   # the same file, `torch` resolved to torchlike
"""

import argparse
import time

import torchlike as torch
import torchlike.nn as nn
import torchlike.nn.functional as F
import torchlike.optim as optim
from torchlike.utils.data import DataLoader, TensorDataset
from torchlike.vision.datasets import Digits

try:
    from tqdm import tqdm
except ImportError:  # pragma: no cover
    tqdm = None


class SimpleCNN(nn.Module):
    """The seed article's SimpleCNN (conv 3x3 pad 1 -> pool -> conv -> pool -> fc -> fc), with one
    input channel and the fully connected layer sized for 8x8 digits (8 -> 4 -> 2 after pooling)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 2 * 2, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = x.view(-1, 64 * 2 * 2)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


def load(train: bool):
    ds = Digits(train=train)
    x = ds.data.float().div(255.0).sub(0.5).div(0.5).unsqueeze(1)
    return TensorDataset(x, ds.targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.001)
    args = parser.parse_args()

    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_loader = DataLoader(load(True), batch_size=args.batch_size, shuffle=True, drop_last=True)
    test_loader = DataLoader(load(False), batch_size=256)
    net = SimpleCNN().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(net.parameters(), lr=args.lr)

    steps, start, first_step = 0, time.perf_counter(), None
    for epoch in range(args.epochs):
        net.train()
        running, correct, seen = 0.0, 0, 0
        batches = (
            tqdm(train_loader, desc=f"epoch {epoch + 1}/{args.epochs}", leave=False)
            if tqdm
            else train_loader
        )
        for inputs, labels in batches:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running += loss.item() * labels.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            seen += labels.size(0)
            steps += 1
            if first_step is None:  # the first step includes compiling the step's program
                first_step = time.perf_counter() - start
                start = time.perf_counter()
        print(f"epoch {epoch + 1}: loss {running / seen:.4f}  train accuracy {correct / seen:.3f}")
    elapsed = time.perf_counter() - start

    net.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, labels in test_loader:
            outputs = net(inputs.to(device))
            correct += (outputs.argmax(1) == labels.to(device)).sum().item()
            total += labels.size(0)
    print(f"test accuracy: {correct / total:.4f} ({correct}/{total})")
    print(
        f"time per step: {elapsed / max(steps - 1, 1) * 1000:.2f} ms "
        f"({steps} steps on {device}; the first, compiling, took {first_step:.2f} s)"
    )


if __name__ == "__main__":
    main()
