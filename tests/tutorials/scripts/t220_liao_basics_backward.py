# ruff: noqa: E501, UP008, UP031, UP032, E231, E203, I001  (tutorial code, kept as upstream writes it)
"""L1aoXingyu/pytorch-beginner 00-Pytorch Basics/basic.ipynb and 11-backward/backward.py (the
book 深度学习入门之PyTorch, chapter 2): torch.Tensor / torch.rand / size(), numpy round trips,
c * x, x + y, x.add(y), x.add_(y), the cuda check, Variable(..., requires_grad=True) and
backward of a scalar, the net_name module template, then backward.py: gradients of a mean,
backward of a non-scalar output built by item assignment into a zeros Variable (CopySlices), and
two jacobians collected column by column with retain_graph. Adapted: seeded; the uninitialised
torch.Tensor(5, 4) is shown by its size; `out.data[0]` (an IndexError on a 0-dim tensor since
PyTorch 0.4) is `out.data.item()`, `retain_variables=True` (removed) is `retain_graph=True`."""
import numpy as np
import torch

torch.manual_seed(0)

# ---------------------------------------------------------------- basic.ipynb
# torch 基本处理单元
t = torch.Tensor(5, 4)  # 返回的数组大小5x4的矩阵
print(t.size(), t.dtype, t.type())
print(torch.rand(5, 4))

a = torch.rand(5, 4)
print(a.size())
print(np.ones((5, 4)))

# numpy 和 torch.Tensor 之间的转换
a = torch.rand(5, 4)
b = a.numpy()
print(b)
a = np.array([[3, 4], [3, 6]])
b = torch.from_numpy(a)
print(b)

x = torch.rand(5, 4)
y = torch.rand(5, 4)
c = 3
print(c * x)
print(x + y)
print(x.add(y))
print(x.add_(y))
print(x)

# 将 torch.Tensor 放到 GPU 上
print(torch.cuda.is_available() in (True, False))
a = torch.rand(5, 4)
if torch.cuda.is_available():
    a = a.cuda()
print(a.cpu())

from torch.autograd import Variable  # noqa: E402

# requires_grad 表示是否对其求梯度，默认是False
x = Variable(torch.Tensor([3]), requires_grad=True)
y = Variable(torch.Tensor([5]), requires_grad=True)
z = 2 * x + y + 4
print(z)
z.backward()
print('dz/dx: {}'.format(x.grad.data))
print('dz/dy: {}'.format(y.grad.data))

from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402, F401


# 基本的网络构建类模板
class net_name(nn.Module):
    def __init__(self):
        super(net_name, self).__init__()
        # 可以添加各种网络层
        self.conv1 = nn.Conv2d(3, 10, 3)
        # 具体每种层的参数可以去查看文档

    def forward(self, x):
        # 定义向前传播
        out = self.conv1(x)
        return out


net = net_name()
print(net)
out = net(Variable(torch.randn(2, 3, 6, 6)))
print(out.size(), out.grad_fn.name())
print('{:.4f}'.format(out.sum().item()))

# ---------------------------------------------------------------- backward.py
import torch as t  # noqa: E402
from torch.autograd import Variable as v  # noqa: E402

# simple gradient
a = v(t.FloatTensor([2, 3]), requires_grad=True)
b = a + 3
c = b * b * 3
out = c.mean()
out.backward()
print('*'*10)
print('=====simple gradient======')
print('input')
print(a.data)
print('compute result is')
print(out.data.item())
print('input gradients are')
print(a.grad.data)

# backward on non-scalar output
m = v(t.FloatTensor([[2, 3]]), requires_grad=True)
n = v(t.zeros(1, 2))
n[0, 0] = m[0, 0] ** 2
n[0, 1] = m[0, 1] ** 3
print(n, n.is_leaf)
n.backward(t.FloatTensor([[1, 1]]))
print('*'*10)
print('=====non scalar output======')
print('input')
print(m.data)
print('input gradients are')
print(m.grad.data)

# jacobian
j = t.zeros(2 ,2)
k = v(t.zeros(1, 2))
m.grad.data.zero_()
k[0, 0] = m[0, 0] ** 2 + 3 * m[0 ,1]
k[0, 1] = m[0, 1] ** 2 + 2 * m[0, 0]
k.backward(t.FloatTensor([[1, 0]]), retain_graph=True)
j[:, 0] = m.grad.data
m.grad.data.zero_()
k.backward(t.FloatTensor([[0, 1]]))
j[:, 1] = m.grad.data
print('jacobian matrix is')
print(j)

# compute jacobian matrix
x = t.FloatTensor([2, 1]).view(1, 2)
x = v(x, requires_grad=True)
y = v(t.FloatTensor([[1, 2], [3, 4]]))

z = t.mm(x, y)
jacobian = t.zeros((2, 2))
z.backward(t.FloatTensor([[1, 0]]), retain_graph=True)  # dz1/dx1, dz2/dx1
jacobian[:, 0] = x.grad.data
x.grad.data.zero_()
z.backward(t.FloatTensor([[0, 1]]))  # dz1/dx2, dz2/dx2
jacobian[:, 1] = x.grad.data
print('=========jacobian========')
print('x')
print(x.data)
print('y')
print(y.data)
print('compute result')
print(z.data)
print('jacobian matrix is')
print(jacobian)
