# A physics-informed neural network (PINN) for the viscous Burgers equation
# u_t + u u_x - (0.01/pi) u_xx = 0 on x in [-1, 1], t in [0, 1], u(0, x) = -sin(pi x),
# u(t, -1) = u(t, 1) = 0, in the manner of the PINN tutorials that follow Raissi et al. (2019):
# an MLP with tanh activations and Xavier-initialised weights; the PDE residual from
# torch.autograd.grad with create_graph=True (first and second derivatives through the network,
# grad_outputs=torch.ones_like), collocation points drawn with torch.rand and requires_grad_();
# training with Adam, then L-BFGS with a strong-Wolfe line search and a closure; the relative
# L2 error against a finite-difference reference at t = 0 (the initial condition) and the
# residual at a few points, under torch.no_grad() where no derivatives are needed.
# Written for this test suite: small sizes (2-20-20-20-1, 200 collocation points, 300 Adam
# steps, 40 L-BFGS iterations), losses printed to 3 significant digits (after L-BFGS: fewer).
import math

import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(1234)
np.random.seed(1234)
nu = 0.01 / math.pi


class PINN(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.activation = nn.Tanh()
        self.linears = nn.ModuleList([nn.Linear(layers[i], layers[i + 1]) for i in range(len(layers) - 1)])
        for lin in self.linears:
            nn.init.xavier_normal_(lin.weight.data, gain=1.0)
            nn.init.zeros_(lin.bias.data)

    def forward(self, t, x):
        a = torch.cat([t, x], dim=1)
        for lin in self.linears[:-1]:
            a = self.activation(lin(a))
        return self.linears[-1](a)


def pde_residual(model, t, x):
    u = model(t, x)
    u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), create_graph=True)[0]
    return u_t + u * u_x - nu * u_xx


# initial and boundary data
n_b = 50
x0 = torch.linspace(-1, 1, n_b).view(-1, 1)
t0 = torch.zeros_like(x0)
u0 = -torch.sin(math.pi * x0)
tb = torch.rand(n_b, 1)
xb = torch.where(torch.rand(n_b, 1) < 0.5, -torch.ones(n_b, 1), torch.ones(n_b, 1))
ub = torch.zeros(n_b, 1)
t_data = torch.cat([t0, tb])
x_data = torch.cat([x0, xb])
u_data = torch.cat([u0, ub])

# collocation points
n_f = 200
t_f = torch.rand(n_f, 1).requires_grad_()
x_f = (torch.rand(n_f, 1) * 2 - 1).requires_grad_()
print(t_data.shape, x_data.shape, u_data.shape, t_f.shape, x_f.requires_grad, t_f.is_leaf)

model = PINN([2, 20, 20, 20, 1])
print(model)
print(sum(p.numel() for p in model.parameters()))
mse = nn.MSELoss()


def losses():
    loss_u = mse(model(t_data, x_data), u_data)
    f = pde_residual(model, t_f, x_f)
    loss_f = mse(f, torch.zeros_like(f))
    return loss_u, loss_f


optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for it in range(300):
    optimizer.zero_grad()
    loss_u, loss_f = losses()
    loss = loss_u + loss_f
    loss.backward()
    optimizer.step()
    if it % 50 == 0 or it == 299:
        print(f"Adam {it:4d}: loss {loss.item():.3g} (data {loss_u.item():.3g}, pde {loss_f.item():.3g})")

lbfgs = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=40, history_size=20,
                          tolerance_grad=1e-9, tolerance_change=1e-12, line_search_fn="strong_wolfe")
calls = []


def closure():
    lbfgs.zero_grad()
    loss_u, loss_f = losses()
    loss = loss_u + loss_f
    loss.backward()
    calls.append(loss.item())
    return loss


final = lbfgs.step(closure)
print(f"L-BFGS: {len(calls) > 1}, first {calls[0]:.3g}, returned {final.item():.3g}, decreased {calls[-1] < calls[0]}")
state = lbfgs.state[lbfgs._params[0]]
print(state["n_iter"], state["func_evals"] >= state["n_iter"], state["d"].shape, lbfgs.state_dict()["state"][0]["old_dirs"][0].shape)

# the fit of the initial condition and the residual at a few points
with torch.no_grad():
    u_pred = model(t0, x0)
    err = torch.linalg.norm(u_pred - u0) / torch.linalg.norm(u0)
print(f"relative L2 error at t=0: {err.item():.2g}")
t_chk = torch.tensor([[0.25], [0.5], [0.75]], requires_grad=True)
x_chk = torch.tensor([[-0.5], [0.0], [0.5]], requires_grad=True)
r = pde_residual(model, t_chk, x_chk)
print(r.shape, r.requires_grad, r.grad_fn is not None, f"{r.abs().max().item():.1f}")

# second derivatives agree with finite differences of the network
h = 1e-2
with torch.no_grad():
    up = model(t_chk, x_chk + h)
    um = model(t_chk, x_chk - h)
    uc = model(t_chk, x_chk)
    fd = (up - 2 * uc + um) / h ** 2
u = model(t_chk, x_chk)
u_x = torch.autograd.grad(u, x_chk, torch.ones_like(u), create_graph=True)[0]
u_xx = torch.autograd.grad(u_x, x_chk, torch.ones_like(u_x))[0]
print(torch.allclose(u_xx, fd, rtol=0.05, atol=0.05), u_xx.shape, u_x.grad_fn is not None)
