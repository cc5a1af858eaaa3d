# ruff: noqa: E501
"""torch.ops.aten as code written against PyTorch's operator set uses it (decompositions, graph
passes, tests that call overloads directly): packets and overloads and their printed forms, calling
overloads (Tensor/Scalar/out forms, ATen-only ops such as convolution, native_layer_norm, _softmax,
addmm, slice, losses with an int reduction), a tiny MLP written in aten ops trained with autograd,
and the errors for unknown ops and overloads."""
import torch

torch.manual_seed(0)
aten = torch.ops.aten

print(torch.ops, aten)
for name in ["add", "mul", "sum", "convolution", "native_layer_norm", "relu_", "view"]:
    packet = getattr(aten, name)
    print(repr(packet), packet, packet.overloads()[:6])
print(repr(aten.add.Tensor), aten.add.Tensor, aten.add.Tensor.name(), aten.add.default.name(), aten.add.Tensor.__name__)
print(aten.add.Tensor.overloadpacket is aten.add, aten.add.Tensor.namespace, aten.sum.dim_IntList is aten.sum.dim_IntList)
print(aten.mm.default == aten.mm.default, {aten.mm.default: 1}[aten.mm.default])

a = torch.arange(12.0).view(3, 4)
b = torch.ones(4, 2)
print(aten.add.Tensor(a, a, alpha=2))
print(aten.add.Scalar(a, 1))
print(aten.add(a, 0.5))
out = torch.empty(3, 4)
r = aten.add.out(a, a, out=out)
print(r is out, out.sum())
print(aten.mm.default(a, b))
print(aten.addmm.default(torch.ones(3, 2), a, b, beta=0.5, alpha=2))
print(aten.sum.dim_IntList(a, [1], True), aten.sum.default(a))
print(aten.mean.dim(a, [0]))
print(aten.view.default(a, [4, 3]).shape, aten.t.default(a).shape, aten.permute.default(a, [1, 0]).shape)
print(aten.slice.Tensor(a, 1, 1, 4, 2))
print(aten.select.int(a, 0, 1))
print(aten._softmax.default(a, 1, False))
print(aten._log_softmax.default(a, 0, False))
print(aten._to_copy.default(a, dtype=torch.float64).dtype)
print(aten.cat.default([a, a], 0).shape)
print(aten.where.self(a > 5, a, -a))
c = a.clone()
aten.relu_.default(aten.sub_.Tensor(c, 5))
print(c)

x = torch.randn(2, 3, 8, 8)
w = torch.randn(4, 3, 3, 3)
bias = torch.randn(4)
y = aten.convolution.default(x, w, bias, [1, 1], [1, 1], [1, 1], False, [0, 0], 1)
print(y.shape, torch.allclose(y, torch.nn.functional.conv2d(x, w, bias, padding=1), atol=1e-5))
yt = aten.convolution.default(y, w, None, [2, 2], [1, 1], [1, 1], True, [1, 1], 1)
print(yt.shape, torch.allclose(yt, torch.nn.functional.conv_transpose2d(y, w, stride=2, padding=1, output_padding=1), atol=1e-4))
ln, mean, rstd = aten.native_layer_norm.default(x, [8, 8], None, None, 1e-5)
print(ln.shape, mean.shape, rstd.shape, torch.allclose(ln, torch.nn.functional.layer_norm(x, [8, 8]), atol=1e-5))
pooled, idx = aten.max_pool2d_with_indices.default(x, [2, 2], [2, 2])
print(pooled.shape, idx.dtype, torch.equal(pooled, torch.nn.functional.max_pool2d(x, 2)))
logits = torch.randn(5, 3)
target = torch.tensor([0, 2, 1, 1, 0])
print(torch.allclose(aten.cross_entropy_loss.default(logits, target, None, 1, -100, 0.0), torch.nn.functional.cross_entropy(logits, target)))
print(torch.allclose(aten.mse_loss.default(logits, logits * 0.5, 2), torch.nn.functional.mse_loss(logits, logits * 0.5, reduction="sum")))
print(aten.nll_loss.default(torch.log_softmax(logits, 1), target, None, 0).shape)

# a two-layer MLP in aten ops, trained with autograd
X = torch.randn(64, 4)
Y = (X[:, :1] * 2 - X[:, 1:2]).tanh()
w1 = (torch.randn(4, 16) * 0.5).requires_grad_()
b1 = torch.zeros(16, requires_grad=True)
w2 = (torch.randn(16, 1) * 0.5).requires_grad_()
b2 = torch.zeros(1, requires_grad=True)
for step in range(60):
    h = aten.relu.default(aten.addmm.default(b1, X, w1))
    pred = aten.addmm.default(b2, h, w2)
    loss = aten.mse_loss.default(pred, Y, 1)
    for p in (w1, b1, w2, b2):
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in (w1, b1, w2, b2):
            aten.sub_.Tensor(p, p.grad, alpha=0.1)
    if step % 20 == 0:
        print(step, type(loss.grad_fn).__name__, f"{loss.item():.4f}")
print(f"final {loss.item():.4f}")

for bad in [lambda: aten.not_an_op, lambda: aten.add.nope, lambda: torch.ops.myns.f]:
    try:
        bad()
    except AttributeError as e:
        print("AttributeError:", e)
