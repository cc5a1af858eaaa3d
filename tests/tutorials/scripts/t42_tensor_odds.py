# torch / Tensor API odds and ends, as the docs' examples use them.
import numpy as np
import torch

x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])
print(torch.where(x > 0, x, torch.zeros_like(x)))
print(torch.where(x > 0, x, 0.0), torch.where(x < 0))
print(torch.where(torch.tensor([True, False]), 1, 2), torch.where(x > 0, 1.0, -1).dtype)

t = torch.tensor([[1, 2], [3, 4]])
print(torch.gather(t, 1, torch.tensor([[0, 0], [1, 0]])))
print(torch.gather(t, 0, torch.tensor([[1, 0]])), t.gather(-1, torch.tensor([[1], [0]])))

a = torch.ones(5, 3)
print(a.index_add_(0, torch.tensor([0, 4, 2]), torch.tensor([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])))
print(torch.ones(5, 3).index_add(0, torch.tensor([0, 4, 2, 0]), torch.ones(4, 3), alpha=-1))
print(
    torch.zeros(3, dtype=torch.long).index_add_(0, torch.tensor([1, 1, 2]), torch.tensor([5, 6, 7]))
)

m = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 0, 1, 1]], dtype=torch.bool)
src = torch.arange(10.0).reshape(2, 5)
print(torch.zeros(2, 5).masked_scatter(m, src))
print(torch.zeros(5).masked_scatter_(torch.tensor([True, False, True, False, False]), src))
print(torch.zeros(2, 5).masked_fill(m, -1.5), x.masked_select(x > 0))

boundaries = torch.tensor([1, 3, 5, 7, 9])
v = torch.tensor([[3, 6, 9], [3, 6, 9]])
print(torch.bucketize(v, boundaries), torch.bucketize(v, boundaries, right=True))
print(torch.bucketize(torch.tensor([0.5, 9.5]), boundaries, out_int32=True))
print(torch.searchsorted(torch.tensor([1, 3, 5, 7, 9]), torch.tensor([3, 6, 9])))
print(torch.histc(torch.tensor([1.0, 2, 1]), bins=4, min=0, max=3))
print(torch.histc(torch.tensor([0.0, 0.5, 1.0, 2.5, 4.0, 5.0]), bins=5))
print(torch.bincount(torch.tensor([0, 1, 1, 3])), torch.bincount(torch.tensor([0, 1]), minlength=4))

p1 = torch.tensor([[0.9041, 0.0196], [-0.3108, -2.4423], [-0.4821, 1.059]])
p2 = torch.tensor([[-2.1763, -0.4713], [-0.6986, 1.3702]])
print(torch.cdist(p1, p2, p=2.0).round(decimals=4))
print(torch.cdist(p1, p2, p=1).round(decimals=4), torch.cdist(p1[None], p2[None]).shape)
print(torch.cdist(p1, p2, p=float("inf")).round(decimals=4))

sq = torch.arange(1.0, 17.0).reshape(4, 4)
print(torch.tril(sq), torch.triu(sq, diagonal=1))
print(torch.tril(sq, -1), sq.triu(-1), torch.tril_indices(3, 3), torch.triu_indices(2, 3, 1))
print(torch.ones(2, 3, 3).tril().sum((1, 2)), torch.triu(torch.ones(3, 3, dtype=torch.bool)))

gx, gy = torch.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([4, 5]), indexing="ij")
print(gx, gy, gx.shape)
gx, gy = torch.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([4, 5]), indexing="xy")
print(gx, gy, gx.shape)
print(torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4])))

A = torch.arange(6.0).reshape(2, 3)
B = torch.arange(12.0).reshape(3, 4)
vv = torch.tensor([1.0, 2.0, 3.0])
print(
    torch.einsum("ij,jk->ik", A, B), torch.einsum("ij->ji", A), torch.einsum("ii", torch.eye(3) * 2)
)
print(torch.einsum("i,i->", vv, vv), torch.einsum("i,j->ij", vv, vv), torch.einsum("ij->", A))
print(torch.einsum("bij,bjk->bik", A[None].repeat(2, 1, 1), B[None].repeat(2, 1, 1)).shape)
print(torch.einsum("...ij->...ji", torch.ones(2, 3, 4)).shape, torch.einsum("ii->i", sq))
print(torch.einsum(A, [0, 1], B, [1, 2], [0, 2]), torch.einsum("i j, j -> i", A, vv))
print(torch.einsum("bn,anm,bm->ba", torch.ones(2, 3), torch.ones(5, 3, 4), torch.ones(2, 4)))

print(torch.stack([vv, vv * 2], dim=-1), torch.cat([A, A], dim=-1), torch.stack([A, A], -1).shape)
print(torch.cat((A, torch.empty(0, 3))).shape, torch.hstack([vv, vv]), torch.vstack([vv, vv]))
print(torch.dstack([vv, vv]).shape, torch.column_stack([vv, vv]), torch.row_stack([vv, vv]).shape)

# printing
torch.set_printoptions(precision=2)
print(torch.tensor([1.12345, 2.5, -3.0]), torch.tensor([[1e-5, 1.0]]))
torch.set_printoptions(sci_mode=True)
print(torch.tensor([1.5, 100.0]))
torch.set_printoptions(sci_mode=False, precision=6)
print(torch.tensor([1e-7, 1e5, 3.25]))
torch.set_printoptions(linewidth=40)
print(torch.arange(20.0))
torch.set_printoptions(profile="default")
print(torch.arange(20.0), torch.tensor([1e-8, 1.0]), torch.tensor([1e10, 1.0]))
torch.set_printoptions(threshold=5, edgeitems=2)
print(torch.arange(10), torch.arange(30).reshape(5, 6))
torch.set_printoptions(profile="default")
print(torch.arange(2000))
print(torch.arange(2000.0).reshape(40, 50))
print(torch.arange(1200).reshape(2, 20, 30))
print(torch.tensor([1e-12, 1e-10]), torch.tensor([0.0001, 123456.0]), torch.tensor(1e20))
print(
    torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]),
    torch.tensor([]),
    torch.zeros(0, 3),
)
print(torch.tensor([1, -2, 300]), torch.tensor([True, False]), torch.tensor(7), torch.tensor(2.5))
print(
    torch.tensor([1.5, -2.25], dtype=torch.float16), torch.tensor([1.5, 3.0], dtype=torch.bfloat16)
)
print(torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor([1, 2], dtype=torch.int32))
print(
    torch.tensor([1, 2], dtype=torch.int8),
    torch.tensor([1, 2], dtype=torch.uint8),
    torch.tensor([3], dtype=torch.int16),
)
print(torch.tensor(3.0, dtype=torch.float16), torch.tensor([0.1, 0.2], dtype=torch.bfloat16) * 3)
print(torch.tensor([1.0, 2.0]).half(), torch.tensor([[1, 2]]).bool(), torch.tensor([100000.0, 1.0]))
print(torch.tensor([1 + 2j, 3 - 1j]), torch.ones(2, requires_grad=True) * 2)
print(
    repr(torch.tensor([0.5])),
    str(torch.tensor([[1.0]])),
    f"{torch.tensor(2.5):.2f}",
    f"{torch.tensor(3)}",
)

# finfo / iinfo
for dt in [torch.float32, torch.float16, torch.bfloat16, torch.float64]:
    fi = torch.finfo(dt)
    print(dt, fi.bits, fi.eps, fi.max, fi.min, fi.tiny, fi.resolution, fi.dtype)
for dt in [torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64]:
    ii = torch.iinfo(dt)
    print(ii.bits, ii.max, ii.min, ii.dtype, ii)
print(torch.finfo(), torch.finfo(torch.float16))

# torch.Size
s = torch.Size([2, 3, 4])
print(s, s[1], s[1:], s[-1], len(s), s.numel(), tuple(s), list(s), s == (2, 3, 4), s + (5,))
print(
    type(s[1:]).__name__,
    type(s + (5,)).__name__,
    torch.Size(),
    torch.Size([]).numel(),
    isinstance(s, tuple),
)
print(
    torch.zeros(s).shape, torch.ones(2, 3).size(1), torch.ones(2, 3).size(-2), torch.ones(*s).dim()
)
n, c, h = torch.ones(2, 3, 4).shape
print(n, c, h, s.index(3), s.count(2), hash(s) == hash((2, 3, 4)), str(torch.Size([5])))

# round trips
arr = np.array([[1.5, 2.5], [3.5, 4.5]], dtype=np.float32)
tt = torch.from_numpy(arr)
print(tt, tt.numpy(), type(tt.numpy()).__name__, tt.numpy().dtype, tt.tolist(), tt[0, 1].item())
print(
    torch.tensor([1, 2]).numpy().dtype,
    torch.tensor(3).item(),
    type(torch.tensor(3).item()).__name__,
)
print(torch.tensor(True).item(), torch.tensor([[True]]).tolist(), torch.tensor(2.5).tolist())
print(
    torch.tensor([1.5], dtype=torch.float16).tolist(),
    torch.tensor([0.1], dtype=torch.float64).item(),
)
print(torch.tensor([1.0, 2.0], dtype=torch.bfloat16).tolist(), torch.tensor(np.float64(2.0)).dtype)
print(
    torch.as_tensor([1, 2, 3]).numpy(),
    torch.tensor(np.arange(3)).tolist(),
    np.asarray(torch.ones(2)),
)
print(torch.tensor([[1, 2], [3, 4]]).numpy().T, float(torch.tensor([2.5])), int(torch.tensor(7.9)))
print(torch.from_numpy(np.array([1, 2], dtype=np.int16)).dtype, torch.tensor(np.array(True)).dtype)

# More Tensor API odds and ends (indexing, reductions, creation, printing options).

x = torch.tensor([[3.0, 1.0, 2.0], [6.0, 5.0, 4.0]])
idx = torch.tensor([[0, 2], [1, 0]])
print(
    torch.zeros(2, 3).scatter(1, idx, 1.5), torch.zeros(2, 3).scatter_add(1, idx, torch.ones(2, 2))
)
print(
    torch.zeros(3).scatter_reduce(
        0, torch.tensor([0, 0, 2]), torch.tensor([1.0, 5.0, 2.0]), reduce="amax"
    )
)
print(
    torch.ones(3).scatter_reduce(
        0, torch.tensor([0, 0, 2]), torch.tensor([1.0, 5.0, 2.0]), reduce="mean", include_self=False
    )
)
print(torch.zeros(2, 3).scatter_(1, idx, torch.tensor([[1.0, 2.0], [3.0, 4.0]]), reduce="add"))
print(
    x.index_select(1, torch.tensor([2, 0])),
    torch.zeros(3, 2).index_copy(0, torch.tensor([2, 0]), torch.ones(2, 2)),
)
print(x.clone().index_fill_(1, torch.tensor([0]), -1), torch.take_along_dim(x, x.argsort(1), 1))
print(torch.take(x, torch.tensor([0, 5])))
print(torch.nonzero(x > 2), torch.nonzero(x > 2, as_tuple=True), torch.argwhere(x > 4))
print(
    torch.unique(torch.tensor([3, 1, 2, 3, 1])),
    torch.unique(torch.tensor([3, 1, 2, 3, 1]), return_counts=True, return_inverse=True),
)
print(
    torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1]), return_counts=True),
    torch.tensor([[1, 2], [1, 2], [0, 1]]).unique(dim=0),
)
print(x.topk(2), x.topk(1, dim=0, largest=False), x.sort(descending=True), x.sort(dim=0).indices)
print(
    torch.kthvalue(torch.tensor([3.0, 1.0, 2.0]), 2),
    x.max(1),
    x.min(),
    x.argmax(),
    x.argmin(1, keepdim=True),
)
print(
    x.cumsum(1),
    x.cumprod(0),
    torch.cummax(torch.tensor([1, 3, 2, 5]), 0),
    torch.diff(torch.tensor([1, 4, 9, 16])),
)
print(
    x.flip(1),
    torch.roll(x, 1, 1),
    torch.roll(x, shifts=(1, 1), dims=(0, 1)),
    torch.rot90(x),
    torch.fliplr(x),
)
print(
    x.chunk(2, 1),
    x.split([1, 2], 1),
    x.unbind(1),
    x.narrow(1, 1, 2),
    torch.arange(7).unfold(0, 3, 2),
)
print(torch.tensor_split(torch.arange(7), 3), torch.tensor_split(torch.arange(7), [1, 5]))
print(x.clamp(min=2.5), x.clamp(2, 4), torch.isin(torch.tensor([1, 2, 3]), torch.tensor([2, 5])))
print(
    torch.allclose(x, x + 1e-9),
    torch.isclose(x, x + 0.5, atol=0.6),
    torch.count_nonzero(x > 2, dim=1),
)
print(
    torch.diag(torch.tensor([1, 2])),
    torch.diag(x),
    torch.diag_embed(torch.tensor([[1, 2]])),
    torch.block_diag(torch.ones(1, 1), 2 * torch.ones(2, 2)),
)
print(
    torch.trace(torch.ones(3, 3)),
    torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4])),
    torch.linalg.cross(torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0])),
)
print(
    x.logsumexp(1).round(decimals=4),
    x.std(),
    x.var(1, unbiased=False),
    x.std(0, correction=0),
    x.mean((0, 1)),
)
print(
    torch.quantile(torch.tensor([1.0, 2.0, 3.0, 4.0]), 0.25),
    torch.quantile(x, torch.tensor([0.5, 0.9]), dim=1),
)
print(
    torch.nanmean(torch.tensor([1.0, float("nan"), 3.0])),
    torch.nansum(torch.tensor([1.0, float("nan")])),
    torch.tensor([1, 2, 2, 3]).mode(),
)
print(
    torch.aminmax(x),
    x.amax((0, 1)),
    x.median(),
    x.median(1),
    torch.tensor([1.0, 2.0, 3.0, 4.0]).median(),
)
print(
    x.prod(1),
    x.sum(1, keepdim=True),
    x.all(),
    (x > 0).any(1),
    x.norm(),
    x.norm(p=1, dim=1),
    torch.linalg.vector_norm(x, ord=float("inf")),
)
print(
    x.sign(),
    x.neg().abs(),
    torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5])),
    torch.tensor([1.234567]).round(decimals=2),
)
print(
    torch.floor_divide(torch.tensor([-7, 7]), 2),
    torch.tensor([-7, 7]) % 3,
    torch.fmod(torch.tensor([-7.0, 7.0]), 3),
    torch.remainder(torch.tensor([-7.0]), 3),
)
print(
    torch.tensor([5]) / 2,
    torch.tensor([5]) // 2,
    torch.div(torch.tensor([-5]), 2, rounding_mode="trunc"),
    torch.true_divide(torch.tensor([4]), 2),
)
print(
    torch.arange(0, 1, 0.25),
    torch.linspace(0, 1, 5),
    torch.logspace(0, 2, 3),
    torch.arange(5, 0, -2),
    torch.full((2, 2), 7),
    torch.full((2,), 1.5).dtype,
)
print(
    torch.eye(2, 3),
    torch.zeros_like(x, dtype=torch.int32),
    torch.ones_like(x).new_zeros(2),
    x.new_tensor([1, 2]),
    x.new_full((2,), 3),
    x.new_ones(1).dtype,
)
print(
    torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor([0.5])),
    torch.logical_and(torch.tensor([True, False]), torch.tensor([True, True])),
)
print(
    torch.bitwise_and(torch.tensor([12]), 10),
    torch.tensor([1]) << 3,
    ~torch.tensor([True, False]),
    ~torch.tensor([5]),
)
print(
    x.T,
    x.mT,
    x.t().contiguous().view(-1),
    x.view(3, 2),
    x.reshape(-1, 1).squeeze(),
    x.unsqueeze(0).shape,
    x.flatten(),
    x.ravel(),
)
print(
    x.expand(2, 2, 3).shape,
    x[None].expand(3, -1, -1).shape,
    x.repeat(2, 1).shape,
    x.movedim(0, 1).shape,
    x.permute(1, 0).shape,
    x.swapaxes(0, 1).shape,
)
print(
    x[:, [0, 2]],
    x[x > 2],
    x[[0, 1], [1, 2]],
    x[..., 1],
    x[:, None, 1].shape,
    x[1, ::2],
    x[-1],
    x[torch.tensor([True, False])],
)
y = x.clone()
y[y > 3] = 0
y[:, 0] += 10
y[0] = torch.tensor([7.0, 8.0, 9.0])
print(y)
print(
    x.type(torch.int64),
    x.to(torch.float16),
    x.int().float() / 3,
    x.long().dtype,
    x.double().dtype,
    x.to(dtype=torch.bool),
    x.bfloat16(),
)
print(
    torch.tensor([[0.1234, 12345.6789]]),
    torch.tensor([1e-3, 1e3, 1e4]),
    torch.tensor([-0.0, 0.0]),
    torch.tensor([1.0, 10.0, 100.0]) / 3,
)
print(
    torch.tensor([123456789.0]),
    torch.tensor([0.000012]),
    torch.tensor([1.0, 2.0], dtype=torch.float64) / 3,
    torch.tensor([2.0**40]),
)
print(
    torch.tensor([1, 2], dtype=torch.int64) * 10**12,
    torch.tensor([[1.5, float("nan")], [float("inf"), 2.0]]),
)
print(
    torch.tensor([1e-5, 1.0, 1000.0], dtype=torch.float16),
    torch.tensor([0.1, 100.25], dtype=torch.bfloat16),
    torch.tensor(1e-5, dtype=torch.float16),
)
print(
    torch.arange(12).reshape(3, 4).float().requires_grad_(),
    torch.ones(2, 2, dtype=torch.float64, requires_grad=True).sum(),
)
print(
    torch.zeros(2, 0, 3),
    torch.ones(1, 1, 1),
    torch.tensor([[[1.5]]]).squeeze(),
    torch.tensor([True]).sum(),
    torch.tensor([1, 2]).float().mean(),
)
print(
    torch.tensor([0.1, 0.25], dtype=torch.float16).tolist(),
    torch.tensor([1.1], dtype=torch.bfloat16).item(),
    torch.tensor(2**40).item(),
)
print(torch.arange(1000.0) / 7)
print(torch.randn(100, 100).shape)
torch.set_printoptions(precision=3, threshold=20)
print(torch.arange(30.0) / 7, torch.tensor(1 / 3))
torch.set_printoptions()
print(torch.tensor(1 / 3))
torch.set_printoptions(precision=10)
print(torch.tensor([1 / 3]), torch.tensor([1 / 3], dtype=torch.float64))
torch.set_printoptions(profile="short")
print(torch.tensor([1 / 3]), torch.arange(1000))
torch.set_printoptions(profile="full")
print(torch.arange(1001).shape, str(torch.arange(1010)).count("..."))
torch.set_printoptions(profile="default")

# torch.Size, NumPy round trips and mixing, number formatting and more printing options.

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
