"""Muon for the hidden weight matrices and AdamW for everything else, as torch.optim.Muon's
documentation recommends; Newton-Schulz orthogonalised momentum updates."""

import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 4))
hidden = [model[2].weight, model[0].weight]
others = [p for p in model.parameters() if all(p is not h for h in hidden)]
muon = torch.optim.Muon(hidden, lr=0.02, momentum=0.95, adjust_lr_fn="match_rms_adamw")
adamw = torch.optim.AdamW(others, lr=3e-3, weight_decay=0.01)
print(muon)
x = torch.randn(128, 16)
y = torch.randint(0, 4, (128,))
for step in range(10):
    muon.zero_grad()
    adamw.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    muon.step()
    adamw.step()
    if step % 2 == 0:
        print(f"step {step} loss {loss.item():.3f}")
print({k: tuple(v.shape) for k, v in muon.state_dict()["state"][0].items()})
sv = torch.linalg.svdvals(model[2].weight.detach())
print("hidden weight singular values (top 3)", [round(v, 2) for v in sv[:3].tolist()])
try:
    torch.optim.Muon(model[4].parameters())
except ValueError as e:
    print("ValueError:", e)
