# ruff: noqa: B007, UP008, UP031, UP032, E731, E402, F841  (tutorial code, kept as the tutorials write it)
"""MorvanZhou PyTorch-Tutorial 401 (CNN on MNIST) and 502 (the same CNN moved with .cuda()):
torchvision's MNIST replaced by a small seeded synthetic digits set with the same attributes
(built with NumPy), 12 steps, no plots / t-SNE; `loss.data[0]` and `.cuda()` are rejected
by PyTorch 2 on a CPU build, so they become `loss.data.item()` and `.cpu()`."""
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.utils.data as Data
from torch.autograd import Variable

warnings.simplefilter('ignore', UserWarning)
torch.manual_seed(1)


def fake_mnist(n, seed):
    rs = np.random.RandomState(seed)
    labels = rs.randint(0, 10, n)
    images = rs.randint(0, 80, (n, 28, 28))
    for i, k in enumerate(labels):
        images[i, 2 * k + 3:2 * k + 7, 4 + k:24 - k // 2] = 230
    return images.astype(np.uint8), labels.astype(np.int64)


class ToTensor:
    def __call__(self, pic):
        return torch.from_numpy(pic[None].astype(np.float32) / 255.)


class MNIST(Data.Dataset):
    def __init__(self, root, train=True, transform=None, download=False):
        images, labels = fake_mnist(600 if train else 200, 0 if train else 1)
        self.data, self.targets = torch.from_numpy(images), torch.from_numpy(labels)
        self.images, self.transform = images, transform

    train_data = test_data = property(lambda self: self.data)
    train_labels = test_labels = property(lambda self: self.targets)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), int(self.targets[i])


# 401_CNN
EPOCH = 1
BATCH_SIZE = 50
LR = 0.001
DOWNLOAD_MNIST = True

train_data = MNIST(root='./mnist/', train=True, transform=ToTensor(), download=DOWNLOAD_MNIST)
print(train_data.train_data.size())
print(train_data.train_labels.size())
print('%i' % train_data.train_labels[0])

train_loader = Data.DataLoader(dataset=train_data, batch_size=BATCH_SIZE, shuffle=True)

test_data = MNIST(root='./mnist/', train=False)
test_x = Variable(torch.unsqueeze(test_data.test_data, dim=1), volatile=True).type(torch.FloatTensor)[:2000]/255.
test_y = test_data.test_labels[:2000]


class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(
                in_channels=1,
                out_channels=16,
                kernel_size=5,
                stride=1,
                padding=2,
            ),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2),
        )
        self.conv2 = nn.Sequential(
            nn.Conv2d(16, 32, 5, 1, 2),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.out = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = x.view(x.size(0), -1)
        output = self.out(x)
        return output, x


cnn = CNN()
print(cnn)

optimizer = torch.optim.Adam(cnn.parameters(), lr=LR)
loss_func = nn.CrossEntropyLoss()

for epoch in range(EPOCH):
    for step, (x, y) in enumerate(train_loader):
        b_x = Variable(x)
        b_y = Variable(y)

        output = cnn(b_x)[0]
        loss = loss_func(output, b_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if step % 4 == 0:
            test_output, last_layer = cnn(test_x)
            pred_y = torch.max(test_output, 1)[1].data.squeeze()
            accuracy = sum(pred_y == test_y) / float(test_y.size(0))
            print('Epoch: ', epoch, '| train loss: %.4f' % loss.data.item(), '| test accuracy: %.2f' % accuracy)
            print(last_layer.data.numpy().shape)
try:
    loss.data[0]
except IndexError as e:
    print('loss.data[0]:', e)

test_output, _ = cnn(test_x[:10])
pred_y = torch.max(test_output, 1)[1].data.numpy().squeeze()
print(pred_y, 'prediction number')
print(test_y[:10].numpy(), 'real number')

# 502_GPU
torch.manual_seed(1)

EPOCH = 1
BATCH_SIZE = 50
LR = 0.001
DOWNLOAD_MNIST = False

train_data = MNIST(root='./mnist/', train=True, transform=ToTensor(), download=DOWNLOAD_MNIST,)
train_loader = Data.DataLoader(dataset=train_data, batch_size=BATCH_SIZE, shuffle=True)

test_data = MNIST(root='./mnist/', train=False)

test_x = Variable(torch.unsqueeze(test_data.test_data, dim=1)).type(torch.FloatTensor)[:2000].cpu()/255.
test_y = test_data.test_labels[:2000].cpu()


class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(in_channels=1, out_channels=16, kernel_size=5, stride=1, padding=2,),
                                   nn.ReLU(), nn.MaxPool2d(kernel_size=2),)
        self.conv2 = nn.Sequential(nn.Conv2d(16, 32, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2),)
        self.out = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = x.view(x.size(0), -1)
        output = self.out(x)
        return output

cnn = CNN()
try:
    cnn.cuda()
except (AssertionError, RuntimeError) as e:
    print('cuda:', torch.cuda.is_available())
cnn.cpu()

optimizer = torch.optim.Adam(cnn.parameters(), lr=LR)
loss_func = nn.CrossEntropyLoss()

for epoch in range(EPOCH):
    for step, (x, y) in enumerate(train_loader):
        b_x = Variable(x).cpu()
        b_y = Variable(y).cpu()

        output = cnn(b_x)
        loss = loss_func(output, b_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if step % 4 == 0:
            test_output = cnn(test_x)
            pred_y = torch.max(test_output, 1)[1].cpu().data.squeeze()
            accuracy = torch.sum(pred_y == test_y) / test_y.size(0)
            print('Epoch: ', epoch, '| train loss: %.4f' % loss.data.item(), '| test accuracy: %.2f' % accuracy)


test_output = cnn(test_x[:10])
pred_y = torch.max(test_output, 1)[1].cpu().data.squeeze()
print(pred_y, 'prediction number')
print(test_y[:10], 'real number')
