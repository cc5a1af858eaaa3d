# ruff: noqa: B007, UP008, UP031, UP032, E731, E402  (tutorial code, kept as the tutorials write it)
# "Model ensembling" (torch.func): stack_module_state + vmap over functional_call on a 'meta' model.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


# Here's a simple MLP (smaller than the tutorial's, same structure)
class SimpleMLP(nn.Module):
    def __init__(self):
        super(SimpleMLP, self).__init__()
        self.fc1 = nn.Linear(49, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 10)

    def forward(self, x):
        x = x.flatten(1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        x = F.relu(x)
        x = self.fc3(x)
        return x


device = "cpu"
num_models = 4

data = torch.randn(10, 16, 1, 7, 7, device=device)
targets = torch.randint(10, (160,), device=device)

models = [SimpleMLP().to(device) for _ in range(num_models)]

# Option 1: different minibatch for each model
minibatches = data[:num_models]
predictions_diff_minibatch_loop = [
    model(minibatch) for model, minibatch in zip(models, minibatches)
]

# Option 2: Same minibatch
minibatch = data[0]
predictions2 = [model(minibatch) for model in models]

from torch.func import stack_module_state

params, buffers = stack_module_state(models)

import copy

from torch.func import functional_call

# Construct a "stateless" version of one of the models. It is "stateless" in
# the sense that the parameters are meta Tensors and do not have storage.
base_model = copy.deepcopy(models[0])
base_model = base_model.to("meta")


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


print([p.size(0) for p in params.values()])  # show the leading 'num_models' dimension
print(list(params.keys()), buffers)
print([(tuple(p.shape), p.requires_grad, p.is_leaf) for p in params.values()])
print(base_model.fc1.weight.device, base_model.fc1.weight.shape, base_model.fc1.weight.is_meta)

assert minibatches.shape == (
    num_models,
    16,
    1,
    7,
    7,
)  # verify minibatch has leading dimension of size 'num_models'

from torch import vmap

predictions1_vmap = vmap(fmodel)(params, buffers, minibatches)

# verify the ``vmap`` predictions match the
assert torch.allclose(
    predictions1_vmap, torch.stack(predictions_diff_minibatch_loop), atol=1e-3, rtol=1e-5
)
print(predictions1_vmap.shape, round(predictions1_vmap.sum().item(), 4))

predictions2_vmap = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)

assert torch.allclose(predictions2_vmap, torch.stack(predictions2), atol=1e-3, rtol=1e-5)
print(predictions2_vmap.shape, round(predictions2_vmap.abs().mean().item(), 4))

from torch.utils.benchmark import Timer

without_vmap = Timer(
    stmt="[model(minibatch) for model, minibatch in zip(models, minibatches)]", globals=globals()
)
with_vmap = Timer(stmt="vmap(fmodel)(params, buffers, minibatches)", globals=globals())
for m in (without_vmap.timeit(3), with_vmap.timeit(3)):
    print([line for line in str(m).splitlines() if not line.endswith("s")])

# the stacked parameters are optimizable leaves: gradients flow through vmap
loss = F.cross_entropy(predictions1_vmap.flatten(0, 1), targets[: num_models * 16])
loss.backward()
print(round(loss.item(), 4))
print([(k, tuple(p.grad.shape), round(p.grad.abs().sum().item(), 4)) for k, p in params.items()])

# out_dims moves the model dimension
predictions3 = vmap(fmodel, in_dims=(0, 0, None), out_dims=1)(params, buffers, minibatch)
print(predictions3.shape, torch.allclose(predictions3.transpose(0, 1), predictions2_vmap))

# errors
try:
    stack_module_state([])
except RuntimeError as e:
    print("RuntimeError:", e)
models[1].eval()
try:
    stack_module_state(models)
except RuntimeError as e:
    print("RuntimeError:", e)
