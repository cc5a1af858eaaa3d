# ruff: noqa: B007, E231, E501, UP008, UP031, UP032, C408  (tutorial code, kept as the repository writes it)
"""kuangliu/pytorch-cifar models/: VGG, ResNet18, PreActResNet18 and SENet18 written as the
repository writes them (shortcut nn.Sequential(), `out += self.shortcut(x)`,
`hasattr(self, 'shortcut')`, squeeze-excitation through 1x1 convs and F.sigmoid,
F.avg_pool2d(out, 4)). The full-size networks are built and their parameters counted; the forward
on a seeded 2x3x32x32 batch (shape, a few logits, the loss) and one main.py-style step
(CrossEntropyLoss, SGD(momentum, weight_decay), CosineAnnealingLR) run with the widths divided by 4
and one block per stage, so the script stays quick (XLA compiles each new network)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

W = 1  # width divisor: the repository's widths / W


# ---- vgg.py
cfg = {
    'VGG11': [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
    'VGG16': [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
}


class VGG(nn.Module):
    def __init__(self, vgg_name):
        super(VGG, self).__init__()
        self.features = self._make_layers(cfg[vgg_name])
        self.classifier = nn.Linear(512 // W, 10)

    def forward(self, x):
        out = self.features(x)
        out = out.view(out.size(0), -1)
        out = self.classifier(out)
        return out

    def _make_layers(self, cfg):
        layers = []
        in_channels = 3
        for x in cfg:
            if x == 'M':
                layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            else:
                x = x // W
                layers += [nn.Conv2d(in_channels, x, kernel_size=3, padding=1),
                           nn.BatchNorm2d(x),
                           nn.ReLU(inplace=True)]
                in_channels = x
        layers += [nn.AvgPool2d(kernel_size=1, stride=1)]
        return nn.Sequential(*layers)


# ---- resnet.py
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super(BasicBlock, self).__init__()
        self.conv1 = nn.Conv2d(
            in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3,
                               stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)

        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion*planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion*planes,
                          kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion*planes)
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        out = F.relu(out)
        return out


class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super(ResNet, self).__init__()
        self.in_planes = 64 // W

        self.conv1 = nn.Conv2d(3, 64 // W, kernel_size=3,
                               stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64 // W)
        self.layer1 = self._make_layer(block, 64 // W, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 128 // W, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, 256 // W, num_blocks[2], stride=2)
        self.layer4 = self._make_layer(block, 512 // W, num_blocks[3], stride=2)
        self.linear = nn.Linear(512 // W * block.expansion, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1]*(num_blocks-1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.layer3(out)
        out = self.layer4(out)
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def ResNet18():
    return ResNet(BasicBlock, [2, 2, 2, 2])


# ---- preact_resnet.py
class PreActBlock(nn.Module):
    '''Pre-activation version of the BasicBlock.'''
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super(PreActBlock, self).__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)

        if stride != 1 or in_planes != self.expansion*planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion*planes, kernel_size=1, stride=stride, bias=False)
            )

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        out += shortcut
        return out


class PreActResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super(PreActResNet, self).__init__()
        self.in_planes = 64 // W

        self.conv1 = nn.Conv2d(3, 64 // W, kernel_size=3, stride=1, padding=1, bias=False)
        self.layer1 = self._make_layer(block, 64 // W, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 128 // W, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, 256 // W, num_blocks[2], stride=2)
        self.layer4 = self._make_layer(block, 512 // W, num_blocks[3], stride=2)
        self.bn = nn.BatchNorm2d(512 // W * block.expansion)
        self.linear = nn.Linear(512 // W * block.expansion, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1]*(num_blocks-1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.conv1(x)
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.layer3(out)
        out = self.layer4(out)
        out = F.relu(self.bn(out))
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def PreActResNet18():
    return PreActResNet(PreActBlock, [2, 2, 2, 2])


# ---- senet.py
class SEPreActBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super(SEPreActBlock, self).__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)

        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False)
            )

        # SE layers
        self.fc1 = nn.Conv2d(planes, planes//16, kernel_size=1)
        self.fc2 = nn.Conv2d(planes//16, planes, kernel_size=1)

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))

        # Squeeze
        w = F.avg_pool2d(out, out.size(2))
        w = F.relu(self.fc1(w))
        w = F.sigmoid(self.fc2(w))
        # Excitation
        out = out * w

        out += shortcut
        return out


class SENet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super(SENet, self).__init__()
        self.in_planes = 64 // W

        self.conv1 = nn.Conv2d(3, 64 // W, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64 // W)
        self.layer1 = self._make_layer(block, 64 // W, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 128 // W, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, 256 // W, num_blocks[2], stride=2)
        self.layer4 = self._make_layer(block, 512 // W, num_blocks[3], stride=2)
        self.linear = nn.Linear(512 // W, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1]*(num_blocks-1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.layer3(out)
        out = self.layer4(out)
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def SENet18():
    return SENet(SEPreActBlock, [2, 2, 2, 2])


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
for name, make in [('VGG11', lambda: VGG('VGG11')), ('VGG16', lambda: VGG('VGG16')),
                   ('ResNet18', ResNet18),
                   ('PreActResNet18', PreActResNet18), ('SENet18', SENet18)]:
    net = make()
    print('%s: %d parameters, %d state_dict entries' % (name, sum(p.numel() for p in net.parameters()), len(net.state_dict())))
print(net.layer2[0])

W = 4
for name, make in [('VGG11 / 4', lambda: VGG('VGG11')),
                   ('ResNet [1, 1, 1, 1] / 4', lambda: ResNet(BasicBlock, [1, 1, 1, 1])),
                   ('PreActResNet [1, 1, 1, 1] / 4', lambda: PreActResNet(PreActBlock, [1, 1, 1, 1])),
                   ('SENet [1, 1, 1, 1] / 4', lambda: SENet(SEPreActBlock, [1, 1, 1, 1]))]:
    torch.manual_seed(0)
    check(name, make())
print(list(net.state_dict())[:6])
