"""Saving, loading and resuming: train, save a checkpoint (model, optimizer with its Adam moments,
scheduler, epoch) with ``torch.save``, rebuild everything from scratch, ``torch.load`` it, resume —
and check the resumed run ends exactly where an uninterrupted run ends.

    python -m torchlike examples/checkpointing.py [--epochs 4] [--checkpoint ckpt.pt]
"""

import argparse
import os
import tempfile

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from torchvision.datasets import Digits


def build():
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    return model, optimizer, scheduler


def train_epoch(model, optimizer, scheduler, dataset, epoch, batch_size):
    # a per-epoch generator makes the shuffle order depend only on the epoch, so a resumed run
    # sees the same batches as an uninterrupted one
    loader = DataLoader(
        dataset, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(epoch)
    )
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    scheduler.step()
    return total / len(loader)


def save_checkpoint(path, epoch, model, optimizer, scheduler, loss):
    torch.save(
        {
            "epoch": epoch,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "scheduler_state_dict": scheduler.state_dict(),
            "loss": loss,
        },
        path,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--epochs", type=int, default=4, help="total epochs; the checkpoint is taken halfway"
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--checkpoint", default=None, help="where to write the checkpoint (default: a temp dir)"
    )
    args = parser.parse_args()

    ds = Digits(train=True)
    dataset = TensorDataset(ds.data.float().div(255.0).view(-1, 64), ds.targets)
    half = args.epochs // 2
    tmp = tempfile.TemporaryDirectory()
    path = args.checkpoint or os.path.join(tmp.name, "checkpoint.pt")

    # the first half, then a checkpoint
    torch.manual_seed(0)
    model, optimizer, scheduler = build()
    for epoch in range(half):
        loss = train_epoch(model, optimizer, scheduler, dataset, epoch, args.batch_size)
        print(f"epoch {epoch + 1}: loss {loss:.4f}")
    save_checkpoint(path, half, model, optimizer, scheduler, loss)
    print(f"saved checkpoint to {path} ({os.path.getsize(path)} bytes)")

    # an uninterrupted run continues in memory ...
    for epoch in range(half, args.epochs):
        train_epoch(model, optimizer, scheduler, dataset, epoch, args.batch_size)
    uninterrupted = {k: v.clone() for k, v in model.state_dict().items()}

    # ... and a fresh process-like start resumes from the file
    torch.manual_seed(123)  # different init: everything must come from the checkpoint
    model, optimizer, scheduler = build()
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    start = checkpoint["epoch"]
    print(
        f"resumed at epoch {start} (saved loss {checkpoint['loss']:.4f}, lr {scheduler.get_last_lr()[0]:.5f}, "
        f"{len(optimizer.state_dict()['state'])} parameter states)"
    )
    for epoch in range(start, args.epochs):
        loss = train_epoch(model, optimizer, scheduler, dataset, epoch, args.batch_size)
        print(f"epoch {epoch + 1}: loss {loss:.4f}")

    resumed = model.state_dict()
    max_diff = (
        torch.cat([(resumed[k] - v).flatten() for k, v in uninterrupted.items()]).abs().max().item()
    )
    print(
        f"resumed run matches the uninterrupted run: {max_diff < 1e-6} (max difference {max_diff:.2e})"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()
