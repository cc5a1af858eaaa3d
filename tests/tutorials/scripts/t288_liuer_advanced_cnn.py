# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E741, B007, F401, N801, UP008, UP031, UP032, I001  (tutorial code, kept as the course writes it)
"""刘二大人《PyTorch深度学习实践》 (Liu Er's "PyTorch Deep Learning Practice", Bilibili) lecture 11,
advanced CNN, as the course's slides and the students' repositories write it: GoogLeNet's
InceptionA module (1x1, 5x5, double 3x3 and average-pool branches concatenated with
torch.cat(outputs, dim=1) into 88 channels) inside the MNIST net (conv1 -> incep1 -> conv2 ->
incep2 -> Linear(1408, 10)), the 1x1 convolution's shapes, and the ResidualBlock
(F.relu(x + y)) net (Linear(512, 10)), each trained with the lecture-10 train()/test() loop
(SGD(lr=0.01, momentum=0.5)); the homework's residual variant from "Identity Mappings in Deep
Residual Networks" (a 1x1 shortcut projection) and the parameter counts.
Adapted: torchvision's MNIST (a download) is a seeded MNIST-shaped stand-in with torchvision's
interface (uint8 .data/.targets, PIL images through the transform; torchvision is not installed
next to PyTorch here, so the transforms are small classes doing what torchvision's do); 256
training and 128 test images, one epoch per net, the running loss printed every 2 batches with
4 decimals."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from PIL import Image
from torch.utils.data import DataLoader

torch.manual_seed(0)

# ---------------------------------------------------------------- torchvision stand-ins
class transforms:
    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, img):
            for t in self.transforms:
                img = t(img)
            return img

    class ToTensor:  # a PIL 'L' image -> 1xHxW float in [0, 1], as torchvision's
        def __call__(self, pic):
            img = torch.from_numpy(np.array(pic, copy=True))
            img = img.view(pic.size[1], pic.size[0], 1)
            img = img.permute((2, 0, 1)).contiguous()
            return img.to(dtype=torch.float32).div(255)

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            mean = torch.as_tensor(self.mean, dtype=tensor.dtype)
            std = torch.as_tensor(self.std, dtype=tensor.dtype)
            return tensor.sub(mean.view(-1, 1, 1)).div(std.view(-1, 1, 1))


class datasets:
    class MNIST(torch.utils.data.Dataset):
        """Seeded 28x28 'digits' (a bar whose row and length follow the label, over noise)."""

        def __init__(self, root, train=True, download=False, transform=None):
            rs = np.random.RandomState(0 if train else 1)
            n = 256 if train else 128
            labels = rs.randint(0, 10, n)
            images = rs.randint(0, 90, (n, 28, 28))
            for i, k in enumerate(labels):
                images[i, 2 * k + 3:2 * k + 7, 4 + k:24 - k // 2] = 230
            self.data = torch.from_numpy(images.astype(np.uint8))
            self.targets = torch.from_numpy(labels.astype(np.int64))
            self.transform = transform

        def __getitem__(self, index):
            img, target = self.data[index], int(self.targets[index])
            img = Image.fromarray(img.numpy())
            if self.transform is not None:
                img = self.transform(img)
            return img, target

        def __len__(self):
            return len(self.data)



batch_size = 64
transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.1307, ), (0.3081, ))
])
train_dataset = datasets.MNIST(root='../dataset/mnist/', train=True, download=True, transform=transform)
train_loader = DataLoader(train_dataset, shuffle=True, batch_size=batch_size)
test_dataset = datasets.MNIST(root='../dataset/mnist/', train=False, download=True, transform=transform)
test_loader = DataLoader(test_dataset, shuffle=False, batch_size=batch_size)

# ================================================================ 1x1 卷积 (Network in Network)
input = torch.randn(1, 192, 28, 28)
conv_1x1 = nn.Conv2d(192, 16, kernel_size=1)
conv_5x5 = nn.Conv2d(16, 32, kernel_size=5, padding=2)
output = conv_5x5(conv_1x1(input))
print(output.shape)
print('operations:', 5 ** 2 * 28 ** 2 * 192 * 32, '->', 1 ** 2 * 28 ** 2 * 192 * 16 + 5 ** 2 * 28 ** 2 * 16 * 32)


# ================================================================ GoogLeNet: Inception Module
class InceptionA(nn.Module):
    def __init__(self, in_channels):
        super(InceptionA, self).__init__()
        self.branch1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)

        self.branch5x5_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch5x5_2 = nn.Conv2d(16, 24, kernel_size=5, padding=2)

        self.branch3x3_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch3x3_2 = nn.Conv2d(16, 24, kernel_size=3, padding=1)
        self.branch3x3_3 = nn.Conv2d(24, 24, kernel_size=3, padding=1)

        self.branch_pool = nn.Conv2d(in_channels, 24, kernel_size=1)

    def forward(self, x):
        branch1x1 = self.branch1x1(x)

        branch5x5 = self.branch5x5_1(x)
        branch5x5 = self.branch5x5_2(branch5x5)

        branch3x3 = self.branch3x3_1(x)
        branch3x3 = self.branch3x3_2(branch3x3)
        branch3x3 = self.branch3x3_3(branch3x3)

        branch_pool = F.avg_pool2d(x, kernel_size=3, stride=1, padding=1)
        branch_pool = self.branch_pool(branch_pool)

        outputs = [branch1x1, branch5x5, branch3x3, branch_pool]
        return torch.cat(outputs, dim=1)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(88, 20, kernel_size=5)

        self.incep1 = InceptionA(in_channels=10)
        self.incep2 = InceptionA(in_channels=20)

        self.mp = nn.MaxPool2d(2)
        self.fc = nn.Linear(1408, 10)

    def forward(self, x):
        in_size = x.size(0)
        x = F.relu(self.mp(self.conv1(x)))
        x = self.incep1(x)
        x = F.relu(self.mp(self.conv2(x)))
        x = self.incep2(x)
        x = x.view(in_size, -1)
        x = self.fc(x)
        return x


def train(epoch):
    running_loss = 0.0
    for batch_idx, data in enumerate(train_loader, 0):
        inputs, target = data
        inputs, target = inputs.to(device), target.to(device)
        optimizer.zero_grad()

        # forward + backward + update
        outputs = model(inputs)
        loss = criterion(outputs, target)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()
        if batch_idx % 2 == 1:
            print('[%d, %5d] loss: %.4f' % (epoch + 1, batch_idx + 1, running_loss / 2))
            running_loss = 0.0


def test():
    correct = 0
    total = 0
    with torch.no_grad():
        for data in test_loader:
            images, labels = data
            images, labels = images.to(device), labels.to(device)
            outputs = model(images)
            _, predicted = torch.max(outputs.data, dim=1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    print('accuracy on test set: %d %% ' % (100 * correct / total))
    return correct / total


device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
model = Net()
print(model.incep1)
print(model.incep1(torch.zeros(1, 10, 12, 12)).shape)
print(sum(p.numel() for p in model.parameters()))
model.to(device)
criterion = torch.nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)

if __name__ == '__main__':
    for epoch in range(1):
        train(epoch)
        acc = test()


# ================================================================ Residual Network
class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super(ResidualBlock, self).__init__()
        self.channels = channels
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        y = self.conv2(y)
        return F.relu(x + y)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=5)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=5)
        self.mp = nn.MaxPool2d(2)

        self.rblock1 = ResidualBlock(16)
        self.rblock2 = ResidualBlock(32)

        self.fc = nn.Linear(512, 10)

    def forward(self, x):
        in_size = x.size(0)
        x = self.mp(F.relu(self.conv1(x)))
        x = self.rblock1(x)
        x = self.mp(F.relu(self.conv2(x)))
        x = self.rblock2(x)
        x = x.view(in_size, -1)
        x = self.fc(x)
        return x


model = Net()
print(model)
print(sum(p.numel() for p in model.parameters()))
model.to(device)
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)

if __name__ == '__main__':
    for epoch in range(1):
        train(epoch)
        acc = test()


# 作业: Identity Mappings in Deep Residual Networks, constant scaling / 1x1 shortcut
class ResidualBlock1x1(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(ResidualBlock1x1, self).__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        y = self.conv2(y)
        x = self.conv3(x)
        return F.relu(x + y)


block = ResidualBlock1x1(16, 32)
x = torch.randn(2, 16, 12, 12)
y = block(x)
print(y.shape, y.grad_fn)
y.sum().backward()
print(block.conv3.weight.grad.shape, '%.4f' % block.conv3.bias.grad.abs().sum().item())
