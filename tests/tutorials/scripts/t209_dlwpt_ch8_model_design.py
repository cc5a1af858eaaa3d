# ruff: noqa: UP008, UP032 (the book's style, kept)
# "Deep Learning with PyTorch", chapter 8 (using convolutions to generalize), model design half, on
# in-script CIFAR-shaped data: the device idiom, NetWidth, L2 regularisation written by hand,
# NetDropout, NetBatchNorm, NetDepth, NetRes, ResBlock with kaiming_normal_/constant_/zeros_
# initialisation, NetResDeep built from n_blocks * [ResBlock(...)] (one block, shared), validation
# accuracy, and torch.save(model.state_dict()) loaded back with map_location=device.
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(123)

device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
print(f"Training on device {device}.")


def make_cifar2(n):
    labels = torch.randint(0, 2, (n,))
    imgs = torch.randn(n, 3, 32, 32)
    rows = torch.linspace(1.0, -1.0, 32).view(32, 1)
    imgs[labels == 0, 2] += 1.5 * rows
    imgs[labels == 1, 1, 10:20, 12:22] += 1.5
    return [(img, int(label)) for img, label in zip(imgs, labels)]


cifar2 = make_cifar2(128)
cifar2_val = make_cifar2(64)
train_loader = torch.utils.data.DataLoader(cifar2, batch_size=32, shuffle=True)
val_loader = torch.utils.data.DataLoader(cifar2_val, batch_size=64, shuffle=False)
train_eval_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=False)


def training_loop(n_epochs, optimizer, model, loss_fn, train_loader):
    for epoch in range(1, n_epochs + 1):
        loss_train = 0.0
        for imgs, labels in train_loader:
            imgs = imgs.to(device=device)
            labels = labels.to(device=device)
            outputs = model(imgs)
            loss = loss_fn(outputs, labels)

            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

            loss_train += loss.item()

        # (losses to 2 decimals: float32 convolutions round differently by CPU instruction set)
        print("Epoch {}, Training loss {:.2f}".format(epoch, loss_train / len(train_loader)))


def training_loop_l2reg(n_epochs, optimizer, model, loss_fn, train_loader):
    for epoch in range(1, n_epochs + 1):
        loss_train = 0.0
        for imgs, labels in train_loader:
            imgs = imgs.to(device=device)
            labels = labels.to(device=device)
            outputs = model(imgs)
            loss = loss_fn(outputs, labels)

            l2_lambda = 0.001
            l2_norm = sum(p.pow(2.0).sum() for p in model.parameters())
            loss = loss + l2_lambda * l2_norm

            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_train += loss.item()

        print("Epoch {}, Training loss {:.2f}".format(epoch, loss_train / len(train_loader)))


def validate(model, train_loader, val_loader):
    accdict = {}
    for name, loader in [("train", train_loader), ("val", val_loader)]:
        correct = 0
        total = 0

        with torch.no_grad():
            for imgs, labels in loader:
                imgs = imgs.to(device=device)
                labels = labels.to(device=device)
                outputs = model(imgs)
                _, predicted = torch.max(outputs, dim=1)
                total += labels.shape[0]
                correct += int((predicted == labels).sum())

        print("Accuracy {}: {:.2f}".format(name, correct / total))
        accdict[name] = correct / total
    return accdict


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


class NetWidth(nn.Module):
    def __init__(self, n_chans1=32):
        super().__init__()
        self.n_chans1 = n_chans1
        self.conv1 = nn.Conv2d(3, n_chans1, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(n_chans1, n_chans1 // 2, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(8 * 8 * n_chans1 // 2, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = F.max_pool2d(torch.tanh(self.conv1(x)), 2)
        out = F.max_pool2d(torch.tanh(self.conv2(out)), 2)
        out = out.view(-1, 8 * 8 * self.n_chans1 // 2)
        out = torch.tanh(self.fc1(out))
        out = self.fc2(out)
        return out


class NetDropout(nn.Module):
    def __init__(self, n_chans1=32):
        super().__init__()
        self.n_chans1 = n_chans1
        self.conv1 = nn.Conv2d(3, n_chans1, kernel_size=3, padding=1)
        self.conv1_dropout = nn.Dropout2d(p=0.4)
        self.conv2 = nn.Conv2d(n_chans1, n_chans1 // 2, kernel_size=3, padding=1)
        self.conv2_dropout = nn.Dropout2d(p=0.4)
        self.fc1 = nn.Linear(8 * 8 * n_chans1 // 2, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = F.max_pool2d(torch.tanh(self.conv1(x)), 2)
        out = self.conv1_dropout(out)
        out = F.max_pool2d(torch.tanh(self.conv2(out)), 2)
        out = self.conv2_dropout(out)
        out = out.view(-1, 8 * 8 * self.n_chans1 // 2)
        out = torch.tanh(self.fc1(out))
        out = self.fc2(out)
        return out


class NetBatchNorm(nn.Module):
    def __init__(self, n_chans1=32):
        super().__init__()
        self.n_chans1 = n_chans1
        self.conv1 = nn.Conv2d(3, n_chans1, kernel_size=3, padding=1)
        self.conv1_batchnorm = nn.BatchNorm2d(num_features=n_chans1)
        self.conv2 = nn.Conv2d(n_chans1, n_chans1 // 2, kernel_size=3, padding=1)
        self.conv2_batchnorm = nn.BatchNorm2d(num_features=n_chans1 // 2)
        self.fc1 = nn.Linear(8 * 8 * n_chans1 // 2, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = self.conv1_batchnorm(self.conv1(x))
        out = F.max_pool2d(torch.tanh(out), 2)
        out = self.conv2_batchnorm(self.conv2(out))
        out = F.max_pool2d(torch.tanh(out), 2)
        out = out.view(-1, 8 * 8 * self.n_chans1 // 2)
        out = torch.tanh(self.fc1(out))
        out = self.fc2(out)
        return out


class NetDepth(nn.Module):
    def __init__(self, n_chans1=32):
        super().__init__()
        self.n_chans1 = n_chans1
        self.conv1 = nn.Conv2d(3, n_chans1, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(n_chans1, n_chans1 // 2, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(n_chans1 // 2, n_chans1 // 2, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(4 * 4 * n_chans1 // 2, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        out = F.max_pool2d(torch.relu(self.conv2(out)), 2)
        out = F.max_pool2d(torch.relu(self.conv3(out)), 2)
        out = out.view(-1, 4 * 4 * self.n_chans1 // 2)
        out = torch.relu(self.fc1(out))
        out = self.fc2(out)
        return out


class NetRes(nn.Module):
    def __init__(self, n_chans1=32):
        super().__init__()
        self.n_chans1 = n_chans1
        self.conv1 = nn.Conv2d(3, n_chans1, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(n_chans1, n_chans1 // 2, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(n_chans1 // 2, n_chans1 // 2, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(4 * 4 * n_chans1 // 2, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        out = F.max_pool2d(torch.relu(self.conv2(out)), 2)
        out1 = out
        out = F.max_pool2d(torch.relu(self.conv3(out)) + out1, 2)
        out = out.view(-1, 4 * 4 * self.n_chans1 // 2)
        out = torch.relu(self.fc1(out))
        out = self.fc2(out)
        return out


class ResBlock(nn.Module):
    def __init__(self, n_chans):
        super(ResBlock, self).__init__()
        self.conv = nn.Conv2d(n_chans, n_chans, kernel_size=3, padding=1, bias=False)
        self.batch_norm = nn.BatchNorm2d(num_features=n_chans)
        torch.nn.init.kaiming_normal_(self.conv.weight, nonlinearity="relu")
        torch.nn.init.constant_(self.batch_norm.weight, 0.5)
        torch.nn.init.zeros_(self.batch_norm.bias)

    def forward(self, x):
        out = self.conv(x)
        out = self.batch_norm(out)
        out = torch.relu(out)
        return out + x


class NetResDeep(nn.Module):
    def __init__(self, n_chans1=32, n_blocks=10):
        super().__init__()
        self.n_chans1 = n_chans1
        self.conv1 = nn.Conv2d(3, n_chans1, kernel_size=3, padding=1)
        self.resblocks = nn.Sequential(*(n_blocks * [ResBlock(n_chans=n_chans1)]))
        self.fc1 = nn.Linear(8 * 8 * n_chans1, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        out = self.resblocks(out)
        out = F.max_pool2d(out, 2)
        out = out.view(-1, 8 * 8 * self.n_chans1)
        out = torch.relu(self.fc1(out))
        out = self.fc2(out)
        return out


all_acc_dict = {}
for name, make_model, loop in [
    ("baseline", Net, training_loop),
    ("width", lambda: NetWidth(n_chans1=32), training_loop),
    ("l2 reg", lambda: NetWidth(n_chans1=32), training_loop_l2reg),
    ("dropout", lambda: NetDropout(n_chans1=32), training_loop),
    ("batch_norm", lambda: NetBatchNorm(n_chans1=32), training_loop),
    ("depth", lambda: NetDepth(n_chans1=32), training_loop),
    ("res", lambda: NetRes(n_chans1=32), training_loop),
]:
    print(name)
    model = make_model().to(device=device)
    print(sum(p.numel() for p in model.parameters()))
    optimizer = optim.SGD(model.parameters(), lr=1e-2)
    loop(n_epochs=1, optimizer=optimizer, model=model, loss_fn=nn.CrossEntropyLoss(), train_loader=train_loader)
    model.eval()
    all_acc_dict[name] = validate(model, train_eval_loader, val_loader)
print(sorted(all_acc_dict))

model = NetBatchNorm()
print(model.conv1_batchnorm, model.conv1_batchnorm.running_mean.shape, model.conv1_batchnorm.num_batches_tracked)
print(sorted(model.state_dict().keys())[:6])

# one ResBlock, repeated: its parameters appear once
model = NetResDeep(n_chans1=32, n_blocks=10).to(device=device)
print(model.resblocks[0] is model.resblocks[9], len(model.resblocks))
print(model.resblocks[0].batch_norm.weight[:4], model.resblocks[0].batch_norm.bias[:4])
std = model.resblocks[0].conv.weight.std().item()
print(abs(std - (2.0 / (32 * 9)) ** 0.5) < 0.01, model.resblocks[0].conv.bias)
numel_list = [p.numel() for p in model.parameters()]
print(sum(numel_list), numel_list)
print(len(model.state_dict()), list(model.state_dict().keys())[:5], list(model.state_dict().keys())[-3:])
optimizer = optim.SGD(model.parameters(), lr=3e-3)
training_loop(n_epochs=1, optimizer=optimizer, model=model, loss_fn=nn.CrossEntropyLoss(), train_loader=train_loader)
model.eval()
validate(model, train_eval_loader, val_loader)
print(model.resblocks[3].batch_norm.num_batches_tracked)

# saving and loading
data_path = tempfile.mkdtemp()
model = Net().to(device=device)
optimizer = optim.SGD(model.parameters(), lr=1e-2)
training_loop(n_epochs=1, optimizer=optimizer, model=model, loss_fn=nn.CrossEntropyLoss(), train_loader=train_loader)
torch.save(model.state_dict(), os.path.join(data_path, "birds_vs_airplanes.pt"))
loaded_model = Net().to(device=device)
print(loaded_model.load_state_dict(torch.load(os.path.join(data_path, "birds_vs_airplanes.pt"), map_location=device)))
imgs, _ = next(iter(val_loader))
print(torch.equal(model(imgs), loaded_model(imgs)))
print(all(torch.equal(a, b) for a, b in zip(model.parameters(), loaded_model.parameters())))
state = torch.load(os.path.join(data_path, "birds_vs_airplanes.pt"), map_location="cpu", weights_only=True)
print(type(state).__name__, list(state.keys()), state["fc2.bias"].device)
