# ruff: noqa: B007 (the recipe's loop, kept)
# Recipes "Reasoning about Shapes in PyTorch", "Changing default device" and "Tips for Loading an
# nn.Module from a Checkpoint" (pytorch/tutorials recipes_source/recipes): meta-device shape
# inference through Conv/Linear stacks, torch.device as a context manager and
# torch.set_default_device, torch.load(mmap=True) with meta construction and
# load_state_dict(assign=True). Timings are replaced by their type; CUDA lines run on the CPU.
import os
import tempfile
import timeit
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

# -- Reasoning about shapes -------------------------------------------------------------------------
t = torch.rand(2, 3, 10, 10, device="meta")
conv = torch.nn.Conv2d(3, 5, 2, device="meta")
start = timeit.default_timer()
out = conv(t)
end = timeit.default_timer()

print(out)
print(f"Time taken: {type(end - start).__name__}")

t_large = torch.rand(2**10, 3, 2**16, 2**16, device="meta")
start = timeit.default_timer()
out = conv(t_large)
end = timeit.default_timer()

print(out)
print(f"Time taken: {type(end - start).__name__}")
print(out.stride(), out.dtype, out.is_meta, out.requires_grad)


class Net(nn.Module):
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
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def fw_hook(module, input, output):
    print(f"Shape of output to {module} is {output.shape}.")


# Any tensor created within this torch.device context manager will be on the meta device.
with torch.device("meta"):
    net = Net()
    inp = torch.randn((1024, 3, 32, 32))

handles = []
for name, layer in net.named_modules():
    handles.append(layer.register_forward_hook(fw_hook))

out = net(inp)
print(out)
for h in handles:
    h.remove()
print(net.fc1.weight)
out.sum().backward()
print(net.conv1.weight.grad)
print(torch.ones(2, 3, device="meta") + torch.tensor(1.0))
try:
    net.fc1.weight.tolist()
except NotImplementedError as e:
    print("NotImplementedError:", e)
try:
    torch.ones(2, 3, device="meta") + torch.ones(2, 3)
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.empty_like(out, device="cpu").shape, torch.zeros_like(out, device="cpu").sum())

# -- Changing default device ------------------------------------------------------------------------
USE_CUDA = torch.cuda.is_available()
mod = torch.nn.Linear(20, 30)
if USE_CUDA:
    mod.cuda()

device = "cpu"
if USE_CUDA:
    device = "cuda"
inp = torch.randn(128, 20, device=device)
print(mod(inp).device)

device = "cuda" if torch.cuda.is_available() else "meta"
with torch.device(device):
    mod = torch.nn.Linear(20, 30)
    print(mod.weight.device)
    print(mod(torch.randn(128, 20)).device)
    print(torch.get_default_device(), torch.tensor([1, 2]).device, torch.ones(1, device="cpu").device)
print(torch.get_default_device(), torch.ones(1).device)

torch.set_default_device(device)

mod = torch.nn.Linear(20, 30)
print(mod.weight.device)
print(mod(torch.randn(128, 20)).device)
torch.set_default_device(None)
print(torch.get_default_device())


# -- Tips for loading an nn.Module from a checkpoint ------------------------------------------------
class SomeModule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linears = nn.ModuleList([nn.Linear(1, 1) for i in range(10)])

    def forward(self, x):
        return self.linears(x)


workdir = tempfile.mkdtemp()
path = os.path.join(workdir, "checkpoint.pth")
m = SomeModule()
torch.save(m.state_dict(), path)
state_dict = torch.load(path, mmap=True)
with torch.device("meta"):
    meta_m = SomeModule()
print(meta_m.linears[0].weight)
print(meta_m.load_state_dict(state_dict, assign=True))
print(meta_m.linears[0].weight)
print(meta_m.linears[9].bias.device, type(meta_m.linears[9].bias).__name__, meta_m.linears[9].bias.requires_grad)

state_dict = torch.load(path)
m = SomeModule()
print(m.load_state_dict(state_dict))
print(torch.equal(m.linears[4].weight, state_dict["linears.4.weight"]))

state_dict = torch.load(path, mmap=True)
print(type(state_dict).__name__, list(state_dict)[:4])

with torch.device("meta"):
    meta_m = SomeModule()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(meta_m.load_state_dict(state_dict))
print(len(caught), str(caught[0].message)[:80])
print(meta_m.linears[3].weight)

meta_m.load_state_dict(state_dict, assign=True)
# optimizers hold references to the parameters: create them after an assign=True load
optimizer = torch.optim.SGD(meta_m.parameters(), lr=0.1)
loss = meta_m.linears[0](torch.ones(4, 1)).pow(2).mean()
loss.backward()
optimizer.step()
print(meta_m.linears[0].weight, optimizer.param_groups[0]["params"][0] is meta_m.linears[0].weight)

with torch.device("meta"):
    empty_m = SomeModule()
empty_m.to_empty(device="cpu")
print(empty_m.linears[0].weight.device, empty_m.linears[0].weight.shape)
print(empty_m.load_state_dict(state_dict))
print(torch.equal(empty_m.linears[7].bias, state_dict["linears.7.bias"]))
os.remove(path)
os.rmdir(workdir)
