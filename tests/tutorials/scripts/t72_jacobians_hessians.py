# ruff: noqa: B007, UP008, UP031, UP032, E731, E402  (tutorial code, kept as the tutorials write it)
# "Jacobians, Hessians, hvp, vhp, and more: composing function transforms" (torch.func).
from functools import partial

import torch
import torch.nn.functional as F

_ = torch.manual_seed(0)


def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()


D = 16
weight = torch.randn(D, D)
bias = torch.randn(D)
x = torch.randn(D)  # feature vector

primal = x.clone().requires_grad_()
cotangents = torch.eye(D)


# Sanity check: does jacobian match what we get with a Python loop?
def compute_jac(xp):
    jacobian_rows = [
        torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors
    ]
    return torch.stack(jacobian_rows)


xp = x.clone().requires_grad_()
unit_vectors = torch.eye(D)

jacobian = compute_jac(xp)

print(jacobian.shape)
print([round(v, 4) for v in jacobian[0].tolist()])  # show first row

from torch.func import vjp, vmap

_, vjp_fn = vjp(partial(predict, weight, bias), x)

(ft_jacobian,) = vmap(vjp_fn)(unit_vectors)

# let's confirm both methods compute the same result
assert torch.allclose(ft_jacobian, jacobian)
print(torch.allclose(ft_jacobian, jacobian))

from torch.func import jacrev

ft_jacobian = jacrev(predict, argnums=2)(weight, bias, x)

# Confirm by running the following:
assert torch.allclose(ft_jacobian, jacobian)


def get_perf(first, first_descriptor, second, second_descriptor):
    """takes torch.benchmark objects and compares delta of second vs first."""
    faster = second.times[0]
    slower = first.times[0]
    gain = (slower - faster) / slower
    if gain < 0:
        gain *= -1
    final_gain = gain * 100
    # (the tutorial prints the gain: timings differ from run to run, so only its type here)
    print(type(final_gain).__name__, "percent improvement with", first_descriptor)


def show(measurement):
    """A Measurement's report without its time (the address is normalised by the test)."""
    print([line for line in str(measurement).splitlines() if not line.endswith(("s", "WARNING"))])


from torch.utils.benchmark import Timer

without_vmap = Timer(stmt="compute_jac(xp)", globals=globals())
with_vmap = Timer(stmt="jacrev(predict, argnums=2)(weight, bias, x)", globals=globals())

no_vmap_timer = without_vmap.timeit(2)
with_vmap_timer = with_vmap.timeit(2)
show(no_vmap_timer)
show(with_vmap_timer)
get_perf(no_vmap_timer, "without vmap", with_vmap_timer, "vmap")

# note: x is in position 2, so argnums=(0, 1)
ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print(ft_jac_weight.shape, ft_jac_bias.shape)
# (3 decimals: a saturated tanh turns a last-bit difference of the matmul into a larger one)
print(round(ft_jac_weight.abs().sum().item(), 3), round(ft_jac_bias.abs().sum().item(), 3))

# reverse mode vs forward mode
from torch.func import jacfwd, jacrev

Din = 8
Dout = 64
weight = torch.randn(Dout, Din)

bias = torch.randn(Dout)
x = torch.randn(Din)

# remember the general rule about taller vs wider... here we have a taller matrix:
print(weight.shape)
ft_jacobian = jacfwd(predict, argnums=2)(weight, bias, x)
print(ft_jacobian.shape, torch.allclose(ft_jacobian, jacrev(predict, argnums=2)(weight, bias, x)))

# Hessian computation with torch.func.hessian
from torch.func import hessian

Din = 24
Dout = 8
weight = torch.randn(Dout, Din)
bias = torch.randn(Dout)
x = torch.randn(Din)

hess_api = hessian(predict, argnums=2)(weight, bias, x)
hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)

print(hess_api.shape)
print(
    torch.allclose(hess_api, hess_fwdfwd, atol=1e-6),
    torch.allclose(hess_api, hess_revrev, atol=1e-6),
)
print(round(hess_api.abs().sum().item(), 3))

# Batch Jacobian and Batch Hessian
batch_size = 6
Din = 7
Dout = 5

weight = torch.randn(Dout, Din)
print(f"weight shape = {weight.shape}")

bias = torch.randn(Dout)

x = torch.randn(batch_size, Din)

compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
batch_jacobian0 = compute_batch_jacobian(weight, bias, x)
print(batch_jacobian0.shape)


def predict_with_output_summed(weight, bias, x):
    return predict(weight, bias, x).sum(0)


batch_jacobian1 = jacrev(predict_with_output_summed, argnums=2)(weight, bias, x).movedim(1, 0)
assert torch.allclose(batch_jacobian0, batch_jacobian1)
print(torch.allclose(batch_jacobian0, batch_jacobian1))

compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))

batch_hess = compute_batch_hessian(weight, bias, x)
print(batch_hess.shape)
x_batch = x

# Computing Hessian-vector products
from torch.func import grad, jvp, vjp


def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]


def f(x):
    return x.sin().sum()


x = torch.randn(64)
tangent = torch.randn(64)

result = hvp(f, (x,), (tangent,))
print(result.shape, round(result.sum().item(), 4))
print(torch.allclose(result, -x.sin() * tangent, atol=1e-6))


def hvp_revrev(f, primals, tangents):
    _, vjp_fn = vjp(grad(f), *primals)
    return vjp_fn(*tangents)


result_hvp_revrev = hvp_revrev(f, (x,), (tangent,))
assert torch.allclose(result, result_hvp_revrev[0])
print(type(result_hvp_revrev).__name__, len(result_hvp_revrev))

# has_aux, and several outputs
jac, aux = jacrev(lambda x: (x.sin(), x.cos().sum()), has_aux=True)(x[:3])
print(jac.shape, round(aux.item(), 4))
jac_out = jacrev(lambda a, b: (a * b, a + b), argnums=(0, 1))(x[:3], tangent[:3])
print(type(jac_out).__name__, len(jac_out), [tuple(j.shape) for pair in jac_out for j in pair])
out, vjp_fn, aux = vjp(lambda t: (t.exp(), t.sum()), x[:4], has_aux=True)
print(vjp_fn(torch.ones(4))[0].shape, round(aux.item(), 4), torch.allclose(out, x[:4].exp()))
h = hessian(lambda a, b: (a * a * b).sum(), argnums=(0, 1))(x[:2], tangent[:2])
print([[tuple(t.shape) for t in row] for row in h])
print([round(v, 4) for v in h[0][1].flatten().tolist()])

# the same quantities with torch.autograd.functional
from torch.autograd.functional import hessian as af_hessian
from torch.autograd.functional import hvp as af_hvp
from torch.autograd.functional import jacobian as af_jacobian
from torch.autograd.functional import vhp as af_vhp

print(torch.allclose(af_jacobian(partial(predict, weight, bias), x_batch[0]), batch_jacobian0[0]))
print(torch.allclose(af_hessian(f, x), hessian(f)(x)))
print(
    torch.allclose(af_hvp(f, x, tangent)[1], result),
    torch.allclose(af_vhp(f, x, tangent)[1], result),
)

# linearize: evaluate the jvp at many tangents after one forward
from torch.func import linearize

out, jvp_fn = linearize(torch.sin, x[:5])
print(torch.allclose(out, x[:5].sin()), torch.allclose(jvp_fn(torch.ones(5)), x[:5].cos()))

# errors in PyTorch's words
try:
    jvp(torch.sin, x, tangent)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    jacrev(predict, argnums=3)(weight, bias, x)
except RuntimeError as e:
    print("RuntimeError:", e)
