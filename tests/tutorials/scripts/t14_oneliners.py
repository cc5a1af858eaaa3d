# ruff: noqa: B007, UP008, UP031, UP032, E731, E701, E702, F401, I001  (tutorial code, kept as the tutorials write it)
"""Common tutorial one-liners and the error messages they print, run one block at a time."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

snips = r"""
t = torch.zeros(4, 4); b = t.view(2, 8); print(t.untyped_storage().data_ptr() == b.untyped_storage().data_ptr())
b = torch.arange(6).view(2,3); b[0][0] = 3.14; print(b)
print(torch.arange(10).view(2, 5).T.is_contiguous(), torch.arange(4).stride())
x = torch.arange(6.).reshape(2, 3); print(x.unbind(1), x.chunk(2, 1), x.narrow(1, 1, 2), x.diag() if False else x.diagonal())
print(torch.tensor([1, 2, 3]).dtype, torch.tensor([1., 2.]).dtype, torch.tensor([True]).dtype, torch.tensor(np.array([1, 2], dtype=np.int32)).dtype)
print(torch.tensor([1, 2]) + 0.5, torch.tensor([1, 2]) * True, torch.tensor([1, 2], dtype=torch.uint8) - 3)
print(torch.tensor([1, 2]).float() / 0, torch.tensor([1, 2]) / torch.tensor([0, 1]))
print(torch.tensor([[1, 2], [3, 4]]).sum(0).tolist(), torch.tensor([1.5]).tolist(), torch.tensor(2).tolist())
print(torch.mm(torch.ones(2, 3), torch.ones(3, 2)), torch.mv(torch.ones(2, 3), torch.ones(3)), torch.dot(torch.ones(3), torch.ones(3)))
print(torch.outer(torch.arange(3.), torch.arange(2.)), torch.cross(torch.eye(3), torch.eye(3).roll(1, 0), dim=1))
print(torch.log_softmax(torch.tensor([1., 2., 3.]), 0), F.softmax(torch.tensor([[1., 2.]]), dim=-1))
print(torch.histc(torch.tensor([1., 2., 1.]), bins=4, min=0, max=3), torch.bincount(torch.tensor([0, 1, 1, 3])))
print(torch.tensor([3, 1, 2]).argsort(), torch.tensor([[3, 1], [0, 2]]).max(), torch.tensor([1., 2.]).lerp(torch.tensor([3., 4.]), 0.5))
print(torch.quantile(torch.tensor([1., 2., 3., 4.]), 0.5), torch.median(torch.tensor([3., 1., 2.])), torch.mode(torch.tensor([1, 1, 2])))
print(torch.kthvalue(torch.tensor([3., 1., 2.]), 2), torch.tensor([1., 2., 3.]).var(unbiased=True), torch.std_mean(torch.tensor([1., 2., 3.])))
print(torch.min(torch.tensor([[3, 1], [0, 2]]), dim=1), torch.aminmax(torch.tensor([3, 1, 5])))
print(torch.logsumexp(torch.tensor([1., 2.]), 0), torch.prod(torch.tensor([2, 3])), torch.tensor([1, 2, 3]).numpy().tolist())
print(nn.functional.normalize(torch.tensor([[3., 4.]]), dim=1), F.cosine_similarity(torch.ones(1, 3), torch.ones(1, 3)))
print(F.mse_loss(torch.ones(3), torch.zeros(3)), F.l1_loss(torch.ones(3), torch.zeros(3), reduction='sum'), F.nll_loss(torch.log_softmax(torch.ones(2, 3), 1), torch.tensor([0, 2])))
print(F.binary_cross_entropy(torch.tensor([0.5, 0.9]), torch.tensor([1., 0.])), F.smooth_l1_loss(torch.tensor([0.5, 3.]), torch.zeros(2)), F.kl_div(torch.log(torch.tensor([0.5, 0.5])), torch.tensor([0.9, 0.1]), reduction='batchmean'))
print(nn.CrossEntropyLoss(label_smoothing=0.1)(torch.tensor([[1., 2., 3.]]), torch.tensor([0])), nn.CrossEntropyLoss()(torch.tensor([[1., 2., 3.]]), torch.tensor([[0., 0., 1.]])))
print(torch.tensor([[1, 2], [3, 4]])[torch.tensor([True, False])], torch.tensor([5, 6, 7])[[0, 2]], torch.tensor([5, 6, 7])[-1], torch.tensor([5, 6, 7])[1:].sum())
print(torch.tensor([1., 2.]).new_tensor([3, 4]), torch.tensor([1, 2]).new_full((2,), 7), torch.tensor([1.]).new_empty(2).shape)
print(torch.tensor([1, 2]).to(torch.float64), torch.tensor([1., 2.]).to('cpu', torch.int32), torch.tensor([1.]).to(torch.tensor([1], dtype=torch.int16)))
m = nn.Linear(2, 2); print(m.weight.dtype, m.double().weight.dtype, m.float().weight.dtype, m.half().weight.dtype)
m = nn.Linear(2, 2); print(m.training, m.eval().training, type(m.train()).__name__, m.extra_repr(), nn.Linear(2, 2, bias=False).bias)
m = nn.Sequential(nn.Linear(2, 2)); m.add_module('act', nn.ReLU()); m.append(nn.Linear(2, 1)); print(m, len(m), m[-1], m[0:2])
print(nn.utils.parameters_to_vector(nn.Linear(2, 1).parameters()).shape, sum(p.numel() for p in nn.Conv2d(3, 8, 3).parameters()))
class M(nn.Module):
    def __init__(s):
        super().__init__(); s.register_buffer('b', torch.zeros(2)); s.p = nn.Parameter(torch.ones(1)); s.l = [nn.Linear(1, 1)]
print(M(), list(M().state_dict()), list(M().named_buffers()), [n for n, _ in M().named_parameters()])
x = torch.ones(2, requires_grad=True); y = x * 2; y.retain_grad(); y.sum().backward(); print(y.grad, x.grad, y.is_leaf, y.requires_grad)
x = torch.ones(2, requires_grad=True); print(x.sum().backward(), x.grad.requires_grad)
x = torch.tensor([1., 2.], requires_grad=True); print(x.detach().requires_grad_(), x.clone(), x.data, x + 1, x[0], x.view(2, 1), x.sum(), x.mean(), x.exp(), x.t() if False else x.reshape(1, 2))
x = torch.tensor([1., 2.], requires_grad=True); print(x ** 2, x / 2, -x, x.abs(), x.sigmoid(), x.relu(), x.max(), torch.cat([x, x]), torch.stack([x, x]), x.unsqueeze(0), x.expand(2, 2), x.float(), x.double())
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e: print(e)
try:
    torch.ones(2, 3) + torch.ones(3, 2)
except RuntimeError as e: print(e)
try:
    torch.ones(2, 3).view(4)
except RuntimeError as e: print(e)
try:
    nn.Linear(3, 2)(torch.ones(4, 2))
except RuntimeError as e: print(e)
try:
    x = torch.ones(2, requires_grad=True); y = (x * x).sum(); y.backward(); y.backward()
except RuntimeError as e: print(e)
try:
    torch.ones(2, requires_grad=True).numpy()
except RuntimeError as e: print(e)
try:
    torch.ones(2).item()
except RuntimeError as e: print(e)
try:
    x = torch.ones(2, requires_grad=True); x.add_(1)
except RuntimeError as e: print(e)
try:
    nn.Conv2d(3, 8, 3)(torch.ones(1, 1, 8, 8))
except RuntimeError as e: print(e)
try:
    F.cross_entropy(torch.ones(2, 3), torch.tensor([0., 1.]))
except RuntimeError as e: print(e)
try:
    torch.ones(3)[5]
except IndexError as e: print(e)
try:
    torch.cat([torch.ones(2, 3), torch.ones(2, 4)])
except RuntimeError as e: print(e)
"""
src = snips
blocks, cur = [], []
for line in src.strip().split("\n"):
    if line.startswith((" ", "except")) and cur:
        cur.append(line)
    else:
        if cur:
            blocks.append("\n".join(cur))
        cur = [line]
blocks.append("\n".join(cur))
for b in blocks:
    try:
        exec(b)
    except Exception as e:
        print("ERR", type(e).__name__, e)

x = torch.ones(2)
print(
    type(x),
    type(nn.Parameter(x)),
    type(torch.tensor(1).item()),
    type(x.tolist()),
    type(x.numpy()),
    type((x * 1).grad_fn),
)
