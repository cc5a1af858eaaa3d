"""Host reads of views of computed CPU tensors (``int(targets[i])``, ``data[i].numpy()``, ``.tolist()``)
come from NumPy indexing of the root, with no program run: values equal PyTorch's, the pending
graph is untouched, and anything the table does not model takes the usual flush."""

import numpy as np
import pytest

import torchlike as tl
from torchlike._engine import metrics

pt = pytest.importorskip("torch")

VIEWS = [
    "m[1]", "m[:, 1]", "m[1, 1:3]", "m[..., 2]", "m[0].t()", "m.view(6, 4)[2]", "m[1][2][3]",
    "m.narrow(2, 1, 2)", "m.narrow(2, -2, 2)", "m.squeeze()", "m.unsqueeze(0)[0, 1]", "m[None, 1]",
    "m[0].T", "m.select(1, 2)", "m.select(1, -1)", "m.permute(2, 0, 1)[1]", "m.flatten()[5]",
    "m[-1, -1, ::2]", "m.transpose(0, 2)", "m.expand(2, 2, 3, 4)[1]", "m.unbind(0)[1]", "m.split(1)[0]",
    "m.split([1, 2], 1)[1]", "m.chunk(2, 2)[1]", "m.diagonal(0, 1, 2)", "m.movedim(0, 2)", "m[1, 2, 3]",
    "m[:, :, None, 1]", "m.unsqueeze(-1)[..., 0]", "m.squeeze(0)", "m[0:1].squeeze(0)", "m.mT[1]",
    "m.flatten(1)[1, 3:9]", "m[1].reshape(-1)[4:]", "m[:, ::2, 1:]",
]


def _root(lib):
    return lib.arange(24.0).reshape(2, 3, 4).clone()


@pytest.mark.parametrize("expr", VIEWS)
def test_view_reads_match_torch_without_a_program(expr):
    m = _root(tl)
    m._concrete("test")  # a computed root
    view = eval(expr, {"m": m})
    before = metrics.counters()["executions"]
    got = view.numpy()
    listed = view.tolist()
    assert metrics.counters()["executions"] == before, "the read ran a program"
    want = eval(expr, {"m": _root(pt)})
    np.testing.assert_array_equal(got, want.numpy())
    assert listed == want.tolist()
    assert got.dtype == want.numpy().dtype and got.shape == tuple(want.shape)


def test_scalar_reads_of_a_dataset_style_index():
    g = pt.Generator().manual_seed(0)
    targets_pt = pt.randint(0, 10, (500,), generator=g)
    images_pt = pt.randint(0, 256, (500, 28, 28), dtype=pt.uint8, generator=g)
    targets, images = tl.tensor(targets_pt.numpy()), tl.tensor(images_pt.numpy())
    before = metrics.counters()["executions"]
    for i in range(0, 500, 7):
        assert int(targets[i]) == int(targets_pt[i])
        assert targets[i].item() == targets_pt[i].item()
        assert float(images[i, 3, 4]) == float(images_pt[i, 3, 4])
        np.testing.assert_array_equal(images[i].numpy(), images_pt[i].numpy())
    # 288 reads; the only programs are the engine's periodic cuts of the pending graph (the
    # views' recorded nodes), which compute the intermediates alive at that moment
    assert metrics.counters()["executions"] - before <= 8


def test_reads_follow_in_place_writes_to_the_root_and_to_the_view():
    for lib in (tl, pt):
        x = lib.zeros(4)
        v = x[1:3]
        first = v.tolist()
        x.add_(5)  # the root changes after the view was made
        after_root = v.tolist()
        v.mul_(2)  # a write through the view shows in the root
        after_view = (v.tolist(), x.tolist(), x[2].item())
        if lib is tl:
            ours = (first, after_root, after_view)
        else:
            theirs = (first, after_root, after_view)
    assert ours == theirs


def test_pending_roots_and_tensor_indices_take_the_flush():
    x = tl.arange(6.0) * 2  # a pending root
    assert x[3].item() == 6.0
    idx = tl.tensor(2)
    y = tl.arange(5.0)
    y._concrete("test")
    assert y[idx].item() == 2.0  # an index held in a tensor
    z = tl.arange(12.0).reshape(3, 4)
    z._concrete("test")
    assert z[[0, 2]].tolist() == [[0.0, 1.0, 2.0, 3.0], [8.0, 9.0, 10.0, 11.0]]  # advanced indexing
    assert z.view(tl.int32)[1, 1].item() == np.float32(5.0).view(np.int32)  # a dtype view


def test_the_returned_array_is_the_readers_own():
    m = tl.arange(6.0).reshape(2, 3)
    m._concrete("test")
    a = m[1].numpy()
    a[0] = 100.0
    assert m[1, 0].item() == 3.0


def _table(lib, rows):
    """A dataset-style table built from a Python list (its value a NumPy array here)."""
    return lib.tensor([[(r * 8 + c) % 27 for c in range(8)] for r in range(rows)])


@pytest.mark.parametrize("rows", [5, 20])  # a few pieces, and more than PIECES_MAX (deferred pieces)
def test_iterating_over_a_host_tensor_runs_no_program(rows):
    """``for x, y in zip(Xtr[:20], Ytr[:20]): ''.join(itos[ix.item()] for ix in x)`` (makemore)."""
    got = []
    X, Y = _table(tl, 100), tl.tensor(list(range(100)))
    before = metrics.counters()["executions"]
    for x, y in zip(X[:rows], Y[:rows]):
        got.append(([ix.item() for ix in x], y.item(), (x * 2 + 1).tolist()))
    assert metrics.counters()["executions"] == before, "iterating ran a program"
    X, Y = _table(pt, 100), pt.tensor(list(range(100)))
    want = [([ix.item() for ix in x], y.item(), (x * 2 + 1).tolist()) for x, y in zip(X[:rows], Y[:rows])]
    assert got == want


@pytest.mark.parametrize("expr", ["m.unbind(1)", "m.split(2)", "m.split([3, 5], 1)", "m.chunk(3, 1)",
                                  "m.chunk(2)", "m[1:].unbind()", "m.t().split(1, 1)", "m[:, :4].chunk(4, 1)"])
def test_pieces_of_a_host_tensor_are_views_computed_without_a_program(expr):
    def run(lib):
        m = _table(lib, 4).float()
        pieces = eval(expr, {"m": m})
        shapes = [tuple(p.shape) for p in pieces]
        strides = [p.stride() for p in pieces]
        sums = [(p + 1).tolist() for p in pieces]
        pieces[-1].mul_(-1)  # writes through to m, and every other piece sees m's new value
        return shapes, strides, sums, m.tolist(), [p.tolist() for p in pieces], all(p._base is m for p in pieces)

    before = metrics.counters()["executions"]
    got = run(tl)
    assert metrics.counters()["executions"] == before, "the pieces ran a program"
    assert got == run(pt)
