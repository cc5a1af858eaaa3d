# ruff: noqa: B007, E231, E501, UP008, UP031, UP032, C408  (tutorial code, kept as the repository writes it)
"""kuangliu/pytorch-cifar models/: MobileNet (depthwise groups=in_planes convs, a cfg of ints and
(planes, stride) tuples), MobileNetV2 (expand + depthwise + pointwise, `out + self.shortcut(x) if
self.stride==1 else out`) and EfficientNetB0 (swish as x * x.sigmoid(), squeeze-excitation,
F.dropout2d(out, self.drop_rate), which drops in eval mode too since its training flag defaults to
True), written as the repository writes them. The full-size models are built and their parameters
counted; the forward on a seeded 2x3x32x32 batch and one main.py-style step (CrossEntropyLoss,
SGD(momentum, weight_decay), CosineAnnealingLR) run on subclasses with shorter cfg lists, so the
script stays quick."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


# ---- mobilenet.py
class Block(nn.Module):
    '''Depthwise conv + Pointwise conv'''
    def __init__(self, in_planes, out_planes, stride=1):
        super(Block, self).__init__()
        self.conv1 = nn.Conv2d(in_planes, in_planes, kernel_size=3, stride=stride, padding=1, groups=in_planes, bias=False)
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv2 = nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=1, padding=0, bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        return out


class MobileNet(nn.Module):
    # (128,2) means conv planes=128, conv stride=2, by default conv stride=1
    cfg = [64, (128,2), 128, (256,2), 256, (512,2), 512, 512, 512, 512, 512, (1024,2), 1024]

    def __init__(self, num_classes=10):
        super(MobileNet, self).__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.layers = self._make_layers(in_planes=32)
        self.linear = nn.Linear(1024, num_classes)

    def _make_layers(self, in_planes):
        layers = []
        for x in self.cfg:
            out_planes = x if isinstance(x, int) else x[0]
            stride = 1 if isinstance(x, int) else x[1]
            layers.append(Block(in_planes, out_planes, stride))
            in_planes = out_planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.avg_pool2d(out, 2)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


class MobileNetSlim(MobileNet):
    cfg = [32, (64,2), (128,2), (256,2), (1024,2)]


# ---- mobilenetv2.py
class V2Block(nn.Module):
    '''expand + depthwise + pointwise'''
    def __init__(self, in_planes, out_planes, expansion, stride):
        super(V2Block, self).__init__()
        self.stride = stride

        planes = expansion * in_planes
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, stride=1, padding=0, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, groups=planes, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out_planes, kernel_size=1, stride=1, padding=0, bias=False)
        self.bn3 = nn.BatchNorm2d(out_planes)

        self.shortcut = nn.Sequential()
        if stride == 1 and in_planes != out_planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(out_planes),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out = out + self.shortcut(x) if self.stride==1 else out
        return out


class MobileNetV2(nn.Module):
    # (expansion, out_planes, num_blocks, stride)
    cfg = [(1,  16, 1, 1),
           (6,  24, 2, 1),  # NOTE: change stride 2 -> 1 for CIFAR10
           (6,  32, 3, 2),
           (6,  64, 4, 2),
           (6,  96, 3, 1),
           (6, 160, 3, 2),
           (6, 320, 1, 1)]

    def __init__(self, num_classes=10):
        super(MobileNetV2, self).__init__()
        # NOTE: change conv1 stride 2 -> 1 for CIFAR10
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.layers = self._make_layers(in_planes=32)
        self.conv2 = nn.Conv2d(320, 1280, kernel_size=1, stride=1, padding=0, bias=False)
        self.bn2 = nn.BatchNorm2d(1280)
        self.linear = nn.Linear(1280, num_classes)

    def _make_layers(self, in_planes):
        layers = []
        for expansion, out_planes, num_blocks, stride in self.cfg:
            strides = [stride] + [1]*(num_blocks-1)
            for stride in strides:
                layers.append(V2Block(in_planes, out_planes, expansion, stride))
                in_planes = out_planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.relu(self.bn2(self.conv2(out)))
        # NOTE: change pooling kernel_size 7 -> 4 for CIFAR10
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


class MobileNetV2Slim(MobileNetV2):
    cfg = [(1,  16, 1, 1),
           (6,  24, 1, 2),
           (6,  32, 1, 2),
           (6, 320, 1, 2)]


# ---- efficientnet.py
def swish(x):
    return x * x.sigmoid()


class EBlock(nn.Module):
    '''expansion + depthwise + pointwise + squeeze-excitation'''

    def __init__(self, in_planes, out_planes, kernel_size, stride, expand_ratio=1, se_ratio=0., drop_rate=0.):
        super(EBlock, self).__init__()
        self.stride = stride
        self.drop_rate = drop_rate

        # Expansion
        planes = expand_ratio * in_planes
        self.conv1 = nn.Conv2d(
            in_planes, planes, kernel_size=1, stride=1, padding=0, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)

        # Depthwise conv
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=kernel_size,
                               stride=stride, padding=(kernel_size-1)//2, groups=planes, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)

        # SE layers
        se_planes = max(1, int(planes * se_ratio))
        self.se1 = nn.Conv2d(planes, se_planes, kernel_size=1)
        self.se2 = nn.Conv2d(se_planes, planes, kernel_size=1)

        # Output
        self.conv3 = nn.Conv2d(planes, out_planes, kernel_size=1, stride=1, padding=0, bias=False)
        self.bn3 = nn.BatchNorm2d(out_planes)

        self.shortcut = nn.Sequential()
        if stride == 1 and in_planes != out_planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, out_planes, kernel_size=1,
                          stride=1, padding=0, bias=False),
                nn.BatchNorm2d(out_planes),
            )

    def forward(self, x):
        out = swish(self.bn1(self.conv1(x)))
        out = swish(self.bn2(self.conv2(out)))
        # Squeeze-Excitation
        w = F.avg_pool2d(out, out.size(2))
        w = swish(self.se1(w))
        w = self.se2(w).sigmoid()
        out = out * w
        # Output
        out = self.bn3(self.conv3(out))
        if self.drop_rate > 0:
            out = F.dropout2d(out, self.drop_rate)
        shortcut = self.shortcut(x) if self.stride == 1 else out
        out = out + shortcut
        return out


class EfficientNet(nn.Module):
    def __init__(self, cfg, num_classes=10):
        super(EfficientNet, self).__init__()
        self.cfg = cfg
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3,
                               stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.layers = self._make_layers(in_planes=32)
        self.linear = nn.Linear(cfg[-1][1], num_classes)

    def _make_layers(self, in_planes):
        layers = []
        for expansion, out_planes, num_blocks, kernel_size, stride in self.cfg:
            strides = [stride] + [1]*(num_blocks-1)
            for stride in strides:
                layers.append(EBlock(in_planes, out_planes, kernel_size, stride, expansion, se_ratio=0.25, drop_rate=0.2))
                in_planes = out_planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = swish(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.adaptive_avg_pool2d(out, 1)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def EfficientNetB0():
    # (expansion, out_planes, num_blocks, kernel_size, stride)
    cfg = [(1,  16, 1, 3, 1),
           (6,  24, 2, 3, 2),
           (6,  40, 2, 5, 2),
           (6,  80, 3, 3, 2),
           (6, 112, 3, 5, 1),
           (6, 192, 4, 5, 2),
           (6, 320, 1, 3, 1)]
    return EfficientNet(cfg)


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
for name, make in [('MobileNet', MobileNet), ('MobileNetV2', MobileNetV2), ('EfficientNetB0', EfficientNetB0)]:
    net = make()
    print('%s: %d parameters, %d state_dict entries' % (name, sum(p.numel() for p in net.parameters()), len(net.state_dict())))
print(net.layers[1])

for name, make in [('MobileNet, 5 blocks', MobileNetSlim),
                   ('MobileNetV2, 4 blocks', MobileNetV2Slim),
                   ('EfficientNet, 5 blocks', lambda: EfficientNet([(1, 16, 1, 3, 1), (6, 24, 1, 3, 2), (6, 40, 1, 5, 2),
                                                                    (6, 80, 2, 3, 2), (6, 112, 1, 5, 1)]))]:
    torch.manual_seed(0)
    check(name, make())

# F.dropout2d zeroes whole channels, in eval mode too (its training flag defaults to True)
torch.manual_seed(3)
net = EfficientNet([(1, 16, 1, 3, 1), (6, 24, 1, 3, 2)])
net.eval()
with torch.no_grad():
    a = net.layers[1](net.layers[0](torch.randn(2, 32, 8, 8)))
print('zeroed channels', (a.abs().sum((2, 3)) == 0).sum().item(), 'of', a.size(0) * a.size(1))
