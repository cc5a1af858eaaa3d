"""Out-of-range index tensors whose values are on the host (``torch.tensor([...])``, Python lists,
boolean masks) raise PyTorch's errors in every mode, at no transfer cost; computed index tensors
are clamped by XLA in lazy mode (a documented difference)."""

import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


def _a(lib):
    return lib.arange(6.0).view(2, 3)


CASES = {
    "list": lambda T, a: a[[0, 2]],
    "tuple-of-ints": lambda T, a: a[(0, 1, 2),],
    "tensor": lambda T, a: a[T.tensor([[0, 3]])],
    "after-slice": lambda T, a: a[:, [0, 3]],
    "after-ellipsis": lambda T, a: a[..., T.tensor([3])],
    "after-none": lambda T, a: a[None, :, T.tensor([3])],
    "after-int": lambda T, a: a[1, T.tensor([3])],
    "negative": lambda T, a: a[[-3]],
    "second-index": lambda T, a: a[T.tensor([1]), T.tensor([0, 4])],
    "broadcast-first-element": lambda T, a: a[T.tensor([[0], [5]]), T.tensor([[7, 1]])],
    "broadcast-later-element": lambda T, a: a[T.tensor([[0], [1]]), T.tensor([[1, 7]])],
    "first-of-several": lambda T, a: a[[0, 5, -7]],
    "setitem": lambda T, a: a.__setitem__((T.tensor([0, 1]), T.tensor([1, 3])), 5.0),
    "setitem-list": lambda T, a: a.__setitem__([0, 2], 7.0),
    "index_put_": lambda T, a: a.index_put_((T.tensor([0, 2]),), T.tensor(1.0)),
    "gather": lambda T, a: a.gather(1, T.tensor([[0, 3], [1, 1]])),
    "gather-negative": lambda T, a: a.gather(1, T.tensor([[0, -1], [1, 1]])),
    "scatter_": lambda T, a: T.zeros(2, 3).scatter_(1, T.tensor([[3]]), 1.0),
    "scatter_add_": lambda T, a: T.zeros(2, 3).scatter_add_(1, T.tensor([[3]]), T.ones(1, 1)),
    "index_select": lambda T, a: a.index_select(0, T.tensor([0, 2])),
    "index_select-negative": lambda T, a: a.index_select(0, T.tensor([0, -1])),
    "take": lambda T, a: a.take(T.tensor([0, 6])),
    "take-negative": lambda T, a: a.take(T.tensor([-6, -7])),
    "embedding": lambda T, a: T.nn.functional.embedding(T.tensor([0, 6]), a.t()),
    "Embedding": lambda T, a: T.nn.Embedding(3, 2)(T.tensor([[0, 3]])),
    "cross_entropy": lambda T, a: T.nn.functional.cross_entropy(a, T.tensor([1, 3])),
    "cross_entropy-negative": lambda T, a: T.nn.functional.cross_entropy(a, T.tensor([-2, 1])),
    "nll_loss-2d": lambda T, a: T.nn.functional.nll_loss(a.view(1, 2, 3), T.tensor([[0, 2, 1]])),
    "one_hot": lambda T, a: T.nn.functional.one_hot(T.tensor([1, 5]), 3),
    "one_hot-negative": lambda T, a: T.nn.functional.one_hot(T.tensor([1, -1]), 3),
}


@pytest.mark.parametrize("name", list(CASES))
def test_host_known_out_of_range_index_raises_pytorchs_error(name):
    with pytest.raises(Exception) as expected:
        CASES[name](torch, _a(torch))
    with pytest.raises(type(expected.value)) as got:
        CASES[name](tl, _a(tl))
    assert str(got.value).splitlines()[0] == str(expected.value).splitlines()[0]


def test_in_range_indices_still_work_including_negative_ones():
    for lib in (torch, tl):
        a = _a(lib)
        assert a[[-1, -2], [-3, 2]].tolist() == [3.0, 2.0]
        assert a[a > 2].tolist() == [3.0, 4.0, 5.0]
        assert a.gather(1, lib.tensor([[2], [0]])).tolist() == [[2.0], [3.0]]
    ce = [
        lib.nn.functional.cross_entropy(_a(lib), lib.tensor([1, 7]), ignore_index=7).item(),
        lib.nn.functional.nll_loss(_a(lib), lib.tensor([-100, 0])).item(),
    ]
    assert ce == pytest.approx([1.40760589, -3.0])


def test_take_wraps_negative_indices_as_pytorch():
    idx = [[-1, -6, 2], [0, -2, 5]]
    expected = _a(torch).take(torch.tensor(idx)).tolist()
    assert _a(tl).take(tl.tensor(idx)).tolist() == expected
    x = tl.arange(6.0, requires_grad=True)
    x.take(tl.tensor([-1, -1, 0])).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 2.0]


def test_computed_index_is_not_read_back_in_lazy_mode():
    tl.sync()
    transfers = tl.metrics.counters()["host_transfers"]
    idx = tl.tensor([1, 2]) * 1  # computed: its value is not on the host
    y = tl.arange(6.0)[idx]
    assert tl.metrics.counters()["host_transfers"] == transfers
    assert y.tolist() == [1.0, 2.0]
