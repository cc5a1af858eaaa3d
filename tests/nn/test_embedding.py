"""Embedding, EmbeddingBag and one_hot against PyTorch: lookups, weight gradients (padding_idx,
scale_grad_by_freq, per_sample_weights), max_norm renormalising the weight in place, from_pretrained,
repr, default init."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
TOL = dict(rtol=1e-5, atol=1e-5)


def _weights(n=10, d=4):
    return RNG.standard_normal((n, d)).astype(np.float32)


def _compare(fn_tl, fn_pt, w, *extra):
    """Runs fn(weight, *extra) in both libraries; compares output and every gradient."""
    wa, wb = tl.tensor(w, requires_grad=True), pt.tensor(w, requires_grad=True)
    ea = [tl.tensor(e, requires_grad=e.dtype.kind == "f") if e is not None else None for e in extra]
    eb = [pt.tensor(e, requires_grad=e.dtype.kind == "f") if e is not None else None for e in extra]
    ya, yb = fn_tl(wa, *ea), fn_pt(wb, *eb)
    g = RNG.standard_normal(tuple(yb.shape)).astype(np.float32)
    ya.backward(tl.tensor(g))
    yb.backward(pt.tensor(g))
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), **TOL)
    np.testing.assert_allclose(wa.grad.numpy(), wb.grad.numpy(), **TOL)
    for a, b in zip(ea, eb):
        if a is not None and a.requires_grad:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **TOL)


IDX = np.array([[1, 2, 4, 5], [4, 3, 2, 9], [0, 0, 1, 1]])


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding_idx": 2},
        {"padding_idx": -1},
        {"scale_grad_by_freq": True},
        {"padding_idx": 0, "scale_grad_by_freq": True},
    ],
)
def test_embedding_matches_torch(kwargs):
    _compare(
        lambda w, i: tl.nn.functional.embedding(i, w, **kwargs),
        lambda w, i: pt.nn.functional.embedding(i, w, **kwargs),
        _weights(),
        IDX,
    )


def test_embedding_max_norm_renormalises_the_weight_in_place():
    w = _weights() * 3
    for norm_type in (2.0, 1.0):
        wa, wb = tl.tensor(w), pt.tensor(w)
        ya = tl.nn.functional.embedding(tl.tensor(IDX[:2]), wa, max_norm=1.5, norm_type=norm_type)
        yb = pt.nn.functional.embedding(pt.tensor(IDX[:2]), wb, max_norm=1.5, norm_type=norm_type)
        np.testing.assert_allclose(ya.numpy(), yb.numpy(), **TOL)
        np.testing.assert_allclose(
            wa.numpy(), wb.numpy(), **TOL
        )  # rows used were scaled, others untouched
        assert wa._version == 1
    m = tl.nn.Embedding(10, 4, max_norm=1.0)
    m(tl.tensor([1, 2]))
    norms = np.linalg.norm(m.weight.detach().numpy(), axis=1)
    assert (norms[[1, 2]] <= 1.0 + 1e-5).all()


def test_embedding_module_repr_init_and_state_dict():
    for kwargs in (
        {},
        {"padding_idx": 1},
        {"padding_idx": -2, "max_norm": 2.0, "norm_type": 1.0},
        {"scale_grad_by_freq": True, "sparse": True},
    ):
        a, b = tl.nn.Embedding(300, 50, **kwargs), pt.nn.Embedding(300, 50, **kwargs)
        assert repr(a) == repr(b)
        assert list(a.state_dict()) == list(b.state_dict()) == ["weight"]
        assert a.padding_idx == b.padding_idx
        w = a.weight.detach().numpy()
        assert abs(w.std() - 1.0) < 0.05 and abs(w.mean()) < 0.05  # normal(0, 1)
        if a.padding_idx is not None:
            np.testing.assert_array_equal(w[a.padding_idx], np.zeros(50))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        tl.nn.Embedding(5, 2, padding_idx=5)


def test_embedding_module_parity_with_padding():
    m_pt = pt.nn.Embedding(10, 4, padding_idx=3)
    m_tl = tl.nn.Embedding(10, 4, padding_idx=3)
    m_tl.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in m_pt.state_dict().items()})
    idx = np.array([[3, 1, 3], [2, 2, 9]])
    ya, yb = m_tl(tl.tensor(idx)), m_pt(pt.tensor(idx))
    (ya**2).sum().backward()
    (yb**2).sum().backward()
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), **TOL)
    np.testing.assert_allclose(m_tl.weight.grad.numpy(), m_pt.weight.grad.numpy(), **TOL)
    np.testing.assert_array_equal(m_tl.weight.grad.numpy()[3], np.zeros(4))


def test_from_pretrained_freeze():
    w = _weights(5, 3)
    frozen = tl.nn.Embedding.from_pretrained(tl.tensor(w))
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(tl.tensor([4, 0])).numpy(), w[[4, 0]])
    trainable = tl.nn.Embedding.from_pretrained(tl.tensor(w), freeze=False, padding_idx=0)
    assert trainable.weight.requires_grad and trainable.padding_idx == 0
    assert repr(trainable) == repr(
        pt.nn.Embedding.from_pretrained(pt.tensor(w), freeze=False, padding_idx=0)
    )
    bag = tl.nn.EmbeddingBag.from_pretrained(tl.tensor(w), mode="sum")
    assert not bag.weight.requires_grad
    np.testing.assert_allclose(bag(tl.tensor([[1, 2]])).numpy(), w[[1]] + w[[2]], rtol=1e-6)
    with pytest.raises(
        AssertionError, match="Embeddings parameter is expected to be 2-dimensional"
    ):
        tl.nn.Embedding.from_pretrained(tl.zeros(3))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("layout", ["2d", "offsets", "last_offset", "padding"])
def test_embedding_bag_matches_torch(mode, layout):
    w = _weights()
    flat = np.array([1, 2, 4, 5, 4, 3, 2, 9, 7])
    kw = {"mode": mode}
    if layout == "2d":
        args = (IDX, None)
    elif layout == "offsets":
        args = (flat, np.array([0, 4, 4, 6]))  # an empty bag in the middle
    elif layout == "last_offset":
        args, kw["include_last_offset"] = (flat, np.array([0, 3, 9])), True
    else:
        args, kw["padding_idx"] = (flat, np.array([0, 2, 5])), 2
    _compare(
        lambda w, i, o: tl.nn.functional.embedding_bag(i, w, o, **kw),
        lambda w, i, o: pt.nn.functional.embedding_bag(i, w, o, **kw),
        w,
        *args,
    )


def test_embedding_bag_per_sample_weights_and_scale_grad_by_freq():
    w = _weights()
    flat, offsets = np.array([1, 2, 1, 5, 1, 9]), np.array([0, 2, 5])
    psw = RNG.uniform(0.5, 2, 6).astype(np.float32)
    _compare(
        lambda w, i, o, s: tl.nn.functional.embedding_bag(
            i, w, o, mode="sum", per_sample_weights=s
        ),
        lambda w, i, o, s: pt.nn.functional.embedding_bag(
            i, w, o, mode="sum", per_sample_weights=s
        ),
        w,
        flat,
        offsets,
        psw,
    )

    # torch's CPU embedding_bag scales by the wrong counts here (an index seen once gets 1/3); the
    # documented rule is embedding's: a row's gradient divided by how often its index occurs
    def reference(w, i, o):
        rows = pt.nn.functional.embedding(i, w, scale_grad_by_freq=True)
        return pt.stack([rows[a:b].mean(0) for a, b in zip(o.tolist(), o.tolist()[1:] + [len(i)])])

    _compare(
        lambda w, i, o: tl.nn.functional.embedding_bag(
            i, w, o, mode="mean", scale_grad_by_freq=True
        ),
        reference,
        w,
        flat,
        offsets,
    )


def test_embedding_bag_module_and_errors():
    for kwargs in (
        {},
        {"mode": "max", "padding_idx": 0},
        {"max_norm": 1.0, "norm_type": 3.0, "mode": "sum"},
    ):
        assert repr(tl.nn.EmbeddingBag(20, 5, **kwargs)) == repr(
            pt.nn.EmbeddingBag(20, 5, **kwargs)
        )
    bag = tl.nn.EmbeddingBag(10, 3)
    assert list(bag.state_dict()) == ["weight"]
    F = tl.nn.functional
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        bag(tl.tensor([1, 2]))
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        bag(tl.tensor([[1, 2]]), tl.tensor([0]))
    with pytest.raises(
        NotImplementedError, match="per_sample_weights is only supported for mode='sum'"
    ):
        bag(tl.tensor([1, 2]), tl.tensor([0]), tl.ones(2))
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        F.embedding_bag(tl.tensor([[1]]), tl.ones(3, 2), mode="min")
    with pytest.raises(
        ValueError, match="max mode does not support scaling the gradient by the frequency"
    ):
        F.embedding_bag(tl.tensor([[1]]), tl.ones(3, 2), mode="max", scale_grad_by_freq=True)


def test_one_hot():
    x = np.array([[0, 3], [2, 1]])
    for n in (-1, 6):
        ours = tl.nn.functional.one_hot(tl.tensor(x), n)
        theirs = pt.nn.functional.one_hot(pt.tensor(x), n)
        assert ours.dtype is tl.int64 and tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(RuntimeError, match="one_hot is only applicable to index tensor"):
        tl.nn.functional.one_hot(tl.tensor([1.0]))
    with pytest.raises(RuntimeError, match="Class values must be non-negative"):
        tl.nn.functional.one_hot(tl.tensor([-1, 2]))


def test_embedding_training_loop_has_zero_recompiles():
    tl.manual_seed(0)
    model = tl.nn.Sequential(
        tl.nn.Embedding(20, 8, padding_idx=0), tl.nn.Flatten(), tl.nn.Linear(24, 1)
    )
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    rng = np.random.default_rng(1)
    for step in range(10):
        idx = tl.tensor(rng.integers(0, 20, (4, 3)))
        opt.zero_grad()
        loss = model(idx).pow(2).mean()
        loss.backward()
        opt.step()
        loss.item()
        if step == 2:
            compiles = tl.metrics.counters()["compiles"]
    assert tl.metrics.counters()["compiles"] == compiles
    np.testing.assert_array_equal(
        model[0].weight.detach().numpy()[0], np.zeros(8)
    )  # padding row never trained
