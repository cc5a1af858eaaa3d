# ruff: noqa: UP008, UP032, I001  (tutorial code, kept as upstream writes it)
"""L1aoXingyu/pytorch-beginner 01-Linear Regression/Linear_Regression.py and 02-Logistic
Regression/Logistic_Regression.py (the book 深度学习入门之PyTorch, chapter 3): nn.Linear(1, 1)
fitted with MSELoss and SGD on the fifteen points of the book, model.eval(), predictions through
.data.numpy(), torch.save of the state_dict; then a logistic regression (Linear(28*28, 10) with
CrossEntropyLoss and SGD) over MNIST batches with the running loss / accuracy bookkeeping
(torch.max(out, 1), (pred == label).sum()), Variable(..., volatile=True) in the evaluation loop
and the saved model. Adapted: seeded; a small MNIST-shaped stand-in dataset instead of the
download (transforms.ToTensor as a plain function); fewer epochs; no plot and no timings;
`loss.data[0]` / `num_correct.data[0]` (IndexErrors on 0-dim tensors since PyTorch 0.4) are
`.item()`; losses printed with 4 decimals (float32 sums in another order differ in the 6th); the checkpoints go to a temporary directory and are read back."""
import os
import tempfile

import torch
from torch import nn, optim
from torch.autograd import Variable
from torch.utils.data import DataLoader, Dataset
import numpy as np

torch.manual_seed(0)
tmpdir = tempfile.mkdtemp()

# ------------------------------------------------------------ Linear_Regression.py
x_train = np.array([[3.3], [4.4], [5.5], [6.71], [6.93], [4.168],
                    [9.779], [6.182], [7.59], [2.167], [7.042],
                    [10.791], [5.313], [7.997], [3.1]], dtype=np.float32)

y_train = np.array([[1.7], [2.76], [2.09], [3.19], [1.694], [1.573],
                    [3.366], [2.596], [2.53], [1.221], [2.827],
                    [3.465], [1.65], [2.904], [1.3]], dtype=np.float32)


x_train = torch.from_numpy(x_train)

y_train = torch.from_numpy(y_train)


# Linear Regression Model
class LinearRegression(nn.Module):
    def __init__(self):
        super(LinearRegression, self).__init__()
        self.linear = nn.Linear(1, 1)  # input and output is 1 dimension

    def forward(self, x):
        out = self.linear(x)
        return out


model = LinearRegression()
# 定义loss和优化函数
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=1e-4)

# 开始训练
num_epochs = 100
for epoch in range(num_epochs):
    inputs = Variable(x_train)
    target = Variable(y_train)

    # forward
    out = model(inputs)
    loss = criterion(out, target)
    # backward
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if (epoch+1) % 20 == 0:
        print('Epoch[{}/{}], loss: {:.4f}'
              .format(epoch+1, num_epochs, loss.item()))

model.eval()
predict = model(Variable(x_train))
predict = predict.data.numpy()
print(type(predict).__name__, predict.dtype, predict.shape, np.round(predict[:3, 0], 4))

# 保存模型
torch.save(model.state_dict(), os.path.join(tmpdir, 'linear.pth'))
print(list(torch.load(os.path.join(tmpdir, 'linear.pth')).items()))

# ------------------------------------------------------------ Logistic_Regression.py
# 定义超参数
batch_size = 32
learning_rate = 1e-3
num_epoches = 2


def to_tensor(img):
    # transforms.ToTensor(): uint8 HxW -> float 1xHxW in [0, 1]
    return img.float().div(255).unsqueeze(0)


class MNIST(Dataset):
    """A seeded stand-in for torchvision.datasets.MNIST (uint8 digits, int targets)."""

    def __init__(self, root, train=True, transform=None, download=False):
        g = torch.Generator().manual_seed(1 if train else 2)
        n = 256 if train else 96
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


train_dataset = MNIST(
    root='./data', train=True, transform=to_tensor, download=True)

test_dataset = MNIST(
    root='./data', train=False, transform=to_tensor)

train_loader = DataLoader(train_dataset, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=batch_size, shuffle=False)


# 定义 Logistic Regression 模型
class Logstic_Regression(nn.Module):
    def __init__(self, in_dim, n_class):
        super(Logstic_Regression, self).__init__()
        self.logstic = nn.Linear(in_dim, n_class)

    def forward(self, x):
        out = self.logstic(x)
        return out


model = Logstic_Regression(28 * 28, 10)  # 图片大小是28x28
use_gpu = torch.cuda.is_available()  # 判断是否有GPU加速
if use_gpu:
    model = model.cuda()
# 定义loss和optimizer
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=learning_rate)
print(model)

# 开始训练
for epoch in range(num_epoches):
    print('*' * 10)
    print('epoch {}'.format(epoch + 1))
    running_loss = 0.0
    running_acc = 0.0
    for i, data in enumerate(train_loader, 1):
        img, label = data
        img = img.view(img.size(0), -1)  # 将图片展开成 28x28
        if use_gpu:
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
    print(type(num_correct).__name__, num_correct.dtype, out.requires_grad, type(eval_acc).__name__)
    print()

# 保存模型
torch.save(model.state_dict(), os.path.join(tmpdir, 'logstic.pth'))
state = torch.load(os.path.join(tmpdir, 'logstic.pth'))
print({k: (tuple(v.shape), v.dtype) for k, v in state.items()})
