"""RNN/LSTM/GRU and the cells against PyTorch: outputs, final states, gradients, repr, init, errors."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

rng = np.random.default_rng(0)
TOL = dict(rtol=1e-5, atol=1e-5)
GTOL = dict(rtol=1e-4, atol=1e-5)


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def build(name, *args, **kwargs):
    """The same layer in PyTorch and torchlike, with PyTorch's weights loaded into torchlike's."""
    pt.manual_seed(0)
    pm = getattr(pt.nn, name)(*args, **kwargs)
    tm = getattr(tl.nn, name)(*args, **kwargs)
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    return pm, tm


def as_tuple(h):
    return tuple(h) if isinstance(h, tuple) else (h,)


def check_parity(pm, tm, x, hx=None, train=False):
    """Compares output, final states and the gradients of input, initial states and every parameter."""
    pm.train(train)
    tm.train(train)
    xp, xt = pt.tensor(x, requires_grad=True), tl.tensor(x, requires_grad=True)
    hps = hts = None
    if hx is not None:
        hps = tuple(pt.tensor(h, requires_grad=True) for h in as_tuple(hx))
        hts = tuple(tl.tensor(h, requires_grad=True) for h in as_tuple(hx))
    arg_p = None if hx is None else (hps if isinstance(hx, tuple) else hps[0])
    arg_t = None if hx is None else (hts if isinstance(hx, tuple) else hts[0])
    op, hp = pm(xp, arg_p)
    ot, ht = tm(xt, arg_t)
    np.testing.assert_allclose(ot.detach().numpy(), op.detach().numpy(), **TOL)
    assert tuple(ot.shape) == tuple(op.shape)
    for a, b in zip(as_tuple(ht), as_tuple(hp), strict=True):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **TOL)
    # a loss that weights every output element and every final state differently
    wo = randn(*op.shape)
    ws = [randn(*h.shape) for h in as_tuple(hp)]
    lp = (op * pt.tensor(wo)).sum() + sum(
        (h * pt.tensor(w)).sum() for h, w in zip(as_tuple(hp), ws)
    )
    lt = (ot * tl.tensor(wo)).sum() + sum(
        (h * tl.tensor(w)).sum() for h, w in zip(as_tuple(ht), ws)
    )
    lp.backward()
    lt.backward()
    np.testing.assert_allclose(xt.grad.numpy(), xp.grad.numpy(), **GTOL)
    if hx is not None:
        for a, b in zip(hts, hps):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **GTOL)
    tparams = dict(tm.named_parameters())
    assert list(tparams) == [n for n, _ in pm.named_parameters()]
    for n, p in pm.named_parameters():
        np.testing.assert_allclose(tparams[n].grad.numpy(), p.grad.numpy(), err_msg=n, **GTOL)


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
@pytest.mark.parametrize("train", [False, True])
def test_two_layer_bidirectional_batch_first_matches_pytorch(name, train):
    pm, tm = build(name, 5, 6, num_layers=2, bidirectional=True, batch_first=True)
    check_parity(pm, tm, randn(3, 4, 5), train=train)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_nonlinearity_matches_pytorch(nonlinearity):
    pm, tm = build("RNN", 4, 7, num_layers=2, nonlinearity=nonlinearity)
    check_parity(pm, tm, randn(5, 3, 4))


def test_rnn_nonlinearity_positional_argument():
    pm, tm = build("RNN", 4, 7, 1, "relu", False)
    assert tm.nonlinearity == "relu" and tm.bias is False
    check_parity(pm, tm, randn(5, 3, 4))


@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_proj_size_matches_pytorch(bidirectional):
    pm, tm = build("LSTM", 5, 8, num_layers=2, proj_size=3, bidirectional=bidirectional)
    assert tm.weight_hr_l1.shape == (3, 8)
    check_parity(pm, tm, randn(4, 2, 5))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_without_bias_matches_pytorch(name):
    pm, tm = build(name, 5, 6, bias=False, bidirectional=True)
    assert "bias_ih_l0" not in dict(tm.named_parameters())
    check_parity(pm, tm, randn(4, 2, 5))


def test_initial_states_given_match_pytorch():
    pm, tm = build("LSTM", 5, 6, num_layers=2, bidirectional=True)
    check_parity(pm, tm, randn(4, 3, 5), hx=(randn(4, 3, 6), randn(4, 3, 6)))
    pm, tm = build("LSTM", 5, 6, num_layers=2, proj_size=2, batch_first=True)
    check_parity(pm, tm, randn(3, 4, 5), hx=(randn(2, 3, 2), randn(2, 3, 6)))
    pm, tm = build("GRU", 5, 6, num_layers=2, batch_first=True)
    check_parity(pm, tm, randn(3, 4, 5), hx=randn(2, 3, 6))
    pm, tm = build("RNN", 5, 6, bidirectional=True)
    check_parity(pm, tm, randn(4, 3, 5), hx=randn(2, 3, 6))


@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_input_matches_pytorch(batch_first):
    pm, tm = build("LSTM", 5, 6, num_layers=2, bidirectional=True, batch_first=batch_first)
    check_parity(pm, tm, randn(7, 5))
    check_parity(pm, tm, randn(7, 5), hx=(randn(4, 6), randn(4, 6)))
    pm, tm = build("GRU", 5, 6, batch_first=batch_first)
    check_parity(pm, tm, randn(7, 5), hx=randn(1, 6))
    out, h = tm(tl.tensor(randn(7, 5)))
    assert out.shape == (7, 6) and h.shape == (1, 6)


def test_dropout_in_eval_mode_is_deterministic_and_matches_pytorch():
    pm, tm = build("LSTM", 5, 6, num_layers=3, dropout=0.5, bidirectional=True)
    check_parity(pm, tm, randn(4, 3, 5), train=False)
    x = tl.tensor(randn(4, 3, 5))
    np.testing.assert_array_equal(tm(x)[0].detach().numpy(), tm(x)[0].detach().numpy())


def test_dropout_one_in_training_zeroes_what_the_next_layer_reads():
    # p=1 drops every element between layers: deterministic, so PyTorch's placement can be compared
    pm, tm = build("GRU", 5, 6, num_layers=2, dropout=1.0, batch_first=True)
    check_parity(pm, tm, randn(3, 4, 5), train=True)


@pytest.mark.parametrize(
    "mode, kw",
    [
        ("LSTM", {}),
        ("LSTM", {"batch_first": True, "proj_size": 3}),
        ("GRU", {"bidirectional": True}),
        ("RNN", {"num_layers": 3, "dtype": "float64"}),
        ("LSTM", {"packed": True}),
    ],
    ids=["lstm", "lstm-batch-first-proj", "gru-bidirectional", "rnn-3-layers-f64", "lstm-packed"],
)
def test_dropout_masks_in_training_are_pytorchs(mode, kw):
    """On the CPU the inter-layer masks are PyTorch's own draws: same outputs, gradients, stream."""
    import torch

    kw = dict(kw)
    packed = kw.pop("packed", False)
    layers = kw.pop("num_layers", 2)
    results = []
    for lib in (torch, tl):
        lib.manual_seed(3)
        dt = getattr(lib, kw.get("dtype", "float32"))
        m = getattr(lib.nn, mode)(4, 5, num_layers=layers, dropout=0.4, **{**kw, "dtype": dt})
        x = lib.randn(6, 3, 4, dtype=dt, requires_grad=True)
        inp = (
            lib.nn.utils.rnn.pack_padded_sequence(x, [6, 2, 4], enforce_sorted=False)
            if packed
            else x
        )
        out, _ = m(inp)
        out = out.data if packed else out
        (out * lib.arange(out.numel(), dtype=dt).reshape(out.shape).cos()).sum().backward()
        results.append(
            [out.detach().numpy(), x.grad.numpy(), m.weight_ih_l1.grad.numpy(), lib.rand(3).numpy()]
        )
    for want, got in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_dropout_in_training_is_random_and_scaled():
    tl.manual_seed(0)
    m = tl.nn.RNN(3, 200, num_layers=2, dropout=0.5)
    with tl.no_grad():
        for p in m.parameters():
            p.fill_(0.0)
        m.weight_ih_l1.copy_(tl.eye(200))  # layer 2 outputs tanh(dropped layer-1 output)
        m.bias_ih_l0.fill_(0.5)
    x = tl.tensor(randn(2, 1, 3))
    a, _ = m(x)
    b, _ = m(x)
    a, b = a.detach().numpy(), b.detach().numpy()
    assert not np.array_equal(a, b)
    kept = np.isclose(a, np.tanh(2 * np.tanh(0.5)), atol=1e-6)
    dropped = a == 0
    assert np.all(kept | dropped)
    assert 0.35 < kept.mean() < 0.65
    m.eval()
    np.testing.assert_allclose(m(x)[0].detach().numpy(), np.tanh(np.tanh(0.5)), atol=1e-6)


def test_float64_module_matches_pytorch():
    pt.manual_seed(0)
    pm = pt.nn.GRU(3, 4, bidirectional=True).double()
    tm = tl.nn.GRU(3, 4, bidirectional=True).double()
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    x = rng.standard_normal((5, 2, 3))
    op, hp = pm(pt.tensor(x))
    ot, ht = tm(tl.tensor(x))
    assert ot.dtype == tl.float64 and ht.dtype == tl.float64
    np.testing.assert_allclose(ot.detach().numpy(), op.detach().numpy(), rtol=1e-12, atol=1e-12)


# -- structure: names, shapes, repr, init -------------------------------------------------------------

CONFIGS = [
    ("LSTM", (10, 20), dict(num_layers=2, batch_first=True, bidirectional=True)),
    ("LSTM", (10, 20), dict(proj_size=5, num_layers=2, bias=False, dropout=0.25)),
    ("GRU", (3, 4), dict(bidirectional=True)),
    ("RNN", (3, 4), dict(nonlinearity="relu", num_layers=3)),
    ("RNN", (3, 4), {}),
    ("RNNCell", (3, 4), dict(nonlinearity="relu", bias=False)),
    ("LSTMCell", (3, 4), {}),
    ("GRUCell", (3, 4), dict(bias=False)),
]


@pytest.mark.parametrize("name,args,kwargs", CONFIGS)
def test_repr_state_dict_keys_and_shapes_match_pytorch(name, args, kwargs):
    pm = getattr(pt.nn, name)(*args, **kwargs)
    tm = getattr(tl.nn, name)(*args, **kwargs)
    assert repr(tm) == repr(pm)
    psd, tsd = pm.state_dict(), tm.state_dict()
    assert list(tsd) == list(psd)
    for k in psd:
        assert tuple(tsd[k].shape) == tuple(psd[k].shape), k


def test_extra_repr_example():
    assert repr(tl.nn.LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)) == (
        "LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)"
    )


@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell"])
def test_default_init_is_uniform_one_over_sqrt_hidden(name):
    tl.manual_seed(1)
    hidden = 64
    m = getattr(tl.nn, name)(
        32, hidden, **({} if "Cell" in name else dict(num_layers=2, bidirectional=True))
    )
    bound = 1 / math.sqrt(hidden)
    values = np.concatenate([p.detach().numpy().ravel() for p in m.parameters()])
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.95 * bound
    assert abs(values.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert abs(values.mean()) < 0.05 * bound
    # parameters are drawn independently
    assert not np.array_equal(
        m.weight_hh_l0.detach().numpy() if "Cell" not in name else m.weight_hh.detach().numpy(),
        m.weight_ih_l0.detach().numpy()[:, :hidden]
        if "Cell" not in name
        else m.weight_ih.detach().numpy()[:, :32],
    )


def test_flatten_parameters_and_all_weights():
    m = tl.nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
    assert m.flatten_parameters() is None
    assert [[tuple(w.shape) for w in ws] for ws in m.all_weights] == [
        [tuple(w.shape) for w in ws]
        for ws in pt.nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2).all_weights
    ]
    assert m.all_weights[1][0] is m.weight_ih_l0_reverse


# -- errors, in PyTorch's words -------------------------------------------------------------------------


def _raises_like(fn_pt, fn_tl):
    with pytest.raises(Exception) as ep:
        fn_pt()
    with pytest.raises(type(ep.value)) as et:
        fn_tl()
    assert str(et.value) == str(ep.value)


def _same_call_error(name, ctor_args, x_shape, hx_shapes=None, x_dtype="float32"):
    """Calls both layers with zero tensors of the given shapes; both must raise alike."""

    def call(lib):
        m = getattr(lib.nn, name)(*ctor_args)
        x = lib.zeros(*x_shape, dtype=getattr(lib, x_dtype))
        if hx_shapes is None:
            return m(x)
        hs = tuple(lib.zeros(*s) for s in hx_shapes)
        return m(x, hs if len(hs) == 2 else hs[0])

    _raises_like(lambda: call(pt), lambda: call(tl))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_forward_errors_match_pytorch(name):
    args = (10, 20, 2)
    _same_call_error(name, args, (3, 4, 5))
    _same_call_error(name, args, (3, 4, 10, 1))
    _same_call_error(name, args, (3, 4, 10), x_dtype="float64")
    if name == "LSTM":
        for hx in (
            [(2, 5, 20), (2, 4, 20)],
            [(2, 4, 20), (2, 4, 21)],
            [(4, 20), (2, 4, 20)],
        ):
            _same_call_error(name, args, (3, 4, 10), hx)
        _same_call_error(name, args, (3, 10), [(2, 1, 20), (2, 20)])
    else:
        for hx in ((2, 5, 20), (5, 20)):
            _same_call_error(name, args, (3, 4, 10), [hx])
        _same_call_error(name, args, (3, 10), [(2, 1, 20)])


def test_input_size_error_message():
    with pytest.raises(
        RuntimeError, match=r"input.size\(-1\) must be equal to input_size. Expected 10, got 5"
    ):
        tl.nn.LSTM(10, 20)(tl.zeros(3, 4, 5))


@pytest.mark.parametrize(
    "ctor",
    [
        lambda nn: nn.GRU(3, 4, proj_size=2),
        lambda nn: nn.RNN(3, 4, proj_size=2),
        lambda nn: nn.LSTM(3, 4, proj_size=4),
        lambda nn: nn.LSTM(3, 4, proj_size=-1),
        lambda nn: nn.LSTM(3, 4, dropout=1.5),
        lambda nn: nn.LSTM(3, 4, dropout=True),
        lambda nn: nn.LSTM(3, 0),
        lambda nn: nn.LSTM(3.0, 4),
        lambda nn: nn.LSTM(3, 4, num_layers=0),
        lambda nn: nn.LSTM(3, 4, batch_first=1),
        lambda nn: nn.RNN(3, 4, nonlinearity="gelu"),
    ],
)
def test_constructor_errors_match_pytorch(ctor):
    _raises_like(lambda: ctor(pt.nn), lambda: ctor(tl.nn))


def test_dropout_with_one_layer_warns():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        tl.nn.GRU(3, 4, dropout=0.2)


# -- cells -------------------------------------------------------------------------------------------------


def check_cell(pm, tm, x, hx=None):
    xp, xt = pt.tensor(x, requires_grad=True), tl.tensor(x, requires_grad=True)
    hps = hts = None
    if hx is not None:
        hps = tuple(pt.tensor(h, requires_grad=True) for h in as_tuple(hx))
        hts = tuple(tl.tensor(h, requires_grad=True) for h in as_tuple(hx))
        if not isinstance(hx, tuple):
            hps, hts = hps[0], hts[0]
    rp, rt = as_tuple(pm(xp, hps)), as_tuple(tm(xt, hts))
    ws = [randn(*r.shape) for r in rp]
    for a, b in zip(rt, rp, strict=True):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **TOL)
    sum((r * pt.tensor(w)).sum() for r, w in zip(rp, ws)).backward()
    sum((r * tl.tensor(w)).sum() for r, w in zip(rt, ws)).backward()
    np.testing.assert_allclose(xt.grad.numpy(), xp.grad.numpy(), **GTOL)
    for a, b in zip(
        as_tuple(hts) if hx is not None else (), as_tuple(hps) if hx is not None else ()
    ):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **GTOL)
    tparams = dict(tm.named_parameters())
    for n, p in pm.named_parameters():
        np.testing.assert_allclose(tparams[n].grad.numpy(), p.grad.numpy(), err_msg=n, **GTOL)


@pytest.mark.parametrize("bias", [True, False])
def test_cells_match_pytorch(bias):
    for nl in ("tanh", "relu"):
        pm, tm = build("RNNCell", 5, 6, bias=bias, nonlinearity=nl)
        check_cell(pm, tm, randn(3, 5), randn(3, 6))
        check_cell(pm, tm, randn(3, 5))
    pm, tm = build("LSTMCell", 5, 6, bias=bias)
    check_cell(pm, tm, randn(3, 5), (randn(3, 6), randn(3, 6)))
    check_cell(pm, tm, randn(3, 5))
    pm, tm = build("GRUCell", 5, 6, bias=bias)
    check_cell(pm, tm, randn(3, 5), randn(3, 6))
    check_cell(pm, tm, randn(3, 5))


def test_cells_unbatched_match_pytorch():
    pm, tm = build("LSTMCell", 5, 6)
    check_cell(pm, tm, randn(5), (randn(6), randn(6)))
    pm, tm = build("GRUCell", 5, 6)
    check_cell(pm, tm, randn(5), randn(6))
    check_cell(pm, tm, randn(5))
    pm, tm = build("RNNCell", 5, 6)
    check_cell(pm, tm, randn(5), randn(6))


def test_cell_outputs_end_in_pytorchs_grad_fn():
    """ATen's CPU cells are composites: tanh/relu of the linears' sum (an RNNCell's hidden state
    prints grad_fn=<TanhBackward0>), GRU's (h - n) * z + n, LSTM's o * tanh(c)."""
    names = []
    for lib in (pt, tl):
        lib.manual_seed(0)
        x, h = lib.randn(2, 3), lib.randn(2, 4)
        outs = [
            lib.nn.RNNCell(3, 4)(x, h),
            lib.nn.RNNCell(3, 4, nonlinearity="relu")(x, h),
            lib.nn.RNNCell(3, 4, bias=False)(x),
            lib.nn.GRUCell(3, 4)(x, h),
            lib.nn.LSTMCell(3, 4)(x, (h, h))[0],
            lib.nn.RNNCell(3, 4)(x[0], h[0]),
        ]
        unbatched = outs[-1].grad_fn.next_functions[0][0]
        names.append([type(o.grad_fn).__name__ for o in outs] + [type(unbatched).__name__])
    assert names[1] == names[0]


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_errors_match_pytorch(name):
    args = (10, 20)
    _same_call_error(name, args, (3, 5))
    _same_call_error(name, args, (2, 3, 10))
    if name == "LSTMCell":
        for hx in ([(4, 20), (3, 20)], [(3, 20), (3, 5)], [(1, 3, 20), (3, 20)]):
            _same_call_error(name, args, (3, 10), hx)
    else:
        for hx in ((3, 5), (1, 3, 20), (4, 20)):
            _same_call_error(name, args, (3, 10), [hx])


# -- packed sequences through the layers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("LSTM", dict(num_layers=2, bidirectional=True)),
        ("GRU", dict(num_layers=2, bidirectional=True)),
        ("RNN", dict(nonlinearity="relu", bidirectional=True)),
        ("LSTM", dict(proj_size=2, batch_first=True)),
    ],
)
@pytest.mark.parametrize("with_hx", [False, True])
def test_packed_sequences_match_pytorch(name, kwargs, with_hx):
    from torch.nn.utils import rnn as prnn

    from torchlike.nn.utils import rnn as trnn

    pm, tm = build(name, 3, 4, **kwargs)
    seqs = [randn(n, 3) for n in (2, 5, 3, 5, 1)]
    ps = [pt.tensor(s, requires_grad=True) for s in seqs]
    ts = [tl.tensor(s, requires_grad=True) for s in seqs]
    pp, tp = (
        prnn.pack_sequence(ps, enforce_sorted=False),
        trnn.pack_sequence(ts, enforce_sorted=False),
    )
    layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
    hsize = kwargs.get("proj_size", 4)
    hx_p = hx_t = None
    if with_hx:
        hs = [randn(layers, 5, hsize)] + ([randn(layers, 5, 4)] if name == "LSTM" else [])
        hx_p = tuple(pt.tensor(h, requires_grad=True) for h in hs)
        hx_t = tuple(tl.tensor(h, requires_grad=True) for h in hs)
    po, ph = pm(pp, hx_p if name == "LSTM" or hx_p is None else hx_p[0])
    to, th = tm(tp, hx_t if name == "LSTM" or hx_t is None else hx_t[0])
    assert isinstance(to, trnn.PackedSequence)
    assert to.batch_sizes.tolist() == po.batch_sizes.tolist()
    assert to.sorted_indices.tolist() == po.sorted_indices.tolist()
    np.testing.assert_allclose(to.data.detach().numpy(), po.data.detach().numpy(), **TOL)
    for a, b in zip(as_tuple(th), as_tuple(ph), strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **TOL)
    pad_p, _ = prnn.pad_packed_sequence(po, batch_first=True)
    pad_t, _ = trnn.pad_packed_sequence(to, batch_first=True)
    np.testing.assert_allclose(pad_t.detach().numpy(), pad_p.detach().numpy(), **TOL)
    w = randn(*pad_p.shape)
    wh = [randn(*h.shape) for h in as_tuple(ph)]
    (
        (pad_p * pt.tensor(w)).sum()
        + sum((h * pt.tensor(v)).sum() for h, v in zip(as_tuple(ph), wh))
    ).backward()
    (
        (pad_t * tl.tensor(w)).sum()
        + sum((h * tl.tensor(v)).sum() for h, v in zip(as_tuple(th), wh))
    ).backward()
    for a, b in zip(ts, ps):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **GTOL)
    if with_hx:
        for a, b in zip(hx_t, hx_p):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **GTOL)
    tparams = dict(tm.named_parameters())
    for n, p in pm.named_parameters():
        np.testing.assert_allclose(tparams[n].grad.numpy(), p.grad.numpy(), err_msg=n, **GTOL)


# -- one op, hoisted projection, zero recompiles -------------------------------------------------------------


def test_whole_recurrence_is_one_forward_op_and_one_output_op():
    from torchlike._context import state
    from torchlike._engine.execute import flush

    m = tl.nn.LSTM(3, 4, num_layers=3, bidirectional=True)
    x = tl.tensor(randn(50, 2, 3))
    flush("test")
    out, (h, c) = m(x)
    names = [n.op.name for n in state.graph.nodes]
    assert names.count("_rnn_states") == 1 and names.count("_rnn") == 1
    assert len(names) <= 5  # zero initial states, the scans, the outputs: nothing per step or layer
    flush("test")


def _lstm_case(layers=2, steps=7, batch=2, bidirectional=True):
    w = []
    for layer in range(layers):
        for _ in range(2 if bidirectional else 1):
            w += [
                np.full((16, 3 if layer == 0 else 8), 0.1, np.float32),
                np.full((16, 4), 0.1, np.float32),
                np.zeros(16, np.float32),
                np.zeros(16, np.float32),
            ]
    h = np.zeros((2 * layers, batch, 4), np.float32)
    attrs = dict(
        mode="LSTM",
        num_layers=layers,
        bidirectional=bidirectional,
        batch_first=False,
        has_bias=True,
        proj_size=0,
        dropout_on=False,
    )
    return np.zeros((steps, batch, 3), np.float32), h, w, attrs


def _scans(jaxpr):
    return [e for e in jaxpr.eqns if e.primitive.name == "scan"]


def _dots(jaxpr):
    return [e for e in jaxpr.eqns if e.primitive.name == "dot_general"]


def test_input_projection_is_hoisted_out_of_the_forward_scan():
    from torchlike.nn._functional.rnn import rnn_states_k

    x, h, w, attrs = _lstm_case()
    jaxpr = jax.make_jaxpr(
        lambda x, h, w: rnn_states_k(x, h, h, w, None, None, None, None, None, **attrs)
    )(x, h, w).jaxpr
    scans = _scans(jaxpr)
    assert len(scans) == 2  # one per layer: both directions advance in the same scan
    for s in scans:
        assert len(_dots(s.params["jaxpr"].jaxpr)) == 1  # only h @ W_hh^T runs per step
    outer = _dots(jaxpr)
    assert len(outer) == 2  # one input projection per layer, all timesteps and directions at once
    assert outer[0].outvars[0].aval.shape == (7, 2, 32)


def test_backward_is_one_reverse_scan_per_layer_with_one_matmul_per_step():
    from torchlike.nn._functional.rnn import rnn_k, rnn_states_k

    x, h, w, attrs = _lstm_case()

    def grads(x, h, w):
        saved = list(rnn_states_k(x, h, h, w, None, None, None, None, None, **attrs))
        _, pull = jax.vjp(
            lambda w: rnn_k(x, h, h, w, None, None, None, None, None, saved, **attrs), w
        )
        out, hn, cn = rnn_k(x, h, h, w, None, None, None, None, None, saved, **attrs)
        return pull((jnp.ones_like(out), jnp.ones_like(hn), jnp.ones_like(cn)))

    jaxpr = jax.make_jaxpr(grads)(x, h, w).jaxpr
    scans = _scans(jaxpr)
    assert (
        len(scans) == 4
    )  # the forward scans once (the vjp does not re-run them) + one reverse each
    for s in scans:
        assert len(_dots(s.params["jaxpr"].jaxpr)) == 1


def test_lstm_language_model_trains_with_zero_recompiles():
    tl.manual_seed(0)
    vocab, emb, hidden, steps, batch = 20, 8, 16, 6, 4

    class LM(tl.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = tl.nn.Parameter(tl.randn(vocab, emb) * 0.1)
            self.lstm = tl.nn.LSTM(emb, hidden, num_layers=2, dropout=0.2, batch_first=True)
            self.decoder = tl.nn.Linear(hidden, vocab)

        def forward(self, tokens, state=None):
            out, state = self.lstm(self.embedding[tokens], state)
            return self.decoder(out), state

    model = LM()
    opt = tl.optim.SGD(model.parameters(), lr=2.0)
    data = np.random.default_rng(1).integers(0, vocab, (batch, steps + 1))
    tokens = [tl.tensor(data[:, :-1]), tl.tensor(data[:, 1:])]
    losses = []
    state = None
    compiles = None
    for step in range(12):
        opt.zero_grad()
        logits, state = model(tokens[0], state)
        state = tuple(s.detach() for s in state)  # truncated BPTT, as the word-LM example does
        logp = logits.log_softmax(-1)
        loss = -logp.gather(-1, tokens[1].unsqueeze(-1)).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if step == 2:
            compiles = tl.metrics.counters()["compiles"]
    assert tl.metrics.counters()["compiles"] == compiles
    assert losses[-1] < losses[0] - 0.25


def _names_classifier_losses(lib, batches, check_compiles=False):
    """An RNN name classifier as courses write it (刘二大人 lecture 13, PyTorch's char-RNN
    tutorial): embedding -> pack_padded_sequence -> bidirectional 2-layer GRU -> the last layer's
    two final states -> linear, trained with Adam, one batch of names after another."""
    from_lib = lib.nn.utils.rnn
    lib.manual_seed(0)
    emb, gru, fc = (
        lib.nn.Embedding(30, 6),
        lib.nn.GRU(6, 5, 2, bidirectional=True),
        lib.nn.Linear(10, 3),
    )
    params = list(emb.parameters()) + list(gru.parameters()) + list(fc.parameters())
    opt = lib.optim.Adam(params, lr=0.01)

    def forward(tokens, lengths):
        x = emb(lib.tensor(tokens).t())
        output, hidden = gru(
            from_lib.pack_padded_sequence(x, lib.tensor(lengths)), lib.zeros(4, len(lengths), 5)
        )
        return fc(lib.cat([hidden[-1], hidden[-2]], dim=1))

    losses, compiles = [], None
    for step, (tokens, lengths, target) in enumerate(batches):
        loss = lib.nn.functional.cross_entropy(forward(tokens, lengths), lib.tensor(target))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if check_compiles and step == 1:
            compiles = tl.metrics.counters()["compiles"]
    if check_compiles:
        assert tl.metrics.counters()["compiles"] == compiles
    return losses


def test_packed_batches_of_other_total_lengths_run_the_same_program():
    """The packed rows number sum(lengths), new in every batch; the program of a training step
    on packed sequences depends on the longest one only (the GRU reads the padded embedding, and
    the packed input and output, dropped when forward returns, are not computed)."""
    g = np.random.default_rng(3)
    batches = []
    for _ in range(6):
        lengths = np.sort(np.r_[7, g.integers(1, 8, 7)])[::-1].copy()
        tokens = g.integers(1, 30, (8, 7)) * (np.arange(7) < lengths[:, None])
        batches.append((tokens, lengths, g.integers(0, 3, 8)))
    assert len({int(b[1].sum()) for b in batches}) > 3
    want = _names_classifier_losses(pt, batches)
    got = _names_classifier_losses(tl, batches, check_compiles=True)
    np.testing.assert_allclose(got, want, rtol=1e-5)


@pytest.mark.parametrize("how", ["data written in place", "data replaced", "rows from an RNN"])
def test_packed_rows_changed_after_packing_reach_the_rnn(how):
    """An RNN reads the padded tensor a PackedSequence was packed from only while its rows are
    what packing made; other packed data is unpacked from the rows themselves."""
    from torch.nn.utils import rnn as prnn

    from torchlike.nn.utils import rnn as trnn

    pm, tm = build("GRU", 3, 4)
    pm2, tm2 = build("GRU", 4, 2, bidirectional=True)
    x, lengths = randn(5, 3, 3), [5, 3, 2]
    results = []
    for lib, m, m2, utils in ((pt, pm, pm2, prnn), (tl, tm, tm2, trnn)):
        xs = lib.tensor(x, requires_grad=True)
        packed = utils.pack_padded_sequence(xs, lengths)
        if how == "data written in place":
            packed.data.mul_(2)
        elif how == "data replaced":
            packed = utils.PackedSequence(packed.data.tanh(), packed.batch_sizes)
        out, h = m(packed)
        if how == "rows from an RNN":
            out, h = m2(out)
        padded, _ = utils.pad_packed_sequence(out, padding_value=-1.0, total_length=6)
        (padded.sum() + h.sum()).backward() if how != "data written in place" else None
        results.append(
            (
                padded.detach().numpy(),
                h.detach().numpy(),
                None if xs.grad is None else xs.grad.numpy(),
            )
        )
    for a, b in zip(results[1], results[0]):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, **GTOL)


def test_autocast_runs_layers_in_lower_precision_like_pytorch():
    for lib in (pt, tl):
        m, cell = lib.nn.LSTM(3, 4, 2), lib.nn.GRUCell(3, 4)
        with lib.autocast("cpu", dtype=lib.bfloat16):
            out, (h, c) = m(lib.randn(5, 2, 3))
            assert out.dtype == h.dtype == c.dtype == lib.bfloat16
            assert cell(lib.randn(2, 3)).dtype == lib.float32
