"""torch.jit utilities: scripted functions, trace of a function, ignore/export/unused, is_tracing,
fork/wait, freeze, optimize_for_inference, ScriptModule subclasses, fusion switches."""

import warnings
from typing import Dict, List, Optional  # noqa: UP035  (the TorchScript spelling)

import torch

torch.manual_seed(4)


@torch.jit.script
def scaled_add(a, b, alpha: float = 2.0):
    return a + alpha * b


print(type(scaled_add).__name__, scaled_add.name)
print(scaled_add(torch.ones(2), torch.arange(2.0)))


def gate(x):
    return x * torch.sigmoid(x)


traced_fn = torch.jit.trace(gate, torch.randn(3))
print(type(traced_fn).__name__, traced_fn.name)
print(traced_fn(torch.tensor([-1.0, 0.0, 1.0])))


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)
        self.scale = 0.5
        self.seen_tracing = []

    @torch.jit.ignore
    def python_only(self, x):
        return x.tolist()

    @torch.jit.export
    def double(self, x):
        return 2 * self.fc(x)

    def forward(self, x):
        self.seen_tracing.append(torch.jit.is_tracing())
        return self.fc(x) * self.scale


net = Net()
x = torch.randn(4, 3)
traced = torch.jit.trace(net, x)
print(net.seen_tracing)
print(torch.allclose(traced(x), net(x)))
scripted = torch.jit.script(net)
print(scripted.double(x).shape, scripted.scale)

future = torch.jit.fork(gate, torch.tensor([2.0]))
print(torch.jit.wait(future))

try:
    torch.jit.freeze(scripted)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.jit.freeze(net.eval())
except RuntimeError as e:
    print("RuntimeError:", e)
frozen = torch.jit.freeze(scripted.eval())
print(frozen, list(frozen.state_dict().keys()), type(frozen).__name__)
print(torch.allclose(frozen(x), net(x)))
optimized = torch.jit.optimize_for_inference(torch.jit.script(torch.nn.Sequential(torch.nn.Linear(3, 2))).eval())
print(type(optimized).__name__, list(optimized.parameters()), optimized(x).shape)


class MyScriptModule(torch.jit.ScriptModule):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(2, 2)
        self.shift = torch.jit.Attribute(1.5, float)

    @torch.jit.script_method
    def forward(self, x):
        return torch.relu(self.lin(x)) + self.shift


m = MyScriptModule()
print(m)
print(type(m.lin).__name__, m.original_name, m.shift, m(torch.ones(1, 2)).shape)

print(torch.jit.annotate(List[int], []), torch.jit.isinstance([1, 2], List[int]))  # noqa: UP006
print(torch.jit.isinstance({"a": torch.ones(1)}, Dict[str, torch.Tensor]))  # noqa: UP006
print(torch.jit.isinstance(None, Optional[int]), torch.jit.isinstance((1, "a"), tuple[int, str]))  # noqa: UP045
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    print(torch.jit.set_fusion_strategy([("DYNAMIC", 3)]))
    print(torch.jit.set_fusion_strategy([("STATIC", 2), ("DYNAMIC", 10)]))
torch.jit.enable_onednn_fusion(True)
print(torch.jit.onednn_fusion_enabled())
torch.jit.enable_onednn_fusion(False)
try:
    torch.jit.save(Net(), "unused.pt")
except AttributeError as e:
    print("AttributeError:", e)
try:
    import pickle

    pickle.dumps(scripted)
except RuntimeError as e:
    print("RuntimeError:", str(e).endswith("which does not have a __getstate__ method defined!"))
