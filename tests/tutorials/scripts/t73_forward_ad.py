# ruff: noqa: B007, UP008, UP031, UP032, E731, E402  (tutorial code, kept as the tutorials write it)
# "Forward-mode Automatic Differentiation": dual tensors, modules, functional_call, torch.func.jvp.
import torch
import torch.autograd.forward_ad as fwAD

torch.manual_seed(0)

primal = torch.randn(10, 10)
tangent = torch.randn(10, 10)


def fn(x, y):
    return x**2 + y**2


# All forward AD computation must be performed in the context of
# a ``dual_level`` context.
with fwAD.dual_level():
    # It is also important to note that the dual tensor created by
    # ``make_dual`` is a view of the primal.
    dual_input = fwAD.make_dual(primal, tangent)
    assert fwAD.unpack_dual(dual_input).tangent is tangent

    # To demonstrate the case where the copy of the tangent happens,
    # we pass in a tangent with a layout different from that of the primal
    dual_input_alt = fwAD.make_dual(primal, tangent.T)
    assert fwAD.unpack_dual(dual_input_alt).tangent is not tangent

    # Tensors that do not have an associated tangent are automatically
    # considered to have a zero-filled tangent of the same shape.
    plain_tensor = torch.randn(10, 10)
    dual_output = fn(dual_input, plain_tensor)

    # Unpacking the dual returns a ``namedtuple`` with ``primal`` and ``tangent``
    # as attributes
    jvp = fwAD.unpack_dual(dual_output).tangent
    print(type(fwAD.unpack_dual(dual_output)).__name__, fwAD.unpack_dual(dual_output)._fields)
    print(torch.allclose(jvp, 2 * primal * tangent))
    print(torch.allclose(fwAD.unpack_dual(dual_output).primal, fn(primal, plain_tensor)))
    print(fwAD.unpack_dual(plain_tensor).tangent)
    print(round(jvp.sum().item(), 4))

assert fwAD.unpack_dual(dual_output).tangent is None
print(fwAD.unpack_dual(dual_output).tangent)

# a few ops, checked against the closed form
x = torch.tensor([0.5, -1.0, 2.0])
v = torch.tensor([1.0, 2.0, -0.5])
with fwAD.dual_level():
    d = fwAD.make_dual(x, v)
    y = torch.sin(d) * d.exp() + d.pow(3).sum() / (d.abs() + 1)
    p, t = fwAD.unpack_dual(y)
    print(p)
    print(t)
    z = d.view(3, 1).expand(3, 2).t() @ torch.ones(3, 4)
    print(fwAD.unpack_dual(z).tangent)
    print(fwAD.unpack_dual(d[1:]).tangent, fwAD.unpack_dual(d.relu()).tangent)

######################################################################
# Usage with Modules
import torch.nn as nn

model = nn.Linear(5, 5)
input = torch.randn(16, 5)

params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}

with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))

    out = model(input)
    jvp = fwAD.unpack_dual(out).tangent
print(jvp.shape, round(jvp.sum().item(), 4))
ref_jvp = input @ tangents["weight"].T + tangents["bias"]
print(torch.allclose(jvp, ref_jvp, atol=1e-6))

######################################################################
# Using the functional Module API (beta)
from torch.func import functional_call

# We need a fresh module because the functional call requires the
# the model to have parameters registered.
model = nn.Linear(5, 5)

dual_params = {}
with fwAD.dual_level():
    for name, p in params.items():
        # Using the same ``tangents`` from the above section
        dual_params[name] = fwAD.make_dual(p, tangents[name])
    out = functional_call(model, dual_params, input)
    jvp2 = fwAD.unpack_dual(out).tangent

# Check our results
assert torch.allclose(jvp, jvp2)
print(torch.allclose(jvp, jvp2))


######################################################################
# Custom autograd Function
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, foo):
        result = torch.exp(foo)
        # Tensors stored in ``ctx`` can be used in the subsequent forward grad
        # computation.
        ctx.result = result
        return result

    @staticmethod
    def jvp(ctx, gI):
        gO = gI * ctx.result
        # If the tensor stored in`` ctx`` will not also be used in the backward pass,
        # one can manually free it using ``del``
        del ctx.result
        return gO


fn = Fn.apply

primal = torch.randn(10, 10, dtype=torch.double, requires_grad=True)
tangent = torch.randn(10, 10)

with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    dual_output = fn(dual_input)
    jvp = fwAD.unpack_dual(dual_output).tangent
print(jvp.dtype, torch.allclose(jvp, tangent.double() * primal.detach().exp()))

print(
    torch.autograd.gradcheck(
        Fn.apply,
        (primal,),
        check_forward_ad=True,
        check_backward_ad=False,
        check_undefined_grad=False,
        check_batched_grad=False,
    )
)

######################################################################
# Functional API (beta): the tutorial imports functorch (torch.func's former home)
import functorch as ft

primal0 = torch.randn(10, 10)
tangent0 = torch.randn(10, 10)
primal1 = torch.randn(10, 10)
tangent1 = torch.randn(10, 10)


def fn(x, y):
    return x**2 + y**2


# Here is a basic example to compute the JVP of the above function.
primal_out, tangent_out = ft.jvp(fn, (primal0, primal1), (tangent0, tangent1))
print(torch.allclose(tangent_out, 2 * primal0 * tangent0 + 2 * primal1 * tangent1))

# ``functorch.jvp`` requires every primal to be associated with a tangent.
primal = torch.randn(10, 10)
tangent = torch.randn(10, 10)
y = torch.randn(10, 10)

import functools

new_fn = functools.partial(fn, y=y)
primal_out, tangent_out = ft.jvp(new_fn, (primal,), (tangent,))
print(round(primal_out.sum().item(), 4), round(tangent_out.sum().item(), 4))

######################################################################
# Using the functional API with Modules
model = nn.Linear(5, 5)
input = torch.randn(16, 5)
tangents = tuple([torch.rand_like(p) for p in model.parameters()])

# Given a ``torch.nn.Module``, ``ft.make_functional_with_buffers`` extracts the state
# (``params`` and buffers) and returns a functional version of the model that
# can be invoked like a function.
func, params, buffers = ft.make_functional_with_buffers(model)


# Because ``jvp`` requires every input to be associated with a tangent, we need to
# create a new function that, when given the parameters, produces the output
def func_params_only(params):
    return func(params, buffers, input)


model_output, jvp_out = ft.jvp(func_params_only, (params,), (tangents,))
print(type(func).__name__, len(params), len(buffers), [p.requires_grad for p in params])
print(len(list(func.parameters())), model_output.shape, round(jvp_out.sum().item(), 4))
print(torch.allclose(jvp_out, input @ tangents[0].T + tangents[1], atol=1e-6))

# the same with torch.func.functional_call over the parameters by name
model = nn.Linear(5, 5)
input = torch.randn(16, 5)
tangents = tuple([torch.rand_like(p) for p in model.parameters()])
params = dict(model.named_parameters())


def func_params_only(params):
    return functional_call(model, params, input)


tangent_dict = dict(zip(params.keys(), tangents))
model_output, jvp_out = torch.func.jvp(func_params_only, (params,), (tangent_dict,))
print(
    model_output.shape, jvp_out.shape, round(jvp_out.sum().item(), 3)
)  # (a 4th decimal on the edge)
print(torch.allclose(jvp_out, input @ tangents[0].T + tangents[1], atol=1e-6))

# errors in PyTorch's words
try:
    fwAD.make_dual(torch.ones(2), torch.ones(2))
except RuntimeError as e:
    print("RuntimeError:", e)
with fwAD.dual_level():
    try:
        fwAD.make_dual(torch.ones(2), torch.ones(3))
    except RuntimeError as e:
        print("RuntimeError:", e)
