"""Channels last memory format (the PyTorch tutorial's stride prints), on a small model."""

import torch

torch.manual_seed(0)
N, C, H, W = 10, 3, 32, 32
x = torch.empty(N, C, H, W)
print(x.stride())
x = x.to(memory_format=torch.channels_last)
print(x.shape)
print(x.stride())
x = x.to(memory_format=torch.contiguous_format)
print(x.stride())
x = x.contiguous(memory_format=torch.channels_last)
print(x.stride())
print(x.is_contiguous(memory_format=torch.channels_last), x.is_contiguous())
x = torch.empty(N, C, H, W, memory_format=torch.channels_last)
print(x.stride())
special_x = torch.empty(4, 1, 4, 4)
print(special_x.is_contiguous(memory_format=torch.channels_last), special_x.is_contiguous())
print(torch.channels_last, type(torch.channels_last))

model = torch.nn.Sequential(
    torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
    torch.nn.MaxPool2d(2), torch.nn.Conv2d(8, 4, 3), torch.nn.AdaptiveAvgPool2d(1),
    torch.nn.Flatten(), torch.nn.Linear(4, 2),
)
inp = torch.randn(2, 3, 16, 16)
ref = model(inp)
model = model.to(memory_format=torch.channels_last)
print(model[0].weight.stride(), model[4].weight.stride(), model[7].weight.stride())
inp_cl = inp.to(memory_format=torch.channels_last)
feat = model[:4](inp_cl)
print(feat.shape, feat.stride(), feat.is_contiguous(memory_format=torch.channels_last))
out = model(inp_cl)
print(out.shape, out.stride(), torch.allclose(out, ref, atol=1e-5))
out.sum().backward()
print(model[0].weight.grad.shape)
print(torch.empty_like(inp_cl).stride(), torch.zeros_like(inp_cl, memory_format=torch.contiguous_format).stride())
try:
    torch.randn(2, 3, 4).to(memory_format=torch.channels_last)
except RuntimeError as e:
    print("RuntimeError:", e)
