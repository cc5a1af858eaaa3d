"""The whole-graph backward (one recorded op per ``backward()``) against the per-node walk and
against PyTorch, and the graphs that must take the per-node walk."""

import jax
import numpy as np
import pytest

import torchlike as tl
from torchlike._context import state
from torchlike.autograd import _fused

pt = pytest.importorskip("torch")

rng = np.random.default_rng(3)
A = rng.standard_normal((3, 4)).astype(np.float32)
B = rng.standard_normal((4, 4)).astype(np.float32)
C = rng.standard_normal((4,)).astype(np.float32)


def _pending_ops():
    return [n.op.name for n in state.graph.nodes] if state.graph is not None else []


def _grads(lib, fn):
    a = lib.tensor(A, requires_grad=True)
    b = lib.tensor(B, requires_grad=True)
    c = lib.tensor(C, requires_grad=True)
    fn(lib, a, b, c)
    return [None if t.grad is None else t.grad.detach().numpy() for t in (a, b, c)]


def _mlp(lib, a, b, c):
    h = lib.relu(a @ b + c)
    lib.nn.functional.cross_entropy(h, lib.tensor([0, 1, 3])).backward()


def _shared_leaf(lib, a, b, c):
    ((a @ b) * (a @ b.t()).sigmoid()).sum().backward()


def _multi_output_and_views(lib, a, b, c):
    v, _ = (a @ b).max(dim=1)
    (v.unsqueeze(1) * a[:, 1:3]).pow(2).mean().backward()


def _twice_accumulates(lib, a, b, c):
    for _ in range(2):
        (a.tanh() @ b + c).sum().backward()


def _retain_graph(lib, a, b, c):
    y = (a @ b).exp().sum()
    y.backward(retain_graph=True)
    y.backward()


def _several_roots(lib, a, b, c):
    y1 = (a @ b).sum()
    y2 = (a * 2).pow(2).sum() + c.sum()
    lib.autograd.backward([y1, y2])


def _gradient_argument(lib, a, b, c):
    (a @ b + c).tanh().backward(lib.tensor(np.ones((3, 4), np.float32) * 0.5))


def _double_leaf(lib, a, b, c):
    b64 = lib.tensor(B.astype(np.float64), requires_grad=True)
    (a.double() @ b64).sum().backward()
    a.grad.add_(b64.grad.sum())


def _non_floating_branch(lib, a, b, c):
    idx = (a @ b).argmax(dim=1)
    (a @ b).gather(1, idx.unsqueeze(1)).sum().backward()


GRAPHS = [
    _mlp,
    _shared_leaf,
    _multi_output_and_views,
    _twice_accumulates,
    _retain_graph,
    _several_roots,
    _gradient_argument,
    _double_leaf,
    _non_floating_branch,
]


@pytest.mark.parametrize("fn", GRAPHS, ids=lambda f: f.__name__[1:])
def test_fused_backward_equals_pytorch_and_the_per_node_walk(fn, monkeypatch):
    fused = _grads(tl, fn)
    theirs = _grads(pt, fn)
    monkeypatch.setattr(_fused, "try_fused_backward", lambda *a: False)
    per_node = _grads(tl, fn)
    for f, t, p in zip(fused, theirs, per_node):
        assert (f is None) == (t is None) == (p is None)
        if f is not None:
            np.testing.assert_allclose(f, t, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(f, p, rtol=1e-6, atol=1e-7)


def test_a_training_step_backward_is_one_op():
    tl.sync()
    model = tl.nn.Sequential(tl.nn.Linear(4, 8), tl.nn.ReLU(), tl.nn.Linear(8, 3))
    x = tl.tensor(A)
    loss = tl.nn.functional.cross_entropy(model(x), tl.tensor([0, 2, 1]))
    before = len(_pending_ops())
    loss.backward()
    new = _pending_ops()[before:]
    assert new == ["fused_backward"]
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())


def _backward_ops(setup):
    tl.sync()
    a = tl.tensor(A, requires_grad=True)
    h = a.tanh()
    loss = setup(h)
    before = len(_pending_ops())
    loss.backward()
    ops = _pending_ops()[before:]  # (before reading the gradient flushes them)
    return ops, a.grad.numpy()


def test_observed_graphs_take_the_per_node_walk():
    expected = (1 - np.tanh(A) ** 2) * 2 * np.tanh(A)
    seen = []

    def retain(h):
        h.retain_grad()
        return h.pow(2).sum()

    def hooked(h):
        h.register_hook(lambda g: seen.append(g.shape) or g)
        return h.pow(2).sum()

    for setup in (retain, hooked):
        ops, grad = _backward_ops(setup)
        assert "fused_backward" not in ops and "tanh_backward" in ops, setup.__name__
        np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-6)
    assert seen == [(3, 4)]


def test_a_backward_after_the_forward_was_computed_is_one_op_too():
    def flushed(h):
        loss = h.pow(2).sum()
        loss.item()  # the forward's values are concrete now; the backward uses them as inputs
        return loss

    ops, grad = _backward_ops(flushed)
    assert ops == ["fused_backward"]
    np.testing.assert_allclose(grad, (1 - np.tanh(A) ** 2) * 2 * np.tanh(A), rtol=1e-5, atol=1e-6)


def test_second_backward_without_retain_graph_raises_as_pytorch():
    a = tl.tensor(A, requires_grad=True)
    y = (a * a).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_a_fused_training_loop_does_not_recompile():
    model = tl.nn.Linear(4, 3)
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    x = tl.tensor(A)
    for i in range(6):
        if i == 3:
            tl.metrics.reset()
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        loss.item()
    assert tl.metrics.counters()["compiles"] == 0


def _step_program_ops(monkeypatch, fused):
    """Convolutions and dots in the optimised XLA program of one conv-net training step."""
    import re

    import jax

    from torchlike._engine import metrics

    if not fused:
        monkeypatch.setattr(_fused, "try_fused_backward", lambda *a: False)
    from torchlike.bench.cases import _LeNetFactory

    tl.manual_seed(0)
    model, make_opt, (x, y), crit = _LeNetFactory.build(tl, 4)  # the seed article's LeNet
    opt = make_opt(model.parameters())
    for _ in range(2):  # the steady step (momentum buffers exist)
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()  # (the loss is live: the program computes the whole forward too)
        loss.item()
    program, avals, n_scalars = metrics.metrics.last_program
    args = [jax.ShapeDtypeStruct(a[0], a[1]) for a in avals] + [
        jax.ShapeDtypeStruct((n_scalars,), np.float64)
    ]
    with jax.enable_x64(True):
        text = program.lower(*args).compile().as_text()
    return sorted(re.findall(r"= \S+ (convolution|dot|fft)\(", text))


def test_the_fused_backward_compiles_to_the_per_node_program(monkeypatch):
    # each node's VJP re-traces only its own op, so XLA merges it with the forward: no forward
    # convolution or matmul is computed twice (a whole-graph jax.vjp recomputed some)
    fused = _step_program_ops(monkeypatch, True)
    per_node = _step_program_ops(monkeypatch, False)
    assert fused == per_node
    # each forward convolution once; the 5x5 layers' gradients are products of spectra on XLA:CPU
    # (nn/_functional/_conv_fft.py: the weight gradients of both, the input gradient of conv2:
    # one dot each between the FFTs), by XLA's convolution elsewhere; the three linears' forward,
    # weight and input gradients are dots
    if jax.default_backend() == "cpu":
        assert fused.count("convolution") == 2 and fused.count("fft") > 0
        assert fused.count("dot") == 3 + 3 + 3 + 3
    else:
        assert fused.count("convolution") == 2 + 2 + 1 and fused.count("dot") == 3 + 3 + 3


# -- loops unrolled in Python: the backward in fused pieces (autograd/_fused_pieces.py) ------------


def _mass_spring(lib, steps=40):
    """pytorch/examples' differentiable_physics loop: small ops and in-place index updates."""
    lib.manual_seed(0)
    rest = lib.nn.Parameter(lib.randn(2, 2))
    origin = lib.tensor([0.0, 0.0])
    pos = lib.cat([origin.unsqueeze(0), rest], 0)
    vel = lib.zeros(3, 2)
    for _ in range(steps):
        forces = lib.zeros_like(pos)
        for i, j in ((0, 1), (1, 2)):
            d = pos[j] - pos[i]
            dist = d.norm()
            f = 10.0 * (dist - 1.0) * d / (dist + 1e-6)
            forces[i] += f
            forces[j] -= f
        forces[:, 1] -= 9.81
        vel = vel + forces * 0.01
        pos = pos + vel * 0.01
        pos[0] = origin
        vel[0] = lib.tensor([0.0, 0.0])
    (pos - lib.tensor([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])).pow(2).mean().backward()
    return rest.grad.numpy()


def _stepped_cells(lib, steps=60):
    lib.manual_seed(1)
    c1, c2 = lib.nn.LSTMCell(3, 8), lib.nn.GRUCell(8, 5)
    x = lib.randn(4, steps, 3)
    h, c, h2 = lib.zeros(4, 8), lib.zeros(4, 8), lib.zeros(4, 5)
    outs = []
    for x_t in x.unbind(1):
        h, c = c1(x_t, (h, c))
        h2 = c2(h, h2)
        outs.append(h2.sum(1, keepdim=True))
    lib.cat(outs, 1).tanh().sum().backward()
    return [p.grad.numpy() for p in list(c1.parameters()) + list(c2.parameters())]


@pytest.mark.parametrize(
    "loop", [_mass_spring, _stepped_cells], ids=["mass-spring", "stepped-cells"]
)
def test_unrolled_loop_backward_in_fused_pieces_equals_pytorch(loop, monkeypatch):
    recorded = []
    record_plan = _fused.record_plan
    monkeypatch.setattr(
        _fused, "record_plan", lambda plan, args: recorded.append(plan) or record_plan(plan, args)
    )
    got = loop(tl)
    want = loop(pt)
    assert len(recorded) > 3  # pieces, not one op and not the per-node walk
    assert all(len(p[0]) <= 64 for p in recorded)  # whole periods, or 16 nodes
    for g, w in zip(
        got if isinstance(got, list) else [got], want if isinstance(want, list) else [want]
    ):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-6)


def test_equal_pieces_of_an_unrolled_backward_are_one_program(monkeypatch):
    recorded = []
    record_plan = _fused.record_plan
    monkeypatch.setattr(
        _fused, "record_plan", lambda plan, args: recorded.append(plan) or record_plan(plan, args)
    )
    _stepped_cells(tl, steps=60)
    distinct = []
    for p in recorded:
        if p not in distinct:
            distinct.append(p)
    assert len(recorded) >= 10 and len(distinct) <= 4  # the last, the first and the middle ones


def _scratch_rnn_lm(lib, steps=24):
    """d2l's RNN from scratch: a loop over timesteps (5 nodes a step: pieces of 16 nodes would
    never repeat), then a loop over their outputs: two periodic runs in one backward."""
    lib.manual_seed(2)
    w_xh, w_hh, b_h = lib.randn(5, 8) * 0.1, lib.randn(8, 8) * 0.1, lib.zeros(8)
    w_hq, b_q = lib.randn(8, 5) * 0.1, lib.zeros(5)
    params = [w_xh, w_hh, b_h, w_hq, b_q]
    for p in params:
        p.requires_grad_(True)
    x = lib.randn(steps, 3, 5)
    h, outs = lib.zeros(3, 8), []
    for x_t in x:
        h = lib.tanh(lib.matmul(x_t, w_xh) + lib.matmul(h, w_hh) + b_h)
        outs.append(h)
    y = lib.stack([lib.matmul(h, w_hq) + b_q for h in outs], 1)
    y.pow(2).mean().backward()
    return [p.grad.numpy() for p in params]


def test_two_periodic_runs_in_one_backward_are_each_cut_into_equal_pieces(monkeypatch):
    recorded = []
    record_plan = _fused.record_plan
    monkeypatch.setattr(
        _fused, "record_plan", lambda plan, args: recorded.append(plan) or record_plan(plan, args)
    )
    got = _scratch_rnn_lm(tl)
    for g, w in zip(got, _scratch_rnn_lm(pt)):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-6)
    distinct = []
    for p in recorded:
        if p not in distinct:
            distinct.append(p)
    # whole periods of each loop: 4 distinct programs of 12 pieces (16-node runs across the 5-node
    # period, found after the shorter output loop's, made 8)
    assert len(recorded) >= 10 and len(distinct) <= 5, (len(recorded), len(distinct))
