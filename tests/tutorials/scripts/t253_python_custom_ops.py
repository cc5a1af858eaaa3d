# ruff: noqa: E501  (tutorial code, kept close to the tutorial's)
"""pytorch/tutorials advanced_source/python_custom_ops.py: wrapping a Python (NumPy) crop into a
custom operator, a fake kernel so torch.compile(fullgraph=True) accepts it, training support with
register_autograd (paste as the backward, itself a custom op), opcheck on the tutorial's examples,
and a mutable custom op (numpy_sin writing into its output). NumPy slicing stands in for PIL's
crop/paste and torchvision's conversions."""
from typing import Sequence  # noqa: UP035  (as the tutorial writes it)

import numpy as np
import torch

torch.manual_seed(0)


def to_image(pic):  # (C, H, W) float tensor in [0, 1] -> (H, W, C) uint8 array, as to_pil_image
    return (pic.detach().cpu().numpy().transpose(1, 2, 0) * 255).round().astype(np.uint8)


def from_image(img):  # (H, W, C) uint8 array -> (C, H, W) uint8 tensor, as pil_to_tensor
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))


def crop(pic, box):
    x0, y0, x1, y1 = box
    return from_image(to_image(pic.cpu())[y0:y1, x0:x1]).to(pic.device) / 255.


def display(img):
    arr = img.detach().numpy().transpose((1, 2, 0))
    print("image", arr.shape, f"min={arr.min():.4f} max={arr.max():.4f} mean={arr.mean():.4f}")


img = torch.ones(3, 64, 64)
img *= torch.linspace(0, 1, steps=64) * torch.linspace(0, 1, steps=64).unsqueeze(-1)
display(img)
cropped_img = crop(img, (10, 10, 50, 50))
display(cropped_img)


@torch.library.custom_op("mylib::crop", mutates_args=())
def crop(pic: torch.Tensor, box: Sequence[int]) -> torch.Tensor:
    x0, y0, x1, y1 = box
    img = to_image(pic.cpu())[y0:y1, x0:x1]
    return (from_image(img) / 255.).to(pic.device, pic.dtype)


@crop.register_fake
def _(pic, box):
    channels = pic.shape[0]
    x0, y0, x1, y1 = box
    return pic.new_empty(channels, y1 - y0, x1 - x0)


print(crop)
print(crop._opoverload, repr(crop._opoverload))
print(crop._opoverload._schema)
print(torch.ops.mylib.crop, repr(torch.ops.mylib.crop), torch.ops.mylib.crop.overloads())


@torch.compile(fullgraph=True)
def f(img):
    return crop(img, (10, 10, 50, 50))


cropped_img = f(img)
display(img)
display(cropped_img)
print(torch.equal(cropped_img, torch.ops.mylib.crop.default(img, [10, 10, 50, 50])))


@torch.library.custom_op("mylib::paste", mutates_args=())
def paste(im1: torch.Tensor, im2: torch.Tensor, coord: Sequence[int]) -> torch.Tensor:
    assert im1.device == im2.device
    assert im1.dtype == im2.dtype
    base, patch = to_image(im1.cpu()).copy(), to_image(im2.cpu())
    x0, y0 = coord
    base[y0:y0 + patch.shape[0], x0:x0 + patch.shape[1]] = patch
    return (from_image(base) / 255.).to(im1.device, im1.dtype)


@paste.register_fake
def _(im1, im2, coord):
    assert im1.device == im2.device
    assert im1.dtype == im2.dtype
    return torch.empty_like(im1)


try:  # before register_autograd: backward through the op is an error
    crop(img.clone().requires_grad_(), (10, 10, 50, 50)).sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)


def backward(ctx, grad_output):
    grad_input = grad_output.new_zeros(ctx.pic_shape)
    grad_input = paste(grad_input, grad_output, ctx.coords)
    return grad_input, None


def setup_context(ctx, inputs, output):
    pic, box = inputs
    ctx.coords = box[:2]
    ctx.pic_shape = pic.shape


crop.register_autograd(backward, setup_context=setup_context)

img = img.requires_grad_()
result = crop(img, (10, 10, 50, 50))
print(result.shape, result.requires_grad, type(result.grad_fn).__name__)
result.sum().backward()
display(img.grad)
print(img.grad[0, 8:12, 8:12])
print(img.grad.sum())

examples = [
    [torch.randn(3, 64, 64), [0, 0, 10, 10]],
    [torch.randn(3, 91, 91, requires_grad=True), [10, 0, 20, 10]],
    [torch.randn(3, 60, 60, dtype=torch.double), [3, 4, 32, 20]],
    [torch.randn(3, 512, 512, requires_grad=True, dtype=torch.double), [3, 4, 32, 45]],
]

for example in examples:
    print(torch.library.opcheck(crop, example))


@torch.library.custom_op("mylib::numpy_sin", mutates_args={"output"}, device_types="cpu")
def numpy_sin(input: torch.Tensor, output: torch.Tensor) -> None:
    assert input.device == output.device
    assert input.device.type == "cpu"
    input_np = input.numpy()
    output_np = output.numpy()
    np.sin(input_np, out=output_np)


print(numpy_sin._opoverload._schema)


@torch.compile(fullgraph=True)
def f(x):
    out = torch.empty(3)
    numpy_sin(x, out)
    return out


x = torch.randn(3)
y = f(x)
assert torch.allclose(y, x.sin())
print(torch.allclose(y, x.sin()))

example_inputs = [
    [torch.randn(3), torch.empty(3)],
    [torch.randn(0, 3), torch.empty(0, 3)],
    [torch.randn(1, 2, 3, 4, dtype=torch.double), torch.empty(1, 2, 3, 4, dtype=torch.double)],
]

for example in example_inputs:
    print(torch.library.opcheck(numpy_sin, example))


@torch.library.custom_op("mylib::numpy_sin_wrong", mutates_args=())
def numpy_sin_wrong(input: torch.Tensor, output: torch.Tensor) -> None:
    np.sin(input.numpy(), out=output.numpy())


try:  # forgetting the output in mutates_args is what opcheck catches
    torch.library.opcheck(numpy_sin_wrong, [torch.randn(3), torch.zeros(3)])
except Exception as e:
    print(type(e).__name__, e)
