# ruff: noqa: B007, E231, E501, UP008, UP031, UP032, C408  (tutorial code, kept as the repository writes it)
"""kuangliu/pytorch-cifar models/: GoogLeNet (four Inception branches joined by torch.cat) and
DenseNet121 (torch.cat([out, x], 1) bottlenecks, Transition avg_pool2d, math.floor reduction),
written as the repository writes them. The full-size models are built and their parameters
counted; the forward on a seeded 2x3x32x32 batch and one main.py-style step (CrossEntropyLoss,
SGD(momentum, weight_decay), CosineAnnealingLR) run on slimmer configurations of the same classes
(fewer Inception modules and narrower, fewer dense blocks), so the script stays quick."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


# ---- googlenet.py (the widths are divided by W, 1 for the repository's network)
class Inception(nn.Module):
    def __init__(self, in_planes, n1x1, n3x3red, n3x3, n5x5red, n5x5, pool_planes, W=1):
        super(Inception, self).__init__()
        in_planes, n1x1, n3x3red, n3x3 = in_planes // W, n1x1 // W, n3x3red // W, n3x3 // W
        n5x5red, n5x5, pool_planes = n5x5red // W, n5x5 // W, pool_planes // W
        # 1x1 conv branch
        self.b1 = nn.Sequential(
            nn.Conv2d(in_planes, n1x1, kernel_size=1),
            nn.BatchNorm2d(n1x1),
            nn.ReLU(True),
        )

        # 1x1 conv -> 3x3 conv branch
        self.b2 = nn.Sequential(
            nn.Conv2d(in_planes, n3x3red, kernel_size=1),
            nn.BatchNorm2d(n3x3red),
            nn.ReLU(True),
            nn.Conv2d(n3x3red, n3x3, kernel_size=3, padding=1),
            nn.BatchNorm2d(n3x3),
            nn.ReLU(True),
        )

        # 1x1 conv -> 5x5 conv branch (as two 3x3 convs)
        self.b3 = nn.Sequential(
            nn.Conv2d(in_planes, n5x5red, kernel_size=1),
            nn.BatchNorm2d(n5x5red),
            nn.ReLU(True),
            nn.Conv2d(n5x5red, n5x5, kernel_size=3, padding=1),
            nn.BatchNorm2d(n5x5),
            nn.ReLU(True),
            nn.Conv2d(n5x5, n5x5, kernel_size=3, padding=1),
            nn.BatchNorm2d(n5x5),
            nn.ReLU(True),
        )

        # 3x3 pool -> 1x1 conv branch
        self.b4 = nn.Sequential(
            nn.MaxPool2d(3, stride=1, padding=1),
            nn.Conv2d(in_planes, pool_planes, kernel_size=1),
            nn.BatchNorm2d(pool_planes),
            nn.ReLU(True),
        )

    def forward(self, x):
        y1 = self.b1(x)
        y2 = self.b2(x)
        y3 = self.b3(x)
        y4 = self.b4(x)
        return torch.cat([y1, y2, y3, y4], 1)


class GoogLeNet(nn.Module):
    def __init__(self, W=1, full=True):
        super(GoogLeNet, self).__init__()
        self.full = full
        self.pre_layers = nn.Sequential(
            nn.Conv2d(3, 192 // W, kernel_size=3, padding=1),
            nn.BatchNorm2d(192 // W),
            nn.ReLU(True),
        )

        self.a3 = Inception(192, 64, 96, 128, 16, 32, 32, W)
        self.b3 = Inception(256, 128, 128, 192, 32, 96, 64, W)

        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)

        self.a4 = Inception(480, 192, 96, 208, 16, 48, 64, W)
        if full:
            self.b4 = Inception(512, 160, 112, 224, 24, 64, 64, W)
            self.c4 = Inception(512, 128, 128, 256, 24, 64, 64, W)
            self.d4 = Inception(512, 112, 144, 288, 32, 64, 64, W)
            self.e4 = Inception(528, 256, 160, 320, 32, 128, 128, W)
            self.a5 = Inception(832, 256, 160, 320, 32, 128, 128, W)
            self.b5 = Inception(832, 384, 192, 384, 48, 128, 128, W)
        else:  # (the slim network goes from a4 straight to b5)
            self.b5 = Inception(512, 384, 192, 384, 48, 128, 128, W)

        self.avgpool = nn.AvgPool2d(8, stride=1)
        self.linear = nn.Linear(1024 // W, 10)

    def forward(self, x):
        out = self.pre_layers(x)
        out = self.a3(out)
        out = self.b3(out)
        out = self.maxpool(out)
        out = self.a4(out)
        if self.full:
            out = self.b4(out)
            out = self.c4(out)
            out = self.d4(out)
            out = self.e4(out)
        out = self.maxpool(out)
        if self.full:
            out = self.a5(out)
        out = self.b5(out)
        out = self.avgpool(out)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


# ---- densenet.py
class Bottleneck(nn.Module):
    def __init__(self, in_planes, growth_rate):
        super(Bottleneck, self).__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, 4*growth_rate, kernel_size=1, bias=False)
        self.bn2 = nn.BatchNorm2d(4*growth_rate)
        self.conv2 = nn.Conv2d(4*growth_rate, growth_rate, kernel_size=3, padding=1, bias=False)

    def forward(self, x):
        out = self.conv1(F.relu(self.bn1(x)))
        out = self.conv2(F.relu(self.bn2(out)))
        out = torch.cat([out, x], 1)
        return out


class Transition(nn.Module):
    def __init__(self, in_planes, out_planes):
        super(Transition, self).__init__()
        self.bn = nn.BatchNorm2d(in_planes)
        self.conv = nn.Conv2d(in_planes, out_planes, kernel_size=1, bias=False)

    def forward(self, x):
        out = self.conv(F.relu(self.bn(x)))
        out = F.avg_pool2d(out, 2)
        return out


class DenseNet(nn.Module):
    def __init__(self, block, nblocks, growth_rate=12, reduction=0.5, num_classes=10):
        super(DenseNet, self).__init__()
        self.growth_rate = growth_rate

        num_planes = 2*growth_rate
        self.conv1 = nn.Conv2d(3, num_planes, kernel_size=3, padding=1, bias=False)

        self.dense1 = self._make_dense_layers(block, num_planes, nblocks[0])
        num_planes += nblocks[0]*growth_rate
        out_planes = int(math.floor(num_planes*reduction))
        self.trans1 = Transition(num_planes, out_planes)
        num_planes = out_planes

        self.dense2 = self._make_dense_layers(block, num_planes, nblocks[1])
        num_planes += nblocks[1]*growth_rate
        out_planes = int(math.floor(num_planes*reduction))
        self.trans2 = Transition(num_planes, out_planes)
        num_planes = out_planes

        self.dense3 = self._make_dense_layers(block, num_planes, nblocks[2])
        num_planes += nblocks[2]*growth_rate
        out_planes = int(math.floor(num_planes*reduction))
        self.trans3 = Transition(num_planes, out_planes)
        num_planes = out_planes

        self.dense4 = self._make_dense_layers(block, num_planes, nblocks[3])
        num_planes += nblocks[3]*growth_rate

        self.bn = nn.BatchNorm2d(num_planes)
        self.linear = nn.Linear(num_planes, num_classes)

    def _make_dense_layers(self, block, in_planes, nblock):
        layers = []
        for i in range(nblock):
            layers.append(block(in_planes, self.growth_rate))
            in_planes += self.growth_rate
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.conv1(x)
        out = self.trans1(self.dense1(out))
        out = self.trans2(self.dense2(out))
        out = self.trans3(self.dense3(out))
        out = self.dense4(out)
        out = F.avg_pool2d(F.relu(self.bn(out)), 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def DenseNet121():
    return DenseNet(Bottleneck, [6, 12, 24, 16], growth_rate=32)


def densenet_cifar():
    return DenseNet(Bottleneck, [6, 12, 24, 16], growth_rate=12)


# ---- one forward and one main.py-style step per model
criterion = nn.CrossEntropyLoss()


def evaluate(net, x, targets):
    net.eval()
    with torch.no_grad():
        outputs = net(x)
        loss = criterion(outputs, targets)
    return outputs, loss


def check(name, net):
    torch.manual_seed(1)
    x = torch.randn(2, 3, 32, 32)
    targets = torch.tensor([3, 7])
    n_params = sum(p.numel() for p in net.parameters())
    y, loss = evaluate(net, x, targets)
    print('%s: params %d, out %s' % (name, n_params, tuple(y.size())))
    print('  logits', ' '.join('%.4f' % v for v in y[0, :5].tolist()), 'loss %.4f' % loss.item())

    optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200)
    net.train()
    optimizer.zero_grad()
    outputs = net(x)
    loss = criterion(outputs, targets)
    loss.backward()
    optimizer.step()
    scheduler.step()
    _, predicted = outputs.max(1)
    print('  train loss %.4f, correct %d, lr %.6f' % (loss.item(), predicted.eq(targets).sum().item(), scheduler.get_last_lr()[0]))
    # (4 significant digits: one lr=0.1 step on a batch of two turns float32 rounding in the
    # gradients into ~5e-6 relative differences of the next loss)
    y, loss = evaluate(net, x, targets)
    print('  loss after the step %.4g' % loss.item())


torch.manual_seed(0)
for name, make in [('GoogLeNet', GoogLeNet), ('DenseNet121', DenseNet121),
                   ('densenet_cifar', densenet_cifar)]:
    net = make()
    print('%s: %d parameters, %d state_dict entries' % (name, sum(p.numel() for p in net.parameters()), len(net.state_dict())))

for name, make in [('GoogLeNet / 8 (a3, b3, a4, b5)', lambda: GoogLeNet(W=8, full=False)),
                   ('DenseNet [1, 1, 1, 1] growth 8', lambda: DenseNet(Bottleneck, [1, 1, 1, 1], growth_rate=8))]:
    torch.manual_seed(0)
    check(name, make())

net = DenseNet(Bottleneck, [1, 2, 1, 1], growth_rate=8)
print(net.trans1)
print(net.dense2[1])
print(GoogLeNet(W=8).b5.b4)
