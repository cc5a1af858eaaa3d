"""Plain-PyTorch reference models with torchvision's module names (torchvision itself is not
installed here), written independently of torchlike's code and compactly: what the parity tests
compare torchlike's zoo against. Class names match torchvision's so that reprs can be compared."""

import math
from collections import OrderedDict, namedtuple
from functools import partial

import torch
from torch import nn
from torch.nn import functional as F


# -- torchvision.ops ----------------------------------------------------------------------------
class Conv2dNormActivation(nn.Sequential):
    def __init__(self, cin, cout, k=3, s=1, p=None, g=1, norm=nn.BatchNorm2d, act=nn.ReLU, d=1,
                 inplace=True, bias=None):  # fmt: skip
        p = (k - 1) // 2 * d if p is None else p
        layers = [nn.Conv2d(cin, cout, k, s, p, dilation=d, groups=g,
                            bias=norm is None if bias is None else bias)]  # fmt: skip
        layers += [norm(cout)] if norm else []
        layers += [act(**({} if inplace is None else {"inplace": inplace}))] if act else []
        super().__init__(*layers)


class SqueezeExcitation(nn.Module):
    def __init__(self, c, sq, act=nn.ReLU, scale=nn.Sigmoid):
        super().__init__()
        self.avgpool, self.fc1, self.fc2 = (
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(c, sq, 1),
            nn.Conv2d(sq, c, 1),
        )
        self.activation, self.scale_activation = act(), scale()

    def forward(self, x):
        return self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x))))) * x


class StochasticDepth(nn.Module):
    def __init__(self, p, mode):
        super().__init__()
        self.p, self.mode = p, mode

    def forward(self, x):
        return x  # the parity tests run these in eval mode or with p == 0

    def __repr__(self):
        return f"StochasticDepth(p={self.p}, mode={self.mode})"


class Permute(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)


def divisible(v, d=8):
    n = max(d, int(v + d / 2) // d * d)
    return n + d if n < 0.9 * v else n


# -- AlexNet, SqueezeNet --------------------------------------------------------------------------
class AlexNet(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        R, M = partial(nn.ReLU, inplace=True), partial(nn.MaxPool2d, 3, 2)
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 11, 4, 2), R(), M(), nn.Conv2d(64, 192, 5, padding=2), R(), M(),
            nn.Conv2d(192, 384, 3, padding=1), R(), nn.Conv2d(384, 256, 3, padding=1), R(),
            nn.Conv2d(256, 256, 3, padding=1), R(), M(),
        )  # fmt: skip
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(9216, 4096), R(), nn.Dropout(0.5), nn.Linear(4096, 4096), R(),
            nn.Linear(4096, num_classes),
        )  # fmt: skip

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class Fire(nn.Module):
    def __init__(self, cin, sq, e1, e3):
        super().__init__()
        self.inplanes = cin
        self.squeeze, self.squeeze_activation = nn.Conv2d(cin, sq, 1), nn.ReLU(True)
        self.expand1x1, self.expand1x1_activation = nn.Conv2d(sq, e1, 1), nn.ReLU(True)
        self.expand3x3, self.expand3x3_activation = nn.Conv2d(sq, e3, 3, padding=1), nn.ReLU(True)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return torch.cat([self.expand1x1_activation(self.expand1x1(x)),
                          self.expand3x3_activation(self.expand3x3(x))], 1)  # fmt: skip


class SqueezeNet(nn.Module):
    def __init__(self, version="1_0", num_classes=1000):
        super().__init__()
        M = partial(nn.MaxPool2d, 3, 2, ceil_mode=True)
        if version == "1_0":
            f = [nn.Conv2d(3, 96, 7, 2), nn.ReLU(True), M(), Fire(96, 16, 64, 64), Fire(128, 16, 64, 64),
                 Fire(128, 32, 128, 128), M(), Fire(256, 32, 128, 128), Fire(256, 48, 192, 192),
                 Fire(384, 48, 192, 192), Fire(384, 64, 256, 256), M(), Fire(512, 64, 256, 256)]  # fmt: skip
        else:
            f = [nn.Conv2d(3, 64, 3, 2), nn.ReLU(True), M(), Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), M(),
                 Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), M(), Fire(256, 48, 192, 192),
                 Fire(384, 48, 192, 192), Fire(384, 64, 256, 256), Fire(512, 64, 256, 256)]  # fmt: skip
        self.features = nn.Sequential(*f)
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(512, num_classes, 1), nn.ReLU(True),
                                        nn.AdaptiveAvgPool2d((1, 1)))  # fmt: skip

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


# -- DenseNet -------------------------------------------------------------------------------------
class _DenseLayer(nn.Module):
    def __init__(self, cin, growth, bn_size):
        super().__init__()
        self.norm1, self.relu1 = nn.BatchNorm2d(cin), nn.ReLU(True)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, 1, bias=False)
        self.norm2, self.relu2 = nn.BatchNorm2d(bn_size * growth), nn.ReLU(True)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, 1, 1, bias=False)

    def forward(self, feats):
        x = self.conv1(self.relu1(self.norm1(torch.cat(feats, 1))))
        return self.conv2(self.relu2(self.norm2(x)))


class _DenseBlock(nn.ModuleDict):
    def __init__(self, n, cin, bn_size, growth):
        super().__init__()
        for i in range(n):
            self.add_module(f"denselayer{i + 1}", _DenseLayer(cin + i * growth, growth, bn_size))

    def forward(self, x):
        feats = [x]
        for layer in self.values():
            feats.append(layer(feats))
        return torch.cat(feats, 1)


class _Transition(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm, self.relu = nn.BatchNorm2d(cin), nn.ReLU(True)
        self.conv, self.pool = nn.Conv2d(cin, cout, 1, 1, bias=False), nn.AvgPool2d(2, 2)


class DenseNet(nn.Module):
    def __init__(self, growth=32, blocks=(6, 12, 24, 16), init=64, bn_size=4, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv0", nn.Conv2d(3, init, 7, 2, 3, bias=False)), ("norm0", nn.BatchNorm2d(init)),
            ("relu0", nn.ReLU(True)), ("pool0", nn.MaxPool2d(3, 2, 1))]))  # fmt: skip
        c = init
        for i, n in enumerate(blocks):
            self.features.add_module(f"denseblock{i + 1}", _DenseBlock(n, c, bn_size, growth))
            c += n * growth
            if i != len(blocks) - 1:
                self.features.add_module(f"transition{i + 1}", _Transition(c, c // 2))
                c //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(c))
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(F.relu(self.features(x)), (1, 1))
        return self.classifier(torch.flatten(x, 1))


InceptionOutputs = namedtuple("InceptionOutputs", ["logits", "aux_logits"])
GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])


# -- Inception v3 and GoogLeNet -------------------------------------------------------------------
class BasicConv2d(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__()
        self.conv, self.bn = nn.Conv2d(cin, cout, bias=False, **kw), nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def _convs(mod, specs):
    """specs: name -> (cin, cout, kernel, extra kwargs)."""
    for name, (cin, cout, k, kw) in specs.items():
        setattr(mod, name, BasicConv2d(cin, cout, kernel_size=k, **kw))


def _run(mod, x, *names):
    for n in names:
        x = getattr(mod, n)(x)
    return x


P1, P3 = {"padding": 1}, {}
H7, V7 = ((1, 7), {"padding": (0, 3)}), ((7, 1), {"padding": (3, 0)})
H3, V3 = ((1, 3), {"padding": (0, 1)}), ((3, 1), {"padding": (1, 0)})


def _avg(x):
    return F.avg_pool2d(x, 3, 1, 1)


class InceptionA(nn.Module):
    def __init__(self, c, pool):
        super().__init__()
        _convs(self, {"branch1x1": (c, 64, 1, {}), "branch5x5_1": (c, 48, 1, {}),
                      "branch5x5_2": (48, 64, 5, {"padding": 2}), "branch3x3dbl_1": (c, 64, 1, {}),
                      "branch3x3dbl_2": (64, 96, 3, P1), "branch3x3dbl_3": (96, 96, 3, P1),
                      "branch_pool": (c, pool, 1, {})})  # fmt: skip

    def forward(self, x):
        return torch.cat([self.branch1x1(x), _run(self, x, "branch5x5_1", "branch5x5_2"),
                          _run(self, x, "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"),
                          self.branch_pool(_avg(x))], 1)  # fmt: skip


class InceptionB(nn.Module):
    def __init__(self, c):
        super().__init__()
        _convs(self, {"branch3x3": (c, 384, 3, {"stride": 2}), "branch3x3dbl_1": (c, 64, 1, {}),
                      "branch3x3dbl_2": (64, 96, 3, P1), "branch3x3dbl_3": (96, 96, 3, {"stride": 2})})  # fmt: skip

    def forward(self, x):
        return torch.cat([self.branch3x3(x), _run(self, x, "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"),
                          F.max_pool2d(x, 3, 2)], 1)  # fmt: skip


class InceptionC(nn.Module):
    def __init__(self, c, c7):
        super().__init__()
        _convs(self, {"branch1x1": (c, 192, 1, {}), "branch7x7_1": (c, c7, 1, {}),
                      "branch7x7_2": (c7, c7, *H7), "branch7x7_3": (c7, 192, *V7),
                      "branch7x7dbl_1": (c, c7, 1, {}), "branch7x7dbl_2": (c7, c7, *V7),
                      "branch7x7dbl_3": (c7, c7, *H7), "branch7x7dbl_4": (c7, c7, *V7),
                      "branch7x7dbl_5": (c7, 192, *H7), "branch_pool": (c, 192, 1, {})})  # fmt: skip

    def forward(self, x):
        dbl = [f"branch7x7dbl_{i}" for i in range(1, 6)]
        return torch.cat([self.branch1x1(x), _run(self, x, "branch7x7_1", "branch7x7_2", "branch7x7_3"),
                          _run(self, x, *dbl), self.branch_pool(_avg(x))], 1)  # fmt: skip


class InceptionD(nn.Module):
    def __init__(self, c):
        super().__init__()
        _convs(self, {"branch3x3_1": (c, 192, 1, {}), "branch3x3_2": (192, 320, 3, {"stride": 2}),
                      "branch7x7x3_1": (c, 192, 1, {}), "branch7x7x3_2": (192, 192, *H7),
                      "branch7x7x3_3": (192, 192, *V7), "branch7x7x3_4": (192, 192, 3, {"stride": 2})})  # fmt: skip

    def forward(self, x):
        b7 = [f"branch7x7x3_{i}" for i in range(1, 5)]
        return torch.cat([_run(self, x, "branch3x3_1", "branch3x3_2"), _run(self, x, *b7),
                          F.max_pool2d(x, 3, 2)], 1)  # fmt: skip


class InceptionE(nn.Module):
    def __init__(self, c):
        super().__init__()
        _convs(self, {"branch1x1": (c, 320, 1, {}), "branch3x3_1": (c, 384, 1, {}),
                      "branch3x3_2a": (384, 384, *H3), "branch3x3_2b": (384, 384, *V3),
                      "branch3x3dbl_1": (c, 448, 1, {}), "branch3x3dbl_2": (448, 384, 3, P1),
                      "branch3x3dbl_3a": (384, 384, *H3), "branch3x3dbl_3b": (384, 384, *V3),
                      "branch_pool": (c, 192, 1, {})})  # fmt: skip

    def forward(self, x):
        a = self.branch3x3_1(x)
        b = _run(self, x, "branch3x3dbl_1", "branch3x3dbl_2")
        return torch.cat([self.branch1x1(x), torch.cat([self.branch3x3_2a(a), self.branch3x3_2b(a)], 1),
                          torch.cat([self.branch3x3dbl_3a(b), self.branch3x3dbl_3b(b)], 1),
                          self.branch_pool(_avg(x))], 1)  # fmt: skip


class InceptionAux(nn.Module):
    def __init__(self, c, num_classes):
        super().__init__()
        self.conv0, self.conv1 = (
            BasicConv2d(c, 128, kernel_size=1),
            BasicConv2d(128, 768, kernel_size=5),
        )
        self.fc = nn.Linear(768, num_classes)

    def forward(self, x):
        x = self.conv1(self.conv0(F.avg_pool2d(x, 5, 3)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1))


class Inception3(nn.Module):
    def __init__(self, num_classes=1000, aux_logits=True):
        super().__init__()
        self.aux_logits, self.transform_input = aux_logits, False
        _convs(self, {"Conv2d_1a_3x3": (3, 32, 3, {"stride": 2}), "Conv2d_2a_3x3": (32, 32, 3, {}),
                      "Conv2d_2b_3x3": (32, 64, 3, P1)})  # fmt: skip
        self.maxpool1 = nn.MaxPool2d(3, 2)
        _convs(self, {"Conv2d_3b_1x1": (64, 80, 1, {}), "Conv2d_4a_3x3": (80, 192, 3, {})})
        self.maxpool2 = nn.MaxPool2d(3, 2)
        self.Mixed_5b, self.Mixed_5c, self.Mixed_5d = (
            InceptionA(192, 32),
            InceptionA(256, 64),
            InceptionA(288, 64),
        )
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b, self.Mixed_6c = InceptionC(768, 128), InceptionC(768, 160)
        self.Mixed_6d, self.Mixed_6e = InceptionC(768, 160), InceptionC(768, 192)
        self.AuxLogits = InceptionAux(768, num_classes) if aux_logits else None
        self.Mixed_7a, self.Mixed_7b, self.Mixed_7c = (
            InceptionD(768),
            InceptionE(1280),
            InceptionE(2048),
        )
        self.avgpool, self.dropout, self.fc = (
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Dropout(0.5),
            nn.Linear(2048, num_classes),
        )

    def forward(self, x):
        x = _run(self, x, "Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1",
                 "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b",
                 "Mixed_6c", "Mixed_6d", "Mixed_6e")  # fmt: skip
        aux = self.AuxLogits(x) if self.training and self.AuxLogits is not None else None
        x = _run(self, x, "Mixed_7a", "Mixed_7b", "Mixed_7c", "avgpool", "dropout")
        x = self.fc(torch.flatten(x, 1))
        return InceptionOutputs(x, aux) if self.training and self.aux_logits else x


class Inception(nn.Module):
    def __init__(self, c, c1, c3r, c3, c5r, c5, pp):
        super().__init__()
        B = BasicConv2d
        self.branch1 = B(c, c1, kernel_size=1)
        self.branch2 = nn.Sequential(B(c, c3r, kernel_size=1), B(c3r, c3, kernel_size=3, padding=1))
        self.branch3 = nn.Sequential(B(c, c5r, kernel_size=1), B(c5r, c5, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), B(c, pp, kernel_size=1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class GoogLeNetAux(nn.Module):
    def __init__(self, c, num_classes):
        super().__init__()
        self.conv = BasicConv2d(c, 128, kernel_size=1)
        self.fc1, self.fc2, self.dropout = (
            nn.Linear(2048, 1024),
            nn.Linear(1024, num_classes),
            nn.Dropout(0.7),
        )

    def forward(self, x):
        x = torch.flatten(self.conv(F.adaptive_avg_pool2d(x, (4, 4))), 1)
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


GoogLeNetAux.__name__ = "InceptionAux"


class GoogLeNet(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.aux_logits, self.transform_input = True, False
        M = partial(nn.MaxPool2d, 3, 2, ceil_mode=True)
        self.conv1, self.maxpool1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3), M()
        self.conv2, self.conv3 = (
            BasicConv2d(64, 64, kernel_size=1),
            BasicConv2d(64, 192, kernel_size=3, padding=1),
        )
        self.maxpool2 = M()
        self.inception3a, self.inception3b = (
            Inception(192, 64, 96, 128, 16, 32, 32),
            Inception(256, 128, 128, 192, 32, 96, 64),
        )
        self.maxpool3 = M()
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)
        self.aux1, self.aux2 = GoogLeNetAux(512, num_classes), GoogLeNetAux(528, num_classes)
        self.avgpool, self.dropout, self.fc = (
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Dropout(0.2),
            nn.Linear(1024, num_classes),
        )

    def forward(self, x):
        x = _run(self, x, "conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b",
                 "maxpool3", "inception4a")  # fmt: skip
        a1 = self.aux1(x) if self.training else None
        x = _run(self, x, "inception4b", "inception4c", "inception4d")
        a2 = self.aux2(x) if self.training else None
        x = _run(self, x, "inception4e", "maxpool4", "inception5a", "inception5b", "avgpool")
        x = self.fc(self.dropout(torch.flatten(x, 1)))
        # torchvision's GoogLeNetOutputs(logits, aux_logits2, aux_logits1) carries aux1's output second
        return GoogLeNetOutputs(x, a1, a2) if self.training else x


# -- MobileNet V2/V3 ------------------------------------------------------------------------------
class InvertedResidualV2(nn.Module):
    def __init__(self, cin, cout, s, t):
        super().__init__()
        hid = int(round(cin * t))
        self.stride, self.use_res_connect = s, s == 1 and cin == cout
        C = partial(Conv2dNormActivation, act=nn.ReLU6)
        layers = [C(cin, hid, 1)] if t != 1 else []
        layers += [
            C(hid, hid, 3, s, g=hid),
            nn.Conv2d(hid, cout, 1, 1, 0, bias=False),
            nn.BatchNorm2d(cout),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


InvertedResidualV2.__name__ = "InvertedResidual"


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        C = partial(Conv2dNormActivation, act=nn.ReLU6)
        feats, c = [C(3, 32, 3, 2)], 32
        for t, co, n, s in [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1],
                            [6, 160, 3, 2], [6, 320, 1, 1]]:  # fmt: skip
            for i in range(n):
                feats.append(InvertedResidualV2(c, co, s if i == 0 else 1, t))
                c = co
        self.features = nn.Sequential(*feats, C(c, 1280, 1))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))


class InvertedResidualV3(nn.Module):
    def __init__(self, cin, k, exp, cout, se, act, s, norm):
        super().__init__()
        self.use_res_connect = s == 1 and cin == cout
        C = partial(Conv2dNormActivation, norm=norm, act=act)
        layers = [C(cin, exp, 1)] if exp != cin else []
        layers.append(C(exp, exp, k, s, g=exp))
        if se:
            layers.append(SqueezeExcitation(exp, divisible(exp // 4), scale=nn.Hardsigmoid))
        layers.append(Conv2dNormActivation(exp, cout, 1, norm=norm, act=None))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x) + x if self.use_res_connect else self.block(x)


InvertedResidualV3.__name__ = "InvertedResidual"

V3_SMALL = [(16, 3, 16, 16, 1, "RE", 2), (16, 3, 72, 24, 0, "RE", 2), (24, 3, 88, 24, 0, "RE", 1),
            (24, 5, 96, 40, 1, "HS", 2), (40, 5, 240, 40, 1, "HS", 1), (40, 5, 240, 40, 1, "HS", 1),
            (40, 5, 120, 48, 1, "HS", 1), (48, 5, 144, 48, 1, "HS", 1), (48, 5, 288, 96, 1, "HS", 2),
            (96, 5, 576, 96, 1, "HS", 1), (96, 5, 576, 96, 1, "HS", 1)]  # fmt: skip
V3_LARGE = [(16, 3, 16, 16, 0, "RE", 1), (16, 3, 64, 24, 0, "RE", 2), (24, 3, 72, 24, 0, "RE", 1),
            (24, 5, 72, 40, 1, "RE", 2), (40, 5, 120, 40, 1, "RE", 1), (40, 5, 120, 40, 1, "RE", 1),
            (40, 3, 240, 80, 0, "HS", 2), (80, 3, 200, 80, 0, "HS", 1), (80, 3, 184, 80, 0, "HS", 1),
            (80, 3, 184, 80, 0, "HS", 1), (80, 3, 480, 112, 1, "HS", 1), (112, 3, 672, 112, 1, "HS", 1),
            (112, 5, 672, 160, 1, "HS", 2), (160, 5, 960, 160, 1, "HS", 1), (160, 5, 960, 160, 1, "HS", 1)]  # fmt: skip


class MobileNetV3(nn.Module):
    def __init__(self, setting, last, num_classes=1000):
        super().__init__()
        norm = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        layers = [Conv2dNormActivation(3, setting[0][0], 3, 2, norm=norm, act=nn.Hardswish)]
        for cin, k, exp, cout, se, a, s in setting:
            layers.append(
                InvertedResidualV3(
                    cin, k, exp, cout, se, nn.Hardswish if a == "HS" else nn.ReLU, s, norm
                )
            )
        cl = setting[-1][3]
        layers.append(Conv2dNormActivation(cl, 6 * cl, 1, norm=norm, act=nn.Hardswish))
        self.features, self.avgpool = nn.Sequential(*layers), nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Linear(6 * cl, last), nn.Hardswish(inplace=True),
                                        nn.Dropout(0.2, inplace=True), nn.Linear(last, num_classes))  # fmt: skip

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# -- ResNet, ResNeXt, Wide ResNet; VGG -------------------------------------------------------------
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin, planes, stride, groups=1, base_width=64):
        super().__init__()
        self.conv1, self.bn1 = (
            nn.Conv2d(cin, planes, 3, stride, 1, bias=False),
            nn.BatchNorm2d(planes),
        )
        self.relu = nn.ReLU(inplace=True)
        self.conv2, self.bn2 = (
            nn.Conv2d(planes, planes, 3, 1, 1, bias=False),
            nn.BatchNorm2d(planes),
        )
        self.downsample = None
        if stride != 1 or cin != planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes)
            )
        self.stride = stride

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride, groups, base_width):
        super().__init__()
        w = int(planes * (base_width / 64.0)) * groups
        self.conv1, self.bn1 = nn.Conv2d(cin, w, 1, bias=False), nn.BatchNorm2d(w)
        self.conv2, self.bn2 = (
            nn.Conv2d(w, w, 3, stride, 1, groups=groups, bias=False),
            nn.BatchNorm2d(w),
        )
        self.conv3, self.bn3 = nn.Conv2d(w, planes * 4, 1, bias=False), nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != planes * 4:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, planes * 4, 1, stride, bias=False), nn.BatchNorm2d(planes * 4)
            )
        self.stride = stride

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn3(self.conv3(self.relu(self.bn2(self.conv2(out)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    def __init__(self, layers, groups=1, width=64, num_classes=1000, block=Bottleneck):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64)
        self.relu, self.maxpool = nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)
        cin = 64
        for i, (planes, n) in enumerate(zip((64, 128, 256, 512), layers)):
            blocks = []
            for b in range(n):
                blocks.append(block(cin, planes, 2 if b == 0 and i > 0 else 1, groups, width))
                cin = planes * block.expansion
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.avgpool, self.fc = (
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Linear(512 * block.expansion, num_classes),
        )

    def forward(self, x):
        x = _run(
            self,
            x,
            "conv1",
            "bn1",
            "relu",
            "maxpool",
            "layer1",
            "layer2",
            "layer3",
            "layer4",
            "avgpool",
        )
        return self.fc(torch.flatten(x, 1))


class VGG(nn.Module):
    def __init__(
        self,
        cfg=(64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
        num_classes=1000,
        batch_norm=True,
    ):
        super().__init__()
        layers, c = [], 3
        for v in cfg:
            conv = [nn.Conv2d(c, v, 3, padding=1)] if v != "M" else []
            norm = [nn.BatchNorm2d(v)] if v != "M" and batch_norm else []
            layers += [nn.MaxPool2d(2, 2)] if v == "M" else conv + norm + [nn.ReLU(True)]
            c = c if v == "M" else v
        self.features, self.avgpool = nn.Sequential(*layers), nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(nn.Linear(25088, 4096), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(4096, 4096),
                                        nn.ReLU(True), nn.Dropout(0.5), nn.Linear(4096, num_classes))  # fmt: skip

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# -- ShuffleNet V2 --------------------------------------------------------------------------------
class InvertedResidualShuffle(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride, bf = stride, cout // 2
        dw = lambda c, s: nn.Conv2d(c, c, 3, s, 1, bias=False, groups=c)  # noqa: E731
        if stride > 1:
            self.branch1 = nn.Sequential(dw(cin, stride), nn.BatchNorm2d(cin), nn.Conv2d(cin, bf, 1, 1, 0, bias=False),
                                         nn.BatchNorm2d(bf), nn.ReLU(inplace=True))  # fmt: skip
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(cin if stride > 1 else bf, bf, 1, 1, 0, bias=False), nn.BatchNorm2d(bf), nn.ReLU(inplace=True),
            dw(bf, stride), nn.BatchNorm2d(bf), nn.Conv2d(bf, bf, 1, 1, 0, bias=False), nn.BatchNorm2d(bf),
            nn.ReLU(inplace=True))  # fmt: skip

    def forward(self, x):
        if self.stride == 1:
            a, b = x.chunk(2, 1)
            out = torch.cat((a, self.branch2(b)), 1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), 1)
        n, c, h, w = out.shape
        return out.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)


InvertedResidualShuffle.__name__ = "InvertedResidual"


class ShuffleNetV2(nn.Module):
    def __init__(self, repeats, chans, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(3, chans[0], 3, 2, 1, bias=False),
            nn.BatchNorm2d(chans[0]),
            nn.ReLU(inplace=True),
        )
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        c = chans[0]
        for i, (n, co) in enumerate(zip(repeats, chans[1:])):
            setattr(self, f"stage{i + 2}", nn.Sequential(InvertedResidualShuffle(c, co, 2),
                                                         *[InvertedResidualShuffle(co, co, 1) for _ in range(n - 1)]))  # fmt: skip
            c = co
        self.conv5 = nn.Sequential(
            nn.Conv2d(c, chans[-1], 1, 1, 0, bias=False),
            nn.BatchNorm2d(chans[-1]),
            nn.ReLU(inplace=True),
        )
        self.fc = nn.Linear(chans[-1], num_classes)

    def forward(self, x):
        return self.fc(
            _run(self, x, "conv1", "maxpool", "stage2", "stage3", "stage4", "conv5").mean([2, 3])
        )


# -- EfficientNet-B0 ------------------------------------------------------------------------------
class MBConv(nn.Module):
    def __init__(self, cin, cout, k, s, e, sd):
        super().__init__()
        self.use_res_connect = s == 1 and cin == cout
        exp = divisible(cin * e)
        C = partial(Conv2dNormActivation, act=nn.SiLU)
        layers = [C(cin, exp, 1)] if exp != cin else []
        layers += [C(exp, exp, k, s, g=exp), SqueezeExcitation(exp, max(1, cin // 4), act=partial(nn.SiLU, inplace=True)),
                   Conv2dNormActivation(exp, cout, 1, act=None)]  # fmt: skip
        self.block, self.stochastic_depth = nn.Sequential(*layers), StochasticDepth(sd, "row")

    def forward(self, x):
        return self.block(x) + x if self.use_res_connect else self.block(x)


class EfficientNet(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        stages = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
                  (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]  # fmt: skip
        total, bid = sum(s[-1] for s in stages), 0
        layers = [Conv2dNormActivation(3, 32, 3, 2, act=nn.SiLU)]
        for e, k, s, cin, cout, n in stages:
            blocks = []
            for i in range(n):
                blocks.append(
                    MBConv(
                        cin if i == 0 else cout, cout, k, s if i == 0 else 1, e, 0.2 * bid / total
                    )
                )
                bid += 1
            layers.append(nn.Sequential(*blocks))
        layers.append(Conv2dNormActivation(320, 1280, 1, act=nn.SiLU))
        self.features, self.avgpool = nn.Sequential(*layers), nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(0.2, inplace=True), nn.Linear(1280, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# -- ConvNeXt-Tiny --------------------------------------------------------------------------------
class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return F.layer_norm(
            x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps
        ).permute(0, 3, 1, 2)


class CNBlock(nn.Module):
    def __init__(self, dim, sd):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, 7, padding=3, groups=dim), Permute([0, 2, 3, 1]), nn.LayerNorm(dim, eps=1e-6),
            nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim), Permute([0, 3, 1, 2]))  # fmt: skip
        self.layer_scale = nn.Parameter(torch.full((dim, 1, 1), 1e-6))
        self.stochastic_depth = StochasticDepth(sd, "row")

    def forward(self, x):
        return self.layer_scale * self.block(x) + x


class ConvNeXt(nn.Module):
    def __init__(self, widths=(96, 192, 384, 768), depths=(3, 3, 9, 3), num_classes=1000, sd=0.1):
        super().__init__()
        N = partial(LayerNorm2d, eps=1e-6)
        layers = [Conv2dNormActivation(3, widths[0], 4, 4, 0, norm=N, act=None, bias=True)]
        total, bid = sum(depths), 0
        for i, (w, d) in enumerate(zip(widths, depths)):
            blocks = []
            for _ in range(d):
                blocks.append(CNBlock(w, sd * bid / (total - 1.0)))
                bid += 1
            layers.append(nn.Sequential(*blocks))
            if i + 1 < len(widths):
                layers.append(nn.Sequential(N(w), nn.Conv2d(w, widths[i + 1], 2, 2)))
        self.features, self.avgpool = nn.Sequential(*layers), nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            N(widths[-1]), nn.Flatten(1), nn.Linear(widths[-1], num_classes)
        )

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)))


# -- ViT ------------------------------------------------------------------------------------------
class MLPBlock(nn.Sequential):
    def __init__(self, d, m):
        super().__init__(
            nn.Linear(d, m), nn.GELU(), nn.Dropout(0.0), nn.Linear(m, d), nn.Dropout(0.0)
        )


class EncoderBlock(nn.Module):
    def __init__(self, heads, d, m):
        super().__init__()
        self.num_heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=1e-6)
        self.self_attention = nn.MultiheadAttention(d, heads, dropout=0.0, batch_first=True)
        self.dropout, self.ln_2, self.mlp = (
            nn.Dropout(0.0),
            nn.LayerNorm(d, eps=1e-6),
            MLPBlock(d, m),
        )

    def forward(self, inp):
        x = self.ln_1(inp)
        x = self.dropout(self.self_attention(x, x, x, need_weights=False)[0]) + inp
        return x + self.mlp(self.ln_2(x))


class Encoder(nn.Module):
    def __init__(self, seq, layers, heads, d, m):
        super().__init__()
        self.pos_embedding = nn.Parameter(torch.empty(1, seq, d).normal_(std=0.02))
        self.dropout = nn.Dropout(0.0)
        self.layers = nn.Sequential(
            OrderedDict((f"encoder_layer_{i}", EncoderBlock(heads, d, m)) for i in range(layers))
        )
        self.ln = nn.LayerNorm(d, eps=1e-6)

    def forward(self, x):
        return self.ln(self.layers(self.dropout(x + self.pos_embedding)))


class VisionTransformer(nn.Module):
    def __init__(
        self, image_size=224, patch=16, layers=12, heads=12, d=768, m=3072, num_classes=1000
    ):
        super().__init__()
        self.patch_size, self.hidden_dim = patch, d
        self.conv_proj = nn.Conv2d(3, d, patch, patch)
        self.class_token = nn.Parameter(torch.zeros(1, 1, d))
        self.encoder = Encoder((image_size // patch) ** 2 + 1, layers, heads, d, m)
        self.heads = nn.Sequential(OrderedDict(head=nn.Linear(d, num_classes)))

    def forward(self, x):
        n = x.shape[0]
        x = self.conv_proj(x).reshape(n, self.hidden_dim, -1).permute(0, 2, 1)
        x = self.encoder(torch.cat([self.class_token.expand(n, -1, -1), x], 1))
        return self.heads(x[:, 0])


# -- MNASNet and RegNet ---------------------------------------------------------------------------
class _InvertedResidual(nn.Module):
    def __init__(self, cin, cout, k, s, e, mom):
        super().__init__()
        mid = cin * e
        self.apply_residual = cin == cout and s == 1
        B = partial(nn.BatchNorm2d, momentum=mom)
        self.layers = nn.Sequential(
            nn.Conv2d(cin, mid, 1, bias=False), B(mid), nn.ReLU(inplace=True),
            nn.Conv2d(mid, mid, k, padding=k // 2, stride=s, groups=mid, bias=False), B(mid), nn.ReLU(inplace=True),
            nn.Conv2d(mid, cout, 1, bias=False), B(cout))  # fmt: skip

    def forward(self, x):
        return self.layers(x) + x if self.apply_residual else self.layers(x)


class MNASNet(nn.Module):
    def __init__(self, alpha=1.0, num_classes=1000):
        super().__init__()
        d = [divisible(c * alpha) for c in (32, 16, 24, 40, 80, 96, 192, 320)]
        mom = 1 - 0.9997
        B = partial(nn.BatchNorm2d, momentum=mom)
        layers = [nn.Conv2d(3, d[0], 3, padding=1, stride=2, bias=False), B(d[0]), nn.ReLU(inplace=True),
                  nn.Conv2d(d[0], d[0], 3, padding=1, stride=1, groups=d[0], bias=False), B(d[0]), nn.ReLU(inplace=True),
                  nn.Conv2d(d[0], d[1], 1, padding=0, stride=1, bias=False), B(d[1])]  # fmt: skip
        for i, (k, s, e, n) in enumerate(
            [(3, 2, 3, 3), (5, 2, 3, 3), (5, 2, 6, 3), (3, 1, 6, 2), (5, 2, 6, 4), (3, 1, 6, 1)]
        ):
            layers.append(nn.Sequential(*[_InvertedResidual(d[i + 1] if j == 0 else d[i + 2], d[i + 2], k, s if j == 0 else 1, e, mom)
                                          for j in range(n)]))  # fmt: skip
        layers += [
            nn.Conv2d(d[7], 1280, 1, padding=0, stride=1, bias=False),
            B(1280),
            nn.ReLU(inplace=True),
        ]
        self.layers = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2, inplace=True), nn.Linear(1280, num_classes))

    def forward(self, x):
        return self.classifier(self.layers(x).mean([2, 3]))


class SimpleStemIN(Conv2dNormActivation):
    def __init__(self):
        super().__init__(3, 32, 3, 2)


class BottleneckTransform(nn.Sequential):
    def __init__(self, cin, cout, stride, gw, se):
        wb = cout
        layers = OrderedDict(
            a=Conv2dNormActivation(cin, wb, 1),
            b=Conv2dNormActivation(wb, wb, 3, stride, g=wb // gw),
        )
        if se:
            layers["se"] = SqueezeExcitation(wb, int(round(se * cin)))
        layers["c"] = Conv2dNormActivation(wb, cout, 1, act=None)
        super().__init__(layers)


class ResBottleneckBlock(nn.Module):
    def __init__(self, cin, cout, stride, gw, se):
        super().__init__()
        self.proj = (
            Conv2dNormActivation(cin, cout, 1, stride, act=None)
            if cin != cout or stride != 1
            else None
        )
        self.f = BottleneckTransform(cin, cout, stride, gw, se)
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.activation((x if self.proj is None else self.proj(x)) + self.f(x))


class AnyStage(nn.Sequential):
    pass


class RegNet(nn.Module):
    """Stage widths/depths given explicitly (the published RegNetY-400MF ones), not derived."""

    def __init__(
        self, widths=(48, 104, 208, 440), depths=(1, 3, 6, 6), gw=8, se=0.25, num_classes=1000
    ):
        super().__init__()
        self.stem = SimpleStemIN()
        stages, c = [], 32
        for i, (w, d) in enumerate(zip(widths, depths)):
            st = AnyStage()
            for j in range(d):
                st.add_module(
                    f"block{i + 1}-{j}",
                    ResBottleneckBlock(c if j == 0 else w, w, 2 if j == 0 else 1, gw, se),
                )
            stages.append((f"block{i + 1}", st))
            c = w
        self.trunk_output = nn.Sequential(OrderedDict(stages))
        self.avgpool, self.fc = nn.AdaptiveAvgPool2d((1, 1)), nn.Linear(c, num_classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.avgpool(self.trunk_output(self.stem(x))), 1))


def randomise(model, seed=0):
    """Give every parameter and batch-norm buffer a random, well-conditioned value."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            fan = p[0].numel() if p.dim() > 1 else p.numel()
            if name.endswith("weight") and p.dim() == 1:
                p.copy_(torch.rand(p.shape, generator=g) + 0.5)
            else:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(max(fan, 1)))
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
    return model


VGG16_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


class tv_models:
    """``torchvision.models``-like builders over these references, for the tutorial scripts' runs
    under real PyTorch (where torchvision cannot be imported); no pretrained weights."""

    @staticmethod
    def _plain(kw):
        if kw.pop("pretrained", False) or kw.pop("weights", None) is not None:
            raise RuntimeError("the reference models have no pretrained weights")
        return kw.pop("num_classes", 1000)

    resnet18 = staticmethod(
        lambda **kw: ResNet([2, 2, 2, 2], num_classes=tv_models._plain(kw), block=BasicBlock)
    )
    resnext50_32x4d = staticmethod(lambda **kw: ResNet([3, 4, 6, 3], 32, 4, tv_models._plain(kw)))
    alexnet = staticmethod(lambda **kw: AlexNet(tv_models._plain(kw)))
    vgg11_bn = staticmethod(lambda **kw: VGG(num_classes=tv_models._plain(kw)))
    vgg16 = staticmethod(
        lambda **kw: VGG(VGG16_CFG, num_classes=tv_models._plain(kw), batch_norm=False)
    )
    resnet50 = staticmethod(lambda **kw: ResNet([3, 4, 6, 3], num_classes=tv_models._plain(kw)))
    squeezenet1_0 = staticmethod(lambda **kw: SqueezeNet("1_0", tv_models._plain(kw)))
    squeezenet1_1 = staticmethod(lambda **kw: SqueezeNet("1_1", tv_models._plain(kw)))
    densenet121 = staticmethod(lambda **kw: DenseNet(num_classes=tv_models._plain(kw)))
    mobilenet_v2 = staticmethod(lambda **kw: MobileNetV2(tv_models._plain(kw)))
    mobilenet_v3_small = staticmethod(
        lambda **kw: MobileNetV3(V3_SMALL, 1024, tv_models._plain(kw))
    )
    shufflenet_v2_x0_5 = staticmethod(
        lambda **kw: ShuffleNetV2([4, 8, 4], [24, 48, 96, 192, 1024], tv_models._plain(kw))
    )
    efficientnet_b0 = staticmethod(lambda **kw: EfficientNet(tv_models._plain(kw)))
    mnasnet0_5 = staticmethod(lambda **kw: MNASNet(0.5, tv_models._plain(kw)))
    regnet_y_400mf = staticmethod(lambda **kw: RegNet(num_classes=tv_models._plain(kw)))
    convnext_tiny = staticmethod(lambda **kw: ConvNeXt(num_classes=tv_models._plain(kw)))
    googlenet = staticmethod(lambda **kw: GoogLeNet(tv_models._plain(kw)))

    @staticmethod
    def inception_v3(**kw):
        return Inception3(tv_models._plain(kw), aux_logits=kw.pop("aux_logits", True))

    @staticmethod
    def vit_b_16(**kw):
        return VisionTransformer(
            image_size=kw.pop("image_size", 224), num_classes=tv_models._plain(kw)
        )
