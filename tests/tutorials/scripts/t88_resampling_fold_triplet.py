# ruff: noqa: E501 (long example lines kept)
# Resampling and patch ops as tutorials use them: F.interpolate / nn.Upsample in every mode (with
# align_corners, scale_factor, recompute_scale_factor, antialias), nn.Unfold/nn.Fold for patch
# extraction and reassembly (a convolution as unfold + matmul), and a triplet-loss embedding step
# (TripletMarginLoss, TripletMarginWithDistanceLoss, PairwiseDistance).
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

# -- interpolate / Upsample --------------------------------------------------------------------------
x = torch.arange(1.0, 5.0).view(1, 1, 2, 2)
print(nn.Upsample(scale_factor=2, mode="nearest")(x))
print(nn.Upsample(scale_factor=2, mode="bilinear")(x))
print(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)(x))
# bicubic agrees to a few float32 ulps (another evaluation order): 3 decimals
torch.set_printoptions(precision=3)
print(nn.Upsample(size=(3, 5), mode="bicubic", align_corners=False)(x))
torch.set_printoptions(profile="default")
print(nn.Upsample(scale_factor=2), nn.Upsample(size=(3, 5), mode="bicubic", align_corners=False))
print(nn.UpsamplingNearest2d(scale_factor=2), nn.UpsamplingBilinear2d(size=4))
print(nn.UpsamplingBilinear2d(scale_factor=2)(x))
s = torch.arange(6.0).view(1, 1, 6)
for mode in ["nearest", "nearest-exact", "linear"]:
    print(mode, F.interpolate(s, size=4, mode=mode), F.interpolate(s, scale_factor=0.5, mode=mode))
print(F.interpolate(s, scale_factor=1.5, mode="linear", align_corners=True))
print(
    F.interpolate(s, scale_factor=1.7, mode="nearest"),
    F.interpolate(s, scale_factor=1.7, mode="nearest", recompute_scale_factor=True),
)
img = torch.rand(1, 2, 7, 9)
for mode in ["nearest", "nearest-exact", "bilinear", "bicubic", "area"]:
    y = F.interpolate(img, size=(4, 5), mode=mode)
    print(mode, y.shape, round(y.sum().item(), 3))
for mode in ["bilinear", "bicubic"]:
    y = F.interpolate(img, size=(3, 4), mode=mode, antialias=True)
    print("antialias", mode, y.shape, round(y.sum().item(), 4))
vol = torch.rand(1, 1, 3, 4, 5)
print(
    F.interpolate(vol, scale_factor=2, mode="trilinear").shape,
    round(F.interpolate(vol, size=(2, 3, 4), mode="trilinear", align_corners=True).sum().item(), 4),
)
print(F.interpolate(vol, scale_factor=(1, 2, 0.5), mode="nearest").shape)
print(F.adaptive_avg_pool2d(img, (4, 5)).allclose(F.interpolate(img, size=(4, 5), mode="area")))
g = torch.rand(1, 1, 4, 4, requires_grad=True)
F.interpolate(g, scale_factor=2, mode="bilinear").pow(2).sum().backward()
print(g.grad)
for bad in [dict(size=3, scale_factor=2), dict(), dict(size=(2, 3), mode="linear")]:
    try:
        F.interpolate(img, **bad)
    except (ValueError, NotImplementedError) as e:
        print(type(e).__name__, e)
try:
    F.interpolate(img, size=4, mode="nearest", align_corners=True)
except ValueError as e:
    print("ValueError:", e)

# -- Unfold / Fold ----------------------------------------------------------------------------------------
unfold = nn.Unfold(kernel_size=(2, 3))
print(unfold)
inp = torch.randn(2, 5, 3, 4)
output = unfold(inp)
print(
    output.size()
)  # each patch contains 30 values (2x3=6 vectors, each of 5 channels); 4 blocks (2x2 kernels) in total in the 3x4 input
fold = nn.Fold(output_size=(4, 5), kernel_size=(2, 2))
print(fold)
inp2 = torch.randn(1, 3 * 2 * 2, 12)
print(fold(inp2).size())
# Convolution is equivalent with Unfold + Matrix Multiplication + Fold (or view to output shape)
inp = torch.randn(1, 3, 10, 12)
w = torch.randn(2, 3, 4, 5)
inp_unf = F.unfold(inp, (4, 5))
out_unf = inp_unf.transpose(1, 2).matmul(w.view(w.size(0), -1).t()).transpose(1, 2)
out = F.fold(out_unf, (7, 8), (1, 1))
# or equivalently (and avoiding a copy),
# out = out_unf.view(1, 2, 7, 8)
print((F.conv2d(inp, w) - out).abs().max() < 1e-4)
patches = F.unfold(torch.arange(16.0).view(1, 1, 4, 4), kernel_size=2, stride=2)
print(patches)
print(F.fold(patches, output_size=4, kernel_size=2, stride=2))
ones = torch.ones(1, 1, 4, 4)
counts = F.fold(F.unfold(ones, 3, padding=1), 4, 3, padding=1)
print(counts)
print(
    F.unfold(
        torch.arange(20.0).view(1, 1, 4, 5),
        kernel_size=(2, 2),
        dilation=(1, 2),
        padding=(0, 1),
        stride=(2, 1),
    )
)
print(
    nn.Unfold(kernel_size=3, dilation=2, padding=1, stride=2),
    nn.Fold(output_size=5, kernel_size=(1, 3), stride=1),
)
uf = torch.randn(1, 2, 5, 5, requires_grad=True)
F.unfold(uf, 3).sum().backward()
print(uf.grad[0, 0])
try:
    F.fold(torch.randn(1, 5, 12), (4, 5), (2, 2))
except RuntimeError as e:
    print("RuntimeError:", e)

# -- triplet loss -----------------------------------------------------------------------------------------
triplet_loss = nn.TripletMarginLoss(margin=1.0, p=2, eps=1e-7)
print(triplet_loss)
anchor = torch.randn(100, 128, requires_grad=True)
positive = torch.randn(100, 128, requires_grad=True)
negative = torch.randn(100, 128, requires_grad=True)
output = triplet_loss(anchor, positive, negative)
output.backward()
print(output, anchor.grad.abs().sum())
for kw in [
    dict(margin=0.5, p=1),
    dict(swap=True),
    dict(reduction="sum"),
    dict(p=3.0, reduction="none"),
]:
    out = F.triplet_margin_loss(anchor[:4], positive[:4], negative[:4], **kw)
    print(kw, out.detach() if out.dim() else round(out.item(), 4))

embed = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
opt = torch.optim.SGD(embed.parameters(), lr=0.05)
a, p_, n = torch.randn(16, 6), torch.randn(16, 6), torch.randn(16, 6)
p_ = a + 0.1 * p_
for step in range(4):
    opt.zero_grad()
    loss = triplet_loss(embed(a), embed(p_), embed(n))
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.4f}", loss.grad_fn.name())

pdist = nn.PairwiseDistance(p=2)
print(pdist, pdist(a[:3], n[:3]), nn.PairwiseDistance(p=1, keepdim=True)(a[:2], n[:2]))


def cosine_distance(x1, x2):
    return 1.0 - F.cosine_similarity(x1, x2)


tl_dist = nn.TripletMarginWithDistanceLoss(distance_function=cosine_distance, margin=0.2)
print(tl_dist(a, p_, n), nn.TripletMarginWithDistanceLoss(swap=True)(a, p_, n))
print(
    nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(), reduction="none")(
        a[:3], p_[:3], n[:3]
    )
)
