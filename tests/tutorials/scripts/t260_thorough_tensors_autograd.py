# ruff: noqa: E501, E402, UP008, UP010, UP025, F401, F841, E741, I001  (tutorial code, kept as the book writes it)
"""datawhalechina/thorough-pytorch (深入浅出PyTorch) chapter 2: 2.1 tensors (rand, zeros long,
new_ones double, randn_like, torch.add with an out= of the wrong size (resized), add_, a row view
changed in place, view sharing memory, item, broadcasting, the constructor table), 2.2 autograd
(PowBackward0 / MulBackward0 / MeanBackward0 / SumBackward0, requires_grad_, gradients that
accumulate, x.grad.data.zero_(), the y.data.norm() loop and a vector-Jacobian product, no_grad,
changing x.data behind autograd's back), the chapter's demo notebook (tensor(1.0, dtype=int8),
FloatTensor / IntTensor, numpy round trips, squeeze/unsqueeze, y = x1 + 2*x2 and its errors), and
2.3's device and data-parallel code on a CPU machine (device_count, DataParallel only when there
are several GPUs, argparse --local_rank, DistributedSampler with an explicit rank).
Adapted: uninitialised tensors (torch.FloatTensor(2, 3), torch.empty) print their shape only;
the book's `out2 = x.sum()` had slipped into a comment; no process group is started."""
from __future__ import print_function
import torch

torch.manual_seed(2021)

# ---------------------------------------------------------------- 2.1 张量
x = torch.rand(4, 3)
print(x)

x = torch.zeros(4, 3, dtype=torch.long)
print(x)

x = torch.tensor([5.5, 3])
print(x)

x = x.new_ones(4, 3, dtype=torch.double)  # 创建一个新的tensor，返回的tensor默认具有相同的 torch.dtype和torch.device
print(x)
x = torch.randn_like(x, dtype=torch.float)
print(x)

print(x.size())
print(x.shape)
size = x.size()
print(type(size) is torch.Size, isinstance(size, tuple), size[0], len(size), size + (2,))

# 常见的构造Tensor的函数
print(torch.Tensor(2, 3).shape, torch.Tensor([1, 2]))
print(torch.ones(2, 3))
print(torch.zeros(2, 3))
print(torch.eye(3))
print(torch.arange(1, 10, 2))
print(torch.linspace(1, 10, 4))
print(torch.normal(torch.zeros(3), torch.ones(3)))
print(torch.empty(2, 3).uniform_(-1, 1))
print(torch.randperm(6))

# 方式1
y = torch.rand(4, 3)
print(x + y)

# 方式2
print(torch.add(x, y))

# 方式3 提供一个输出 tensor 作为参数
# 这里的 out 不需要和真实的运算结果保持维数一致，通过广播原理能得到结果，但是会有警告提示！
result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)

# 方式4 in-place
y.add_(x)
print(y)

# 取第二列
print(x[:, 1])

y = x[0, :]
y += 1
print(y)
print(x[0, :])  # 源tensor也被改了了

x = torch.randn(4, 4)
y = x.view(16)
z = x.view(-1, 8)  # -1是指这一维的维数由其他维度决定
print(x.size(), y.size(), z.size())

x += 1
print(x)
print(y)  # 也加了了1

x_cp = x.clone().view(16)
x -= 1
print(x_cp)

x = torch.randn(1)
print(x)
print(x.item())

x = torch.arange(1, 3).view(1, 2)
print(x)
y = torch.arange(1, 4).view(3, 1)
print(y)
print(x + y)

# ---------------------------------------------------------------- 2.2 自动求导
x = torch.randn(3, 3, requires_grad=True)
print(x.grad_fn)

x = torch.ones(2, 2, requires_grad=True)
print(x)

y = x**2
print(y)
print(y.grad_fn)

z = y * y * 3
out = z.mean()

print(z, out)

a = torch.randn(2, 2)  # 缺失情况下默认 requires_grad = False
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

out.backward()
print(x.grad)

# 再来反向传播⼀一次，注意grad是累加的
out2 = x.sum()
out2.backward()
print(x.grad)

out3 = x.sum()
x.grad.data.zero_()
out3.backward()
print(x.grad)

x = torch.randn(3, requires_grad=True)
print(x)

y = x * 2
i = 0
while y.data.norm() < 1000:
    y = y * 2
    i = i + 1
print(y)
print(i)

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)

print(x.grad)

print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)

x = torch.ones(1, requires_grad=True)

print(x.data)  # 还是一个tensor
print(x.data.requires_grad)  # 但是已经是独立于计算图之外

y = 2 * x
x.data *= 100  # 只改变了值，不会记录在计算图，所以不会影响梯度传播

y.backward()
print(x)  # 更改data的值也会影响tensor的值
print(x.grad)

# ---------------------------------------------------------------- 代码演示：PyTorch基础知识
# 创建tensor，用dtype指定类型。注意类型要匹配
a = torch.tensor(1.0, dtype=torch.float)
b = torch.tensor(1, dtype=torch.long)
c = torch.tensor(1.0, dtype=torch.int8)
print(a, b, c)

# 使用指定类型函数随机初始化指定大小的tensor
d = torch.FloatTensor(2, 3)
e = torch.IntTensor(2)
f = torch.IntTensor([1, 2, 3, 4])  # 对于python已经定义好的数据结构可以直接转换
print(d.shape, d.dtype, '\n', e.shape, e.dtype, '\n', f)

# tensor和numpy array之间的相互转换
import numpy as np

g = np.array([[1, 2, 3], [4, 5, 6]])
h = torch.tensor(g)
print(h)
i = torch.from_numpy(g)
print(i)
j = h.numpy()
print(j)

# 常见的构造Tensor的函数
k = torch.rand(2, 3)
l = torch.ones(2, 3)
m = torch.zeros(2, 3)
n = torch.arange(0, 10, 2)
print(k, '\n', l, '\n', m, '\n', n)

# 查看tensor的维度信息（两种方式）
print(k.shape)
print(k.size())

# tensor的运算
o = torch.add(k, l)
print(o)

# tensor的索引方式与numpy类似
print(o[:, 1])
print(o[0, :])

# 改变tensor形状的神器：view
print(o.view((3, 2)))
print(o.view(-1, 2))

# tensor的广播机制（使用时要注意这个特性）
p = torch.arange(1, 3).view(1, 2)
print(p)
q = torch.arange(1, 4).view(3, 1)
print(q)
print(p + q)

# 扩展&压缩tensor的维度：squeeze
print(o)
r = o.unsqueeze(1)
print(r)
print(r.shape)

s = r.squeeze(0)
print(s)
print(s.shape)

t = r.squeeze(1)
print(t)
print(t.shape)

# 第二部分：自动求导示例  y = x1 + 2*x2
x1 = torch.tensor(1.0, requires_grad=True)
x2 = torch.tensor(2.0, requires_grad=True)
y = x1 + 2*x2
print(y)

# 首先查看每个变量是否需要求导
print(x1.requires_grad)
print(x2.requires_grad)
print(y.requires_grad)

# 查看每个变量导数大小。此时因为还没有反向传播，因此导数都不存在
try:
    print(x1.grad.data)
except AttributeError as err:
    print("AttributeError:", err)

print(repr(x1))

## 反向传播后看导数大小
y = x1 + 2*x2
y.backward()
print(x1.grad.data)
print(x2.grad.data)

# 导数是会累积的，重复运行相同命令，grad会增加
y = x1 + 2*x2
y.backward()
print(x1.grad.data)
print(x2.grad.data)

# 尝试，如果不允许求导，会出现什么情况？
x1 = torch.tensor(1.0, requires_grad=False)
x2 = torch.tensor(2.0, requires_grad=False)
y = x1 + 2*x2
try:
    y.backward()
except RuntimeError as err:
    print("RuntimeError:", err)

# ---------------------------------------------------------------- 2.3 并行计算简介
import argparse
import os

import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


model = Net()
if torch.cuda.is_available():
    model.cuda()  # 模型显示转移到CUDA上

print(torch.cuda.device_count())
if torch.cuda.device_count() > 1:  # 含有多张GPU的卡
    model = nn.DataParallel(model)  # 单机多卡DP训练
print(type(model).__name__, next(model.parameters()).device)

parser = argparse.ArgumentParser()
parser.add_argument("--local_rank", type=int)  # 这个参数很重要
args = parser.parse_args(["--local_rank", "0"])
local_rank = int(os.environ.get("LOCAL_RANK", args.local_rank))
print(args, local_rank)

train_dataset = torch.utils.data.TensorDataset(torch.arange(10.0).view(10, 1), torch.arange(10))
train_sampler = torch.utils.data.distributed.DistributedSampler(train_dataset, num_replicas=2, rank=0)
train_loader = torch.utils.data.DataLoader(train_dataset, batch_size=2, sampler=train_sampler)
for epoch in range(2):
    train_sampler.set_epoch(epoch)
    print(epoch, list(train_sampler), [lab.tolist() for _, lab in train_loader])
