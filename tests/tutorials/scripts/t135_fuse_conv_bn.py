"""Fusing Convolution and Batch Norm for inference (the PyTorch tutorial's idea): after training, an
eval-mode BatchNorm folds into the convolution before it, torch.nn.utils.fusion.fuse_conv_bn_eval."""

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_linear_bn_eval

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)
        self.bn3 = nn.BatchNorm1d(4)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.bn3(self.fc(x))


net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
x = torch.randn(16, 3, 8, 8)
y = torch.randint(0, 4, (16,))
for step in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")

net.eval()
fused = copy.deepcopy(net)
fused.conv1 = fuse_conv_bn_eval(net.conv1, net.bn1)
fused.conv2 = fuse_conv_bn_eval(net.conv2, net.bn2)
fused.fc = fuse_linear_bn_eval(net.fc, net.bn3)
fused.bn1 = fused.bn2 = nn.Identity()
fused.bn3 = nn.Identity()
print(fused)
print("conv2 bias after fusion:", fused.conv2.bias is not None, tuple(fused.conv2.bias.shape))
with torch.no_grad():
    test = torch.randn(4, 3, 8, 8)
    a, b = net(test), fused(test)
print("max difference below 1e-4:", (a - b).abs().max().item() < 1e-4)
print("predictions agree:", torch.equal(a.argmax(1), b.argmax(1)))
print("fused conv1 weight norm", round(fused.conv1.weight.norm().item(), 3))
print("fused fc bias", [round(v, 3) for v in fused.fc.bias.tolist()])
