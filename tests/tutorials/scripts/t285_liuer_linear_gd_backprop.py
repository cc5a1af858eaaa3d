# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E741, B007, F401, UP008, UP031, UP032, I001  (tutorial code, kept as the course writes it)
"""刘二大人《PyTorch深度学习实践》 (Liu Er's "PyTorch Deep Learning Practice", Bilibili) lectures 2-4,
as the course's slides and the students' repositories write them: 2 linear model (y = x * w over a
grid of w, the loss by hand, MSE per w; the homework y = x * w + b over a grid of (w, b) with
np.meshgrid), 3 gradient descent (cost and gradient by hand over the whole set) and stochastic
gradient descent (one random sample per update), 4 back propagation with tensors (w =
torch.Tensor([1.0]); w.requires_grad = True, l.backward(), w.grad.item(), the update through
w.data = w.data - 0.01 * w.grad.data and w.grad.data.zero_(); the homework y = w1 x^2 + w2 x + b
with w.data -= ... and the type of w.grad, of w.grad.data and of l.item()).
Adapted: no plots (matplotlib lists are kept and summarised); the grid of w is 0.0, 0.5, ... 4.0
and the (w, b) grid 5 x 5; 20 epochs instead of 100; random.seed(0) for the SGD sample draws;
values computed with torch printed with 4 decimals."""
import random

import numpy as np
import torch

# ================================================================ 02 线性模型 Linear Model
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


def forward(x):
    return x * w


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


w_list = []
mse_list = []
for w in np.arange(0.0, 4.1, 0.5):
    print('w=', w)
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        y_pred_val = forward(x_val)
        loss_val = loss(x_val, y_val)
        l_sum += loss_val
        print('\t', x_val, y_val, y_pred_val, loss_val)
    print('MSE=', l_sum / 3)
    w_list.append(w)
    mse_list.append(l_sum / 3)

# plt.plot(w_list, mse_list)
print('best w:', w_list[int(np.argmin(mse_list))])

# 作业: y = x * w + b, 画出 cost 关于 (w, b) 的曲面
def forward(x):
    return x * W + B


W = np.arange(0.0, 4.1, 1.0)
B = np.arange(-2.0, 2.1, 1.0)
W, B = np.meshgrid(W, B)
l_sum = 0
for x_val, y_val in zip(x_data, y_data):
    y_pred_val = forward(x_val)
    loss_val = (y_pred_val - y_val) ** 2
    l_sum += loss_val
mse = l_sum / len(x_data)
print(mse.shape)
print(mse)
print('min MSE at w =', W.flat[mse.argmin()], 'b =', B.flat[mse.argmin()])

# ================================================================ 03 梯度下降 Gradient Descent
w = 1.0


def forward(x):
    return x * w


def cost(xs, ys):
    cost = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x)
        cost += (y_pred - y) ** 2
    return cost / len(xs)


def gradient(xs, ys):
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)


print('Predict (before training)', 4, forward(4))
epoch_list = []
cost_list = []
for epoch in range(20):
    cost_val = cost(x_data, y_data)
    grad_val = gradient(x_data, y_data)
    w -= 0.01 * grad_val
    print('Epoch:', epoch, 'w=', w, 'loss=', cost_val)
    epoch_list.append(epoch)
    cost_list.append(cost_val)
print('Predict (after training)', 4, forward(4))

# 随机梯度下降 Stochastic Gradient Descent
random.seed(0)
w = 1.0


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) ** 2


def gradient(x, y):
    return 2 * x * (x * w - y)


print('Predict (before training)', 4, forward(4))
for epoch in range(20):
    index = random.randint(0, 2)
    x = x_data[index]
    y = y_data[index]
    grad = gradient(x, y)
    w = w - 0.01 * grad
    print("\tgrad:", x, y, grad)
    l = loss(x, y)
    print("progress:", epoch, "w=", w, "loss=", l)
print('Predict (after training)', 4, forward(4))

# ================================================================ 04 反向传播 Back Propagation
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = torch.Tensor([1.0])
w.requires_grad = True


def forward(x):
    return x * w


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) ** 2


print("predict (before training)", 4, forward(4).item())
print(forward(4))

for epoch in range(20):
    for x, y in zip(x_data, y_data):
        l = loss(x, y)
        l.backward()
        print('\tgrad:', x, y, '%.4f' % w.grad.item())
        w.data = w.data - 0.01 * w.grad.data

        w.grad.data.zero_()

    print("progress:", epoch, '%.4f' % l.item())

print("predict (after training)", 4, '%.4f' % forward(4).item())
print(w, w.grad, w.is_leaf, w.grad_fn)
print(l.grad_fn, l.grad_fn.next_functions[0][0].next_functions)

# 作业: y_hat = w1 * x^2 + w2 * x + b
w1 = torch.tensor([1.0], requires_grad=True)
w2 = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([1.0], requires_grad=True)


def forward(x):
    return w1 * x ** 2 + w2 * x + b


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) ** 2


print('Predict (before training)', 4, forward(4).item())
for epoch in range(20):
    for x, y in zip(x_data, y_data):
        l = loss(x, y)
        l.backward()
        # 2 decimals as the students' repos print them: XLA:CPU contracts w1 * x ** 2 + w2 * x into
        # one fma (docs/differences.md), an ulp from PyTorch's product-then-sum, that the later
        # updates carry to ~3e-5 in gradients near 80
        print('\tgrad:', x, y, round(w1.grad.item(), 2), round(w2.grad.item(), 2), round(b.grad.item(), 2))
        w1.data -= 0.01 * w1.grad.data
        w2.data -= 0.01 * w2.grad.data
        b.data -= 0.01 * b.grad.data
        w1.grad.data.zero_()
        w2.grad.data.zero_()
        b.grad.data.zero_()
    print('progress:', epoch, round(l.item(), 4))
print(type(w1.grad), type(w1.grad.data), type(l.item()), l.item() == l.data.item())
print('Predict (after training)', 4, round(forward(4).item(), 4))
print('w1 =', round(w1.item(), 4), 'w2 =', round(w2.item(), 4), 'b =', round(b.item(), 4))
print(forward(4))
