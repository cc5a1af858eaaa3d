# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cpu")


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 10)

        # Spatial transformer localization-network
        self.localization = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True),
            nn.Conv2d(4, 6, kernel_size=3),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True),
        )

        # Regressor for the 3 * 2 affine matrix
        self.fc_loc = nn.Sequential(nn.Linear(6 * 2 * 2, 8), nn.ReLU(True), nn.Linear(8, 3 * 2))

        # Initialize the weights/bias with identity transformation
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))

    def stn(self, x):
        xs = self.localization(x)
        xs = xs.view(-1, 6 * 2 * 2)
        theta = self.fc_loc(xs)
        theta = theta.view(-1, 2, 3)

        grid = F.affine_grid(theta, x.size())
        x = F.grid_sample(x, grid)

        return x

    def forward(self, x):
        x = self.stn(x)
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 8 * 2 * 2)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=False)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


model = Net().to(device)
print(model)
print(model.fc_loc[2].weight.abs().sum().item(), model.fc_loc[2].bias)
with torch.no_grad():
    for i, (name, p) in enumerate(model.named_parameters()):
        if name.startswith("fc_loc.2"):
            continue
        vals = np.cos(np.arange(p.numel(), dtype=np.float64) * 0.53 + i) * 0.3
        p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))

rng = np.random.default_rng(7)
images = torch.from_numpy(rng.uniform(-1, 1, (8, 1, 14, 14)).astype(np.float32))
labels = torch.from_numpy(rng.integers(0, 10, size=8))
train_loader = DataLoader(TensorDataset(images, labels), batch_size=4, shuffle=False)
test_loader = DataLoader(TensorDataset(images, labels), batch_size=8, shuffle=False)
optimizer = optim.SGD(model.parameters(), lr=0.05)


def train(epoch):
    model.train()
    model.conv2_drop.eval()  # dropout off: random streams differ between libraries
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        print(
            "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.4f}".format(
                epoch,
                batch_idx * len(data),
                len(train_loader.dataset),
                100.0 * batch_idx / len(train_loader),
                loss.item(),
            )
        )


def test():
    with torch.no_grad():
        model.eval()
        test_loss = 0
        correct = 0
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, size_average=False).item()
            pred = output.max(1, keepdim=True)[1]
            correct += pred.eq(target.view_as(pred)).sum().item()
        test_loss /= len(test_loader.dataset)
        print(
            "\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
                test_loss,
                correct,
                len(test_loader.dataset),
                100.0 * correct / len(test_loader.dataset),
            )
        )


for epoch in range(1, 4):
    train(epoch)
    test()

with torch.no_grad():
    data = images[:2]
    input_tensor = data.cpu()
    transformed_input_tensor = model.stn(data).cpu()
    print(transformed_input_tensor.shape, transformed_input_tensor[0, 0, 5, :5])
    theta = model.fc_loc(model.localization(data).view(-1, 24)).view(-1, 2, 3)
    print(theta)

# affine_grid / grid_sample on their own, with the options the tutorials pass
theta = torch.tensor([[[0.9, -0.2, 0.1], [0.3, 1.1, -0.05]]], dtype=torch.float32)
img = torch.from_numpy(np.arange(2 * 5 * 6, dtype=np.float32).reshape(1, 2, 5, 6) / 10)
for align in (False, True):
    grid = F.affine_grid(theta, img.size(), align_corners=align)
    print(grid.shape, grid[0, 1, :3])
    for mode in ("bilinear", "nearest", "bicubic"):
        for pad in ("zeros", "border", "reflection"):
            out = F.grid_sample(img, grid, mode=mode, padding_mode=pad, align_corners=align)
            print(align, mode, pad, out[0, 1, 2])
    wide = F.affine_grid(theta * 1.6, img.size(), align_corners=align)
    for pad in ("zeros", "border", "reflection"):
        out = F.grid_sample(img, wide, mode="nearest", padding_mode=pad, align_corners=align)
        print(align, pad, out[0, 0, 0], out[0, 1, 4])
theta.requires_grad_(True)
img.requires_grad_(True)
out = F.grid_sample(img, F.affine_grid(theta, img.size(), align_corners=False), align_corners=False)
(out * out).mean().backward()
print(out.grad_fn, theta.grad, img.grad[0, 0, 1])
theta3 = torch.eye(3, 4).unsqueeze(0) * 0.8
grid3 = F.affine_grid(theta3, (1, 1, 2, 3, 4), align_corners=False)
print(grid3.shape, grid3[0, 1, 2, 3])
vol = torch.arange(24, dtype=torch.float32).reshape(1, 1, 2, 3, 4)
print(F.grid_sample(vol, grid3, align_corners=False)[0, 0, 1])
