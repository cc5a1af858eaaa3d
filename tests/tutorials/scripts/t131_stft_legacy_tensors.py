"""A spectrogram with torch.stft / istft, a histogram, and legacy tensor code (x.new, resize_, put_)."""

import math

import torch

torch.manual_seed(0)
t = torch.arange(400, dtype=torch.float32) / 100
signal = torch.sin(2 * math.pi * 5 * t) + 0.5 * torch.sin(2 * math.pi * 20 * t)
window = torch.hann_window(64)
spec = torch.stft(signal, n_fft=64, hop_length=16, window=window, return_complex=True)
print(spec.shape, spec.dtype)
power = spec.abs() ** 2
print(power.argmax(dim=0)[:8])
print(round(power.sum().item(), 1))
back = torch.istft(spec, n_fft=64, hop_length=16, window=window, length=400)
print(back.shape, (back - signal).abs().max().item() < 1e-5)
try:
    torch.stft(signal, 64)
except RuntimeError as e:
    print("RuntimeError:", e)

hist = torch.histogram(signal, bins=6)
print(hist.hist)
print(hist.bin_edges)
mantissa, exponent = torch.frexp(torch.tensor([1.0, 6.0, 0.25]))
print(mantissa, exponent)
print(torch.gradient(torch.tensor([1.0, 4.0, 9.0, 16.0])))

x = torch.ones(2, 2)
print(x.new(3).shape, x.new([1, 2]), x.new().shape)
y = torch.arange(6.0)
y.resize_(2, 3)
print(y)
y.resize_(4)
print(y)
z = torch.zeros(5)
z.put_(torch.tensor([1, 3]), torch.tensor([7.0, 9.0]))
print(z)
q, r = torch.qr(torch.tensor([[2.0, 1.0], [1.0, 3.0]]))
print(torch.allclose(q @ r, torch.tensor([[2.0, 1.0], [1.0, 3.0]])))
lu, piv = torch.lu(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(lu, piv)
try:
    torch.solve(torch.ones(2, 2), torch.eye(2))
except RuntimeError as e:
    print(str(e).splitlines()[0])
