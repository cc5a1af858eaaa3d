# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

nc = 3
nz = 8
ngf = 4
ndf = 4
batch_size = 4
lr = 0.0002
beta1 = 0.5
device = torch.device("cpu")


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self, ngpu):
        super(Generator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self, ngpu):
        super(Discriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, input):
        return self.main(input)


def det_init(model, seed):
    # the tutorial's random init, replaced by fixed values (random streams differ)
    with torch.no_grad():
        for i, (name, p) in enumerate(model.named_parameters()):
            base = 1.0 if name.endswith("weight") and p.dim() == 1 else 0.0
            vals = base + np.sin(np.arange(p.numel(), dtype=np.float64) * 0.37 + i + seed) * 0.1
            p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))


netG = Generator(1).to(device)
netG.apply(weights_init)
print(netG)
print(f"{netG.main[1].weight.data.std().item() < 0.1}", netG.main[1].bias.data.sum().item())
det_init(netG, 0)

netD = Discriminator(1).to(device)
netD.apply(weights_init)
print(netD)
det_init(netD, 1)

criterion = nn.BCELoss()
rng = np.random.default_rng(0)
fixed_noise = torch.from_numpy(rng.standard_normal((2, nz, 1, 1)).astype(np.float32))
real_label = 1.0
fake_label = 0.0
optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))
print(optimizerD)

data = torch.from_numpy(np.tanh(rng.standard_normal((8, nc, 16, 16))).astype(np.float32))
img_list = []
G_losses = []
D_losses = []
iters = 0
num_epochs = 2
print("Starting Training Loop...")
for epoch in range(num_epochs):
    for i in range(2):
        netD.zero_grad()
        real_cpu = data[i * batch_size : (i + 1) * batch_size].to(device)
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float, device=device)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()

        noise = torch.from_numpy(rng.standard_normal((b_size, nz, 1, 1)).astype(np.float32))
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()

        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()

        print(
            "[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f"
            % (epoch, num_epochs, i, 2, errD.item(), errG.item(), D_x, D_G_z1, D_G_z2)
        )
        G_losses.append(errG.item())
        D_losses.append(errD.item())
        if (iters % 2 == 0) or ((epoch == num_epochs - 1) and (i == 1)):
            with torch.no_grad():
                fake = netG(fixed_noise).detach().cpu()
            img_list.append(fake)
        iters += 1

print(len(img_list), img_list[-1].shape, img_list[-1].dtype, img_list[-1].requires_grad)
print(img_list[-1][0, 0, :2, :4])
print(label)
print(errD.grad_fn, errG.grad_fn, fake.grad_fn)
print(netD.main[3].running_mean, netD.main[3].num_batches_tracked)
print(optimizerG.state_dict()["state"][0]["step"])
print(optimizerD.param_groups[0]["betas"])
print(["%.4f" % v for v in G_losses], ["%.4f" % v for v in D_losses])
netG.eval()
with torch.no_grad():
    print(netG(fixed_noise)[1, 2, 3, :4])
