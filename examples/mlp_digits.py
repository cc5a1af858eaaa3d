"""The seed article's MLP (784-128-10) on the embedded digits, resized to 28x28 with transforms.

    python -m torchlike examples/mlp_digits.py [--epochs 5]

``torchvision.datasets.Digits`` is torchlike's embedded copy of the UCI handwritten digits (an
MNIST-style dataset that needs no download); with real torchvision use ``MNIST`` instead.
"""

import argparse

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, Subset
from torchvision.datasets import Digits


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = torch.relu(x)
        x = self.fc2(x)
        return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument(
        "--train-size", type=int, default=None, help="use only the first N training images"
    )
    args = parser.parse_args()

    torch.manual_seed(0)
    transform = transforms.Compose(
        [transforms.Resize(28), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
    )
    trainset = Digits(train=True, transform=transform)
    if args.train_size:
        trainset = Subset(trainset, range(args.train_size))
    testset = Digits(train=False, transform=transform)
    trainloader = DataLoader(trainset, batch_size=args.batch_size, shuffle=True)
    testloader = DataLoader(testset, batch_size=100, shuffle=False)

    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)

    for epoch in range(args.epochs):
        running_loss = 0.0
        for data in trainloader:
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        print(f"Epoch {epoch + 1}, Loss: {running_loss / len(trainloader):.4f}")

    correct = total = 0
    with torch.no_grad():
        for images, labels in testloader:
            outputs = net(images)
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    print(f"Accuracy of the network on the {total} test images: {100 * correct / total:.1f} %")


if __name__ == "__main__":
    main()
