# ruff: noqa: UP008, B007 (the book's style, kept)
# "Deep Learning with PyTorch", chapter 2 (pretrained networks), without torchvision or downloaded
# weights: the image preprocessing written out (centre crop, scaling, Normalize), a freshly
# initialised classifier read the notebook's way (torch.max, softmax percentages, torch.sort top 5),
# and the CycleGAN ResNetGenerator the chapter defines (ReflectionPad2d, InstanceNorm2d,
# ConvTranspose2d with output_padding) in eval mode.
import torch
import torch.nn as nn

torch.manual_seed(0)

# -- preprocessing: what transforms.Resize/CenterCrop/ToTensor/Normalize do to one image ----------
img = torch.randint(0, 256, (80, 96, 3), dtype=torch.uint8)  # an HWC image as PIL would give it
crop = 64
top, left = (img.shape[0] - crop) // 2, (img.shape[1] - crop) // 2
img_t = img[top:top + crop, left:left + crop].permute(2, 0, 1).float() / 255.0
mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
img_t = (img_t - mean) / std
batch_t = torch.unsqueeze(img_t, 0)
print(img_t.shape, batch_t.shape, img_t.dtype)

# -- a classifier over 1000 labels, read as the notebook reads resnet101's output ------------------
labels = [f"class_{i:03d}" for i in range(1000)]
model = nn.Sequential(
    nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(), nn.Linear(8, 1000),
)
print(model)
model.eval()
print(model.training, model[0].training)
out = model(batch_t)
print(out.shape)
_, index = torch.max(out, 1)
percentage = torch.nn.functional.softmax(out, dim=1)[0] * 100
print(labels[index[0]], f"{percentage[index[0]].item():.3f}")
_, indices = torch.sort(out, descending=True)
print([(labels[idx], f"{percentage[idx].item():.3f}") for idx in indices[0][:5]])
print(torch.equal(indices[0][:5], out.topk(5).indices[0]), percentage.sum().round())


# -- the CycleGAN generator ------------------------------------------------------------------------
class ResNetBlock(nn.Module):
    def __init__(self, dim):
        super(ResNetBlock, self).__init__()
        self.conv_block = self.build_conv_block(dim)

    def build_conv_block(self, dim):
        conv_block = []

        conv_block += [nn.ReflectionPad2d(1)]
        conv_block += [nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=True), nn.InstanceNorm2d(dim), nn.ReLU(True)]
        conv_block += [nn.ReflectionPad2d(1)]
        conv_block += [nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=True), nn.InstanceNorm2d(dim)]

        return nn.Sequential(*conv_block)

    def forward(self, x):
        out = x + self.conv_block(x)
        return out


class ResNetGenerator(nn.Module):
    def __init__(self, input_nc=3, output_nc=3, ngf=64, n_blocks=9):
        assert n_blocks >= 0
        super(ResNetGenerator, self).__init__()

        self.input_nc = input_nc
        self.output_nc = output_nc
        self.ngf = ngf

        model = [
            nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=True),
            nn.InstanceNorm2d(ngf), nn.ReLU(True),
        ]

        n_downsampling = 2
        for i in range(n_downsampling):
            mult = 2**i
            model += [
                nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1, bias=True),
                nn.InstanceNorm2d(ngf * mult * 2), nn.ReLU(True),
            ]

        mult = 2**n_downsampling
        for i in range(n_blocks):
            model += [ResNetBlock(ngf * mult)]

        for i in range(n_downsampling):
            mult = 2 ** (n_downsampling - i)
            model += [
                nn.ConvTranspose2d(ngf * mult, int(ngf * mult / 2), kernel_size=3, stride=2, padding=1,
                                   output_padding=1, bias=True),
                nn.InstanceNorm2d(int(ngf * mult / 2)), nn.ReLU(True),
            ]

        model += [nn.ReflectionPad2d(3)]
        model += [nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0)]
        model += [nn.Tanh()]

        self.model = nn.Sequential(*model)

    def forward(self, input):
        return self.model(input)


netG = ResNetGenerator(ngf=8, n_blocks=2)  # the notebook's is ngf=64, n_blocks=9 with trained weights
print(netG.eval())
print(sum(p.numel() for p in netG.parameters()), len(netG.state_dict()))
print(list(netG.state_dict().keys())[:4])
with torch.no_grad():
    batch_out = netG(batch_t)
print(batch_out.shape, batch_out.requires_grad)
out_t = (batch_out.data.squeeze() + 1.0) / 2.0
print(out_t.shape, out_t.min() >= 0, out_t.max() <= 1)
print(out_t.mean(dim=(1, 2)).round(decimals=2))
out_img = (out_t.permute(1, 2, 0) * 255).to(torch.uint8)  # what ToPILImage would be handed
print(out_img.shape, out_img.dtype)
print(nn.ReflectionPad2d(1)(torch.arange(9.0).view(1, 1, 3, 3)))
print(nn.ConvTranspose2d(2, 1, kernel_size=3, stride=2, padding=1, output_padding=1)(torch.ones(1, 2, 4, 4)).shape)
