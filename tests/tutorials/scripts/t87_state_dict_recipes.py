# ruff: noqa: UP008, B007 (the recipes' style, kept)
# Recipes "What is a state_dict in PyTorch", "Zeroing out gradients", "Warmstarting model using
# parameters from a different model" and "Saving and loading multiple models in one file", plus the
# state_dict corners they touch: keep_vars, prefixes, non-persistent buffers, assign=True, size
# mismatch errors, _metadata versions, state_dict hooks, and optimizer/scheduler state dicts.
import copy
import io
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
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


net = Net()
print(net)
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

# -- What is a state_dict -------------------------------------------------------------------------------
print("Model's state_dict:")
for param_tensor in net.state_dict():
    print(param_tensor, "\t", net.state_dict()[param_tensor].size())

print()

print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])

sd = net.state_dict()
print(
    type(sd).__name__,
    isinstance(sd, OrderedDict),
    sd["fc3.bias"].requires_grad,
    sd["fc3.bias"].grad_fn,
)
print(
    net.state_dict(keep_vars=True)["fc3.bias"].requires_grad,
    type(net.state_dict(keep_vars=True)["fc3.bias"]).__name__,
)
print(list(net.fc3.state_dict(prefix="head.").keys()))
print(sd._metadata)
print(net.fc3.state_dict()._metadata)

# -- Zeroing out gradients ------------------------------------------------------------------------------
inputs = torch.randn(4, 3, 32, 32)
labels = torch.randint(0, 10, (4,))
criterion = nn.CrossEntropyLoss()
print(net.fc3.bias.grad)
for epoch in range(2):
    running_loss = 0.0
    for i in range(3):
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] loss: {running_loss / 3:.4f}")
print(net.fc3.bias.grad is None)
optimizer.zero_grad(set_to_none=False)
print(net.fc3.bias.grad)
net.zero_grad()
print(net.fc3.bias.grad)
print(
    optimizer.state_dict()["state"][9]["momentum_buffer"].shape,
    list(optimizer.state_dict()["state"]),
)

# -- Warmstarting model using parameters from a different model ---------------------------------------------
buf = io.BytesIO()
torch.save(net.state_dict(), buf)


class NetB(nn.Module):
    def __init__(self):
        super(NetB, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.head = nn.Linear(84, 4)


netB = NetB()
buf.seek(0)
result = netB.load_state_dict(torch.load(buf, weights_only=True), strict=False)
print(result)
print(result.missing_keys, result.unexpected_keys, len(result), list(result))
print(torch.equal(netB.fc1.weight, net.fc1.weight))
print(nn.Linear(2, 2).load_state_dict(nn.Linear(2, 2).state_dict()))
# a layer of another size: strict or not, PyTorch refuses to copy mismatched shapes
other = nn.Linear(84, 10).state_dict()
for strict in (True, False):
    try:
        netB.head.load_state_dict(other, strict=strict)
    except RuntimeError as e:
        print(e)
# filter the mismatching keys out, the usual fix
pretrained = {
    k: v
    for k, v in net.state_dict().items()
    if k in netB.state_dict() and v.shape == netB.state_dict()[k].shape
}
print(len(pretrained), netB.load_state_dict(pretrained, strict=False))
try:
    netB.load_state_dict({"fc1.weight": torch.zeros(3)})
except RuntimeError as e:
    print(e)

# -- Saving and loading multiple models in one file -----------------------------------------------------------
netA = Net()
optimizerA = optim.SGD(netA.parameters(), lr=0.001, momentum=0.9)
optimizerB = optim.Adam(netB.parameters(), lr=0.01)
loss = netA(inputs).sum()
loss.backward()
optimizerA.step()
buf = io.BytesIO()
torch.save(
    {
        "modelA_state_dict": netA.state_dict(),
        "modelB_state_dict": netB.state_dict(),
        "optimizerA_state_dict": optimizerA.state_dict(),
        "optimizerB_state_dict": optimizerB.state_dict(),
    },
    buf,
)
buf.seek(0)
modelA, modelB = Net(), NetB()
optimizerA2 = optim.SGD(modelA.parameters(), lr=0.001, momentum=0.9)
optimizerB2 = optim.Adam(modelB.parameters(), lr=0.01)
checkpoint = torch.load(buf, weights_only=True)
print(modelA.load_state_dict(checkpoint["modelA_state_dict"]))
print(modelB.load_state_dict(checkpoint["modelB_state_dict"]))
optimizerA2.load_state_dict(checkpoint["optimizerA_state_dict"])
optimizerB2.load_state_dict(checkpoint["optimizerB_state_dict"])
modelA.eval()
modelB.train()
print(
    torch.equal(modelA.fc3.weight, netA.fc3.weight),
    optimizerA2.state_dict()["state"][0]["momentum_buffer"].sum().item()
    == optimizerA.state_dict()["state"][0]["momentum_buffer"].sum().item(),
)
print(optimizerB2)
try:
    optim.SGD(modelB.fc1.parameters(), lr=0.1).load_state_dict(checkpoint["optimizerA_state_dict"])
except ValueError as e:
    print("ValueError:", e)

# -- buffers, assign=True, hooks, deepcopy ------------------------------------------------------------------


class WithBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)
        self.register_buffer("running", torch.zeros(2))
        self.register_buffer("scratch", torch.ones(2), persistent=False)
        self.bn = nn.BatchNorm1d(2)


m = WithBuffers()
print(list(m.state_dict().keys()))
print([n for n, _ in m.named_buffers()])
m2 = WithBuffers()
res = m2.load_state_dict({**m.state_dict(), "scratch": torch.zeros(2)}, strict=False)
print(res)
meta = nn.Linear(3, 2, device="meta")
print(meta.weight.device, meta.weight.is_meta)
src = nn.Linear(3, 2)
print(
    meta.load_state_dict(src.state_dict(), assign=True),
    meta.weight.device,
    torch.equal(meta.weight, src.weight),
)
print(type(meta.weight).__name__, meta.weight.requires_grad)
copied = copy.deepcopy(src)
print(torch.equal(copied.weight, src.weight), copied.weight is src.weight)


def pre_hook(module, prefix, keep_vars):
    print("state_dict pre hook", type(module).__name__, repr(prefix), keep_vars)


def post_hook(module, state_dict, prefix, local_metadata):
    state_dict[prefix + "extra"] = torch.tensor(1)


src.register_state_dict_pre_hook(pre_hook)
src.register_state_dict_post_hook(post_hook) if hasattr(
    src, "register_state_dict_post_hook"
) else None
print(list(src.state_dict().keys()))


def load_pre_hook(
    module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
):
    state_dict.pop(prefix + "extra", None)


dst = nn.Linear(3, 2)
dst.register_load_state_dict_pre_hook(load_pre_hook)
print(dst.load_state_dict(src.state_dict()))

sched = optim.lr_scheduler.StepLR(optimizerA, step_size=2, gamma=0.5)
for _ in range(3):
    optimizerA.step()
    sched.step()
print(sched.state_dict())
print(optimizerA.state_dict()["param_groups"])
