# ruff: noqa: UP031, UP032 (the book's printing style, kept)
# "Deep Learning with PyTorch", chapter 5 (the mechanics of learning), notebooks 1 and 2: the
# thermometer data, a hand-written linear model, loss and analytic gradient, a training loop that
# diverges, one that crawls, one on rescaled input that converges; then the same loop driven by
# autograd (requires_grad, backward, params.grad.zero_(), an update under torch.no_grad()).
import torch

# PyTorch's float32 sums are vectorised in an order that depends on the CPU's instruction set, so
# the last bits of a loss are not portable: values print to 2 decimals, losses to 3, and the
# diverging run in scientific notation (the notebook prints them in full)
torch.set_printoptions(edgeitems=2, linewidth=75, precision=2)

t_c = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
t_u = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
t_c = torch.tensor(t_c)
t_u = torch.tensor(t_u)


def model(t_u, w, b):
    return w * t_u + b


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c) ** 2
    return squared_diffs.mean()


w = torch.ones(())
b = torch.zeros(())
t_p = model(t_u, w, b)
print(t_p)
loss = loss_fn(t_p, t_c)
print(loss)

# broadcasting, as the chapter's sidebar shows it
x = torch.ones(())
y = torch.ones(3, 1)
z = torch.ones(1, 3)
a = torch.ones(2, 1, 1)
print(f"shapes: x: {x.shape}, y: {y.shape}")
print(f"        z: {z.shape}, a: {a.shape}")
print("x * y:", (x * y).shape)
print("y * z:", (y * z).shape)
print("y * z * a:", (y * z * a).shape)

delta = 0.1
loss_rate_of_change_w = (
    loss_fn(model(t_u, w + delta, b), t_c) - loss_fn(model(t_u, w - delta, b), t_c)
) / (2.0 * delta)
learning_rate = 1e-2
w = w - learning_rate * loss_rate_of_change_w
loss_rate_of_change_b = (
    loss_fn(model(t_u, w, b + delta), t_c) - loss_fn(model(t_u, w, b - delta), t_c)
) / (2.0 * delta)
b = b - learning_rate * loss_rate_of_change_b
print(w, "%.1f" % float(b))


def dloss_fn(t_p, t_c):
    dsq_diffs = 2 * (t_p - t_c) / t_p.size(0)
    return dsq_diffs


def dmodel_dw(t_u, w, b):
    return t_u


def dmodel_db(t_u, w, b):
    return 1.0


def grad_fn(t_u, t_c, t_p, w, b):
    dloss_dtp = dloss_fn(t_p, t_c)
    dloss_dw = dloss_dtp * dmodel_dw(t_u, w, b)
    dloss_db = dloss_dtp * dmodel_db(t_u, w, b)
    return torch.stack([dloss_dw.sum(), dloss_db.sum()])


def training_loop(n_epochs, learning_rate, params, t_u, t_c, print_params=True, loss_format="%.3f"):
    for epoch in range(1, n_epochs + 1):
        w, b = params

        t_p = model(t_u, w, b)
        loss = loss_fn(t_p, t_c)
        grad = grad_fn(t_u, t_c, t_p, w, b)

        params = params - learning_rate * grad

        if epoch in {1, 2, 3, 10, 11, 99, 100, 4000, 5000}:
            print(("Epoch %d, Loss " + loss_format) % (epoch, float(loss)))
            if print_params:
                print("    Params:", params)
                print("    Grad:  ", grad)
        if epoch in {4, 12, 101}:
            print("...")

        if not torch.isfinite(loss).all():
            break

    return params


training_loop(
    n_epochs=100, learning_rate=1e-2, params=torch.tensor([1.0, 0.0]), t_u=t_u, t_c=t_c, print_params=False,
    loss_format="%.3e",
)
training_loop(n_epochs=100, learning_rate=1e-4, params=torch.tensor([1.0, 0.0]), t_u=t_u, t_c=t_c)

t_un = 0.1 * t_u
training_loop(n_epochs=100, learning_rate=1e-2, params=torch.tensor([1.0, 0.0]), t_u=t_un, t_c=t_c)
params = training_loop(
    n_epochs=5000, learning_rate=1e-2, params=torch.tensor([1.0, 0.0]), t_u=t_un, t_c=t_c, print_params=False
)
print(params)
t_p = model(t_un, *params)
print(t_p)

# -- autograd ------------------------------------------------------------------------------------
params = torch.tensor([1.0, 0.0], requires_grad=True)
print(params.grad is None)
loss = loss_fn(model(t_u, *params), t_c)
loss.backward()
print(params.grad)
loss = loss_fn(model(t_u, *params), t_c)
loss.backward()
print(params.grad, "(accumulated)")
if params.grad is not None:
    params.grad.zero_()
print(params.grad)


def training_loop(n_epochs, learning_rate, params, t_u, t_c):
    for epoch in range(1, n_epochs + 1):
        if params.grad is not None:
            params.grad.zero_()

        t_p = model(t_u, *params)
        loss = loss_fn(t_p, t_c)
        loss.backward()

        with torch.no_grad():
            params -= learning_rate * params.grad

        if epoch % 500 == 0:
            print("Epoch %d, Loss %.3f" % (epoch, float(loss)))

    return params


params = training_loop(
    n_epochs=5000, learning_rate=1e-2, params=torch.tensor([1.0, 0.0], requires_grad=True), t_u=t_un, t_c=t_c
)
print(params)
print(params.requires_grad, params.is_leaf, params.grad_fn, params.grad.shape)
print(model(t_un, *params).grad_fn, loss_fn(model(t_un, *params), t_c).grad_fn.name())
with torch.no_grad():
    print(model(t_un, *params).requires_grad)
print(model(t_un, *params.detach()).requires_grad)
