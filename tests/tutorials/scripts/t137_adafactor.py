"""An Adafactor training loop (torch.optim.Adafactor): factored second moments for matrices, a full
one for vectors, relative step sizes; the optimizer state saved and resumed."""

import io

import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
opt = torch.optim.Adafactor(model.parameters(), lr=0.05, weight_decay=0.01)
print(opt)
x = torch.randn(64, 10)
y = (x[:, :3].sum(1, keepdim=True) - x[:, 3:4] ** 2) * 0.5


def step():
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


for i in range(12):
    loss = step()
    if i % 3 == 0:
        print(f"step {i} loss {loss:.4f}")

state = opt.state_dict()
for idx, st in state["state"].items():
    print(idx, {k: tuple(v.shape) for k, v in st.items()}, "step", int(st["step"].item()))

buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": state}, buf)
buf.seek(0)
ckpt = torch.load(buf)
model2 = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
model2.load_state_dict(ckpt["model"])
opt2 = torch.optim.Adafactor(model2.parameters(), lr=0.05, weight_decay=0.01)
opt2.load_state_dict(ckpt["opt"])
for i in range(3):
    a = step()
    opt2.zero_grad()
    b = nn.functional.mse_loss(model2(x), y)
    b.backward()
    opt2.step()
    print(f"resumed {i} {a:.4f} {b.item():.4f}")
print("maximize flag", opt.param_groups[0]["maximize"], "eps", opt.param_groups[0]["eps"])
