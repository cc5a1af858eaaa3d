"""Activation functions and modules against PyTorch: values, input/parameter gradients, repr, in-place."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def _data(*shape, scale=2.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def _parity(fn_tl, fn_pt, x, *, rtol=1e-5, atol=1e-5):
    """Same numpy input through both; compares outputs and the input gradient for a random upstream."""
    a = tl.tensor(x, requires_grad=True)
    b = pt.tensor(x, requires_grad=True)
    ya, yb = fn_tl(a), fn_pt(b)
    assert tuple(ya.shape) == tuple(yb.shape)
    assert str(ya.dtype) == str(yb.dtype)
    g = RNG.standard_normal(tuple(yb.shape)).astype(np.float32)
    ya.backward(tl.tensor(g))  # before reading anything: forward and backward are one program
    yb.backward(pt.tensor(g))
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), rtol=rtol, atol=atol)
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=atol)
    return ya, yb


FUNCTIONAL = [
    ("relu", {}),
    ("relu6", {}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {}),
    ("elu", {"alpha": 0.7}),
    ("selu", {}),
    ("celu", {"alpha": 1.3}),
    ("gelu", {}),
    ("gelu", {"approximate": "tanh"}),
    ("silu", {}),
    ("mish", {}),
    ("softplus", {}),
    ("softplus", {"beta": 2.0, "threshold": 1.0}),
    ("softsign", {}),
    ("softshrink", {}),
    ("softshrink", {"lambd": 1.1}),
    ("hardshrink", {"lambd": 0.8}),
    ("tanhshrink", {}),
    ("hardtanh", {}),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("hardsigmoid", {}),
    ("hardswish", {}),
    ("logsigmoid", {}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("glu", {}),
    ("glu", {"dim": 0}),
    ("threshold", {"threshold": 0.3, "value": -7.0}),
    ("softmax", {"dim": 1}),
    ("softmin", {"dim": 0}),
    ("log_softmax", {"dim": -1}),
    ("softmax", {"dim": 1, "dtype": "float64"}),
    ("rrelu", {"training": False}),
]


@pytest.mark.parametrize("name,kwargs", FUNCTIONAL, ids=[f"{n}-{k}" for n, k in FUNCTIONAL])
def test_functional_matches_torch(name, kwargs):
    x = _data(4, 6, scale=3.0)
    kt = {k: getattr(tl, v) if k == "dtype" else v for k, v in kwargs.items()}
    kp = {k: getattr(pt, v) if k == "dtype" else v for k, v in kwargs.items()}
    ya, yb = _parity(
        lambda t: getattr(tl.nn.functional, name)(t, **kt),
        lambda t: getattr(pt.nn.functional, name)(t, **kp),
        x,
    )
    assert ya.grad_fn is not None


def test_float64_keeps_precision():
    x = RNG.standard_normal((3, 5))
    for name in ("gelu", "elu", "softplus", "leaky_relu", "hardswish"):
        _parity(
            lambda t, n=name: getattr(tl.nn.functional, n)(t),
            lambda t, n=name: getattr(pt.nn.functional, n)(t),
            x,
            rtol=1e-12,
            atol=1e-12,
        )


def test_gradients_at_kinks_follow_torch():
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0, 6.0], np.float32)
    for name in ("relu", "relu6", "hardtanh", "hardsigmoid", "hardswish", "leaky_relu", "elu"):
        _parity(
            lambda t, n=name: getattr(tl.nn.functional, n)(t),
            lambda t, n=name: getattr(pt.nn.functional, n)(t),
            x,
        )


@pytest.mark.parametrize(
    "name",
    [
        "relu",
        "leaky_relu",
        "elu",
        "selu",
        "celu",
        "silu",
        "mish",
        "hardtanh",
        "relu6",
        "hardsigmoid",
        "hardswish",
        "threshold",
        "rrelu",
    ],
)
def test_inplace_modifies_the_input(name):
    args = (0.1, 5.0) if name == "threshold" else ()
    x = _data(3, 4)
    a = tl.tensor(x, requires_grad=True)
    b = pt.tensor(x, requires_grad=True)
    ha, hb = a * 1.5, b * 1.5
    ra = getattr(tl.nn.functional, name)(ha, *args, inplace=True)
    getattr(pt.nn.functional, name)(hb, *args, inplace=True)
    assert ra is ha
    np.testing.assert_allclose(ha.detach().numpy(), hb.detach().numpy(), rtol=1e-5, atol=1e-6)
    (ha * ha).sum().backward()
    (hb * hb).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_inplace_on_leaf_that_requires_grad_raises():
    x = tl.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        tl.nn.functional.relu(x, inplace=True)


def test_inplace_without_grad_rebinds_aliases():
    x = tl.tensor([-1.0, 2.0, -3.0])
    view = x[1:]
    tl.nn.functional.leaky_relu_(x, 0.5)
    np.testing.assert_allclose(x.numpy(), [-0.5, 2.0, -1.5])
    np.testing.assert_allclose(view.numpy(), [2.0, -1.5])
    assert x._version == 1


MODULES = [
    ("ReLU", (), {}),
    ("ReLU", (), {"inplace": True}),
    ("ReLU6", (), {}),
    ("ReLU6", (), {"inplace": True}),
    ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.2, True), {}),
    ("ELU", (), {"alpha": 0.5}),
    ("ELU", (), {"inplace": True}),
    ("SELU", (), {}),
    ("SELU", (), {"inplace": True}),
    ("CELU", (0.8,), {}),
    ("GELU", (), {}),
    ("GELU", (), {"approximate": "tanh"}),
    ("SiLU", (), {}),
    ("SiLU", (True,), {}),
    ("Mish", (), {}),
    ("Mish", (), {"inplace": True}),
    ("Sigmoid", (), {}),
    ("Tanh", (), {}),
    ("Softmax", (), {"dim": 1}),
    ("Softmax", (), {}),
    ("LogSoftmax", (1,), {}),
    ("Softmin", (), {"dim": 0}),
    ("Softplus", (), {}),
    ("Softplus", (2.0, 3.0), {}),
    ("Softsign", (), {}),
    ("Hardtanh", (), {}),
    ("Hardtanh", (-2.0, 0.5, True), {}),
    ("Hardswish", (), {}),
    ("Hardsigmoid", (), {}),
    ("Threshold", (0.1, 20.0), {}),
    ("Threshold", (0.1, 20.0, True), {}),
    ("GLU", (), {}),
    ("GLU", (0,), {}),
    ("LogSigmoid", (), {}),
    ("Tanhshrink", (), {}),
    ("Softshrink", (), {}),
    ("Softshrink", (0.9,), {}),
    ("Hardshrink", (0.3,), {}),
    ("RReLU", (), {}),
    ("RReLU", (0.1, 0.3, True), {}),
    ("PReLU", (), {}),
    ("PReLU", (4,), {"init": 0.1}),
    ("Softmax2d", (), {}),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES, ids=[f"{n}{a}{k}" for n, a, k in MODULES])
def test_module_matches_torch(name, args, kwargs):
    m_tl = getattr(tl.nn, name)(*args, **kwargs)
    m_pt = getattr(pt.nn, name)(*args, **kwargs)
    assert repr(m_tl) == repr(m_pt)
    assert list(m_tl.state_dict().keys()) == list(m_pt.state_dict().keys())
    m_tl.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in m_pt.state_dict().items()})
    m_tl.eval()
    m_pt.eval()
    x = _data(2, 4, 3, 6)
    inplace = getattr(m_pt, "inplace", False)
    ya, yb = _parity(
        lambda t: m_tl(t * 1.0 if inplace else t), lambda t: m_pt(t * 1.0 if inplace else t), x
    )
    for (na, pa), (nb, pb) in zip(m_tl.named_parameters(), m_pt.named_parameters()):
        assert na == nb
        np.testing.assert_allclose(pa.grad.numpy(), pb.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_prelu_per_channel_weight_and_default_init():
    m = tl.nn.PReLU(3)
    np.testing.assert_array_equal(m.weight.detach().numpy(), [0.25, 0.25, 0.25])
    w = RNG.uniform(-1, 1, 3).astype(np.float32)
    for shape in [(5, 3), (2, 3, 4), (2, 3, 2, 2)]:
        x = _data(*shape)
        wa, wb = tl.tensor(w, requires_grad=True), pt.tensor(w, requires_grad=True)
        _parity(
            lambda t, w=wa: tl.nn.functional.prelu(t, w),
            lambda t, w=wb: pt.nn.functional.prelu(t, w),
            x,
        )
        np.testing.assert_allclose(wa.grad.numpy(), wb.grad.numpy(), rtol=1e-5, atol=1e-5)
    with pytest.raises(RuntimeError, match="Mismatch of parameter numbers and input channel size"):
        tl.nn.functional.prelu(tl.randn(2, 4), tl.ones(3))
    with pytest.raises(RuntimeError, match="Found parameter numbers = 3 and channel size = 1"):
        tl.nn.functional.prelu(tl.randn(3), tl.ones(3))
    _parity(
        lambda t: tl.nn.functional.prelu(t, tl.tensor([0.3])),
        lambda t: pt.nn.functional.prelu(t, pt.tensor([0.3])),
        _data(5),
    )


def test_rrelu_training_draws_slopes_in_range():
    tl.manual_seed(1)
    m = tl.nn.RReLU(0.1, 0.3)
    x = tl.tensor(-np.abs(_data(2000)) - 0.1, requires_grad=True)
    y = m(x)
    y.sum().backward()
    slope = (y.detach() / x.detach()).numpy()
    assert slope.min() >= 0.1 and slope.max() <= 0.3
    assert slope.std() > 0.03  # random per element, roughly uniform on [0.1, 0.3]
    np.testing.assert_allclose(x.grad.numpy(), slope, rtol=1e-5)
    pos = tl.tensor(np.abs(_data(10)) + 0.1)
    np.testing.assert_array_equal(m(pos).numpy(), pos.numpy())


def test_gumbel_softmax_soft_and_hard():
    tl.manual_seed(0)
    logits = tl.tensor(_data(64, 5), requires_grad=True)
    y = tl.nn.functional.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(y.detach().numpy().sum(-1), np.ones(64), rtol=1e-5)
    h = tl.nn.functional.gumbel_softmax(logits, hard=True)
    hv = h.detach().numpy()
    assert set(np.unique(hv)) <= {0.0, 1.0}
    np.testing.assert_array_equal(hv.sum(-1), np.ones(64))
    (h * tl.arange(5.0)).sum().backward()
    assert np.isfinite(logits.grad.numpy()).all() and np.abs(logits.grad.numpy()).sum() > 0
    # the class chosen follows the logits: a dominant logit is always picked
    big = tl.tensor(np.array([[0.0, 50.0, 0.0]] * 8, np.float32))
    np.testing.assert_array_equal(
        tl.nn.functional.gumbel_softmax(big, hard=True).numpy().argmax(-1), [1] * 8
    )


def test_errors_match_torch():
    F = tl.nn.functional
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        F.gelu(tl.randn(2), approximate="fast")
    with pytest.raises(
        RuntimeError, match="Halving dimension must be even, but dimension 1 is size 3"
    ):
        F.glu(tl.randn(2, 3))
    with pytest.raises(
        AssertionError, match=r"max_val \(0.0\) must be greater than min_val \(1.0\)"
    ):
        tl.nn.Hardtanh(1.0, 0.0)
    with pytest.raises(
        ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D instead"
    ):
        tl.nn.Softmax2d()(tl.randn(2, 3))
    with pytest.raises(TypeError):
        tl.nn.Threshold(0.1)


def test_softmax_without_dim_warns_and_uses_legacy_dim():
    x = _data(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        ya = tl.nn.functional.softmax(tl.tensor(x))
    np.testing.assert_allclose(ya.numpy().sum(1), [1.0, 1.0], rtol=1e-6)


def test_changing_hyper_parameters_does_not_recompile():
    x = tl.randn(4, 4)
    tl.sync()

    def step(s):
        tl.nn.functional.leaky_relu(x, s).sum().item()
        tl.nn.functional.softplus(x, s * 10, s).sum().item()

    step(0.1)
    before = tl.metrics.counters()["compiles"]
    for s in (0.2, 0.3, 0.4):
        step(s)
    assert tl.metrics.counters()["compiles"] == before
