# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp


def f(x):
    return x**2 * 3


def g(x, y):
    return (x * y).sum()


def h(x, y):
    return x * y, x + y


x = torch.tensor([1.0, 2.0])
y = torch.tensor([3.0, 1.5])
print(torch.autograd.functional.jacobian(f, x))
print(jacobian(g, (x, y)))
print(jacobian(h, (x, y)))
print(jacobian(f, (x,)))
print(hessian(lambda t: (t**3).sum(), x))
print(hessian(g, (x, y)))
print(vjp(f, x, torch.tensor([1.0, 0.5])))
print(jvp(f, x, torch.tensor([1.0, 0.5])))
print(hvp(lambda t: (t**3).sum(), x, torch.tensor([1.0, 1.0])))
print(vhp(g, (x, y), (torch.ones(2), torch.ones(2))))
print(jacobian(f, x).requires_grad)
