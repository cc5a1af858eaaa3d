# ruff: noqa: B007, E402, E731, F841, UP008, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book (深度学习框架PyTorch：入门与实践) chapters 2-3: Tensor basics, storage and
strides, numpy sharing, autograd with Variable-era idioms, grad_fn.next_functions and a custom
Function; uninitialised tensors print their shape only, and the plots print numbers instead."""
import numpy as np
import torch as t
from torch.autograd import Function

t.manual_seed(1000)

# ---- 2.2.1 Tensor ----
x = t.Tensor(5, 3)  # uninitialised: only its size is shown
print(x.size(), x.shape, x.size()[1], x.size(1))
x = t.Tensor([[1, 2], [3, 4]])
print(x)
x = t.rand(5, 3)
y = t.rand(5, 3)
print(x + y)
print(t.add(x, y))
result = t.Tensor(5, 3)
t.add(x, y, out=result)
print(result)
print('最初y')
print(y)
print('第一种加法，y的结果')
y.add(x)
print(y)
print('第二种加法，y的结果')
y.add_(x)
print(y)
print(x[:, 1])

a = t.ones(5)
print(a)
b = a.numpy()
print(b)
a = np.ones(5)
b = t.from_numpy(a)
print(a)
print(b)
b.add_(1)  # 以`_`结尾的函数会修改自身
print(a)
print(b)  # Tensor和numpy对象共享内存

scalar = b[0]
print(scalar, scalar.size(), scalar.item())
tensor = t.tensor([2])
print(tensor, scalar)
print(tensor.size(), scalar.size())
print(tensor.item(), scalar.item())
tensor = t.tensor([3, 4])
old_tensor = tensor
new_tensor = old_tensor.clone()
new_tensor[0] = 1111
print(old_tensor, new_tensor)
new_tensor = old_tensor.detach()
new_tensor[0] = 1111
print(old_tensor, new_tensor)

# ---- 3.1 创建与类型 ----
a = t.Tensor(2, 3)
print(a.shape, a.dtype)
b = t.Tensor([[1, 2, 3], [4, 5, 6]])
print(b)
print(b.tolist())
b_size = b.size()
print(b_size)
print(b.numel(), b.nelement())
c = t.Tensor(b_size)
d = t.Tensor((2, 3))
print(c.shape, d)
print(c.shape)
print(t.Tensor())
print(t.tensor(()))
print(t.tensor([2, 3]).type(), t.Tensor([2, 3]).type())
print(t.ones(2, 3))
print(t.zeros(2, 3))
print(t.arange(1, 6, 2))
print(t.linspace(1, 10, 3))
print(t.randn(2, 3))
print(t.randperm(5))
print(t.eye(2, 3, dtype=t.int))
a = t.tensor((), dtype=t.int32)
print(a.new_ones((2, 3)))
scalar = t.tensor(3.14159)
print('scalar: %s, shape of sclar: %s' % (scalar, scalar.shape))
vector = t.tensor([1, 2])
print('vector: %s, shape of vector: %s' % (vector, vector.shape))
tensor = t.Tensor(1, 2)
print(tensor.shape)
matrix = t.tensor([[0.1, 1.2], [2.2, 3.1], [4.9, 5.2]])
print(matrix, matrix.shape)
print(t.tensor([[0.11111, 0.222222, 0.3333333]], dtype=t.float64, device=t.device('cpu')))
empty_tensor = t.tensor([])
print(empty_tensor.shape)

# view / squeeze / unsqueeze / resize_
a = t.arange(0, 6)
print(a.view(2, 3))
b = a.view(-1, 3)
print(b.shape)
print(b.unsqueeze(1))
print(b.unsqueeze(-2).shape)
c = b.view(1, 1, 1, 2, 3)
print(c.squeeze(0).shape)
print(c.squeeze().shape)
a[1] = 100
print(b)
b.resize_(1, 3)
print(b)
b.resize_(3, 3)
print(b[:2])  # the new row holds uninitialised memory

# 索引
a = t.randn(3, 4)
print(a)
print(a[0])
print(a[:, 0])
print(a[0][2])
print(a[0, -1])
print(a[:2])
print(a[:2, 0:2])
print(a[0:1, :2])
print(a[0, :2])
print(a[None].shape)
print(a[:, None, :, None, None].shape)
print(a > 1)
print(a[a > 1])
print(a[t.LongTensor([0, 1])])
a = t.arange(0, 16).view(4, 4)
index = t.LongTensor([[0, 1, 2, 3]])
print(a.gather(0, index))
index = t.LongTensor([[3, 2, 1, 0]]).t()
print(a.gather(1, index))
index = t.LongTensor([[0, 1, 2, 3], [3, 2, 1, 0]]).t()
b = a.gather(1, index)
print(b)
c = t.zeros(4, 4).long()
print(c.scatter_(1, index, b))
print(a[0, 0], a[0, 0].item())
d = a[0:1, 0:1, None]
print(d.shape, d.item())
x = t.arange(0, 27).view(3, 3, 3)
print(x[[1, 2], [1, 2], [2, 0]])
print(x[[2, 1, 0], [0], [1]])
print(x[[0, 2], ...])

# 类型
t.set_default_tensor_type('torch.DoubleTensor')
a = t.Tensor(2, 3)
print(a.dtype)
c = a.float()
print(c.dtype)
t.set_default_tensor_type('torch.FloatTensor')
d = a.type_as(c)
print(d.dtype)
print(a.new(2, 3).shape, a.new(2, 3).dtype)
print(t.zeros_like(a))
print(t.zeros_like(a, dtype=t.int16))
print(t.rand_like(a).shape)
print(a.new_ones(4, 5, dtype=t.int))
print(a.new_tensor([3, 4]))

# 逐元素 / 归并 / 比较
a = t.arange(0, 6).view(2, 3).float()
print(t.cos(a))
print(a % 3)
print(a ** 2)
print(t.clamp(a, min=3))
b = a.sin_()
print(a)
b = t.ones(2, 3)
print(b.sum(dim=0, keepdim=True))
print(b.sum(dim=0, keepdim=False))
print(b.sum(dim=1))
a = t.arange(0, 6).view(2, 3)
print(a)
print(a.cumsum(dim=1))
a = t.linspace(0, 15, 6).view(2, 3)
b = t.linspace(15, 0, 6).view(2, 3)
print(a > b)
print(a[a > b])
print(t.max(a))
print(t.max(b, dim=1))
print(t.max(a, b))
print(t.clamp(a, min=10))
b = a.t()
print(b.is_contiguous())
print(b.contiguous().is_contiguous())

# 线性代数
a = t.arange(6).float().view(2, 3)
print(a.mm(a.t()), t.dot(a[0], a[1]), a.t().mm(a).trace())

# 广播
a = t.ones(3, 2)
b = t.zeros(2, 3, 1)
print(a + b)
print(a.unsqueeze(0).expand(2, 3, 2) + b.expand(2, 3, 2))
e = a.unsqueeze(0).expand(100, 3, 2)
print(e.shape)

# 内部结构：storage / offset / stride
a = t.arange(0, 6)
print(a.storage())
b = a.view(2, 3)
print(b.storage())
# (the book compares id() of two temporary storages: equal only when CPython reuses the address)
print(b.storage().data_ptr() == a.storage().data_ptr())
a[1] = 100
print(b)
c = a[2:]
print(c.storage())
print(c.data_ptr() - a.data_ptr())
c[0] = -100
print(a)
d = t.LongTensor(c.storage())
d[0] = 6666
print(b)
print(a.storage_offset(), c.storage_offset(), d.storage_offset())
e = b[::2, ::2]
print(e, b.stride(), e.is_contiguous())
e2 = t.arange(12).view(3, 4)[::2, ::2]
print(e2, e2.stride(), e2.storage_offset(), e2.is_contiguous())
print(a.untyped_storage().nbytes(), a.element_size(), a.stride(), a.t().stride() if a.dim() == 2 else a.stride())
f = t.arange(24).view(2, 3, 4)
print(f.stride(), f.permute(2, 0, 1).stride(), f.transpose(0, 1).is_contiguous(), f[:, 1].stride())
print(f.expand(5, 2, 3, 4).stride() if False else f.unsqueeze(0).expand(5, 2, 3, 4).stride())

# 3.1.5 线性回归（手动梯度）
t.manual_seed(1000)


def get_fake_data(batch_size=8):
    x = t.rand(batch_size, 1) * 5
    y = x * 2 + 3 + t.randn(batch_size, 1)
    return x, y


w = t.rand(1, 1)
b = t.zeros(1, 1)
lr = 0.02
for ii in range(300):
    x, y = get_fake_data(batch_size=4)
    y_pred = x.mm(w) + b.expand_as(y)
    loss = 0.5 * (y_pred - y) ** 2
    loss = loss.mean()
    dloss = 1
    dy_pred = dloss * (y_pred - y)
    dw = x.t().mm(dy_pred)
    db = dy_pred.sum()
    w.sub_(lr * dw)
    b.sub_(lr * db)
    if ii % 100 == 0:
        x = t.arange(0, 6).float().view(-1, 1)
        y = x.mm(w) + b.expand_as(x)
        print(ii, [round(v, 4) for v in y.view(-1).tolist()])
print('w: %.4f, b: %.4f' % (w.item(), b.item()))

# ---- 3.2 autograd ----
a = t.randn(3, 4, requires_grad=True)
b = t.zeros(3, 4).requires_grad_()
c = a.add(b)
d = c.sum()
d.backward()
print(d, d.requires_grad)
print(a.grad)
print(a.requires_grad, b.requires_grad, c.requires_grad)
print(a.is_leaf, b.is_leaf, c.is_leaf)
print(c.grad is None)


def f(x):
    y = x ** 2 * t.exp(x)
    return y


def gradf(x):
    dx = 2 * x * t.exp(x) + x ** 2 * t.exp(x)
    return dx


x = t.randn(3, 4, requires_grad=True)
y = f(x)
print(y)
y.backward(t.ones(y.size()))
print(x.grad)
print(gradf(x))

x = t.ones(1)
b = t.rand(1, requires_grad=True)
w = t.rand(1, requires_grad=True)
y = w * x
z = y + b
print(x.requires_grad, b.requires_grad, w.requires_grad)
print(y.requires_grad)
print(x.is_leaf, w.is_leaf, b.is_leaf)
print(y.is_leaf, z.is_leaf)
print(type(z.grad_fn).__name__, z.grad_fn.name())
print(z.grad_fn.next_functions)
print(z.grad_fn.next_functions[0][0] == y.grad_fn)
print(y.grad_fn.next_functions)
print(w.grad_fn, x.grad_fn)
z.backward(retain_graph=True)
print(w.grad)
z.backward()
print(w.grad)


def abs_(x):
    if x.data[0] > 0:
        return x
    else:
        return -x


x = t.ones(1, requires_grad=True)
y = abs_(x)
y.backward()
print(x.grad)
x = -1 * t.ones(1)
x = x.requires_grad_()
y = abs_(x)
y.backward()
print(x.grad)


def f2(x):
    result = 1
    for ii in x:
        if ii.item() > 0:
            result = ii * result
    return result


x = t.arange(-2, 4, dtype=t.float32).requires_grad_()
y = f2(x)
y.backward()
print(x.grad)

x = t.ones(1, requires_grad=True)
w = t.rand(1, requires_grad=True)
y = x * w
print(x.requires_grad, w.requires_grad, y.requires_grad)
with t.no_grad():
    x = t.ones(1)
    w = t.rand(1, requires_grad=True)
    y = x * w
print(x.requires_grad, w.requires_grad, y.requires_grad)
t.set_grad_enabled(False)
x = t.ones(1)
w = t.rand(1, requires_grad=True)
y = x * w
print(x.requires_grad, w.requires_grad, y.requires_grad)
t.set_grad_enabled(True)

a = t.ones(3, 4, requires_grad=True)
b = t.ones(3, 4, requires_grad=True)
c = a * b
print(a.data)
print(a.data.requires_grad)
d = a.data.sigmoid_()
print(d.requires_grad)
print(a)
tensor = a.detach()
print(tensor.requires_grad)
mean = tensor.mean()
std = tensor.std()
maximum = tensor.max()
print(mean, std, maximum)
tensor[0] = 1
print(a)

# hook / autograd.grad for non-leaf grads
x = t.ones(3, requires_grad=True)
w = t.rand(3, requires_grad=True)
y = x * w
z = y.sum()
print(y.is_leaf)
z.backward()
print(x.grad, w.grad, y.grad)
x = t.ones(3, requires_grad=True)
w = t.rand(3, requires_grad=True)
y = x * w
z = y.sum()
print(t.autograd.grad(z, y))


def variable_hook(grad):
    print('y的梯度：', grad)


x = t.ones(3, requires_grad=True)
w = t.rand(3, requires_grad=True)
y = x * w
hook_handle = y.register_hook(variable_hook)
z = y.sum()
z.backward()
hook_handle.remove()

x = t.arange(0, 3, dtype=t.float32, requires_grad=True)
y = x ** 2 + x * 2
z = y.sum()
z.backward()
print(x.grad)
x = t.arange(0, 3, dtype=t.float32, requires_grad=True)
y = x ** 2 + x * 2
z = y.sum()
y_gradient = t.Tensor([1, 1, 1])
y.backward(y_gradient)
print(x.grad)


# 3.2.3 扩展autograd：Function
class MultiplyAdd(Function):

    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x)
        output = w * x + b
        return output

    @staticmethod
    def backward(ctx, grad_output):
        w, x = ctx.saved_tensors
        grad_w = grad_output * x
        grad_x = grad_output * w
        grad_b = grad_output * 1
        return grad_w, grad_x, grad_b


x = t.ones(1)
w = t.rand(1, requires_grad=True)
b = t.rand(1, requires_grad=True)
z = MultiplyAdd.apply(w, x, b)
z.backward()
print(x.grad, w.grad, b.grad)
x = t.ones(1)
w = t.rand(1, requires_grad=True)
b = t.rand(1, requires_grad=True)
z = MultiplyAdd.apply(w, x, b)
print(type(z.grad_fn).__name__)
print(z.grad_fn.apply(t.ones(1)))


class Sigmoid(Function):

    @staticmethod
    def forward(ctx, x):
        output = 1 / (1 + t.exp(-x))
        ctx.save_for_backward(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        output, = ctx.saved_tensors
        grad_x = output * (1 - output) * grad_output
        return grad_x


test_input = t.randn(3, 4, requires_grad=True).double()
print(t.autograd.gradcheck(Sigmoid.apply, (test_input,), eps=1e-3))

x = t.tensor([5.], requires_grad=True)
y = x ** 2
grad_x = t.autograd.grad(y, x, create_graph=True)
print(grad_x)
grad_grad_x = t.autograd.grad(grad_x[0], x)
print(grad_grad_x)

# 3.2.4 线性回归 with autograd
t.manual_seed(1000)
w = t.rand(1, 1, requires_grad=True)
b = t.zeros(1, 1, requires_grad=True)
losses = np.zeros(300)
lr = 0.005
for ii in range(300):
    x, y = get_fake_data(batch_size=32)
    y_pred = x.mm(w) + b.expand_as(y)
    loss = 0.5 * (y_pred - y) ** 2
    loss = loss.sum()
    losses[ii] = loss.item()
    loss.backward()
    w.data.sub_(lr * w.grad.data)
    b.data.sub_(lr * b.grad.data)
    w.grad.data.zero_()
    b.grad.data.zero_()
print('w: %.4f b: %.4f' % (w.item(), b.item()))
print(np.round(losses[::50], 2))
