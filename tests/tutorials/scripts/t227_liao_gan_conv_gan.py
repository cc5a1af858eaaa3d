# ruff: noqa: UP008, UP032  (tutorial code, kept as upstream writes it)
"""L1aoXingyu/pytorch-beginner 09-Generative Adversarial network/simple_Gan.py and conv_gan.py
(the book 深度学习入门之PyTorch, chapter 6, GANs): an MLP discriminator (LeakyReLU(0.2),
Sigmoid) and generator (ReLU(True), Tanh), then a convolutional discriminator (Conv2d,
LeakyReLU(0.2, True), AvgPool2d) and a generator that reshapes a Linear output to 1x56x56 and
goes through BatchNorm2d / Conv2d blocks down to 1x28x28; both trained with BCELoss and two Adam
optimizers (discriminator on real and fake images, then generator against the real labels),
the log line formatting 0-dim tensors (real_scores.data.mean()) with a format spec, to_img and
the saved state_dicts. Adapted: seeded; a small MNIST-shaped stand-in dataset (ToTensor /
Normalize as plain functions, no worker processes); batch size 16, one epoch of one step, a log
line every step; a save_image stand-in that reports the batch it would write; `.data[0]` on
0-dim tensors (IndexErrors since PyTorch 0.4) is `.item()`; the `.cuda()` calls upstream makes
unconditionally are behind torch.cuda.is_available(); the labels are torch.ones(num_img, 1) /
torch.zeros(num_img, 1) (BCELoss of a (N, 1) output against (N,) labels is a ValueError since
PyTorch 0.4); losses printed with 4 decimals; checkpoints in a temporary directory."""
import os
import tempfile

import torch
from torch import nn
from torch.autograd import Variable
from torch.utils.data import Dataset

torch.manual_seed(0)
tmpdir = tempfile.mkdtemp()
use_cuda = torch.cuda.is_available()


class MNIST(Dataset):
    """A seeded stand-in for torchvision.datasets.MNIST (uint8 digits, int targets)."""

    def __init__(self, root, train=True, transform=None, download=False):
        g = torch.Generator().manual_seed(1 if train else 2)
        n = 16
        self.targets = torch.randint(0, 10, (n,), generator=g)
        noise = torch.rand(n, 28, 28, generator=g) * 90
        bars = (torch.arange(28).view(1, 28, 1) // 3 == self.targets.view(-1, 1, 1)).float() * 160
        self.data = (noise + bars).to(torch.uint8)
        self.transform = transform

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        return img, target

    def __len__(self):
        return len(self.data)


def img_transform(img):
    # transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=(0.5,), std=(0.5,))])
    return (img.float().div(255).unsqueeze(0) - 0.5) / 0.5


def save_image(pic, path):
    # torchvision.utils.save_image stand-in: what would be written
    print('save_image {} {} min {:.4f} max {:.4f}'.format(
        os.path.basename(path), tuple(pic.size()), pic.min().item(), pic.max().item()))


def to_img(x):
    out = 0.5 * (x + 1)
    out = out.clamp(0, 1)
    out = out.view(-1, 1, 28, 28)
    return out


batch_size = 16
num_epoch = 1
z_dimension = 100

# ------------------------------------------------------------ simple_Gan.py
# MNIST dataset
mnist = MNIST(root='./data/',
              train=True,
              transform=img_transform,
              download=True)
# Data loader
dataloader = torch.utils.data.DataLoader(dataset=mnist,
                                         batch_size=batch_size,
                                         shuffle=True)


# Discriminator
class discriminator(nn.Module):
    def __init__(self):
        super(discriminator, self).__init__()
        self.dis = nn.Sequential(
            nn.Linear(784, 256),
            nn.LeakyReLU(0.2),
            nn.Linear(256, 256),
            nn.LeakyReLU(0.2),
            nn.Linear(256, 1),
            nn.Sigmoid()
        )

    def forward(self, x):
        x = self.dis(x)
        return x


# Generator
class generator(nn.Module):
    def __init__(self):
        super(generator, self).__init__()
        self.gen = nn.Sequential(
            nn.Linear(100, 256),
            nn.ReLU(True),
            nn.Linear(256, 256),
            nn.ReLU(True),
            nn.Linear(256, 784),
            nn.Tanh()
        )

    def forward(self, x):
        x = self.gen(x)
        return x


D = discriminator()
G = generator()
if torch.cuda.is_available():
    D = D.cuda()
    G = G.cuda()
print(D)
# Binary cross entropy loss and optimizer
criterion = nn.BCELoss()
d_optimizer = torch.optim.Adam(D.parameters(), lr=0.0003)
g_optimizer = torch.optim.Adam(G.parameters(), lr=0.0003)


def train(D, G, flatten, name):
    for epoch in range(num_epoch):
        for i, (img, _) in enumerate(dataloader):
            num_img = img.size(0)
            # =================train discriminator
            if flatten:
                img = img.view(num_img, -1)
            real_img = Variable(img)
            real_label = Variable(torch.ones(num_img, 1))
            fake_label = Variable(torch.zeros(num_img, 1))
            if use_cuda:
                real_img, real_label, fake_label = real_img.cuda(), real_label.cuda(), fake_label.cuda()

            # compute loss of real_img
            real_out = D(real_img)
            d_loss_real = criterion(real_out, real_label)
            real_scores = real_out  # closer to 1 means better

            # compute loss of fake_img
            z = Variable(torch.randn(num_img, z_dimension))
            if use_cuda:
                z = z.cuda()
            fake_img = G(z)
            fake_out = D(fake_img)
            d_loss_fake = criterion(fake_out, fake_label)
            fake_scores = fake_out  # closer to 0 means better

            # bp and optimize
            d_loss = d_loss_real + d_loss_fake
            d_optimizer.zero_grad()
            d_loss.backward()
            d_optimizer.step()

            # ===============train generator
            # compute loss of fake_img
            z = Variable(torch.randn(num_img, z_dimension))
            if use_cuda:
                z = z.cuda()
            fake_img = G(z)
            output = D(fake_img)
            g_loss = criterion(output, real_label)

            # bp and optimize
            g_optimizer.zero_grad()
            g_loss.backward()
            g_optimizer.step()

            if (i+1) % 1 == 0:
                print('Epoch [{}/{}], d_loss: {:.4f}, g_loss: {:.4f} '
                      'D real: {:.4f}, D fake: {:.4f}'
                      .format(epoch, num_epoch, d_loss.item(), g_loss.item(),
                              real_scores.data.mean(), fake_scores.data.mean()))
        if epoch == 0:
            real_images = to_img(real_img.cpu().data)
            save_image(real_images, './data/img/real_images.png')

        fake_images = to_img(fake_img.cpu().data)
        save_image(fake_images, './data/img/fake_images-{}.png'.format(epoch+1))

    torch.save(G.state_dict(), os.path.join(tmpdir, name + 'generator.pth'))
    torch.save(D.state_dict(), os.path.join(tmpdir, name + 'discriminator.pth'))
    print(list(torch.load(os.path.join(tmpdir, name + 'generator.pth')).keys()))


train(D, G, True, 'simple_')

# ------------------------------------------------------------ conv_gan.py


class discriminator(nn.Module):
    def __init__(self):
        super(discriminator, self).__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2),  # batch, 32, 28, 28
            nn.LeakyReLU(0.2, True),
            nn.AvgPool2d(2, stride=2),  # batch, 32, 14, 14
            )
        self.conv2 = nn.Sequential(
            nn.Conv2d(32, 64, 5, padding=2),  # batch, 64, 14, 14
            nn.LeakyReLU(0.2, True),
            nn.AvgPool2d(2, stride=2)  # batch, 64, 7, 7
        )
        self.fc = nn.Sequential(
            nn.Linear(64*7*7, 1024),
            nn.LeakyReLU(0.2, True),
            nn.Linear(1024, 1),
            nn.Sigmoid()
        )

    def forward(self, x):
        '''
        x: batch, width, height, channel=1
        '''
        x = self.conv1(x)
        x = self.conv2(x)
        x = x.view(x.size(0), -1)
        x = self.fc(x)
        return x


class generator(nn.Module):
    def __init__(self, input_size, num_feature):
        super(generator, self).__init__()
        self.fc = nn.Linear(input_size, num_feature)  # batch, 3136=1x56x56
        self.br = nn.Sequential(
            nn.BatchNorm2d(1),
            nn.ReLU(True)
        )
        self.downsample1 = nn.Sequential(
            nn.Conv2d(1, 50, 3, stride=1, padding=1),  # batch, 50, 56, 56
            nn.BatchNorm2d(50),
            nn.ReLU(True)
        )
        self.downsample2 = nn.Sequential(
            nn.Conv2d(50, 25, 3, stride=1, padding=1),  # batch, 25, 56, 56
            nn.BatchNorm2d(25),
            nn.ReLU(True)
        )
        self.downsample3 = nn.Sequential(
            nn.Conv2d(25, 1, 2, stride=2),  # batch, 1, 28, 28
            nn.Tanh()
        )

    def forward(self, x):
        x = self.fc(x)
        x = x.view(x.size(0), 1, 56, 56)
        x = self.br(x)
        x = self.downsample1(x)
        x = self.downsample2(x)
        x = self.downsample3(x)
        return x


D = discriminator()  # discriminator model
G = generator(z_dimension, 3136)  # generator model
if use_cuda:
    D, G = D.cuda(), G.cuda()
print(G)

criterion = nn.BCELoss()  # binary cross entropy

d_optimizer = torch.optim.Adam(D.parameters(), lr=0.0003)
g_optimizer = torch.optim.Adam(G.parameters(), lr=0.0003)

train(D, G, False, 'conv_')
print(G.br[0].running_mean, G.br[0].num_batches_tracked)
