# ruff: noqa: B007, UP008, UP031, UP032, E731, E402, F841  (tutorial code, kept as the tutorials write it)
"""MorvanZhou PyTorch-Tutorial 402 (LSTM classifier on MNIST rows) and 403 (RNN regressor,
sin -> cos): a small seeded synthetic digits set (NumPy) instead of torchvision's MNIST, fewer
steps, plots replaced by printed numbers; `loss.data[0]` -> `loss.data.item()`."""
import warnings

import numpy as np
import torch
from torch import nn
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


class MNIST(torch.utils.data.Dataset):
    def __init__(self, root, train=True, transform=None, download=False):
        images, labels = fake_mnist(640 if train else 200, 0 if train else 1)
        self.data, self.targets = torch.from_numpy(images), torch.from_numpy(labels)

    train_data = test_data = property(lambda self: self.data)
    train_labels = test_labels = property(lambda self: self.targets)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return (self.data[i].float() / 255.).unsqueeze(0), int(self.targets[i])


# 402_RNN_classifier
EPOCH = 1
BATCH_SIZE = 64
TIME_STEP = 28
INPUT_SIZE = 28
LR = 0.01
DOWNLOAD_MNIST = True

train_data = MNIST(root='./mnist/', train=True, transform=None, download=DOWNLOAD_MNIST)
print(train_data.train_data.size())
print(train_data.train_labels.size())

train_loader = torch.utils.data.DataLoader(dataset=train_data, batch_size=BATCH_SIZE, shuffle=True)

test_data = MNIST(root='./mnist/', train=False, transform=None)
test_x = Variable(test_data.test_data, volatile=True).type(torch.FloatTensor)[:2000]/255.
test_y = test_data.test_labels.numpy().squeeze()[:2000]


class RNN(nn.Module):
    def __init__(self):
        super(RNN, self).__init__()

        self.rnn = nn.LSTM(
            input_size=INPUT_SIZE,
            hidden_size=64,
            num_layers=1,
            batch_first=True,
        )

        self.out = nn.Linear(64, 10)

    def forward(self, x):
        r_out, (h_n, h_c) = self.rnn(x, None)
        out = self.out(r_out[:, -1, :])
        return out


rnn = RNN()
print(rnn)

optimizer = torch.optim.Adam(rnn.parameters(), lr=LR)
loss_func = nn.CrossEntropyLoss()

for epoch in range(EPOCH):
    for step, (x, y) in enumerate(train_loader):
        b_x = Variable(x.view(-1, 28, 28))
        b_y = Variable(y)

        output = rnn(b_x)
        loss = loss_func(output, b_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if step % 3 == 0:
            test_output = rnn(test_x)
            pred_y = torch.max(test_output, 1)[1].data.numpy().squeeze()
            accuracy = sum(pred_y == test_y) / test_y.size
            print('Epoch: ', epoch, '| train loss: %.4f' % loss.data.item(), '| test accuracy: %.2f' % accuracy)

test_output = rnn(test_x[:10].view(-1, 28, 28))
pred_y = torch.max(test_output, 1)[1].data.numpy().squeeze()
print(pred_y, 'prediction number')
print(test_y[:10], 'real number')

# 403_RNN_regressor
TIME_STEP = 10
INPUT_SIZE = 1
LR = 0.02

steps = np.linspace(0, np.pi*2, 100, dtype=np.float32)
x_np = np.sin(steps)
y_np = np.cos(steps)


class RNN(nn.Module):
    def __init__(self):
        super(RNN, self).__init__()

        self.rnn = nn.RNN(
            input_size=INPUT_SIZE,
            hidden_size=32,
            num_layers=1,
            batch_first=True,
        )
        self.out = nn.Linear(32, 1)

    def forward(self, x, h_state):
        r_out, h_state = self.rnn(x, h_state)

        outs = []
        for time_step in range(r_out.size(1)):
            outs.append(self.out(r_out[:, time_step, :]))
        return torch.stack(outs, dim=1), h_state

rnn = RNN()
print(rnn)

optimizer = torch.optim.Adam(rnn.parameters(), lr=LR)
loss_func = nn.MSELoss()

h_state = None

for step in range(40):
    start, end = step * np.pi, (step+1)*np.pi
    steps = np.linspace(start, end, TIME_STEP, dtype=np.float32)
    x_np = np.sin(steps)
    y_np = np.cos(steps)

    x = torch.from_numpy(x_np[np.newaxis, :, np.newaxis])
    y = torch.from_numpy(y_np[np.newaxis, :, np.newaxis])

    prediction, h_state = rnn(x, h_state)
    h_state = h_state.data

    loss = loss_func(prediction, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if step % 5 == 0:
        print(step, 'loss=%.4f' % loss.item(), np.round(prediction.data.numpy().flatten()[:3], 3), h_state.shape)
