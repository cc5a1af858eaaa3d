# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E702, F401, F811, UP008, UP032, I001  (tutorial code, kept as upstream writes it)
"""zergtant/pytorch-handbook (PyTorch 中文手册) chapter 2.2-2.5: 2.2 deep-learning basics (a
Linear(1, 1) fitted to y = 5x + 7 plus noise with MSELoss and SGD, the parameters read back with
model.parameters(), predictions through .data.numpy(), the losses the chapter lists, the SGD with
momentum / RMSprop / Adam optimizers it shows, the bias 5 - w, 7 - b), 2.3 the activation functions
(sigmoid, tanh, relu, leaky_relu(x, 0.1) over torch.linspace(-10, 10, 60)), 2.4 CNNs (LeNet5,
torchvision's alexnet, vgg16, inception_v3 and resnet18 printed) and 2.5 RNNs (RNN/LSTM/GRU
output shapes, an Embedding of a LongTensor batch).
Adapted: seeded (NumPy too); torch.__version__ is not printed; no plots (matplotlib/seaborn are not
installed here), the plotted curves are printed rounded; 1000 epochs instead of 3000 and the
fitted values printed with 4 decimals (float32 sums in another order differ in the last bits);
the listed losses are evaluated on a small batch and the optimizers printed; the torchvision
models are built on the meta device (their weights are not used; initialising 200M parameters
would take seconds), and under the real torch (next to which torchvision is not importable) they
come from the plain-torch replicas in tests/vision/_ref_zoo.py."""
import sys
from pathlib import Path

# ================================================================ 2.2 深度学习基础及数学原理
# 引用
import torch
from torch.nn import Linear, Module, MSELoss
from torch.optim import SGD
import numpy as np

torch.manual_seed(0)
np.random.seed(0)

x=np.linspace(0,20,500)
y=5*x + 7
print(y[:5], y[-1])  # plt.plot(x,y)

x = np.random.rand(256)
noise = np.random.randn(256) / 4
y = x * 5 + 7 + noise

model=Linear(1, 1)

criterion = MSELoss()

optim = SGD(model.parameters(), lr = 0.01)

epochs = 1000

x_train = x.reshape(-1, 1).astype('float32')
y_train = y.reshape(-1, 1).astype('float32')

for i in range(epochs):
    # 整理输入和输出的数据，这里输入和输出一定要是torch的Tensor类型
    inputs = torch.from_numpy(x_train)
    labels = torch.from_numpy(y_train)
    #使用模型进行预测
    outputs = model(inputs)
    #梯度置0，否则会累加
    optim.zero_grad()
    # 计算损失
    loss = criterion(outputs, labels)
    # 反向传播
    loss.backward()
    # 使用优化器默认方法优化
    optim.step()
    if (i%100==0):
        #每 100次打印一下损失函数，看看效果
        print('epoch {}, loss {:1.4f}'.format(i,loss.data.item()))

[w, b] = model.parameters()
print (round(w.item(), 4),round(b.item(), 4))

predicted = model.forward(torch.from_numpy(x_train)).data.numpy()
print(predicted.shape, predicted.dtype, np.round(predicted[:3, 0], 3))

import torch.nn as nn
# 常见（PyTorch内置）的损失函数
out = torch.randn(4, 3)
target = torch.tensor([0, 2, 1, 2])
print(round(nn.L1Loss()(out, torch.zeros(4, 3)).item(), 4))
print(round(nn.NLLLoss()(torch.log_softmax(out, 1), target).item(), 4))
print(round(nn.NLLLoss(weight=torch.tensor([1., 2., 3.]))(torch.log_softmax(out, 1), target).item(), 4))
print(round(nn.MSELoss()(out, torch.ones(4, 3)).item(), 4))
print(round(nn.CrossEntropyLoss()(out, target).item(), 4))
print(round(nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 3.]))(out, target).item(), 4))
print(round(nn.BCELoss()(torch.sigmoid(out), torch.ones(4, 3) * 0.5).item(), 4))

#lr参数为学习率，对于SGD来说一般选择0.1 0.01.0.001，如何设置会在后面实战的章节中详细说明
##如果设置了momentum，就是带有动量的SGD，可以不设置
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
print(optimizer)

#我们的课程基本不会使用到RMSprop所以这里只给一个实例
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.99)
print(optimizer)

# 这里的lr，betas，还有eps都是用默认值即可，所以Adam是一个使用起来最简单的优化方法
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-08)
print(optimizer)

print (round(5-w.data.item(), 4),round(7-b.data.item(), 4))

# ================================================================ 2.3 神经网络简介
# 初始化一些信息
import torch
import torch.nn.functional as F
x= torch.linspace(-10,10,60)
print(x)

sigmod=torch.sigmoid(x)
print(np.round(sigmod.numpy(), 4))  # plt.plot(x.numpy(),sigmod.numpy())

tanh=torch.tanh(x)
print(np.round(tanh.numpy(), 4))

relu=F.relu(x)
print(np.round(relu.numpy(), 4))

l_relu=F.leaky_relu(x,0.1) # 这里的0.1是为了方便展示，理论上应为0.01甚至更小的值
print(np.round(l_relu.numpy(), 4))

# ================================================================ 2.4 卷积神经网络简介
import torch.nn as nn
class LeNet5(nn.Module):

    def __init__(self):
        super(LeNet5, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution
        # kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120) # 这里论文上写的是conv,官方教程用了线性层
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # Max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # If the size is a square you can only specify a single number
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    def num_flat_features(self, x):
        size = x.size()[1:]  # all dimensions except the batch dimension
        num_features = 1
        for s in size:
            num_features *= s
        return num_features


net = LeNet5()
print(net)
print(net(torch.randn(2, 1, 32, 32)).shape)

try:
    import torchvision
except ImportError:  # the real torch here has no torchvision: its models as plain torch code
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "vision"))
    from _ref_zoo import tv_models

    class torchvision:
        models = tv_models

with torch.device('meta'):
    model = torchvision.models.alexnet(pretrained=False) #我们不下载预训练权重
print(model)

with torch.device('meta'):
    model = torchvision.models.vgg16(pretrained=False) #我们不下载预训练权重
print(model)

# inception_v3需要scipy，所以没有安装的话pip install scipy 一下
with torch.device('meta'):
    model = torchvision.models.inception_v3(pretrained=False) #我们不下载预训练权重
print(model)

with torch.device('meta'):
    model = torchvision.models.resnet18(pretrained=False) #我们不下载预训练权重
print(model)
print(sum(p.numel() for p in model.parameters()))

# ================================================================ 2.5 循环神经网络
rnn = torch.nn.RNN(20,50,2)
input = torch.randn(100 , 32 , 20)
h_0 =torch.randn(2 , 32 , 50)
output,hn=rnn(input ,h_0)
print(output.size(),hn.size())

lstm = torch.nn.LSTM(10, 20,2)
input = torch.randn(5, 3, 10)
h0 =torch.randn(2, 3, 20)
c0 = torch.randn(2, 3, 20)
output, hn = lstm(input, (h0, c0))
print(output.size(),hn[0].size(),hn[1].size())

rnn = torch.nn.GRU(10, 20, 2)
input = torch.randn(5, 3, 10)
h_0= torch.randn(2, 3, 20)
output, hn = rnn(input, h0)
print(output.size(),h0.size())

# an Embedding module containing 10 tensors of size 3
embedding = torch.nn.Embedding(10, 3)
# a batch of 2 samples of 4 indices each
input = torch.LongTensor([[1,2,4,5],[4,3,2,9]])
output=embedding(input)
print(output.size())
print(output)
