# ruff: noqa: UP031, UP032, UP025, B007  (the example's code, kept as it is written)
# pytorch/examples regression/main.py unchanged but seeded: a degree-4 polynomial fitted by
# nn.Linear with F.smooth_l1_loss and a hand-written SGD step, run until the loss drops below
# 1e-3 (itertools.count), in float64 (in float32, one-ulp matmul differences over ~800 noisy
# steps move the batch where the loss first dips below 1e-3). Then the step without .data,
# which PyTorch refuses.
from itertools import count

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)  # float32 matmul rounding would move the stopping batch

POLY_DEGREE = 4
W_target = torch.randn(POLY_DEGREE, 1) * 5
b_target = torch.randn(1) * 5


def make_features(x):
    """Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]."""
    x = x.unsqueeze(1)
    return torch.cat([x ** i for i in range(1, POLY_DEGREE+1)], 1)


def f(x):
    """Approximated function."""
    return x.mm(W_target) + b_target.item()


def poly_desc(W, b):
    """Creates a string description of a polynomial."""
    result = 'y = '
    for i, w in enumerate(W):
        result += '{:+.2f} x^{} '.format(w, i + 1)
    result += '{:+.2f}'.format(b[0])
    return result


def get_batch(batch_size=32):
    """Builds a batch i.e. (x, f(x)) pair."""
    random = torch.randn(batch_size)
    x = make_features(random)
    y = f(x)
    return x, y


# Define model
fc = torch.nn.Linear(W_target.size(0), 1)

for batch_idx in count(1):
    # Get data
    batch_x, batch_y = get_batch()

    # Reset gradients
    fc.zero_grad()

    # Forward pass
    output = F.smooth_l1_loss(fc(batch_x), batch_y)
    loss = output.item()

    # Backward pass
    output.backward()

    # Apply gradients
    for param in fc.parameters():
        param.data.add_(-0.1 * param.grad)

    # Stop criterion
    if loss < 1e-3:
        break

print('Loss: {:.6f} after {} batches'.format(loss, batch_idx))
print('==> Learned function:\t' + poly_desc(fc.weight.view(-1), fc.bias))
print('==> Actual function:\t' + poly_desc(W_target.view(-1), b_target))

# an older version of the example updates the parameter itself
output = F.smooth_l1_loss(fc(batch_x), batch_y)
output.backward()
try:
    for param in fc.parameters():
        param.add_(-0.1 * param.grad)
except RuntimeError as e:
    print("RuntimeError:", e)
print('{:+.3f} {:>8.4f} {:e}'.format(fc.bias[0], fc.weight[0, 1], fc.weight.sum()))
