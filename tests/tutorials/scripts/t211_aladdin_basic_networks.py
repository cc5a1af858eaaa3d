# ruff: noqa: B007, E501, UP008  (tutorial code, kept as upstream writes it)
"""aladdinpersson/Machine-Learning-Collection ML/Pytorch/Basics: pytorch_simple_fullynet.py (NN with
fc1/fc2, Adam, tqdm over the loader, check_accuracy returning num_correct / num_samples as a 0-d
tensor formatted with :.2f) and pytorch_simple_CNN.py (two 3x3 convs + MaxPool2d; check_accuracy
reads loader.dataset.train and prints a 0-d tensor count in an f-string). Adapted: a seeded MNIST
stand-in (ToTensor-shaped float images with .train) instead of the download, one epoch over a few
batches, the loss printed per step."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

torch.manual_seed(0)


class MNIST(Dataset):
    """(1, 28, 28) float images in [0, 1] and int labels, as datasets.MNIST(transform=ToTensor())."""

    def __init__(self, train, n):
        g = torch.Generator().manual_seed(1 if train else 2)
        self.train = train
        self.targets = torch.randint(0, 10, (n,), generator=g)
        base = torch.rand(10, 28, 28, generator=g)
        noise = torch.rand(n, 28, 28, generator=g)
        self.data = (0.7 * base[self.targets] + 0.3 * noise).unsqueeze(1)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return self.data[index], int(self.targets[index])


# ---------------------------------------------------------------- simple fully connected net
class NN(nn.Module):
    def __init__(self, input_size, num_classes):
        super(NN, self).__init__()
        self.fc1 = nn.Linear(input_size, 50)
        self.fc2 = nn.Linear(50, num_classes)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


device = "mps" if torch.backends.mps.is_available() else "cuda" if torch.cuda.is_available() else "cpu"

input_size = 784
num_classes = 10
learning_rate = 0.001
batch_size = 64
num_epochs = 1

train_dataset = MNIST(train=True, n=192)
test_dataset = MNIST(train=False, n=64)
train_loader = DataLoader(dataset=train_dataset, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(dataset=test_dataset, batch_size=batch_size, shuffle=True)

model = NN(input_size=input_size, num_classes=num_classes).to(device)
print(model)

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=learning_rate)

for epoch in range(num_epochs):
    for batch_idx, (data, targets) in enumerate(tqdm(train_loader)):
        data = data.to(device=device)
        targets = targets.to(device=device)
        data = data.reshape(data.shape[0], -1)
        scores = model(data)
        loss = criterion(scores, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(batch_idx, data.shape, targets.dtype, f"{loss.item():.4f}")


def check_accuracy(loader, model):
    num_correct = 0
    num_samples = 0
    model.eval()
    with torch.no_grad():
        for x, y in loader:
            x = x.to(device=device)
            y = y.to(device=device)
            x = x.reshape(x.shape[0], -1)
            scores = model(x)
            _, predictions = scores.max(1)
            num_correct += (predictions == y).sum()
            num_samples += predictions.size(0)
    model.train()
    return num_correct / num_samples


acc = check_accuracy(train_loader, model)
print(type(acc).__name__, acc.dtype, acc.shape, model.training)
print(f"Accuracy on training set: {check_accuracy(train_loader, model)*100:.2f}")
print(f"Accuracy on test set: {check_accuracy(test_loader, model)*100:.2f}")


# ---------------------------------------------------------------- simple CNN
class CNN(nn.Module):
    def __init__(self, in_channels=1, num_classes=10):
        super(CNN, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        self.pool = nn.MaxPool2d(kernel_size=(2, 2), stride=(2, 2))
        self.conv2 = nn.Conv2d(in_channels=8, out_channels=16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        self.fc1 = nn.Linear(16 * 7 * 7, num_classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(x)
        x = F.relu(self.conv2(x))
        x = self.pool(x)
        x = x.reshape(x.shape[0], -1)
        x = self.fc1(x)
        return x


device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')


def train(model, squeeze, num_epochs=1):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=learning_rate)
    for epoch in range(num_epochs):
        for batch_idx, (data, targets) in enumerate(train_loader):
            data = data.to(device=device)
            if squeeze:
                data = data.squeeze(1)
            targets = targets.to(device=device)
            scores = model(data)
            loss = criterion(scores, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} last loss {loss.item():.4f}")


def check_accuracy_print(loader, model, squeeze):
    if loader.dataset.train:
        print("Checking accuracy on training data")
    else:
        print("Checking accuracy on test data")

    num_correct = 0
    num_samples = 0
    model.eval()

    with torch.no_grad():
        for x, y in loader:
            x = x.to(device=device)
            if squeeze:
                x = x.squeeze(1)
            y = y.to(device=device)

            scores = model(x)
            _, predictions = scores.max(1)
            num_correct += (predictions == y).sum()
            num_samples += predictions.size(0)

        print(f'Got {num_correct} / {num_samples} with accuracy {float(num_correct)/float(num_samples)*100:.2f}')

    model.train()


model = CNN().to(device)
print(model)
train(model, squeeze=False)
check_accuracy_print(train_loader, model, squeeze=False)
check_accuracy_print(test_loader, model, squeeze=False)
