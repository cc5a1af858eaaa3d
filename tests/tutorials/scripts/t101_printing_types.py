# What tutorials and debugging sessions print about types: type(x), class reprs, __module__,
# __qualname__, and the checks people write with them (deterministic, CPU).
import io
import pickle

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

x = torch.randn(3, 4)
print(type(x), type(x.shape), type(x.dtype), type(x.device), type(x.layout))
print(type(torch.Generator()), type(torch.finfo(x.dtype)), type(torch.iinfo(torch.int64)))
print(torch.Size, torch.dtype, torch.device, torch.Tensor, nn.Parameter)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2))
        self.norm = nn.LayerNorm(2)

    def forward(self, x):
        return F.log_softmax(self.norm(self.body(x)), dim=1)


model = MLP()
print(type(model), type(model).__module__, type(model).__qualname__)
for name, module in model.named_modules():
    print(repr(name), type(module), type(module).__name__)
for name, p in model.named_parameters():
    print(name, type(p), type(p.data))
print(type(model.state_dict()), type(model.load_state_dict(model.state_dict())))

# one of every kind of layer, as people list them
layers = [
    nn.Conv1d(1, 1, 3), nn.Conv2d(1, 1, 3), nn.ConvTranspose2d(1, 1, 3), nn.MaxPool2d(2),
    nn.AvgPool1d(2), nn.AdaptiveAvgPool2d(1), nn.BatchNorm2d(1), nn.InstanceNorm1d(1),
    nn.GroupNorm(1, 1), nn.LSTM(2, 2), nn.GRU(2, 2), nn.RNN(2, 2), nn.Embedding(5, 2),
    nn.MultiheadAttention(4, 2), nn.TransformerEncoderLayer(4, 2), nn.GELU(), nn.Tanh(),
    nn.Softmax(dim=1), nn.CrossEntropyLoss(), nn.MSELoss(), nn.Flatten(), nn.Identity(),
    nn.ModuleList(), nn.ModuleDict(), nn.ParameterList(), nn.LazyLinear(2), nn.Upsample(scale_factor=2),
]
for layer in layers:
    print(type(layer))
print(nn.Linear, nn.Conv2d.__module__, nn.Module.__module__, nn.Module.__qualname__)

opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for o in (opt, torch.optim.Adam(model.parameters()), torch.optim.AdamW(model.parameters()),
          torch.optim.RMSprop(model.parameters())):
    print(type(o), isinstance(o, torch.optim.Optimizer))
for s in (torch.optim.lr_scheduler.StepLR(opt, 10), torch.optim.lr_scheduler.CosineAnnealingLR(opt, 10),
          torch.optim.lr_scheduler.ReduceLROnPlateau(opt), torch.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=5)):
    print(type(s), type(s).__mro__[1])

ds = TensorDataset(torch.randn(6, 4), torch.arange(6) % 2)
dl = DataLoader(ds, batch_size=3, shuffle=True)
print(type(ds), type(dl), type(dl.sampler), type(dl.batch_sampler), type(iter(dl)))
xb, yb = next(iter(dl))
print(type(xb), xb.shape, type(yb), yb.dtype)

d = torch.distributions.Normal(torch.zeros(2), torch.ones(2))
print(type(d), type(d.sample()), type(torch.distributions.constraints.positive))


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t**3

    @staticmethod
    def backward(ctx, g):
        (t,) = ctx.saved_tensors
        return 3 * t**2 * g


w = torch.ones(2, requires_grad=True)
out = Cube.apply(w).sum()
out.backward()
print(type(Cube), Cube.__mro__[1], type(out.grad_fn), type(w.grad))
print(type(torch.max(x, 1)), type(torch.no_grad()), type(F.relu), F.relu.__name__)

# the names survive a pickle round trip of a whole model
buf = io.BytesIO()
torch.save(model, buf)
buf.seek(0)
loaded = torch.load(buf, weights_only=False)
model.eval()
loaded.eval()
print(type(loaded), type(loaded.body[0]), torch.equal(loaded(x), model(x)))
print(type(pickle.loads(pickle.dumps(ds))), type(pickle.loads(pickle.dumps(x.shape))))
print(model)
