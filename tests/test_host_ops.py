"""cat / stack / pad_sequence of tensors in host memory run in NumPy at once (a collate_fn's work
stays out of the training step's program); the results are PyTorch's."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _same(ours, theirs):
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert ours.stride() == theirs.stride()
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def _ones(t, *shape, value=1.0):
    return t.tensor(np.full(shape, value, np.float32))


CASES = {
    "cat-1d": lambda t, ps: t.cat((t.tensor([1]), t.tensor([3, 4, 5]), t.tensor([2]))),
    "cat-skips-empty-1d": lambda t, ps: t.cat([t.tensor([], dtype=t.int64), t.tensor([[1, 2], [3, 4]])]),
    "cat-dim1": lambda t, ps: t.cat([_ones(t, 2, 3), _ones(t, 2, 1, value=0)], dim=1),
    "cat-negative-dim": lambda t, ps: t.cat([_ones(t, 2, 3), _ones(t, 2, 2, value=0)], -1),
    "stack": lambda t, ps: t.stack([t.tensor([1.5, 2.0]), t.tensor([3.0, 4.0])]),
    "stack-last": lambda t, ps: t.stack([_ones(t, 2, 3), _ones(t, 2, 3, value=0)], dim=-1),
    "pad": lambda t, ps: ps([t.tensor([1, 2, 3]), t.tensor([4]), t.tensor([5, 6])]),
    "pad-batch-first": lambda t, ps: ps([t.tensor([1, 2, 3]), t.tensor([4])], batch_first=True, padding_value=-1),
    "pad-left": lambda t, ps: ps([_ones(t, 3, 2), _ones(t, 1, 2, value=2)], batch_first=True, padding_side="left"),
    "pad-float-into-int": lambda t, ps: ps([t.tensor([1, 2]), t.tensor([3])], padding_value=7.9),
}


@pytest.mark.parametrize("name", list(CASES))
def test_host_data_movement_matches_pytorch_without_a_program(name):
    from torch.nn.utils.rnn import pad_sequence as pt_pad

    from torchlike.nn.utils.rnn import pad_sequence as tl_pad

    before = tl.metrics.counters()["compiles"]
    ours = CASES[name](tl, tl_pad)
    assert type(ours._data) is np.ndarray  # computed, in host memory
    _same(ours, CASES[name](pt, pt_pad))
    assert tl.metrics.counters()["compiles"] == before


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.cat([t.tensor([1, 2]), t.ones(2, 2)]),
        lambda t: t.cat([t.ones(2, 3), t.ones(3, 2)], dim=1),
        lambda t: t.cat([t.ones(2), t.ones(2)], dim=1),
        lambda t: t.stack([t.ones(2), t.ones(3)]),
    ],
    ids=["ndim", "sizes", "dim-range", "stack-sizes"],
)
def test_errors_are_pytorchs(call):
    with pytest.raises(Exception) as theirs:
        call(pt)
    with pytest.raises(type(theirs.value)) as ours:
        call(tl)
    assert str(ours.value) == str(theirs.value)


def test_inputs_that_need_the_graph_are_recorded():
    """A tensor that requires grad, a view and a pending value take the recorded path."""
    w = tl.ones(2, requires_grad=True)
    out = tl.cat([w, tl.tensor([3.0])])
    assert out.grad_fn is not None and type(out.grad_fn).__name__ == "CatBackward0"
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [1.0, 1.0])
    base = tl.tensor([[1, 2], [3, 4]])
    np.testing.assert_array_equal(tl.cat([base[0], base[1]]).numpy(), [1, 2, 3, 4])
    lazy = tl.tensor([1.0, 2.0]) * 2
    np.testing.assert_array_equal(tl.stack([lazy, lazy]).numpy(), [[2.0, 4.0], [2.0, 4.0]])


def test_a_collate_fn_that_cats_samples_leaves_the_step_one_program():
    """Per-sample tensors joined by a collate_fn are not inputs of the training step: the step
    compiles once, whatever the samples' lengths (only the padded shape matters)."""
    rng = np.random.RandomState(0)
    data = [rng.randint(3, 20, size=rng.randint(2, 6)).tolist() for _ in range(24)]

    def collate(batch):
        seqs = [tl.cat((tl.tensor([1]), tl.tensor(ids), tl.tensor([2]))) for ids in batch]
        # (a sentinel row pads every batch to length 8, then goes)
        return tl.nn.utils.rnn.pad_sequence(seqs + [tl.tensor([0] * 8)], padding_value=0)[:, :-1]

    loader = tl.utils.data.DataLoader(data, batch_size=4, collate_fn=collate)
    tl.manual_seed(0)
    emb, lin = tl.nn.Embedding(20, 8), tl.nn.Linear(8, 3)
    opt = tl.optim.Adam(list(emb.parameters()) + list(lin.parameters()), lr=0.01)
    compiles = []
    for batch in loader:
        before = tl.metrics.counters()["compiles"]
        opt.zero_grad()
        loss = lin(emb(batch)).pow(2).mean()
        loss.backward()
        opt.step()
        compiles.append(tl.metrics.counters()["compiles"] - before)
    assert compiles[1:] == [0] * (len(compiles) - 1)
