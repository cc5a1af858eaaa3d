"""Transformer, TransformerEncoder/Decoder and their layers against PyTorch: outputs, gradients of
inputs and every parameter, masks, repr, state_dict, init, errors, and a training loop."""

import math
import warnings

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

rng = np.random.default_rng(0)
TOL = dict(rtol=1e-5, atol=1e-5)
GTOL = dict(rtol=1e-4, atol=2e-5)
D, NHEAD, FF = 16, 2, 32


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def per_lib(lib, value):
    """A constructor argument; a library-specific one (an activation) is given as a lambda of the library."""
    return value(lib) if getattr(value, "__name__", "") == "<lambda>" else value


def build(name, *args, **kwargs):
    pt.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pm, tm = (
            getattr(lib.nn, name)(
                *(per_lib(lib, a) for a in args), **{k: per_lib(lib, v) for k, v in kwargs.items()}
            )
            for lib in (pt, tl)
        )
    assert repr(tm) == repr(pm)
    assert [(k, tuple(v.shape)) for k, v in tm.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in pm.state_dict().items()
    ]
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    # the replaced random init is dead; dropping it now keeps it out of the first test program
    tl.sync()
    return pm, tm


def to(lib, x, grad=False):
    if not isinstance(x, np.ndarray):
        return x
    return lib.tensor(x, requires_grad=grad and x.dtype.kind == "f")


def check(pm, tm, inputs, train=False, grad=True, **kw):
    """Forward both with the same inputs and keyword masks; compare outputs and the gradients of
    the float inputs and of every parameter."""
    pm.train(train)
    tm.train(train)
    ins_p = [to(pt, x, grad) for x in inputs]
    ins_t = [to(tl, x, grad) for x in inputs]
    out_p = pm(*ins_p, **{k: to(pt, v) for k, v in kw.items()})
    out_t = tm(*ins_t, **{k: to(tl, v) for k, v in kw.items()})
    assert tuple(out_t.shape) == tuple(out_p.shape)
    if grad:  # backward before reading anything: forward and backward are then one program
        w = randn(*out_p.shape)
        (out_p * pt.tensor(w)).sum().backward()
        (out_t * tl.tensor(w)).sum().backward()
    np.testing.assert_allclose(out_t.detach().numpy(), out_p.detach().numpy(), **TOL)
    if not grad:
        return
    for a, b in zip(ins_p, ins_t):
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), **GTOL)
    named_t = dict(tm.named_parameters())
    for name, p in pm.named_parameters():
        np.testing.assert_allclose(named_t[name].grad.numpy(), p.grad.numpy(), err_msg=name, **GTOL)


def causal(n):
    return np.triu(np.full((n, n), -np.inf, np.float32), 1)


KPM5 = np.array([[False] * 4 + [True], [False, False, False, True, True]])
KPM4 = np.array([[False] * 4, [False, False, True, True]])


@pytest.mark.parametrize("norm_first,activation", [(False, "relu"), (True, "gelu")])
def test_encoder_layer_masks_norm_first_activation(norm_first, activation):
    pm, tm = build("TransformerEncoderLayer", D, NHEAD, FF, 0.0, activation, norm_first=norm_first)
    check(pm, tm, [randn(5, 2, D)], train=True, src_mask=causal(5), src_key_padding_mask=KPM5)


def test_encoder_layer_batch_first_module_activation_and_bool_masks():
    gelu_tanh = lambda lib: lib.nn.GELU(approximate="tanh")  # noqa: E731
    pm, tm = build(
        "TransformerEncoderLayer",
        D,
        NHEAD,
        FF,
        0.0,
        gelu_tanh,
        batch_first=True,
        layer_norm_eps=1e-6,
    )
    assert "(activation): GELU(approximate='tanh')" in repr(tm)
    attn = np.zeros((5, 5), bool)
    attn[1, 3] = attn[4, 0] = True
    check(pm, tm, [randn(2, 5, D)], src_mask=attn, src_key_padding_mask=KPM5, is_causal=False)
    check(pm, tm, [randn(5, D)], grad=False, src_mask=causal(5), is_causal=True)  # unbatched
    silu = lambda lib: lib.nn.functional.silu  # noqa: E731
    pm, tm = build("TransformerEncoderLayer", D, NHEAD, FF, 0.0, silu, bias=False)
    assert tm.activation_relu_or_gelu == 0
    check(pm, tm, [randn(5, 2, D)], grad=False, src_key_padding_mask=KPM5)


def test_decoder_layer_all_masks():
    pm, tm = build("TransformerDecoderLayer", D, NHEAD, FF, 0.0, "gelu", norm_first=True)
    mem_mask = np.zeros((4, 5), bool)
    mem_mask[0, 2] = mem_mask[3, 1] = True
    check(
        pm,
        tm,
        [randn(4, 2, D), randn(5, 2, D)],
        train=True,
        tgt_mask=causal(4),
        memory_mask=mem_mask,
        tgt_key_padding_mask=KPM4,
        memory_key_padding_mask=KPM5,
    )
    check(
        pm, tm, [randn(4, 2, D), randn(5, 2, D)], grad=False, tgt_mask=causal(4), tgt_is_causal=True
    )


def stacks(lib):
    enc_layer = lib.nn.TransformerEncoderLayer(D, NHEAD, FF, 0.0, batch_first=True)
    enc = lib.nn.TransformerEncoder(
        enc_layer, 2, norm=lib.nn.LayerNorm(D), enable_nested_tensor=False
    )
    dec_layer = lib.nn.TransformerDecoderLayer(D, NHEAD, FF, 0.0, batch_first=True, norm_first=True)
    return enc, lib.nn.TransformerDecoder(dec_layer, 2)


def test_encoder_and_decoder_stacks():
    pt.manual_seed(1)
    pair = list(zip(stacks(pt), stacks(tl)))
    for pm, tm in pair:
        assert repr(tm) == repr(pm)
        assert list(tm.state_dict()) == list(pm.state_dict())
        tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    (pe, te), (pd, td) = pair
    assert (
        te.layers[0] is not te.layers[1]
        and te.layers[0].linear1.weight is not te.layers[1].linear1.weight
    )
    check(pe, te, [randn(2, 5, D)], mask=causal(5), src_key_padding_mask=KPM5)
    check(
        pd,
        td,
        [randn(2, 4, D), randn(2, 5, D)],
        grad=False,
        tgt_mask=causal(4),
        memory_key_padding_mask=KPM5,
    )


def test_full_transformer_outputs_and_all_gradients():
    pm, tm = build(
        "Transformer",
        d_model=D,
        nhead=NHEAD,
        num_encoder_layers=2,
        num_decoder_layers=2,
        dim_feedforward=FF,
        dropout=0.0,
    )
    mask = tl.nn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(
        mask.numpy(), pt.nn.Transformer.generate_square_subsequent_mask(4).numpy()
    )
    assert mask.dtype == tl.float32
    check(
        pm,
        tm,
        [randn(5, 2, D), randn(4, 2, D)],
        train=True,
        tgt_mask=causal(4),
        src_key_padding_mask=KPM5,
        tgt_key_padding_mask=KPM4,
        memory_key_padding_mask=KPM5,
    )
    check(
        pm,
        tm,
        [randn(5, 2, D), randn(4, 2, D)],
        grad=False,
        src_mask=np.zeros((5, 5), np.float32),
        tgt_mask=causal(4),
        tgt_is_causal=True,
        memory_mask=randn(4, 5),
    )


def test_transformer_batch_first_norm_first():
    pm, tm = build(
        "Transformer", D, NHEAD, 1, 2, FF, 0.0, "gelu", batch_first=True, norm_first=True
    )
    check(
        pm,
        tm,
        [randn(2, 5, D), randn(2, 4, D)],
        grad=False,
        tgt_mask=causal(4),
        src_key_padding_mask=KPM5,
    )


def test_eval_without_grad_matches_pytorch_fast_paths():
    # PyTorch runs its fused/nested-tensor inference paths here; outputs at padded source
    # positions are zeroed before the encoder's final norm.
    pm, tm = build("Transformer", D, NHEAD, 2, 1, FF, 0.1, batch_first=True)
    assert tm.encoder.use_nested_tensor
    src, tgt = randn(2, 5, D), randn(2, 4, D)
    pm.eval(), tm.eval()
    with pt.no_grad(), tl.no_grad():
        for kpm in (KPM5, np.array([[False, True, False, False, False], [False] * 5])):
            mem_p = pm.encoder(pt.tensor(src), src_key_padding_mask=pt.tensor(kpm))
            mem_t = tm.encoder(tl.tensor(src), src_key_padding_mask=tl.tensor(kpm))
            np.testing.assert_allclose(mem_t.numpy(), mem_p.numpy(), **TOL)
        out_p = pm(pt.tensor(src), pt.tensor(tgt), src_key_padding_mask=pt.tensor(KPM5))
        out_t = tm(tl.tensor(src), tl.tensor(tgt), src_key_padding_mask=tl.tensor(KPM5))
        np.testing.assert_allclose(out_t.numpy(), out_p.numpy(), **TOL)


def test_nested_tensor_warning_matches_pytorch():
    for lib in (pt, tl):
        layer = lib.nn.TransformerEncoderLayer(D, NHEAD, FF, norm_first=True)
        with pytest.warns(
            UserWarning,
            match="enable_nested_tensor is True, but self.use_nested_tensor is False "
            "because encoder_layer.norm_first was True",
        ):
            enc = lib.nn.TransformerEncoder(layer, 1)
        assert enc.use_nested_tensor is False and enc.enable_nested_tensor is True
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lib.nn.TransformerEncoder(
                lib.nn.TransformerEncoderLayer(D, NHEAD, FF, batch_first=True), 1
            )


def test_default_transformer_repr_state_dict_and_init():
    pt.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pm, tm = pt.nn.Transformer(), tl.nn.Transformer()
    assert repr(tm) == repr(pm)
    assert [(k, tuple(v.shape)) for k, v in tm.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in pm.state_dict().items()
    ]
    assert "layers.0.self_attn.in_proj_weight" in "".join(tm.encoder.state_dict())
    assert (tm.d_model, tm.nhead, tm.batch_first) == (512, 8, False)
    layer = tm.encoder.layers[0]
    assert layer.dropout.p == 0.1 and layer.norm1.eps == 1e-5 and layer.linear1.out_features == 2048
    assert layer.activation is tl.nn.functional.relu and layer.activation_relu_or_gelu == 1


def test_transformer_init_is_xavier_uniform_for_matrices():
    m = tl.nn.Transformer(64, 2, 1, 0, 256, custom_decoder=tl.nn.Identity())
    layer = m.encoder.layers[0]
    for w, fan in ((layer.linear1.weight, 64 + 256), (layer.self_attn.in_proj_weight, 64 + 192)):
        w = w.detach().numpy()
        bound = math.sqrt(6 / fan)
        assert bound * 0.95 < np.abs(w).max() <= bound
        assert abs(w.std() - bound / math.sqrt(3)) < 0.03 * bound
    assert not layer.self_attn.in_proj_bias.detach().numpy().any()
    assert np.all(layer.norm1.weight.detach().numpy() == 1)
    b = layer.linear1.bias.detach().numpy()  # vectors keep their layer's own init
    assert np.abs(b).max() <= 1 / math.sqrt(64) and b.std() > 0


def test_custom_encoder_decoder_and_errors():
    enc, dec = tl.nn.Identity(), tl.nn.Linear(D, D)
    m = tl.nn.Transformer(D, NHEAD, custom_encoder=enc, custom_decoder=tl.nn.Identity())
    assert m.encoder is enc and list(m.state_dict()) == []
    del dec
    for lib in (pt, tl):
        with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
            lib.nn.TransformerEncoderLayer(D, NHEAD, activation="tanh")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = lib.nn.Transformer(D, NHEAD, 1, 1, FF)
        with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
            m(lib.tensor(randn(5, 2, D)), lib.tensor(randn(4, 3, D)))
        with pytest.raises(
            RuntimeError, match="the feature number of src and tgt must be equal to d_model"
        ):
            m(lib.tensor(randn(5, 2, D)), lib.tensor(randn(4, 2, 8)))


def test_transformer_training_loop_does_not_recompile():
    pm, m = build("Transformer", D, NHEAD, 1, 1, FF, 0.1, batch_first=True)
    opt = tl.optim.SGD(m.parameters(), lr=0.05)
    src, tgt, y = tl.tensor(randn(2, 5, D)), tl.tensor(randn(2, 4, D)), tl.tensor(randn(2, 4, D))
    mask = tl.nn.Transformer.generate_square_subsequent_mask(4)
    kpm = tl.tensor(KPM5)
    losses = []
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*keeps compiling")  # no recompile warning either
        for step in range(10):
            if step == 3:
                compiles = tl.metrics.counters()["compiles"]
            opt.zero_grad()
            out = m(src, tgt, tgt_mask=mask, src_key_padding_mask=kpm, tgt_is_causal=True)
            loss = ((out - y) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    assert tl.metrics.counters()["compiles"] == compiles
    assert losses[-1] < losses[0]
