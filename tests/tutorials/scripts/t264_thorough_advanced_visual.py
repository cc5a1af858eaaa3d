# ruff: noqa: E501, E402, UP004, UP008, UP015, UP031, UP032, UP034, UP039, F401, F841, I001, N812, B007, C408, SIM108  (tutorial code, kept as the book writes it)
"""datawhalechina/thorough-pytorch (深入浅出PyTorch) chapters 6 and 7: 6.1 custom losses (a
function, DiceLoss / DiceBCELoss / IoULoss / FocalLoss classes on sigmoid outputs, with their
backward), 6.2 learning-rate schedules (each official scheduler's get_last_lr() over the epochs,
ReduceLROnPlateau on a metric, the notebook's StepLR + "current learning rate" read from
optimizer.state_dict(), adjust_learning_rate over param_groups), 6.3 fine-tuning with frozen
parameters (set_parameter_requires_grad, a new fc, one Adam step that moves only fc), 6.4
half precision (torch.cuda.amp.autocast as a decorator on forward and as a context, which PyTorch
disables without CUDA), 6.5 augmentation inside transforms.Compose with a Dataset of random uint8
images and worker_init_fn, 6.6 the argparse Options class of config.py (parse, print, save to
json, load), 7.1 print(model), 7.2 convolution kernels and feature maps through a forward hook
object, 7.3 TensorBoard logging (add_image(s), add_scalar, two writers for one plot,
add_histogram) with the event files read back.
Adapted: timm / torchvision models / imgaug / grad-cam / flashtorch / torchinfo are not
installed with PyTorch here, so the backbones are small modules with the same attribute names
(fc, features) and the imgaug pipeline is a NumPy one of the same kind (flips, brightness);
PyTorch's torch.utils.tensorboard needs the tensorboard package, which is absent, so PyTorch
falls back to tensorboardX (the book's first choice) while torchlike uses its own
torch.utils.tensorboard; logs go to a temporary folder and are read back with tensorboardX's
protobufs; no plots."""
import argparse
import glob
import json
import os
import struct
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, Dataset

warnings.filterwarnings("ignore")
torch.manual_seed(0)
np.random.seed(0)
workdir = tempfile.mkdtemp()

# ---------------------------------------------------------------- 6.1 自定义损失函数


def my_loss(output, target):
    loss = torch.mean((output - target)**2)
    return loss


class DiceLoss(nn.Module):
    def __init__(self, weight=None, size_average=True):
        super(DiceLoss, self).__init__()

    def forward(self, inputs, targets, smooth=1):
        inputs = torch.sigmoid(inputs)
        inputs = inputs.view(-1)
        targets = targets.view(-1)
        intersection = (inputs * targets).sum()
        dice = (2.*intersection + smooth)/(inputs.sum() + targets.sum() + smooth)
        return 1 - dice


class DiceBCELoss(nn.Module):
    def __init__(self, weight=None, size_average=True):
        super(DiceBCELoss, self).__init__()

    def forward(self, inputs, targets, smooth=1):
        inputs = F.sigmoid(inputs)
        inputs = inputs.view(-1)
        targets = targets.view(-1)
        intersection = (inputs * targets).sum()
        dice_loss = 1 - (2.*intersection + smooth)/(inputs.sum() + targets.sum() + smooth)
        BCE = F.binary_cross_entropy(inputs, targets, reduction='mean')
        Dice_BCE = BCE + dice_loss

        return Dice_BCE


class IoULoss(nn.Module):
    def __init__(self, weight=None, size_average=True):
        super(IoULoss, self).__init__()

    def forward(self, inputs, targets, smooth=1):
        inputs = F.sigmoid(inputs)
        inputs = inputs.view(-1)
        targets = targets.view(-1)
        intersection = (inputs * targets).sum()
        total = (inputs + targets).sum()
        union = total - intersection

        IoU = (intersection + smooth)/(union + smooth)

        return 1 - IoU


ALPHA = 0.8
GAMMA = 2


class FocalLoss(nn.Module):
    def __init__(self, weight=None, size_average=True):
        super(FocalLoss, self).__init__()

    def forward(self, inputs, targets, alpha=ALPHA, gamma=GAMMA, smooth=1):
        inputs = F.sigmoid(inputs)
        inputs = inputs.view(-1)
        targets = targets.view(-1)
        BCE = F.binary_cross_entropy(inputs, targets, reduction='mean')
        BCE_EXP = torch.exp(-BCE)
        focal_loss = alpha * (1-BCE_EXP)**gamma * BCE

        return focal_loss


input = torch.randn(2, 1, 8, 8, requires_grad=True)
targets = (torch.rand(2, 1, 8, 8) > 0.5).float()
print('my_loss', round(my_loss(torch.sigmoid(input), targets).item(), 4))
for criterion in [DiceLoss(), DiceBCELoss(), IoULoss(), FocalLoss()]:
    input.grad = None
    loss = criterion(input, targets)
    loss.backward()
    print(type(criterion).__name__, round(loss.item(), 4), loss.grad_fn.name(), round(input.grad.abs().sum().item(), 4))

# ---------------------------------------------------------------- 6.2 动态调整学习率
lr_scheduler = torch.optim.lr_scheduler


def run(make, epochs=8, metric=None):
    w = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = make(optimizer)
    lrs = []
    for epoch in range(epochs):
        optimizer.step()
        # 需要在优化器参数更新之后再动态调整学习率
        if metric is None:
            scheduler.step()
        else:
            scheduler.step(metric[epoch])
        lrs.append(round(optimizer.param_groups[0]['lr'], 6))
    return type(scheduler).__name__, lrs


for make in [
    lambda opt: lr_scheduler.LambdaLR(opt, lr_lambda=lambda epoch: 0.95 ** epoch),
    lambda opt: lr_scheduler.MultiplicativeLR(opt, lr_lambda=lambda epoch: 0.9),
    lambda opt: lr_scheduler.StepLR(opt, step_size=3, gamma=0.1),
    lambda opt: lr_scheduler.MultiStepLR(opt, milestones=[2, 5], gamma=0.5),
    lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.8),
    lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=4),
    lambda opt: lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2),
    lambda opt: lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=8),
    lambda opt: lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2),
]:
    print(*run(make))
print(*run(lambda opt: lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5), metric=[1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8]))

# 自定义scheduler
parser = argparse.ArgumentParser()
parser.add_argument('--lr', type=float, default=0.1)
args = parser.parse_args([])


def adjust_learning_rate(optimizer, epoch):
    lr = args.lr * (0.1 ** (epoch // 30))
    for param_group in optimizer.param_groups:
        param_group['lr'] = lr


model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
seen = []
for epoch in range(0, 100, 10):
    adjust_learning_rate(optimizer, epoch)
    seen.append(round(optimizer.param_groups[0]['lr'], 6))
print(seen)

# notebook Point 6: StepLR with the training loop, the lr read from optimizer.state_dict()
x, y = torch.randn(16, 2), torch.randn(16, 1)
optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-8)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.8)
for epoch in range(1, 4):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    print('Epoch: {} \tTraining Loss: {:.4f}'.format(epoch, loss.item()))
    print("current learning rate: ", optimizer.state_dict()["param_groups"][0]["lr"])
    scheduler.step()

# ---------------------------------------------------------------- 6.3 模型微调


class ResNet18(nn.Module):  # stands in for torchvision.models.resnet18 (same fc head name)
    def __init__(self, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        x = self.avgpool(self.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(x, 1))


def set_parameter_requires_grad(model, feature_extracting):
    if feature_extracting:
        for param in model.parameters():
            param.requires_grad = False


# 冻结参数的梯度
feature_extract = True
model = ResNet18()
set_parameter_requires_grad(model, feature_extract)
# 修改模型
num_ftrs = model.fc.in_features
model.fc = nn.Linear(in_features=num_ftrs, out_features=4, bias=True)
print(model.fc, [n for n, p in model.named_parameters() if p.requires_grad])

conv_before = model.conv1.weight.detach().clone()
fc_before = model.fc.weight.detach().clone()
optimizer = optim.Adam(model.parameters(), lr=0.01)
images, labels = torch.randn(4, 3, 8, 8), torch.tensor([0, 1, 2, 3])
optimizer.zero_grad()
loss = F.cross_entropy(model(images), labels)
loss.backward()
optimizer.step()
print(round(loss.item(), 4), model.conv1.weight.grad, torch.equal(conv_before, model.conv1.weight), torch.equal(fc_before, model.fc.weight))
print(model.bn1.running_mean.abs().sum() > 0, model.bn1.num_batches_tracked)

# 给不同层分配不同的学习率
optimizer = optim.SGD([{'params': model.conv1.parameters()}, {'params': model.fc.parameters(), 'lr': 1e-2}], lr=1e-4, momentum=0.9)
print([(len(g['params']), g['lr']) for g in optimizer.param_groups])

# ---------------------------------------------------------------- 6.4 半精度训练
from torch.cuda.amp import autocast


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    @autocast()
    def forward(self, x):
        return self.fc(x)


model = Net()
x = torch.randn(2, 8)
with autocast():
    output = model(x)
print(output.dtype, torch.is_autocast_enabled(), torch.cuda.is_available())

# ---------------------------------------------------------------- 6.5 数据增强


class transforms:  # torchvision.transforms: Compose, ToTensor
    class Compose:
        def __init__(self, ts):
            self.ts = ts

        def __call__(self, x):
            for t in self.ts:
                x = t(x)
            return x

    class ToTensor:
        def __call__(self, pic):  # HWC uint8 -> CHW float in [0, 1]
            return torch.from_numpy(np.ascontiguousarray(pic.transpose(2, 0, 1))).float().div(255)


class iaa:  # the book's imgaug pipeline, NumPy written: flips and a brightness multiply
    class Sequential:
        def __init__(self, children):
            self.children = children

        def augment_image(self, image):
            for child in self.children:
                image = child(image)
            return image

    class Fliplr:
        def __init__(self, p=0.5):
            self.p = p

        def __call__(self, image):
            return image[:, ::-1] if np.random.rand() < self.p else image

    class Flipud:
        def __init__(self, p=0.5):
            self.p = p

        def __call__(self, image):
            return image[::-1] if np.random.rand() < self.p else image

    class MultiplyBrightness:
        def __init__(self, mul=(0.65, 1.35)):
            self.mul = mul

        def __call__(self, image):
            return np.clip(image * np.random.uniform(*self.mul), 0, 255).astype(np.uint8)


# 构建pipline
tfs = transforms.Compose([
    iaa.Sequential([
        iaa.Fliplr(p=0.5),
        iaa.Flipud(p=0.5),
        iaa.MultiplyBrightness(mul=(0.65, 1.35)),
    ]).augment_image,
    # 不要忘记了使用ToTensor()
    transforms.ToTensor()
])


# 自定义数据集
class CustomDataset(Dataset):
    def __init__(self, n_images, n_classes, transform=None):
        # 图片的读取，建议使用imageio
        self.images = np.random.randint(0, 255,
                                        (n_images, 16, 16, 3),
                                        dtype=np.uint8)
        self.targets = np.random.randn(n_images, n_classes)
        self.transform = transform

    def __getitem__(self, item):
        image = self.images[item]
        target = self.targets[item]

        if self.transform:
            image = self.transform(image)

        return image, target

    def __len__(self):
        return len(self.images)


def worker_init_fn(worker_id):
    np.random.seed(np.random.get_state()[1][0] + worker_id)


custom_ds = CustomDataset(n_images=50, n_classes=10, transform=tfs)
custom_dl = DataLoader(custom_ds, batch_size=16,
                       num_workers=0, pin_memory=True,
                       worker_init_fn=worker_init_fn)
for image, target in custom_dl:
    print(image.shape, image.dtype, target.shape, target.dtype, round(image.mean().item(), 4))

# ---------------------------------------------------------------- 6.6 使用argparse调参


class Options():
    """Class to manage options using parser and namespace.
    """
    def __init__(self):
        self.initialized = False

    def add_arguments_parser(self, parser: argparse.ArgumentParser):
        parser.add_argument('--batch_size', type=int, default=32, help="input batch size,default = 64")
        parser.add_argument('--epochs', type=int, default=10, help='number of epochs to train for, default=10')
        parser.add_argument("--seed", type=int, default=66, help="random seed")
        parser.add_argument("--class_num", type=int, default=30, help="classification category,default 10")
        parser.add_argument("--log_path", type=str, default="./runs/log")
        parser.add_argument("--img_size", type=tuple, default=(224, 224), help="input image size")
        parser.add_argument("--show", action="store_true", default=False)
        self.initialized = True

        return parser

    def _initialize_options(self, args=None):
        # initialize parser with basic options
        if not self.initialized:
            parser = argparse.ArgumentParser(
                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
            parser = self.add_arguments_parser(parser)
            self.parser = parser

        else:
            print("WARNING: Options was already initialized before")

        return self.parser.parse_args(args)

    def parse(self, args=None):
        opt = self._initialize_options(args)
        return opt

    def print_options(self, opt: argparse.Namespace):
        # create a new parser with default arguments
        parser = argparse.ArgumentParser(
                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        parser = self.add_arguments_parser(parser)

        message = '----------------- Options ---------------\n'
        for key, value in sorted(vars(opt).items()):
            comment = ''
            default = parser.get_default(key)
            if value != default:
                comment = f'(default {default})'
            key, value = str(key), str(value)
            message += f'{key}: {value} {comment}\n'
        print(message)

    def save_options(self, opt: argparse.Namespace, path: str):
        if not path.endswith('.json'):
            path += '.json'
        with open(path, 'w') as f:
            f.write(json.dumps(vars(opt), indent=4))

    def load_options(self, path: str):
        if not path.endswith('.json'):
            path += '.json'
        # init a new namespace with default arguments
        parser = argparse.ArgumentParser(
                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        opt = self.add_arguments_parser(parser).parse_args([])

        variables = json.load(open(path, 'r'))
        for key, value in variables.items():
            setattr(opt, key, value)
        print("--------------load options finish----------------")
        return opt


options = Options()
opt = options.parse(["--batch_size", "64", "--show"])
options.print_options(opt)
options.save_options(opt, os.path.join(workdir, "options"))
opt = options.load_options(os.path.join(workdir, "options"))
if opt.show:
    options.print_options(opt)
torch.manual_seed(opt.seed)

# ---------------------------------------------------------------- 7.1 / 7.3 可视化网络结构


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=3, out_channels=32, kernel_size=3)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(in_channels=32, out_channels=64, kernel_size=5)
        self.adaptive_pool = nn.AdaptiveMaxPool2d((1, 1))
        self.flatten = nn.Flatten()
        self.linear1 = nn.Linear(64, 32)
        self.relu = nn.ReLU()
        self.linear2 = nn.Linear(32, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        x = self.conv1(x)
        x = self.pool(x)
        x = self.conv2(x)
        x = self.pool(x)
        x = self.adaptive_pool(x)
        x = self.flatten(x)
        x = self.linear1(x)
        x = self.relu(x)
        x = self.linear2(x)
        y = self.sigmoid(x)
        return y


model = Net()
print(model)
print(sum(p.numel() for p in model.parameters()), sum(p.numel() for p in model.parameters() if p.requires_grad))

# ---------------------------------------------------------------- 7.2 CNN可视化


class VGG(nn.Module):  # stands in for torchvision.models.vgg11 (its features, at 1/8 width)
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(kernel_size=2, stride=2),
        )

    def forward(self, x):
        return self.features(x)


model = VGG()
print(dict(model.features.named_children()))

conv1 = dict(model.features.named_children())['3']
kernel_set = conv1.weight.detach()
num = len(conv1.weight.detach())
print(kernel_set.shape)
for i in range(0, num):
    i_kernel = kernel_set[i]
    if (len(i_kernel)) > 1:
        for idx, filer in enumerate(i_kernel):
            pass  # plt.imshow(filer[ :, :].detach(),cmap='bwr')
print(i, idx, filer.shape)


class Hook(object):
    def __init__(self):
        self.module_name = []
        self.features_in_hook = []
        self.features_out_hook = []

    def __call__(self, module, fea_in, fea_out):
        print("hooker working", self)
        self.module_name.append(module.__class__)
        self.features_in_hook.append(fea_in)
        self.features_out_hook.append(fea_out)
        return None


def plot_feature(model, idx, inputs):
    hh = Hook()
    model.features[idx].register_forward_hook(hh)

    # forward_model(model,False)
    model.eval()
    _ = model(inputs)
    print(hh.module_name)
    print((hh.features_in_hook[0][0].shape))
    print((hh.features_out_hook[0].shape))

    out1 = hh.features_out_hook[0]

    total_ft = out1.shape[1]
    first_item = out1[0].cpu().clone()

    for ftidx in range(total_ft):
        if ftidx > 99:
            break
        ft = first_item[ftidx]
        # plt.imshow(ft[ :, :].detach())
    print(total_ft, ft.shape, round(first_item.mean().item(), 4))


plot_feature(model, 3, torch.rand(1, 3, 16, 16))

# ---------------------------------------------------------------- 7.3 使用TensorBoard可视化训练过程
try:
    from torch.utils.tensorboard import SummaryWriter
except ImportError:  # PyTorch without the tensorboard package: the book's tensorboardX
    from tensorboardX import SummaryWriter

log_root = os.path.join(workdir, 'pytorch_tb')
# (writer.add_graph is left out: tensorboardX's traces the model through PyTorch's
# torch.utils.tensorboard._pytorch_graph, which needs the tensorboard package)

images, labels = torch.rand(8, 3, 32, 32), torch.randint(0, 10, (8,))

# 仅查看一张图片
writer = SummaryWriter(log_root + '/image')
writer.add_image('images[0]', images[0])
writer.close()

# 将多张图片直接写入
writer = SummaryWriter(log_root + '/images')
writer.add_images("images", images, global_step=0)
writer.close()

writer = SummaryWriter(log_root + '/scalar')
for i in range(500):
    x = i
    y = x**2
    writer.add_scalar("x", x, i)  # 日志中记录x在第step i 的值
    writer.add_scalar("y", y, i)  # 日志中记录y在第step i 的值
writer.close()

writer1 = SummaryWriter(log_root + '/x')
writer2 = SummaryWriter(log_root + '/y')
for i in range(500):
    x = i
    y = x*2
    writer1.add_scalar("same", x, i)  # 日志中记录x在第step i 的值
    writer2.add_scalar("same", y, i)  # 日志中记录y在第step i 的值
writer1.close()
writer2.close()


# 创建正态分布的张量模拟参数矩阵
def norm(mean, std):
    t = std * torch.randn((100, 20)) + mean
    return t


writer = SummaryWriter(log_root + '/hist')
for step, mean in enumerate(range(-10, 10, 1)):
    w = norm(mean, 1)
    writer.add_histogram("w", w, step)
    writer.flush()
writer.close()

# reading the logs back (what TensorBoard shows): TFRecord framing around Event protobufs
from tensorboardX.proto import event_pb2


def read_events(path):
    with open(path, 'rb') as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack('<Q', data[pos:pos + 8])
        event = event_pb2.Event()
        event.ParseFromString(data[pos + 12:pos + 12 + length])
        pos += 12 + length + 4
        yield event


for run_dir in ['pytorch_tb/' + d for d in ('image', 'images', 'scalar', 'x', 'y', 'hist')]:
    events = [e for p in sorted(glob.glob(os.path.join(workdir, run_dir, 'events.out.tfevents.*'))) for e in read_events(p)]
    graphs = sum(1 for e in events if e.graph_def)
    values = [(e.step, v) for e in events for v in e.summary.value]
    tags = sorted({v.tag for _, v in values})
    print(run_dir, 'graphs:', graphs, 'tags:', tags, 'values:', len(values))
    for step, v in values[:2] + values[-1:]:
        if v.HasField('image'):
            print('  ', v.tag, step, 'image', v.image.height, v.image.width, v.image.colorspace)
        elif v.HasField('histo'):
            print('  ', v.tag, step, 'histo', round(v.histo.min, 3), round(v.histo.max, 3), v.histo.num, round(v.histo.sum, 2))
        else:
            print('  ', v.tag, step, round(v.simple_value, 4))
