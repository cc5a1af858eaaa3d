# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E702, E703, E401, UP031, F401, UP008, UP032, I001  (tutorial code, kept as upstream writes it)
"""zergtant/pytorch-handbook (PyTorch 中文手册) chapter 3 and 4.2.2: 3.1 logistic regression on
the UCI German Credit numeric data (np.loadtxt, per-column normalisation, np.random.shuffle, an
LR module with a sigmoid output under CrossEntropyLoss and Adam, accuracy from
pred.max(-1)[1] == lab formatted with {:.2f}), 3.2 MNIST with a two-conv ConvNet, Adam,
F.nll_loss and the train/test functions, 3.3 predicting cos from sin with an nn.RNN(batch_first)
stepped one period at a time (h_state = h_state.data, a Linear per time step, torch.stack), and
4.2.2 tensorboardX (add_image of a cat picture, add_histogram / add_scalar / add_scalars of
1-element tensors in `with SummaryWriter(...)` blocks, add_embedding of the MNIST outputs with
their labels and images), the event files read back and printed.
Adapted: seeded (NumPy too); torch.__version__ is not printed; a seeded German-Credit-shaped
file (24 integer columns and a 1/2 label) and an MNIST stand-in instead of the downloads, with
ToTensor/Normalize written with NumPy (torchvision is not importable next to the real torch here);
300 epochs of the logistic regression, 256/128 MNIST images in batches of 32 for 2 epochs
(printing every 4 batches), 60 RNN steps; a drawn 64x48 picture instead of the cat photo and
32 pixels instead of 224; 10 scalar epochs; each writer gets a filename_suffix (tensorboardX names its
files by the second: writers opened within one second overwrite each other's file); no plots; vgg16's add_graph is left out (tensorboardX
needs the tensorboard package for graphs, not installed here); logs go to a temporary directory."""
import glob
import hashlib
import os
import struct
import tempfile

import torch
import torch.nn as nn
import numpy as np

torch.manual_seed(0)
np.random.seed(0)
tmpdir = tempfile.mkdtemp()

# german.data-numeric 的替代品：1000 行，24 个整数特征，最后一列是 1/2 标签
_rs = np.random.RandomState(3)
_features = _rs.randint(0, 10, size=(1000, 24))
_labels = ((_features[:, :4].sum(1) + _rs.randint(0, 12, 1000)) > 24).astype(int) + 1
np.savetxt(os.path.join(tmpdir, "german.data-numeric"), np.column_stack([_features, _labels]), fmt="%d")

# ================================================================ 3.1 logistic回归实战
data=np.loadtxt(os.path.join(tmpdir, "german.data-numeric"))

n,l=data.shape
for j in range(l-1):
    meanVal=np.mean(data[:,j])
    stdVal=np.std(data[:,j])
    data[:,j]=(data[:,j]-meanVal)/stdVal

np.random.shuffle(data)

train_data=data[:900,:l-1]
train_lab=data[:900,l-1]-1
test_data=data[900:,:l-1]
test_lab=data[900:,l-1]-1

class LR(nn.Module):
    def __init__(self):
        super(LR,self).__init__()
        self.fc=nn.Linear(24,2) # 由于24个维度已经固定了，所以这里写24
    def forward(self,x):
        out=self.fc(x)
        out=torch.sigmoid(out)
        return out

def test(pred,lab):
    t=pred.max(-1)[1]==lab
    return torch.mean(t.float())

net=LR()
criterion=nn.CrossEntropyLoss() # 使用CrossEntropyLoss损失
optm=torch.optim.Adam(net.parameters()) # Adam优化
epochs=300 # 训练300次

for i in range(epochs):
    # 指定模型为训练模式，计算梯度
    net.train()
    # 输入值都需要转化成torch的Tensor
    x=torch.from_numpy(train_data).float()
    y=torch.from_numpy(train_lab).long()
    y_hat=net(x)
    loss=criterion(y_hat,y) # 计算损失
    optm.zero_grad() # 前一步的损失清零
    loss.backward() # 反向传播
    optm.step() # 优化
    if (i+1)%100 ==0 : # 这里我们每100次输出相关的信息
        # 指定模型为计算模式
        net.eval()
        test_in=torch.from_numpy(test_data).float()
        test_l=torch.from_numpy(test_lab).long()
        test_out=net(test_in)
        # 使用我们的测试函数计算准确率
        accu=test(test_out,test_l)
        print("Epoch:{},Loss:{:.4f},Accuracy：{:.2f}".format(i+1,loss.item(),accu))

# ================================================================ 3.2 MNIST数据集手写数字识别
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import Dataset


class transforms:  # the torchvision transforms used here, on the host (NumPy) as torchvision's
    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, img):
            for t in self.transforms:
                img = t(img)
            return img

    class ToTensor:
        def __call__(self, pic):
            return pic.astype(np.float32)[None] / 255

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, array):
            return torch.from_numpy((array - np.float32(self.mean[0])) / np.float32(self.std[0]))


class MNIST(Dataset):
    """A seeded stand-in for torchvision.datasets.MNIST (uint8 digits, int targets)."""

    def __init__(self, root, train=True, download=False, transform=None):
        rs = np.random.RandomState(1 if train else 2)
        n = 256 if train else 128
        self.targets = rs.randint(0, 10, n)
        noise = rs.rand(n, 28, 28) * 90
        bars = (np.arange(28).reshape(1, 28, 1) // 3 == self.targets.reshape(-1, 1, 1)) * 160.0
        self.data = (noise + bars).astype(np.uint8)
        self.transform = transform

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        return img, target

    def __len__(self):
        return len(self.data)


class datasets:
    MNIST = MNIST


BATCH_SIZE=32 #大概需要2G的显存
EPOCHS=2 # 总共训练批次
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu") # 让torch判断是否使用GPU，建议使用GPU环境，因为会快很多

train_loader = torch.utils.data.DataLoader(
        datasets.MNIST('data', train=True, download=True,
                       transform=transforms.Compose([
                           transforms.ToTensor(),
                           transforms.Normalize((0.1307,), (0.3081,))
                       ])),
        batch_size=BATCH_SIZE, shuffle=True)

test_loader = torch.utils.data.DataLoader(
        datasets.MNIST('data', train=False, transform=transforms.Compose([
                           transforms.ToTensor(),
                           transforms.Normalize((0.1307,), (0.3081,))
                       ])),
        batch_size=BATCH_SIZE, shuffle=True)

class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        # batch*1*28*28（每次会送入batch个样本，输入通道数1（黑白图像），图像分辨率是28x28）
        # 下面的卷积层Conv2d的第一个参数指输入通道数，第二个参数指输出通道数，第三个参数指卷积核的大小
        self.conv1 = nn.Conv2d(1, 10, 5) # 输入通道数1，输出通道数10，核的大小5
        self.conv2 = nn.Conv2d(10, 20, 3) # 输入通道数10，输出通道数20，核的大小3
        # 下面的全连接层Linear的第一个参数指输入通道数，第二个参数指输出通道数
        self.fc1 = nn.Linear(20*10*10, 500) # 输入通道数是2000，输出通道数是500
        self.fc2 = nn.Linear(500, 10) # 输入通道数是500，输出通道数是10，即10分类
    def forward(self,x):
        in_size = x.size(0) # 在本例中in_size=512，也就是BATCH_SIZE的值。输入的x可以看成是512*1*28*28的张量。
        out = self.conv1(x) # batch*1*28*28 -> batch*10*24*24（28x28的图像经过一次核为5x5的卷积，输出变为24x24）
        out = F.relu(out) # batch*10*24*24（激活函数ReLU不改变形状））
        out = F.max_pool2d(out, 2, 2) # batch*10*24*24 -> batch*10*12*12（2*2的池化层会减半）
        out = self.conv2(out) # batch*10*12*12 -> batch*20*10*10（再卷积一次，核的大小是3）
        out = F.relu(out) # batch*20*10*10
        out = out.view(in_size, -1) # batch*20*10*10 -> batch*2000（out的第二维是-1，说明是自动推算，本例中第二维是20*10*10）
        out = self.fc1(out) # batch*2000 -> batch*500
        out = F.relu(out) # batch*500
        out = self.fc2(out) # batch*500 -> batch*10
        out = F.log_softmax(out, dim=1) # 计算log(softmax(x))
        return out

model = ConvNet().to(DEVICE)
optimizer = optim.Adam(model.parameters())

def train(model, device, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if(batch_idx+1)%4 == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.4f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))

def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item() # 将一批的损失相加
            pred = output.max(1, keepdim=True)[1] # 找到概率最大的下标
            correct += pred.eq(target.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset),
        100. * correct / len(test_loader.dataset)))

for epoch in range(1, EPOCHS + 1):
    train(model, DEVICE, train_loader, optimizer, epoch)
    test(model, DEVICE, test_loader)

# ================================================================ 3.3 通过Sin预测Cos
from torch import optim
import math, random

TIME_STEP = 10 # rnn 时序步长数
INPUT_SIZE = 1 # rnn 的输入维度
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
H_SIZE = 64 # of rnn 隐藏单元个数
EPOCHS=60 # 总共训练次数
h_state = None # 隐藏层状态

steps = np.linspace(0, np.pi*2, 256, dtype=np.float32)
x_np = np.sin(steps)
y_np = np.cos(steps)

class RNN(nn.Module):
    def __init__(self):
        super(RNN, self).__init__()
        self.rnn = nn.RNN(
        input_size=INPUT_SIZE,
        hidden_size=H_SIZE,
        num_layers=1,
        batch_first=True,
        )
        self.out = nn.Linear(H_SIZE, 1)
    def forward(self, x, h_state):
         # x (batch, time_step, input_size)
         # h_state (n_layers, batch, hidden_size)
         # r_out (batch, time_step, hidden_size)
        r_out, h_state = self.rnn(x, h_state)
        outs = [] # 保存所有的预测值
        for time_step in range(r_out.size(1)): # 计算每一步长的预测值
            outs.append(self.out(r_out[:, time_step, :]))
        return torch.stack(outs, dim=1), h_state

rnn = RNN().to(DEVICE)
optimizer = torch.optim.Adam(rnn.parameters()) # Adam优化，几乎不用调参
criterion = nn.MSELoss() # 因为最终的结果是一个数值，所以损失函数用均方误差

rnn.train()
for step in range(EPOCHS):
    start, end = step * np.pi, (step+1)*np.pi # 一个时间周期
    steps = np.linspace(start, end, TIME_STEP, dtype=np.float32)
    x_np = np.sin(steps)
    y_np = np.cos(steps)
    x = torch.from_numpy(x_np[np.newaxis, :, np.newaxis]) # shape (batch, time_step, input_size)
    y = torch.from_numpy(y_np[np.newaxis, :, np.newaxis])
    prediction, h_state = rnn(x, h_state) # rnn output
    # 这一步非常重要
    h_state = h_state.data # 重置隐藏层的状态, 切断和前一次迭代的链接
    loss = criterion(prediction, y)
    # 这三行写在一起就可以
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (step+1)%20==0: #每训练20个批次可视化一下效果，并打印一下loss
        print("EPOCHS: {},Loss:{:.4f}".format(step,loss))
        print(np.round(prediction.data.numpy().flatten(), 2))

# ================================================================ 4.2.2 使用Tensorboard在 PyTorch 中进行可视化
from PIL import Image
from tensorboardX import SummaryWriter

logs = os.path.join(tmpdir, 'logs')

# 1280x853 的猫的图片的替代品
_yy, _xx = np.mgrid[0:48, 0:64]
cat_img = Image.fromarray(np.stack([_xx * 4, _yy * 5, (_xx + _yy) * 2], -1).astype(np.uint8))
print(cat_img.size)


class Resize:
    def __init__(self, size):
        self.size = size

    def __call__(self, img):  # the shorter side to `size`, as torchvision's Resize(int)
        w, h = img.size
        if w < h:
            return img.resize((self.size, int(self.size * h / w)), Image.BILINEAR)
        return img.resize((int(self.size * w / h), self.size), Image.BILINEAR)


class CenterCrop:
    def __init__(self, size):
        self.size = size

    def __call__(self, img):
        w, h = img.size
        left, top = int(round((w - self.size) / 2.0)), int(round((h - self.size) / 2.0))
        return img.crop((left, top, left + self.size, top + self.size))


class ToTensor:
    def __call__(self, pic):
        return torch.from_numpy(np.asarray(pic, dtype=np.float32).transpose(2, 0, 1) / 255)


transform_224 = transforms.Compose([
        Resize(32), # 这里要说明下 Scale 已经过期了，使用Resize
        CenterCrop(32),
        ToTensor(),
    ])
cat_img_224=transform_224(cat_img)

writer = SummaryWriter(log_dir=logs, comment='cat image') # 这里的logs要与--logdir的参数一样
writer.add_image("cat",cat_img_224)
writer.close()# 执行close立即刷新，否则将每120秒自动刷新

x = torch.FloatTensor([100])
y = torch.FloatTensor([500])

for epoch in range(10):
    x /= 1.5
    y /= 1.5
    loss = y - x
    with SummaryWriter(log_dir=logs, comment='train', filename_suffix='.%d' % epoch) as writer: #可以直接使用python的with语法，自动调用close方法
        writer.add_histogram('his/x', x, epoch)
        writer.add_histogram('his/y', y, epoch)
        writer.add_scalar('data/x', x, epoch)
        writer.add_scalar('data/y', y, epoch)
        writer.add_scalar('data/loss', loss, epoch)
        writer.add_scalars('data/data_group', {'x': x,
                                                 'y': y,
                                                 'loss': loss}, epoch)

class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        # 1,28x28
        self.conv1=nn.Conv2d(1,10,5) # 10, 24x24
        self.conv2=nn.Conv2d(10,20,3) # 128, 10x10
        self.fc1 = nn.Linear(20*10*10,500)
        self.fc2 = nn.Linear(500,10)
    def forward(self,x):
        in_size = x.size(0)
        out = self.conv1(x) #24
        out = F.relu(out)
        out = F.max_pool2d(out, 2, 2)  #12
        out = self.conv2(out) #10
        out = F.relu(out)
        out = out.view(in_size,-1)
        out = self.fc1(out)
        out = F.relu(out)
        out = self.fc2(out)
        out = F.log_softmax(out,dim=1)
        return out
model = ConvNet()
optimizer = torch.optim.Adam(model.parameters())

def train(model, train_loader, optimizer, epoch):
    n_iter=0
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if(batch_idx+1)%4 == 0:
            n_iter=n_iter+1
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.4f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
            #主要增加了一下内容
            out = torch.cat((output.data, torch.ones(len(output), 1)), 1) # 因为是投影到3D的空间，所以我们只需要3个维度
            with SummaryWriter(log_dir=logs, comment='mnist', filename_suffix='.mnist%d' % n_iter) as writer:
                #使用add_embedding方法进行可视化展示
                writer.add_embedding(
                    out,
                    metadata=target.data,
                    label_img=data.data,
                    global_step=n_iter)

train(model, train_loader, optimizer, 0)


# ---------------------------------------------------------------- the logs, read back
from tensorboardX.proto import event_pb2


def read_events(path):
    with open(path, 'rb') as f:
        data = f.read()
    i = 0
    while i < len(data):
        n = struct.unpack('<Q', data[i:i + 8])[0]
        yield event_pb2.Event.FromString(data[i + 12:i + 12 + n])
        i += 12 + n + 4


def describe(v):
    kind = v.WhichOneof('value')
    if kind == 'simple_value':
        return '%.4f' % v.simple_value
    if kind == 'histo':
        h = v.histo
        return 'histo min=%g max=%g num=%g sum=%.4f' % (h.min, h.max, h.num, h.sum)
    if kind == 'image':
        return 'image %dx%dx%d png %s' % (v.image.height, v.image.width, v.image.colorspace,
                                         hashlib.md5(v.image.encoded_image_string).hexdigest()[:8])
    return kind


lines = []
for path in glob.glob(os.path.join(logs, '**', 'events.out.tfevents.*'), recursive=True):
    run = os.path.relpath(os.path.dirname(path), logs)
    for ev in read_events(path):
        for v in ev.summary.value:
            lines.append('%s step %d %s: %s' % (run, ev.step, v.tag, describe(v)))
for line in sorted(lines):
    print(line)

for path in sorted(glob.glob(os.path.join(logs, '*', '*', '*.tsv'))):
    with open(path) as f:
        rows = [row.split('\t') for row in f.read().splitlines()]
    if path.endswith('tensors.tsv'):
        rows[0] = [round(float(v), 3) for v in rows[0]]
    print(os.path.relpath(path, logs), len(rows), rows[0])
for path in sorted(glob.glob(os.path.join(logs, '*', '*', 'sprite.png'))):
    with Image.open(path) as img:
        print(os.path.relpath(path, logs), img.size, hashlib.md5(img.tobytes()).hexdigest()[:8])
