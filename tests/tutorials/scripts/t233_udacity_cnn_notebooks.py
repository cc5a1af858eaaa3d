# ruff: noqa: B007, E501, E741, UP008, UP031, UP032, C408  (tutorial code, kept as the notebooks write it)
"""udacity/deep-learning-v2-pytorch convolutional-neural-networks: mnist-mlp with validation
(SubsetRandomSampler split, train_loss += loss.item()*data.size(0), 'Validation loss decreased
(...).  Saving model ...', per-class test accuracy that indexes Python lists with 0-d tensors and
takes np.squeeze of a bool tensor), cifar-cnn (three conv+pool blocks, x.view(-1, 64 * 4 * 4),
dropout, model_cifar.pt, np.squeeze(correct_tensor.numpy()), unnormalised images through
np.transpose) and conv-visualization (a Conv2d whose weight is replaced by an nn.Parameter made
from four numpy edge filters, conv / relu / maxpool layers returned and viewed through
layer[0, i].data.numpy()). Adapted: seeded MNIST- and CIFAR-shaped stand-ins, a few batches per
epoch, no plots (the arrays a plot would show are summarised)."""
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data.sampler import SubsetRandomSampler

ckpt_dir = tempfile.mkdtemp()


class ToTensorNormalized:
    # transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    def __init__(self, normalize):
        self.normalize = normalize

    def __call__(self, pic):
        x = pic.float().div(255)
        x = x.unsqueeze(0) if x.dim() == 2 else x.permute(2, 0, 1)
        return (x - 0.5) / 0.5 if self.normalize else x


class StandIn(torch.utils.data.Dataset):
    def __init__(self, n, shape, seed, transform):
        g = torch.Generator().manual_seed(seed)
        self.targets = torch.randint(0, 10, (n,), generator=g).tolist()
        noise = torch.rand(n, *shape, generator=g) * 90
        cols = (torch.arange(shape[1]).view(1, 1, -1) // 3 == torch.tensor(self.targets).view(-1, 1, 1)).float() * 150
        if len(shape) == 3:
            cols = cols.unsqueeze(-1)
        self.data = (noise + cols).to(torch.uint8).numpy()
        self.transform = transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img, target = torch.from_numpy(self.data[index]), self.targets[index]
        return self.transform(img), target


# ---------------------------------------------------------------- mnist-mlp with validation

num_workers = 0
batch_size = 20
valid_size = 0.2

transform = ToTensorNormalized(normalize=False)
train_data = StandIn(100, (28, 28), 1, transform)
test_data = StandIn(40, (28, 28), 2, transform)

np.random.seed(0)
torch.manual_seed(0)
num_train = len(train_data)
indices = list(range(num_train))
np.random.shuffle(indices)
split = int(np.floor(valid_size * num_train))
train_idx, valid_idx = indices[split:], indices[:split]

train_sampler = SubsetRandomSampler(train_idx)
valid_sampler = SubsetRandomSampler(valid_idx)

train_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size,
                                           sampler=train_sampler, num_workers=num_workers)
valid_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size,
                                           sampler=valid_sampler, num_workers=num_workers)
test_loader = torch.utils.data.DataLoader(test_data, batch_size=batch_size,
                                          num_workers=num_workers)
print(len(train_sampler), len(valid_sampler), len(train_loader), len(valid_loader))

dataiter = iter(train_loader)
images, labels = next(dataiter)
images = images.numpy()
print(images.shape, images.dtype, [labels[idx].item() for idx in np.arange(5)])
img = np.squeeze(images[1])
print(img.shape, round(float(img.max()), 4))


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        hidden_1 = 512
        hidden_2 = 512
        self.fc1 = nn.Linear(28 * 28, hidden_1)
        self.fc2 = nn.Linear(hidden_1, hidden_2)
        self.fc3 = nn.Linear(hidden_2, 10)
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        # flatten image input
        x = x.view(-1, 28 * 28)
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        x = F.relu(self.fc2(x))
        x = self.dropout(x)
        x = self.fc3(x)
        return x


model = Net()
print(model)

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

n_epochs = 2
valid_loss_min = np.inf

for epoch in range(n_epochs):
    train_loss = 0.0
    valid_loss = 0.0

    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        output = model(data)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()*data.size(0)

    model.eval()
    for data, target in valid_loader:
        output = model(data)
        loss = criterion(output, target)
        valid_loss += loss.item()*data.size(0)

    train_loss = train_loss/len(train_loader.sampler)
    valid_loss = valid_loss/len(valid_loader.sampler)

    print('Epoch: {} \tTraining Loss: {:.4f} \tValidation Loss: {:.4f}'.format(
        epoch+1,
        train_loss,
        valid_loss
        ))

    if valid_loss <= valid_loss_min:
        print('Validation loss decreased ({:.4f} --> {:.4f}).  Saving model ...'.format(
        valid_loss_min,
        valid_loss))
        torch.save(model.state_dict(), os.path.join(ckpt_dir, 'model.pt'))
        valid_loss_min = valid_loss

model.load_state_dict(torch.load(os.path.join(ckpt_dir, 'model.pt')))

test_loss = 0.0
class_correct = list(0. for i in range(10))
class_total = list(0. for i in range(10))

model.eval()

for data, target in test_loader:
    output = model(data)
    loss = criterion(output, target)
    test_loss += loss.item()*data.size(0)
    _, pred = torch.max(output, 1)
    correct = np.squeeze(pred.eq(target.data.view_as(pred)))
    for i in range(batch_size):
        label = target.data[i]
        class_correct[label] += correct[i].item()
        class_total[label] += 1

test_loss = test_loss/len(test_loader.sampler)
print('Test Loss: {:.4f}\n'.format(test_loss))
print(type(correct).__name__, correct.dtype, type(class_correct[0]).__name__)

for i in range(10):
    if class_total[i] > 0:
        print('Test Accuracy of %5s: %2d%% (%2d/%2d)' % (
            str(i), 100 * class_correct[i] / class_total[i],
            np.sum(class_correct[i]), np.sum(class_total[i])))
    else:
        print('Test Accuracy of %5s: N/A (no training examples)' % (str(i)))

print('\nTest Accuracy (Overall): %2d%% (%2d/%2d)' % (
    100. * np.sum(class_correct) / np.sum(class_total),
    np.sum(class_correct), np.sum(class_total)))

dataiter = iter(test_loader)
images, labels = next(dataiter)
output = model(images)
_, preds = torch.max(output, 1)
images = images.numpy()
print(str(preds[0].item()), str(labels[0].item()), preds[:6] == labels[:6])

# ---------------------------------------------------------------- cifar-cnn

train_on_gpu = torch.cuda.is_available()
if not train_on_gpu:
    print('CUDA is not available.  Training on CPU ...')
else:
    print('CUDA is available!  Training on GPU ...')

batch_size = 16
transform = ToTensorNormalized(normalize=True)
train_data = StandIn(80, (32, 32, 3), 3, transform)
test_data = StandIn(32, (32, 32, 3), 4, transform)

num_train = len(train_data)
indices = list(range(num_train))
np.random.shuffle(indices)
split = int(np.floor(valid_size * num_train))
train_idx, valid_idx = indices[split:], indices[:split]
train_sampler = SubsetRandomSampler(train_idx)
valid_sampler = SubsetRandomSampler(valid_idx)
train_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size,
    sampler=train_sampler, num_workers=num_workers)
valid_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size,
    sampler=valid_sampler, num_workers=num_workers)
test_loader = torch.utils.data.DataLoader(test_data, batch_size=batch_size,
    num_workers=num_workers)

classes = ['airplane', 'automobile', 'bird', 'cat', 'deer',
           'dog', 'frog', 'horse', 'ship', 'truck']


def imshow(img):
    img = img / 2 + 0.5  # unnormalize
    return np.transpose(img, (1, 2, 0))  # convert from Tensor image


dataiter = iter(train_loader)
images, labels = next(dataiter)
images = images.numpy()
shown = imshow(images[0])
print(shown.shape, round(float(shown.min()), 4), round(float(shown.max()), 4), classes[labels[0]])
rgb_img = np.squeeze(images[3])
channels = ['red channel', 'green channel', 'blue channel']
print([(channels[idx], rgb_img[idx].shape, round(float(rgb_img[idx][5, 7]), 4)) for idx in np.arange(rgb_img.shape[0])])


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        # convolutional layer (sees 32x32x3 image tensor)
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        # convolutional layer (sees 16x16x16 tensor)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        # convolutional layer (sees 8x8x32 tensor)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        # max pooling layer
        self.pool = nn.MaxPool2d(2, 2)
        # linear layer (64 * 4 * 4 -> 500)
        self.fc1 = nn.Linear(64 * 4 * 4, 500)
        # linear layer (500 -> 10)
        self.fc2 = nn.Linear(500, 10)
        # dropout layer (p=0.25)
        self.dropout = nn.Dropout(0.25)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = self.pool(F.relu(self.conv3(x)))
        x = x.view(-1, 64 * 4 * 4)
        x = self.dropout(x)
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        x = self.fc2(x)
        return x


model = Net()
print(model)

if train_on_gpu:
    model.cuda()

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

n_epochs = 2
valid_loss_min = np.inf

for epoch in range(1, n_epochs+1):
    train_loss = 0.0
    valid_loss = 0.0

    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        if train_on_gpu:
            data, target = data.cuda(), target.cuda()
        optimizer.zero_grad()
        output = model(data)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()*data.size(0)

    model.eval()
    for batch_idx, (data, target) in enumerate(valid_loader):
        if train_on_gpu:
            data, target = data.cuda(), target.cuda()
        output = model(data)
        loss = criterion(output, target)
        valid_loss += loss.item()*data.size(0)

    train_loss = train_loss/len(train_loader.sampler)
    valid_loss = valid_loss/len(valid_loader.sampler)

    print('Epoch: {} \tTraining Loss: {:.4f} \tValidation Loss: {:.4f}'.format(
        epoch, train_loss, valid_loss))

    if valid_loss <= valid_loss_min:
        print('Validation loss decreased ({:.4f} --> {:.4f}).  Saving model ...'.format(
        valid_loss_min,
        valid_loss))
        torch.save(model.state_dict(), os.path.join(ckpt_dir, 'model_cifar.pt'))
        valid_loss_min = valid_loss

model.load_state_dict(torch.load(os.path.join(ckpt_dir, 'model_cifar.pt')))

test_loss = 0.0
class_correct = list(0. for i in range(10))
class_total = list(0. for i in range(10))

model.eval()
for batch_idx, (data, target) in enumerate(test_loader):
    if train_on_gpu:
        data, target = data.cuda(), target.cuda()
    output = model(data)
    loss = criterion(output, target)
    test_loss += loss.item()*data.size(0)
    _, pred = torch.max(output, 1)
    correct_tensor = pred.eq(target.data.view_as(pred))
    correct = np.squeeze(correct_tensor.numpy()) if not train_on_gpu else np.squeeze(correct_tensor.cpu().numpy())
    for i in range(batch_size):
        label = target.data[i]
        class_correct[label] += correct[i].item()
        class_total[label] += 1

test_loss = test_loss/len(test_loader.dataset)
print('Test Loss: {:.4f}\n'.format(test_loss))

for i in range(10):
    if class_total[i] > 0:
        print('Test Accuracy of %5s: %2d%% (%2d/%2d)' % (
            classes[i], 100 * class_correct[i] / class_total[i],
            np.sum(class_correct[i]), np.sum(class_total[i])))
    else:
        print('Test Accuracy of %5s: N/A (no training examples)' % (classes[i]))

print('\nTest Accuracy (Overall): %2d%% (%2d/%2d)' % (
    100. * np.sum(class_correct) / np.sum(class_total),
    np.sum(class_correct), np.sum(class_total)))

dataiter = iter(test_loader)
images, labels = next(dataiter)
images.numpy()
if train_on_gpu:
    images = images.cuda()
output = model(images)
_, preds_tensor = torch.max(output, 1)
preds = np.squeeze(preds_tensor.numpy()) if not train_on_gpu else np.squeeze(preds_tensor.cpu().numpy())
print(["{} ({})".format(classes[preds[idx]], classes[labels[idx]]) for idx in np.arange(4)])

# ---------------------------------------------------------------- conv-visualization

gray_img = np.random.RandomState(5).rand(24, 28).astype('float32')
gray_img[:, 10:14] += 1.0
gray_img /= 2.0

filter_vals = np.array([[-1, -1, 1, 1], [-1, -1, 1, 1], [-1, -1, 1, 1], [-1, -1, 1, 1]])
print('Filter shape: ', filter_vals.shape)

filter_1 = filter_vals
filter_2 = -filter_1
filter_3 = filter_1.T
filter_4 = -filter_3
filters = np.array([filter_1, filter_2, filter_3, filter_4])
print('Filter 1: \n', filter_1)


class Net(nn.Module):

    def __init__(self, weight):
        super(Net, self).__init__()
        # initializes the weights of the convolutional layer to be the weights of the 4 defined filters
        k_height, k_width = weight.shape[2:]
        # assumes there are 4 grayscale filters
        self.conv = nn.Conv2d(1, 4, kernel_size=(k_height, k_width), bias=False)
        self.conv.weight = torch.nn.Parameter(weight)
        # define a pooling layer
        self.pool = nn.MaxPool2d(2, 2)

    def forward(self, x):
        # calculates the output of a convolutional layer
        # pre- and post-activation
        conv_x = self.conv(x)
        activated_x = F.relu(conv_x)

        # applies pooling layer
        pooled_x = self.pool(activated_x)

        # returns all layers
        return conv_x, activated_x, pooled_x


weight = torch.from_numpy(filters).unsqueeze(1).type(torch.FloatTensor)
model = Net(weight)
print(model)
print(weight.dtype, weight.shape, model.conv.weight.requires_grad)


def viz_layer(layer, n_filters=4):
    return [np.squeeze(layer[0, i].data.numpy()) for i in range(n_filters)]


gray_img_tensor = torch.from_numpy(gray_img).unsqueeze(0).unsqueeze(1)
conv_layer, activated_layer, pooled_layer = model(gray_img_tensor)
for name, layer in [('conv', conv_layer), ('relu', activated_layer), ('pool', pooled_layer)]:
    maps = viz_layer(layer)
    print(name, layer.shape, maps[0].shape, [round(float(m.max()), 3) for m in maps], [round(float(m.min()), 3) for m in maps])
print(conv_layer.grad_fn.name(), activated_layer.grad_fn.name(), pooled_layer.grad_fn.name())
