# ruff: noqa: B007, E501, UP008, UP031, UP032, C408  (tutorial code, kept as the notebooks write it)
"""udacity/deep-learning-v2-pytorch intro-to-pytorch Parts 1-3: a sigmoid neuron by hand
(torch.sum, torch.mm with weights.view, a two-layer network printing tensor([[0.3171]])),
NumPy <-> torch with shared memory (from_numpy, b.mul_(2) seen through the array), an MNIST
network from weight matrices with a hand-written softmax, nn.Module classes with nn.Sigmoid /
nn.Softmax and with F.*, weight.data.fill_ / normal_(std=0.01), images.resize_, nn.Sequential
and an OrderedDict Sequential, CrossEntropyLoss vs LogSoftmax+NLLLoss, autograd on x**2 (grad_fn
printed), gradients before/after backward, one SGD step printed, and the training loop with
`for ... else`. Adapted: a seeded MNIST-shaped stand-in (torchvision's transforms written as small
classes), a short loader, no plots, losses rounded."""
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

# ---------------------------------------------------------------- Part 1: tensors


def activation(x):
    """ Sigmoid activation function

        Arguments
        ---------
        x: torch.Tensor
    """
    return 1/(1+torch.exp(-x))


torch.manual_seed(7)
features = torch.randn((1, 5))
weights = torch.randn_like(features)
bias = torch.randn((1, 1))

y = activation(torch.sum(features * weights) + bias)
print(y)
y = activation((features * weights).sum() + bias)
print(y)
y = activation(torch.mm(features, weights.view(5, 1)) + bias)
print(y)
print(weights.reshape(5, 1).shape, weights.view(5, 1).shape)
try:
    torch.mm(features, weights)
except RuntimeError as e:
    print('RuntimeError:', e)

torch.manual_seed(7)
features = torch.randn((1, 3))
n_input = features.shape[1]
n_hidden = 2
n_output = 1
W1 = torch.randn(n_input, n_hidden)
W2 = torch.randn(n_hidden, n_output)
B1 = torch.randn((1, n_hidden))
B2 = torch.randn((1, n_output))

h = activation(torch.mm(features, W1) + B1)
output = activation(torch.mm(h, W2) + B2)
print(output)

np.random.seed(0)
a = np.random.rand(4, 3)
print(a)
b = torch.from_numpy(a)
print(b)
print(b.numpy())
print(b.mul_(2))
print(a)

# ---------------------------------------------------------------- MNIST stand-in


class transforms:
    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, img):
            for t in self.transforms:
                img = t(img)
            return img

    class ToTensor:
        def __call__(self, pic):
            return pic.float().div(255).unsqueeze(0)

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            c = tensor.shape[0]
            mean = torch.as_tensor(self.mean[:c]).view(-1, 1, 1)
            std = torch.as_tensor(self.std[:c]).view(-1, 1, 1)
            return (tensor - mean) / std


class datasets:
    class MNIST(torch.utils.data.Dataset):
        def __init__(self, root, download=False, train=True, transform=None, n=128):
            g = torch.Generator().manual_seed(11 if train else 12)
            self.targets = torch.randint(0, 10, (n,), generator=g)
            noise = torch.rand(n, 28, 28, generator=g) * 90
            rows = (torch.arange(28).view(1, 28, 1) // 3 == self.targets.view(-1, 1, 1)).float() * 160
            self.data = (noise + rows).to(torch.uint8)
            self.transform = transform

        def __len__(self):
            return len(self.data)

        def __getitem__(self, index):
            img, target = self.data[index], int(self.targets[index])
            if self.transform is not None:
                img = self.transform(img)
            return img, target


# ---------------------------------------------------------------- Part 2: networks

transform = transforms.Compose([transforms.ToTensor(),
                                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
                                ])
trainset = datasets.MNIST('MNIST_data/', download=True, train=True, transform=transform)
torch.manual_seed(0)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)

dataiter = iter(trainloader)
images, labels = next(dataiter)
print(type(images))
print(images.shape)
print(labels.shape)
print(images[1].numpy().squeeze().shape, labels[:8])

inputs = images.view(images.shape[0], -1)
w1 = torch.randn(784, 256)
b1 = torch.randn(256)
w2 = torch.randn(256, 10)
b2 = torch.randn(10)
h = activation(torch.mm(inputs, w1) + b1)
out = torch.mm(h, w2) + b2


def softmax(x):
    return torch.exp(x)/torch.sum(torch.exp(x), dim=1).view(-1, 1)


probabilities = softmax(out)
print(probabilities.shape)
print(probabilities.sum(dim=1)[:6])


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 256)
        self.output = nn.Linear(256, 10)
        self.sigmoid = nn.Sigmoid()
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.hidden(x)
        x = self.sigmoid(x)
        x = self.output(x)
        x = self.softmax(x)
        return x


model = Network()
print(model)


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, x):
        x = F.sigmoid(self.hidden(x))
        x = F.softmax(self.output(x), dim=1)
        return x


model = Network()
print(model, model(inputs).sum(dim=1)[:3])


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        x = F.relu(x)
        x = self.fc3(x)
        x = F.softmax(x, dim=1)
        return x


torch.manual_seed(1)
model = Network()
print(model)
print(model.fc1.weight.shape)
print(model.fc1.bias[:5])
print(model.fc1.bias.data.fill_(0)[:5])
model.fc1.weight.data.normal_(std=0.01)
print(model.fc1.weight[0, :4])

images, labels = next(iter(trainloader))
images.resize_(64, 1, 784)
print(images.shape)
img_idx = 0
ps = model.forward(images[img_idx, :])
print(ps.shape, ps.sum().item() > 0.999)

input_size = 784
hidden_sizes = [128, 64]
output_size = 10
model = nn.Sequential(nn.Linear(input_size, hidden_sizes[0]),
                      nn.ReLU(),
                      nn.Linear(hidden_sizes[0], hidden_sizes[1]),
                      nn.ReLU(),
                      nn.Linear(hidden_sizes[1], output_size),
                      nn.Softmax(dim=1))
print(model)
images, labels = next(iter(trainloader))
images.resize_(images.shape[0], 1, 784)
ps = model.forward(images[0, :])
print(ps.shape)
print(model[0])
print(model[0].weight.shape)

model = nn.Sequential(OrderedDict([
                      ('fc1', nn.Linear(input_size, hidden_sizes[0])),
                      ('relu1', nn.ReLU()),
                      ('fc2', nn.Linear(hidden_sizes[0], hidden_sizes[1])),
                      ('relu2', nn.ReLU()),
                      ('output', nn.Linear(hidden_sizes[1], output_size)),
                      ('softmax', nn.Softmax(dim=1))]))
print(model)
print(model[0])
print(model.fc1)

# ---------------------------------------------------------------- Part 3: training

torch.manual_seed(2)
model = nn.Sequential(nn.Linear(784, 128),
                      nn.ReLU(),
                      nn.Linear(128, 64),
                      nn.ReLU(),
                      nn.Linear(64, 10))
criterion = nn.CrossEntropyLoss()
images, labels = next(iter(trainloader))
images = images.view(images.shape[0], -1)
logits = model(images)
loss = criterion(logits, labels)
print(loss)

model = nn.Sequential(nn.Linear(784, 128),
                      nn.ReLU(),
                      nn.Linear(128, 64),
                      nn.ReLU(),
                      nn.Linear(64, 10),
                      nn.LogSoftmax(dim=1))
criterion = nn.NLLLoss()
logps = model(images)
loss = criterion(logps, labels)
print(loss)

x = torch.randn(2, 2, requires_grad=True)
print(x)
y = x**2
print(y)
print(y.grad_fn)
z = y.mean()
print(z)
print(x.grad)
z.backward()
print(x.grad)
print(x/2)

print('Before backward pass: \n', model[0].weight.grad)
loss.backward()
print('After backward pass: \n', model[0].weight.grad.shape, model[0].weight.grad.abs().sum() > 0)

optimizer = optim.SGD(model.parameters(), lr=0.01)
print('Initial weights - ', model[0].weight)
images, labels = next(iter(trainloader))
images.resize_(64, 784)
optimizer.zero_grad()
output = model(images)
loss = criterion(output, labels)
loss.backward()
print('Gradient -', model[0].weight.grad.shape)
optimizer.step()
print('Updated weights - ', model[0].weight.shape, model[0].weight[0, :3])

optimizer = optim.SGD(model.parameters(), lr=0.003)
epochs = 2
for e in range(epochs):
    running_loss = 0
    for images, labels in trainloader:
        images = images.view(images.shape[0], -1)
        optimizer.zero_grad()
        output = model(images)
        loss = criterion(output, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    else:
        print(f"Training loss: {running_loss/len(trainloader):.4f}")

images, labels = next(iter(trainloader))
img = images[0].view(1, 784)
with torch.no_grad():
    logps = model(img)
ps = torch.exp(logps)
print(ps.shape, ps.data.numpy().squeeze().round(3))
