# More Tensor API odds and ends (indexing, reductions, creation, printing options).
import torch

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
