# ruff: noqa: B007, B008, E402, E731, F401, F841, I001, UP004, UP008, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book (深度学习框架PyTorch：入门与实践, 2nd edition) chapter 10, anime faces with
a DCGAN: model.py's NetG (ConvTranspose2d stack to 3x96x96) and NetD, main.py's Config, the
relativistic average hinge losses, generator and discriminator trained on alternate batches
(d_every / g_every) with torchnet's AverageValueMeter (written out), checkpoints every
save_every epochs, and generate(): sample noise, score the fakes with NetD, keep the top k.

Changes for a test: 8 synthetic 100x100 PNG "faces" in a temporary ImageFolder; ngf = ndf = 8
feature maps instead of 64, batch 4, 1 epoch; visdom, ipdb and tqdm are left out;
torchvision's transforms/ImageFolder/save_image are written out or replaced by printed numbers
(torchvision is not installed beside the reference PyTorch). main.py's
`errord_meter.add(error_d.item())` names an undefined variable; the loss it means is loss_d."""
import os
import tempfile

import numpy as np
import torch as t
from PIL import Image
from torch import nn

ROOT = tempfile.mkdtemp()


# ---- model.py ----
class NetG(nn.Module):
    """
    生成器定义
    """

    def __init__(self, opt):
        super(NetG, self).__init__()
        ngf = opt.ngf  # 生成器feature map数

        self.main = nn.Sequential(
            # 输入是一个nz维度的噪声，我们可以认为它是一个1*1*nz的feature map
            nn.ConvTranspose2d(opt.nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            # 上一步的输出形状：(ngf*8) x 4 x 4

            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            # 上一步的输出形状： (ngf*4) x 8 x 8

            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            # 上一步的输出形状： (ngf*2) x 16 x 16

            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            # 上一步的输出形状：(ngf) x 32 x 32

            nn.ConvTranspose2d(ngf, 3, 5, 3, 1, bias=False),
            nn.Tanh()  # 输出范围 -1~1 故而采用Tanh
            # 输出形状：3 x 96 x 96
        )

    def forward(self, input):
        return self.main(input)


class NetD(nn.Module):
    """
    判别器定义
    """

    def __init__(self, opt):
        super(NetD, self).__init__()
        ndf = opt.ndf
        self.main = nn.Sequential(
            # 输入 3 x 96 x 96
            nn.Conv2d(3, ndf, 5, 3, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            # 输出 (ndf) x 32 x 32

            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            # 输出 (ndf*2) x 16 x 16

            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 4),
            nn.LeakyReLU(0.2, inplace=True),
            # 输出 (ndf*4) x 8 x 8

            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 8),
            nn.LeakyReLU(0.2, inplace=True),
            # 输出 (ndf*8) x 4 x 4

            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
        )

    def forward(self, input):
        return self.main(input).view(-1)


# ---- torchvision and torchnet pieces, written out ----
class tv:
    class transforms:
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

    class datasets:
        class ImageFolder(t.utils.data.Dataset):
            def __init__(self, root, transform=None):
                classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
                self.class_to_idx = {c: i for i, c in enumerate(classes)}
                self.samples = [(os.path.join(root, c, f), self.class_to_idx[c])
                                for c in classes for f in sorted(os.listdir(os.path.join(root, c)))]
                self.transform = transform

            def __getitem__(self, index):
                path, target = self.samples[index]
                with open(path, 'rb') as f:
                    sample = Image.open(f).convert('RGB')
                if self.transform is not None:
                    sample = self.transform(sample)
                return sample, target

            def __len__(self):
                return len(self.samples)


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


# ---- main.py ----
class Config(object):
    data_path = os.path.join(ROOT, 'data/')  # 数据集存放路径
    num_workers = 0  # 多进程加载数据所用的进程数
    image_size = 96  # 图片尺寸
    batch_size = 4
    max_epoch = 1
    lr1 = 2e-3  # 生成器的学习率
    lr2 = 2e-4  # 判别器的学习率
    beta1 = 0.5  # Adam优化器的beta1参数
    gpu = False  # 是否使用GPU
    nz = 100  # 噪声维度
    ngf = 8  # 生成器feature map数
    ndf = 8  # 判别器feature map数

    save_path = os.path.join(ROOT, 'imgs/')  # 生成图片保存路径

    vis = False  # 是否使用visdom可视化
    env = 'GAN'  # visdom的env
    plot_every = 20  # 每间隔20 batch，visdom画图一次

    debug_file = '/tmp/debuggan'  # 存在该文件则进入debug模式
    d_every = 1  # 每1个batch训练一次判别器
    g_every = 2  # 每2个batch训练一次生成器
    save_every = 1  # 每1个epoch保存一次模型
    netd_path = None  # 'checkpoints/netd_.pth' #预训练模型
    netg_path = None  # 'checkpoints/netg_211.pth'

    # 测试时所用参数
    gen_img = 'result.png'
    # 从16张生成的图片中保存最好的4张
    gen_num = 4
    gen_search_num = 16
    gen_mean = 0  # 噪声的均值
    gen_std = 1  # 噪声的方差


opt = Config()


def train(**kwargs):
    for k_, v_ in kwargs.items():
        setattr(opt, k_, v_)

    device = t.device('cuda') if opt.gpu else t.device('cpu')

    # 数据
    transforms = tv.transforms.Compose([
        tv.transforms.Resize(opt.image_size),
        tv.transforms.CenterCrop(opt.image_size),
        tv.transforms.ToTensor(),
        tv.transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
    ])

    dataset = tv.datasets.ImageFolder(opt.data_path, transform=transforms)
    dataloader = t.utils.data.DataLoader(dataset,
                                         batch_size=opt.batch_size,
                                         shuffle=True,
                                         num_workers=opt.num_workers,
                                         drop_last=True
                                         )

    # 网络
    netg, netd = NetG(opt), NetD(opt)
    map_location = lambda storage, loc: storage
    if opt.netd_path:
        netd.load_state_dict(t.load(opt.netd_path, map_location=map_location))
    if opt.netg_path:
        netg.load_state_dict(t.load(opt.netg_path, map_location=map_location))
    netd.to(device)
    netg.to(device)

    # 定义优化器
    optimizer_g = t.optim.Adam(netg.parameters(), opt.lr1, betas=(opt.beta1, 0.999))
    optimizer_d = t.optim.Adam(netd.parameters(), opt.lr2, betas=(opt.beta1, 0.999))

    # 真图片label为1，假图片label为0
    # noises为生成网络的输入
    true_labels = t.ones(opt.batch_size).to(device)
    fake_labels = t.zeros(opt.batch_size).to(device)
    fix_noises = t.randn(opt.batch_size, opt.nz, 1, 1).to(device)
    noises = t.randn(opt.batch_size, opt.nz, 1, 1).to(device)

    errord_meter = AverageValueMeter()
    errorg_meter = AverageValueMeter()

    epochs = range(opt.max_epoch)
    for epoch in iter(epochs):
        for ii, (img, _) in enumerate(dataloader):
            real_img = img.to(device)

            if ii % opt.d_every == 0:
                # 训练判别器
                optimizer_d.zero_grad()
                # 尽可能的把真图片判别为正确,尽可能把假图片判别为错误
                r_preds = netd(real_img)

                noises.data.copy_(t.randn(opt.batch_size, opt.nz, 1, 1))
                fake_img = netg(noises).detach()  # 根据噪声生成假图
                f_preds = netd(fake_img)
                # 参考Relativistic average HingeGAN
                r_f_diff = (r_preds - f_preds.mean()).clamp(max=1)
                f_r_diff = (f_preds - r_preds.mean()).clamp(min=-1)
                loss_d_real = (1 - r_f_diff).mean()
                loss_d_fake = (1 + f_r_diff).mean()
                loss_d = loss_d_real + loss_d_fake

                loss_d.backward()
                optimizer_d.step()
                errord_meter.add(loss_d.item())

            if ii % opt.g_every == 0:
                # 训练生成器
                optimizer_g.zero_grad()
                noises.data.copy_(t.randn(opt.batch_size, opt.nz, 1, 1))
                fake_img = netg(noises)
                f_preds = netd(fake_img)
                r_preds = netd(real_img)

                r_f_diff = r_preds - t.mean(f_preds)
                f_r_diff = f_preds - t.mean(r_preds)

                error_g = t.mean(t.nn.ReLU()(1 + r_f_diff)) + t.mean(t.nn.ReLU()(1 - f_r_diff))
                error_g.backward()
                optimizer_g.step()
                errorg_meter.add(error_g.item())

        print('epoch', epoch, 'errord %.4f errorg %.4f' % (errord_meter.value()[0], errorg_meter.value()[0]))
        if (epoch + 1) % opt.save_every == 0:
            # 保存模型、图片
            fix_fake_imgs = netg(fix_noises)
            # (tv.utils.save_image(fix_fake_imgs.data[:64], ..., normalize=True, range=(-1, 1)))
            print(fix_fake_imgs.shape, '%.4f' % fix_fake_imgs.data[:64].abs().mean().item())
            t.save(netd.state_dict(), os.path.join(ROOT, 'checkpoints/netd_%s.pth' % epoch))
            t.save(netg.state_dict(), os.path.join(ROOT, 'checkpoints/netg_%s.pth' % epoch))
            errord_meter.reset()
            errorg_meter.reset()


@t.no_grad()
def generate(**kwargs):
    """
    随机生成动漫头像，并根据netd的分数选择较好的
    """
    for k_, v_ in kwargs.items():
        setattr(opt, k_, v_)

    device = t.device('cuda') if opt.gpu else t.device('cpu')

    netg, netd = NetG(opt).eval(), NetD(opt).eval()
    noises = t.randn(opt.gen_search_num, opt.nz, 1, 1).normal_(opt.gen_mean, opt.gen_std)
    noises = noises.to(device)

    map_location = lambda storage, loc: storage
    netd.load_state_dict(t.load(opt.netd_path, map_location=map_location))
    netg.load_state_dict(t.load(opt.netg_path, map_location=map_location))
    netd.to(device)
    netg.to(device)

    # 生成图片，并计算图片在判别器的分数
    fake_img = netg(noises)
    scores = netd(fake_img).detach()

    # 挑选最好的某几张
    indexs = scores.topk(opt.gen_num)[1]
    result = []
    for ii in indexs:
        result.append(fake_img.data[ii])
    # (tv.utils.save_image(t.stack(result), opt.gen_img, normalize=True, range=(-1, 1)))
    result = t.stack(result)
    print(indexs.tolist(), result.shape, '%.4f' % result.min().item(), '%.4f' % result.max().item())


# ---- the data: ImageFolder('data/') with one folder of faces ----
os.makedirs(os.path.join(opt.data_path, 'faces'))
os.makedirs(opt.save_path)
os.makedirs(os.path.join(ROOT, 'checkpoints'))
g = np.random.RandomState(0)
yy, xx = np.mgrid[0:100, 0:100]
for i in range(8):
    face = np.stack([np.exp(-((yy - 50) ** 2 + (xx - 50) ** 2) / (300. + 40 * i)) * 255] * 3, -1)
    face += g.normal(0, 20, face.shape)
    Image.fromarray(np.clip(face, 0, 255).astype(np.uint8)).save(
        os.path.join(opt.data_path, 'faces', '%d.png' % i), format='PNG')

t.manual_seed(10)
print(NetG(opt).main[-2], NetD(opt).main[0])
train()
generate(netd_path=os.path.join(ROOT, 'checkpoints/netd_0.pth'), netg_path=os.path.join(ROOT, 'checkpoints/netg_0.pth'))
