# ruff: noqa: E501, E402, UP008, UP032, F401, I001, B007, C408  (tutorial code, kept as the book writes it)
"""datawhalechina/thorough-pytorch (深入浅出PyTorch) chapter 5 and the notebook of chapters 5-6
(PyTorch模型定义与进阶训练技巧), points 1-4 and 7: 5.1 a hand-written MySequential over
add_module / self._modules, nn.Sequential from modules and from an OrderedDict, ModuleList
(append, net[-1]) and ModuleDict (net['output'] = ..., net.output), the NotImplementedError of
calling a ModuleList / ModuleDict, Net3 looping over its ModuleList; 5.2 U-Net from blocks
(DoubleConv, Down, Up with bilinear Upsample and F.pad, OutConv), its repr; 5.3 modifying models
(copy.deepcopy, swapping outc, an extra input added before outc, an extra output returned, and
the book's fc -> Sequential(OrderedDict) classifier, extra-input and extra-output wrappers around
a backbone); 5.4 saving and loading the whole model and its state_dict, nn.DataParallel's
"module." keys and the three ways to drop them (model.module.state_dict(), k[7:], replace), and
point 7's frozen outc listed through named_parameters().
Adapted: U-Net on one 1x3x64x64 image (the notebook: 224x224); torchvision's resnet50 (not
installed with PyTorch here) is a small backbone with the same 2048 -> 1000 fc head; files go to
a temporary folder; .cuda() calls are left out."""
import collections
import copy
import os
import tempfile
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
workdir = tempfile.mkdtemp()

# ---------------------------------------------------------------- 5.1 模型定义的方式


class MySequential(nn.Module):
    from collections import OrderedDict

    def __init__(self, *args):
        super(MySequential, self).__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):  # 如果传入的是一个OrderedDict
            for key, module in args[0].items():
                self.add_module(key, module)
                # add_module方法会将module添加进self._modules(一个OrderedDict)
        else:  # 传入的是一些Module
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def forward(self, input):
        # self._modules返回一个 OrderedDict，保证会按照成员添加时的顺序遍历成
        for module in self._modules.values():
            input = module(input)
        return input


my = MySequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
print(my)
print(MySequential(OrderedDict([('fc1', nn.Linear(4, 2)), ('relu1', nn.ReLU())])))

## Sequential: Direct list
net1 = nn.Sequential(
        nn.Linear(784, 256),
        nn.ReLU(),
        nn.Linear(256, 10),
        )
print(net1)

## Sequential: Ordered Dict
net2 = nn.Sequential(collections.OrderedDict([
          ('fc1', nn.Linear(784, 256)),
          ('relu1', nn.ReLU()),
          ('fc2', nn.Linear(256, 10))
          ]))
print(net2)

# 试一下
a = torch.rand(4, 784)
out1 = net1(a)
out2 = net2(a)
print(out1.shape == out2.shape, out1.shape)
my.load_state_dict(net1.state_dict())
print(torch.equal(my(a), out1))

## ModuleList
net3 = nn.ModuleList([nn.Linear(784, 256), nn.ReLU()])
net3.append(nn.Linear(256, 10))  # # 类似List的append操作
print(net3[-1])  # 类似List的索引访问
print(net3)

# 注意ModuleList 并没有定义一个网络，它只是将不同的模块储存在一起。此处应报错
try:
    out3 = net3(a)
except NotImplementedError as err:
    print("NotImplementedError:", err)


class Net3(nn.Module):
    def __init__(self):
        super().__init__()
        self.modulelist = nn.ModuleList([nn.Linear(784, 256), nn.ReLU()])
        self.modulelist.append(nn.Linear(256, 10))

    def forward(self, x):
        for layer in self.modulelist:
            x = layer(x)
        return x


net3_ = Net3()
out3_ = net3_(a)
print(out3_.shape)

## ModuleDict
net4 = nn.ModuleDict({
    'linear': nn.Linear(784, 256),
    'act': nn.ReLU(),
})
net4['output'] = nn.Linear(256, 10)  # 添加
print(net4['linear'])  # 访问
print(net4.output)
print(net4)

# 同样地，ModuleDict并没有定义一个网络，它只是将不同的模块储存在一起。此处应报错。
try:
    out4 = net4(a)
except NotImplementedError as err:
    print("NotImplementedError:", err)

# ---------------------------------------------------------------- 5.2 利用模型块快速搭建复杂网络


class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    """Downscaling with maxpool then double conv"""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(
            nn.MaxPool2d(2),
            DoubleConv(in_channels, out_channels)
        )

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    """Upscaling then double conv"""

    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()

        # if bilinear, use the normal convolutions to reduce the number of channels
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        # input is CHW
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]

        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2,
                        diffY // 2, diffY - diffY // 2])
        # if you have padding issues, see
        # https://github.com/HaiyongJiang/U-Net-Pytorch-Unstructured-Buggy/commit/0e854509c2cea854e247a9c615f175f76fbb2e3a
        # https://github.com/xiaopeng-liao/Pytorch-UNet/commit/8ebac70e633bac59fc22bb5195e513d5832fb3bd
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(OutConv, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


## 组装
class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=True):
        super(UNet, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear

        self.inc = DoubleConv(n_channels, 64)
        self.down1 = Down(64, 128)
        self.down2 = Down(128, 256)
        self.down3 = Down(256, 512)
        factor = 2 if bilinear else 1
        self.down4 = Down(512, 1024 // factor)
        self.up1 = Up(1024, 512 // factor, bilinear)
        self.up2 = Up(512, 256 // factor, bilinear)
        self.up3 = Up(256, 128 // factor, bilinear)
        self.up4 = Up(128, 64, bilinear)
        self.outc = OutConv(64, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        logits = self.outc(x)
        return logits


unet = UNet(3, 1)
print(unet)
print(sum(p.numel() for p in unet.parameters()))
print(Up(128, 64, bilinear=False).up)

# ---------------------------------------------------------------- 5.3 PyTorch修改模型
## 修改特定层
# (adapted: the forwards that only print shapes run on the meta device; a U-Net forward compiles
# for several seconds on XLA:CPU, so only unet3 below computes values)
unet1 = copy.deepcopy(unet).to("meta")
print(unet1.outc)

b = torch.rand(1, 3, 64, 64, device="meta")
out_unet1 = unet1(b)
print(out_unet1.shape)

unet1.outc = OutConv(64, 5)
print(unet1.outc, unet1.outc.conv.weight.device)

out_unet1 = unet1.to("meta")(b)
print(out_unet1.shape, out_unet1.device)


## 添加额外输入
class UNet2(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=True):
        super(UNet2, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear

        self.inc = DoubleConv(n_channels, 64)
        self.down1 = Down(64, 128)
        self.down2 = Down(128, 256)
        self.down3 = Down(256, 512)
        factor = 2 if bilinear else 1
        self.down4 = Down(512, 1024 // factor)
        self.up1 = Up(1024, 512 // factor, bilinear)
        self.up2 = Up(512, 256 // factor, bilinear)
        self.up3 = Up(256, 128 // factor, bilinear)
        self.up4 = Up(128, 64, bilinear)
        self.outc = OutConv(64, n_classes)

    def forward(self, x, add_variable):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        x = x + add_variable   # 修改点
        logits = self.outc(x)
        return logits


unet2 = UNet2(3, 1).to("meta")

c = torch.rand(1, 1, 64, 64, device="meta")
out_unet2 = unet2(b, c)
print(out_unet2.shape)


## 添加额外输出
class UNet3(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=True):
        super(UNet3, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear

        self.inc = DoubleConv(n_channels, 64)
        self.down1 = Down(64, 128)
        self.down2 = Down(128, 256)
        self.down3 = Down(256, 512)
        factor = 2 if bilinear else 1
        self.down4 = Down(512, 1024 // factor)
        self.up1 = Up(1024, 512 // factor, bilinear)
        self.up2 = Up(512, 256 // factor, bilinear)
        self.up3 = Up(256, 128 // factor, bilinear)
        self.up4 = Up(128, 64, bilinear)
        self.outc = OutConv(64, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        logits = self.outc(x)
        return logits, x5  # 修改点


unet3 = UNet3(3, 1)
unet3.load_state_dict(unet.state_dict())
b = torch.rand(1, 3, 64, 64)
out_unet3, mid_out = unet3(b)
print(out_unet3.shape, mid_out.shape)
print(round(out_unet3.mean().item(), 3), round(mid_out.std().item(), 3), unet3.inc.double_conv[1].num_batches_tracked)


# the book's 5.3 on torchvision's resnet50: a backbone whose fc maps 2048 features to 1000
class Backbone(nn.Module):
    def __init__(self):
        super(Backbone, self).__init__()
        self.conv1 = nn.Conv2d(3, 2048, kernel_size=1, bias=False)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(2048, 1000)

    def forward(self, x):
        x = torch.flatten(self.avgpool(self.conv1(x)), 1)
        return self.fc(x)


net = Backbone()
classifier = nn.Sequential(OrderedDict([('fc1', nn.Linear(2048, 128)),
                          ('relu1', nn.ReLU()),
                          ('dropout1', nn.Dropout(0.5)),
                          ('fc2', nn.Linear(128, 10)),
                          ('output', nn.Softmax(dim=1))
                          ]))

net.fc = classifier
print(net)
inputs = torch.rand(2, 3, 8, 8)
probs = net(inputs)
print(probs.shape, probs.grad_fn.name(), torch.allclose(probs.sum(dim=1), torch.ones(2)))


class Model(nn.Module):
    def __init__(self, net):
        super(Model, self).__init__()
        self.net = net
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(0.5)
        self.fc_add = nn.Linear(1001, 10, bias=True)
        self.output = nn.Softmax(dim=1)

    def forward(self, x, add_variable):
        x = self.net(x)
        x = torch.cat((self.dropout(self.relu(x)), add_variable.unsqueeze(1)), 1)
        x = self.fc_add(x)
        x = self.output(x)
        return x


model = Model(Backbone())
add_var = torch.tensor([0.5, 2.0])
outputs = model(inputs, add_var)
print(outputs.shape, outputs.argmax(1))


class Model(nn.Module):
    def __init__(self, net):
        super(Model, self).__init__()
        self.net = net
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(0.5)
        self.fc1 = nn.Linear(1000, 10, bias=True)
        self.output = nn.Softmax(dim=1)

    def forward(self, x, add_variable):
        x1000 = self.net(x)
        x10 = self.dropout(self.relu(x1000))
        x10 = self.fc1(x10)
        x10 = self.output(x10)
        return x10, x1000


model = Model(Backbone())
out10, out1000 = model(inputs, add_var)
print(out10.shape, out1000.shape)

# ---------------------------------------------------------------- 5.4 模型保存与读取
save_dir = os.path.join(workdir, 'unet.pth')
model = OutConv(4, 2)

# 保存+读取整个模型
torch.save(model, save_dir)
loaded_model = torch.load(save_dir, weights_only=False)
print(loaded_model, torch.equal(loaded_model.conv.weight, model.conv.weight))

# 保存+读取模型权重
torch.save(model.state_dict(), save_dir)
loaded_model = OutConv(4, 2)  # 注意这里需要对模型结构有定义
print(loaded_model.load_state_dict(torch.load(save_dir)))
print(torch.equal(loaded_model.conv.bias, model.conv.bias))

torch.save(unet.state_dict(), save_dir)
loaded_unet = UNet(3, 1)
loaded_unet.load_state_dict(torch.load(save_dir))
print(all((v.numpy() == loaded_unet.state_dict()[k].numpy()).all() for k, v in unet.state_dict().items()))
print(list(unet.state_dict().keys())[:7], len(unet.state_dict()))

# 多卡保存
model = torch.nn.DataParallel(model)
print(model)
print(list(model.state_dict().keys()))

# 保存模型时保存模型的module属性对应的权重
torch.save(model.module.state_dict(), save_dir)
print(list(torch.load(save_dir).keys()))

# 遍历字典去除module
torch.save(model.state_dict(), save_dir)
loaded_dict = torch.load(save_dir)
new_state_dict = OrderedDict()
for k, v in loaded_dict.items():
    name = k[7:]  # module字段在最前面，从第7个字符开始就可以去掉module
    new_state_dict[name] = v  # 新字典的key值对应的value一一对应
loaded_model = OutConv(4, 2)
print(loaded_model.load_state_dict(new_state_dict))

# 使用replace操作去除module
loaded_model = OutConv(4, 2)
print(loaded_model.load_state_dict({k.replace('module.', ''): v for k, v in loaded_dict.items()}))

# 去除字典里的module麻烦，往model里添加module简单
loaded_model = nn.DataParallel(OutConv(4, 2))
print(loaded_model.load_state_dict(loaded_dict))
try:
    OutConv(4, 2).load_state_dict(loaded_dict)
except RuntimeError as err:
    print(str(err).splitlines()[0])

# Point 7：模型微调
unet = nn.DataParallel(unet)
unet.module.outc.conv.weight.requires_grad = False
unet.module.outc.conv.bias.requires_grad = False

for layer, param in unet.named_parameters():
    print(layer, '\t', param.requires_grad)
print(param)
