# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E741, B007, F401, N801, UP008, UP031, UP032, I001  (tutorial code, kept as the course writes it)
"""刘二大人《PyTorch深度学习实践》 (Liu Er's "PyTorch Deep Learning Practice", Bilibili) lectures 9-10,
as the course's slides and the students' repositories write them: 9 softmax classifier (the
cross entropy by hand in NumPy, torch.nn.CrossEntropyLoss on a LongTensor target, the two batch
predictions Y_pred1/Y_pred2 compared, CrossEntropyLoss == LogSoftmax + NLLLoss; MNIST through
transforms.Compose([ToTensor(), Normalize((0.1307,), (0.3081,))]), DataLoader(shuffle=True,
batch_size=64), a five-layer ReLU MLP on x.view(-1, 784), SGD(lr=0.01, momentum=0.5), train(epoch)
printing '[%d, %5d] loss: %.3f' and test() with torch.max(outputs.data, dim=1) and the accuracy
'%d %%'), 10 basic CNN (Conv2d shapes for a 5x100x100 input, the weight's shape, padding=1 and
stride=2 with the kernel 1..9 set through conv_layer.weight.data, MaxPool2d(kernel_size=2) on a
4x4 input, then the MNIST CNN (two 5x5 convolutions with MaxPool2d(2) and ReLU, view(batch_size,
-1), Linear(320, 10)) moved .to(device) with its inputs, and the test accuracy printed as
'%d %% [%d/%d]').
Adapted: torchvision's MNIST (a download) is a seeded MNIST-shaped stand-in with torchvision's
interface (uint8 .data/.targets, PIL images through the transform; torchvision is not installed
next to PyTorch here, so the three transforms are small classes doing what torchvision's do); 256
training and 128 test images, 2 epochs, the running loss printed every 2 batches instead of
every 300; the momentum SGD of the CNN as the course's; the loss printed with 4 decimals where
the course prints it in full."""
import numpy as np
import torch
from PIL import Image

torch.manual_seed(0)

# ================================================================ 09 多分类问题 Softmax Classifier
y = np.array([1, 0, 0])
z = np.array([0.2, 0.1, -0.1])
y_pred = np.exp(z) / np.exp(z).sum()
loss = (- y * np.log(y_pred)).sum()
print(loss)

y = torch.LongTensor([0])
z = torch.Tensor([[0.2, 0.1, -0.1]])
criterion = torch.nn.CrossEntropyLoss()
loss = criterion(z, y)
print(loss)

criterion = torch.nn.CrossEntropyLoss()
Y = torch.LongTensor([2, 0, 1])
Y_pred1 = torch.Tensor([[0.1, 0.2, 0.9],
                        [1.1, 0.1, 0.2],
                        [0.2, 2.1, 0.1]])
Y_pred2 = torch.Tensor([[0.8, 0.2, 0.3],
                        [0.2, 0.3, 0.5],
                        [0.2, 0.2, 0.5]])
l1 = criterion(Y_pred1, Y)
l2 = criterion(Y_pred2, Y)
print("Batch Loss1 = ", l1.data, "\nBatch Loss2=", l2.data)

# 作业: CrossEntropyLoss <==> LogSoftmax + NLLLoss
log_softmax = torch.nn.LogSoftmax(dim=1)
nll = torch.nn.NLLLoss()
print(nll(log_softmax(Y_pred1), Y), torch.allclose(nll(log_softmax(Y_pred2), Y), l2))


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


# ---------------------------------------------------------------- 用Softmax分类MNIST
from torch.utils.data import DataLoader
import torch.nn.functional as F
import torch.optim as optim

batch_size = 64
transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.1307, ), (0.3081, ))
])

train_dataset = datasets.MNIST(root='../dataset/mnist/',
                               train=True,
                               download=True,
                               transform=transform)
train_loader = DataLoader(train_dataset,
                          shuffle=True,
                          batch_size=batch_size)
test_dataset = datasets.MNIST(root='../dataset/mnist/',
                              train=False,
                              download=True,
                              transform=transform)
test_loader = DataLoader(test_dataset,
                         shuffle=False,
                         batch_size=batch_size)
img, target = train_dataset[0]
print(img.shape, img.dtype, target, '%.4f' % img.mean().item(), '%.4f' % img.max().item())


class Net(torch.nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.l1 = torch.nn.Linear(784, 512)
        self.l2 = torch.nn.Linear(512, 256)
        self.l3 = torch.nn.Linear(256, 128)
        self.l4 = torch.nn.Linear(128, 64)
        self.l5 = torch.nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        x = F.relu(self.l1(x))
        x = F.relu(self.l2(x))
        x = F.relu(self.l3(x))
        x = F.relu(self.l4(x))
        return self.l5(x)


model = Net()
criterion = torch.nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)


def train(epoch):
    running_loss = 0.0
    for batch_idx, data in enumerate(train_loader, 0):
        inputs, target = data
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
            outputs = model(images)
            _, predicted = torch.max(outputs.data, dim=1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    print('Accuracy on test set: %d %%' % (100 * correct / total))


if __name__ == '__main__':
    for epoch in range(2):
        train(epoch)
        test()

# ================================================================ 10 卷积神经网络(基础篇) Basic CNN
in_channels, out_channels = 5, 10
width, height = 100, 100
kernel_size = 3
batch_size = 1

input = torch.randn(batch_size,
                    in_channels,
                    width,
                    height)
conv_layer = torch.nn.Conv2d(in_channels,
                             out_channels,
                             kernel_size=kernel_size)
output = conv_layer(input)

print(input.shape)
print(output.shape)
print(conv_layer.weight.shape)

# padding
input = [3, 4, 6, 5, 7,
         2, 4, 6, 8, 2,
         1, 6, 7, 8, 4,
         9, 7, 4, 6, 2,
         3, 7, 5, 4, 1]
input = torch.Tensor(input).view(1, 1, 5, 5)

conv_layer = torch.nn.Conv2d(1, 1, kernel_size=3, padding=1, bias=False)
kernel = torch.Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9]).view(1, 1, 3, 3)
conv_layer.weight.data = kernel.data

output = conv_layer(input)
print(output)

# stride
conv_layer = torch.nn.Conv2d(1, 1, kernel_size=3, stride=2, bias=False)
conv_layer.weight.data = kernel.data
output = conv_layer(input)
print(output)

# Max Pooling Layer
input = [3, 4, 6, 5,
         2, 4, 6, 8,
         1, 6, 7, 8,
         9, 7, 4, 6,
         ]
input = torch.Tensor(input).view(1, 1, 4, 4)
maxpooling_layer = torch.nn.MaxPool2d(kernel_size=2)
output = maxpooling_layer(input)
print(output)

# ---------------------------------------------------------------- CNN 分类 MNIST
batch_size = 64


class Net(torch.nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = torch.nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = torch.nn.Conv2d(10, 20, kernel_size=5)
        self.pooling = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(320, 10)

    def forward(self, x):
        # Flatten data from (n, 1, 28, 28) to (n, 784)
        batch_size = x.size(0)
        x = F.relu(self.pooling(self.conv1(x)))
        x = F.relu(self.pooling(self.conv2(x)))
        x = x.view(batch_size, -1)  # flatten
        x = self.fc(x)
        return x


model = Net()
print(model)
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
model.to(device)
criterion = torch.nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)


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
            inputs, target = data
            inputs, target = inputs.to(device), target.to(device)
            outputs = model(inputs)
            _, predicted = torch.max(outputs.data, dim=1)
            total += target.size(0)
            correct += (predicted == target).sum().item()
    print('Accuracy on test set: %d %% [%d/%d]' % (100 * correct / total, correct, total))


if __name__ == '__main__':
    for epoch in range(2):
        train(epoch)
        test()
