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
