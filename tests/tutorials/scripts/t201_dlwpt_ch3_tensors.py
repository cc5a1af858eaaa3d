# "Deep Learning with PyTorch", chapter 3 (It starts with a tensor): lists vs tensors, indexing,
# storages, offsets, strides, transposes and contiguity, dtypes, NumPy interop, serialisation
# (torch.save/torch.load to a path and a file object; NumPy's .npy in place of h5py) and the named
# tensor notebook, whose API PyTorch 2.13 no longer has.
import os
import tempfile

import numpy as np
import torch

torch.manual_seed(0)

a = [1.0, 2.0, 1.0]
print(a[0])
a[2] = 3.0
print(a)

a = torch.ones(3)
print(a)
print(a[1])
print(float(a[1]))
a[2] = 2.0
print(a)

points = torch.zeros(6)
points[0] = 1.0
points[1] = 4.0
points[2] = 2.0
points[3] = 1.0
points[4] = 3.0
points[5] = 5.0
print(points)
points = torch.tensor([1.0, 4.0, 2.0, 1.0, 3.0, 5.0])
print(points)
print((float(points[0]), float(points[1])))

points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 5.0]])
print(points)
print(points.shape)
points = torch.zeros(3, 2)
print(points)
points = torch.FloatTensor([[1.0, 4.0], [2.0, 1.0], [3.0, 5.0]])
print(points)
print(points[0, 1])
print(points[0])

# storages
points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 5.0]])
print(points.untyped_storage().nbytes(), len(points.untyped_storage()))
print(points.storage())
points_storage = points.storage()
print(points_storage[0], points.storage()[1], len(points_storage))
print(points_storage.tolist(), points_storage.dtype, points_storage.size())
points_storage[0] = 2.0
print(points)

# offsets, sizes and strides
points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 5.0]])
second_point = points[1]
print(second_point.storage_offset())
print(second_point.size())
print(second_point.shape)
print(points.stride())
print(second_point.stride())
second_point[0] = 10.0
print(points)

points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 5.0]])
second_point = points[1].clone()
second_point[0] = 10.0
print(points)

# transposing without copying
points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 5.0]])
points_t = points.t()
print(points_t)
print(points.untyped_storage().data_ptr() == points_t.untyped_storage().data_ptr())
print(points.stride(), points_t.stride())
some_tensor = torch.ones(3, 4, 5)
some_tensor_t = some_tensor.transpose(0, 2)
print(some_tensor.shape, some_tensor_t.shape)
print(some_tensor.stride(), some_tensor_t.stride())
print(points.is_contiguous(), points_t.is_contiguous())
print(points_t.storage())
points_t_cont = points_t.contiguous()
print(points_t_cont)
print(points_t_cont.stride(), points_t_cont.is_contiguous())
print(points_t_cont.storage())
print(points_t[1:].storage_offset(), points_t[1:].stride(), points_t[:, 1].storage_offset())

# dtypes
double_points = torch.ones(10, 2, dtype=torch.double)
short_points = torch.tensor([[1, 2], [3, 4]], dtype=torch.short)
print(short_points.dtype, double_points.dtype)
double_points = torch.zeros(10, 2).double()
short_points = torch.ones(10, 2).short()
print(double_points.dtype, short_points.dtype)
double_points = torch.zeros(10, 2).to(torch.double)
short_points = torch.ones(10, 2).to(dtype=torch.short)
print(double_points.dtype, short_points.dtype)
points = torch.randn(10, 2)
short_points = points.type(torch.short)
print(short_points.dtype, short_points.type(), points.type())
points_64 = torch.rand(5, dtype=torch.double)
points_short = points_64.to(torch.short)
print((points_64 * points_short).dtype)
print(torch.tensor([1, 2]).dtype, torch.tensor([1.0, 2]).dtype, torch.tensor([True]).dtype)
print(torch.ones(2, dtype=torch.uint8).dtype, torch.ones(2).byte().type(), torch.ones(2).bool())

# indexing
points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 4.0]])
some_list = list(range(6))
print(some_list[:], some_list[1:4], some_list[1:], some_list[:4], some_list[:-1], some_list[1:4:2])
print(points[1:])
print(points[1:, :])
print(points[1:, 0])
print(points[None])
print(points[None].shape, points[1:, 0].stride(), points[1:, 0].storage_offset())

# the tensor API: functions and methods, in place and out of place
a = torch.ones(3, 2)
a_t = torch.transpose(a, 0, 1)
print(a.shape, a_t.shape)
a_t = a.transpose(0, 1)
print(a.shape, a_t.shape)
a = torch.ones(3, 2)
print(a.zero_())
print(a)
b = torch.ones(3, 2)
b.add_(1.5).mul_(2)
print(b)
print(b.sqrt_(), b.is_contiguous())

# NumPy interoperability
points = torch.ones(3, 4)
points_np = points.numpy()
print(repr(points_np))
points = torch.from_numpy(points_np)
print(points.dtype, points.shape)
arr = np.arange(6, dtype=np.float64).reshape(2, 3)
from_arr = torch.from_numpy(arr)
print(from_arr, from_arr.dtype, from_arr.stride())
print(torch.from_numpy(arr.T.copy()).stride(), torch.from_numpy(np.arange(4)).dtype)

# serialising tensors
tmpdir = tempfile.mkdtemp()
path = os.path.join(tmpdir, "ourpoints.t")
points = torch.tensor([[1.0, 4.0], [2.0, 1.0], [3.0, 4.0]])
torch.save(points, path)
with open(path, "wb") as f:
    torch.save(points, f)
points = torch.load(path)
print(points)
with open(path, "rb") as f:
    points = torch.load(f)
print(points, points.dtype)
np_path = os.path.join(tmpdir, "ourpoints.npy")
np.save(np_path, points.numpy())
coords = np.load(np_path, mmap_mode="r")
last_points = torch.from_numpy(np.array(coords[1:]))
print(last_points, last_points.shape)
points_t = points.t()
torch.save({"points_t": points_t, "row": points[1]}, path)
loaded = torch.load(path)
print(loaded["points_t"], loaded["points_t"].stride(), loaded["points_t"].is_contiguous())
print(loaded["row"], loaded["row"].storage_offset())

# devices: everything here stays on the CPU
points_cpu = points.to(device="cpu")
print(points_cpu.device, points.cpu().device, torch.device("cpu"))
points = 2 * points
points = points + 4
print(points)

# the named tensors notebook: plain broadcasting and einsum, then the named API
img_t = torch.randn(3, 5, 5)
weights = torch.tensor([0.2126, 0.7152, 0.0722])
batch_t = torch.randn(2, 3, 5, 5)
img_gray_naive = img_t.mean(-3)
batch_gray_naive = batch_t.mean(-3)
print(img_gray_naive.shape, batch_gray_naive.shape)
unsqueezed_weights = weights.unsqueeze(-1).unsqueeze_(-1)
img_weights = img_t * unsqueezed_weights
batch_weights = batch_t * unsqueezed_weights
img_gray_weighted = img_weights.sum(-3)
batch_gray_weighted = batch_weights.sum(-3)
print(batch_weights.shape, batch_t.shape, unsqueezed_weights.shape)
img_gray_weighted_fancy = torch.einsum("...chw,c->...hw", img_t, weights)
batch_gray_weighted_fancy = torch.einsum("...chw,c->...hw", batch_t, weights)
print(batch_gray_weighted_fancy.shape)
print(torch.allclose(batch_gray_weighted_fancy, batch_gray_weighted, atol=1e-6))
print(torch.allclose(img_gray_weighted_fancy, img_gray_weighted, atol=1e-6))
print(hasattr(img_t, "refine_names"), hasattr(img_t, "align_as"), hasattr(img_t, "names"))
try:
    torch.tensor([0.2126, 0.7152, 0.0722], names=["channels"])
except TypeError as e:
    print("TypeError:", e)
try:
    img_t.refine_names(..., "channels", "rows", "columns")
except AttributeError as e:
    print("AttributeError:", e)
