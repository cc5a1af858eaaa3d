# ruff: noqa: E731  (tutorial code, kept as the tutorials write it)
# grad_fn introspection and hooks as "A Gentle Introduction to torch.autograd", "Autograd
# mechanics" and "Double backward with custom functions" print them (deterministic values).
import warnings

import torch

torch.manual_seed(0)

a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a**3 - b**2
print(Q)
print(Q.grad_fn)
print([type(f).__name__ for f, _ in Q.grad_fn.next_functions])
external_grad = torch.tensor([1.0, 1.0])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)


def walk(fn, depth=0):
    if fn is None:
        print("  " * depth + "None")
        return
    extra = f" -> leaf of shape {tuple(fn.variable.shape)}" if hasattr(fn, "variable") else ""
    print("  " * depth + fn.name() + extra)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)


x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
bias = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + bias
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print("Gradient function for z =", type(z.grad_fn).__name__)
print("Gradient function for loss =", type(loss.grad_fn).__name__)
model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
out = model(torch.randn(2, 4)).sum()
walk(out.grad_fn)
print(isinstance(out.grad_fn, torch.autograd.graph.Node), out.grad_fn.metadata)

# hooks: tensor, node pre/post, leaf post-accumulate, retain_grad
log = []
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
h.retain_grad()
h.register_hook(lambda g: log.append(f"tensor hook {g.tolist()}"))
h.grad_fn.register_prehook(lambda gO: log.append(f"prehook {gO[0].tolist()}"))
h.grad_fn.register_hook(lambda gI, gO: log.append(f"post hook {gI[0].tolist()}"))
x.register_post_accumulate_grad_hook(lambda p: log.append(f"accumulated {p.grad.tolist()}"))
(h * h).sum().backward()
print("\n".join(log))
print(h.grad, h.retains_grad, x.grad)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print((x * 2).grad)
print(len(caught), str(caught[0].message).split(".")[0])

# multi grad hook
log = []
p = torch.tensor([1.0, 2.0], requires_grad=True)
q = torch.tensor([3.0, 4.0], requires_grad=True)
handle = torch.autograd.graph.register_multi_grad_hook((p, q), lambda grads: log.append([g is None for g in grads]))
(p * 2).sum().backward()
(p * q).sum().backward()
try:
    torch.autograd.grad((p * q).sum(), p)
except RuntimeError as e:
    print(e)
handle.remove()
print(log)

# errors
loss = (p * q).sum()
loss.backward()
try:
    loss.backward()
except RuntimeError as e:
    print(str(e)[:80])
try:
    torch.zeros(2).sum().backward()
except RuntimeError as e:
    print(e)
print(torch.autograd.grad((p * 2).sum(), [p, q], allow_unused=True))
print(torch.autograd.grad((p * 2).sum(), [p, q], materialize_grads=True))


# double backward with a custom function
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = torch.exp(x)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_out):
        (result,) = ctx.saved_tensors
        return grad_out * result


s = torch.tensor([0.5, 1.0], requires_grad=True)
e = Exp.apply(s)
(g,) = torch.autograd.grad(e.sum(), s, create_graph=True)
(g2,) = torch.autograd.grad(g.sum(), s)
print(type(e.grad_fn).__name__, torch.allclose(g, s.exp()), torch.allclose(g2, s.exp()))
counts = []
with torch.autograd.graph.saved_tensors_hooks(lambda t: counts.append("pack") or t, lambda t: counts.append("unpack") or t):
    e = Exp.apply(s)
e.sum().backward()
print(counts)
