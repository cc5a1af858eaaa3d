"""Introduction to TorchScript, part 3: mixing scripting and tracing (MyRNNLoop, WrapRNN), then
saving and loading the module with torch.jit.save / torch.jit.load."""

import os
import tempfile

import torch

torch.manual_seed(2)


class MyDecisionGate(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x
        else:
            return -x


class MyCell(torch.nn.Module):
    def __init__(self, dg):
        super().__init__()
        self.dg = dg
        self.linear = torch.nn.Linear(4, 4)

    def forward(self, x, h):
        new_h = torch.tanh(self.dg(self.linear(x)) + h)
        return new_h, new_h


scripted_gate = torch.jit.script(MyDecisionGate())
x, h = torch.rand(3, 4), torch.rand(3, 4)


class MyRNNLoop(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = torch.jit.trace(MyCell(scripted_gate), (x, h))

    def forward(self, xs):
        h, y = torch.zeros(3, 4), torch.zeros(3, 4)
        for i in range(xs.size(0)):
            y, h = self.cell(xs[i], h)
        return y, h


rnn_loop = torch.jit.script(MyRNNLoop())
print(rnn_loop)


class WrapRNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.loop = torch.jit.script(MyRNNLoop())

    def forward(self, xs):
        y, h = self.loop(xs)
        return torch.relu(y)


xs = torch.rand(10, 3, 4)
traced = torch.jit.trace(WrapRNN(), (xs))
print(traced)
out = traced(xs)
print(out)

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "wrapped_rnn.pt")
    traced.save(path)
    loaded = torch.jit.load(path)
print(loaded)
print(type(loaded).__name__, type(loaded.loop.cell).__name__, loaded.loop.cell.original_name)
print(torch.equal(loaded(xs), out))
print(list(loaded.state_dict().keys()))
print(all(torch.equal(a, b) for a, b in zip(loaded.state_dict().values(), traced.state_dict().values())))
