# ruff: noqa: E501  (tutorial code, kept as upstream writes it)
"""aladdinpersson/Machine-Learning-Collection ML/Pytorch/Basics/pytorch_tensorbasics.py: tensor
initialisation (tensor with dtype/device/requires_grad, empty/zeros/rand/ones/eye/arange/linspace,
normal_/uniform_ on empty, diag), type conversions (bool/short/long/half/float/double), numpy
round trips, math and comparison (add with out=, true_divide, in-place add_/+=, pow, mm,
matrix_power, dot, bmm, broadcasting, sum/max/min/abs/argmax/argmin/mean/eq/sort/clamp/any/all),
indexing (item assignment, fancy and boolean indexing, remainder, where, unique, ndimension,
numel) and reshaping (view/reshape/t/is_contiguous/contiguous/cat/permute/chunk/unsqueeze/
squeeze). Adapted: the results upstream only names in comments are printed, seeded."""
import numpy as np
import torch

torch.manual_seed(0)
torch.set_printoptions(precision=4)

# ================================================================= #
#                        Initializing Tensor                        #
# ================================================================= #

device = "cuda" if torch.cuda.is_available() else "cpu"

my_tensor = torch.tensor(
    [[1, 2, 3], [4, 5, 6]], dtype=torch.float32, device=device, requires_grad=True
)

print(f"Information about tensor: {my_tensor}")
print("Type of Tensor {my_tensor.dtype}")
print(f"Type of Tensor {my_tensor.dtype}")
print(f"Device Tensor is on {my_tensor.device}")
print(f"Shape of tensor {my_tensor.shape}")
print(f"Requires gradient: {my_tensor.requires_grad}")

x = torch.empty(size=(3, 3))
print(x.shape, x.dtype)
x = torch.zeros((3, 3))
print(x)
x = torch.rand((3, 3))
print(x)
x = torch.ones((3, 3))
print(x)
x = torch.eye(5, 5)
print(x)
x = torch.arange(start=0, end=5, step=1)
print(x)
x = torch.linspace(start=0.1, end=1, steps=10)
print(x)
x = torch.empty(size=(1, 5)).normal_(mean=0, std=1)
print(x)
x = torch.empty(size=(1, 5)).uniform_(0, 1)
print(x)
x = torch.diag(torch.ones(3))
print(x)

tensor = torch.arange(4)
print(f"Converted Boolean: {tensor.bool()}")
print(f"Converted int16 {tensor.short()}")
print(f"Converted int64 {tensor.long()}")
print(f"Converted float16 {tensor.half()}")
print(f"Converted float32 {tensor.float()}")
print(f"Converted float64 {tensor.double()}")

np_array = np.zeros((5, 5))
tensor = torch.from_numpy(np_array)
np_array_again = tensor.numpy()
print(tensor.dtype, type(np_array_again).__name__, np_array_again.dtype, np_array_again.shape)

# =============================================================================== #
#                        Tensor Math & Comparison Operations                      #
# =============================================================================== #

x = torch.tensor([1, 2, 3])
y = torch.tensor([9, 8, 7])

z1 = torch.empty(3)
torch.add(x, y, out=z1)
print(z1)
z2 = torch.add(x, y)
print(z2)
z = x + y
print(z)

z = x - y
print(z)

z = torch.true_divide(x, y)
print(z)

t = torch.zeros(3)
t.add_(x)
t += x
print(t)

z = x.pow(2)
print(z)
z = x**2
print(z)

z = x > 0
print(z)
z = x < 0
print(z)

x1 = torch.rand((2, 5))
x2 = torch.rand((5, 3))
x3 = torch.mm(x1, x2)
x3 = x1.mm(x2)
print(x3)

matrix_exp = torch.rand(5, 5)
print(matrix_exp.matrix_power(3))

z = x * y
print(z)

z = torch.dot(x, y)
print(z)

batch = 32
n = 10
m = 20
p = 30
tensor1 = torch.rand((batch, n, m))
tensor2 = torch.rand((batch, m, p))
out_bmm = torch.bmm(tensor1, tensor2)
print(out_bmm.shape, f"{out_bmm.mean().item():.3f}")

x1 = torch.rand((5, 5))
x2 = torch.ones((1, 5))
z = x1 - x2
print(z.shape)
z = x1**x2
print(z.shape)

sum_x = torch.sum(x, dim=0)
print(sum_x)
values, indices = torch.max(x, dim=0)
print(values, indices)
print(x.max(dim=0))
values, indices = torch.min(x, dim=0)
print(values, indices)
abs_x = torch.abs(x)
print(abs_x)
z = torch.argmax(x, dim=0)
print(z)
z = torch.argmin(x, dim=0)
print(z)
mean_x = torch.mean(x.float(), dim=0)
print(mean_x)
z = torch.eq(x, y)
print(z)
sorted_y, indices = torch.sort(y, dim=0, descending=False)
print(sorted_y, indices)
print(torch.sort(y, dim=0, descending=False))

z = torch.clamp(x, min=0)
print(z)

x = torch.tensor([1, 0, 1, 1, 1], dtype=torch.bool)
z = torch.any(x)
print(z, x.any())
z = torch.all(x)
print(z, x.all())

# ============================================================= #
#                        Tensor Indexing                        #
# ============================================================= #

batch_size = 10
features = 25
x = torch.rand((batch_size, features))

print(x[0].shape)
print(x[:, 0].shape)
print(x[2, 0:10].shape)

x[0, 0] = 100
print(x[0, :3])

x = torch.arange(10)
indices = [2, 5, 8]
print(x[indices])

x = torch.rand((3, 5))
rows = torch.tensor([1, 0])
cols = torch.tensor([4, 0])
print(x[rows, cols])

x = torch.arange(10)
print(x[(x < 2) | (x > 8)])
print(x[x.remainder(2) == 0])

print(torch.where(x > 5, x, x * 2))
x = torch.tensor([0, 0, 1, 2, 2, 3, 4]).unique()
print(x)
print(x.ndimension())
x = torch.arange(10)
print(x.numel())

# ============================================================= #
#                        Tensor Reshaping                       #
# ============================================================= #

x = torch.arange(9)

x_3x3 = x.view(3, 3)
x_3x3 = x.reshape(3, 3)

y = x_3x3.t()
print(y.is_contiguous())
try:
    y.view(9)
except RuntimeError as e:
    print("RuntimeError:", e)
print(y.contiguous().view(9))

x1 = torch.rand(2, 5)
x2 = torch.rand(2, 5)
print(torch.cat((x1, x2), dim=0).shape)
print(torch.cat((x1, x2), dim=1).shape)

z = x1.view(-1)
print(z.shape)

batch = 64
x = torch.rand((batch, 2, 5))
z = x.view(batch, -1)
print(z.shape)

z = x.permute(0, 2, 1)
print(z.shape, z.is_contiguous())

z = torch.chunk(x, chunks=2, dim=1)
print(z[0].shape)
print(z[1].shape)
z = torch.chunk(x, chunks=2, dim=2)
print(z[0].shape)
print(z[1].shape)

x = torch.arange(10)
print(x.unsqueeze(0).shape)
print(x.unsqueeze(1).shape)

x = torch.arange(10).unsqueeze(0).unsqueeze(1)
print(x.shape)

z = x.squeeze(1)
print(z.shape, x.squeeze(0).shape)
print(z)
