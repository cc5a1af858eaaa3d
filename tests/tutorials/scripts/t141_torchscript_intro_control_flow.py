"""Introduction to TorchScript, part 2: control flow (MyDecisionGate), traced vs scripted modules."""

import warnings

import torch

torch.manual_seed(1)


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


x, h = torch.rand(3, 4), torch.rand(3, 4)
my_cell = MyCell(MyDecisionGate())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    traced_cell = torch.jit.trace(my_cell, (x, h))
tracer_warnings = [w for w in caught if issubclass(w.category, torch.jit.TracerWarning)]
print(len(tracer_warnings), str(tracer_warnings[0].message)[:58])
print(traced_cell)
print(traced_cell(x, h)[0])

scripted_gate = torch.jit.script(MyDecisionGate())
my_cell = MyCell(scripted_gate)
scripted_cell = torch.jit.script(my_cell)
print(scripted_gate)
print(scripted_cell)
print(type(scripted_cell).__name__, scripted_cell.dg is scripted_gate)

# New inputs
x, h = torch.rand(3, 4), torch.rand(3, 4)
print(scripted_cell(x, h))
print(scripted_gate(torch.tensor([-1.0, -2.0])), scripted_gate(torch.tensor([1.0, 2.0])))
