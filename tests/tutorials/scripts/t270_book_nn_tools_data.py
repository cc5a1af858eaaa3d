# ruff: noqa: B007, E402, E701, E722, E731, F401, F811, F841, I001, UP008, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book (深度学习框架PyTorch：入门与实践, 2nd edition) chapters 4-5, the parts
t189 leaves out: integer average pooling, grid_sample rotation, Embedding.from_pretrained,
LSTM against LSTMCell, parameter groups picked by name, load_state_dict's result, saving a
whole module, DataParallel on the CPU, the chapter's ResNet34; then the DogCat folder dataset
with PIL images and transforms, ImageFolder, a corrupt image filtered by collate_fn, the
copied-dataset pitfall with worker processes, and device-agnostic code. The images are small
PNGs written to a temporary folder; the plots print numbers; 224-pixel crops are 8 pixels."""
import math
import os
import tempfile

import numpy as np
import torch as t
from PIL import Image
from torch import nn
from torch.nn import functional as F

t.manual_seed(2021)


# ---- 4.1 nn.Module: Linear with W and b ----
class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.W = nn.Parameter(t.randn(in_features, out_features))
        self.b = nn.Parameter(t.randn(out_features))

    def forward(self, x):
        x = x.mm(self.W)
        return x + self.b.expand_as(x)


# ---- 4.2.1 pooling on integers ----
input = t.randint(10, (1, 1, 4, 4))
print(input)
pool = nn.AvgPool2d(2, 2)
print(pool(input))
print(list(pool.parameters()))

# ---- 4.2.4 LSTM and LSTMCell agree ----
t.manual_seed(2021)
input = t.randn(2, 3, 4).float()
lstm = nn.LSTM(4, 3, 1)
h0 = t.randn(1, 3, 3)
c0 = t.randn(1, 3, 3)
out1, hn = lstm(input, (h0, c0))
print(out1.shape)
t.manual_seed(2021)
input = t.randn(2, 3, 4).float()
lstm = nn.LSTMCell(4, 3)
hx = t.randn(3, 3)
cx = t.randn(3, 3)
out = []
for i_ in input:
    hx, cx = lstm(i_, (hx, cx))
    out.append(hx)
out2 = t.stack(out)
print(out2.shape)
print(out1.allclose(out2))

embedding = nn.Embedding(4, 5)
weight = t.arange(0, 20).view(4, 5).float()
print(nn.Embedding.from_pretrained(weight))
print(nn.Embedding.from_pretrained(weight).weight.requires_grad, nn.Embedding.from_pretrained(weight)(t.tensor([2, 0])))
input = t.arange(3, 0, -1).long()
output = embedding(input)
print(output)

# ---- 4.3.2 grid_sample: rotate the picture by 90 degrees ----
lena = t.arange(36, dtype=t.float32).view(1, 1, 6, 6) / 36  # (imgs/lena.png, shrunk)
angle = -90 * math.pi / 180
theta = t.tensor([[math.cos(angle), math.sin(-angle), 0],
                  [math.sin(angle), math.cos(angle), 0]], dtype=t.float)
grid = F.affine_grid(theta.unsqueeze(0), lena.size())
print(grid.shape)
import warnings
warnings.filterwarnings("ignore")
out = F.grid_sample(lena, grid=grid, mode='bilinear')
print(out.squeeze())
print((out.squeeze() - lena.squeeze().t().flip(1)).abs().max() < 1e-5)

# ---- 4.5 optimizer: parameter groups picked by name ----


class Perceptron(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.layer1 = Linear(in_features, hidden_features)
        self.layer2 = Linear(hidden_features, out_features)

    def forward(self, x):
        x = self.layer1(x)
        x = t.sigmoid(x)
        return self.layer2(x)


from torch import optim
t.manual_seed(2021)
net = Perceptron(3, 4, 1)
optimizer = optim.SGD(params=net.parameters(), lr=1)
optimizer.zero_grad()
input = t.randn(32, 3)
output = net(input)
output.backward(output)
optimizer.step()
print(net.layer2.b)
weight_params = [param for name, param in net.named_parameters() if name.endswith('.W')]
bias_params = [param for name, param in net.named_parameters() if name.endswith('.b')]
optimizer = optim.SGD([
    {'params': bias_params},
    {'params': weight_params, 'lr': 1e-2}
], lr=1e-5)
print([[p.shape for p in g['params']] for g in optimizer.param_groups])
prev_lr = 0.1
optimizer1 = optim.SGD([
    {'params': bias_params},
    {'params': weight_params, 'lr': prev_lr * 0.1}
], lr=1e-5)
for param_group in optimizer.param_groups:
    param_group['lr'] *= 0.1
print([g['lr'] for g in optimizer.param_groups], [g['lr'] for g in optimizer1.param_groups])


# ---- 4.6 saving: state_dict and the whole module ----
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.param1 = nn.Parameter(t.rand(3, 3))
        self.submodel1 = nn.Linear(3, 4)

    def forward(self, input):
        x = self.param1.mm(input)
        x = self.submodel1(x)
        return x


net = Net()
print(net.param1)
children = [name for name, _ in net.named_children()]
print(children, len(list(net.modules())), len(list(net.children())))
tmp = tempfile.mkdtemp()
t.save(net.state_dict(), os.path.join(tmp, 'net.pth'))
net2 = Net()
print(net2.load_state_dict(t.load(os.path.join(tmp, 'net.pth'))))
print(t.equal(net2.param1, net.param1))
t.save(net, os.path.join(tmp, 'net_all.pth'))
# (PyTorch >= 2.6 loads weights only by default; a whole pickled module needs weights_only=False)
net2 = t.load(os.path.join(tmp, 'net_all.pth'), weights_only=False)
print(net2)
print(t.equal(net2.submodel1.weight, net.submodel1.weight), type(net2).__name__)
missing = Net()
missing.extra = nn.Linear(1, 1)
print(missing.load_state_dict(net.state_dict(), strict=False))

# DataParallel: on a machine without GPUs the wrapper calls the module itself
new_net = nn.DataParallel(net)
print(new_net)
input = t.ones(3, 3)
print(t.equal(new_net(input), net(input)), list(new_net.state_dict().keys()))

# ---- 4.7 ResNet34 ----


class ResidualBlock(nn.Module):
    '''
    实现子module: Residual Block
    '''
    def __init__(self, inchannel, outchannel, stride=1, shortcut=None):
        super().__init__()
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


class ResNet(nn.Module):
    '''
    实现主module：ResNet34
    '''
    def __init__(self, num_classes=1000):
        super().__init__()
        self.pre = nn.Sequential(
            nn.Conv2d(3, 64, 7, 2, 3, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2, 1)
        )
        self.layer1 = self._make_layer(64, 64, 3, 1, is_shortcut=False)
        self.layer2 = self._make_layer(64, 128, 4, 2)
        self.layer3 = self._make_layer(128, 256, 6, 2)
        self.layer4 = self._make_layer(256, 512, 3, 2)
        self.classifier = nn.Linear(512, num_classes)

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
        x = self.layer3(x)
        x = self.layer4(x)
        x = F.avg_pool2d(x, 7)
        x = x.view(x.size(0), -1)
        return self.classifier(x)


model = ResNet()
print(sum(p.numel() for p in model.parameters()), len(model.state_dict()))
print(model.layer2[0])
# (a 224x224 forward pass is left out to keep the test cheap; one block runs on a small map)
block = ResidualBlock(4, 8, 2, nn.Sequential(nn.Conv2d(4, 8, 1, 2, bias=False), nn.BatchNorm2d(8)))
print(block(t.randn(2, 4, 6, 6)).shape)

# ---- 5.1.1 Dataset: the dogs-vs-cats folder ----
root = tempfile.mkdtemp()
g = np.random.RandomState(0)
sizes = [(10, 12), (12, 10), (9, 11), (11, 9), (10, 10), (12, 12), (9, 12), (11, 10)]
names = ['cat.12484.jpg', 'cat.12485.jpg', 'cat.12486.jpg', 'cat.12487.jpg',
         'dog.12496.jpg', 'dog.12497.jpg', 'dog.12498.jpg', 'dog.12499.jpg']
os.makedirs(os.path.join(root, 'dogcat'))
os.makedirs(os.path.join(root, 'dogcat_2', 'cat'))
os.makedirs(os.path.join(root, 'dogcat_2', 'dog'))
os.makedirs(os.path.join(root, 'dogcat_wrong'))
for name, (h, w) in zip(names, sizes):
    img = Image.fromarray(g.randint(0, 256, (h, w, 3)).astype(np.uint8))
    img.save(os.path.join(root, 'dogcat', name), format='PNG')
    img.save(os.path.join(root, 'dogcat_2', name[:3], name), format='PNG')
    img.save(os.path.join(root, 'dogcat_wrong', name), format='PNG')
with open(os.path.join(root, 'dogcat_wrong', 'dog.wrong.jpg'), 'wb') as f:
    f.write(b'not an image')

from torch.utils.data import Dataset


class DogCat(Dataset):
    def __init__(self, root):
        imgs = sorted(os.listdir(root))  # (sorted: the listing order depends on the file system)
        self.imgs = [os.path.join(root, img) for img in imgs]

    def __getitem__(self, index):
        img_path = self.imgs[index]
        label = 1 if 'dog' in img_path.split('/')[-1] else 0
        pil_img = Image.open(img_path)
        array = np.asarray(pil_img)
        data = t.tensor(array)
        return data, label

    def __len__(self):
        return len(self.imgs)


dataset = DogCat(os.path.join(root, 'dogcat'))
img, label = dataset[0]
for img, label in dataset:
    print(img.size(), img.float().mean(), label)

# (torchvision is not installed beside the reference PyTorch: the few transforms and the
# ImageFolder the chapter uses are written out here, with torchvision's semantics)
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

    class ToPILImage:
        def __call__(self, pic):
            return Image.fromarray(pic.mul(255).byte().permute(1, 2, 0).numpy())

    class Lambda:
        def __init__(self, lambd):
            self.lambd = lambd

        def __call__(self, img):
            return self.lambd(img)


class ImageFolder(Dataset):
    def __init__(self, root, transform=None, target_transform=None):
        classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
        self.class_to_idx = {cls_name: i for i, cls_name in enumerate(classes)}
        self.imgs = [(os.path.join(root, c, f), self.class_to_idx[c])
                     for c in classes for f in sorted(os.listdir(os.path.join(root, c)))]
        self.samples = self.imgs
        self.transform, self.target_transform = transform, target_transform

    def __getitem__(self, index):
        path, target = self.samples[index]
        with open(path, 'rb') as f:
            sample = Image.open(f).convert('RGB')
        if self.transform is not None:
            sample = self.transform(sample)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return sample, target

    def __len__(self):
        return len(self.samples)


transform = T.Compose([
    T.Resize(8),  # (224 in the book)
    T.CenterCrop(8),
    T.ToTensor(),
    T.Normalize(mean=[.5, .5, .5], std=[.5, .5, .5])
])


class DogCat(Dataset):
    def __init__(self, root, transforms=None):
        imgs = sorted(os.listdir(root))
        self.imgs = [os.path.join(root, img) for img in imgs]
        self.transforms = transforms

    def __getitem__(self, index):
        img_path = self.imgs[index]
        label = 0 if 'dog' in img_path.split('/')[-1] else 1
        data = Image.open(img_path)
        if self.transforms:
            data = self.transforms(data)
        return data, label

    def __len__(self):
        return len(self.imgs)


dataset = DogCat(os.path.join(root, 'dogcat'), transforms=transform)
img, label = dataset[0]
for img, label in dataset:
    print(img.size(), label, '%.4f %.4f' % (img.min().item(), img.max().item()))
print(dataset[5][0][1, :2, :4])

import random
trans = T.Lambda(lambda img: img.rotate(random.random() * 360))


def transforms_rotate(image1, image2):
    angle = random.randint(0, 360)
    image1 = image1.rotate(angle)
    image2 = image2.rotate(angle)
    return image1, image2


random.seed(0)
a, b = transforms_rotate(Image.open(dataset.imgs[0]), Image.open(dataset.imgs[0]))
print(a.size, np.array_equal(np.asarray(a), np.asarray(b)), trans(a).size)

dataset = ImageFolder(os.path.join(root, 'dogcat_2'))
print(dataset.class_to_idx)
print([(os.path.relpath(p, root), c) for p, c in dataset.imgs])
print(dataset[0][1])
print(type(dataset[0][0]).__name__, dataset[0][0].size, dataset[0][0].mode)

transform = T.Compose([
    T.RandomCrop(8),  # (RandomResizedCrop(224) in the book)
    T.RandomHorizontalFlip(),
    T.ToTensor(),
    T.Normalize(mean=[.5, .5, .5], std=[.5, .5, .5]),
])
dataset = ImageFolder(os.path.join(root, 'dogcat_2'), transform=transform)
print(dataset[0][0].size())
to_img = T.ToPILImage()
pil = to_img(dataset[0][0] * 0.2 + 0.4)
print(pil.size, pil.mode)

# ---- 5.1.2 DataLoader ----
from torch.utils.data import DataLoader
t.manual_seed(2021)
dataloader = DataLoader(dataset, batch_size=3, shuffle=True, num_workers=0, drop_last=False)
dataiter = iter(dataloader)
imgs, labels = next(dataiter)
print(imgs.size(), labels)

transform = T.Compose([T.Resize(8), T.CenterCrop(8), T.ToTensor(), T.Normalize(mean=[.5, .5, .5], std=[.5, .5, .5])])


class NewDogCat(DogCat):
    def __getitem__(self, index):
        try:
            return super().__getitem__(index)
        except:
            return None, None


from torch.utils.data.dataloader import default_collate


def my_collate_fn(batch):
    '''
    batch是一个list，每个元素是dataset的返回值，形如(data, label)
    '''
    batch = [_ for _ in batch if _[0] is not None]
    if len(batch) == 0: return t.Tensor()
    return default_collate(batch)


dataset = NewDogCat(os.path.join(root, 'dogcat_wrong'), transforms=transform)
print(dataset[8])
t.manual_seed(2021)
dataloader = DataLoader(dataset, 2, collate_fn=my_collate_fn, num_workers=0, shuffle=True)
for batch_datas, batch_labels in dataloader:
    print(batch_datas.size(), batch_labels.size())


class BadDataset:
    def __init__(self):
        self.idxs = []

    def __getitem__(self, index):
        self.idxs.append(index)
        return self.idxs

    def __len__(self):
        return 9


dataset = BadDataset()
dl = t.utils.data.DataLoader(dataset, num_workers=2)
for item in dl:
    print(item)
print('idxs of main', dataset.idxs)

# ---- 5.4 device-agnostic code ----
tensor = t.Tensor(3, 4)
print(tensor.is_cuda, tensor.device)
print(t.device('cpu'), repr(t.device('cpu')), repr(t.device('cuda:0')), t.device('cuda', 0))
device = t.device("cuda" if t.cuda.is_available() else "cpu")
print(device)
x = t.empty((2, 3)).to(device)
print(x.device, x.shape)
x_cpu = t.empty(2, device='cpu')
print(x_cpu.shape, x_cpu.is_cuda)
y_cpu = x_cpu.new_full((3, 4), 3.1415)
print(y_cpu, y_cpu.is_cuda)
y_dev = x.new_zeros(3, 4)
print(y_dev, y_dev.device)
z_cpu = t.ones_like(x_cpu)
print(z_cpu, z_cpu.is_cuda)
criterion = t.nn.CrossEntropyLoss(weight=t.Tensor([1, 3]))
t.manual_seed(2021)
input = t.randn(4, 2).to(device)
target = t.Tensor([1, 0, 0, 1]).long().to(device)
criterion.to(device)
loss = criterion(input, target)
print(criterion._buffers)
print(loss)
module = nn.Linear(3, 4).to(device)
print(module.weight.is_cuda, module.weight.device)
