"""The Parametrizations and Pruning tutorials (pytorch.org), condensed, with fixed weights."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize
from torch.nn.utils import prune


def fill(module, scale=1.0):
    """Deterministic weights: cos of a quadratic phase (full rank, distinct magnitudes)."""
    with torch.no_grad():
        for p in module.parameters():
            values = [math.cos(k * 1.7 + k * k * 0.31) * scale for k in range(p.numel())]
            p.copy_(torch.tensor(values).reshape(p.shape))
    return module


def r(t, n=4):
    return [round(v, n) for v in t.detach().flatten().tolist()]


# --- Parametrizations tutorial ---------------------------------------------------------------
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


layer = fill(nn.Linear(3, 3))
parametrize.register_parametrization(layer, "weight", Symmetric())
A = layer.weight
print(torch.allclose(A, A.T))
print(A)
print(layer)
print(type(layer).__name__, parametrize.type_before_parametrizations(layer).__name__)
print(layer.parametrizations.weight.original)
print(list(layer.state_dict().keys()))


class Skew(nn.Module):
    def forward(self, X):
        A = X.triu(1)
        return A - A.transpose(-1, -2)


cnn = fill(nn.Conv2d(in_channels=5, out_channels=8, kernel_size=3))
parametrize.register_parametrization(cnn, "weight", Skew())
print(r(cnn.weight[0, 1]), r(cnn.weight[2, 2]))


class CayleyMap(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("Id", torch.eye(n))

    def forward(self, X):
        return torch.linalg.solve(self.Id - X, self.Id + X)


class MatrixExponential(nn.Module):
    def forward(self, X):
        return torch.matrix_exp(X)


layer_orthogonal = fill(nn.Linear(3, 3))
parametrize.register_parametrization(layer_orthogonal, "weight", Skew())
parametrize.register_parametrization(layer_orthogonal, "weight", CayleyMap(3))
X = layer_orthogonal.weight
print(torch.dist(X.T @ X, torch.eye(3)) < 1e-5)
print(layer_orthogonal)

layer_spd = fill(nn.Linear(3, 3))
parametrize.register_parametrization(layer_spd, "weight", Symmetric())
parametrize.register_parametrization(layer_spd, "weight", MatrixExponential())
X = layer_spd.weight
print(torch.dist(X, X.T) < 1e-5, (torch.linalg.eigvalsh(X) > 0.0).all().item())

with parametrize.cached():
    print(layer.weight is layer.weight)
print(layer.weight is layer.weight)


class CayleyMapInv(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("Id", torch.eye(n))

    def forward(self, X):
        return torch.linalg.solve(self.Id + X, self.Id - X)

    def right_inverse(self, A):
        return torch.linalg.solve(A + self.Id, self.Id - A)


class SkewInv(Skew):
    def right_inverse(self, A):
        return A.triu(1)


layer_orthogonal = fill(nn.Linear(3, 3))
parametrize.register_parametrization(layer_orthogonal, "weight", SkewInv())
parametrize.register_parametrization(layer_orthogonal, "weight", CayleyMapInv(3))
S = torch.tensor([[0.0, 0.3, -0.5], [-0.3, 0.0, 0.2], [0.5, -0.2, 0.0]])
X = torch.linalg.solve(torch.eye(3) + S, torch.eye(3) - S)  # an orthogonal matrix
layer_orthogonal.weight = X
print(torch.dist(layer_orthogonal.weight, X) < 1e-5)
print(r(layer_orthogonal.parametrizations.weight.original))


class Symmetric2(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

    def right_inverse(self, A):
        return A.triu()


m = fill(nn.Linear(4, 4))
parametrize.register_parametrization(m, "weight", Symmetric2())
m.weight = torch.arange(16, dtype=torch.float32).reshape(4, 4) + torch.arange(16, dtype=torch.float32).reshape(4, 4).T
print(m.parametrizations.weight.original)


class NoopModule(nn.Module):
    def forward(self, X):
        print("Calling forward")
        return X

    def right_inverse(self, Y):
        print("Calling right_inverse")
        return Y


layer = fill(nn.Linear(1, 1))
parametrize.register_parametrization(layer, "weight", NoopModule())
print("Initialization")
print("Assignment")
layer.weight = torch.tensor([[1.5]])
print(layer.weight)

layer = fill(nn.Linear(3, 3))
print("Before:")
print(layer)
print(layer.weight)
parametrize.register_parametrization(layer, "weight", Skew())
print("\nParametrized:")
print(layer)
print(layer.weight)
parametrize.remove_parametrizations(layer, "weight")
print("\nAfter. Weight has skew-symmetric values but it is unconstrained:")
print(layer)
print(layer.weight)

layer = fill(nn.Linear(3, 3))
parametrize.register_parametrization(layer, "weight", Skew())
parametrize.remove_parametrizations(layer, "weight", leave_parametrized=False)
print(layer.weight)

# weight_norm / spectral_norm / orthogonal from torch.nn.utils.parametrizations
wn = torch.nn.utils.parametrizations.weight_norm(fill(nn.Linear(3, 2)))
print(wn)
print(list(wn.state_dict().keys()))
print(r(wn.parametrizations.weight.original0), r(wn.weight))
orth = torch.nn.utils.parametrizations.orthogonal(fill(nn.Linear(4, 4)))
print(r(orth.weight))
sn = torch.nn.utils.parametrizations.spectral_norm(fill(nn.Linear(4, 3)))
for _ in range(20):
    sn(torch.ones(1, 4))
print(round(torch.linalg.matrix_norm(sn.weight, 2).item(), 3))
print(list(sn.state_dict().keys()))

# a training step reaches the originals
model = nn.Sequential(fill(nn.Linear(3, 3)), nn.Tanh(), fill(nn.Linear(3, 1)))
parametrize.register_parametrization(model[0], "weight", Symmetric2())
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.linspace(-1, 1, 12).reshape(4, 3)
for step in range(3):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5))
print(r(model[0].parametrizations.weight.original.grad))
print(torch.allclose(model[0].weight, model[0].weight.T))


# --- Pruning tutorial --------------------------------------------------------------------------
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, int(x.nelement() / x.shape[0]))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


model = fill(LeNet(), 0.3)
module = model.conv1
print(list(module.named_parameters())[1])
print(list(module.named_buffers()))

prune.random_unstructured(module, name="weight", amount=0.3)
print([name for name, _ in module.named_parameters()])
print([name for name, _ in module.named_buffers()])
print(int((module.weight_mask == 0).sum()), module.weight_mask.shape, module.weight.shape)
print([type(hook).__name__ for hook in module._forward_pre_hooks.values()])

prune.l1_unstructured(module, name="bias", amount=3)
print([name for name, _ in module.named_parameters()])
print(module.bias_mask)
print(module.bias)

prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
print(int((module.weight_mask.reshape(6, -1).sum(1) == 0).sum()))
for hook in module._forward_pre_hooks.values():
    if hook._tensor_name == "weight":
        break
print([type(m).__name__ for m in hook])
print(model.state_dict().keys())

prune.remove(module, "weight")
print([name for name, _ in module.named_parameters()])
print([name for name, _ in module.named_buffers()])

new_model = fill(LeNet(), 0.3)
for _name, module in new_model.named_modules():
    if isinstance(module, torch.nn.Conv2d):
        prune.l1_unstructured(module, name="weight", amount=0.2)
    elif isinstance(module, torch.nn.Linear):
        prune.l1_unstructured(module, name="weight", amount=0.4)
print(dict(new_model.named_buffers()).keys())

model = fill(LeNet(), 0.3)
parameters_to_prune = (
    (model.conv1, "weight"),
    (model.conv2, "weight"),
    (model.fc1, "weight"),
    (model.fc2, "weight"),
    (model.fc3, "weight"),
)
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
for mod, name in parameters_to_prune:
    w = getattr(mod, name)
    print(f"Sparsity in {name}: {100.0 * float(torch.sum(w == 0)) / float(w.nelement()):.2f}%")
total = sum(float(torch.sum(getattr(mod, n) == 0)) for mod, n in parameters_to_prune)
count = sum(float(getattr(mod, n).nelement()) for mod, n in parameters_to_prune)
print(f"Global sparsity: {100.0 * total / count:.2f}%")
print(model.conv1.weight_mask[0])


class FooBarPruningMethod(prune.BasePruningMethod):
    """Prune every other entry in a tensor"""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t, default_mask):
        mask = default_mask.clone()
        mask.view(-1)[::2] = 0
        return mask


def foobar_unstructured(module, name):
    FooBarPruningMethod.apply(module, name)
    return module


model = fill(LeNet(), 0.3)
foobar_unstructured(model.fc3, name="bias")
print(model.fc3.bias_mask)
print(prune.is_pruned(model), prune.is_pruned(LeNet()))

# pruned training: gradients reach weight_orig, pruned entries stay zero
opt = torch.optim.SGD(model.parameters(), lr=0.01)
prune.l1_unstructured(model.fc3, name="weight", amount=0.5)
x = torch.linspace(-1, 1, 2 * 28 * 28).reshape(2, 1, 28, 28)
for step in range(3):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
masked = model.fc3.weight_mask == 0
print(int(masked.sum()), bool((model.fc3.weight_orig.grad[masked] == 0).all()))
print(int((model.fc3.weight == 0).sum()), r(model.fc3.bias))
