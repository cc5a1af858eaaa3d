"""Many-way split/chunk/unbind (deferred pieces) and many-input cat/stack (grouped programs):
same values, gradients, names and aliasing as PyTorch, without programs of hundreds of buffers."""

import numpy as np
import pytest
from parity import parity, randn

import torchlike as tl
from torchlike._context import state
from torchlike._ops import pieces

pytest.importorskip("torch")

MANY = pieces.PIECES_MAX + 24
GROUPS = pieces.GROUP_MAX * 2 + 7


def _pending_nodes():
    return len(state.graph.nodes) if state.graph is not None else 0


@pytest.mark.parametrize(
    "fn",
    [
        lambda torch, x: [p * (i + 1) for i, p in enumerate(x.split(1, dim=1))],
        lambda torch, x: [p.exp() for p in torch.split(x, [3] * 12 + [4], dim=1)[::5]],
        lambda torch, x: [p.sum() * i for i, p in enumerate(x.chunk(40, dim=-1))],
        lambda torch, x: torch.stack([p.sin() for p in x.unbind(1)], 0),
        lambda torch, x: sum(p for p in torch.unbind(x.t(), 0)),
    ],
    ids=["split-1", "split-sections", "chunk", "unbind-stack", "unbind-view"],
)
def test_many_way_split_matches_pytorch(fn):
    parity(fn, inputs=[randn(3, MANY)], grad=True)


def test_many_input_cat_and_stack_match_pytorch():
    xs = [randn(2, 1 + i % 3) for i in range(GROUPS)]
    parity(lambda torch, *xs: torch.cat(xs, dim=1) * 2, inputs=xs, grad=True)
    ys = [randn(4) for _ in range(GROUPS)]
    parity(lambda torch, *ys: torch.stack(ys, dim=1).cos(), inputs=ys, grad=True)
    parity(lambda torch, *ys: torch.stack(ys).sum(0), inputs=ys, grad=True)


def test_deferred_pieces_record_nothing_until_used(no_host_eval):
    x = tl.randn(4, 500) * 2
    tl._engine.execute.flush()
    before = _pending_nodes()
    ps = x.split(1, dim=1)
    assert _pending_nodes() == before
    y = ps[7] + ps[300]
    assert _pending_nodes() == before + 3
    np.testing.assert_allclose(y.numpy(), x.numpy()[:, 7:8] + x.numpy()[:, 300:301])


def test_deferred_pieces_are_views_of_their_input():
    x = tl.zeros(2, MANY)
    ps = x.unbind(1)
    x.add_(1)
    assert ps[3].tolist() == [1.0, 1.0]
    ps[5].mul_(7)
    assert x[:, 5].tolist() == [7.0, 7.0]
    assert x.sum().item() == 2 * (MANY - 1) + 14


def test_backward_from_an_unused_piece_reaches_the_input():
    x = tl.randn(3, MANY, requires_grad=True)
    ps = x.split(1, dim=1)
    assert not ps[2].is_leaf and ps[2].requires_grad
    ps[2].sum().backward()
    expected = np.zeros((3, MANY), np.float32)
    expected[:, 2] = 1
    np.testing.assert_array_equal(x.grad.numpy(), expected)
    assert type(ps[2].grad_fn).__name__ == "SplitBackward0"
    assert type(x.unbind(0)[0].grad_fn).__name__ == "UnbindBackward0"


def test_pieces_split_under_no_grad_do_not_require_grad():
    x = tl.randn(2, MANY, requires_grad=True)
    with tl.no_grad():
        ps = x.split(1, 1)
    y = ps[0] * 2
    assert not ps[0].requires_grad and not y.requires_grad


def test_many_input_cat_is_one_autograd_node_over_small_programs():
    xs = [tl.randn(3, 1, requires_grad=True) for _ in range(GROUPS)]
    tl._engine.execute.flush()
    y = tl.cat(xs, dim=1)
    assert type(y.grad_fn).__name__ == "CatBackward0"
    assert len(y.grad_fn.next_functions) == GROUPS
    (y * tl.arange(float(GROUPS))).sum().backward()
    assert [x.grad[0, 0].item() for x in xs[::97]] == [float(i) for i in range(0, GROUPS, 97)]


def test_many_input_cat_refuses_what_pytorch_refuses():
    import torch

    xs = [np.zeros((2, 1), np.float32)] * GROUPS
    xs[200] = np.zeros((3, 1), np.float32)
    with pytest.raises(RuntimeError) as want:
        torch.cat([torch.from_numpy(x) for x in xs], 1)
    with pytest.raises(RuntimeError) as got:
        tl.cat([tl.from_numpy(x) for x in xs], 1)
    assert str(got.value) == str(want.value)


def test_stepped_loop_over_pieces_reuses_its_programs():
    """The time_sequence_prediction pattern: a cell stepped over x.split(1, 1), outputs cat'ed."""
    tl.manual_seed(0)
    cell = tl.nn.RNNCell(1, 8)
    x = tl.randn(5, 300)

    def step():
        h = tl.zeros(5, 8)
        outs = []
        for x_t in x.split(1, dim=1):
            h = cell(x_t, h)
            outs.append(h[:, :1])
        loss = tl.cat(outs, 1).pow(2).mean()
        loss.backward()
        return loss.item()

    for _ in range(3):  # (the first steps differ: no .grad yet, then .grad to accumulate into)
        first = step()
    compiles = tl.metrics.counters()["compiles"]
    assert step() == pytest.approx(first, rel=1e-6)
    assert tl.metrics.counters()["compiles"] == compiles
