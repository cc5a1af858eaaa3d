"""The nn / nn.functional / nn.utils / nn.init names a dir() comparison with PyTorch found missing,
each against real PyTorch: values, gradients, init, reprs, state_dict keys, warnings and errors."""

import warnings

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl  # noqa: E402

RNG = np.random.default_rng(0)


def _t(lib, a, **kw):
    return lib.tensor(np.asarray(a), **kw)


def _np(t):
    return t.detach().numpy()


def _close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(_np(b), _np(a), rtol=rtol, atol=atol)


def _errors(fn):
    """fn(lib) under both libraries must raise the same exception type and message."""
    out = []
    for lib in (pt, tl):
        with pytest.raises(Exception) as e:
            fn(lib)
        out.append((type(e.value).__name__, str(e.value)))
    assert out[0] == out[1]


def _warns(fn):
    out = []
    for lib in (pt, tl):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            fn(lib)
        out.append([(x.category.__name__, str(x.message)) for x in w])
    assert out[0] and out[0] == out[1]


# -- lazy norms -------------------------------------------------------------------------------------
LAZY = [
    ("LazyBatchNorm1d", (4, 3), {}),
    ("LazyBatchNorm2d", (2, 3, 4, 4), {"affine": False}),
    ("LazyBatchNorm3d", (2, 3, 2, 2, 2), {"momentum": None, "bias": False}),
    ("LazyInstanceNorm1d", (2, 3, 5), {}),
    ("LazyInstanceNorm2d", (2, 3, 4, 4), {"affine": False, "track_running_stats": False}),
    ("LazyInstanceNorm3d", (2, 3, 2, 3, 2), {"eps": 1e-3}),
]


@pytest.mark.parametrize("name,shape,kw", LAZY, ids=[c[0] for c in LAZY])
def test_lazy_norm_placeholders_then_the_plain_module(name, shape, kw):
    x = RNG.standard_normal(shape).astype(np.float32)
    res = []
    for lib in (pt, tl):
        m = getattr(lib.nn, name)(**kw)
        before = (repr(m), [(k, repr(v) if "Uninit" in type(v).__name__ else v.tolist()) for k, v in m.state_dict().items()])
        y = m(_t(lib, x))
        y2 = m(_t(lib, x) * 2)  # the second call runs the plain class
        after = (repr(m), type(m).__name__, {k: v.detach().numpy() for k, v in m.state_dict().items()})
        res.append((before, after, _np(y), _np(y2)))
    (pb, pa, py, py2), (tb, ta, ty, ty2) = res
    assert pb == tb
    assert pa[:2] == ta[:2]
    assert list(pa[2]) == list(ta[2])
    for k in pa[2]:
        np.testing.assert_allclose(ta[2][k], pa[2][k], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ty, py, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ty2, py2, rtol=1e-4, atol=1e-5)


def test_lazy_norm_parameters_are_materialised_in_place():
    m = tl.nn.LazyBatchNorm1d()
    params = list(m.parameters())
    assert [repr(p) for p in params] == ["<UninitializedParameter>"] * 2
    opt = tl.optim.SGD(m.parameters(), lr=0.1)
    m(tl.randn(4, 3)).sum().backward()
    opt.step()
    assert params[0] is m.weight and type(m.weight) is tl.nn.Parameter and m.weight.shape == (3,)


def test_lazy_norm_loads_a_state_dict():
    src = pt.nn.BatchNorm2d(3)
    src.running_mean.fill_(0.5)
    res = []
    for lib in (pt, tl):
        m = lib.nn.LazyBatchNorm2d()
        m.load_state_dict({k: _t(lib, v.numpy()) for k, v in src.state_dict().items()})
        m.eval()
        res.append((repr(m), type(m).__name__, _np(m(_t(lib, np.ones((1, 3, 2, 2), np.float32)))), repr(m)))
    assert res[0][:2] == res[1][:2] and res[0][3] == res[1][3]
    np.testing.assert_allclose(res[1][2], res[0][2], rtol=1e-6)


def test_uninitialized_buffer():
    for lib in (pt, tl):
        b = lib.nn.UninitializedBuffer()
        assert repr(b) == "<UninitializedBuffer>" and not b.requires_grad
        b.materialize((2, 3))
        assert type(b) is lib.Tensor and tuple(b.shape) == (2, 3)
    assert tl.nn.UninitializedParameter().requires_grad


# -- Container, CrossMapLRN2d -----------------------------------------------------------------------
def test_container_is_deprecated():
    _warns(lambda lib: lib.nn.Container(a=lib.nn.ReLU()))

    def sub(lib):
        class Net(lib.nn.Container):
            pass

        return Net

    _warns(sub)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert repr(tl.nn.Container(a=tl.nn.ReLU())) == repr(pt.nn.Container(a=pt.nn.ReLU()))


@pytest.mark.parametrize("size,channels", [(5, 7), (4, 6), (3, 2), (5, 12)])
def test_cross_map_lrn2d_values_and_gradient(size, channels):
    x = RNG.standard_normal((2, channels, 3, 4)).astype(np.float32)
    g = RNG.standard_normal((2, channels, 3, 4)).astype(np.float32)
    res = []
    for lib in (pt, tl):
        m = lib.nn.CrossMapLRN2d(size, alpha=0.5, beta=0.75, k=2)
        xt = _t(lib, x, requires_grad=True)
        y = m(xt)
        y.backward(_t(lib, g))
        res.append((y, xt.grad, repr(m), type(y.grad_fn).__name__))
    _close(res[0][0], res[1][0])
    _close(res[0][1], res[1][1])
    assert res[0][2:] == res[1][2:]


def test_cross_map_lrn2d_wants_4d_input():
    _errors(lambda lib: lib.nn.CrossMapLRN2d(3)(lib.ones(2, 3, 4)))


# -- AdaptiveLogSoftmaxWithLoss ---------------------------------------------------------------------
def _asm(lib, **kw):
    lib.manual_seed(0)
    return lib.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [4, 10], div_value=2.0, **kw)


def test_adaptive_log_softmax_init_repr_and_state_dict_match():
    pm, tm = _asm(pt), _asm(tl)
    assert repr(pm) == repr(tm)
    ps, ts = pm.state_dict(), tm.state_dict()
    assert list(ps) == list(ts) == ["head.weight", "tail.0.0.weight", "tail.0.1.weight", "tail.1.0.weight", "tail.1.1.weight"]
    for k in ps:
        _close(ps[k], ts[k], 0, 0)  # the same seed gives the same weights
    assert list(_asm(tl, head_bias=True).state_dict())[:2] == ["head.weight", "head.bias"]


def test_adaptive_log_softmax_forward_backward_log_prob_predict():
    x = RNG.standard_normal((6, 16)).astype(np.float32)
    target = [0, 3, 5, 12, 19, 4]
    res = []
    for lib in (pt, tl):
        m = _asm(lib)
        xt = _t(lib, x, requires_grad=True)
        out = m(xt, lib.tensor(target))
        out.loss.backward()
        single = m(xt[0], lib.tensor(target[0]))
        with lib.no_grad():
            lp = m.log_prob(xt)
            pred = m.predict(_t(lib, x * 4))
        res.append((out, xt.grad, m.tail[1][1].weight.grad, single, lp, pred, type(out).__name__, out._fields))
    (po, pg, pw, ps1, plp, ppred, pn, pf), (to, tg, tw, ts1, tlp, tpred, tn, tf) = res
    assert (pn, pf) == (tn, tf) == ("_ASMoutput", ("output", "loss"))
    _close(po.output, to.output)
    _close(po.loss, to.loss)
    _close(pg, tg)
    _close(pw, tw)
    _close(ps1.output, ts1.output)
    assert tuple(ts1.output.shape) == ()
    _close(plp, tlp)
    assert ppred.tolist() == tpred.tolist()


@pytest.mark.parametrize(
    "case",
    [
        lambda lib, m: m(lib.randn(5, 16), lib.tensor([0, 1, 2, 3, 25])),
        lambda lib, m: m(lib.randn(5, 16), lib.tensor([0, 1, 2, 3, -1])),
        lambda lib, m: m(lib.randn(5, 16), lib.tensor([0, 1])),
        lambda lib, m: m(lib.randn(5, 16), lib.tensor([[0, 1]])),
        lambda lib, m: m(lib.randn(2, 16), lib.tensor(1)),
        lambda lib, m: lib.nn.AdaptiveLogSoftmaxWithLoss(16, 20, []),
        lambda lib, m: lib.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 3]),
        lambda lib, m: lib.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 20]),
    ],
    ids=["high", "negative", "batch", "2d-target", "0d-target", "no-cutoffs", "unsorted", "too-large"],
)
def test_adaptive_log_softmax_errors_match(case):
    _errors(lambda lib: case(lib, _asm(lib)))


# -- fractional max pooling ------------------------------------------------------------------------
FRACTIONAL = [
    (2, (2, 3, 9, 8), 3, {"output_size": (4, 5)}),
    (2, (3, 9, 8), (2, 3), {"output_size": (5, 3)}),
    (2, (2, 2, 10, 11), 2, {"output_ratio": (0.5, 0.5)}),
    (3, (2, 3, 7, 9, 9), (3, 2, 3), {"output_size": (4, 5, 6)}),
    (3, (2, 6, 7, 8), 2, {"output_ratio": (0.5, 0.6, 0.7)}),
]


@pytest.mark.parametrize("nd,shape,k,kw", FRACTIONAL, ids=[str(i) for i in range(len(FRACTIONAL))])
@pytest.mark.parametrize("seed", [0, 7])
def test_fractional_max_pool_equals_pytorch_under_the_same_seed(nd, shape, k, kw, seed):
    x = RNG.standard_normal(shape).astype(np.float32)
    g = None
    res = []
    for lib in (pt, tl):
        lib.manual_seed(seed)
        xt = _t(lib, x, requires_grad=True)
        y, idx = getattr(lib.nn.functional, f"fractional_max_pool{nd}d")(xt, k, return_indices=True, **kw)
        if g is None:
            g = RNG.standard_normal(tuple(y.shape)).astype(np.float32)
        y.backward(_t(lib, g))
        after = lib.rand(3)  # the generator advanced by the same draws
        res.append((_np(y), idx.numpy(), str(idx.dtype), _np(xt.grad), _np(after), type(y.grad_fn).__name__))
    p, t = res
    np.testing.assert_array_equal(t[0], p[0])
    np.testing.assert_array_equal(t[1], p[1])
    assert t[2].replace("torchlike", "torch") == p[2]
    np.testing.assert_allclose(t[3], p[3], rtol=1e-6)
    np.testing.assert_array_equal(t[4], p[4])
    assert t[5] == p[5]


def test_fractional_max_pool_modules_and_random_samples():
    x = RNG.standard_normal((2, 3, 9, 9)).astype(np.float32)
    s = RNG.random((2, 3, 2)).astype(np.float32)
    res = []
    for lib in (pt, tl):
        m = lib.nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.5), return_indices=True, _random_samples=_t(lib, s))
        y, i = m(_t(lib, x))
        m3 = lib.nn.FractionalMaxPool3d(2, output_size=3)
        fn = lib.nn.functional.fractional_max_pool2d_with_indices(_t(lib, x), 2, (4, 4), None, False, _t(lib, s))
        res.append((repr(m), repr(m3), list(m.state_dict()), _np(y), i.numpy(), _np(fn[0]), fn[1].numpy()))
    assert res[0][:3] == res[1][:3]
    for a, b in zip(res[0][3:], res[1][3:]):
        np.testing.assert_array_equal(b, a)


def test_fractional_max_pool_nan_and_ties_pick_as_aten():
    x = np.zeros((1, 1, 6, 6), np.float32)
    x[0, 0, 1, 1] = x[0, 0, 2, 2] = np.nan
    s = np.full((1, 1, 2), 0.3, np.float32)
    out = [
        lib.nn.functional.fractional_max_pool2d(_t(lib, x), 3, (3, 3), return_indices=True, _random_samples=_t(lib, s))[1].numpy()
        for lib in (pt, tl)
    ]
    np.testing.assert_array_equal(out[1], out[0])


@pytest.mark.parametrize(
    "case",
    [
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 7, output_size=4),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_size=(4, 8)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), (2, 2, 2), output_size=3),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_size=(4, 5, 6)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 4, 9, 8), 3, output_size=(4, 5)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 0, 9, 8), 3, output_size=(4, 5)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_size=(4, 5), _random_samples=lib.rand(1, 3, 2)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_size=(4, 5), _random_samples=lib.rand(2, 2, 2)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_size=(4, 5), _random_samples=lib.rand(2, 3, 3)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_size=(4, 5), _random_samples=lib.rand(2, 3)),
        lambda lib, F: F.fractional_max_pool2d(
            lib.randn(2, 3, 9, 8), 3, output_size=(4, 5), _random_samples=lib.rand(2, 3, 2, dtype=lib.float64)
        ),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_ratio=(0.5, 0.5, 0.5)),
        lambda lib, F: F.fractional_max_pool2d(lib.randn(2, 3, 9, 8), 3, output_ratio=0.5),
        lambda lib, F: F.fractional_max_pool3d(lib.randn(2, 3, 6, 9, 8), 3, output_size=(4, 5, 6)),
        lambda lib, F: F.fractional_max_pool3d(lib.randn(2, 3, 7, 9, 8), 3, output_size=(4, 5, 6)),
        lambda lib, F: F.fractional_max_pool3d(lib.randn(2, 3, 7, 9, 9), (3, 3), output_size=(4, 5, 6)),
        lambda lib, F: F.fractional_max_pool3d(lib.randn(2, 3, 7, 9, 9), 3, output_size=(4, 5)),
        lambda lib, F: F.fractional_max_pool3d(
            lib.randn(2, 3, 7, 9, 9), 3, output_size=(4, 5, 6), _random_samples=lib.rand(2, 3, 2)
        ),
        lambda lib, F: lib.nn.FractionalMaxPool2d(3),
        lambda lib, F: lib.nn.FractionalMaxPool2d(3, 2, 0.5),
        lambda lib, F: lib.nn.FractionalMaxPool2d(3, output_ratio=1.5),
        lambda lib, F: lib.nn.FractionalMaxPool3d((2, 0, 1), output_ratio=0.5),
    ],
)
def test_fractional_max_pool_errors_match(case):
    _errors(lambda lib: case(lib, lib.nn.functional))


# -- conv_tbc ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("pad", [0, 1, 2])
def test_conv_tbc_values_and_gradients(pad):
    x = RNG.standard_normal((6, 2, 3)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 4)).astype(np.float32)
    b = RNG.standard_normal(4).astype(np.float32)
    res = []
    for lib in (pt, tl):
        ts = [_t(lib, a, requires_grad=True) for a in (x, w, b)]
        y = lib.nn.functional.conv_tbc(*ts, pad)
        y.pow(2).sum().backward()
        res.append([y] + [t.grad for t in ts] + [type(y.grad_fn).__name__, lib.conv_tbc(*ts, pad=pad)])
    for a, c in zip(res[0][:4], res[1][:4]):
        _close(a, c, 1e-5, 1e-5)
    assert res[0][4] == res[1][4]
    _close(res[0][5], res[1][5], 1e-5, 1e-5)


@pytest.mark.parametrize(
    "shapes",
    [((5, 2), (3, 3, 4), (4,)), ((5, 2, 3), (3, 3), (4,)), ((5, 2, 3), (3, 2, 4), (4,)), ((5, 2, 3), (3, 3, 4), (5,)),
     ((5, 2, 3), (3, 3, 4), (4, 1)), ((5, 2, 3), (7, 3, 4), (4,))],
)
def test_conv_tbc_errors_match(shapes):
    _errors(lambda lib: lib.conv_tbc(*[lib.ones(*s) for s in shapes]))


# -- nn.utils ------------------------------------------------------------------------------------------
def _trained_bn(lib, cls, n):
    bn = cls(n)
    with lib.no_grad():
        bn.running_mean.copy_(_t(lib, np.linspace(-1, 1, n).astype(np.float32)))
        bn.running_var.copy_(_t(lib, np.linspace(0.5, 2, n).astype(np.float32)))
        bn.weight.copy_(_t(lib, np.linspace(0.8, 1.2, n).astype(np.float32)))
        bn.bias.copy_(_t(lib, np.linspace(-0.3, 0.3, n).astype(np.float32)))
    return bn.eval()


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_fuse_conv_bn_eval_matches_pytorch_and_the_unfused_pair(transposed, bias):
    x = RNG.standard_normal((2, 3, 6, 6)).astype(np.float32)
    res = []
    for lib in (pt, tl):
        lib.manual_seed(0)
        conv = (lib.nn.ConvTranspose2d if transposed else lib.nn.Conv2d)(3, 4, 3, bias=bias).eval()
        bn = _trained_bn(lib, lib.nn.BatchNorm2d, 4)
        fused = lib.nn.utils.fuse_conv_bn_eval(conv, bn, transpose=transposed)
        xt = _t(lib, x)
        res.append((fused(xt), bn(conv(xt)), fused.weight, fused.bias, type(fused.weight).__name__, fused.weight.requires_grad))
    (pf, pr, pw, pb, pn, prg), (tf, tr, tw, tb, tn, trg) = res
    _close(pf, tf, 1e-5, 1e-5)
    _close(tr, tf, 1e-4, 1e-5)
    _close(pw, tw)
    _close(pb, tb)
    assert (pn, prg) == (tn, trg) == ("Parameter", True)


def test_fuse_linear_bn_eval_and_errors():
    x = RNG.standard_normal((5, 6)).astype(np.float32)
    res = []
    for lib in (pt, tl):
        lib.manual_seed(0)
        lin = lib.nn.Linear(6, 4).eval()
        bn = _trained_bn(lib, lib.nn.BatchNorm1d, 4)
        fused = lib.nn.utils.fuse_linear_bn_eval(lin, bn)
        w, b = lib.nn.utils.fuse_linear_bn_weights(lin.weight, None, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias)
        res.append((fused(_t(lib, x)), bn(lin(_t(lib, x))), w, b))
    for a, c in zip(res[0], res[1]):
        _close(a, c, 1e-5, 1e-5)
    _errors(lambda lib: lib.nn.utils.fuse_linear_bn_eval(lib.nn.Linear(6, 4).eval(), lib.nn.BatchNorm1d(3).eval()))
    _errors(lambda lib: lib.nn.utils.fuse_conv_bn_eval(lib.nn.Conv2d(3, 4, 3), lib.nn.BatchNorm2d(4)))
    _errors(lambda lib: lib.nn.utils.fuse_conv_bn_eval(lib.nn.Conv2d(3, 4, 3).eval(), lib.nn.BatchNorm2d(4, track_running_stats=False).eval()))
    assert tl.nn.utils.fusion.__all__ == pt.nn.utils.fusion.__all__


def test_deprecated_utils_warn_and_forward():
    def clip(lib):
        p = lib.nn.Parameter(lib.ones(3))
        p.grad = lib.full((3,), 2.0)
        total = lib.nn.utils.clip_grad_norm([p], 1.0)
        assert abs(float(total) - 12**0.5) < 1e-5

    _warns(clip)

    def call(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(3, 2)
        y = lib.nn.utils.stateless.functional_call(m, {"weight": lib.zeros(2, 3)}, (lib.ones(1, 3),))
        np.testing.assert_allclose(_np(y)[0], _np(m.bias), rtol=1e-6)

    _warns(call)


def test_skip_init_leaves_the_generator_as_pytorch_does():
    draws = []
    for lib in (pt, tl):
        lib.manual_seed(0)
        m = lib.nn.utils.skip_init(lib.nn.Linear, 5, 2)
        assert tuple(m.weight.shape) == (2, 5) and repr(m) == "Linear(in_features=5, out_features=2, bias=True)"
        draws.append(_np(lib.rand(4)))
    np.testing.assert_array_equal(draws[1], draws[0])
    _errors(lambda lib: lib.nn.utils.skip_init(lib.nn.ReLU))
    _errors(lambda lib: lib.nn.utils.skip_init(int))


@pytest.mark.skipif(not hasattr(tl, "channels_last"), reason="torchlike has no memory formats")
def test_convert_conv_weight_memory_format():
    res = []
    for lib in (pt, tl):
        m = lib.nn.Sequential(lib.nn.Conv2d(3, 4, 3), lib.nn.Sequential(lib.nn.ConvTranspose2d(4, 2, 3)), lib.nn.Conv3d(2, 2, 1))
        assert lib.nn.utils.convert_conv2d_weight_memory_format(m, lib.channels_last) is m
        s2 = [m[0].weight.stride(), m[1][0].weight.stride(), m[2].weight.stride()]
        lib.nn.utils.convert_conv3d_weight_memory_format(m, lib.channels_last_3d)
        res.append((s2, m[2].weight.stride(), type(m[0].weight).__name__, m[0].weight.requires_grad))
    assert res[0] == res[1]


# -- nn.init deprecated aliases ----------------------------------------------------------------------
ALIASES = [
    ("uniform", (3, 4), {"a": -1.0, "b": 2.0}),
    ("normal", (3, 4), {"std": 0.5}),
    ("constant", (3, 4), {"val": 0.3}),
    ("eye", (3, 4), {}),
    ("dirac", (4, 2, 3), {}),
    ("xavier_uniform", (3, 4), {}),
    ("xavier_normal", (3, 4), {"gain": 2.0}),
    ("kaiming_uniform", (3, 4), {"a": 0.1}),
    ("kaiming_normal", (3, 4), {"mode": "fan_out"}),
    ("orthogonal", (3, 4), {}),
    ("sparse", (6, 4), {"sparsity": 0.5}),
]


@pytest.mark.parametrize("name,shape,kw", ALIASES, ids=[a[0] for a in ALIASES])
def test_init_deprecated_aliases_warn_and_forward(name, shape, kw):
    out = []

    def run(lib):
        lib.manual_seed(3)
        t = lib.empty(*shape)
        r = getattr(lib.nn.init, name)(t, **kw)
        assert r is t
        out.append(_np(t))

    _warns(run)
    np.testing.assert_allclose(out[1], out[0], rtol=1e-5, atol=1e-6)
    assert getattr(tl.nn.init, name).__name__ == name


@pytest.mark.parametrize(
    "name,args,shape",
    [("LazyLinear", (3,), (2, 4)), ("LazyConv2d", (4, 3), (2, 2, 5, 5)), ("LazyConvTranspose1d", (4, 2), (3, 6))],
)
def test_lazy_linear_and_conv_hold_placeholders_and_draw_only_when_sized(name, args, shape):
    res = []
    for lib in (pt, tl):
        lib.manual_seed(0)
        m = getattr(lib.nn, name)(*args)
        before = (repr(m), [(k, repr(v)) for k, v in m.state_dict().items()])
        draw = _np(lib.rand(2))  # construction drew nothing
        y = m(lib.ones(*shape))
        res.append((before, draw, repr(m), type(m).__name__, _np(y), {k: _np(v) for k, v in m.state_dict().items()}))
    p, t = res
    assert p[0] == t[0] and p[2:4] == t[2:4]
    np.testing.assert_array_equal(t[1], p[1])
    np.testing.assert_allclose(t[4], p[4], rtol=1e-5, atol=1e-6)
    assert list(p[5]) == list(t[5])
    for k in p[5]:
        np.testing.assert_array_equal(t[5][k], p[5][k])
