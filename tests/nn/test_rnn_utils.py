"""nn.utils.rnn against PyTorch: pad/pack/unpack, PackedSequence fields, gradients and errors."""

import numpy as np
import pytest

import torchlike as tl
from torchlike.nn.utils import rnn as trnn

pt = pytest.importorskip("torch")
prnn = pytest.importorskip("torch.nn.utils.rnn")

rng = np.random.default_rng(0)


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def pair(arrays):
    return (
        [pt.tensor(a, requires_grad=True) for a in arrays],
        [tl.tensor(a, requires_grad=True) for a in arrays],
    )


def close(a, b, **kw):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **kw)
    assert tuple(a.shape) == tuple(b.shape)


def backward_both(out_t, out_p):
    w = randn(*out_p.shape)
    (out_p * pt.tensor(w)).sum().backward()
    (out_t * tl.tensor(w)).sum().backward()


def same_packed(t, p):
    close(t.data, p.data)
    assert t.batch_sizes.tolist() == p.batch_sizes.tolist()
    assert t.batch_sizes.dtype == tl.int64 and t.batch_sizes.device.type == "cpu"
    for a, b in ((t.sorted_indices, p.sorted_indices), (t.unsorted_indices, p.unsorted_indices)):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.tolist() == b.tolist()


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_pytorch(batch_first, padding_side):
    ps, ts = pair([randn(n, 2, 3) for n in (3, 5, 1)])
    a = prnn.pad_sequence(
        ps, batch_first=batch_first, padding_value=-2.5, padding_side=padding_side
    )
    b = trnn.pad_sequence(
        ts, batch_first=batch_first, padding_value=-2.5, padding_side=padding_side
    )
    close(b, a)
    backward_both(b, a)
    for x, y in zip(ts, ps):
        close(x.grad, y.grad)


def test_pad_sequence_dtypes_follow_the_first_sequence():
    a = prnn.pad_sequence([pt.ones(2, dtype=pt.long), pt.ones(1, dtype=pt.long)], padding_value=0.5)
    b = trnn.pad_sequence([tl.ones(2, dtype=tl.long), tl.ones(1, dtype=tl.long)], padding_value=0.5)
    assert b.dtype == tl.int64 and b.tolist() == a.tolist()
    a = prnn.pad_sequence([pt.ones(2), pt.ones(1).double()])
    b = trnn.pad_sequence([tl.ones(2), tl.ones(1).double()])
    assert b.dtype == tl.float32 and b.tolist() == a.tolist()
    # a 2-D tensor is a sequence of its rows
    x = randn(3, 4)
    close(trnn.pad_sequence(tl.tensor(x)), prnn.pad_sequence(pt.tensor(x)))


def _raises_like(fn_pt, fn_tl):
    with pytest.raises(Exception) as ep:
        fn_pt()
    with pytest.raises(type(ep.value)) as et:
        fn_tl()
    assert str(et.value) == str(ep.value)


def test_pad_sequence_errors_match_pytorch():
    _raises_like(lambda: prnn.pad_sequence([]), lambda: trnn.pad_sequence([]))
    _raises_like(
        lambda: prnn.pad_sequence([pt.zeros(2)], padding_side="top"),
        lambda: trnn.pad_sequence([tl.zeros(2)], padding_side="top"),
    )
    _raises_like(
        lambda: prnn.pad_sequence([pt.zeros(2, 3), pt.zeros(2, 4)]),
        lambda: trnn.pad_sequence([tl.zeros(2, 3), tl.zeros(2, 4)]),
    )
    _raises_like(lambda: prnn.pad_sequence(3), lambda: trnn.pad_sequence(3))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_padded_sequence_matches_pytorch(batch_first, enforce_sorted):
    lengths = [6, 4, 4, 2] if enforce_sorted else [2, 6, 4, 1]
    x = randn(4, 7, 3) if batch_first else randn(7, 4, 3)
    xp, xt = pt.tensor(x, requires_grad=True), tl.tensor(x, requires_grad=True)
    a = prnn.pack_padded_sequence(
        xp, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted
    )
    b = trnn.pack_padded_sequence(
        xt, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted
    )
    assert isinstance(b, trnn.PackedSequence) and isinstance(b, tuple)
    same_packed(b, a)
    backward_both(b.data, a.data)
    close(xt.grad, xp.grad)
    # lengths given as a tensor
    c = trnn.pack_padded_sequence(
        xt, tl.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted
    )
    same_packed(c, a)


def test_pack_padded_sequence_sorts_ties_as_pytorch():
    x = randn(5, 4, 2)
    a = prnn.pack_padded_sequence(pt.tensor(x), pt.tensor([2, 2, 3, 2]), enforce_sorted=False)
    b = trnn.pack_padded_sequence(tl.tensor(x), tl.tensor([2, 2, 3, 2]), enforce_sorted=False)
    same_packed(b, a)


def test_pack_padded_sequence_orders_many_ties_as_pytorchs_unstable_sort():
    # past 16 sequences PyTorch's CPU sort (std::sort) reorders equal lengths; the order decides
    # which sequence meets which row of a packed LSTM dropout mask
    lengths = [11, 6, 8, 3, 10, 6, 10, 10, 4, 6, 8, 5, 3, 6, 13, 11, 3, 3, 5, 12, 5, 14, 14, 5]
    x = randn(len(lengths), 14, 3)
    a = prnn.pack_padded_sequence(pt.tensor(x), lengths, batch_first=True, enforce_sorted=False)
    b = trnn.pack_padded_sequence(tl.tensor(x), tl.tensor(lengths), batch_first=True, enforce_sorted=False)
    assert b.sorted_indices.tolist() == a.sorted_indices.tolist()
    assert b.unsorted_indices.tolist() == a.unsorted_indices.tolist()
    same_packed(b, a)
    pt.manual_seed(0)
    tl.manual_seed(0)
    lstm_p = pt.nn.LSTM(3, 4, 2, dropout=0.5, bidirectional=True, batch_first=True)
    lstm_t = tl.nn.LSTM(3, 4, 2, dropout=0.5, bidirectional=True, batch_first=True)
    out_p, (h_p, _) = lstm_p(a)
    out_t, (h_t, _) = lstm_t(b)
    close(h_t, h_p, rtol=1e-5, atol=1e-6)
    close(out_t.data, out_p.data, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("lengths", [[2, 3, 1], [3, 0, 0], [3, 2]])
def test_pack_padded_sequence_errors_match_pytorch(lengths):
    x = np.zeros((5, 3, 2), np.float32)
    _raises_like(
        lambda: prnn.pack_padded_sequence(pt.tensor(x), lengths),
        lambda: trnn.pack_padded_sequence(tl.tensor(x), lengths),
    )


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("total_length", [None, 8])
def test_pad_packed_sequence_matches_pytorch(batch_first, total_length):
    ps, ts = pair([randn(n, 3) for n in (2, 6, 4, 1)])
    pp, tp = (
        prnn.pack_sequence(ps, enforce_sorted=False),
        trnn.pack_sequence(ts, enforce_sorted=False),
    )
    a, la = prnn.pad_packed_sequence(
        pp, batch_first=batch_first, padding_value=7.0, total_length=total_length
    )
    b, lb = trnn.pad_packed_sequence(
        tp, batch_first=batch_first, padding_value=7.0, total_length=total_length
    )
    close(b, a)
    assert lb.tolist() == la.tolist() and lb.dtype == tl.int64
    backward_both(b, a)
    for x, y in zip(ts, ps):
        close(x.grad, y.grad)


def test_pad_packed_sequence_total_length_error():
    pp = prnn.pack_sequence([pt.zeros(3), pt.zeros(2)])
    tp = trnn.pack_sequence([tl.zeros(3), tl.zeros(2)])
    _raises_like(
        lambda: prnn.pad_packed_sequence(pp, total_length=2),
        lambda: trnn.pad_packed_sequence(tp, total_length=2),
    )


def test_pack_sequence_sorted_and_repr():
    seqs = [
        np.array([1.0, 2, 3], np.float32),
        np.array([4.0, 5], np.float32),
        np.array([6.0], np.float32),
    ]
    a = prnn.pack_sequence([pt.tensor(s) for s in seqs])
    b = trnn.pack_sequence([tl.tensor(s) for s in seqs])
    same_packed(b, a)
    assert repr(b) == repr(a)
    assert b.data.tolist() == [1.0, 4.0, 6.0, 2.0, 5.0, 3.0]
    _raises_like(
        lambda: prnn.pack_sequence([pt.tensor(s) for s in seqs[::-1]]),
        lambda: trnn.pack_sequence([tl.tensor(s) for s in seqs[::-1]]),
    )


def test_unpack_and_unpad_sequence_round_trip():
    seqs = [randn(n, 2) for n in (3, 5, 1, 4)]
    tp = trnn.pack_sequence([tl.tensor(s) for s in seqs], enforce_sorted=False)
    pp = prnn.pack_sequence([pt.tensor(s) for s in seqs], enforce_sorted=False)
    out_t, out_p = trnn.unpack_sequence(tp), prnn.unpack_sequence(pp)
    assert len(out_t) == len(out_p) == 4
    for a, b, s in zip(out_t, out_p, seqs):
        close(a, b)
        np.testing.assert_array_equal(a.numpy(), s)
    for batch_first in (False, True):
        padded = trnn.pad_sequence([tl.tensor(s) for s in seqs], batch_first=batch_first)
        back = trnn.unpad_sequence(padded, tl.tensor([3, 5, 1, 4]), batch_first=batch_first)
        for a, s in zip(back, seqs):
            np.testing.assert_array_equal(a.numpy(), s)
        # PyTorch transposes a sequence-first input in place (padded.transpose_(0, 1))
        p_padded = prnn.pad_sequence([pt.tensor(s) for s in seqs], batch_first=batch_first)
        prnn.unpad_sequence(p_padded, pt.tensor([3, 5, 1, 4]), batch_first=batch_first)
        assert tuple(padded.shape) == tuple(p_padded.shape) == (4, 5, 2)


def test_packed_sequence_construction_and_conversion():
    data, bs = tl.tensor([1.0, 2.0, 3.0]), tl.tensor([2, 1])
    p = trnn.PackedSequence(data, bs)
    assert p.sorted_indices is None and p.unsorted_indices is None
    q = trnn.PackedSequence((data, bs))
    assert q.batch_sizes is bs and q.data is data
    s = trnn.PackedSequence(data, bs, tl.tensor([2, 0, 1]))
    assert (
        s.unsorted_indices.tolist()
        == trnn.invert_permutation(tl.tensor([2, 0, 1])).tolist()
        == [1, 2, 0]
    )
    assert trnn.invert_permutation(None) is None
    d = s.double()
    assert (
        d.data.dtype == tl.float64
        and d.batch_sizes is bs
        and d.sorted_indices.tolist() == [2, 0, 1]
    )
    assert s.to(tl.float32) is s
    assert not s.is_cuda
    data, batch_sizes, sorted_indices, unsorted_indices = s
    assert batch_sizes is bs
