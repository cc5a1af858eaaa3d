# ruff: noqa: UP031 (the book's printing style, kept)
# "Deep Learning with PyTorch", chapter 7 (telling birds from airplanes), on in-script CIFAR-shaped
# data in place of torchvision's CIFAR-10: per-channel statistics with torch.stack, a hand-written
# softmax and nn.Softmax, the fully connected model with LogSoftmax + NLLLoss, then with
# CrossEntropyLoss, mini-batches from a shuffling DataLoader, validation accuracy, and counting
# parameters with numel in list comprehensions.
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(123)
# float32 losses print to 3 decimals (PyTorch's vectorised sums depend on the CPU's instruction set)
torch.set_printoptions(precision=3)

class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def make_cifar_like(n):
    """(img, label) pairs shaped as ToTensor() gives them: 3x32x32 floats in [0, 1]; planes are bluer
    and brighter at the top, birds greener."""
    labels = torch.randint(0, 10, (n,))
    imgs = torch.rand(n, 3, 32, 32) * 0.6
    rows = torch.linspace(1.0, 0.0, 32).view(32, 1)
    for i in range(n):
        if labels[i] == 0:
            imgs[i, 2] += 0.06 * rows
        elif labels[i] == 2:
            imgs[i, 1] += 0.03
    return [(img, int(label)) for img, label in zip(imgs.clamp(0, 1), labels)]


cifar10 = make_cifar_like(600)
cifar10_val = make_cifar_like(200)
print(len(cifar10), type(cifar10[0][0]).__name__, cifar10[0][0].shape, cifar10[0][0].dtype)
img_t, label = cifar10[99]
print(img_t.shape, img_t.dtype, label, class_names[label])
print(img_t.min(), img_t.max())
print(img_t.permute(1, 2, 0).shape)

imgs = torch.stack([img_t for img_t, _ in cifar10], dim=3)
print(imgs.shape)
mean = imgs.view(3, -1).mean(dim=1)
std = imgs.view(3, -1).std(dim=1)
print(mean, std)


def normalize(img):  # transforms.Normalize(mean, std)
    return (img - mean.view(3, 1, 1)) / std.view(3, 1, 1)


transformed_cifar10 = [(normalize(img), label) for img, label in cifar10]
img_t, _ = transformed_cifar10[99]
print(img_t.view(3, -1).mean(1).shape)

label_map = {0: 0, 2: 1}
class_names = ["airplane", "bird"]
cifar2 = [(normalize(img), label_map[label]) for img, label in cifar10 if label in [0, 2]]
cifar2_val = [(normalize(img), label_map[label]) for img, label in cifar10_val if label in [0, 2]]
print(len(cifar2), len(cifar2_val), sum(label for _, label in cifar2))

n_out = 2
model = nn.Sequential(nn.Linear(3072, 512), nn.Tanh(), nn.Linear(512, n_out))


def softmax(x):
    return torch.exp(x) / torch.exp(x).sum()


x = torch.tensor([1.0, 2.0, 3.0])
print(softmax(x))
print(softmax(x).sum())

softmax = nn.Softmax(dim=1)
x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
print(softmax(x))

model = nn.Sequential(nn.Linear(3072, 512), nn.Tanh(), nn.Linear(512, 2), nn.Softmax(dim=1))
img, _ = cifar2[0]
img_batch = img.view(-1).unsqueeze(0)
print(img_batch.shape)
out = model(img_batch)
print(out, out.sum().item() > 0.999)
_, index = torch.max(out, dim=1)
print(index)

model = nn.Sequential(nn.Linear(3072, 512), nn.Tanh(), nn.Linear(512, 2), nn.LogSoftmax(dim=1))
loss = nn.NLLLoss()
img, label = cifar2[0]
out = model(img.view(-1).unsqueeze(0))
print(loss(out, torch.tensor([label])))

# one sample at a time, as the chapter starts
learning_rate = 1e-2
optimizer = optim.SGD(model.parameters(), lr=learning_rate)
loss_fn = nn.NLLLoss()
n_epochs = 2
for epoch in range(n_epochs):
    for img, label in cifar2[:60]:
        out = model(img.view(-1).unsqueeze(0))
        loss = loss_fn(out, torch.tensor([label]))

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print("Epoch: %d, Loss: %.3f" % (epoch, float(loss)))

# mini-batches
train_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True)
imgs, labels = next(iter(train_loader))
print(imgs.shape, labels.shape, labels.dtype, labels[:8])

model = nn.Sequential(nn.Linear(3072, 128), nn.Tanh(), nn.Linear(128, 2), nn.LogSoftmax(dim=1))
optimizer = optim.SGD(model.parameters(), lr=learning_rate)
loss_fn = nn.NLLLoss()
n_epochs = 5
for epoch in range(n_epochs):
    for imgs, labels in train_loader:
        batch_size = imgs.shape[0]
        outputs = model(imgs.view(batch_size, -1))
        loss = loss_fn(outputs, labels)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print("Epoch: %d, Loss: %.3f" % (epoch, float(loss)))


def accuracy(model, loader):
    correct = 0
    total = 0
    with torch.no_grad():
        for imgs, labels in loader:
            batch_size = imgs.shape[0]
            outputs = model(imgs.view(batch_size, -1))
            _, predicted = torch.max(outputs, dim=1)
            total += labels.shape[0]
            correct += int((predicted == labels).sum())
    return correct / total


train_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=False)
val_loader = torch.utils.data.DataLoader(cifar2_val, batch_size=64, shuffle=False)
print("Accuracy: %f" % accuracy(model, train_loader))
print("Accuracy: %f" % accuracy(model, val_loader))

# CrossEntropyLoss on the raw scores: the same model without the LogSoftmax
train_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True)
model = nn.Sequential(
    nn.Linear(3072, 1024), nn.Tanh(), nn.Linear(1024, 512), nn.Tanh(), nn.Linear(512, 128), nn.Tanh(),
    nn.Linear(128, 2),
)
optimizer = optim.SGD(model.parameters(), lr=learning_rate)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(3):
    for imgs, labels in train_loader:
        outputs = model(imgs.view(imgs.shape[0], -1))
        loss = loss_fn(outputs, labels)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print("Epoch: %d, Loss: %.3f" % (epoch, float(loss)))
val_loader = torch.utils.data.DataLoader(cifar2_val, batch_size=64, shuffle=False)
print("Accuracy: %f" % accuracy(model, val_loader))

outputs = model(imgs.view(imgs.shape[0], -1))
print(torch.allclose(nn.CrossEntropyLoss()(outputs, labels), nn.NLLLoss()(nn.LogSoftmax(dim=1)(outputs), labels)))

numel_list = [p.numel() for p in model.parameters() if p.requires_grad]
print(sum(numel_list), numel_list)

first_model = nn.Sequential(nn.Linear(3072, 512), nn.Tanh(), nn.Linear(512, 2), nn.LogSoftmax(dim=1))
numel_list = [p.numel() for p in first_model.parameters()]
print(sum(numel_list), numel_list)

linear = nn.Linear(3072, 1024)
print(linear.weight.shape, linear.bias.shape)
conv = nn.Conv2d(3, 16, kernel_size=3)
print(conv, conv.weight.shape, conv.bias.shape)
print(sum(p.numel() for p in conv.parameters()))
