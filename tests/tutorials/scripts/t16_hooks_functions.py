# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import torch
import torch.nn as nn

m = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
with torch.no_grad():
    m[0].weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
    m[0].bias.fill_(0.1)
h1 = m[0].register_forward_hook(
    lambda mod, inp, out: print("fwd", type(mod).__name__, inp[0].shape, out)
)
h2 = m[0].register_full_backward_hook(
    lambda mod, gi, go: print("bwd", [g.shape if g is not None else None for g in gi], go[0])
)
h3 = m.register_forward_pre_hook(lambda mod, inp: print("pre", len(inp)))
out = m(torch.ones(2, 3, requires_grad=True))
out.sum().backward()
print(h1)
h1.remove()
h2.remove()
h3.remove()
m(torch.ones(1, 3))


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


x = torch.tensor([-1.0, 2.0], requires_grad=True)
y = MyReLU.apply(x)
print(y, y.grad_fn.__class__.__name__)
y.sum().backward()
print(x.grad)
print(
    torch.autograd.gradcheck(
        MyReLU.apply, (torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True),)
    )
)

from torch.autograd import gradcheck

x = torch.tensor([[0.5, -1.0], [2.0, 0.3]], dtype=torch.double, requires_grad=True)
w = torch.tensor([1.5, -0.5], dtype=torch.double, requires_grad=True)
print(gradcheck(lambda a, b: (a * b).sin(), (x, w), eps=1e-6, atol=1e-4))
print(torch.autograd.gradgradcheck(lambda a: (a**3).sum(), (x,)))


class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        return i * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


print(gradcheck(Bad.apply, (x,), raise_exception=False))
try:
    gradcheck(Bad.apply, (x,))
except RuntimeError as e:
    print(type(e).__name__, str(e).splitlines()[0])
