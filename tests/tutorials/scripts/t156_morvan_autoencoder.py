# ruff: noqa: B007, UP008, UP031, UP032, E731, E402, F841  (tutorial code, kept as the tutorials write it)
"""MorvanZhou PyTorch-Tutorial 404 (autoencoder on MNIST): a small seeded synthetic digits set
(NumPy) instead of torchvision's MNIST, 2 epochs, plots replaced by printed numbers;
`loss.data[0]` -> `loss.data.item()`."""
import numpy as np
import torch
import torch.nn as nn
import torch.utils.data as Data
from torch.autograd import Variable

torch.manual_seed(1)

EPOCH = 2
BATCH_SIZE = 64
LR = 0.005
DOWNLOAD_MNIST = False
N_TEST_IMG = 5


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
        images, labels = fake_mnist(512, 0)
        self.train_data, self.train_labels = torch.from_numpy(images), torch.from_numpy(labels)
        self.images, self.transform = images, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), self.train_labels[i]


train_data = MNIST(
    root='./mnist/',
    train=True,
    transform=ToTensor(),
    download=DOWNLOAD_MNIST,
)
print(train_data.train_data.size())
print(train_data.train_labels.size())

train_loader = Data.DataLoader(dataset=train_data, batch_size=BATCH_SIZE, shuffle=True)


class AutoEncoder(nn.Module):
    def __init__(self):
        super(AutoEncoder, self).__init__()

        self.encoder = nn.Sequential(
            nn.Linear(28*28, 128),
            nn.Tanh(),
            nn.Linear(128, 64),
            nn.Tanh(),
            nn.Linear(64, 12),
            nn.Tanh(),
            nn.Linear(12, 3),
        )
        self.decoder = nn.Sequential(
            nn.Linear(3, 12),
            nn.Tanh(),
            nn.Linear(12, 64),
            nn.Tanh(),
            nn.Linear(64, 128),
            nn.Tanh(),
            nn.Linear(128, 28*28),
            nn.Sigmoid(),
        )

    def forward(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return encoded, decoded


autoencoder = AutoEncoder()

optimizer = torch.optim.Adam(autoencoder.parameters(), lr=LR)
loss_func = nn.MSELoss()

view_data = Variable(train_data.train_data[:N_TEST_IMG].view(-1, 28*28).type(torch.FloatTensor)/255.)
print('%.4f' % view_data.data.numpy().mean(), np.reshape(view_data.data.numpy()[0], (28, 28)).shape)

for epoch in range(EPOCH):
    for step, (x, y) in enumerate(train_loader):
        b_x = Variable(x.view(-1, 28*28))
        b_y = Variable(x.view(-1, 28*28))
        b_label = Variable(y)

        encoded, decoded = autoencoder(b_x)

        loss = loss_func(decoded, b_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if step % 3 == 0:
            print('Epoch: ', epoch, '| train loss: %.4f' % loss.data.item())
            _, decoded_data = autoencoder(view_data)
            print('  decoded %.4f' % decoded_data.data.numpy().mean())

view_data = Variable(train_data.train_data[:200].view(-1, 28*28).type(torch.FloatTensor)/255.)
encoded_data, _ = autoencoder(view_data)
X = encoded_data.data[:, 0].numpy()
Y = encoded_data.data[:, 1].numpy()
Z = encoded_data.data[:, 2].numpy()
values = train_data.train_labels[:200].numpy()
for axis in (X, Y, Z):
    print('%.3f %.3f' % (axis.min(), axis.max()), axis.dtype, axis.shape)
print(values[:10], values.dtype)
