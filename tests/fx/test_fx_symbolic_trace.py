"""torch.fx against PyTorch: the same module/function traced by both prints the same graph and code,
and the GraphModules compute the same values."""

import operator

import numpy as np
import pytest

import torchlike
import torchlike.fx

torch = pytest.importorskip("torch")
import torch.fx  # noqa: E402, F811


def _model(tm):
    class Block(tm.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = tm.nn.Conv2d(3, 4, 3, padding=1)
            self.bn = tm.nn.BatchNorm2d(4)
            self.param = tm.nn.Parameter(tm.ones(4))
            self.register_buffer("scale", tm.full((4,), 2.0))
            self.head = tm.nn.Sequential(tm.nn.Flatten(), tm.nn.Linear(4 * 5 * 5, 3))

        def forward(self, x, k: int = 2):
            F = tm.nn.functional
            y = F.relu(self.bn(self.conv(x)))
            y = F.max_pool2d(y, 2) if False else y
            y = y * self.param.view(1, -1, 1, 1) + self.scale[0]
            z = tm.cat([y, -y], dim=1).sum(dim=1, keepdim=True)
            w = F.softmax(self.head(y), dim=-1)
            out = tm.flatten(z, 1) @ tm.ones(25, 3)
            return {"w": w, "out": out.abs(), "n": x.shape[0], "mixed": (w[:, 0] - 1, x.size(1))}

    return Block()


def _traced_pair():
    torch.manual_seed(0)
    tm = _model(torch)
    lm = _model(torchlike)
    lm.load_state_dict({k: torchlike.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    return tm, lm, torch.fx.symbolic_trace(tm), torchlike.fx.symbolic_trace(lm)


def test_graph_code_and_repr_match_pytorch():
    tm, lm, tg, lg = _traced_pair()
    assert str(lg.graph) == str(tg.graph)
    assert lg.code == tg.code
    assert str(lg) == str(tg)
    assert lg.print_readable(print_output=False) == tg.print_readable(print_output=False)
    assert [(n.op, n.name, str(n.args), str(n.kwargs), [u.name for u in n.users]) for n in lg.graph.nodes] == \
        [(n.op, n.name, str(n.args), str(n.kwargs), [u.name for u in n.users]) for n in tg.graph.nodes]


def test_graph_module_computes_what_pytorch_computes():
    tm, lm, tg, lg = _traced_pair()
    tm.eval(), lm.eval(), tg.eval(), lg.eval()
    x = np.random.RandomState(0).randn(2, 3, 5, 5).astype(np.float32)
    t_out, l_out = tg(torch.tensor(x)), lg(torchlike.tensor(x))
    for key in ("w", "out"):
        np.testing.assert_allclose(l_out[key].detach().numpy(), t_out[key].detach().numpy(), rtol=1e-4, atol=1e-5)
    assert l_out["n"] == t_out["n"] == 2


@pytest.mark.parametrize("name", ["relu", "softmax", "dropout", "max_pool2d", "cross_entropy", "layer_norm",
                                  "leaky_relu", "conv2d", "sigmoid"])
def test_functional_calls_record_pytorchs_arguments(name):
    calls = {
        "relu": lambda F, x, y: F.relu(x),
        "softmax": lambda F, x, y: F.softmax(x, 1),
        "dropout": lambda F, x, y: F.dropout(x, 0.3, training=False),
        "max_pool2d": lambda F, x, y: F.max_pool2d(x, 2, stride=1),
        "cross_entropy": lambda F, x, y: F.cross_entropy(x, y, reduction="sum"),
        "layer_norm": lambda F, x, y: F.layer_norm(x, (4,)),
        "conv2d": lambda F, x, y: F.conv2d(x, y, padding=1),
        "leaky_relu": lambda F, x, y: F.leaky_relu(x, 0.2),
        "sigmoid": lambda F, x, y: F.sigmoid(x),
    }
    call = calls[name]

    def trace(tm):
        def f(x, y):
            return call(tm.nn.functional, x, y)

        return tm.fx.symbolic_trace(f)

    assert str(trace(torchlike).graph) == str(trace(torch).graph)
    assert trace(torchlike).code == trace(torch).code


def test_graph_surgery_and_dead_code_match_pytorch():
    def build(tm):
        def f(x, y):
            return tm.add(x, y).relu() + y

        gm = tm.fx.symbolic_trace(f)
        for node in gm.graph.nodes:
            if node.op == "call_function" and node.target == tm.add:
                node.target = tm.mul
            if node.op == "call_function" and node.target == operator.add:
                with gm.graph.inserting_after(node):
                    new = gm.graph.call_function(tm.neg, (node,))
                node.replace_all_uses_with(new)
                new.args = (node,)
        with gm.graph.inserting_before(gm.graph.output_node()):
            gm.graph.call_method("exp", (next(iter(gm.graph.nodes)),))
        before = str(gm.graph)
        removed = gm.graph.eliminate_dead_code()
        gm.graph.lint()
        gm.recompile()
        return before, removed, gm.code

    assert build(torchlike) == build(torch)


def test_c_nn_functionals_print_under_nn_functional():
    # PyTorch prints torch._C._nn.gelu; torchlike has no torch._C, so its code names the public path
    gm = torchlike.fx.symbolic_trace(lambda x: torchlike.nn.functional.gelu(x, approximate="tanh"))
    assert "torch.nn.functional.gelu(x, approximate = 'tanh')" in gm.code
    x = torchlike.tensor([0.5, -1.0])
    assert torchlike.equal(gm(x), torchlike.nn.functional.gelu(x, approximate="tanh"))


def test_proxy_errors_match_pytorch():
    def errors(tm):
        out = []
        for fn in (lambda x: bool(x), lambda x: len(x), lambda x: list(x)):
            try:
                tm.fx.symbolic_trace(fn)
            except Exception as e:  # noqa: BLE001
                out.append((type(e).__name__, str(e)))
        return out

    got, want = errors(torchlike), errors(torch)
    assert len(got) == 3 and got == want


def test_interpreter_and_transformer_match_pytorch():
    def run(tm):
        def f(x):
            return tm.sigmoid(x).neg() * 2

        gm = tm.fx.symbolic_trace(f)

        class Swap(tm.fx.Transformer):
            def call_function(self, target, args, kwargs):
                if target == tm.sigmoid:
                    return tm.tanh(*args, **kwargs)
                return super().call_function(target, args, kwargs)

        new = Swap(gm).transform()
        x = tm.tensor([[0.5, -1.0, 2.0]])
        return new.code, new(x).tolist(), tm.fx.Interpreter(gm).run(x).tolist()

    got, want = run(torchlike), run(torch)
    assert got[0] == want[0]
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-6)


def test_shape_prop_records_tensor_meta():
    from torchlike.fx.passes.shape_prop import ShapeProp

    lin = torchlike.nn.Sequential(torchlike.nn.Linear(6, 4), torchlike.nn.ReLU())
    gm = torchlike.fx.symbolic_trace(lin)
    ShapeProp(gm).propagate(torchlike.randn(5, 6))
    metas = [(n.name, tuple(n.meta["tensor_meta"].shape), str(n.meta["tensor_meta"].dtype)) for n in gm.graph.nodes]
    assert metas == [("input_1", (5, 6), "torch.float32"), ("_0", (5, 4), "torch.float32"),
                     ("_1", (5, 4), "torch.float32"), ("output", (5, 4), "torch.float32")]


def test_sequential_root_names_match_pytorch():
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.ReLU())
    lm = torchlike.nn.Sequential(torchlike.nn.Linear(6, 4), torchlike.nn.ReLU())
    assert str(torchlike.fx.symbolic_trace(lm).graph) == str(torch.fx.symbolic_trace(tm).graph)


def test_replace_pattern_matches_pytorch():
    def run(tm):
        class M(tm.nn.Module):
            def forward(self, x, w1, w2):
                return x + tm.max(tm.cat([w1, w2]).sum()) + tm.max(tm.cat([w1, w2]).sum())

        def pattern(w1, w2):
            return tm.cat([w1, w2]).sum()

        def replacement(w1, w2):
            return tm.stack([w1, w2])

        gm = tm.fx.symbolic_trace(M())
        matches = tm.fx.replace_pattern(gm, pattern, replacement)
        return len(matches), gm.code

    assert run(torchlike) == run(torch)


def test_print_tabular_needs_tabulate_as_in_pytorch(capsys):
    pytest.importorskip  # noqa: B018
    try:
        import tabulate  # noqa: F401
    except ImportError:
        gm = torchlike.fx.symbolic_trace(lambda x: x + 1)
        with pytest.raises(ImportError):
            gm.graph.print_tabular()
        assert "`print_tabular` relies on the library `tabulate`" in capsys.readouterr().out
    else:
        pytest.skip("tabulate is installed")
