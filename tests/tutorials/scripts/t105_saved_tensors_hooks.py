# ruff: noqa: B018, E731  (tutorial code, kept as the tutorials write it)
# The "Hooks for autograd saved tensors" tutorial's code paths (CPU, deterministic values).
import os
import shutil
import tempfile
import uuid

import torch
import torch.nn as nn

torch.manual_seed(0)

# Saved tensors
a = torch.tensor([0.5, -1.0, 2.0, 0.25, -0.75], requires_grad=True)
b = torch.ones(5, requires_grad=True)
y = a * b
print(y.grad_fn._saved_self)
print(y.grad_fn._saved_other)
print(y.grad_fn._saved_self is a, y.grad_fn._saved_other is b)

x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
y = x.pow(2)
print(y.grad_fn._saved_self is x)
print(y.grad_fn._saved_exponent)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))
print(y.grad_fn._saved_result is y)
print(y.grad_fn._saved_result.grad_fn is y.grad_fn)


# Registering hooks for a saved tensor
def pack_hook(x):
    print("Packing", x)
    return x


def unpack_hook(x):
    print("Unpacking", x)
    return x


x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
y.grad_fn._saved_self
y.sum().backward()
print(x.grad)
try:
    y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
except RuntimeError as e:
    print("RuntimeError:", e)

# Registering default hooks for saved tensors
a = torch.ones(5, requires_grad=True)
b = torch.ones(5, requires_grad=True) * 2
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * b
y.sum().backward()
print(a.grad)

# Counting the tensors each op saves
counts = {}


def counting_pack(t):
    counts[name] = counts.get(name, 0) + 1
    return t


x = torch.randn(4, 3, requires_grad=True)
w = torch.randn(5, 3, requires_grad=True)
bias = torch.randn(5, requires_grad=True)
ops = {
    "mul": lambda: x * x,
    "pow": lambda: x.pow(2),
    "exp": lambda: x.exp(),
    "sin": lambda: x.sin(),
    "linear": lambda: torch.nn.functional.linear(x, w, bias),
    "relu": lambda: x.relu(),
    "sum": lambda: x.sum(),
    "matmul": lambda: x @ w.t(),
}
for name, f in ops.items():
    with torch.autograd.graph.saved_tensors_hooks(counting_pack, lambda t: t):
        f()
    print(name, counts.get(name, 0))


# Saving tensors to CPU
def pack_to_cpu(tensor):
    return (tensor.device, tensor.cpu())


def unpack_from_cpu(packed):
    device, tensor = packed
    return tensor.to(device)


x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_to_cpu, unpack_from_cpu):
    y = x * x
y.sum().backward()
print(torch.allclose(x.grad, 2 * x))

model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1))
inp = torch.randn(8, 10)
with torch.autograd.graph.save_on_cpu(pin_memory=False):
    loss = model(inp).pow(2).mean()
loss.backward()
print(round(loss.item(), 4), [round(p.grad.abs().sum().item(), 4) for p in model.parameters()])

# Saving tensors to disk
tmp_dir = tempfile.mkdtemp()


class SelfDeletingTempFile:
    def __init__(self):
        self.name = os.path.join(tmp_dir, str(uuid.uuid4()))

    def __del__(self):
        os.remove(self.name)


def pack_hook_disk(tensor):
    temp_file = SelfDeletingTempFile()
    torch.save(tensor, temp_file.name)
    return temp_file


def unpack_hook_disk(temp_file):
    return torch.load(temp_file.name, weights_only=True)


SAVE_ON_DISK_THRESHOLD = 20


def pack_hook_threshold(x):
    if x.numel() < SAVE_ON_DISK_THRESHOLD:
        return x.detach()
    return pack_hook_disk(x)


def unpack_hook_threshold(x):
    if isinstance(x, torch.Tensor):
        return x
    return unpack_hook_disk(x)


class SaveToDisk(torch.autograd.graph.saved_tensors_hooks):
    def __init__(self):
        super().__init__(pack_hook_threshold, unpack_hook_threshold)


model.zero_grad()
with SaveToDisk():
    loss = model(inp).pow(2).mean()
print("files while the graph is alive:", len(os.listdir(tmp_dir)))
loss.backward()
print("files after backward:", len(os.listdir(tmp_dir)))
print([round(p.grad.abs().sum().item(), 4) for p in model.parameters()])
shutil.rmtree(tmp_dir)

# Errors
x = torch.randn(3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: "not a tensor"):
    y = x.sin()
try:
    y.sum().backward()
except TypeError as e:
    print("TypeError:", e)
with torch.autograd.graph.disable_saved_tensors_hooks("saved tensors hooks are disabled here"):
    try:
        with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
            pass
    except RuntimeError as e:
        print("RuntimeError:", e)
