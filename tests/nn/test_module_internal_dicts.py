"""``module._parameters`` / ``_buffers`` / ``_modules`` are plain dicts in PyTorch 2 (the book prints
them); the hook tables stay OrderedDicts."""

import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


def _story(mod):
    nn = mod.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.param1 = nn.Parameter(mod.ones(2, 2))
            self.submodel1 = nn.Linear(2, 3)
            self.bn = nn.BatchNorm1d(3)

    net = Net()
    out = []
    for d in (net._parameters, net._buffers, net._modules, net.bn._buffers, nn.Module()._modules):
        out.append((type(d).__name__, repr(d)))
    out.append(tuple(type(getattr(net, k)).__name__ for k in ("_forward_hooks", "_forward_pre_hooks")))
    seq = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.ReLU())
    del seq[1]
    out.append((type(seq._modules).__name__, list(seq._modules)))
    return out


def test_module_registries_are_dicts_as_in_pytorch():
    assert _story(tl) == _story(torch)
