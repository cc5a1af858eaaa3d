"""Quantized tensors and dynamic quantization against real PyTorch (x86/fbgemm CPU engine).

Tolerances: quantized integers and qparams must be equal. Float outputs of dynamic quantized
Linear must be equal too (fbgemm's fused multiply-add is emulated in float64); RNN outputs may
differ in the last bits (sigmoid/tanh implementations), so they are compared to 1e-5, far below
one activation quantization step (~1e-2 here)."""

import io
import os
import warnings

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _pair(shape, seed, scale=1.0, shift=0.0):
    a = (np.random.default_rng(seed).standard_normal(shape) * scale + shift).astype(np.float32)
    return torch.from_numpy(a.copy()), tl.from_numpy(a.copy())


def _near_ties(n, scale, seed):
    """Values landing within float32 rounding of .5 steps: where fbgemm's rounding decides."""
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(n) * 50 * scale).astype(np.float32)
    a[::2] = ((rng.integers(-60, 60, n)[::2] + 0.5) * np.float32(scale)).astype(np.float32)
    return torch.from_numpy(a.copy()), tl.from_numpy(a.copy())


@pytest.mark.parametrize("dtype", ["quint8", "qint8", "qint32"])
@pytest.mark.parametrize("scale,zero_point", [(0.1, 3), (1 / 3, 0), (0.0137, 100)])
def test_quantize_per_tensor_int_repr_matches_fbgemm_rounding(dtype, scale, zero_point):
    if dtype == "qint8" and zero_point > 127:
        zero_point = 7
    xt, xl = _near_ties(4099, scale, 1)
    qt = torch.quantize_per_tensor(xt, scale, zero_point, getattr(torch, dtype))
    ql = tl.quantize_per_tensor(xl, scale, zero_point, getattr(tl, dtype))
    assert ql.dtype is getattr(tl, dtype) and repr(ql.dtype) == repr(qt.dtype)
    assert ql.is_quantized and ql.q_scale() == qt.q_scale() and ql.q_zero_point() == qt.q_zero_point()
    assert repr(ql.qscheme()) == repr(qt.qscheme()) == "torch.per_tensor_affine"
    np.testing.assert_array_equal(ql.int_repr().numpy(), qt.int_repr().numpy())
    assert ql.int_repr().dtype.name == qt.int_repr().dtype.__repr__().split(".")[1]
    np.testing.assert_array_equal(ql.dequantize().numpy(), qt.dequantize().numpy())


def test_quantize_per_channel_matches():
    xt, xl = _pair((3, 5), 2, 3.0)
    scales, zps = [0.1, 0.05, 0.3], [0, 4, -3]
    qt = torch.quantize_per_channel(xt, torch.tensor(scales), torch.tensor(zps), 0, torch.qint8)
    ql = tl.quantize_per_channel(xl, tl.tensor(scales), tl.tensor(zps), 0, tl.qint8)
    np.testing.assert_array_equal(ql.int_repr().numpy(), qt.int_repr().numpy())
    np.testing.assert_array_equal(ql.dequantize().numpy(), qt.dequantize().numpy())
    assert repr(ql) == repr(qt)


def test_quantized_tensor_prints_like_pytorch():
    xt, xl = _pair((3, 4), 3)
    for dtype, zp in (("quint8", 128), ("qint8", 0)):
        qt = torch.quantize_per_tensor(xt, 0.02, zp, getattr(torch, dtype))
        ql = tl.quantize_per_tensor(xl, 0.02, zp, getattr(tl, dtype))
        assert repr(ql) == repr(qt)


def test_quantize_errors_use_pytorch_words():
    with pytest.raises(RuntimeError, match="Quantize only works on Float Tensor, got Long"):
        tl.quantize_per_tensor(tl.arange(3), 0.1, 0, tl.qint8)
    with pytest.raises(RuntimeError, match="zero_point 300 is above upper bound"):
        tl.quantize_per_tensor(tl.randn(3), 0.1, 300, tl.qint8)


def test_quantize_per_tensor_warns_as_pytorch_does():
    with pytest.warns(UserWarning, match="quantized tensor creation functions"):
        tl.quantize_per_tensor(tl.randn(3), 0.1, 0, tl.quint8)


def _linear_pair(k, n, seed, bias=True):
    torch.manual_seed(seed)
    ref = torch.nn.Sequential(torch.nn.Linear(k, n, bias=bias))
    ours = tl.nn.Sequential(tl.nn.Linear(k, n, bias=bias))
    ours.load_state_dict({k_: tl.from_numpy(v.numpy().copy()) for k_, v in ref.state_dict().items()})
    qref = torch.ao.quantization.quantize_dynamic(ref, {torch.nn.Linear}, dtype=torch.qint8)
    qours = tl.ao.quantization.quantize_dynamic(ours, {tl.nn.Linear}, dtype=tl.qint8)
    return qref, qours


@pytest.mark.parametrize(
    "k,n,batch,scale,shift",
    [(16, 8, 5, 1.0, 0.0), (33, 7, 3, 0.01, 0.0), (64, 10, 12, 10.0, -3.0), (5, 3, 1, 1.0, 2.0), (768, 16, 4, 3.0, 0.0)],
)
def test_dynamic_linear_equals_fbgemm(k, n, batch, scale, shift):
    qref, qours = _linear_pair(k, n, k + n)
    wt, wl = qref[0].weight(), qours[0].weight()
    assert wl.q_scale() == wt.q_scale() and wl.q_zero_point() == wt.q_zero_point()
    np.testing.assert_array_equal(wl.int_repr().numpy(), wt.int_repr().numpy())
    for seed in range(3):
        xt, xl = _pair((batch, k), seed, scale, shift)
        np.testing.assert_array_equal(qours(xl).numpy(), qref(xt).numpy())


def test_dynamic_linear_3d_input_and_no_bias():
    qref, qours = _linear_pair(12, 6, 0, bias=False)
    xt, xl = _pair((2, 5, 12), 4)
    out = qours(xl)
    assert tuple(out.shape) == (2, 5, 6)
    np.testing.assert_array_equal(out.numpy(), qref(xt).numpy())


def test_dynamic_linear_tiny_and_constant_inputs_follow_small_scale_rules():
    qref, qours = _linear_pair(8, 4, 1)
    for a in (np.full((2, 8), 1e-6, np.float32), np.zeros((2, 8), np.float32), np.full((1, 8), -2.0, np.float32)):
        np.testing.assert_array_equal(qours(tl.from_numpy(a.copy())).numpy(), qref(torch.from_numpy(a.copy())).numpy())


def test_dynamic_linear_repr_and_state_dict_keys():
    qref, qours = _linear_pair(10, 4, 2)
    assert repr(qours) == repr(qref)
    assert list(qours.state_dict()) == list(qref.state_dict())
    sd = qours.state_dict()
    assert sd["0._packed_params.dtype"] is tl.qint8
    assert sd["0.scale"].item() == 1.0 and sd["0.zero_point"].item() == 0


def test_quantized_state_dict_saves_compactly_and_pytorch_reads_it(tmp_path):
    qref, qours = _linear_pair(300, 200, 3)
    path = str(tmp_path / "q.pt")
    tl.save(qours.state_dict(), path)
    buf = io.BytesIO()
    torch.save(qref.state_dict(), buf)
    # the same int8 payload; pickled metadata differs by a few hundred bytes
    assert abs(os.path.getsize(path) - len(buf.getvalue())) < 2048
    loaded = torch.load(path, weights_only=True)
    w = loaded["0._packed_params._packed_params"][0]
    assert w.dtype == torch.qint8 and w.q_scale() == qref[0].weight().q_scale()
    assert torch.equal(w.int_repr(), qref[0].weight().int_repr())


class _LM:
    @staticmethod
    def make(nn, ntoken=20, ninp=8, nhid=12, nlayers=2, rnn="LSTM"):
        class RNNModel(nn.Module):
            def __init__(self):
                super().__init__()
                self.drop = nn.Dropout(0.5)
                self.encoder = nn.Embedding(ntoken, ninp)
                self.rnn = getattr(nn, rnn)(ninp, nhid, nlayers, dropout=0.5)
                self.decoder = nn.Linear(nhid, ntoken)

            def forward(self, x, hidden):
                emb = self.drop(self.encoder(x))
                output, hidden = self.rnn(emb, hidden)
                return self.decoder(self.drop(output)), hidden

        return RNNModel()


@pytest.mark.parametrize("rnn", ["LSTM", "GRU"])
def test_quantize_dynamic_word_language_model(rnn):
    torch.manual_seed(0)
    ref = _LM.make(torch.nn, rnn=rnn)
    ours = _LM.make(tl.nn, rnn=rnn)
    ours.load_state_dict({k: tl.from_numpy(v.numpy().copy()) for k, v in ref.state_dict().items()})
    qref = torch.ao.quantization.quantize_dynamic(ref, {torch.nn.LSTM, torch.nn.GRU, torch.nn.Linear}, dtype=torch.qint8)
    qours = tl.quantization.quantize_dynamic(ours, {tl.nn.LSTM, tl.nn.GRU, tl.nn.Linear}, dtype=tl.qint8)
    assert repr(qours) == repr(qref)
    assert list(qours.state_dict()) == list(qref.state_dict())
    tokens = np.random.default_rng(0).integers(0, 20, (7, 3))
    h = np.random.default_rng(1).standard_normal((2, 3, 12)).astype(np.float32)
    ht = (torch.from_numpy(h), torch.from_numpy(h * 0.5)) if rnn == "LSTM" else torch.from_numpy(h)
    hl = (tl.from_numpy(h.copy()), tl.from_numpy(h * 0.5)) if rnn == "LSTM" else tl.from_numpy(h.copy())
    with torch.no_grad():
        out_t, hid_t = qref(torch.from_numpy(tokens), ht)
    out_l, hid_l = qours(tl.from_numpy(tokens), hl)
    np.testing.assert_allclose(out_l.numpy(), out_t.numpy(), rtol=0, atol=1e-5)
    for a, b in zip(hid_l if rnn == "LSTM" else [hid_l], hid_t if rnn == "LSTM" else [hid_t]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=0, atol=1e-5)


def test_dynamic_lstm_bidirectional_batch_first():
    torch.manual_seed(1)
    ref = torch.nn.LSTM(5, 6, 2, batch_first=True, bidirectional=True)
    ours = tl.nn.LSTM(5, 6, 2, batch_first=True, bidirectional=True)
    ours.load_state_dict({k: tl.from_numpy(v.detach().numpy().copy()) for k, v in ref.state_dict().items()})
    qref = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(ref), {torch.nn.LSTM})[0]
    qours = tl.ao.quantization.quantize_dynamic(tl.nn.Sequential(ours), {tl.nn.LSTM})[0]
    assert repr(qours) == repr(qref)
    xt, xl = _pair((3, 4, 5), 9)
    (yt, (ht, ct)), (yl, (hl, cl)) = qref(xt), qours(xl)
    for a, b in ((yl, yt), (hl, ht), (cl, ct)):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=0, atol=1e-5)


def test_float16_dynamic_linear():
    torch.manual_seed(2)
    ref = torch.nn.Sequential(torch.nn.Linear(9, 4))
    ours = tl.nn.Sequential(tl.nn.Linear(9, 4))
    ours.load_state_dict({k: tl.from_numpy(v.numpy().copy()) for k, v in ref.state_dict().items()})
    qref = torch.ao.quantization.quantize_dynamic(ref, dtype=torch.float16)
    qours = tl.ao.quantization.quantize_dynamic(ours, dtype=tl.float16)
    assert repr(qours) == repr(qref)
    xt, xl = _pair((3, 9), 5)
    np.testing.assert_allclose(qours(xl).numpy(), qref(xt).detach().numpy(), rtol=1e-6, atol=1e-6)


def test_observers_compute_pytorch_qparams():
    xt, xl = _pair((4, 6), 6, 2.0, 0.5)
    for kwargs in ({}, {"dtype": "qint8", "qscheme": "per_tensor_symmetric"}, {"reduce_range": True}):
        kt = {k: getattr(torch, v) if isinstance(v, str) else v for k, v in kwargs.items()}
        kl = {k: getattr(tl, v) if isinstance(v, str) else v for k, v in kwargs.items()}
        ot, ol = torch.ao.quantization.MinMaxObserver(**kt), tl.ao.quantization.MinMaxObserver(**kl)
        ot(xt)
        ol(xl)
        (st, zt), (sl, zl) = ot.calculate_qparams(), ol.calculate_qparams()
        np.testing.assert_array_equal(sl.numpy(), st.numpy())
        np.testing.assert_array_equal(zl.numpy(), zt.numpy())
        assert str(zl.dtype) == str(zt.dtype)
    pt, pl = torch.ao.quantization.PerChannelMinMaxObserver(), tl.ao.quantization.PerChannelMinMaxObserver()
    pt(xt)
    pl(xl)
    for a, b in zip(pl.calculate_qparams(), pt.calculate_qparams()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert repr(tl.ao.quantization.default_dynamic_qconfig) == repr(torch.ao.quantization.default_dynamic_qconfig)


def test_quantized_engine_as_on_x86():
    assert tl.backends.quantized.engine == torch.backends.quantized.engine
    assert tl.backends.quantized.supported_engines == torch.backends.quantized.supported_engines
    with pytest.raises(RuntimeError, match="foo is not a valid value for quantized engine"):
        tl.backends.quantized.engine = "foo"


def test_static_quantization_is_refused_clearly():
    model = tl.nn.Sequential(tl.nn.Linear(2, 2))
    for fn in (tl.quantization.prepare, tl.ao.quantization.convert):
        with pytest.raises(NotImplementedError, match="static"):
            fn(model)


def test_quantize_dynamic_warns_deprecation_and_keeps_original():
    model = tl.nn.Sequential(tl.nn.Linear(2, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        q = tl.ao.quantization.quantize_dynamic(model)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert type(model[0]) is tl.nn.Linear and type(q[0]).__name__ == "Linear"
    assert q[0]._get_name() == "DynamicQuantizedLinear"


@pytest.mark.parametrize("expr", ["q + 1", "q.sum()", "q.abs()", "q.float()", "q.numpy()"])
def test_ordinary_ops_refuse_quantized_tensors(expr):
    """PyTorch refuses these on a quantized tensor (each with its own error); torchlike must never
    compute them on the integer representation as if it were the values."""
    import torch as pt

    q_pt = pt.quantize_per_tensor(pt.tensor([0.5, -1.0, 2.0]), 0.1, 10, pt.quint8)
    with pytest.raises((RuntimeError, NotImplementedError, TypeError)):
        eval(expr, {"q": q_pt})
    q = tl.quantize_per_tensor(tl.tensor([0.5, -1.0, 2.0]), 0.1, 10, tl.quint8)
    with pytest.raises(NotImplementedError, match="QuantizedCPU"):
        eval(expr, {"q": q})
    assert q.dequantize().tolist() == [0.5, -1.0, 2.0]
