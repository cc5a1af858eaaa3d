# ruff: noqa: E501, F401, F811, E703, B007, UP031, E225, E226, E231, E261, E262, E265, E402, B018, UP008, UP032, I001  (tutorial code, kept as upstream writes it)
"""zergtant/pytorch-handbook (PyTorch 中文手册) chapter 2.1, PyTorch basics:
2.1.1 tensors (rand, shape/size, 4-d tensors, 0-dim scalars and item, long/half/int/float/short/
char/byte, numpy round trips, type() and device moves, rand/ones/zeros/eye, max/sum along dim 1,
add and add_), 2.1.2 autograd (sum of x+y, backward of x**2+y**3 with ones_like, no_grad,
is_leaf, grad_fn and its public attributes, next_functions down to AccumulateGrad and its
.variable, a custom Function MulConstant with ctx attributes), 2.1.3 nn/optim (a Net printing
its sizes in forward, parameters and named_parameters, backward of ones, MSELoss on arange,
SGD step) and 2.1.4 data loading (a Dataset over a CSV file, DataLoader with shuffle and
num_workers=0, iter/next and enumerate); and, with them, chapter 5.2 structured data (a tabular
Dataset of NumPy rows collated into float64 batches, a Linear/BatchNorm1d model with a sigmoid
output under CrossEntropyLoss and Adam, the loss per batch and the accuracy as a tensor formatted
with %.4f).
Adapted: seeded; torch.__version__ is not printed (torchlike has its own version); the
Jupyter cells' displayed values are printed; the .cuda() cells run only with CUDA; dir(z) and
dir(z.grad_fn) are shown as the public names the tutorial goes on to use; the bulldozers CSV is
a small file written to a temporary directory and read with the csv module (pandas is not
installed here); the torchvision datasets/models/transforms cells (downloads) are left out; the
MSE loss is printed with 4 decimals; 5.2's adult.csv is 256 seeded rows built with NumPy (label
encoding done), batches of 64 for 2 epochs, its losses printed with 3 decimals."""
import csv
import os
import tempfile

# ================================================================ 2.1.1 张量
# 首先要引入相关的包
import torch
import numpy as np

torch.manual_seed(0)

x = torch.rand(2, 3)
print(x)

# 可以使用与numpy相同的shape属性查看
print(x.shape)
# 也可以使用size()函数，返回的结果都是相同的
print(x.size())

y=torch.rand(2,3,4,5)
print(y.size())
print(y)

#我们直接使用现有数字生成
scalar =torch.tensor(3.1433223)
print(scalar)
#打印标量的大小
print(scalar.size())

print(scalar.item())

tensor = torch.tensor([3.1433223])
print(tensor)
print(tensor.size())

print(tensor.item())

long=tensor.long()
print(long)

half=tensor.half()
print(half)

int_t=tensor.int()
print(int_t)

flo = tensor.float()
print(flo)

short = tensor.short()
print(short)

ch = tensor.char()
print(ch)

bt = tensor.byte()
print(bt)

a = torch.randn((3, 2))
# tensor转化为numpy
numpy_a = a.numpy()
print(numpy_a)

torch_a = torch.from_numpy(numpy_a)
print(torch_a)

cpu_a=torch.rand(4, 3)
print(cpu_a.type())

if torch.cuda.is_available():
    gpu_a=cpu_a.cuda()
    print(gpu_a.type())

    cpu_b=gpu_a.cpu()
    print(cpu_b.type())
else:
    cpu_b=cpu_a.cpu()

#使用torch.cuda.is_available()来确定是否有cuda设备
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device)
#将tensor传送到设备
gpu_b=cpu_b.to(device)
print(gpu_b.type())

# 使用[0,1]均匀分布随机初始化二维数组
rnd = torch.rand(5, 3)
print(rnd)

##初始化，使用1填充
one = torch.ones(2, 2)
print(one)

##初始化，使用0填充
zero=torch.zeros(2,2)
print(zero)

#初始化一个单位矩阵，即对角线为1 其他为0
eye=torch.eye(2,2)
print(eye)

x = torch.randn(3, 3)
print(x)

# 沿着行取最大值
max_value, max_idx = torch.max(x, dim=1)
print(max_value, max_idx)

# 每行 x 求和
sum_x = torch.sum(x, dim=1)
print(sum_x)

y=torch.randn(3, 3)
z = x + y
print(z)

# add 完成后x的值改变了
x.add_(y)
print(x)

# ================================================================ 2.1.2 自动求导
x = torch.rand(5, 5, requires_grad=True)
print(x)

y = torch.rand(5, 5, requires_grad=True)
print(y)

z=torch.sum(x+y)
print(z)

z.backward()
print(x.grad,y.grad)

x = torch.rand(5, 5, requires_grad=True)
y = torch.rand(5, 5, requires_grad=True)
z= x**2+y**3
print(z)

#我们的返回值不是一个标量，所以需要输入一个大小相同的张量作为参数，这里我们用ones_like函数根据x生成一个张量
z.backward(torch.ones_like(x))
print(x.grad)

with torch.no_grad():
    print((x +y*2).requires_grad)

# dir(z): 教程接着用到的几个属性
print([name for name in ('backward', 'data', 'grad', 'grad_fn', 'is_leaf', 'register_hook', 'requires_grad', 'retain_grad') if name in dir(z)])

print("x.is_leaf="+str(x.is_leaf))
print("z.is_leaf="+str(z.is_leaf))

print(z.grad_fn)

print([name for name in dir(z.grad_fn) if not name.startswith('_')])

print(z.grad_fn.next_functions)

xg = z.grad_fn.next_functions[0][0]
print([name for name in dir(xg) if not name.startswith('_')])

x_leaf=xg.next_functions[0][0]
print(type(x_leaf))

print(x_leaf.variable)

print(id(x_leaf.variable)==id(x))

assert(id(x_leaf.variable)==id(x))

# 引入Function便于扩展
from torch.autograd.function import Function

# 定义一个乘以常数的操作(输入参数是张量)
# 方法必须是静态方法，所以要加上@staticmethod
class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        # ctx 用来保存信息这里类似self，并且ctx的属性可以在backward中调用
        ctx.constant=constant
        return tensor *constant
    @staticmethod
    def backward(ctx, grad_output):
        # 返回的参数要与输入的参数一样.
        # 第一个输入为3x3的张量，第二个为一个常数
        # 常数的梯度必须是 None.
        return grad_output, None

a=torch.rand(3,3,requires_grad=True)
b=MulConstant.apply(a,5)
print("a:"+str(a))
print("b:"+str(b)) # b为a的元素乘以5

b.backward(torch.ones_like(a))

print(a.grad)

# ================================================================ 2.1.3 神经网络包nn和优化器optm
# 引入torch.nn并指定别名
import torch.nn as nn

import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        # nn.Module子类的函数必须在构造函数中执行父类的构造函数
        super(Net, self).__init__()

        # 卷积层 '1'表示输入图片为单通道， '6'表示输出通道数，'3'表示卷积核为3*3
        self.conv1 = nn.Conv2d(1, 6, 3)
        #线性层，输入1350个特征，输出10个特征
        self.fc1   = nn.Linear(1350, 10)  #这里的1350是如何计算的呢？这就要看后面的forward函数
    #正向传播
    def forward(self, x):
        print(x.size()) # 结果：[1, 1, 32, 32]
        # 卷积 -> 激活 -> 池化
        x = self.conv1(x) #根据卷积的尺寸计算公式，计算结果是30，具体计算公式后面第二章第四节 卷积神经网络 有详细介绍。
        x = F.relu(x)
        print(x.size()) # 结果：[1, 6, 30, 30]
        x = F.max_pool2d(x, (2, 2)) #我们使用池化层，计算结果是15
        x = F.relu(x)
        print(x.size()) # 结果：[1, 6, 15, 15]
        # reshape，‘-1’表示自适应
        #这里做的就是压扁的操作 就是把后面的[1, 6, 15, 15]压扁，变为 [1, 1350]
        x = x.view(x.size()[0], -1)
        print(x.size()) # 这里就是fc1层的的输入1350
        x = self.fc1(x)
        return x

net = Net()
print(net)

for parameters in net.parameters():
    print(parameters)

for name,parameters in net.named_parameters():
    print(name,':',parameters.size())

input = torch.randn(1, 1, 32, 32) # 这里的对应前面fforward的输入是32
out = net(input)
print(out.size())

print(input.size())

net.zero_grad()
out.backward(torch.ones(1,10)) # 反向传播的实现是PyTorch自动实现的，我们只要调用这个函数即可

y = torch.arange(0,10).view(1,10).float()
criterion = nn.MSELoss()
loss = criterion(out, y)
#loss是个scalar，我们可以直接用item获取到他的python类型的数值
print(round(loss.item(), 4))

import torch.optim

out = net(input) # 这里调用的时候会打印出我们在forword函数中打印的x的大小
criterion = nn.MSELoss()
loss = criterion(out, y)
#新建一个优化器，SGD只需要要调整的参数和学习率
optimizer = torch.optim.SGD(net.parameters(), lr = 0.01)
# 先梯度清零(与net.zero_grad()效果一样)
optimizer.zero_grad()
loss.backward()

#更新参数
optimizer.step()
print(net.fc1.bias)

# ================================================================ 2.1.4 数据的加载和预处理
#引用
from torch.utils.data import Dataset

# median_benchmark.csv 的替代品：SalesID,SalePrice
data_dir = tempfile.mkdtemp()
with open(os.path.join(data_dir, 'median_benchmark.csv'), 'w', newline='') as f:
    writer = csv.writer(f)
    writer.writerow(['SalesID', 'SalePrice'])
    for i in range(23):
        writer.writerow([1222837 + i, 24000.0 + 500 * (i % 7)])


class DataFrame:  # the few pandas calls the dataset makes: len(df) and df.iloc[idx].SalePrice
    def __init__(self, rows):
        self.rows = rows
        self.iloc = self

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        return self.rows[idx]


class Row:
    def __init__(self, record):
        self.SalesID = int(record['SalesID'])
        self.SalePrice = float(record['SalePrice'])


class pd:
    @staticmethod
    def read_csv(path):
        with open(path, newline='') as f:
            return DataFrame([Row(r) for r in csv.DictReader(f)])


#定义一个数据集
class BulldozerDataset(Dataset):
    """ 数据集演示 """
    def __init__(self, csv_file):
        """实现初始化方法，在初始化的时候将数据读载入"""
        self.df=pd.read_csv(csv_file)
    def __len__(self):
        '''
        返回df的长度
        '''
        return len(self.df)
    def __getitem__(self, idx):
        '''
        根据 idx 返回一行数据
        '''
        return self.df.iloc[idx].SalePrice

ds_demo= BulldozerDataset(os.path.join(data_dir, 'median_benchmark.csv'))

#实现了 __len__ 方法所以可以直接使用len获取数据总数
print(len(ds_demo))

#用索引可以直接访问对应的数据, 对应 __getitem__ 方法
print(ds_demo[0])

dl = torch.utils.data.DataLoader(ds_demo, batch_size=10, shuffle=True, num_workers=0)

idata=iter(dl)
print(next(idata))

for i, data in enumerate(dl):
    print(i,data)
    # 为了节约空间, 这里只循环一遍
    break

# ================================================================ 5.2 Pytorch处理结构化数据 (chapter 5)
import numpy as np
import torch.nn.functional as F
from collections import Counter
from torch.utils.data import DataLoader

# adult.csv 的替代品：8 个编码后的分类列 + 6 个数值列，salary 为标签
_rs = np.random.RandomState(5)
_n = 256
_cats = np.column_stack([_rs.randint(0, k, _n) for k in (9, 16, 7, 16, 6, 5, 2, 42)])
_conts = np.column_stack([_rs.randint(17, 90, _n), _rs.randint(12285, 400000, _n), _rs.randint(1, 17, _n),
                          _rs.randint(0, 2, _n) * _rs.randint(0, 20000, _n), np.zeros(_n, int), _rs.randint(1, 99, _n)])
Y = ((_conts[:, 2] > 9) & (_cats[:, 6] == 1) | (_conts[:, 0] > 60)).astype(int)
X = np.column_stack([_conts[:, 0], _cats[:, 0], _conts[:, 1], _cats[:, 1], _conts[:, 2], _cats[:, 2], _cats[:, 3],
                     _cats[:, 4], _cats[:, 5], _cats[:, 6], _conts[:, 3], _conts[:, 4], _conts[:, 5], _cats[:, 7]]).astype(float)


class Frame:  # df.values
    def __init__(self, values):
        self.values = values


print(len(X), Counter(Y.tolist()))

class tabularDataset(Dataset):
    def __init__(self, X, Y):
        self.x = X#.to_numpy().astype(float)
        self.y = Y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        return (self.x.values[idx], self.y[idx])

train_ds = tabularDataset(Frame(X), Y)

print(train_ds[0])

class tabularModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin1 = nn.Linear(14, 500)
        self.lin2 = nn.Linear(500, 100)
        self.lin3 = nn.Linear(100, 2)
        self.bn1 = nn.BatchNorm1d(14)
        self.bn2 = nn.BatchNorm1d(500)
        self.bn3 = nn.BatchNorm1d(100)


    def forward(self,x_in):
        #print(x_in.shape)
        x=x_in
        x = self.bn1(x)
        x = F.relu(self.lin1(x))
        #print(x)

        x = self.bn2(x)
        x = F.relu(self.lin2(x))
        #print(x)

        x = self.bn3(x)
        x = self.lin3(x)
        x=torch.sigmoid(x)
        return x

#训练前指定使用的设备
DEVICE=torch.device("cpu")
if torch.cuda.is_available():
        DEVICE=torch.device("cuda")
print(DEVICE)

#损失函数
criterion =nn.CrossEntropyLoss().to(DEVICE)

#实例化模型
model = tabularModel().to(DEVICE)
print(model)

#测试模型是否没问题
rn=torch.rand(3,14).to(DEVICE)
print(model(rn))

#学习率
LEARNING_RATE=0.01
#BS
batch_size = 64
#优化器
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

#DataLoader加载数据
train_dl = DataLoader(train_ds, batch_size=batch_size,shuffle=True)

model.train()
#训练2轮
TOTAL_EPOCHS=2
#记录损失函数
losses = [];
for epoch in range(TOTAL_EPOCHS):
    for i, (x, y) in enumerate(train_dl):
        x = x.float().to(DEVICE) #输入必须未float类型
        y = y.long().to(DEVICE) #结果标签必须未long类型
        #清零
        optimizer.zero_grad()
        outputs = model(x)
        #计算损失函数
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.cpu().data.item());
        print ('Epoch : %d/%d,   Loss: %.3f'%(epoch+1, TOTAL_EPOCHS, loss.data.item()))  # (%.4f: float32 batch statistics of columns near 1e5, summed in another order, differ after a few Adam steps)

model.eval()
correct = 0
total = 0
for i,(x, y) in enumerate(train_dl):
    x = x.float().to(DEVICE)
    y = y.long()
    outputs = model(x).cpu()
    _, predicted = torch.max(outputs.data, 1)
    total += y.size(0)
    correct += (predicted == y).sum()
print('准确率: %.4f %%' % (100 * correct / total))
