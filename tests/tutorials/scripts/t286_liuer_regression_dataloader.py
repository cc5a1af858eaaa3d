# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E741, B007, B023, F401, UP008, UP031, UP032, I001  (tutorial code, kept as the course writes it)
"""刘二大人《PyTorch深度学习实践》 (Liu Er's "PyTorch Deep Learning Practice", Bilibili) lectures 5-8,
as the course's slides and the students' repositories write them: 5 linear regression with
PyTorch (torch.Tensor data, a LinearModel around nn.Linear(1, 1), MSELoss(size_average=False),
SGD(lr=0.01), print(epoch, loss.item()), the weight and bias, y_pred of x = 4 through .data;
the homework runs the same model under Adagrad, Adam, Adamax, ASGD, LBFGS (with a closure),
RMSprop, Rprop and SGD and compares the losses), 6 logistic regression (F.sigmoid of the linear
unit, BCELoss(size_average=False), the probability over np.linspace(0, 10, 200) through
torch.Tensor(x).view((200, 1)) and y_t.data.numpy()), 7 multiple-dimension input (the diabetes
table read with np.loadtxt(..., delimiter=',', dtype=np.float32) from a .csv.gz, x_data =
torch.from_numpy(xy[:, :-1]), y_data = torch.from_numpy(xy[:, [-1]]), three Linear layers with
nn.Sigmoid, BCELoss(size_average=True), SGD(lr=0.1); the homework's ReLU variant with a sigmoid
output), 8 Dataset and DataLoader (a DiabetesDataset with __getitem__/__len__, DataLoader(
batch_size=32, shuffle=True, num_workers=2) iterated under if __name__ == '__main__' with
print(epoch, i, loss.item())).
Adapted: seeded; no plots (the plotted values are summarised); 100 epochs instead of 1000 where
the course trains longer, losses printed with 4 decimals (every 10th epoch in the homework and
in lecture 6; 3 decimals in the optimizer comparison); the diabetes file (759 rows from the course's download) is a seeded table of 64
rows of values in [-1, 1] with a 0/1 label, written with np.savetxt to a .csv.gz in a temporary
directory; 3 epochs of the DataLoader loop."""
import os
import tempfile

import numpy as np
import torch

torch.manual_seed(0)

# ================================================================ 05 用PyTorch实现线性回归
x_data = torch.Tensor([[1.0], [2.0], [3.0]])
y_data = torch.Tensor([[2.0], [4.0], [6.0]])


class LinearModel(torch.nn.Module):
    def __init__(self):
        super(LinearModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        y_pred = self.linear(x)
        return y_pred


model = LinearModel()
print(model)
criterion = torch.nn.MSELoss(size_average=False)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
print(criterion.reduction)

for epoch in range(100):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    print(epoch, '%.4f' % loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print('w = ', '%.4f' % model.linear.weight.item())
print('b = ', '%.4f' % model.linear.bias.item())

x_test = torch.Tensor([[4.0]])
y_test = model(x_test)
print('y_pred = ', y_test.data)

# 作业: 尝试不同的优化器
criterion = torch.nn.MSELoss(reduction='sum')
results = {}
for name in ['Adagrad', 'Adam', 'Adamax', 'ASGD', 'LBFGS', 'RMSprop', 'Rprop', 'SGD']:
    torch.manual_seed(0)
    model = LinearModel()
    optimizer = getattr(torch.optim, name)(model.parameters(), lr=0.01)
    loss_list = []
    for epoch in range(100):
        if name == 'LBFGS':
            def closure():
                optimizer.zero_grad()
                loss = criterion(model(x_data), y_data)
                loss.backward()
                return loss
            loss = optimizer.step(closure)
        else:
            y_pred = model(x_data)
            loss = criterion(y_pred, y_data)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        loss_list.append(loss.item())
    results[name] = loss_list
    # 3 decimals: RMSprop's sqrt and LBFGS's line search carry last-bit differences from
    # PyTorch's kernels (docs/differences.md) to the 4th decimal of a few values
    print(name, ['%.3f' % l for l in loss_list[::10]])
    print('  w =', '%.3f' % model.linear.weight.item(), 'b =', '%.3f' % model.linear.bias.item(),
          'y_pred(4) =', '%.3f' % model(torch.Tensor([[4.0]])).item())
print(optimizer)
print(sorted(results, key=lambda k: results[k][-1])[:3])

# ================================================================ 06 逻辑斯蒂回归 Logistic Regression
# import torchvision
# train_set = torchvision.datasets.MNIST(root='../dataset/mnist', train=True, download=True)
# (分类数据集的例子; 这里不下载)
import torch.nn.functional as F

x_data = torch.Tensor([[1.0], [2.0], [3.0]])
y_data = torch.Tensor([[0], [0], [1]])


class LogisticRegressionModel(torch.nn.Module):
    def __init__(self):
        super(LogisticRegressionModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        y_pred = F.sigmoid(self.linear(x))
        return y_pred


model = LogisticRegressionModel()
criterion = torch.nn.BCELoss(size_average=False)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for epoch in range(100):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 10 == 0:
        print(epoch, '%.4f' % loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(y_pred)
x = np.linspace(0, 10, 200)
x_t = torch.Tensor(x).view((200, 1))
y_t = model(x_t)
y = y_t.data.numpy()
print(y.shape, y.dtype, np.round(y[::40, 0], 4))
# plt.plot(x, y); plt.plot([0, 10], [0.5, 0.5], c='r')
print('p > 0.5 from x =', round(float(x[np.argmax(y[:, 0] > 0.5)]), 4))

# ================================================================ 07 处理多维特征的输入
tmpdir = tempfile.mkdtemp()
filepath = os.path.join(tmpdir, 'diabetes.csv.gz')
rng = np.random.RandomState(0)
features = rng.uniform(-1, 1, (64, 8))
labels = (features @ rng.uniform(-1, 1, 8) + 0.3 * rng.randn(64) > 0).astype(np.float64)
np.savetxt(filepath, np.column_stack([features, labels]), fmt='%f', delimiter=',')

xy = np.loadtxt(filepath, delimiter=',', dtype=np.float32)
x_data = torch.from_numpy(xy[:, :-1])
y_data = torch.from_numpy(xy[:, [-1]])
print(xy.shape, x_data.shape, y_data.shape, x_data.dtype)
print(x_data[:2])
print(y_data[:5].T)


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear1 = torch.nn.Linear(8, 6)
        self.linear2 = torch.nn.Linear(6, 4)
        self.linear3 = torch.nn.Linear(4, 1)
        self.sigmoid = torch.nn.Sigmoid()

    def forward(self, x):
        x = self.sigmoid(self.linear1(x))
        x = self.sigmoid(self.linear2(x))
        x = self.sigmoid(self.linear3(x))
        return x


model = Model()
print(model)
criterion = torch.nn.BCELoss(size_average=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(100):
    # Forward
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    print(epoch, '%.4f' % loss.item())
    # Backward
    optimizer.zero_grad()
    loss.backward()
    # Update
    optimizer.step()

print(model.linear1.weight.grad.shape, model.linear3.weight.data)


# 作业: 尝试不同的激活函数
class ReLUModel(torch.nn.Module):
    def __init__(self):
        super(ReLUModel, self).__init__()
        self.linear1 = torch.nn.Linear(8, 6)
        self.linear2 = torch.nn.Linear(6, 4)
        self.linear3 = torch.nn.Linear(4, 1)
        self.activate = torch.nn.ReLU()
        self.sigmoid = torch.nn.Sigmoid()

    def forward(self, x):
        x = self.activate(self.linear1(x))
        x = self.activate(self.linear2(x))
        x = self.sigmoid(self.linear3(x))
        return x


model = ReLUModel()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(100):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 10 == 9:
        acc = ((y_pred > 0.5).float() == y_data).float().mean()
        print(epoch, '%.4f' % loss.item(), 'acc = %.4f' % acc.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# ================================================================ 08 加载数据集 Dataset and DataLoader
from torch.utils.data import Dataset
from torch.utils.data import DataLoader


class DiabetesDataset(Dataset):
    def __init__(self, filepath):
        xy = np.loadtxt(filepath, delimiter=',', dtype=np.float32)
        self.len = xy.shape[0]
        self.x_data = torch.from_numpy(xy[:, :-1])
        self.y_data = torch.from_numpy(xy[:, [-1]])

    def __getitem__(self, index):
        return self.x_data[index], self.y_data[index]

    def __len__(self):
        return self.len


dataset = DiabetesDataset(filepath)
train_loader = DataLoader(dataset=dataset,
                          batch_size=32,
                          shuffle=True,
                          num_workers=2)
print(len(dataset), len(train_loader), dataset[0][0].shape, dataset[0][1])

model = Model()
criterion = torch.nn.BCELoss(reduction='mean')
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

if __name__ == '__main__':
    for epoch in range(3):
        for i, data in enumerate(train_loader, 0):
            # 1. Prepare data
            inputs, labels = data
            # 2. Forward
            y_pred = model(inputs)
            loss = criterion(y_pred, labels)
            print(epoch, i, inputs.shape, labels.shape, '%.4f' % loss.item())
            # 3. Backward
            optimizer.zero_grad()
            loss.backward()
            # 4. Update
            optimizer.step()
    print(labels.T)
