# The "Automatic Mixed Precision" recipe run on the CPU: autocast(device_type="cpu", dtype=bfloat16)
# for the forward pass, a GradScaler that is disabled on the CPU (enabled=False behaviour: scale()
# passes through, step() just steps), the dtypes autocast gives each op, nesting and disabling
# autocast, and saving/resuming the scaler's state_dict.
import torch

torch.manual_seed(0)
device = "cpu"


def make_model(in_size, out_size, num_layers):
    layers = []
    for _ in range(num_layers - 1):
        layers.append(torch.nn.Linear(in_size, in_size))
        layers.append(torch.nn.ReLU())
    layers.append(torch.nn.Linear(in_size, out_size))
    return torch.nn.Sequential(*tuple(layers)).to(device=device)


batch_size = 16
in_size = 32
out_size = 8
num_layers = 3
num_batches = 4
epochs = 2

data = [torch.randn(batch_size, in_size, device=device) for _ in range(num_batches)]
targets = [torch.randn(batch_size, out_size, device=device) for _ in range(num_batches)]

loss_fn = torch.nn.MSELoss().to(device)

# -- default precision --------------------------------------------------------------------------------
net = make_model(in_size, out_size, num_layers)
opt = torch.optim.SGD(net.parameters(), lr=0.001)

for epoch in range(epochs):
    for input, target in zip(data, targets):
        output = net(input)
        loss = loss_fn(output, target)
        loss.backward()
        opt.step()
        opt.zero_grad()  # set_to_none=True here can modestly improve performance
    print("default", epoch, f"{loss.item():.4f}", output.dtype)

# -- adding autocast ------------------------------------------------------------------------------------
for epoch in range(epochs):
    for input, target in zip(data, targets):
        # Runs the forward pass under ``autocast``.
        with torch.autocast(device_type=device, dtype=torch.bfloat16):
            output = net(input)
            # output is bfloat16 because linear layers ``autocast`` to bfloat16.
            assert output.dtype is torch.bfloat16

            loss = loss_fn(output, target)
            # loss is float32 because ``mse_loss`` layers ``autocast`` to float32.
            assert loss.dtype is torch.float32

        # Exits ``autocast`` before backward().
        loss.backward()
        opt.step()
        opt.zero_grad()
    print("autocast", epoch, f"{loss.item():.2f}", output.dtype, loss.dtype)
print(net[0].weight.grad, net[0].weight.dtype)

# -- adding GradScaler (disabled on the CPU, as the recipe's use_amp=False path) ----------------------------
scaler = torch.amp.GradScaler("cpu", enabled=False)
print(scaler.is_enabled(), scaler.get_scale())
for epoch in range(epochs):
    for input, target in zip(data, targets):
        with torch.autocast(device_type=device, dtype=torch.bfloat16):
            output = net(input)
            loss = loss_fn(output, target)

        scaled = scaler.scale(loss)
        assert scaled is loss
        scaled.backward()
        scaler.unscale_(opt)
        torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad()
    print("scaler", epoch, f"{loss.item():.2f}")
print(scaler.state_dict())

# -- all together: "Automatic Mixed Precision" with a use_amp switch -----------------------------------------
use_amp = False
net = make_model(in_size, out_size, num_layers)
opt = torch.optim.SGD(net.parameters(), lr=0.001)
scaler = torch.amp.GradScaler(enabled=use_amp)
for epoch in range(epochs):
    for input, target in zip(data, targets):
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=use_amp):
            output = net(input)
            loss = loss_fn(output, target)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        opt.zero_grad()
    print("all together", epoch, f"{loss.item():.4f}", output.dtype)

checkpoint = {
    "model": net.state_dict(),
    "optimizer": opt.state_dict(),
    "scaler": scaler.state_dict(),
}
print(sorted(checkpoint), checkpoint["scaler"])
net.load_state_dict(checkpoint["model"])
opt.load_state_dict(checkpoint["optimizer"])
scaler.load_state_dict(checkpoint["scaler"])

# -- which ops autocast lowers, which it keeps in float32 --------------------------------------------------
a, b = torch.randn(4, 4), torch.randn(4, 4)
conv = torch.nn.Conv2d(2, 3, 3)
img = torch.randn(1, 2, 5, 5)
with torch.autocast("cpu", dtype=torch.bfloat16):
    print(
        "mm",
        torch.mm(a, b).dtype,
        (a @ b).dtype,
        torch.matmul(a, b).dtype,
        torch.bmm(a[None], b[None]).dtype,
    )
    print("add", (a + b).dtype, torch.relu(a).dtype, a.sum().dtype)
    print("conv", conv(img).dtype)
    print("softmax", torch.softmax(a, 0).dtype, torch.log_softmax(a, 0).dtype)
    c = a @ b
    print("mixed add", (c + a).dtype, (c * 2).dtype)
    print("addmm", torch.addmm(a, a, b).dtype, torch.baddbmm(a[None], a[None], b[None]).dtype)
    print("is_autocast_enabled", torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))
    with torch.autocast("cpu", enabled=False):
        print("disabled inside", (a @ b).dtype, torch.is_autocast_enabled("cpu"))
        print("bf16 input, autocast off", (c.float() @ b).dtype)
    print("back on", (a @ b).dtype)
print("after", (a @ b).dtype, torch.is_autocast_enabled("cpu"))
with torch.autocast("cpu", dtype=torch.float16):
    print("float16 on cpu", (a @ b).dtype)
with torch.autocast("cpu"):
    print("default cpu dtype", (a @ b).dtype, torch.get_autocast_dtype("cpu"))
with torch.amp.autocast("cpu", dtype=torch.bfloat16):
    print("torch.amp.autocast", (a @ b).dtype)
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    out = torch.nn.functional.linear(a, b)
    print(
        "linear",
        out.dtype,
        torch.nn.functional.mse_loss(out, a).dtype,
        torch.nn.functional.cross_entropy(out, torch.tensor([0, 1, 2, 3])).dtype,
    )


@torch.autocast(device_type="cpu", dtype=torch.bfloat16)
def decorated(x, y):
    return x @ y


print("decorated", decorated(a, b).dtype)
