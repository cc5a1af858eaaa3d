# ruff: noqa: B007, B009, E402, E731, F401, F841, I001, UP008, UP024, UP025, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book chapters 4-5: nn.Module with nn.Parameter, Sequential/ModuleList,
forward hooks, nn.functional, optimizer param groups with their own lr, adjusting param_groups'
lr, nn.init, t.save/t.load with map_location, and data loading with a custom Dataset,
collate_fn and WeightedRandomSampler; a small in-script image set replaces the dogs-vs-cats
folder and the plots print numbers."""
import os
import tempfile
from collections import OrderedDict

import numpy as np
import torch as t
from torch import nn
from torch.nn import functional as F
from torch import optim
from torch.utils import data
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.sampler import WeightedRandomSampler
from torch.utils.data.dataloader import default_collate

t.manual_seed(1000)


# ---- 4.1 nn.Module ----
class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super(Linear, self).__init__()
        self.w = nn.Parameter(t.randn(in_features, out_features))
        self.b = nn.Parameter(t.randn(out_features))

    def forward(self, x):
        x = x.mm(self.w)
        return x + self.b.expand_as(x)


layer = Linear(4, 3)
input = t.randn(2, 4)
output = layer(input)
print(output)
for name, parameter in layer.named_parameters():
    print(name, parameter)


class Perceptron(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        nn.Module.__init__(self)
        self.layer1 = Linear(in_features, hidden_features)
        self.layer2 = Linear(hidden_features, out_features)

    def forward(self, x):
        x = self.layer1(x)
        x = t.sigmoid(x)
        return self.layer2(x)


perceptron = Perceptron(3, 4, 1)
for name, param in perceptron.named_parameters():
    print(name, param.size())
print(perceptron)

# ---- 4.2 常用神经网络层 ----
img = t.arange(0, 36, dtype=t.float32).view(1, 1, 6, 6) / 36  # (the book's lena.png, shrunk)
kernel = t.ones(3, 3) / -9.
kernel[1][1] = 1
conv = nn.Conv2d(1, 1, (3, 3), 1, bias=False)
conv.weight.data = kernel.view(1, 1, 3, 3)
out = conv(img)
print(out)
pool = nn.AvgPool2d(2, 2)
print(list(pool.parameters()))
print(pool(img))
input = t.randn(2, 3)
linear = nn.Linear(3, 4)
h = linear(input)
print(h)
bn = nn.BatchNorm1d(4)
bn.weight.data = t.ones(4) * 4
bn.bias.data = t.zeros(4)
bn_out = bn(h)
print(bn_out.mean(0).abs().max().item() < 1e-5, bn_out.var(0, unbiased=False))
dropout = nn.Dropout(0.5)
o = dropout(bn_out)
print(o)
relu = nn.ReLU(inplace=True)
input = t.randn(2, 3)
print(input)
output = relu(input)
print(output)
print(input)

net1 = nn.Sequential()
net1.add_module('conv', nn.Conv2d(3, 3, 3))
net1.add_module('batchnorm', nn.BatchNorm2d(3))
net1.add_module('activation_layer', nn.ReLU())
net2 = nn.Sequential(
    nn.Conv2d(3, 3, 3),
    nn.BatchNorm2d(3),
    nn.ReLU()
)
net3 = nn.Sequential(OrderedDict([
    ('conv1', nn.Conv2d(3, 3, 3)),
    ('bn1', nn.BatchNorm2d(3)),
    ('relu1', nn.ReLU())
]))
print('net1:', net1)
print('net2:', net2)
print('net3:', net3)
print(net1.conv, net2[0], net3.conv1)
input = t.rand(1, 3, 4, 4)
output = net1(input)
output = net2(input)
output = net3(input)
output = net3.relu1(net1.batchnorm(net1.conv(input)))
print(output.shape)

modellist = nn.ModuleList([nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)])
input = t.randn(1, 3)
for model in modellist:
    input = model(input)
print(input)


class MyModule(nn.Module):
    def __init__(self):
        super(MyModule, self).__init__()
        self.list = [nn.Linear(3, 4), nn.ReLU()]
        self.module_list = nn.ModuleList([nn.Conv2d(3, 3, 3), nn.ReLU()])

    def forward(self):
        pass


model = MyModule()
print(model)
for name, param in model.named_parameters():
    print(name, param.size())

# RNN / LSTM / Embedding
t.manual_seed(1000)
input = t.randn(2, 3, 4)
lstm = nn.LSTM(4, 3, 1)
h0 = t.randn(1, 3, 3)
c0 = t.randn(1, 3, 3)
out, hn = lstm(input, (h0, c0))
print(out.data)  # (its grad_fn names the CPU kernel: MkldnnRnnLayerBackward0)
t.manual_seed(1000)
input = t.randn(2, 3, 4)
lstm = nn.LSTMCell(4, 3)
hx = t.randn(3, 3)
cx = t.randn(3, 3)
out = []
for i_ in input:
    hx, cx = lstm(i_, (hx, cx))
    out.append(hx)
print(t.stack(out))
embedding = nn.Embedding(4, 5)
try:
    embedding.weight.data = t.arange(0, 20).view(4, 5)
except RuntimeError as e:
    print('RuntimeError:', e)
embedding.weight.data = t.arange(0, 20).view(4, 5).float()
input = t.arange(3, 0, -1).long()
output = embedding(input)
print(output)

# 损失函数
score = t.randn(3, 2)
label = t.Tensor([1, 0, 1]).long()
criterion = nn.CrossEntropyLoss()
loss = criterion(score, label)
print(loss)

# ---- 4.3 优化器 ----


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 6, 5),
            nn.ReLU(),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5),
            nn.ReLU(),
            nn.MaxPool2d(2, 2)
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, 10)
        )

    def forward(self, x):
        x = self.features(x)
        x = x.view(-1, 16 * 5 * 5)
        x = self.classifier(x)
        return x


net = Net()
optimizer = optim.SGD(params=net.parameters(), lr=1)
optimizer.zero_grad()
input = t.randn(1, 3, 32, 32)
output = net(input)
output.backward(output)
optimizer.step()
optimizer = optim.SGD([
    {'params': net.features.parameters()},
    {'params': net.classifier.parameters(), 'lr': 1e-2}
], lr=1e-5)
print(optimizer)
special_layers = nn.ModuleList([net.classifier[0], net.classifier[3]])
special_layers_params = list(map(id, special_layers.parameters()))
base_params = filter(lambda p: id(p) not in special_layers_params, net.parameters())
optimizer = t.optim.SGD([
    {'params': base_params},
    {'params': special_layers.parameters(), 'lr': 0.01}
], lr=0.001)
print(optimizer)
old_lr = 0.1
optimizer1 = optim.SGD([
    {'params': net.features.parameters()},
    {'params': net.classifier.parameters(), 'lr': old_lr * 0.1}
], lr=1e-5)
print(optimizer1)
for param_group in optimizer.param_groups:
    param_group['lr'] *= 0.1
print(optimizer)
print([g['lr'] for g in optimizer.param_groups], len(optimizer.param_groups[0]['params']))

# ---- 4.4 nn.functional ----
input = t.randn(2, 3)
model = nn.Linear(3, 4)
output1 = model(input)
output2 = nn.functional.linear(input, model.weight, model.bias)
print(output1 == output2)
b = nn.functional.relu(input)
b2 = nn.ReLU()(input)
print(b == b2)


class Net2(nn.Module):
    def __init__(self):
        super(Net2, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.pool(F.relu(self.conv1(x)), 2) if hasattr(F, 'pool') else F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net2 = Net2()
print(net2(t.randn(2, 3, 32, 32)).shape)

# ---- 4.5 初始化策略 ----
from torch.nn import init
linear = nn.Linear(3, 4)
t.manual_seed(1)
init.xavier_normal_(linear.weight)
print(linear.weight)
import math
t.manual_seed(1)
std = math.sqrt(2) / math.sqrt(7.)
linear.weight.data.normal_(0, std)
print(linear.weight)
for name, params in net.named_parameters():
    if name.find('linear') != -1:
        print(params[0])
    elif name.find('conv') != -1:
        pass
    elif name.find('norm') != -1:
        pass
init.kaiming_uniform_(net.features[0].weight, nonlinearity='relu')
init.constant_(net.features[0].bias, 0.1)
print(net.features[0].bias)

# ---- 4.6 nn.Module 深入 ----


class Net3(nn.Module):
    def __init__(self):
        super(Net3, self).__init__()
        self.param1 = nn.Parameter(t.rand(3, 3))
        self.submodel1 = nn.Linear(3, 4)

    def forward(self, input):
        x = self.param1.mm(input)
        x = self.submodel1(x)
        return x


net3 = Net3()
print(net3)
print(net3._modules)
print(net3._parameters)
print(net3.param1)
for name, param in net3.named_parameters():
    print(name, param.size())
for name, submodel in net3.named_modules():
    print(repr(name), submodel)
bn = nn.BatchNorm1d(2)
input = t.rand(3, 2)
output = bn(input)
print(bn._buffers)
input = t.arange(0, 12).view(3, 4).float()
model = nn.Dropout()
print(model(input).shape)
model.training = False
print(model(input))
print(net3.training, net3.submodel1.training)
net3.eval()
print(net3.training, net3.submodel1.training)
print(list(net3.named_modules()))

features = []


def hook(module, input, output):
    features.append(output.clone().detach())


model = Net()
handle = model.features[2].register_forward_hook(hook)
y = model(t.ones(1, 3, 32, 32))
handle.remove()
print(features[0].shape, '%.2f' % features[0].sum().item())
y = model(t.ones(1, 3, 32, 32))
print(len(features))

module = nn.Module()
module.param = nn.Parameter(t.ones(2, 2))
print(module._parameters)
submodule1 = nn.Linear(2, 2)
submodule2 = nn.Linear(2, 2)
module_list = [submodule1, submodule2]
module.submodules = module_list
print('_modules: ', module._modules)
print("__dict__['submodules']:", module.__dict__.get('submodules') is module_list)
module_list = nn.ModuleList(module_list)
module.submodules = module_list
print('ModuleList is instance of nn.Module: ', isinstance(module_list, nn.Module))
print('_modules: ', module._modules)
print("__dict__['submodules']:", module.__dict__.get('submodules'))
print(getattr(module, 'training'))
print(getattr(module, 'param'))

# save / load with map_location
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'net.pth')
t.save(net3.state_dict(), path)
net3_2 = Net3()
net3_2.load_state_dict(t.load(path))
print(t.equal(net3_2.param1, net3.param1))
a = t.Tensor(3, 4).fill_(1.5)
t.save(a, os.path.join(tmp, 'a.pth'))
b = t.load(os.path.join(tmp, 'a.pth'), map_location=lambda storage, loc: storage)
c = t.load(os.path.join(tmp, 'a.pth'), map_location={'cuda:1': 'cuda:0'})
d = t.load(os.path.join(tmp, 'a.pth'), map_location='cpu')
print(b, c.device, d.dtype)
optimizer = optim.Adam(net3.parameters(), lr=0.1)
t.save(optimizer.state_dict(), os.path.join(tmp, 'optim.pth'))
optimizer.load_state_dict(t.load(os.path.join(tmp, 'optim.pth')))
all_data = dict(optimizer=optimizer.state_dict(), model=net3.state_dict(), info=u'模型和优化器的所有参数')
t.save(all_data, os.path.join(tmp, 'all.pth'))
all_data = t.load(os.path.join(tmp, 'all.pth'))
print(all_data.keys(), all_data['info'])
print(all_data['optimizer']['param_groups'])

# 4.7 线性回归 with nn + optim
t.manual_seed(1000)
x = t.rand(20, 1) * 5
y = x * 2 + 3 + t.randn(20, 1) * 0.1
model = nn.Linear(1, 1)
opt = optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
for ii in range(200):
    loss = F.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if ii % 50 == 0:
        print(ii, '%.4f' % loss.item())
        opt.param_groups[0]['lr'] *= 0.5
print('w %.3f b %.3f' % (model.weight.item(), model.bias.item()))


# ---- 5.1 数据处理 ----
class DogCat(data.Dataset):
    def __init__(self, n=10):
        self.labels = [1 if i % 3 == 0 else 0 for i in range(n)]  # dog: 1, cat: 0
        g = np.random.RandomState(0)
        self.imgs = [g.randint(0, 255, (3, 8, 8)).astype(np.uint8) for _ in range(n)]

    def __getitem__(self, index):
        array = np.asarray(self.imgs[index])
        data = t.from_numpy(array).float() / 255
        return data, self.labels[index]

    def __len__(self):
        return len(self.imgs)


dataset = DogCat()
for img, label in dataset:
    print(img.size(), '%.4f' % img.float().mean().item(), label)
    break
print(len(dataset))


class NewDogCat(DogCat):
    def __getitem__(self, index):
        try:
            if index % 4 == 2:
                raise IOError('corrupt image')
            return super(NewDogCat, self).__getitem__(index)
        except Exception:
            return None, None


def my_collate_fn(batch):
    batch = [_ for _ in batch if _[0] is not None]
    if len(batch) == 0:
        return t.Tensor()
    return default_collate(batch)


dataset = NewDogCat()
dataloader = DataLoader(dataset, 2, collate_fn=my_collate_fn, num_workers=0, shuffle=False)
for batch_datas, batch_labels in dataloader:
    print(batch_datas.size(), batch_labels.size(), batch_labels)

dataloader = DataLoader(dataset, batch_size=3, shuffle=True, num_workers=0, drop_last=False, collate_fn=my_collate_fn)
t.manual_seed(0)
dataiter = iter(dataloader)
imgs, labels = next(dataiter)
print(imgs.size(), labels)
for batch_datas, batch_labels in dataloader:
    print(batch_datas.size(), batch_labels.tolist())

dataset = DogCat()
weights = [2 if label == 1 else 1 for data, label in dataset]
print(weights)
sampler = WeightedRandomSampler(weights, num_samples=9, replacement=True)
t.manual_seed(0)
dataloader = DataLoader(dataset, batch_size=3, sampler=sampler)
for datas, labels in dataloader:
    print(labels.tolist())
sampler = WeightedRandomSampler(weights, 8, replacement=False)
t.manual_seed(0)
dataloader = DataLoader(dataset, batch_size=4, sampler=sampler)
for datas, labels in dataloader:
    print(labels.tolist())
print(len(dataloader), len(sampler))

# TensorDataset / random_split
ds = data.TensorDataset(t.arange(10).float().view(10, 1), t.arange(10) % 2)
train, val = data.random_split(ds, [7, 3], generator=t.Generator().manual_seed(42))
print(len(train), len(val), [int(val[i][1]) for i in range(3)], val.indices)
