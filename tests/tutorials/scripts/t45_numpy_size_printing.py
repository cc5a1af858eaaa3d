# torch.Size, NumPy round trips and mixing, number formatting and more printing options.
import numpy as np
import torch

s = torch.Size([2, 3])
print(
    s * 2,
    s[::-1],
    repr(s),
    f"{s}",
    s == torch.Size([2, 3]),
    s != [2, 3],
    max(s),
    sum(s),
    torch.Size((4,)) + torch.Size([5]),
)
print(
    torch.tensor(s),
    torch.zeros(s[0], *s[1:]).shape,
    torch.ones(2, 3).shape[::-1],
    torch.ones(torch.Size([2])).size(),
)
print(
    format(torch.tensor(1.23456), ".3f"),
    f"{torch.tensor(12345.0):.1e}",
    f"{torch.tensor([1.5])}",
    round(torch.tensor(2.567).item(), 2),
)
print(
    torch.tensor([1, 2, 3]).numpy().tolist(),
    torch.tensor(np.array([1.5], np.float32)) * 2,
    torch.tensor([[1, 2]], dtype=torch.float).numpy(),
)
a = np.ones(3)
t = torch.from_numpy(a)
np.add(a, 1, out=a)
print(t, t.dtype)
b = torch.ones(3)
n = b.numpy()
b.add_(1)
print(n, b)
print(
    torch.tensor([1.0, 2.0]).numpy(force=True),
    torch.ones(2, requires_grad=True).detach().numpy(),
    torch.tensor(3.5).numpy(),
    torch.tensor(3.5).numpy().shape,
)
try:
    torch.ones(2, requires_grad=True).numpy()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2).item()
except RuntimeError as e:
    print(e)
print(
    torch.tensor([[1, 2], [3, 4]]).tolist(),
    torch.tensor([]).tolist(),
    torch.zeros(2, 0).tolist(),
    type(torch.tensor([1.5]).tolist()[0]),
)
print(
    torch.tensor([1.5]).item(),
    torch.tensor([[7]]).item(),
    torch.tensor(True).item() is True,
    torch.tensor(1, dtype=torch.uint8).item(),
)
print(
    torch.as_tensor(np.array([1, 2], dtype=np.uint8)),
    torch.tensor(np.array([1, 2], dtype=np.int32)).dtype,
    torch.from_numpy(np.array([1.0], dtype=np.float16)),
)
print(
    torch.tensor([1, 2]).__array__().dtype,
    np.float32(2) * torch.tensor([1.0]),
    torch.tensor([1.0]) * np.float64(2),
)
print(
    torch.tensor([np.float32(1.5), 2]),
    torch.tensor(np.int64(3)),
    torch.tensor([[np.int32(1)]]).dtype,
    torch.tensor([True, 1]).dtype,
    torch.tensor([1, 2.0]).dtype,
)
print(
    torch.tensor([1, 2]) + np.array([1, 2]) if False else "",
    torch.tensor([1.0, 2.0]).sum().numpy(),
    torch.tensor([1.0]).numpy().flags.writeable,
)
torch.set_printoptions(precision=3, sci_mode=False, linewidth=60)
print(torch.arange(24.0).reshape(2, 3, 4) / 7)
print(torch.tensor([1e-10, 1.0]), torch.tensor([123456789.0, 1.0]))
torch.set_printoptions(sci_mode=True)
print(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]), torch.tensor([0.5], dtype=torch.float64))
torch.set_printoptions(profile="default")
print(
    torch.arange(10.0).reshape(2, 5) * 1e-5,
    torch.arange(10.0).reshape(2, 5) * 1e5,
    torch.tensor([1e8, 1.0]),
    torch.tensor([1e7, 1.5]),
)
print(
    torch.tensor([0.1, 1e-4]),
    torch.tensor([1e-4, 1.0]),
    torch.tensor([100.5, 0.01]),
    torch.tensor([1000.0, 0.0001]),
)
print(
    torch.full((3, 3), float("nan")),
    torch.tensor([float("inf"), 1e10]),
    torch.tensor([-1e-5, 1.0]),
    torch.tensor([2.0, 4.0]),
)
print(
    torch.arange(6).reshape(1, 2, 3, 1),
    torch.zeros(1, 0),
    torch.tensor([[]]),
    torch.ones(3, 1, dtype=torch.bool),
)
print(
    torch.arange(3000, dtype=torch.bfloat16),
    torch.arange(2000, dtype=torch.float16).reshape(40, 50),
)
print(
    torch.tensor([1.0 + 0.5j, -2.25j]),
    torch.tensor([1 + 1j], dtype=torch.complex128),
    torch.tensor(2j),
)
print(
    torch.tensor([-5, 10, 100], dtype=torch.int8),
    torch.tensor([255], dtype=torch.uint8) + 1,
    torch.tensor([2**31 - 1], dtype=torch.int32) + 1,
)
print(
    torch.tensor([0.1, 0.2], dtype=torch.float64) + torch.tensor([0.3], dtype=torch.float64),
    torch.tensor(0.1, dtype=torch.float64) * 3,
)
print(
    torch.tensor(65504.0, dtype=torch.float16) * 2,
    torch.tensor([1e-8], dtype=torch.float16),
    torch.tensor([1 / 3], dtype=torch.bfloat16),
)
print(
    torch.ones(2, 2, requires_grad=True) @ torch.ones(2, 2),
    (torch.ones(2, requires_grad=True) * 2).mean(),
    torch.ones(2, requires_grad=True)[0],
)
print(
    torch.nn.Parameter(torch.tensor([0.5, 1.5])),
    torch.nn.Parameter(torch.ones(2, dtype=torch.float64)),
    torch.nn.Parameter(torch.ones(1), requires_grad=False),
)
print(torch.nn.Parameter(torch.arange(2000.0)))
print(
    torch.tensor([1.0, 2.0], device="cpu"),
    torch.tensor([1.0]).to("cpu", torch.float64),
    torch.tensor([1.0], dtype=torch.float32).cpu().device,
)
i32 = torch.tensor([1, 2], dtype=torch.int32)
f16 = torch.tensor([1.0, 2.0], dtype=torch.float16)
print(
    i32 * np.int64(3),
    np.int64(3) * i32,
    np.float64(2) * f16,
    np.float32(6) / i32,
    np.bool_(True) * i32,
)
print(
    np.sqrt(4.0) * torch.tensor([1.0, 2.0]),
    np.pi * torch.ones(1),
    torch.tensor([np.float64(1.5), 2]),
    torch.tensor([[np.int32(1)]]),
)
