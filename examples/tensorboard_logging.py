"""TensorBoard logging with ``torch.utils.tensorboard.SummaryWriter``: training/test scalars, a grid
of input images, weight histograms and the model graph, written as real event files.

    python -m torchlike examples/tensorboard_logging.py --logdir runs/digits
    tensorboard --logdir runs     # then open http://localhost:6006
"""

import argparse
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from torchvision.datasets import Digits


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(x, 1))


def digits(train):
    ds = Digits(train=train)
    return TensorDataset(ds.data.float().div(255.0).unsqueeze(1), ds.targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--logdir", default="runs/digits")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    torch.manual_seed(0)
    train_loader = DataLoader(
        digits(True), batch_size=args.batch_size, shuffle=True, drop_last=True
    )
    test_loader = DataLoader(digits(False), batch_size=360)
    model = SmallCNN()
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    writer = SummaryWriter(args.logdir)

    images, _ = next(iter(train_loader))
    writer.add_image("inputs", torchvision.utils.make_grid(images[:32], nrow=8, normalize=True), 0)
    writer.add_graph(model, images)

    step = 0
    for epoch in range(args.epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            writer.add_scalar("loss/train", loss.item(), step)
            step += 1
        model.eval()
        with torch.no_grad():
            x, y = next(iter(test_loader))
            accuracy = (model(x).argmax(1) == y).float().mean().item()
        writer.add_scalar("accuracy/test", accuracy, epoch)
        writer.add_scalar("lr", optimizer.param_groups[0]["lr"], epoch)
        for name, param in model.named_parameters():
            writer.add_histogram(f"weights/{name}", param, epoch)
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}  test accuracy {accuracy:.3f}")
    writer.close()

    files = sorted(f for f in os.listdir(writer.log_dir) if f.startswith("events.out.tfevents"))
    print(f"wrote {step} training steps of logs to {writer.log_dir}: {files}")


if __name__ == "__main__":
    main()
