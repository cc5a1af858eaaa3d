"""torch.special, torch.fft, torch.testing and torch.utils.checkpoint in tutorial-style code."""

import warnings

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

torch.manual_seed(0)


def show(name, t):
    print(name, t.dtype, tuple(t.shape), [round(v, 3) + 0.0 for v in t.detach().double().flatten().tolist()])


# --- special functions ---
x = torch.tensor([0.25, 0.5, 1.5, 3.0, 6.0], requires_grad=True)
show("expit", torch.special.expit(x))
show("erfcx", torch.special.erfcx(x))
show("i0e", torch.special.i0e(x))
show("i1", torch.special.i1(x))
show("ndtr", torch.special.ndtr(x))
show("log_ndtr", torch.special.log_ndtr(-x))
show("gammaln", torch.special.gammaln(x))
show("digamma", torch.special.psi(x))
show("polygamma", torch.special.polygamma(1, x))
show("multigammaln", torch.special.multigammaln(x + 2, 2))
show("xlog1py", torch.special.xlog1py(x, x))
show("entr", torch.special.entr(x / 7))
show("zeta", torch.special.zeta(x + 1.5, torch.tensor(2.0)))
show("bessel_j0", torch.special.bessel_j0(x * 3))
show("bessel_j1", torch.special.bessel_j1(x * 3))
show("ndtri", torch.special.ndtri(torch.tensor([0.05, 0.5, 0.975])))
show("logit", torch.special.logit(torch.tensor([0.05, 0.5, 0.975]), eps=0.1))
show("softmax", torch.special.softmax(x, 0))
show("logsumexp", torch.special.logsumexp(x, 0))
loss = (torch.special.erfcx(x) + torch.special.i1e(x) + torch.special.log_ndtr(x)).sum()
loss.backward()
show("grad", x.grad)
print("grad_fn", torch.special.i0e(x).grad_fn.name(), torch.special.xlog1py(x, x).grad_fn.name())

# --- fft: a noisy sine, its spectrum, a low-pass filter ---
t = torch.arange(32, dtype=torch.float32) / 32
signal = torch.sin(2 * torch.pi * 3 * t) + 0.5 * torch.cos(2 * torch.pi * 7 * t)
spec = torch.fft.rfft(signal)
print("rfft", spec.dtype, tuple(spec.shape))
show("magnitude", spec.abs())
freqs = torch.fft.rfftfreq(32, d=1 / 32)
show("freqs", freqs)
print("peaks", freqs[spec.abs() > 5].tolist())
low = torch.fft.irfft(spec * (freqs < 5), n=32)
show("lowpass", low[:8])
full = torch.fft.fft(signal, norm="ortho")
show("fft ortho real", full.real[:6])
show("fft ortho imag", full.imag[:6])
img = torch.tensor([[1.0, 2.0, 0.0, -1.0], [0.5, 0.0, 3.0, 1.0], [2.0, -2.0, 1.0, 0.0]])
f2 = torch.fft.fft2(img)
show("fft2 real", f2.real)
show("ifft2 roundtrip", torch.fft.ifft2(f2).real)
show("rfftn", torch.view_as_real(torch.fft.rfftn(img, s=(4, 4))))
show("hfft", torch.fft.hfft(torch.fft.ihfft(img[0]), n=4))
show("fftshift", torch.fft.fftshift(torch.fft.fftfreq(6)))
show("ifftshift", torch.fft.ifftshift(img, dim=1))
w = torch.tensor([0.3, -0.1, 0.2, 0.4], requires_grad=True)
power = (torch.fft.rfft(w, n=8).abs() ** 2).sum()
power.backward()
show("power grad", w.grad)

# --- testing ---
torch.testing.assert_close(torch.fft.irfft(torch.fft.rfft(signal), n=32), signal, atol=1e-5, rtol=1e-5)
try:
    torch.testing.assert_close(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 3.5]))
except AssertionError as e:
    print(e)
try:
    torch.testing.assert_close(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64))
except AssertionError as e:
    print(e)
r = torch.testing.make_tensor((2, 3), dtype=torch.float32, device="cpu", low=-1, high=1)
print("make_tensor", r.shape, r.dtype, bool(((r >= -1) & (r < 1)).all()))

# --- checkpoint ---
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) * (0.4 + 0.1 * i))
inp = torch.tensor([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, -0.5, 0.25]], requires_grad=True)
out = checkpoint(model, inp, use_reentrant=False)
out.pow(2).sum().backward()
show("checkpoint out", out)
show("checkpoint grad", model[0].weight.grad[:2])
model.zero_grad()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    out2 = checkpoint_sequential(model, 2, inp)
print("warned", [str(c.message)[:60] for c in caught])
out2.pow(2).sum().backward()
show("sequential grad", model[0].weight.grad[:2])
