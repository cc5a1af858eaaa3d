"""The seed articles' CNNs on an ImageFolder tree with transforms: SimpleCNN (3x24x24 inputs,
fc 64*6*6) and LeNet-style ConvNet (3x32x32 inputs, fc 16*5*5), exactly as the articles define them.

    python -m torchlike examples/cnn_imagefolder.py --model simplecnn
    python -m torchlike examples/cnn_imagefolder.py --model convnet

The ImageFolder tree (``train/<class>/*.png``, ``test/<class>/*.png``) is written from the embedded
digits into a temporary directory (or ``--data DIR``); any ImageFolder tree with 10 classes works.
"""

import argparse
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms
from torchvision.datasets import write_image_folder


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 6 * 6, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = x.view(-1, 64 * 6 * 6)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


MODELS = {"simplecnn": (SimpleCNN, 24), "convnet": (ConvNet, 32)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=sorted(MODELS), default="simplecnn")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--print-every", type=int, default=30)
    parser.add_argument("--num-workers", type=int, default=0)
    parser.add_argument("--data", default=None, help="an ImageFolder root with train/ and test/")
    args = parser.parse_args()

    if args.data is not None:
        return train(args, args.data)
    with tempfile.TemporaryDirectory(prefix="digits_imagefolder_") as root:
        write_image_folder(os.path.join(root, "train"), train=True)
        write_image_folder(os.path.join(root, "test"), train=False)
        train(args, root)


def train(args, root):
    torch.manual_seed(0)
    model_cls, size = MODELS[args.model]
    transform = transforms.Compose(
        [
            transforms.Resize(size),
            transforms.CenterCrop(size),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5]),
        ]
    )
    trainset = torchvision.datasets.ImageFolder(
        root=os.path.join(root, "train"), transform=transform
    )
    trainloader = torch.utils.data.DataLoader(
        trainset, batch_size=args.batch_size, shuffle=True, num_workers=args.num_workers
    )
    testset = torchvision.datasets.ImageFolder(root=os.path.join(root, "test"), transform=transform)
    testloader = torch.utils.data.DataLoader(
        testset, batch_size=args.batch_size, shuffle=False, num_workers=args.num_workers
    )
    print(f"{len(trainset)} training / {len(testset)} test images, classes {trainset.classes}")

    net = model_cls()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)

    for epoch in range(args.epochs):  # loop over the dataset multiple times
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            # get the inputs; data is a list of [inputs, labels]
            inputs, labels = data

            # zero the parameter gradients
            optimizer.zero_grad()

            # forward + backward + optimize
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()

            # print statistics
            running_loss += loss.item()
            if i % args.print_every == args.print_every - 1:
                print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / args.print_every:.3f}")
                running_loss = 0.0

    print("Finished Training")

    correct = 0
    total = 0
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()

    print(f"Accuracy of the network on the {total} test images: {100 * correct / total:.1f} %")


if __name__ == "__main__":
    main()
