"""Diffusion from scratch (as "The Annotated Diffusion Model"-style tutorials): a minimal DDPM on the
8x8 digits: linear betas, a tiny UNet with time embeddings and attention, training, 50 reverse steps."""
import math
import importlib.util
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
device = "cpu"

# ---------------------------------------------------------------------------
# Data: 8x8 digits, upsampled to 16x16 and normalised to [-1, 1]
# ---------------------------------------------------------------------------
p = os.path.join(os.path.dirname(importlib.util.find_spec("torchlike").origin), "vision", "data", "digits.npz")
d = np.load(p)
images, targets = d["images"], d["targets"]
print("raw images:", images.shape, images.dtype, "targets:", targets.shape, targets.dtype)

x = torch.from_numpy(images).float().unsqueeze(1) / 16.0  # (N,1,8,8) in [0,1]
x = F.interpolate(x, size=(12, 12), mode="bilinear", align_corners=False)
x = F.pad(x, (2, 2, 2, 2), mode="constant", value=0.0)  # -> 16x16
x = x.clamp(0, 1) * 2 - 1
print("dataset:", x.shape, x.dtype, f"min={x.min().item():.4f} max={x.max().item():.4f} mean={x.mean().item():.4f}")

# ---------------------------------------------------------------------------
# Noise schedule
# ---------------------------------------------------------------------------
T = 50


def linear_beta_schedule(timesteps, beta_start=1e-4, beta_end=0.02):
    scale = 1000 / timesteps
    return torch.linspace(beta_start * scale, beta_end * scale, timesteps)


betas = linear_beta_schedule(T)
alphas = 1.0 - betas
alphas_cumprod = torch.cumprod(alphas, dim=0)
alphas_cumprod_prev = F.pad(alphas_cumprod[:-1], (1, 0), value=1.0)
sqrt_recip_alphas = torch.sqrt(1.0 / alphas)
sqrt_alphas_cumprod = torch.sqrt(alphas_cumprod)
sqrt_one_minus_alphas_cumprod = torch.sqrt(1.0 - alphas_cumprod)
posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)

print("betas:", betas.shape, betas.dtype)
print("betas[:5]:", betas[:5])
print("alphas_cumprod[-5:]:", alphas_cumprod[-5:])
print("posterior_variance[:3]:", posterior_variance[:3])


def extract(a, t, x_shape):
    batch_size = t.shape[0]
    out = a.gather(-1, t.cpu())
    return out.reshape(batch_size, *((1,) * (len(x_shape) - 1))).to(t.device)


def q_sample(x_start, t, noise=None):
    if noise is None:
        noise = torch.randn_like(x_start)
    sqrt_alphas_cumprod_t = extract(sqrt_alphas_cumprod, t, x_start.shape)
    sqrt_one_minus_alphas_cumprod_t = extract(sqrt_one_minus_alphas_cumprod, t, x_start.shape)
    return sqrt_alphas_cumprod_t * x_start + sqrt_one_minus_alphas_cumprod_t * noise


# forward-process check
t_demo = torch.tensor([0, 10, 25, 49])
xn = q_sample(x[:4], t_demo)
print("q_sample:", xn.shape, [f"{v:.4f}" for v in xn.std(dim=(1, 2, 3)).tolist()])

# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------
class SinusoidalPositionEmbeddings(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, time):
        half_dim = self.dim // 2
        embeddings = math.log(10000) / (half_dim - 1)
        embeddings = torch.exp(torch.arange(half_dim, device=time.device) * -embeddings)
        embeddings = time[:, None] * embeddings[None, :]
        embeddings = torch.cat((embeddings.sin(), embeddings.cos()), dim=-1)
        return embeddings


class ResidualBlock(nn.Module):
    def __init__(self, in_ch, out_ch, time_emb_dim, groups=4):
        super().__init__()
        self.mlp = nn.Sequential(nn.SiLU(), nn.Linear(time_emb_dim, out_ch))
        self.norm1 = nn.GroupNorm(groups, in_ch)
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, padding=1)
        self.act = nn.SiLU()
        self.res_conv = nn.Conv2d(in_ch, out_ch, 1) if in_ch != out_ch else nn.Identity()

    def forward(self, x, time_emb):
        h = self.conv1(self.act(self.norm1(x)))
        h = h + self.mlp(time_emb)[:, :, None, None]
        h = self.conv2(self.act(self.norm2(h)))
        return h + self.res_conv(x)


class AttentionBlock(nn.Module):
    def __init__(self, channels, heads=2):
        super().__init__()
        self.heads = heads
        self.scale = (channels // heads) ** -0.5
        self.norm = nn.GroupNorm(4, channels)
        self.to_qkv = nn.Conv2d(channels, channels * 3, 1, bias=False)
        self.to_out = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        qkv = self.to_qkv(self.norm(x)).chunk(3, dim=1)
        q, k, v = map(lambda t: t.reshape(b, self.heads, c // self.heads, h * w), qkv)
        q = q * self.scale
        sim = torch.einsum("b h d i, b h d j -> b h i j", q, k)
        sim = sim - sim.amax(dim=-1, keepdim=True).detach()
        attn = sim.softmax(dim=-1)
        out = torch.einsum("b h i j, b h d j -> b h i d", attn, v)
        out = out.permute(0, 1, 3, 2).reshape(b, c, h, w)
        return self.to_out(out) + x


class TinyUNet(nn.Module):
    def __init__(self, in_ch=1, base=16, time_dim=32):
        super().__init__()
        self.time_mlp = nn.Sequential(
            SinusoidalPositionEmbeddings(base),
            nn.Linear(base, time_dim),
            nn.GELU(),
            nn.Linear(time_dim, time_dim),
        )
        self.init_conv = nn.Conv2d(in_ch, base, 3, padding=1)
        self.down1 = ResidualBlock(base, base, time_dim)
        self.downsample1 = nn.Conv2d(base, base * 2, 4, stride=2, padding=1)  # 16 -> 8
        self.down2 = ResidualBlock(base * 2, base * 2, time_dim)
        self.downsample2 = nn.Conv2d(base * 2, base * 2, 3, stride=2, padding=1)  # 8 -> 4
        self.mid1 = ResidualBlock(base * 2, base * 2, time_dim)
        self.mid_attn = AttentionBlock(base * 2)
        self.mid2 = ResidualBlock(base * 2, base * 2, time_dim)
        self.upsample2 = nn.ConvTranspose2d(base * 2, base * 2, 4, stride=2, padding=1)  # 4 -> 8
        self.up2 = ResidualBlock(base * 4, base * 2, time_dim)
        self.upsample1 = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(base * 2, base, 3, padding=1))
        self.up1 = ResidualBlock(base * 2, base, time_dim)
        self.out = nn.Sequential(nn.GroupNorm(4, base), nn.SiLU(), nn.Conv2d(base, in_ch, 1))

    def forward(self, x, time):
        t = self.time_mlp(time)
        x = self.init_conv(x)
        h1 = self.down1(x, t)
        h = self.downsample1(h1)
        h2 = self.down2(h, t)
        h = self.downsample2(h2)
        h = self.mid1(h, t)
        h = self.mid_attn(h)
        h = self.mid2(h, t)
        h = self.upsample2(h)
        h = self.up2(torch.cat((h, h2), dim=1), t)
        h = self.upsample1(h)
        h = self.up1(torch.cat((h, h1), dim=1), t)
        return self.out(h)


model = TinyUNet().to(device)
print(model)
n_params = sum(p.numel() for p in model.parameters())
n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"Number of parameters: {n_params} (trainable: {n_train})")

emb = SinusoidalPositionEmbeddings(8)(torch.tensor([0.0, 1.0, 10.0]))
print("time embedding:", emb.shape)
print(emb)

with torch.no_grad():
    out = model(x[:2], torch.tensor([3, 40]))
print("model output:", out.shape, out.dtype)

# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
batch_size = 64
n_steps = 40


def p_losses(denoise_model, x_start, t, noise=None):
    if noise is None:
        noise = torch.randn_like(x_start)
    x_noisy = q_sample(x_start=x_start, t=t, noise=noise)
    predicted_noise = denoise_model(x_noisy, t)
    return F.mse_loss(noise, predicted_noise)


model.train()
losses = []
for step in range(n_steps):
    idx = torch.randint(0, x.shape[0], (batch_size,))
    batch = x[idx]
    t = torch.randint(0, T, (batch_size,), device=device).long()
    loss = p_losses(model, batch, t)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    losses.append(loss.item())
    if step % 10 == 0 or step == n_steps - 1:
        print(f"step {step:3d} | loss {loss.item():.4f}")
print(f"mean loss first 10: {sum(losses[:10]) / 10:.4f}, last 10: {sum(losses[-10:]) / 10:.4f}")

# ---------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------
@torch.no_grad()
def p_sample(model, x, t, t_index):
    betas_t = extract(betas, t, x.shape)
    sqrt_one_minus_alphas_cumprod_t = extract(sqrt_one_minus_alphas_cumprod, t, x.shape)
    sqrt_recip_alphas_t = extract(sqrt_recip_alphas, t, x.shape)
    model_mean = sqrt_recip_alphas_t * (x - betas_t * model(x, t) / sqrt_one_minus_alphas_cumprod_t)
    if t_index == 0:
        return model_mean
    posterior_variance_t = extract(posterior_variance, t, x.shape)
    noise = torch.randn_like(x)
    return model_mean + torch.sqrt(posterior_variance_t) * noise


@torch.no_grad()
def p_sample_loop(model, shape):
    b = shape[0]
    img = torch.randn(shape, device=device)
    imgs = []
    for i in reversed(range(0, T)):
        img = p_sample(model, img, torch.full((b,), i, device=device, dtype=torch.long), i)
        img = img.clamp(-1.0, 1.0)
        imgs.append(img.cpu())
    return imgs


model.eval()
samples = p_sample_loop(model, shape=(8, 1, 16, 16))
final = samples[-1]
print("num steps:", len(samples), "sample shape:", final.shape, final.dtype)
print(f"sample stats: mean={final.mean().item():.4f} std={final.std().item():.4f} "
      f"min={final.min().item():.4f} max={final.max().item():.4f}")
img01 = (final + 1) / 2
print("per-sample mean intensity:", [round(v, 3) for v in img01.mean(dim=(1, 2, 3)).tolist()])
print("fraction of pixels > 0.5:", f"{(img01 > 0.5).float().mean().item():.4f}")
print("requires_grad of samples:", final.requires_grad)
