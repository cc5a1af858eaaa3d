"""PyTorch's quantization recipe, the tensor part: quantize_per_tensor / per_channel, int_repr,
dequantize, qparams from an observer, and a dynamic quantized Linear against its float layer."""

import warnings

import numpy as np
import torch

warnings.simplefilter("ignore")

x = torch.from_numpy(np.linspace(-2.0, 3.0, 12, dtype=np.float32).reshape(3, 4))
for dtype, zp in ((torch.quint8, 64), (torch.qint8, 0), (torch.qint32, 5)):
    q = torch.quantize_per_tensor(x, 0.05, zp, dtype)
    print(q)
    print(q.int_repr())
    print(q.q_scale(), q.q_zero_point(), q.qscheme(), q.is_quantized, q.dtype, q.element_size())
    print((q.dequantize() - x).abs().max().item() <= 0.05 / 2 + 1e-7 or dtype != torch.qint32)

qc = torch.quantize_per_channel(x, torch.tensor([0.1, 0.02, 0.03]), torch.tensor([0, 10, -4]), 0, torch.qint8)
print(qc)
print(qc.int_repr(), qc.q_per_channel_axis())

obs = torch.ao.quantization.MinMaxObserver(dtype=torch.quint8, reduce_range=True)
obs(x)
scale, zero_point = obs.calculate_qparams()
print(obs)
print(scale, zero_point)
print(torch.quantize_per_tensor(x, float(scale), int(zero_point), torch.quint8).int_repr())
print(torch.ao.quantization.default_dynamic_qconfig)

rng = np.random.default_rng(3)
linear = torch.nn.Linear(16, 4)
linear.weight.data = torch.from_numpy(rng.standard_normal((4, 16)).astype(np.float32) * 0.3)
linear.bias.data = torch.from_numpy(rng.standard_normal(4).astype(np.float32) * 0.1)
model = torch.nn.Sequential(linear).eval()
qmodel = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
print(qmodel)
inp = torch.from_numpy(rng.standard_normal((3, 16)).astype(np.float32))
print(qmodel(inp))
print(model(inp).detach().sub(qmodel(inp)).abs().max().item() < 0.05)
print(list(qmodel.state_dict()))
print(qmodel[0].weight())
