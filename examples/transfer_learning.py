"""Transfer learning with ResNet-18: freeze the pretrained backbone, replace ``fc`` by a new
10-class head and train only the head, on the embedded digits (grayscale -> 3 channels, 32x32).

    python -m torchlike examples/transfer_learning.py [--epochs 2]

Pretrained weights are read from the local torchvision cache
(``$TORCH_HOME/hub/checkpoints/resnet18-f37072fd.pth``) when present; without them the script says
so and runs with random weights (nothing is downloaded).
"""

import argparse
import os

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, Subset
from torchvision import models
from torchvision.datasets import Digits


def pretrained_resnet18():
    weights = models.ResNet18_Weights.IMAGENET1K_V1
    path = os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(weights.url))
    if os.path.exists(path):
        print(f"using pretrained weights from {path}")
        return models.resnet18(weights=weights)
    print(f"no pretrained weights at {path}: running with random weights")
    return models.resnet18(weights=None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--size", type=int, default=32, help="input resolution")
    parser.add_argument("--train-size", type=int, default=None)
    parser.add_argument("--test-size", type=int, default=None)
    args = parser.parse_args()

    torch.manual_seed(0)
    transform = transforms.Compose(
        [
            transforms.Grayscale(num_output_channels=3),
            transforms.Resize(args.size),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
        ]
    )
    trainset, testset = (
        Digits(train=True, transform=transform),
        Digits(train=False, transform=transform),
    )
    if args.train_size:
        trainset = Subset(trainset, range(args.train_size))
    if args.test_size:
        testset = Subset(testset, range(args.test_size))
    train_loader = DataLoader(trainset, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(testset, batch_size=100)

    model = pretrained_resnet18()
    for param in model.parameters():  # freeze the backbone
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, 10)  # a new head; its parameters require grad
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    print(f"trainable: {trainable}; frozen parameters: {frozen}")

    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.fc.parameters(), lr=args.lr, momentum=0.9)
    fc_before = model.fc.weight.detach().clone()
    conv_before = model.conv1.weight.detach().clone()

    for epoch in range(args.epochs):
        model.train()
        running, seen = 0.0, 0
        for inputs, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
            running += loss.item() * labels.size(0)
            seen += labels.size(0)
        print(f"epoch {epoch + 1}: loss {running / seen:.4f}")

    model.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, labels in test_loader:
            correct += (model(inputs).argmax(1) == labels).sum().item()
            total += labels.size(0)
    print(
        f"backbone unchanged: {torch.equal(model.conv1.weight, conv_before)}; "
        f"head changed: {not torch.equal(model.fc.weight, fc_before)}"
    )
    print(f"test accuracy: {correct / total:.3f} ({correct}/{total})")


if __name__ == "__main__":
    main()
