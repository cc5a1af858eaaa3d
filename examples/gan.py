"""A DCGAN-style GAN on the embedded digits (resized to 16x16): a transposed-convolution generator
and a convolutional discriminator, two Adam optimizers, ``detach()`` for the discriminator step.

    python -m torchlike examples/gan.py [--epochs 20] [--out gan_samples.png]
"""

import argparse

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision.transforms as transforms
import torchvision.utils as vutils
from torch.utils.data import DataLoader, Subset
from torchvision.datasets import Digits

NZ = 16  # size of the latent vector


class Generator(nn.Module):
    def __init__(self, nz=NZ, ngf=32):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),  # -> 4x4
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),  # -> 8x8
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False),  # -> 16x16
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self, ndf=32):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, ndf, 4, 2, 1, bias=False),  # -> 8x8
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),  # -> 4x4
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),  # -> 1x1
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x).view(-1)


def weights_init(m):
    """DCGAN's initialisation: N(0, 0.02) convolutions, N(1, 0.02) batch-norm scales."""
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.0002)
    parser.add_argument("--train-size", type=int, default=None)
    parser.add_argument("--out", default=None, help="save a grid of generated digits to this PNG")
    args = parser.parse_args()

    torch.manual_seed(0)
    transform = transforms.Compose(
        [transforms.Resize(16), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
    )
    dataset = Digits(train=True, transform=transform)
    if args.train_size:
        dataset = Subset(dataset, range(args.train_size))
    dataloader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True, drop_last=True)

    netG, netD = Generator(), Discriminator()
    netG.apply(weights_init)
    netD.apply(weights_init)
    criterion = nn.BCELoss()
    optimizerD = optim.Adam(netD.parameters(), lr=args.lr, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=args.lr, betas=(0.5, 0.999))
    fixed_noise = torch.randn(64, NZ, 1, 1)
    real_label, fake_label = 1.0, 0.0

    for epoch in range(args.epochs):
        sums = {"loss_D": 0.0, "loss_G": 0.0, "D(x)": 0.0, "D(G(z))": 0.0}
        for real, _ in dataloader:
            b = real.size(0)
            # (1) update D: maximise log(D(x)) + log(1 - D(G(z)))
            netD.zero_grad()
            label = torch.full((b,), real_label)
            output = netD(real)
            errD_real = criterion(output, label)
            errD_real.backward()
            D_x = output.mean()

            noise = torch.randn(b, NZ, 1, 1)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())  # no gradient into G on D's step
            errD_fake = criterion(output, label)
            errD_fake.backward()
            errD = errD_real + errD_fake
            optimizerD.step()

            # (2) update G: maximise log(D(G(z)))
            netG.zero_grad()
            label.fill_(real_label)  # fake images count as real for the generator's loss
            output = netD(fake)
            errG = criterion(output, label)
            errG.backward()
            D_G_z = output.mean()
            optimizerG.step()

            for k, v in zip(sums, (errD, errG, D_x, D_G_z)):
                sums[k] += v.item()
        n = len(dataloader)
        print(
            f"[{epoch + 1}/{args.epochs}] " + "  ".join(f"{k} {v / n:.4f}" for k, v in sums.items())
        )

    with torch.no_grad():
        samples = netG(fixed_noise)
    print(
        f"generated {tuple(samples.shape)} in [{samples.min().item():.2f}, {samples.max().item():.2f}]"
    )
    if args.out:
        vutils.save_image(samples, args.out, normalize=True, nrow=8)
        print(f"saved samples to {args.out}")


if __name__ == "__main__":
    main()
