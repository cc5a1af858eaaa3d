"""scaled_dot_product_attention and MultiheadAttention against PyTorch: values, gradients, masks,
repr, state_dict, init, errors, dropout, recompiles."""

import math
import warnings

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

rng = np.random.default_rng(0)
TOL = dict(rtol=1e-5, atol=1e-5)
GTOL = dict(rtol=1e-4, atol=1e-5)


def randn(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


def to(lib, x, grad=False):
    if not isinstance(x, np.ndarray):
        return x
    return lib.tensor(x, requires_grad=grad and x.dtype.kind == "f")


def np_of(t):
    return t.detach().numpy()


# -- scaled_dot_product_attention -------------------------------------------------------------


def sdpa_parity(q, k, v, tol=TOL, gtol=GTOL, pt_mask=None, pt_kw=None, **kw):
    """Same inputs through both libraries; compares the output and the gradients of q, k, v and
    of a float mask, for a random projection of the output. ``pt_mask``/``pt_kw``: what PyTorch
    is given instead, where it computes the same thing another way."""
    mask = kw.pop("attn_mask", None)
    ins_p = [to(pt, x, True) for x in (q, k, v, mask if pt_mask is None else pt_mask)]
    ins_t = [to(tl, x, True) for x in (q, k, v, mask)]
    out_p = pt.nn.functional.scaled_dot_product_attention(
        *ins_p[:3], attn_mask=ins_p[3], **(kw if pt_kw is None else pt_kw)
    )
    out_t = tl.nn.functional.scaled_dot_product_attention(*ins_t[:3], attn_mask=ins_t[3], **kw)
    assert tuple(out_t.shape) == tuple(out_p.shape)
    assert str(out_t.dtype) == str(out_p.dtype)
    np.testing.assert_allclose(np_of(out_t), np_of(out_p), **tol)
    w = randn(*out_p.shape, dtype=q.dtype)
    (out_p * pt.tensor(w)).sum().backward()
    (out_t * tl.tensor(w)).sum().backward()
    for a, b in zip(ins_p, ins_t):
        if isinstance(a, pt.Tensor) and a.requires_grad:
            assert np.isfinite(b.grad.numpy()).all()
            np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), **gtol)


def test_sdpa_plain_and_scale():
    q, k, v = randn(2, 3, 4, 8), randn(2, 3, 5, 8), randn(2, 3, 5, 8)
    sdpa_parity(q, k, v)
    sdpa_parity(q, k, v, scale=0.3)


def test_sdpa_bool_mask_with_a_fully_masked_row_gives_zeros():
    q, k, v = randn(2, 3, 4, 8), randn(2, 3, 5, 8), randn(2, 3, 5, 8)
    mask = rng.random((4, 5)) > 0.4
    mask[1] = False  # row 1 attends nowhere: PyTorch gives 0 and zero gradients, not NaN
    sdpa_parity(q, k, v, attn_mask=mask)
    per_batch = rng.random((2, 1, 4, 5)) > 0.5
    sdpa_parity(q, k, v, attn_mask=per_batch)


def test_sdpa_float_mask_including_minus_inf_rows_and_its_gradient():
    q, k, v = randn(2, 3, 4, 8), randn(2, 3, 5, 8), randn(2, 3, 5, 8)
    mask = randn(2, 3, 4, 5)
    mask[0, 1, 2] = -np.inf
    mask[1, 0, :, 3] = -np.inf
    sdpa_parity(q, k, v, attn_mask=mask)


@pytest.mark.parametrize("lq,lk", [(4, 4), (3, 6), (6, 4)])
def test_sdpa_is_causal_is_top_left_aligned(lq, lk):
    sdpa_parity(randn(2, 2, lq, 8), randn(2, 2, lk, 8), randn(2, 2, lk, 8), is_causal=True)


def test_sdpa_mask_and_is_causal_together_combine():
    # PyTorch's CPU flash kernel applies both (only its math fallback refuses the pair)
    # (the same as one mask holding both, which is what PyTorch is given here to compare gradients)
    q, k, v = randn(2, 3, 4, 8), randn(2, 3, 5, 8), randn(2, 3, 5, 8)
    causal = np.tril(np.ones((4, 5), bool))
    mask = randn(4, 5)
    sdpa_parity(
        q, k, v, attn_mask=mask, is_causal=True, pt_mask=np.where(causal, mask, -np.inf), pt_kw={}
    )
    mask = rng.random((4, 5)) > 0.5
    mask[0, 0] = False  # row 0 sees only key 0 under the causal mask: now nothing
    sdpa_parity(q, k, v, attn_mask=mask, is_causal=True, pt_mask=mask & causal, pt_kw={})
    out = pt.nn.functional.scaled_dot_product_attention(
        *(pt.tensor(x) for x in (q, k, v)), attn_mask=pt.tensor(mask), is_causal=True
    )
    ref = pt.nn.functional.scaled_dot_product_attention(
        *(pt.tensor(x) for x in (q, k, v)), attn_mask=pt.tensor(mask & causal)
    )
    np.testing.assert_allclose(out.numpy(), ref.numpy(), **TOL)


def test_sdpa_grouped_query_attention():
    q, k, v = randn(2, 6, 4, 8), randn(2, 2, 5, 8), randn(2, 2, 5, 8)
    sdpa_parity(q, k, v, enable_gqa=True)
    sdpa_parity(q, k, v, enable_gqa=True, is_causal=True)
    sdpa_parity(q, k, v, enable_gqa=True, attn_mask=rng.random((4, 5)) > 0.3)


def test_sdpa_broadcast_batch_dims_and_other_ranks():
    sdpa_parity(randn(2, 3, 4, 8), randn(1, 3, 5, 8), randn(2, 1, 5, 8))
    sdpa_parity(randn(4, 8), randn(5, 8), randn(5, 8))  # 2-d
    sdpa_parity(randn(3, 4, 8), randn(3, 5, 8), randn(3, 5, 8), is_causal=True)  # 3-d
    sdpa_parity(
        randn(2, 2, 3, 4, 8),
        randn(2, 2, 3, 5, 8),
        randn(2, 2, 3, 5, 8),
        attn_mask=rng.random((4, 5)) > 0.3,
    )  # 5-d


def test_sdpa_value_head_size_differs_and_float64():
    sdpa_parity(
        randn(2, 3, 4, 8), randn(2, 3, 5, 8), randn(2, 3, 5, 6), attn_mask=rng.random((4, 5)) > 0.3
    )
    f64 = dict(dtype=np.float64)
    mask = rng.random((4, 5)) > 0.4
    mask[2] = False
    sdpa_parity(
        randn(2, 3, 4, 8, **f64),
        randn(2, 3, 5, 8, **f64),
        randn(2, 3, 5, 8, **f64),
        attn_mask=mask,
        tol=dict(rtol=1e-10, atol=1e-10),
        gtol=dict(rtol=1e-9, atol=1e-10),
    )


@pytest.mark.parametrize("dtype,atol", [("float16", 2e-3), ("bfloat16", 2e-2)])
def test_sdpa_half_precision(dtype, atol):
    # bfloat16 takes jax.nn.dot_product_attention; float16 the explicit path (off GPU)
    q, k, v = randn(2, 2, 4, 8), randn(2, 2, 4, 8), randn(2, 2, 4, 8)
    mask = rng.random((4, 4)) > 0.3
    out_p = pt.nn.functional.scaled_dot_product_attention(
        *(pt.tensor(x).to(getattr(pt, dtype)) for x in (q, k, v)), attn_mask=pt.tensor(mask)
    )
    out_t = tl.nn.functional.scaled_dot_product_attention(
        *(tl.tensor(x).to(getattr(tl, dtype)) for x in (q, k, v)), attn_mask=tl.tensor(mask)
    )
    assert out_t.dtype == getattr(tl, dtype)
    np.testing.assert_allclose(out_t.float().numpy(), out_p.float().numpy(), atol=atol)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            dict(k=randn(2, 3, 5, 8, dtype=np.float64)),
            "Expected query, key, and value to have the same dtype",
        ),
        (
            dict(attn_mask=np.zeros((4, 5), np.int64)),
            "Expected attn_mask dtype to be bool or float",
        ),
        (
            dict(attn_mask=np.zeros((4, 5), np.float64)),
            "Expected attn_mask dtype to be bool or float",
        ),
        (
            dict(k=randn(2, 2, 5, 8), v=randn(2, 2, 5, 8), enable_gqa=True),
            "Number of heads in key and value",
        ),
    ],
)
def test_sdpa_errors_match_pytorch(kwargs, match):
    args = dict(q=randn(2, 3, 4, 8), k=randn(2, 3, 5, 8), v=randn(2, 3, 5, 8))
    args.update(kwargs)
    q, k, v = args.pop("q"), args.pop("k"), args.pop("v")
    for lib in (pt, tl):
        with pytest.raises(RuntimeError, match=match):
            lib.nn.functional.scaled_dot_product_attention(
                to(lib, q), to(lib, k), to(lib, v), **{a: to(lib, b) for a, b in args.items()}
            )


def test_sdpa_kernel_sets_and_restores_backend_flags_as_pytorch():
    def flags(lib):
        c = lib.backends.cuda
        return (c.flash_sdp_enabled(), c.mem_efficient_sdp_enabled(), c.math_sdp_enabled(),
                c.cudnn_sdp_enabled())  # fmt: skip

    seen = []
    for lib in (pt, tl):
        from_mod = __import__(f"{lib.__name__}.nn.attention", fromlist=["sdpa_kernel"])
        backend, sdpa_kernel = from_mod.SDPBackend, from_mod.sdpa_kernel
        row = [[m for m in backend.__members__], int(backend.CUDNN_ATTENTION), str(backend.MATH),
               repr(backend.FLASH_ATTENTION), flags(lib)]  # fmt: skip
        with sdpa_kernel(backend.MATH):
            row.append(flags(lib))
            with sdpa_kernel([backend.FLASH_ATTENTION, backend.EFFICIENT_ATTENTION]):
                row.append(flags(lib))
            row.append(flags(lib))
        lib.backends.cuda.enable_flash_sdp(False)
        row.append(flags(lib))
        lib.backends.cuda.enable_flash_sdp(True)
        with pytest.raises(AssertionError) as info:
            with sdpa_kernel("math"):
                pass
        row.append(str(info.value))
        seen.append(row)
    assert seen[1] == seen[0]


@pytest.mark.parametrize("backends", ["EFFICIENT_ATTENTION", "CUDNN_ATTENTION", None])
def test_sdpa_without_math_or_flash_backend_fails_as_pytorch(backends):
    q = randn(1, 2, 3, 4)
    errors = []
    for lib in (pt, tl):
        attention = __import__(f"{lib.__name__}.nn.attention", fromlist=["sdpa_kernel"])
        chosen = [] if backends is None else getattr(attention.SDPBackend, backends)
        with attention.sdpa_kernel(chosen), pytest.raises(RuntimeError) as info:
            lib.nn.functional.scaled_dot_product_attention(*(lib.tensor(q),) * 3)
        errors.append(str(info.value))
        out = lib.nn.functional.scaled_dot_product_attention(*(lib.tensor(q),) * 3)  # restored
        assert tuple(out.shape) == q.shape
    assert errors[1] == errors[0]


@pytest.mark.parametrize("lq, lk", [(2, 5), (4, 4), (3, 2)])
def test_causal_bias_subclasses_match_pytorch(lq, lk):
    q, k, v = randn(2, 3, lq, 4), randn(2, 3, lk, 4), randn(2, 3, lk, 4)
    results = []
    for lib in (pt, tl):
        bias = __import__(f"{lib.__name__}.nn.attention.bias", fromlist=["causal_lower_right"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lower right with lq > lk: PyTorch warns of NaNs
            upper, lower = bias.causal_upper_left(lq, lk), bias.causal_lower_right(lq, lk)
        sdpa = lib.nn.functional.scaled_dot_product_attention
        qt, kt, vt = (lib.tensor(a) for a in (q, k, v))
        results.append([
            repr(upper), repr(lower), tuple(lower.shape), isinstance(lower, lib.Tensor),
            np_of(sdpa(qt, kt, vt, upper)), np_of(sdpa(qt, kt, vt, attn_mask=lower, scale=0.3)),
        ])  # fmt: skip
        with pytest.raises(ValueError, match="CausalBias should not be used with causal=True"):
            sdpa(qt, kt, vt, upper, is_causal=True)
    for a, b in zip(*results):
        if isinstance(a, np.ndarray):
            np.testing.assert_allclose(b, a, **TOL)
        else:
            assert b == a


def test_sdpa_dropout_scales_kept_weights_and_is_seeded():
    s, p = 8, 0.25
    q = tl.zeros(64, 1, 16, 4)  # uniform attention weights 1/s
    v = tl.ones(64, 1, s, 4)
    tl.manual_seed(3)
    out = tl.nn.functional.scaled_dot_product_attention(q, q[:, :, :s], v, dropout_p=p).numpy()
    kept = out[..., 0] * s * (1 - p)  # the number of kept keys per row
    np.testing.assert_allclose(kept, np.round(kept), atol=1e-4)
    assert 0.7 < kept.mean() / s / (1 - p) < 1.3
    assert abs(out.mean() - 1) < 0.05
    tl.manual_seed(3)
    again = tl.nn.functional.scaled_dot_product_attention(q, q[:, :, :s], v, dropout_p=p).numpy()
    np.testing.assert_array_equal(out, again)


def test_sdpa_dropout_one_gives_zeros_and_finite_gradients():
    q = tl.tensor(randn(1, 2, 3, 4), requires_grad=True)
    out = tl.nn.functional.scaled_dot_product_attention(q, q, q, dropout_p=1.0)
    out.sum().backward()
    assert (out.detach().numpy() == 0).all()
    assert np.isfinite(q.grad.numpy()).all()


# -- MultiheadAttention -----------------------------------------------------------------------


def build_mha(*args, **kwargs):
    pt.manual_seed(0)
    pm = pt.nn.MultiheadAttention(*args, **kwargs)
    tm = tl.nn.MultiheadAttention(*args, **kwargs)
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    # the replaced random init is dead; dropping it now keeps it out of the first test program
    tl.sync()
    return pm, tm


def mha_parity(pm, tm, q, k, v, train=False, self_attention=False, **kw):
    """Outputs, weights and the gradients of the inputs and every parameter."""
    pm.train(train)
    tm.train(train)
    ins_p = [pt.tensor(x, requires_grad=True) for x in (q, k, v)]
    ins_t = [tl.tensor(x, requires_grad=True) for x in (q, k, v)]
    if self_attention:
        ins_p, ins_t = [ins_p[0]] * 3, [ins_t[0]] * 3
    out_p, w_p = pm(*ins_p, **{a: to(pt, b) for a, b in kw.items()})
    out_t, w_t = tm(*ins_t, **{a: to(tl, b) for a, b in kw.items()})
    assert tuple(out_t.shape) == tuple(out_p.shape)
    np.testing.assert_allclose(np_of(out_t), np_of(out_p), equal_nan=True, **TOL)
    assert (w_p is None) == (w_t is None)
    if w_p is not None:
        assert tuple(w_t.shape) == tuple(w_p.shape)
        np.testing.assert_allclose(np_of(w_t), np_of(w_p), equal_nan=True, **TOL)
    if np.isnan(np_of(out_p)).any():
        return
    w = randn(*out_p.shape)
    (out_p * pt.tensor(w)).sum().backward()
    (out_t * tl.tensor(w)).sum().backward()
    for a, b in zip(ins_p[:1] if self_attention else ins_p, ins_t):
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), **GTOL)
    named_t = dict(tm.named_parameters())
    assert list(named_t) == [n for n, _ in pm.named_parameters()]
    for name, p in pm.named_parameters():
        np.testing.assert_allclose(named_t[name].grad.numpy(), p.grad.numpy(), err_msg=name, **GTOL)


L, S, N, E, H = 4, 5, 2, 8, 2
KPM = np.array([[False] * 4 + [True], [False, True, False, False, False]])
ATTN = np.zeros((L, S), bool)
ATTN[0, 1] = ATTN[2, 0] = ATTN[3, 4] = True


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("average", [True, False])
def test_mha_key_padding_and_attn_masks(need_weights, average):
    pm, tm = build_mha(E, H)
    mha_parity(
        pm,
        tm,
        randn(L, N, E),
        randn(S, N, E),
        randn(S, N, E),
        key_padding_mask=KPM,
        attn_mask=ATTN,
        need_weights=need_weights,
        average_attn_weights=average,
    )


def test_mha_float_masks_and_3d_mask_in_train_mode_without_dropout():
    pm, tm = build_mha(E, H)
    mask3 = np.where(rng.random((N * H, L, S)) > 0.7, -np.inf, randn(N * H, L, S)).astype(
        np.float32
    )
    kpm = np.where(KPM, -1e4, 0.0).astype(np.float32)
    mha_parity(
        pm,
        tm,
        randn(L, N, E),
        randn(S, N, E),
        randn(S, N, E),
        train=True,
        key_padding_mask=kpm,
        attn_mask=mask3,
    )
    mha_parity(
        pm,
        tm,
        randn(L, N, E),
        randn(S, N, E),
        randn(S, N, E),
        key_padding_mask=kpm,
        attn_mask=mask3,
        need_weights=False,
    )


@pytest.mark.parametrize("batch_first", [False, True])
def test_mha_batch_first_and_self_attention(batch_first):
    pm, tm = build_mha(E, H, batch_first=batch_first)
    shape = (N, L, E) if batch_first else (L, N, E)
    x = randn(*shape)
    mha_parity(pm, tm, x, x, x, self_attention=True, key_padding_mask=KPM[:, :L])
    mha_parity(pm, tm, x, x, x, self_attention=True, need_weights=False)


def test_mha_kdim_vdim_use_separate_projection_weights():
    pm, tm = build_mha(E, H, kdim=3, vdim=6, batch_first=True)
    assert list(tm.state_dict()) == list(pm.state_dict())
    assert tm.in_proj_weight is None and tuple(tm.k_proj_weight.shape) == (E, 3)
    mha_parity(pm, tm, randn(N, L, E), randn(N, S, 3), randn(N, S, 6), key_padding_mask=KPM)
    mha_parity(
        pm, tm, randn(N, L, E), randn(N, S, 3), randn(N, S, 6), need_weights=False, attn_mask=ATTN
    )


def test_mha_bias_kv_zero_attn_and_no_bias():
    pm, tm = build_mha(E, H, add_bias_kv=True, add_zero_attn=True)
    mha_parity(
        pm, tm, randn(L, N, E), randn(S, N, E), randn(S, N, E), key_padding_mask=KPM, attn_mask=ATTN
    )
    mha_parity(
        pm, tm, randn(L, N, E), randn(S, N, E), randn(S, N, E), need_weights=False, attn_mask=ATTN
    )
    pm, tm = build_mha(E, H, bias=False)
    assert list(tm.state_dict()) == ["in_proj_weight", "out_proj.weight"]
    mha_parity(pm, tm, randn(L, N, E), randn(S, N, E), randn(S, N, E), attn_mask=ATTN)


def test_mha_unbatched_inputs():
    pm, tm = build_mha(E, H, batch_first=True)  # batch_first is ignored for unbatched input
    mha_parity(
        pm,
        tm,
        randn(L, E),
        randn(S, E),
        randn(S, E),
        key_padding_mask=KPM[1],
        attn_mask=rng.random((H, L, S)) > 0.8,
        average_attn_weights=False,
    )


def test_mha_is_causal_hint():
    pm, tm = build_mha(E, H)
    x = randn(L, N, E)
    causal = np.triu(np.ones((L, L), bool), 1)
    mha_parity(pm, tm, x, x, x, attn_mask=causal, is_causal=True, need_weights=False)
    mha_parity(pm, tm, x, x, x, attn_mask=causal, is_causal=True, key_padding_mask=KPM[:, :L])
    for lib, m in ((pt, pm), (tl, tm)):
        with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
            m(to(lib, x), to(lib, x), to(lib, x), is_causal=True)


def test_mha_fully_masked_rows_nan_with_weights_zero_without():
    pm, tm = build_mha(E, H)
    kpm = KPM.copy()
    kpm[0] = True
    mha_parity(pm, tm, randn(L, N, E), randn(S, N, E), randn(S, N, E), key_padding_mask=kpm)
    mha_parity(
        pm,
        tm,
        randn(L, N, E),
        randn(S, N, E),
        randn(S, N, E),
        key_padding_mask=kpm,
        need_weights=False,
    )


def test_functional_mha_with_static_k_v():
    pm, _ = build_mha(E, H)
    q = randn(L, N, E)
    sk, sv = randn(N * H, S, E // H), randn(N * H, S, E // H)
    args = lambda lib, m: (
        E,
        H,
        m["in_proj_weight"],
        m["in_proj_bias"],
        None,
        None,
        False,
        0.0,  # noqa: E731
        m["out_proj.weight"],
        m["out_proj.bias"],
    )
    sd = {k: v.detach().numpy() for k, v in pm.state_dict().items()}
    outs = []
    for lib in (pt, tl):
        m = {k: lib.tensor(v) for k, v in sd.items()}
        outs.append(
            lib.nn.functional.multi_head_attention_forward(
                lib.tensor(q),
                lib.tensor(q),
                lib.tensor(q),
                *args(lib, m),
                training=False,
                static_k=lib.tensor(sk),
                static_v=lib.tensor(sv),
                key_padding_mask=lib.tensor(KPM),
                average_attn_weights=False,
            )
        )
    for a, b in zip(*outs):
        np.testing.assert_allclose(np_of(b), np_of(a), **TOL)


def test_mha_repr_state_dict_and_init():
    for kwargs in ({}, dict(kdim=3, vdim=5, add_bias_kv=True), dict(bias=False)):
        pm = pt.nn.MultiheadAttention(16, 4, **kwargs)
        tm = tl.nn.MultiheadAttention(16, 4, **kwargs)
        assert repr(tm) == repr(pm)
        assert [(k, tuple(v.shape)) for k, v in tm.state_dict().items()] == [
            (k, tuple(v.shape)) for k, v in pm.state_dict().items()
        ]
    assert (
        "(out_proj): NonDynamicallyQuantizableLinear(in_features=16, out_features=16, bias=True)"
        in repr(tm)
        or "bias=False" in repr(tm)
    )
    assert isinstance(tl.nn.MultiheadAttention(4, 2).out_proj, tl.nn.Linear)
    tm = tl.nn.MultiheadAttention(64, 4)
    w = tm.in_proj_weight.detach().numpy()
    bound = math.sqrt(6 / (64 + 3 * 64))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.1 * bound
    assert (
        not tm.in_proj_bias.detach().numpy().any() and not tm.out_proj.bias.detach().numpy().any()
    )
    ow = tm.out_proj.weight.detach().numpy()
    assert np.abs(ow).max() <= 1 / math.sqrt(64)
    bk = tl.nn.MultiheadAttention(64, 4, add_bias_kv=True).bias_k.detach().numpy()
    assert abs(bk.std() - math.sqrt(2 / (64 + 64))) < 0.06  # xavier_normal_ of (1, 1, 64)


def test_mha_constructor_and_shape_errors():
    for lib in (pt, tl):
        with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
            lib.nn.MultiheadAttention(10, 3)
        with pytest.raises(ValueError, match="embed_dim and num_heads must be greater than 0"):
            lib.nn.MultiheadAttention(0, 2)
        m = lib.nn.MultiheadAttention(E, H)
        x = lib.tensor(randn(L, N, E))
        with pytest.raises(AssertionError, match="expected `key` and `value` to be 3-D"):
            m(x, lib.tensor(randn(S, E)), lib.tensor(randn(S, E)))
        with pytest.raises(
            RuntimeError, match=r"The shape of the 2D attn_mask is .* but should be \(4, 4\)"
        ):
            m(x, x, x, attn_mask=lib.tensor(np.zeros((3, 4), bool)))
        with pytest.raises(AssertionError, match="Expected key_padded_mask.shape"):
            m(x, x, x, key_padding_mask=lib.tensor(np.zeros((N, 3), bool)))
        with pytest.raises(
            AssertionError, match="only bool and floating types of key_padding_mask"
        ):
            m(x, x, x, key_padding_mask=lib.tensor(np.zeros((N, L), np.int64)))
        with pytest.raises(
            AssertionError, match="was expecting embedding dimension of 8, but got 6"
        ):
            m(lib.tensor(randn(L, N, 6)), x, x)


def test_mha_mismatched_mask_types_warn():
    _, tm = build_mha(E, H)
    x = tl.tensor(randn(L, N, E))
    with pytest.warns(
        UserWarning, match="Support for mismatched key_padding_mask and attn_mask is deprecated"
    ):
        tm(x, x, x, key_padding_mask=tl.tensor(KPM[:, :L]), attn_mask=tl.zeros(L, L))


def test_mha_dropout_only_in_train_mode():
    tm = tl.nn.MultiheadAttention(E, H, dropout=0.5)
    x = tl.tensor(randn(L, N, E))
    tm.eval()
    a, wa = tm(x, x, x)
    b, _ = tm(x, x, x)
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    np.testing.assert_allclose(wa.detach().numpy().sum(-1), 1, rtol=1e-5)
    tm.train()
    c, wc = tm(x, x, x, average_attn_weights=False)
    zeros = (wc.detach().numpy() == 0).mean()
    assert 0.2 < zeros < 0.8  # the returned weights are the dropped-out ones, as in PyTorch
    assert not np.allclose(c.detach().numpy(), a.detach().numpy())


def test_mha_training_loop_does_not_recompile():
    tm = tl.nn.MultiheadAttention(E, H, dropout=0.1, batch_first=True)
    opt = tl.optim.SGD(tm.parameters(), lr=0.1)
    x, y = tl.tensor(randn(N, L, E)), tl.tensor(randn(N, L, E))
    kpm = tl.tensor(KPM[:, :L])
    losses = []
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*keeps compiling")  # no recompile warning either
        for step in range(10):
            if step == 3:
                compiles = tl.metrics.counters()["compiles"]
            opt.zero_grad()
            out, _ = tm(x, x, x, key_padding_mask=kpm, need_weights=False)
            loss = ((out - y) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    assert tl.metrics.counters()["compiles"] == compiles
    assert losses[-1] < losses[0]
