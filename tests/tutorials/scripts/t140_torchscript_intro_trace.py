"""Introduction to TorchScript, part 1: tracing MyCell (torch.jit.trace, the traced module's repr,
type, shared parameters and outputs)."""

import torch

torch.manual_seed(0)


class MyCell(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 4)

    def forward(self, x, h):
        new_h = torch.tanh(self.linear(x) + h)
        return new_h, new_h


my_cell = MyCell()
x, h = torch.rand(3, 4), torch.rand(3, 4)
traced_cell = torch.jit.trace(my_cell, (x, h))
print(traced_cell)
print(type(traced_cell).__name__, type(traced_cell.linear).__name__)
print(isinstance(traced_cell, torch.jit.ScriptModule), isinstance(traced_cell, torch.nn.Module))
print(traced_cell.original_name, traced_cell.linear.original_name)
print(traced_cell(x, h))
print(my_cell(x, h))

# the traced module shares its parameters with the original, but has its own training flags
print(traced_cell.linear.weight is my_cell.linear.weight)
print([name for name, _ in traced_cell.named_parameters()])
print(list(traced_cell.state_dict().keys()))
traced_cell.eval()
print(traced_cell.training, traced_cell.linear.training, my_cell.training)
with torch.no_grad():
    my_cell.linear.bias.fill_(0.5)
print(traced_cell(x, h)[0])
print(torch.jit.is_tracing(), torch.jit.is_scripting())
