# ruff: noqa: UP032 (the book's printing style, kept)
# "Deep Learning with PyTorch", chapter 8 (using convolutions to generalize), first half, on
# in-script CIFAR-shaped data: Conv2d weight shapes, padding, a constant and an edge-detection kernel
# set under torch.no_grad(), MaxPool2d, the nn.Sequential model that needs a flatten (and PyTorch's
# error without it), the Net subclass and its functional version, parameter counts, and a
# training_loop with validation accuracy.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(123)
# losses print to 3 decimals: PyTorch's float32 convolutions and sums round by CPU instruction set
torch.set_printoptions(precision=3)


def make_cifar2(n):
    """normalised 3x32x32 'airplanes' (label 0: a bluer, brighter sky on top) and 'birds' (label 1:
    a green blob)"""
    labels = torch.randint(0, 2, (n,))
    imgs = torch.randn(n, 3, 32, 32)
    rows = torch.linspace(1.0, -1.0, 32).view(32, 1)
    imgs[labels == 0, 2] += 0.5 * rows
    imgs[labels == 1, 1, 10:20, 12:22] += 0.5
    return [(img, int(label)) for img, label in zip(imgs, labels)]


cifar2 = make_cifar2(256)
cifar2_val = make_cifar2(128)
class_names = ["airplane", "bird"]

conv = nn.Conv2d(3, 16, kernel_size=3)
print(conv)
print(conv.weight.shape, conv.bias.shape)

img, _ = cifar2[0]
output = conv(img.unsqueeze(0))
print(img.unsqueeze(0).shape, output.shape)

conv = nn.Conv2d(3, 1, kernel_size=3, padding=1)
output = conv(img.unsqueeze(0))
print(img.unsqueeze(0).shape, output.shape)

with torch.no_grad():
    conv.bias.zero_()
with torch.no_grad():
    conv.weight.fill_(1.0 / 9.0)
output = conv(img.unsqueeze(0))
print(output[0, 0, :2, :4])
print(torch.allclose(output[0, 0, 1:-1, 1:-1], F.avg_pool2d(img.sum(0, keepdim=True), 3, stride=1)[0], atol=1e-5))

conv = nn.Conv2d(3, 1, kernel_size=3, padding=1)
with torch.no_grad():
    conv.weight[:] = torch.tensor([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]])
    conv.bias.zero_()
print(conv.weight[0, 1], conv.weight.requires_grad, conv.weight.grad_fn)
step = torch.zeros(1, 3, 8, 8)
step[..., 4:] = 1.0
print(conv(step)[0, 0])

pool = nn.MaxPool2d(2)
output = pool(img.unsqueeze(0))
print(img.unsqueeze(0).shape, output.shape)
print(pool, pool(torch.arange(16.0).view(1, 1, 4, 4)))

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, padding=1), nn.Tanh(), nn.MaxPool2d(2),
    nn.Conv2d(16, 8, kernel_size=3, padding=1), nn.Tanh(), nn.MaxPool2d(2),
    # ... the view to 8 * 8 * 8 is missing here
    nn.Linear(8 * 8 * 8, 32), nn.Tanh(), nn.Linear(32, 2),
)
numel_list = [p.numel() for p in model.parameters()]
print(sum(numel_list), numel_list)
try:
    model(img.unsqueeze(0))
except RuntimeError as e:
    print("RuntimeError:", e)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.act1 = nn.Tanh()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, 8, kernel_size=3, padding=1)
        self.act2 = nn.Tanh()
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(8 * 8 * 8, 32)
        self.act3 = nn.Tanh()
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = self.pool1(self.act1(self.conv1(x)))
        out = self.pool2(self.act2(self.conv2(out)))
        out = out.view(-1, 8 * 8 * 8)
        out = self.act3(self.fc1(out))
        out = self.fc2(out)
        return out


model = Net()
print(model)
numel_list = [p.numel() for p in model.parameters()]
print(sum(numel_list), numel_list)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 8, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(8 * 8 * 8, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = F.max_pool2d(torch.tanh(self.conv1(x)), 2)
        out = F.max_pool2d(torch.tanh(self.conv2(out)), 2)
        out = out.view(-1, 8 * 8 * 8)
        out = torch.tanh(self.fc1(out))
        out = self.fc2(out)
        return out


model = Net()
print(model)
print(model(img.unsqueeze(0)))


def training_loop(n_epochs, optimizer, model, loss_fn, train_loader):
    for epoch in range(1, n_epochs + 1):
        loss_train = 0.0
        for imgs, labels in train_loader:
            outputs = model(imgs)
            loss = loss_fn(outputs, labels)

            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

            loss_train += loss.item()

        if epoch == 1 or epoch % 2 == 0:
            print("Epoch {}, Training loss {:.3f}".format(epoch, loss_train / len(train_loader)))


train_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True)
model = Net()
optimizer = optim.SGD(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
training_loop(n_epochs=6, optimizer=optimizer, model=model, loss_fn=loss_fn, train_loader=train_loader)

train_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=False)
val_loader = torch.utils.data.DataLoader(cifar2_val, batch_size=64, shuffle=False)


def validate(model, train_loader, val_loader):
    for name, loader in [("train", train_loader), ("val", val_loader)]:
        correct = 0
        total = 0

        with torch.no_grad():
            for imgs, labels in loader:
                outputs = model(imgs)
                _, predicted = torch.max(outputs, dim=1)
                total += labels.shape[0]
                correct += int((predicted == labels).sum())

        print("Accuracy {}: {:.2f}".format(name, correct / total))


validate(model, train_loader, val_loader)
print(type(model.conv1.weight.grad), model.conv1.weight.grad.shape)
