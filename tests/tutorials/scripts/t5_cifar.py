# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

rng = np.random.default_rng(0)
classes = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
n = 48
images = torch.from_numpy(rng.standard_normal((n, 3, 32, 32)).astype(np.float32) * 0.5)
labels_all = torch.from_numpy(rng.integers(0, 10, size=n))
trainset = torch.utils.data.TensorDataset(images, labels_all)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=False, num_workers=0)
testloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=False)
dataiter = iter(trainloader)
imgs, labels = next(dataiter)
print(imgs.shape, labels)
print(" ".join(f"{classes[labels[j]]:5s}" for j in range(4)))


class Net(nn.Module):
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
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def det_init(net):
    with torch.no_grad():
        for i, p in enumerate(net.parameters()):
            fan = p[0].numel() if p.dim() > 1 else p.numel()
            vals = np.sin(np.arange(p.numel(), dtype=np.float64) * 1.37 + i) / np.sqrt(fan)
            p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))


net = Net()
det_init(net)
print(net)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
print(optimizer)
for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        if i % 4 == 3:
            print("[%d, %5d] loss: %.3f" % (epoch + 1, i + 1, running_loss / 4))
            running_loss = 0.0
print("Finished Training")
PATH = os.path.join(tempfile.mkdtemp(), "cifar_net.pth")
torch.save(net.state_dict(), PATH)
outputs = net(imgs)
_, predicted = torch.max(outputs, 1)
print(predicted.dtype, predicted.shape)
net = Net()
print(net.load_state_dict(torch.load(PATH, weights_only=True)))
outputs2 = net(imgs)
print(torch.equal(outputs, outputs2), torch.allclose(outputs, outputs2))
correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images_b, labels = data
        outputs = net(images_b)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print(f"Accuracy of the network on the {total} test images: {100 * correct // total} %")
correct_pred = {classname: 0 for classname in classes}
total_pred = {classname: 0 for classname in classes}
with torch.no_grad():
    for data in testloader:
        images_b, labels = data
        outputs = net(images_b)
        _, predictions = torch.max(outputs, 1)
        for label, prediction in zip(labels, predictions):
            if label == prediction:
                correct_pred[classes[label]] += 1
            total_pred[classes[label]] += 1
for classname, correct_count in correct_pred.items():
    accuracy = 100 * float(correct_count) / max(total_pred[classname], 1)
    print(f"Accuracy for class: {classname:5s} is {accuracy:.1f} %")
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
print(device)
net.to(device)
print(type(correct), type(total), correct_pred)
