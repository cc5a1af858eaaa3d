# ruff: noqa: E501  (documentation examples, kept as the docs write them)
"""torch.library documentation examples: custom_op (a NumPy sin, a CPU-only kernel, an in-place op,
an op with no tensor inputs that takes a device), register_kernel, register_fake, register_autograd
(with and without keyword-only inputs), Library/define/impl, infer_schema and opcheck."""
import numpy as np
import torch
from torch import Tensor
from torch.library import custom_op

torch.manual_seed(0)


@custom_op("mylib::numpy_sin", mutates_args=())
def numpy_sin(x: Tensor) -> Tensor:
    x_np = x.cpu().numpy()
    y_np = np.sin(x_np)
    return torch.from_numpy(y_np).to(device=x.device)


x = torch.randn(3)
y = numpy_sin(x)
assert torch.allclose(y, x.sin())
print(numpy_sin, numpy_sin._opoverload._schema, torch.allclose(y, x.sin()))


@custom_op("mylib::numpy_sin_cpu", mutates_args=(), device_types="cpu")
def numpy_sin_cpu(x: Tensor) -> Tensor:
    x_np = x.numpy()
    y_np = np.sin(x_np)
    return torch.from_numpy(y_np)


x = torch.randn(3)
y = numpy_sin_cpu(x)
assert torch.allclose(y, x.sin())


@custom_op("mylib::numpy_sin_inplace", mutates_args={"x"}, device_types="cpu")
def numpy_sin_inplace(x: Tensor) -> None:
    x_np = x.numpy()
    np.sin(x_np, out=x_np)


x = torch.randn(3)
expected = x.sin()
v = x._version
numpy_sin_inplace(x)
assert torch.allclose(x, expected)
print(numpy_sin_inplace._opoverload._schema, x._version - v)


@custom_op("mylib::bar", mutates_args={}, device_types="cpu")
def bar(device: torch.device) -> Tensor:
    return torch.ones(3)


print(bar("cpu"), bar._opoverload._schema)


# register_kernel: a device-specific kernel next to the default one
@custom_op("mylib::numpy_cos", mutates_args=())
def numpy_cos(x: Tensor) -> Tensor:
    x_np = x.cpu().numpy()
    return torch.from_numpy(np.cos(x_np)).to(device=x.device)


@numpy_cos.register_kernel("cpu")
def _(x):
    print("running the cpu kernel")
    return torch.from_numpy(np.cos(x.numpy()))


x = torch.randn(3)
print(torch.allclose(numpy_cos(x), x.cos()))
with numpy_cos.set_kernel_enabled("cpu", enabled=False):
    print(torch.allclose(numpy_cos(x), x.cos()))


# register_fake: shapes without data
@torch.library.custom_op("mylib::custom_linear", mutates_args=())
def custom_linear(x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    raise NotImplementedError("Implementation goes here")


@torch.library.register_fake("mylib::custom_linear")
def _(x, weight, bias):
    assert x.dim() == 2
    assert weight.dim() == 2
    assert bias.dim() == 1
    assert x.shape[1] == weight.shape[1]
    assert weight.shape[0] == bias.shape[0]
    assert x.device == weight.device
    return (x @ weight.t()) + bias


x = torch.randn(2, 3, device="meta")
w = torch.randn(4, 3, device="meta")
b = torch.randn(4, device="meta")
y = custom_linear(x, w, b)
print(y.shape, y.device)
try:
    custom_linear(x.to("cpu"), w.to("cpu"), b.to("cpu"))
except NotImplementedError as e:
    print("NotImplementedError:", e)


# register_autograd
@torch.library.custom_op("mylib::numpy_sin2", mutates_args=())
def numpy_sin2(x: Tensor) -> Tensor:
    x_np = x.cpu().numpy()
    y_np = np.sin(x_np)
    return torch.from_numpy(y_np).to(device=x.device)


def setup_context(ctx, inputs, output) -> Tensor:
    x, = inputs
    ctx.save_for_backward(x)


def backward(ctx, grad):
    x, = ctx.saved_tensors
    return grad * x.cos()


torch.library.register_autograd("mylib::numpy_sin2", backward, setup_context=setup_context)

x = torch.randn(3, requires_grad=True)
y = numpy_sin2(x)
(grad_x,) = torch.autograd.grad(y, x, torch.ones_like(y))
assert torch.allclose(grad_x, x.cos())
print(type(y.grad_fn).__name__, torch.allclose(grad_x, x.cos()))


@torch.library.custom_op("mylib::numpy_mul", mutates_args=())
def numpy_mul(x: Tensor, val: float) -> Tensor:
    x_np = x.cpu().numpy()
    y_np = x_np * val
    return torch.from_numpy(y_np).to(device=x.device)


def setup_context(ctx, inputs, output) -> Tensor:
    ctx.val = inputs[1]


def backward(ctx, grad):
    return grad * ctx.val, None


torch.library.register_autograd("mylib::numpy_mul", backward, setup_context=setup_context)


@numpy_mul.register_fake
def _(x, val):
    return torch.empty_like(x)


x = torch.randn(3, requires_grad=True)
y = numpy_mul(x, val=3.14)
(grad_x,) = torch.autograd.grad(y, x, torch.ones_like(y))
assert torch.allclose(grad_x, torch.full_like(x, 3.14))
print(numpy_mul._opoverload._schema, grad_x)


@torch.library.custom_op("mylib::numpy_scale", mutates_args=())
def numpy_scale(x: Tensor, *, val: float) -> Tensor:
    return torch.from_numpy(x.cpu().numpy() * val)


def setup_context(ctx, inputs, keyword_only_inputs, output) -> Tensor:
    ctx.val = keyword_only_inputs["val"]


def backward(ctx, grad):
    return grad * ctx.val


torch.library.register_autograd("mylib::numpy_scale", backward, setup_context=setup_context)
x = torch.randn(3, requires_grad=True)
y = numpy_scale(x, val=2.5)
y.sum().backward()
print(numpy_scale._opoverload._schema, x.grad)


# Library, define, impl
lib = torch.library.Library("mylib2", "FRAGMENT")
print(lib)
torch.library.define("mylib2::sin", "(Tensor x) -> Tensor", lib=lib)


@torch.library.impl("mylib2::sin", "cpu", lib=lib)
def f(x):
    return torch.from_numpy(np.sin(x.numpy()))


x = torch.randn(3)
y = torch.ops.mylib2.sin(x)
assert torch.allclose(y, x.sin())
print(torch.ops.mylib2.sin, torch.ops.mylib2.sin.default._schema, torch.allclose(y, x.sin()))

lib.define("mul3(Tensor x, *, float alpha=3.0) -> Tensor")
lib.impl("mul3", lambda x, *, alpha=3.0: x * alpha, "CompositeImplicitAutograd")
x = torch.ones(2, requires_grad=True)
y = torch.ops.mylib2.mul3(x, alpha=2.0)
print(y, type(y.grad_fn).__name__)
y.sum().backward()
print(x.grad)

lib.define("scale.out(Tensor x, float s, *, Tensor(a!) out) -> Tensor(a!)")


def scale_out(x, s, *, out):
    out.copy_(x * s)
    return out


lib.impl("scale.out", scale_out, "CPU")
out = torch.empty(3)
res = torch.ops.mylib2.scale.out(torch.arange(3.0), 2.0, out=out)
print(res is out, out, torch.ops.mylib2.scale.overloads())


# infer_schema
def foo_impl(x: torch.Tensor) -> torch.Tensor:
    return x.sin()


print(torch.library.infer_schema(foo_impl, op_name="foo", mutates_args={}))
print(torch.library.infer_schema(foo_impl, mutates_args={}))


def many(x: Tensor, ys: list[Tensor], n: int = 2, s: float = 0.5, name: str = "x", dt: torch.dtype = torch.float64, w: Tensor | None = None) -> tuple[Tensor, Tensor]:
    pass


print(torch.library.infer_schema(many, mutates_args=("ys",)))


# opcheck
print(torch.library.opcheck(numpy_mul, (torch.randn(3), 3.14)))
print(torch.library.opcheck(numpy_mul, (torch.randn(3, requires_grad=True), 2.0)))
print(torch.library.opcheck(numpy_sin_inplace, (torch.randn(4),)))
print(torch.library.opcheck(torch.ops.mylib2.sin.default, (torch.randn(3),), test_utils="test_schema"))
try:
    torch.library.opcheck(torch.ops.mylib2.sin.default, (torch.randn(3),))
except Exception as e:
    print(type(e).__name__, str(e).split(" failed with")[0])
