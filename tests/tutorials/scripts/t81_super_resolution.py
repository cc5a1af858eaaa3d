# ruff: noqa: UP008, UP032 (the originals' style, kept)
# pytorch/examples super_resolution (ESPCN): nn.PixelShuffle, init.orthogonal_ with calculate_gain,
# PSNR from MSELoss + log10, on random low/high-resolution pairs instead of BSDS300.
from math import log10

import torch
import torch.nn as nn
import torch.nn.init as init
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self, upscale_factor):
        super(Net, self).__init__()

        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 16, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(16, 16, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(16, 8, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(8, upscale_factor**2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)

        self._initialize_weights()

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        x = self.pixel_shuffle(self.conv4(x))
        return x

    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv2.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv3.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv4.weight)


torch.manual_seed(123)
upscale_factor = 2
print("===> Building model")
model = Net(upscale_factor=upscale_factor)
print(model)
w = model.conv2.weight.view(16, -1)
print("orthogonal rows:", torch.allclose(w @ w.t(), 2.0 * torch.eye(16), atol=1e-4))
w4 = model.conv4.weight.view(4, -1)
print("conv4 gram", torch.allclose(w4 @ w4.t(), torch.eye(4), atol=1e-5))
print("conv1 weight", model.conv1.weight[0, 0, 0])
for nl, p in [
    ("linear", None),
    ("conv2d", None),
    ("sigmoid", None),
    ("tanh", None),
    ("relu", None),
    ("leaky_relu", None),
    ("leaky_relu", 0.2),
    ("selu", None),
]:
    print(nl, p, init.calculate_gain(nl, p))
try:
    init.calculate_gain("gelu")
except ValueError as e:
    print("ValueError:", e)

criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=0.001)

hr = torch.rand(24, 1, 16, 16)
lr_imgs = nn.functional.avg_pool2d(hr, upscale_factor)
print("lr", lr_imgs.shape, "hr", hr.shape)
training_data_loader = DataLoader(TensorDataset(lr_imgs[:16], hr[:16]), batch_size=4, shuffle=True)
testing_data_loader = DataLoader(TensorDataset(lr_imgs[16:], hr[16:]), batch_size=4, shuffle=False)


def train(epoch):
    epoch_loss = 0
    for iteration, batch in enumerate(training_data_loader, 1):
        input, target = batch[0], batch[1]

        optimizer.zero_grad()
        loss = criterion(model(input), target)
        epoch_loss += loss.item()
        loss.backward()
        optimizer.step()

        print(
            "===> Epoch[{}]({}/{}): Loss: {:.4f}".format(
                epoch, iteration, len(training_data_loader), loss.item()
            )
        )

    print(
        "===> Epoch {} Complete: Avg. Loss: {:.4f}".format(
            epoch, epoch_loss / len(training_data_loader)
        )
    )


def test():
    avg_psnr = 0
    with torch.no_grad():
        for batch in testing_data_loader:
            input, target = batch[0], batch[1]

            prediction = model(input)
            mse = criterion(prediction, target)
            psnr = 10 * log10(1 / mse.item())
            avg_psnr += psnr
    print("===> Avg. PSNR: {:.3f} dB".format(avg_psnr / len(testing_data_loader)))


for epoch in range(1, 3):
    train(epoch)
    test()

# PixelShuffle / PixelUnshuffle on their own
ps = nn.PixelShuffle(2)
pu = nn.PixelUnshuffle(2)
print(ps, pu)
x = torch.arange(32.0).view(1, 8, 2, 2)
y = ps(x)
print(y.shape)
print(y[0, 0])
print(torch.equal(pu(y), x))
print(
    nn.functional.pixel_shuffle(torch.arange(18).view(1, 2, 9, 1, 1).reshape(2, 9, 1, 1), 3).shape
)
print(nn.functional.pixel_unshuffle(torch.arange(36.0).view(1, 1, 6, 6), 3)[0, :, 0, 0])
try:
    ps(torch.zeros(1, 3, 2, 2))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    pu(torch.zeros(1, 1, 3, 4))
except RuntimeError as e:
    print("RuntimeError:", e)
t = torch.empty(3, 5)
init.orthogonal_(t, gain=0.5)
print(torch.allclose(t @ t.t(), 0.25 * torch.eye(3), atol=1e-6), t.shape)
t = torch.empty(6, 2)
init.orthogonal_(t)
print(torch.allclose(t.t() @ t, torch.eye(2), atol=1e-6))
print(t)
