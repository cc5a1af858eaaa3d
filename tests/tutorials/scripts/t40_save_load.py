# Saving and loading models (condensed from the PyTorch recipe / tutorial).
import io
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def det_init(model, seed=0):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(
                torch.from_numpy(rng.uniform(-0.1, 0.1, size=tuple(p.shape)).astype(np.float32))
            )
    return model


model = det_init(TheModelClass())
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)

print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())

print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])

x = torch.from_numpy(np.linspace(-1, 1, 2 * 3 * 32 * 32, dtype=np.float32).reshape(2, 3, 32, 32))
target = torch.tensor([1, 7])
loss = F.cross_entropy(model(x), target)
optimizer.zero_grad()
loss.backward()
optimizer.step()
sd = optimizer.state_dict()
print(sd["param_groups"])
print(
    sorted(sd["state"].keys()), list(sd["state"][0].keys()), sd["state"][0]["momentum_buffer"].shape
)

with tempfile.TemporaryDirectory() as tmp:
    PATH = os.path.join(tmp, "model.pt")

    # Save/Load state_dict (recommended)
    torch.save(model.state_dict(), PATH)
    model2 = TheModelClass()
    print(model2.load_state_dict(torch.load(PATH, weights_only=True)))
    model2.eval()
    print(model2.training, model2.fc1.training)
    print(torch.equal(model2.fc3.bias, model.fc3.bias), model2.fc3.bias[:4])
    with torch.no_grad():
        print(model2(x).round(decimals=4))

    # Save/Load entire model
    torch.save(model, PATH)
    model3 = torch.load(PATH, weights_only=False)
    model3.eval()
    print(type(model3).__name__, model3.fc3)
    print(torch.equal(model3.conv1.weight, model.conv1.weight))

    # General checkpoint
    epoch, the_loss = 5, 0.4
    torch.save(
        {
            "epoch": epoch,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "loss": the_loss,
        },
        PATH,
    )
    model4 = TheModelClass()
    optimizer4 = optim.SGD(model4.parameters(), lr=0.5, momentum=0.1)
    checkpoint = torch.load(PATH, weights_only=True)
    model4.load_state_dict(checkpoint["model_state_dict"])
    optimizer4.load_state_dict(checkpoint["optimizer_state_dict"])
    print(checkpoint["epoch"], checkpoint["loss"], sorted(checkpoint.keys()))
    print(optimizer4.param_groups[0]["lr"], optimizer4.param_groups[0]["momentum"])
    print(
        torch.equal(
            optimizer4.state[model4.fc3.bias]["momentum_buffer"],
            optimizer.state[model.fc3.bias]["momentum_buffer"],
        )
    )
    model4.train()

    # Multiple models in one file
    netA = det_init(nn.Linear(4, 3), 1)
    netB = det_init(nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)), 2)
    optA = optim.Adam(netA.parameters(), lr=0.01)
    optB = optim.SGD(netB.parameters(), lr=0.1)
    torch.save(
        {
            "modelA_state_dict": netA.state_dict(),
            "modelB_state_dict": netB.state_dict(),
            "optimizerA_state_dict": optA.state_dict(),
            "optimizerB_state_dict": optB.state_dict(),
        },
        PATH,
    )
    ck = torch.load(PATH)
    print(list(ck["modelB_state_dict"].keys()))
    print(
        ck["optimizerA_state_dict"]["param_groups"][0]["betas"],
        ck["optimizerA_state_dict"]["state"],
    )
    print(ck["modelA_state_dict"]["weight"])

    # Warmstarting with a partial state dict
    class NetB(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.extra = nn.Linear(84, 3)

    torch.save(model.state_dict(), PATH)
    netb = NetB()
    result = netb.load_state_dict(torch.load(PATH, weights_only=True), strict=False)
    print(result)
    print(result.missing_keys, result.unexpected_keys)
    print(torch.equal(netb.fc2.weight, model.fc2.weight))
    try:
        netb.load_state_dict(torch.load(PATH, weights_only=True))
    except RuntimeError as e:
        print(str(e).splitlines()[0])
    try:
        nn.Linear(5, 3).load_state_dict(netA.state_dict())
    except RuntimeError as e:
        print(e)

    # map_location
    sd_cpu = torch.load(PATH, map_location=torch.device("cpu"), weights_only=True)
    print(sd_cpu["fc3.weight"].device, sd_cpu["fc3.bias"].dtype)
    sd_cpu = torch.load(PATH, map_location="cpu")
    print(type(sd_cpu).__name__, len(sd_cpu))
    sd_cpu = torch.load(PATH, map_location=lambda storage, loc: storage)
    print(sd_cpu["fc1.bias"].shape)

    # Saving tensors and buffers
    bn = nn.BatchNorm1d(3)
    with torch.no_grad():
        bn(torch.tensor([[1.0, 2.0, 3.0], [3.0, 5.0, 9.0]]))
    print(bn.state_dict())
    p = os.path.join(tmp, "tensors.pt")
    t = torch.arange(10)
    torch.save({"t": t, "view": t[2:5], "half": torch.tensor([1.5, 2.5], dtype=torch.float16)}, p)
    d = torch.load(p)
    print(d)
    d["view"][0] = 100
    print(d["t"])

# in-memory buffer
buf = io.BytesIO()
torch.save([torch.tensor([1, 2, 3]), {"a": torch.ones(2, 2, dtype=torch.bool)}, 3.5, "s"], buf)
buf.seek(0)
print(torch.load(buf))
buf.seek(0)
try:

    class Custom:
        pass

    b2 = io.BytesIO()
    torch.save({"obj": Custom()}, b2)
    b2.seek(0)
    torch.load(b2, weights_only=True)
except Exception as e:
    print(type(e).__name__)
