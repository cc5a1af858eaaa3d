# ruff: noqa: UP031, UP032 (the book's printing style, kept)
# "Deep Learning with PyTorch", chapter 6 (using a neural network to fit the data): nn.Linear on
# batches (unsqueeze(1)), nn.MSELoss, an optimizer over model.parameters(), nn.Sequential with and
# without an OrderedDict, named_parameters, seq_model.hidden_linear.weight.grad, the activation
# functions notebook, and the nn.Module subclassing notebook.
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)
# 3 decimals: PyTorch's float32 sums and transcendental functions are vectorised in ways that move
# the last bits with the CPU's instruction set (the notebooks print 4)
torch.set_printoptions(edgeitems=2, linewidth=75, precision=3)

t_c = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
t_u = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
t_c = torch.tensor(t_c).unsqueeze(1)
t_u = torch.tensor(t_u).unsqueeze(1)
print(t_u.shape)

n_samples = t_u.shape[0]
n_val = int(0.2 * n_samples)
shuffled_indices = torch.randperm(n_samples)
train_indices = shuffled_indices[:-n_val]
val_indices = shuffled_indices[-n_val:]
print(train_indices, val_indices)

t_u_train = t_u[train_indices]
t_c_train = t_c[train_indices]
t_u_val = t_u[val_indices]
t_c_val = t_c[val_indices]
t_un_train = 0.1 * t_u_train
t_un_val = 0.1 * t_u_val

linear_model = nn.Linear(1, 1)
print(linear_model(t_un_val))
print(linear_model.weight)
print(linear_model.bias)
x = torch.ones(1)
print(linear_model(x))
x = torch.ones(10, 1)
print(linear_model(x))

linear_model = nn.Linear(1, 1)
optimizer = optim.SGD(linear_model.parameters(), lr=1e-2)
print(linear_model.parameters())
print(list(linear_model.parameters()))


def training_loop(n_epochs, optimizer, model, loss_fn, t_u_train, t_u_val, t_c_train, t_c_val):
    for epoch in range(1, n_epochs + 1):
        t_p_train = model(t_u_train)
        loss_train = loss_fn(t_p_train, t_c_train)

        t_p_val = model(t_u_val)
        loss_val = loss_fn(t_p_val, t_c_val)

        optimizer.zero_grad()
        loss_train.backward()
        optimizer.step()

        if epoch == 1 or epoch % 1000 == 0:
            print(f"Epoch {epoch}, Training loss {loss_train.item():.2f}, Validation loss {loss_val.item():.2f}")


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c) ** 2
    return squared_diffs.mean()


linear_model = nn.Linear(1, 1)
optimizer = optim.SGD(linear_model.parameters(), lr=1e-2)
training_loop(
    n_epochs=3000, optimizer=optimizer, model=linear_model, loss_fn=loss_fn,
    t_u_train=t_un_train, t_u_val=t_un_val, t_c_train=t_c_train, t_c_val=t_c_val,
)
print()
print(linear_model.weight)
print(linear_model.bias)

linear_model = nn.Linear(1, 1)
optimizer = optim.SGD(linear_model.parameters(), lr=1e-2)
training_loop(
    n_epochs=3000, optimizer=optimizer, model=linear_model, loss_fn=nn.MSELoss(),
    t_u_train=t_un_train, t_u_val=t_un_val, t_c_train=t_c_train, t_c_val=t_c_val,
)
print()
print(linear_model.weight)
print(linear_model.bias)

seq_model = nn.Sequential(nn.Linear(1, 13), nn.Tanh(), nn.Linear(13, 1))
print(seq_model)
print([param.shape for param in seq_model.parameters()])
for name, param in seq_model.named_parameters():
    print(name, param.shape)

seq_model = nn.Sequential(OrderedDict([
    ("hidden_linear", nn.Linear(1, 8)),
    ("hidden_activation", nn.Tanh()),
    ("output_linear", nn.Linear(8, 1)),
]))
print(seq_model)
for name, param in seq_model.named_parameters():
    print(name, param.shape)
print(seq_model.output_linear.bias)

# lr=5e-4, not the notebook's 1e-3: at 1e-3 the tanh network reaches the edge of stability near
# epoch 900 (an oscillation grows tenfold every ten epochs from rounding noise, in float64 too), so
# where it lands depends on the last bit of every sum, in PyTorch as much as here
optimizer = optim.SGD(seq_model.parameters(), lr=5e-4)
training_loop(
    n_epochs=5000, optimizer=optimizer, model=seq_model, loss_fn=nn.MSELoss(),
    t_u_train=t_un_train, t_u_val=t_un_val, t_c_train=t_c_train, t_c_val=t_c_val,
)
print("output", seq_model(t_un_val))
print("answer", t_c_val)
print("hidden", seq_model.hidden_linear.weight.grad)

t_range = torch.arange(20.0, 90.0).unsqueeze(1)
print(seq_model(0.1 * t_range).detach().view(-1)[::10])

neuron_count = 20
seq_model = nn.Sequential(OrderedDict([
    ("hidden_linear", nn.Linear(1, neuron_count)),
    ("hidden_activation", nn.Tanh()),
    ("output_linear", nn.Linear(neuron_count, 1)),
]))
optimizer = optim.SGD(seq_model.parameters(), lr=1e-4)
training_loop(
    n_epochs=2000, optimizer=optimizer, model=seq_model, loss_fn=nn.MSELoss(),
    t_u_train=t_un_train, t_u_val=t_un_val, t_c_train=t_c_train, t_c_val=t_c_val,
)

# -- the activation functions notebook ------------------------------------------------------------
input_t = torch.arange(-3, 3.1, 0.5)
print(input_t)
# (PyTorch's vectorised erf is an approximation: its GELU(-3) is -0.0040502, not -0.0040497)
activation_list = [
    nn.Tanh(), nn.Hardtanh(), nn.Sigmoid(), nn.Softplus(), nn.ReLU(), nn.LeakyReLU(negative_slope=0.1),
    nn.Tanhshrink(), nn.Softshrink(), nn.Hardshrink(), nn.ELU(), nn.GELU(), nn.SiLU(),
]
for activation_func in activation_list:
    output_t = activation_func(input_t)
    print(activation_func, output_t[::3])

# -- the nn.Module subclassing notebook ------------------------------------------------------------
seq_model = nn.Sequential(nn.Linear(1, 11), nn.Tanh(), nn.Linear(11, 1))
namedseq_model = nn.Sequential(OrderedDict([
    ("hidden_linear", nn.Linear(1, 12)),
    ("hidden_activation", nn.Tanh()),
    ("output_linear", nn.Linear(12, 1)),
]))


class SubclassModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden_linear = nn.Linear(1, 13)
        self.hidden_activation = nn.Tanh()
        self.output_linear = nn.Linear(13, 1)

    def forward(self, input):
        hidden_t = self.hidden_linear(input)
        activated_t = self.hidden_activation(hidden_t)
        output_t = self.output_linear(activated_t)
        return output_t


subclass_model = SubclassModel()
print(subclass_model)


class SubclassFunctionalModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden_linear = nn.Linear(1, 14)
        self.output_linear = nn.Linear(14, 1)

    def forward(self, input):
        hidden_t = self.hidden_linear(input)
        activated_t = torch.tanh(hidden_t)
        output_t = self.output_linear(activated_t)
        return output_t


func_model = SubclassFunctionalModel()
print(func_model)

for type_str, model in [
    ("seq", seq_model), ("namedseq", namedseq_model), ("subclass", subclass_model), ("functional", func_model)
]:
    print(type_str)
    for name_str, param in model.named_parameters():
        print("{:21} {:19} {}".format(name_str, str(param.shape), param.numel()))
    print()

print(F.tanh(torch.tensor([0.5])), torch.tanh(torch.tensor([0.5])))
print(subclass_model.output_linear, subclass_model.hidden_activation)
print(sum(p.numel() for p in func_model.parameters()))
for model in (seq_model, namedseq_model, subclass_model, func_model):
    print(model(torch.ones(2, 1)).shape, model(torch.ones(2, 1)).grad_fn.name())
