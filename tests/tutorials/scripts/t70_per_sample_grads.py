# ruff: noqa: B007, UP008, UP031, UP032, E731, E402  (tutorial code, kept as the tutorials write it)
# "Per-sample-gradients" (torch.func): functional_call + vmap + grad vs a per-sample loop.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


# Here's a simple CNN and loss function (smaller than the tutorial's, same structure):
class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.fc1 = nn.Linear(8 * 5 * 5, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


def loss_fn(predictions, targets):
    return F.nll_loss(predictions, targets)


device = "cpu"

batch_size = 8
data = torch.randn(batch_size, 1, 14, 14, device=device)
targets = torch.randint(10, (batch_size,), device=device)
print(targets)

model = SimpleCNN().to(device=device)
predictions = model(data)  # move the entire mini-batch through the model

loss = loss_fn(predictions, targets)
loss.backward()  # back propagate the 'average' gradient of this mini-batch
print(round(loss.item(), 4))


def compute_grad(sample, target):
    sample = sample.unsqueeze(0)  # prepend batch dimension for processing
    target = target.unsqueeze(0)

    prediction = model(sample)
    loss = loss_fn(prediction, target)

    return torch.autograd.grad(loss, list(model.parameters()))


def compute_sample_grads(data, targets):
    """manually process each sample with per sample gradient"""
    sample_grads = [compute_grad(data[i], targets[i]) for i in range(batch_size)]
    sample_grads = zip(*sample_grads)
    sample_grads = [torch.stack(shards) for shards in sample_grads]
    return sample_grads


per_sample_grads = compute_sample_grads(data, targets)

print(per_sample_grads[0].shape)

from torch.func import functional_call, grad, vmap

params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0)
    targets = target.unsqueeze(0)

    predictions = functional_call(model, (params, buffers), (batch,))
    loss = loss_fn(predictions, targets)
    return loss


ft_compute_grad = grad(compute_loss)
ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)

print(type(ft_per_sample_grads).__name__, list(ft_per_sample_grads.keys()))
for per_sample_grad, ft_per_sample_grad in zip(per_sample_grads, ft_per_sample_grads.values()):
    assert torch.allclose(per_sample_grad, ft_per_sample_grad, atol=3e-3, rtol=1e-5)
    print(
        tuple(ft_per_sample_grad.shape),
        ft_per_sample_grad.dtype,
        ft_per_sample_grad.requires_grad,
        round(ft_per_sample_grad.abs().sum().item(), 4),
    )


def get_perf(first, first_descriptor, second, second_descriptor):
    """takes torch.benchmark objects and compares delta of second vs first."""
    faster = second.times[0]
    slower = first.times[0]
    gain = (slower - faster) / slower
    if gain < 0:
        gain *= -1
    final_gain = gain * 100
    # (the tutorial prints the gain: timings differ from run to run, so only its type here)
    print(type(final_gain).__name__, "percent improvement with", first_descriptor)


def show(measurement):
    """A Measurement's report without its time (the address is normalised by the test)."""
    print([line for line in str(measurement).splitlines() if not line.endswith(("s", "WARNING"))])


from torch.utils.benchmark import Timer

without_vmap = Timer(stmt="compute_sample_grads(data, targets)", globals=globals())
with_vmap = Timer(stmt="ft_compute_sample_grad(params, buffers, data, targets)", globals=globals())
no_vmap_timing = without_vmap.timeit(2)
with_vmap_timing = with_vmap.timeit(2)

show(no_vmap_timing)
show(with_vmap_timing)
get_perf(with_vmap_timing, "vmap", no_vmap_timing, "no vmap")

# the mean of the per-sample gradients is the mini-batch gradient
for name, p in model.named_parameters():
    print(name, torch.allclose(ft_per_sample_grads[name].mean(0), p.grad, atol=1e-6))

# grad_and_value returns the loss too; has_aux carries extra outputs
from torch.func import grad_and_value


def compute_loss_aux(params, sample, target):
    predictions = functional_call(model, params, (sample.unsqueeze(0),))
    loss = loss_fn(predictions, target.unsqueeze(0))
    return loss, predictions.argmax(1)


grads, (losses, preds) = vmap(grad_and_value(compute_loss_aux, has_aux=True), in_dims=(None, 0, 0))(
    params, data, targets
)
print(losses.shape, [round(v, 4) for v in losses.tolist()])
print(preds.squeeze(1))
print(sorted(grads.keys()) == sorted(params.keys()))

# gradients with respect to the data instead of the parameters (argnums)
input_grads = vmap(grad(compute_loss, argnums=2), in_dims=(None, None, 0, 0))(
    params, buffers, data, targets
)
print(input_grads.shape, round(input_grads.abs().sum().item(), 4))
