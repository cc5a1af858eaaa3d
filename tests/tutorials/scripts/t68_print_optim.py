# Printing random tensors at default precision, and optimizer trajectories on a small problem.
import torch
import torch.nn as nn

torch.manual_seed(0)
print(torch.randn(3, 4) * 1000)
print(torch.randn(2, 3) * 1e-4)
print(torch.randn(2, 3) * 1e8)
print(torch.rand(2, 2).double())
print(torch.randn(5).half(), torch.randn(3).bfloat16())
print(torch.randn(1000))
print(torch.randn(30, 30))
print(torch.randint(-1000, 1000, (3, 5)))
print(torch.rand(4) > 0.5)
t = torch.randn(3)
t[1] = float("inf")
t[2] = float("nan")
print(t)
print(torch.randn(2, 2, dtype=torch.complex64))
print(torch.tensor([1e-10, 1.0, 1e10]), torch.tensor([0.1, 100.0]), torch.tensor([123456.0]))
torch.set_printoptions(precision=8)
print(torch.randn(4))
torch.set_printoptions(sci_mode=False, precision=4)
print(torch.randn(3) * 1e-5)
torch.set_printoptions(profile="default")

X = torch.randn(64, 5)
Y = X @ torch.randn(5, 1) + 0.1 * torch.randn(64, 1)
for name, make in [
    ("SGD", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    ("Adam", lambda p: torch.optim.Adam(p, lr=0.05)),
    ("AdamW", lambda p: torch.optim.AdamW(p, lr=0.05, amsgrad=True)),
    ("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True)),
    ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.1)),
    ("Adadelta", lambda p: torch.optim.Adadelta(p, lr=1.0)),
    ("Adamax", lambda p: torch.optim.Adamax(p, lr=0.05)),
    ("NAdam", lambda p: torch.optim.NAdam(p, lr=0.05)),
    ("RAdam", lambda p: torch.optim.RAdam(p, lr=0.05)),
    ("Rprop", lambda p: torch.optim.Rprop(p, lr=0.01)),
]:
    model = nn.Linear(5, 1)
    opt = make(model.parameters())
    for _step in range(25):
        loss = nn.functional.mse_loss(model(X), Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(name, f"{loss.item():.5f}", model.weight.detach().numpy().round(4), model.bias)
