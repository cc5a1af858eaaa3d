# ruff: noqa: B007, B008, B028, E402, E701, E731, F401, F402, F841, I001, UP004, UP008, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book (深度学习框架PyTorch：入门与实践, 2nd edition) chapter 9, the dogs-vs-cats
project laid out as the book lays it out, in one file: config.py (a DefaultConfig with _parse),
models/basic_module.py (BasicModule with load/save/get_optimizer, Flat), models/resnet34.py's
ResidualBlock, data/dataset.py (DogCat with train/val/test splits by file name), and main.py's
train/val/test with torchnet's AverageValueMeter and ConfusionMeter (written out below),
learning-rate decay through param_groups, checkpoints and a result csv.

Changes for a test: 24 small PNG files in a temporary folder stand in for Kaggle's images; the
models (torchvision's pretrained SqueezeNet, a 224-pixel ResNet34) become a ResNet of two
residual blocks on 16-pixel crops; visdom and ipdb are left out; torchvision's transforms are
written out (torchvision is not installed beside the reference PyTorch); 2 epochs on the CPU."""
import os
import tempfile
import time
import warnings

import numpy as np
import torch as t
from PIL import Image
from torch import nn
from torch.nn import functional as F
from torch.utils import data
from torch.utils.data import DataLoader
from tqdm import tqdm

ROOT = tempfile.mkdtemp()


# ---- config.py ----
class DefaultConfig(object):
    env = 'default'  # visdom 环境
    vis_port = 8097  # visdom 端口
    model = 'ResNet'  # 使用的模型，名字必须与models/__init__.py中的名字一致

    train_data_root = os.path.join(ROOT, 'data/train/')  # 训练集存放路径
    test_data_root = os.path.join(ROOT, 'data/test/')  # 测试集存放路径
    load_model_path = None  # 加载预训练的模型的路径，为None代表不加载

    batch_size = 4  # batch size
    use_gpu = False  # user GPU or not
    num_workers = 0  # how many workers for loading data
    print_freq = 2  # print info every N batch

    debug_file = '/tmp/debug'  # if os.path.exists(debug_file): enter ipdb
    result_file = os.path.join(ROOT, 'result.csv')

    max_epoch = 2
    lr = 0.001  # initial learning rate
    lr_decay = 0.5  # when val_loss increase, lr = lr*lr_decay
    weight_decay = 0e-5  # 损失函数

    def _parse(self, kwargs):
        """
        根据字典kwargs 更新 config参数
        """
        for k, v in kwargs.items():
            if not hasattr(self, k):
                warnings.warn("Warning: opt has not attribut %s" % k)
            setattr(self, k, v)

        opt.device = t.device('cuda') if opt.use_gpu else t.device('cpu')

        print('user config:')
        for k, v in self.__class__.__dict__.items():
            if not k.startswith('_'):
                print(k, os.path.relpath(getattr(self, k), ROOT) if str(getattr(self, k)).startswith(ROOT) else getattr(self, k))


opt = DefaultConfig()


# ---- models/basic_module.py ----
class BasicModule(t.nn.Module):
    """
    封装了nn.Module,主要是提供了save和load两个方法
    """

    def __init__(self):
        super(BasicModule, self).__init__()
        self.model_name = str(type(self))  # 默认名字

    def load(self, path):
        """
        可加载指定路径的模型
        """
        self.load_state_dict(t.load(path))

    def save(self, name=None):
        """
        保存模型，默认使用“模型名字+时间”作为文件名
        """
        if name is None:
            prefix = os.path.join(ROOT, 'checkpoints/') + self.model_name + '_'
            name = time.strftime(prefix + '%m%d_%H_%M_%S.pth')
        t.save(self.state_dict(), name)
        return name

    def get_optimizer(self, lr, weight_decay):
        return t.optim.Adam(self.parameters(), lr=lr, weight_decay=weight_decay)


class Flat(t.nn.Module):
    """
    把输入reshape成（batch_size,dim_length）
    """

    def __init__(self):
        super(Flat, self).__init__()

    def forward(self, x):
        return x.view(x.size(0), -1)


# ---- models/resnet34.py (two residual blocks instead of 16) ----
class ResidualBlock(nn.Module):
    """
    实现子module: Residual Block
    """

    def __init__(self, inchannel, outchannel, stride=1, shortcut=None):
        super(ResidualBlock, self).__init__()
        self.left = nn.Sequential(
            nn.Conv2d(inchannel, outchannel, 3, stride, 1, bias=False),
            nn.BatchNorm2d(outchannel),
            nn.ReLU(inplace=True),
            nn.Conv2d(outchannel, outchannel, 3, 1, 1, bias=False),
            nn.BatchNorm2d(outchannel))
        self.right = shortcut

    def forward(self, x):
        out = self.left(x)
        residual = x if self.right is None else self.right(x)
        out += residual
        return F.relu(out)


class ResNet(BasicModule):
    def __init__(self, num_classes=2):
        super(ResNet, self).__init__()
        self.model_name = 'resnet'
        self.pre = nn.Sequential(
            nn.Conv2d(3, 8, 3, 1, 1, bias=False),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2))
        self.layer1 = self._make_layer(8, 8, 1, 1, is_shortcut=False)
        self.layer2 = self._make_layer(8, 16, 1, 2)
        self.flat = Flat()
        self.fc = nn.Linear(16, num_classes)

    def _make_layer(self, inchannel, outchannel, block_num, stride, is_shortcut=True):
        if is_shortcut:
            shortcut = nn.Sequential(
                nn.Conv2d(inchannel, outchannel, 1, stride, bias=False),
                nn.BatchNorm2d(outchannel))
        else:
            shortcut = None
        layers = []
        layers.append(ResidualBlock(inchannel, outchannel, stride, shortcut))
        for i in range(1, block_num):
            layers.append(ResidualBlock(outchannel, outchannel))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.pre(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = F.avg_pool2d(x, 4)
        return self.fc(self.flat(x))


class models:  # (models/__init__.py: from .resnet34 import ResNet34 ...)
    ResNet = ResNet


# ---- torchvision.transforms, written out ----
class T:
    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, img):
            for tr in self.transforms:
                img = tr(img)
            return img

    class Resize:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            w, h = img.size
            if w <= h:
                return img.resize((self.size, int(self.size * h / w)), Image.BILINEAR)
            return img.resize((int(self.size * w / h), self.size), Image.BILINEAR)

    class CenterCrop:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            w, h = img.size
            left, top = int(round((w - self.size) / 2.)), int(round((h - self.size) / 2.))
            return img.crop((left, top, left + self.size, top + self.size))

    class RandomCrop:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            w, h = img.size
            top = t.randint(0, h - self.size + 1, size=(1,)).item()
            left = t.randint(0, w - self.size + 1, size=(1,)).item()
            return img.crop((left, top, left + self.size, top + self.size))

    class RandomHorizontalFlip:
        def __call__(self, img):
            if t.rand(1) < 0.5:
                return img.transpose(Image.FLIP_LEFT_RIGHT)
            return img

    class ToTensor:
        def __call__(self, pic):
            img = t.from_numpy(np.array(pic, np.uint8, copy=True))
            img = img.view(pic.size[1], pic.size[0], len(pic.getbands())).permute((2, 0, 1)).contiguous()
            return img.float().div(255)

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            mean = t.as_tensor(self.mean, dtype=tensor.dtype)
            std = t.as_tensor(self.std, dtype=tensor.dtype)
            return tensor.sub(mean[:, None, None]).div(std[:, None, None])


# ---- data/dataset.py ----
class DogCat(data.Dataset):

    def __init__(self, root, transforms=None, mode=None):
        """
        主要目标： 获取所有图片的地址，并根据训练，验证，测试划分数据
        mode ∈ ["train", "test", "val"]
        """
        assert mode in ["train", "test", "val"]

        self.mode = mode
        imgs = [os.path.join(root, img) for img in os.listdir(root)]

        if self.mode == "test":
            imgs = sorted(imgs, key=lambda x: int(x.split('.')[-2].split('/')[-1]))
        else:
            imgs = sorted(imgs, key=lambda x: int(x.split('.')[-2]))

        imgs_num = len(imgs)

        if self.mode == "test": self.imgs = imgs
        if self.mode == "train": self.imgs = imgs[:int(0.7 * imgs_num)]
        if self.mode == "val": self.imgs = imgs[int(0.7 * imgs_num):]

        if transforms is None:
            normalize = T.Normalize(mean=[0.485, 0.456, 0.406],
                                    std=[0.229, 0.224, 0.225])

            if self.mode == "test" or self.mode == "val":
                self.transforms = T.Compose([
                    T.Resize(16),
                    T.CenterCrop(16),
                    T.ToTensor(),
                    normalize
                ])
            else:
                self.transforms = T.Compose([
                    T.Resize(20),
                    T.RandomCrop(16),  # (RandomResizedCrop(224) in the book)
                    T.RandomHorizontalFlip(),
                    T.ToTensor(),
                    normalize
                ])

    def __getitem__(self, index):
        """
        一次返回一张图片的数据
        """
        img_path = self.imgs[index]
        if self.mode == "test":
            label = int(self.imgs[index].split('.')[-2].split('/')[-1])
        else:
            label = 1 if 'dog' in img_path.split('/')[-1] else 0
        data = Image.open(img_path)
        data = self.transforms(data)
        return data, label

    def __len__(self):
        return len(self.imgs)


# ---- torchnet.meter, written out (AverageValueMeter, ConfusionMeter) ----
class meter:
    class AverageValueMeter:
        def __init__(self):
            self.reset()

        def add(self, value, n=1):
            self.sum += value
            self.var += value * value
            self.n += n
            self.mean = self.sum / self.n
            self.std = np.sqrt((self.var - self.n * self.mean ** 2) / (self.n - 1)) if self.n > 1 else np.inf

        def value(self):
            return self.mean, self.std

        def reset(self):
            self.n, self.sum, self.var, self.mean, self.std = 0, 0.0, 0.0, np.nan, np.nan

    class ConfusionMeter:
        def __init__(self, k, normalized=False):
            self.conf = np.ndarray((k, k), dtype=np.int32)
            self.normalized = normalized
            self.k = k
            self.reset()

        def reset(self):
            self.conf.fill(0)

        def add(self, predicted, target):
            predicted = predicted.cpu().numpy()
            target = target.cpu().numpy()
            assert predicted.shape[0] == target.shape[0], 'number of targets and predicted outputs do not match'
            predicted = np.argmax(predicted, 1)
            x = predicted + self.k * target
            bincount_2d = np.bincount(x.astype(np.int32), minlength=self.k ** 2)
            self.conf += bincount_2d.reshape((self.k, self.k))

        def value(self):
            if self.normalized:
                conf = self.conf.astype(np.float32)
                return conf / conf.sum(1).clip(min=1e-12)[:, None]
            return self.conf


# ---- main.py ----
@t.no_grad()  # pytorch>=0.5
def test(**kwargs):
    opt._parse(kwargs)

    model = getattr(models, opt.model)().eval()
    if opt.load_model_path:
        model.load(opt.load_model_path)
    model.to(opt.device)

    test_data = DogCat(opt.test_data_root, mode="test")
    test_dataloader = DataLoader(test_data, batch_size=opt.batch_size, shuffle=False, num_workers=opt.num_workers)
    results = []
    for ii, (data, path) in tqdm(enumerate(test_dataloader)):
        input = data.to(opt.device)
        score = model(input)
        probability = t.nn.functional.softmax(score, dim=1)[:, 1].detach().tolist()
        batch_results = [(path_.item(), round(probability_, 4)) for path_, probability_ in zip(path, probability)]
        results += batch_results
    write_csv(results, opt.result_file)

    return results


def write_csv(results, file_name):
    import csv
    with open(file_name, 'w') as f:
        writer = csv.writer(f)
        writer.writerow(['id', 'label'])
        writer.writerows(results)


def train(**kwargs):
    opt._parse(kwargs)

    model = getattr(models, opt.model)()
    if opt.load_model_path:
        model.load(opt.load_model_path)
    model.to(opt.device)

    train_data = DogCat(opt.train_data_root, mode="train")
    val_data = DogCat(opt.train_data_root, mode="val")
    train_dataloader = DataLoader(train_data, opt.batch_size,
                                  shuffle=True, num_workers=opt.num_workers)
    val_dataloader = DataLoader(val_data, opt.batch_size,
                                shuffle=False, num_workers=opt.num_workers)

    criterion = t.nn.CrossEntropyLoss()
    lr = opt.lr
    optimizer = model.get_optimizer(lr, opt.weight_decay)

    loss_meter = meter.AverageValueMeter()
    confusion_matrix = meter.ConfusionMeter(2)
    previous_loss = 1e10

    for epoch in range(opt.max_epoch):

        loss_meter.reset()
        confusion_matrix.reset()

        for ii, (data, label) in tqdm(enumerate(train_dataloader)):
            input = data.to(opt.device)
            target = label.to(opt.device)

            optimizer.zero_grad()
            score = model(input)
            loss = criterion(score, target)
            loss.backward()
            optimizer.step()

            loss_meter.add(loss.item())
            confusion_matrix.add(score.detach(), target.detach())

            if (ii + 1) % opt.print_freq == 0:
                print('loss', '%.4f' % loss_meter.value()[0])  # (vis.plot)

        name = model.save()
        print(os.path.basename(name).startswith('resnet_'), len(t.load(name)))

        val_cm, val_accuracy = val(model, val_dataloader)
        print(val_accuracy)
        print("epoch:{epoch},lr:{lr},loss:{loss:.4f},train_cm:{train_cm},val_cm:{val_cm}".format(
            epoch=epoch, loss=loss_meter.value()[0], val_cm=str(val_cm.value()), train_cm=str(confusion_matrix.value()), lr=lr))

        if loss_meter.value()[0] > previous_loss:
            lr = lr * opt.lr_decay
            for param_group in optimizer.param_groups:
                param_group['lr'] = lr

        previous_loss = loss_meter.value()[0]
    return model


@t.no_grad()
def val(model, dataloader):
    """
    计算模型在验证集上的准确率等信息
    """
    model.eval()
    confusion_matrix = meter.ConfusionMeter(2)
    for ii, (val_input, label) in tqdm(enumerate(dataloader)):
        val_input = val_input.to(opt.device)
        score = model(val_input)
        confusion_matrix.add(score.detach().squeeze(), label.type(t.LongTensor))

    model.train()
    cm_value = confusion_matrix.value()
    accuracy = 100. * (cm_value[0][0] + cm_value[1][1]) / (cm_value.sum())
    return confusion_matrix, accuracy


def help():
    """
    打印帮助的信息： python file.py help
    """
    print("""
    usage : python file.py <function> [--args=value]
    <function> := train | test | help
    example:
            python {0} train --env='env0701' --lr=0.01
            python {0} test --dataset='path/to/dataset/root/'
            python {0} help
    avaiable args:""".format('main.py'))

    from inspect import getsource
    source = (getsource(opt.__class__))
    print(source.splitlines()[0])


# ---- the data: cat.N.jpg / dog.N.jpg for training, N.jpg for testing ----
os.makedirs(opt.train_data_root)
os.makedirs(opt.test_data_root)
os.makedirs(os.path.join(ROOT, 'checkpoints'))
g = np.random.RandomState(0)
for i in range(24):
    kind = 'dog' if i % 3 else 'cat'
    tone = 160 if kind == 'dog' else 90  # dogs brighter than cats, so there is something to learn
    img = np.clip(g.normal(tone, 40, (18 + i % 4, 20, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(os.path.join(opt.train_data_root, '%s.%d.jpg' % (kind, i)), format='PNG')
for i in range(8):
    img = np.clip(g.normal(160 if i % 2 else 90, 40, (16, 17, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(os.path.join(opt.test_data_root, '%d.jpg' % (i + 1)), format='PNG')

t.manual_seed(9)
help()
train_set = DogCat(opt.train_data_root, mode="train")
print(len(train_set), len(DogCat(opt.train_data_root, mode="val")), [os.path.basename(p) for p in train_set.imgs[:4]])
print(train_set[0][0].shape, train_set[0][1], train_set[1][1])
model = train(max_epoch=2)
print(ResNet().model_name, BasicModule().model_name)
path = os.path.join(ROOT, 'checkpoints', 'resnet_final.pth')
model.save(path)
results = test(load_model_path=path)
print(results)
with open(opt.result_file) as f:
    print(f.read().splitlines())
