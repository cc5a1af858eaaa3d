# nn.Transformer forward in eval mode, LBFGS on a small problem, learning-rate schedulers.
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)
model = nn.Transformer(
    d_model=16, nhead=4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=32, dropout=0.1
)
model.eval()
src = torch.rand(7, 2, 16)
tgt = torch.rand(5, 2, 16)
mask = nn.Transformer.generate_square_subsequent_mask(5)
print(mask)
with torch.no_grad():
    out = model(src, tgt, tgt_mask=mask)
print(out.shape)
print(out[:, 0, :6])
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 1)
enc.eval()
with torch.no_grad():
    print(enc(torch.randn(2, 3, 16))[0, :, :5])

# LBFGS: Rosenbrock and a least-squares fit
x = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = optim.LBFGS([x], lr=1, max_iter=50, history_size=10, line_search_fn="strong_wolfe")


def rosen():
    opt.zero_grad()
    loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    loss.backward()
    return loss


for step in range(3):
    loss = opt.step(rosen)
    # float32 dot products (MKL sdot) order their sums differently: print the optimum to 3 decimals
    print(step, f"{loss.item():.6f}", x.detach().numpy().round(3))
A = torch.randn(20, 5)
b = torch.randn(20)
w = torch.zeros(5, requires_grad=True)
opt = optim.LBFGS([w], lr=0.5, max_iter=20)


def lsq():
    opt.zero_grad()
    loss = ((A @ w - b) ** 2).mean()
    loss.backward()
    return loss


for step in range(3):
    print(step, f"{opt.step(lsq).item():.6f}")
print(w.detach().numpy().round(4))


# schedulers
def sched_run(name, make, epochs=8):
    p = nn.Parameter(torch.zeros(1))
    o = optim.SGD([p], lr=0.1, momentum=0.9)
    s = make(o)
    lrs = []
    for _epoch in range(epochs):
        o.step()
        lrs.append(s.get_last_lr()[0])
        s.step()
    print(name, lrs)


sched_run("StepLR", lambda o: optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.1))
sched_run("MultiStepLR", lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.5))
sched_run("ExponentialLR", lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.9))
sched_run(
    "CosineAnnealingLR", lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=6, eta_min=0.001)
)
sched_run("LambdaLR", lambda o: optim.lr_scheduler.LambdaLR(o, lambda e: 0.95**e))
sched_run("LinearLR", lambda o: optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4))
sched_run("OneCycleLR", lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=10))
sched_run("CyclicLR", lambda o: optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=3))
sched_run(
    "CosineAnnealingWarmRestarts",
    lambda o: optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
)
sched_run("PolynomialLR", lambda o: optim.lr_scheduler.PolynomialLR(o, total_iters=5, power=2.0))
sched_run("ConstantLR", lambda o: optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3))
sched_run(
    "SequentialLR",
    lambda o: optim.lr_scheduler.SequentialLR(
        o,
        [
            optim.lr_scheduler.LinearLR(o, 0.1, total_iters=2),
            optim.lr_scheduler.ExponentialLR(o, 0.9),
        ],
        milestones=[2],
    ),
)
p = nn.Parameter(torch.zeros(1))
o = optim.SGD([p], lr=0.1)
plateau = optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=1)
for epoch, val in enumerate([1.0, 0.9, 0.95, 0.97, 0.96, 0.8, 0.85, 0.9]):
    plateau.step(val)
    print(epoch, o.param_groups[0]["lr"], plateau.get_last_lr())
print(optim.lr_scheduler.StepLR(o, 2).state_dict())
