# ruff: noqa: B007, E741, UP008  (d2l code, kept as the book writes it)
# Dive into Deep Learning (d2l.ai, PyTorch), chapter 8 "Modern Convolutional Neural Networks":
# AlexNet, VGG, NiN, GoogLeNet (Inception), batch normalization from scratch and concise, ResNet
# (Residual) and DenseNet blocks, each printed layer by layer with d2l's layer_summary. Adapted:
# channel widths are divided (by 8 or 16) so the summaries run in a moment (the spatial shapes
# are the book's), the d2l helpers are inline, and the batch-norm LeNet trains a few steps on
# small seeded synthetic 1x28x28 data (losses printed to 4 decimals); nn.BatchNorm1d's output on
# arange data is rounded to 4 decimals before printing (see the comment there).
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)


def layer_summary(net, X_shape):
    X = torch.randn(*X_shape)
    for layer in net:
        X = layer(X)
        print(layer.__class__.__name__, 'output shape:\t', X.shape)


def init_cnn(module):
    """Initialize weights for CNNs."""
    if type(module) in (nn.Linear, nn.Conv2d):
        nn.init.xavier_uniform_(module.weight)


# ---- 8.1 AlexNet -------------------------------------------------------------------------
def alexnet(num_classes=10, w=16):
    return nn.Sequential(
        nn.LazyConv2d(96 // w, kernel_size=11, stride=4, padding=1),
        nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.LazyConv2d(256 // w, kernel_size=5, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.LazyConv2d(384 // w, kernel_size=3, padding=1), nn.ReLU(),
        nn.LazyConv2d(384 // w, kernel_size=3, padding=1), nn.ReLU(),
        nn.LazyConv2d(256 // w, kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2), nn.Flatten(),
        nn.LazyLinear(4096 // w), nn.ReLU(), nn.Dropout(p=0.5),
        nn.LazyLinear(4096 // w), nn.ReLU(), nn.Dropout(p=0.5),
        nn.LazyLinear(num_classes))


print('AlexNet')
layer_summary(alexnet(), (1, 1, 224, 224))


# ---- 8.2 VGG -----------------------------------------------------------------------------
def vgg_block(num_convs, out_channels):
    layers = []
    for _ in range(num_convs):
        layers.append(nn.LazyConv2d(out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


def vgg(arch, num_classes=10):
    conv_blks = []
    for (num_convs, out_channels) in arch:
        conv_blks.append(vgg_block(num_convs, out_channels))
    return nn.Sequential(
        *conv_blks, nn.Flatten(),
        nn.LazyLinear(256), nn.ReLU(), nn.Dropout(0.5),
        nn.LazyLinear(256), nn.ReLU(), nn.Dropout(0.5),
        nn.LazyLinear(num_classes))


print('VGG')
layer_summary(vgg(((1, 8), (1, 16), (2, 32), (2, 64), (2, 64))), (1, 1, 224, 224))


# ---- 8.3 NiN -----------------------------------------------------------------------------
def nin_block(out_channels, kernel_size, strides, padding):
    return nn.Sequential(
        nn.LazyConv2d(out_channels, kernel_size, strides, padding), nn.ReLU(),
        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),
        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())


def nin(num_classes=10):
    return nn.Sequential(
        nin_block(12, kernel_size=11, strides=4, padding=0),
        nn.MaxPool2d(3, stride=2),
        nin_block(32, kernel_size=5, strides=1, padding=2),
        nn.MaxPool2d(3, stride=2),
        nin_block(48, kernel_size=3, strides=1, padding=1),
        nn.MaxPool2d(3, stride=2),
        nn.Dropout(0.5),
        nin_block(num_classes, kernel_size=3, strides=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten())


print('NiN')
net = nin()
layer_summary(net, (1, 1, 224, 224))
net.eval()
print(net(torch.ones(2, 1, 224, 224)).shape)


# ---- 8.4 GoogLeNet -----------------------------------------------------------------------
class Inception(nn.Module):
    # c1--c4 are the number of output channels for each branch
    def __init__(self, c1, c2, c3, c4, **kwargs):
        super(Inception, self).__init__(**kwargs)
        # Branch 1
        self.b1_1 = nn.LazyConv2d(c1, kernel_size=1)
        # Branch 2
        self.b2_1 = nn.LazyConv2d(c2[0], kernel_size=1)
        self.b2_2 = nn.LazyConv2d(c2[1], kernel_size=3, padding=1)
        # Branch 3
        self.b3_1 = nn.LazyConv2d(c3[0], kernel_size=1)
        self.b3_2 = nn.LazyConv2d(c3[1], kernel_size=5, padding=2)
        # Branch 4
        self.b4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.b4_2 = nn.LazyConv2d(c4, kernel_size=1)

    def forward(self, x):
        b1 = F.relu(self.b1_1(x))
        b2 = F.relu(self.b2_2(F.relu(self.b2_1(x))))
        b3 = F.relu(self.b3_2(F.relu(self.b3_1(x))))
        b4 = F.relu(self.b4_2(self.b4_1(x)))
        return torch.cat((b1, b2, b3, b4), dim=1)


def b1():
    return nn.Sequential(
        nn.LazyConv2d(8, kernel_size=7, stride=2, padding=3),
        nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def b2():
    return nn.Sequential(
        nn.LazyConv2d(8, kernel_size=1), nn.ReLU(),
        nn.LazyConv2d(24, kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def b3():
    return nn.Sequential(Inception(8, (12, 16), (2, 4), 4),
                         Inception(16, (16, 24), (4, 12), 8),
                         nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def b4():
    return nn.Sequential(Inception(24, (12, 26), (2, 6), 8),
                         Inception(20, (14, 28), (3, 8), 8),
                         Inception(16, (16, 32), (3, 8), 8),
                         Inception(14, (18, 36), (4, 8), 8),
                         Inception(32, (20, 40), (4, 16), 16),
                         nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def b5():
    return nn.Sequential(Inception(32, (20, 40), (4, 16), 16),
                         Inception(48, (24, 48), (6, 16), 16),
                         nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())


print('GoogLeNet')
net = nn.Sequential(b1(), b2(), b3(), b4(), b5(), nn.LazyLinear(10))
layer_summary(net, (1, 1, 96, 96))
print(net[2][0])


# ---- 8.5 Batch Normalization -------------------------------------------------------------
def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    # Use is_grad_enabled to determine whether we are in training mode
    if not torch.is_grad_enabled():
        # In prediction mode, use mean and variance obtained by moving average
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # When using a fully connected layer, calculate the mean and variance on the
            # feature dimension
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            # When using a two-dimensional convolutional layer, calculate the mean and variance
            # on the channel dimension (axis=1). Here we need to maintain the shape of X, so
            # that the broadcasting operation can be carried out later
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        # In training mode, the current mean and variance are used
        X_hat = (X - mean) / torch.sqrt(var + eps)
        # Update the mean and variance using moving average
        moving_mean = (1.0 - momentum) * moving_mean + momentum * mean
        moving_var = (1.0 - momentum) * moving_var + momentum * var
    Y = gamma * X_hat + beta  # Scale and shift
    return Y, moving_mean.data, moving_var.data


class BatchNorm(nn.Module):
    # num_features: the number of outputs for a fully connected layer or the number of output
    # channels for a convolutional layer. num_dims: 2 for a fully connected layer and 4 for a
    # convolutional layer
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        # The scale parameter and the shift parameter (model parameters) are initialized to 1
        # and 0, respectively
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        # The variables that are not model parameters are initialized to 0 and 1
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        # If X is not on the main memory, copy moving_mean and moving_var to the device where X
        # is located
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # Save the updated moving_mean and moving_var
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.1)
        return Y


X = torch.randn(8, 3, 5, 5) * 2 + 1
bn, ref = BatchNorm(3, num_dims=4), nn.BatchNorm2d(3)
for _ in range(3):
    Y, Y_ref = bn(X), ref(X)
print(torch.allclose(Y, Y_ref, atol=1e-5), Y.shape)
print(bn.moving_mean.reshape(-1), ref.running_mean)
print(bn.moving_var.reshape(-1), ref.running_var)  # nn.BatchNorm2d keeps the unbiased variance
print(ref.num_batches_tracked, [k for k in ref.state_dict()], [k for k in bn.state_dict()])
with torch.no_grad():
    print(torch.allclose(bn(X), ref.eval()(X), atol=1e-2))
bn1d = BatchNorm(4, num_dims=2)
print(bn1d(torch.arange(12.0).reshape(3, 4)))
# ATen's kernel computes x * alpha + beta (alpha = invstd * weight, beta = bias - mean * alpha),
# so an input equal to its batch mean comes out as 1.2e-07 rather than 0 (a documented
# difference, docs/differences.md): rounded to the printed 4 decimals
print(nn.BatchNorm1d(4)(torch.arange(12.0).reshape(3, 4)).round(decimals=4))


class BNLeNetScratch(nn.Module):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=5), BatchNorm(6, num_dims=4),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=5), BatchNorm(16, num_dims=4),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(), nn.LazyLinear(120),
            BatchNorm(120, num_dims=2), nn.Sigmoid(), nn.LazyLinear(84),
            BatchNorm(84, num_dims=2), nn.Sigmoid(),
            nn.LazyLinear(num_classes))

    def forward(self, X):
        return self.net(X)


class BNLeNet(nn.Module):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=5), nn.LazyBatchNorm2d(),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=5), nn.LazyBatchNorm2d(),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(), nn.LazyLinear(120), nn.LazyBatchNorm1d(),
            nn.Sigmoid(), nn.LazyLinear(84), nn.LazyBatchNorm1d(),
            nn.Sigmoid(), nn.LazyLinear(num_classes))

    def forward(self, X):
        return self.net(X)


g = torch.Generator().manual_seed(5)
protos = torch.rand((10, 1, 28, 28), generator=g)
y_all = torch.randint(0, 10, (256,), generator=g)
X_all = (protos[y_all] + torch.rand((256, 1, 28, 28), generator=g)) / 2
for Model in (BNLeNetScratch, BNLeNet):
    torch.manual_seed(1)
    model = Model()
    model(X_all[:2])
    model.net.apply(init_cnn)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(6):
        Xb, yb = X_all[step * 32:(step + 1) * 32], y_all[step * 32:(step + 1) * 32]
        l = F.cross_entropy(model(Xb), yb)
        opt.zero_grad()
        l.backward()
        opt.step()
        print(f'{Model.__name__} step {step}: loss {l.item():.4f}')
    print(model.net[1])
    if Model is BNLeNetScratch:
        print(model.net[1].gamma.reshape((-1,)), model.net[1].beta.reshape((-1,)))
    else:
        print(model.net[1].weight, model.net[1].bias, model.net[1].num_batches_tracked)
    model.eval()
    with torch.no_grad():
        print((model(X_all[200:]).argmax(1) == y_all[200:]).float().mean().item() >= 0)


# ---- 8.6 ResNet --------------------------------------------------------------------------
class Residual(nn.Module):
    """The Residual block of ResNet models."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.LazyConv2d(num_channels, kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.LazyBatchNorm2d()
        self.bn2 = nn.LazyBatchNorm2d()

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)


blk = Residual(3)
X = torch.randn(4, 3, 6, 6)
print(blk(X).shape)
blk = Residual(6, use_1x1conv=True, strides=2)
print(blk(X).shape)
print(blk)


def resnet_b1():
    return nn.Sequential(
        nn.LazyConv2d(16, kernel_size=7, stride=2, padding=3),
        nn.LazyBatchNorm2d(), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def block(num_residuals, num_channels, first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(num_channels, use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels))
    return nn.Sequential(*blk)


def resnet(arch, num_classes=10):
    net = nn.Sequential(resnet_b1())
    for i, b in enumerate(arch):
        net.add_module(f'b{i + 2}', block(*b, first_block=(i == 0)))
    net.add_module('last', nn.Sequential(
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.LazyLinear(num_classes)))
    return net


print('ResNet18')
net = resnet(((2, 16), (2, 32), (2, 64), (2, 128)))
layer_summary(net, (1, 1, 96, 96))
print(sum(p.numel() for p in net.parameters()), len(net.state_dict()))


# ---- 8.7 DenseNet ------------------------------------------------------------------------
def conv_block(num_channels):
    return nn.Sequential(
        nn.LazyBatchNorm2d(), nn.ReLU(),
        nn.LazyConv2d(num_channels, kernel_size=3, padding=1))


class DenseBlock(nn.Module):
    def __init__(self, num_convs, num_channels):
        super(DenseBlock, self).__init__()
        layer = []
        for i in range(num_convs):
            layer.append(conv_block(num_channels))
        self.net = nn.Sequential(*layer)

    def forward(self, X):
        for blk in self.net:
            Y = blk(X)
            # Concatenate input and output of each block along the channels
            X = torch.cat((X, Y), dim=1)
        return X


blk = DenseBlock(2, 10)
X = torch.randn(4, 3, 8, 8)
Y = blk(X)
print(Y.shape)


def transition_block(num_channels):
    return nn.Sequential(
        nn.LazyBatchNorm2d(), nn.ReLU(),
        nn.LazyConv2d(num_channels, kernel_size=1),
        nn.AvgPool2d(kernel_size=2, stride=2))


blk = transition_block(10)
print(blk(Y).shape)


def densenet(num_channels=16, growth_rate=8, arch=(4, 4, 4, 4), num_classes=10):
    net = nn.Sequential(resnet_b1())
    for i, num_convs in enumerate(arch):
        net.add_module(f'dense_blk{i + 1}', DenseBlock(num_convs, growth_rate))
        # The number of output channels in the previous dense block
        num_channels += num_convs * growth_rate
        # A transition layer that halves the number of channels is added between the dense
        # blocks
        if i != len(arch) - 1:
            num_channels //= 2
            net.add_module(f'tran_blk{i + 1}', transition_block(num_channels))
    net.add_module('last', nn.Sequential(
        nn.LazyBatchNorm2d(), nn.ReLU(),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
        nn.LazyLinear(num_classes)))
    return net


print('DenseNet')
layer_summary(densenet(), (1, 1, 96, 96))
