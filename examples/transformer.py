"""A Transformer encoder classifier: each 8x8 digit is read as a sequence of 8 rows (tokens of 8
pixels), projected to d_model, given a learned position embedding and a [CLS] token, encoded by
``nn.TransformerEncoder`` and classified from the [CLS] output.

    python -m torchlike examples/transformer.py [--epochs 15]
"""

import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from torchvision.datasets import Digits


class TransformerClassifier(nn.Module):
    def __init__(self, token_dim=8, seq_len=8, d_model=32, nhead=4, num_layers=2, num_classes=10):
        super().__init__()
        self.embed = nn.Linear(token_dim, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(torch.randn(1, seq_len + 1, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(
            d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, num_classes)

    def forward(self, x):  # x: (batch, seq_len, token_dim)
        tokens = self.embed(x)
        cls = self.cls_token.expand(x.size(0), -1, -1)
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed
        h = self.encoder(h)
        return self.head(self.norm(h[:, 0]))


def digits(train):
    ds = Digits(train=train)
    return TensorDataset(ds.data.float().div(255.0), ds.targets)  # rows are the tokens


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.002)
    args = parser.parse_args()

    torch.manual_seed(0)
    train_loader = DataLoader(
        digits(True), batch_size=args.batch_size, shuffle=True, drop_last=True
    )
    test_loader = DataLoader(digits(False), batch_size=360)
    model = TransformerClassifier()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=args.epochs * len(train_loader)
    )
    print(f"{sum(p.numel() for p in model.parameters())} parameters")

    for epoch in range(args.epochs):
        model.train()
        running = correct = seen = 0
        for x, y in train_loader:
            optimizer.zero_grad()
            logits = model(x)
            loss = criterion(logits, y)
            loss.backward()
            optimizer.step()
            scheduler.step()
            running += loss.item() * y.size(0)
            correct += (logits.argmax(1) == y).sum().item()
            seen += y.size(0)
        print(
            f"epoch {epoch + 1}: loss {running / seen:.4f}  train accuracy {correct / seen:.3f}  "
            f"lr {scheduler.get_last_lr()[0]:.5f}"
        )

    model.eval()
    with torch.no_grad():
        x, y = next(iter(test_loader))
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"test accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
