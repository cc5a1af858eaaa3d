"""torch.compile(module): PyTorch's OptimizedModule, its forward replayed as one differentiable op."""

import numpy as np
import pytest

import torchlike as tl
import torchlike.nn as nn


@pytest.fixture(autouse=True)
def _fresh_metrics():
    tl.metrics.reset()


def _data(n=8, seed=1):
    g = np.random.default_rng(seed)
    return tl.tensor(g.standard_normal((n, 12)), dtype=tl.float32), tl.tensor(g.integers(0, 3, n))


def _train(make_model, compiled, steps=10, between=None):
    tl.manual_seed(0)
    model = make_model()
    opt = tl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    fwd = tl.compile(model) if compiled else model
    x, y = _data()
    losses = []
    for i in range(steps):
        if between is not None:
            between(i, model)
        opt.zero_grad()
        loss = nn.CrossEntropyLoss()(fwd(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    state = [t.detach().numpy().copy() for t in list(model.parameters()) + list(model.buffers())]
    return losses, state


def _mlp(dropout=0.0, bn=False):
    def make():
        layers = [nn.Linear(12, 16)] + ([nn.BatchNorm1d(16)] if bn else [])
        return nn.Sequential(*layers, nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, 3))

    return make


def test_training_through_a_compiled_module_matches_plain_calls():
    plain = _train(_mlp(), False)
    comp = _train(_mlp(), True)
    assert plain[0] == comp[0]  # same program ops
    for a, b in zip(plain[1], comp[1]):
        np.testing.assert_array_equal(a, b)
    assert tl.metrics.counters()["replays"] == 10 - 2  # calls 1-2 recorded


def test_batchnorm_statistics_and_eval_mode():
    def between(i, model):
        model.train(i % 3 != 2)

    plain = _train(_mlp(bn=True), False, steps=12, between=between)
    comp = _train(_mlp(bn=True), True, steps=12, between=between)
    np.testing.assert_allclose(plain[0], comp[0], rtol=1e-5, atol=1e-6)
    for a, b in zip(plain[1], comp[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)  # running stats, num_batches_tracked
    assert tl.metrics.counters()["replays"] > 0


def test_input_gradients_and_the_grad_fn_name():
    tl.manual_seed(0)
    model = _mlp()()
    comp = tl.compile(model)
    x, _ = _data()
    grads = []
    for _ in range(5):
        xi = x.clone().requires_grad_(True)
        out = comp(xi)
        out.pow(2).sum().backward()
        grads.append(xi.grad.numpy())
    assert out.grad_fn.name() == "CompiledFunctionBackward"
    xi = x.clone().requires_grad_(True)
    model(xi).pow(2).sum().backward()
    np.testing.assert_allclose(grads[-1], xi.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_what_torch_compile_returns_looks_like_pytorch():
    m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    c = tl.compile(m)
    assert type(c).__name__ == "OptimizedModule" and type(c).__module__.endswith(
        "_dynamo.eval_frame"
    )
    assert repr(c).splitlines()[:2] == ["OptimizedModule(", "  (_orig_mod): Sequential("]
    assert list(c.state_dict()) == ["_orig_mod.0.weight", "_orig_mod.0.bias"]
    assert c._orig_mod is m and c.parameters is not None
    assert [p is q for p, q in zip(c.parameters(), m.parameters())] == [True, True]
    c.eval()
    assert not m.training


def test_a_recurrent_module_returning_a_tuple():
    def run(compiled):
        tl.manual_seed(0)
        lstm = nn.LSTM(4, 5, num_layers=2)
        f = tl.compile(lstm) if compiled else lstm
        x = tl.tensor(np.random.default_rng(0).standard_normal((6, 3, 4)), dtype=tl.float32)
        outs = []
        for _ in range(5):
            out, (h, c) = f(x)
            (out.sum() + h.sum()).backward()
            outs.append(
                (out.detach().numpy(), c.detach().numpy(), lstm.weight_hh_l0.grad.numpy().copy())
            )
        return outs

    for a, b in zip(run(False), run(True)):
        for u, v in zip(a, b):
            np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)
    assert tl.metrics.counters()["replays"] > 0


class _Printing(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        print("\tIn Model: input size", x.size())
        return self.fc(x)


class _Keeping(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        self.features = self.fc(x)
        return self.features.relu()


def test_prints_hooks_and_kept_activations_keep_plain_calls(capsys):
    x, _ = _data()
    p = tl.compile(_Printing())
    for _ in range(4):
        p(x)
    assert capsys.readouterr().out.count("In Model: input size torch.Size([8, 12])") == 4
    k = tl.compile(_Keeping())
    for _ in range(4):
        out = k(x)
    np.testing.assert_array_equal(k.features.relu().detach().numpy(), out.detach().numpy())
    seen = []
    m = nn.Linear(12, 3)
    m.register_forward_hook(lambda mod, inp, out: seen.append(1))
    h = tl.compile(m)
    for _ in range(4):
        h(x)
    assert len(seen) == 4
    assert tl.metrics.counters()["replays"] == 0


def test_matches_pytorch_training():
    torch = pytest.importorskip("torch")

    def run(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(
            lib.nn.Conv2d(1, 4, 3),
            lib.nn.ReLU(),
            lib.nn.MaxPool2d(2),
            lib.nn.Flatten(),
            lib.nn.Linear(4 * 3 * 3, 3),
        )
        with lib.no_grad():
            for i, p in enumerate(model.parameters()):
                p.copy_(
                    lib.tensor(
                        np.random.default_rng(i).standard_normal(tuple(p.shape)) * 0.3,
                        dtype=lib.float32,
                    )
                )
        fwd = tl.compile(model) if lib is tl else model
        opt = lib.optim.Adam(model.parameters(), lr=0.01)
        g = np.random.default_rng(1)
        x = lib.tensor(g.standard_normal((5, 1, 8, 8)), dtype=lib.float32)
        y = lib.tensor(g.integers(0, 3, 5))
        losses = []
        for _ in range(8):
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(fwd(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    np.testing.assert_allclose(run(tl), run(torch), rtol=1e-4, atol=1e-5)
    assert tl.metrics.counters()["replays"] > 0


class _Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 3)
        self.temperature = 1.0

    def forward(self, x):
        return self.fc(x) / self.temperature


def test_a_plain_attribute_changed_between_calls_is_seen():
    x, _ = _data()
    m = _Scaled()
    c = tl.compile(m)
    for _ in range(5):
        c(x)
    m.temperature = 2.0
    np.testing.assert_allclose(c(x).detach().numpy(), (m.fc(x) / 2.0).detach().numpy(), rtol=1e-6)


class _Hooked(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 3)
        self.seen = []

    def forward(self, x):
        h = self.fc(x)
        h.register_hook(lambda g: self.seen.append(g.shape))
        return h.relu()


def test_a_tensor_hook_registered_in_forward_runs_every_backward():
    x, _ = _data()
    m = _Hooked()
    c = tl.compile(m)
    for _ in range(5):
        c(x).sum().backward()
    assert len(m.seen) == 5


def test_auto_compile_replays_top_level_module_calls_of_an_unchanged_loop():
    plain = _train(_mlp(), False)
    tl.set_auto_compile(True)
    try:
        auto = _train(_mlp(), False)
        x, _ = _data()
        m = _Printing()
        for _ in range(4):
            m(x)  # prints every call: stays plain
    finally:
        tl.set_auto_compile(False)
    assert plain[0] == auto[0]
    for a, b in zip(plain[1], auto[1]):
        np.testing.assert_array_equal(a, b)
    assert tl.metrics.counters()["replays"] == 10 - 2  # calls 1-2 recorded
    # a module without parameters (a loss) runs plainly: its grad_fn name stays PyTorch's
    tl.set_auto_compile(True)
    try:
        x, y = _data()
        model, loss_fn = _mlp()(), nn.CrossEntropyLoss()
        for _ in range(4):
            loss = loss_fn(model(x), y)
    finally:
        tl.set_auto_compile(False)
    assert "grad_fn=<NllLossBackward0>" in repr(loss)


def test_a_compiled_module_saves_loads_and_deep_copies_as_in_pytorch(tmp_path):
    import copy

    x, _ = _data()
    c = tl.compile(_mlp()())
    for _ in range(4):
        c(x)
    tl.save(c, tmp_path / "m.pt")
    loaded = tl.load(tmp_path / "m.pt", weights_only=False)
    twin = copy.deepcopy(c)
    for m in (loaded, twin):
        assert type(m).__name__ == "OptimizedModule" and list(m.state_dict()) == list(
            c.state_dict()
        )
        for _ in range(4):  # records again, then replays
            np.testing.assert_array_equal(m(x).detach().numpy(), c(x).detach().numpy())
    with tl.no_grad():
        twin._orig_mod[0].weight.add_(1.0)  # the copy has its own parameters
    assert not np.array_equal(twin(x).detach().numpy(), c(x).detach().numpy())


def test_a_compiled_module_with_dropout_is_reproducible_and_replays():
    """Replayed forwards draw their dropout masks in the program (plain CPU calls draw PyTorch's
    on the host): runs differ from plain ones after the recordings, not from each other."""
    first = _train(_mlp(dropout=0.3), True)
    tl.metrics.reset()
    second = _train(_mlp(dropout=0.3), True)
    assert first[0] == second[0]
    for a, b in zip(first[1], second[1]):
        np.testing.assert_array_equal(a, b)
    assert tl.metrics.counters()["replays"] == 10 - 2
