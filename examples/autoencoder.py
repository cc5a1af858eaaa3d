"""The seed article's autoencoder (784 -> 2 -> 784, Tanh output) on the embedded digits,
resized to 28x28 and scaled to [-1, 1] to match the Tanh; MSE reconstruction loss, Adam.
The article's ReLUs are LeakyReLUs here: with layers only 4 and 2 wide, plain ReLUs often die
and the code collapses to a constant (in PyTorch too, depending on the seed).

    python -m torchlike examples/autoencoder.py [--epochs 10]
"""

import argparse

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, Subset
from torchvision.datasets import Digits


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        widths = [784, 128, 64, 32, 16, 8, 4, 2]
        encoder, decoder = [], []
        for a, b in zip(widths[:-1], widths[1:]):
            encoder += [nn.Linear(a, b), nn.LeakyReLU(0.1, True)]
        for a, b in zip(widths[::-1][:-1], widths[::-1][1:]):
            decoder += [nn.Linear(a, b), nn.LeakyReLU(0.1, True)]
        self.encoder = nn.Sequential(*encoder[:-1])  # the 2-d code has no activation
        self.decoder = nn.Sequential(*decoder[:-1], nn.Tanh())

    def forward(self, x):
        x = self.encoder(x)
        x = self.decoder(x)
        return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--train-size", type=int, default=None)
    args = parser.parse_args()

    torch.manual_seed(0)
    transform = transforms.Compose(
        [transforms.Resize(28), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
    )
    trainset = Digits(train=True, transform=transform)
    if args.train_size:
        trainset = Subset(trainset, range(args.train_size))
    train_loader = DataLoader(trainset, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(Digits(train=False, transform=transform), batch_size=120)

    model = Autoencoder()
    print(model)
    criterion = nn.MSELoss()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)

    for epoch in range(args.epochs):
        total = 0.0
        for inputs, _ in train_loader:
            inputs = inputs.view(inputs.size(0), -1)
            outputs = model(inputs)
            loss = criterion(outputs, inputs)  # reconstruct the input

            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * inputs.size(0)
        print(f"epoch {epoch + 1}: reconstruction loss {total / len(trainset):.4f}")

    model.eval()
    total, baseline, codes = 0.0, 0.0, []
    with torch.no_grad():
        for inputs, _ in test_loader:
            inputs = inputs.view(inputs.size(0), -1)
            codes.append(model.encoder(inputs))
            total += criterion(model(inputs), inputs).item() * inputs.size(0)
            blank = torch.full_like(inputs, -1.0)  # an all-background image
            baseline += criterion(blank, inputs).item() * inputs.size(0)
    codes = torch.cat(codes)
    print(f"2-d codes: {tuple(codes.shape)}, spread {codes.std(0).tolist()}")
    print(
        f"test reconstruction loss: {total / len(codes):.4f} (blank-image baseline {baseline / len(codes):.4f})"
    )


if __name__ == "__main__":
    main()
