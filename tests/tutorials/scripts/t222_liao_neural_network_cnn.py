# ruff: noqa: UP008, UP032  (tutorial code, kept as upstream writes it)
"""L1aoXingyu/pytorch-beginner 03-Neural Network/neural_network.py and 04-Convolutional Neural
Network/convolution_network.py (the book 深度学习入门之PyTorch, chapter 3 and 4): a three-layer
Neuralnetwork and a Cnn (Conv2d / ReLU(True) / MaxPool2d in nn.Sequential, then Linear layers)
trained with SGD and CrossEntropyLoss on MNIST batches, the running loss / accuracy bookkeeping,
(pred == label).float().mean(), the per-step Logger calls (scalars, parameter and gradient
histograms from to_np(x) = x.cpu().data.numpy(), images), evaluation with Variable(...,
volatile=True), saved state_dicts. Adapted: seeded; a small MNIST-shaped stand-in dataset
(transforms.ToTensor as a plain function); a Logger stand-in that keeps NumPy histograms instead
of writing TensorBoard files; fewer epochs; `.data[0]` on 0-dim tensors (IndexErrors since
PyTorch 0.4) is `.item()`; losses printed with 4 decimals; checkpoints in a temporary directory."""
import os
import tempfile

import numpy as np
import torch
from torch import nn, optim
from torch.autograd import Variable
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
tmpdir = tempfile.mkdtemp()


def to_tensor(img):
    # transforms.ToTensor(): uint8 HxW -> float 1xHxW in [0, 1]
    return img.float().div(255).unsqueeze(0)


class MNIST(Dataset):
    """A seeded stand-in for torchvision.datasets.MNIST (uint8 digits, int targets)."""

    def __init__(self, root, train=True, transform=None, download=False):
        g = torch.Generator().manual_seed(1 if train else 2)
        n = 256 if train else 128
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


# ------------------------------------------------------------ neural_network.py
batch_size = 32
learning_rate = 1e-2
num_epoches = 2

train_dataset = MNIST(
    root='./data', train=True, transform=to_tensor, download=True)

test_dataset = MNIST(
    root='./data', train=False, transform=to_tensor)

train_loader = DataLoader(train_dataset, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=batch_size, shuffle=False)


# 定义简单的前馈神经网络
class Neuralnetwork(nn.Module):
    def __init__(self, in_dim, n_hidden_1, n_hidden_2, out_dim):
        super(Neuralnetwork, self).__init__()
        self.layer1 = nn.Linear(in_dim, n_hidden_1)
        self.layer2 = nn.Linear(n_hidden_1, n_hidden_2)
        self.layer3 = nn.Linear(n_hidden_2, out_dim)

    def forward(self, x):
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return x


model = Neuralnetwork(28 * 28, 300, 100, 10)
if torch.cuda.is_available():
    model = model.cuda()

criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=learning_rate)

for epoch in range(num_epoches):
    print('epoch {}'.format(epoch + 1))
    print('*' * 10)
    running_loss = 0.0
    running_acc = 0.0
    for i, data in enumerate(train_loader, 1):
        img, label = data
        img = img.view(img.size(0), -1)
        if torch.cuda.is_available():
            img = Variable(img).cuda()
            label = Variable(label).cuda()
        else:
            img = Variable(img)
            label = Variable(label)
        # 向前传播
        out = model(img)
        loss = criterion(out, label)
        running_loss += loss.item() * label.size(0)
        _, pred = torch.max(out, 1)
        num_correct = (pred == label).sum()
        running_acc += num_correct.item()
        # 向后传播
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if i % 4 == 0:
            print('[{}/{}] Loss: {:.4f}, Acc: {:.6f}'.format(
                epoch + 1, num_epoches, running_loss / (batch_size * i),
                running_acc / (batch_size * i)))
    print('Finish {} epoch, Loss: {:.4f}, Acc: {:.6f}'.format(
        epoch + 1, running_loss / (len(train_dataset)), running_acc / (len(
            train_dataset))))
    model.eval()
    eval_loss = 0.
    eval_acc = 0.
    for data in test_loader:
        img, label = data
        img = img.view(img.size(0), -1)
        if torch.cuda.is_available():
            img = Variable(img, volatile=True).cuda()
            label = Variable(label, volatile=True).cuda()
        else:
            img = Variable(img, volatile=True)
            label = Variable(label, volatile=True)
        out = model(img)
        loss = criterion(out, label)
        eval_loss += loss.item() * label.size(0)
        _, pred = torch.max(out, 1)
        num_correct = (pred == label).sum()
        eval_acc += num_correct.item()
    print('Test Loss: {:.4f}, Acc: {:.6f}'.format(eval_loss / (len(
        test_dataset)), eval_acc / (len(test_dataset))))
    print()

# 保存模型
torch.save(model.state_dict(), os.path.join(tmpdir, 'neural_network.pth'))
print(list(torch.load(os.path.join(tmpdir, 'neural_network.pth')).keys()))

# ------------------------------------------------------------ convolution_network.py
batch_size = 128
learning_rate = 1e-2
num_epoches = 2


def to_np(x):
    return x.cpu().data.numpy()


class Logger:
    """Stand-in for the chapter's TensorBoard logger: keeps what it would have written."""

    def __init__(self, log_dir):
        self.scalars, self.histos, self.images = {}, {}, {}

    def scalar_summary(self, tag, value, step):
        self.scalars.setdefault(tag, []).append((step, value))

    def histo_summary(self, tag, values, step, bins=10):
        counts, _ = np.histogram(values, bins=bins)
        self.histos[tag] = (step, values.shape, int(counts.sum()))

    def image_summary(self, tag, images, step):
        self.images[tag] = (step, images.shape, images.dtype)


train_loader = DataLoader(train_dataset, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=batch_size, shuffle=False)


# 定义 Convolution Network 模型
class Cnn(nn.Module):
    def __init__(self, in_dim, n_class):
        super(Cnn, self).__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(in_dim, 6, 3, stride=1, padding=1),
            nn.ReLU(True),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5, stride=1, padding=0),
            nn.ReLU(True), nn.MaxPool2d(2, 2))

        self.fc = nn.Sequential(
            nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, n_class))

    def forward(self, x):
        out = self.conv(x)
        out = out.view(out.size(0), -1)
        out = self.fc(out)
        return out


model = Cnn(1, 10)  # 图片大小是28x28
use_gpu = torch.cuda.is_available()  # 判断是否有GPU加速
if use_gpu:
    model = model.cuda()
print(model)
# 定义loss和optimizer
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=learning_rate)
logger = Logger('./logs')
# 开始训练
for epoch in range(num_epoches):
    print('epoch {}'.format(epoch + 1))
    print('*' * 10)
    running_loss = 0.0
    running_acc = 0.0
    for i, data in enumerate(train_loader, 1):
        img, label = data
        if use_gpu:
            img = img.cuda()
            label = label.cuda()
        img = Variable(img)
        label = Variable(label)
        # 向前传播
        out = model(img)
        loss = criterion(out, label)
        running_loss += loss.item() * label.size(0)
        _, pred = torch.max(out, 1)
        num_correct = (pred == label).sum()
        accuracy = (pred == label).float().mean()
        running_acc += num_correct.item()
        # 向后传播
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        # ========================= Log ======================
        step = epoch * len(train_loader) + i
        # (1) Log the scalar values
        info = {'loss': loss.item(), 'accuracy': accuracy.item()}

        for tag, value in info.items():
            logger.scalar_summary(tag, value, step)

        # (2) Log values and gradients of the parameters (histogram)
        for tag, value in model.named_parameters():
            tag = tag.replace('.', '/')
            logger.histo_summary(tag, to_np(value), step)
            logger.histo_summary(tag + '/grad', to_np(value.grad), step)

        # (3) Log the images
        info = {'images': to_np(img.view(-1, 28, 28)[:10])}

        for tag, images in info.items():
            logger.image_summary(tag, images, step)
        if i % 2 == 0:
            print('[{}/{}] Loss: {:.4f}, Acc: {:.6f}'.format(
                epoch + 1, num_epoches, running_loss / (batch_size * i),
                running_acc / (batch_size * i)))
    print('Finish {} epoch, Loss: {:.4f}, Acc: {:.6f}'.format(
        epoch + 1, running_loss / (len(train_dataset)), running_acc / (len(
            train_dataset))))
    model.eval()
    eval_loss = 0
    eval_acc = 0
    for data in test_loader:
        img, label = data
        if use_gpu:
            img = Variable(img, volatile=True).cuda()
            label = Variable(label, volatile=True).cuda()
        else:
            img = Variable(img, volatile=True)
            label = Variable(label, volatile=True)
        out = model(img)
        loss = criterion(out, label)
        eval_loss += loss.item() * label.size(0)
        _, pred = torch.max(out, 1)
        num_correct = (pred == label).sum()
        eval_acc += num_correct.item()
    print('Test Loss: {:.4f}, Acc: {:.6f}'.format(eval_loss / (len(
        test_dataset)), eval_acc / (len(test_dataset))))
    print()

print(sorted(logger.scalars), [(s, round(v, 4)) for s, v in logger.scalars['accuracy']])
print(sorted(logger.histos.items())[:3])
print(logger.images)
# 保存模型
torch.save(model.state_dict(), os.path.join(tmpdir, 'cnn.pth'))
print(list(torch.load(os.path.join(tmpdir, 'cnn.pth')).keys()))
