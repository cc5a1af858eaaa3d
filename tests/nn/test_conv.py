"""Conv1d/2d/3d, ConvTranspose1d/2d/3d and their functionals against PyTorch."""

import math

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl  # noqa: E402

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def check_fn(fn_pt, fn_tl, *arrays, rtol=1e-5, atol=1e-5):
    """Same function on the same inputs: outputs and the gradient of every input agree."""
    pts = [pt.tensor(a, requires_grad=True) for a in arrays]
    tls = [tl.tensor(a, requires_grad=True) for a in arrays]
    out_pt, out_tl = fn_pt(*pts), fn_tl(*tls)
    assert tuple(out_tl.shape) == tuple(out_pt.shape)
    g = randn(*out_pt.shape)
    (out_pt * pt.tensor(g)).sum().backward()
    (
        out_tl * tl.tensor(g)
    ).sum().backward()  # read after backward: forward and backward are one program
    np.testing.assert_allclose(
        out_tl.detach().numpy(), out_pt.detach().numpy(), rtol=rtol, atol=atol
    )
    for a, b in zip(pts, tls):
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=rtol, atol=atol)


def check_module(m_pt, m_tl, x, *args, rtol=1e-5, atol=1e-5):
    """A PyTorch module and its torchlike twin (same state_dict): output, input and parameter grads."""
    m_tl.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in m_pt.state_dict().items()})
    xp, xt = pt.tensor(x, requires_grad=True), tl.tensor(x, requires_grad=True)
    out_pt, out_tl = m_pt(xp, *args), m_tl(xt, *args)
    assert tuple(out_tl.shape) == tuple(out_pt.shape)
    g = randn(*out_pt.shape)
    (out_pt * pt.tensor(g)).sum().backward()
    (out_tl * tl.tensor(g)).sum().backward()
    np.testing.assert_allclose(
        out_tl.detach().numpy(), out_pt.detach().numpy(), rtol=rtol, atol=atol
    )
    np.testing.assert_allclose(xt.grad.numpy(), xp.grad.numpy(), rtol=rtol, atol=atol)
    params_tl = dict(m_tl.named_parameters())
    for name, p in m_pt.named_parameters():
        np.testing.assert_allclose(
            params_tl[name].grad.numpy(), p.grad.numpy(), rtol=rtol, atol=atol, err_msg=name
        )


CONV_CASES = [
    (1, (2, 4, 11), (6, 4, 3), {}),
    (1, (2, 4, 11), (6, 2, 3), dict(stride=2, padding=2, dilation=2, groups=2)),
    (1, (4, 11), (6, 4, 3), dict(padding="same")),  # unbatched
    (2, (2, 3, 9, 8), (5, 3, 3, 3), {}),
    (2, (2, 4, 9, 8), (6, 2, 3, 2), dict(stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2)),
    (2, (2, 4, 9, 8), (4, 1, 3, 3), dict(groups=4, padding=1)),  # depthwise
    (2, (2, 3, 9, 8), (5, 3, 4, 3), dict(padding="same", dilation=2)),  # asymmetric 'same'
    (2, (2, 3, 9, 8), (5, 3, 3, 3), dict(padding="valid", stride=3)),
    (2, (3, 9, 8), (5, 3, 3, 3), dict(padding=1)),  # unbatched
    (3, (2, 2, 5, 6, 7), (4, 2, 2, 3, 2), dict(stride=(1, 2, 1), padding=1, dilation=(2, 1, 1))),
    (3, (2, 4, 5, 6, 5), (4, 2, 3, 3, 3), dict(padding="same", groups=2)),
]


@pytest.mark.parametrize("nd,xs,ws,kw", CONV_CASES)
def test_conv_functional_matches_torch(nd, xs, ws, kw):
    name = f"conv{nd}d"
    check_fn(
        lambda x, w, b: getattr(pt.nn.functional, name)(x, w, b, **kw),
        lambda x, w, b: getattr(tl.nn.functional, name)(x, w, b, **kw),
        randn(*xs),
        randn(*ws),
        randn(ws[0]),
        rtol=1e-4,
    )


CONV_T_CASES = [
    (1, (2, 4, 7), (4, 3, 3), {}),
    (1, (2, 4, 7), (4, 3, 3), dict(stride=3, padding=1, output_padding=2, groups=2, dilation=2)),
    (
        2,
        (2, 4, 5, 6),
        (4, 3, 3, 2),
        dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(1, 2)),
    ),
    (2, (2, 4, 5, 6), (4, 2, 3, 3), dict(padding=3)),  # padding larger than the kernel: crops
    (2, (4, 5, 6), (4, 2, 3, 3), dict(stride=2)),  # unbatched
    (3, (1, 2, 3, 4, 3), (2, 3, 2, 3, 2), dict(stride=2, output_padding=(1, 0, 1))),
]


@pytest.mark.parametrize("nd,xs,ws,kw", CONV_T_CASES)
def test_conv_transpose_functional_matches_torch(nd, xs, ws, kw):
    name = f"conv_transpose{nd}d"
    c_out = ws[1] * kw.get("groups", 1)
    check_fn(
        lambda x, w, b: getattr(pt.nn.functional, name)(x, w, b, **kw),
        lambda x, w, b: getattr(tl.nn.functional, name)(x, w, b, **kw),
        randn(*xs),
        randn(*ws),
        randn(c_out),
        rtol=1e-4,
    )


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_module_padding_modes_match_torch(nd, mode):
    kw = dict(stride=2, padding=1, dilation=1, groups=2, padding_mode=mode)
    cls = f"Conv{nd}d"
    m_pt, m_tl = getattr(pt.nn, cls)(4, 6, 3, **kw), getattr(tl.nn, cls)(4, 6, 3, **kw)
    check_module(m_pt, m_tl, randn(2, 4, *[7 - nd] * nd), rtol=1e-4)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "circular"])
def test_conv2d_same_padding_module_with_padding_modes(mode):
    kw = dict(padding="same", dilation=(1, 2), padding_mode=mode, bias=False)
    m_pt, m_tl = pt.nn.Conv2d(3, 4, (2, 3), **kw), tl.nn.Conv2d(3, 4, (2, 3), **kw)
    check_module(m_pt, m_tl, randn(2, 3, 8, 9), rtol=1e-4)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_transpose_module_matches_torch(nd):
    kw = dict(stride=2, padding=1, output_padding=1, groups=2, dilation=1)
    cls = f"ConvTranspose{nd}d"
    m_pt, m_tl = getattr(pt.nn, cls)(4, 6, 3, **kw), getattr(tl.nn, cls)(4, 6, 3, **kw)
    check_module(m_pt, m_tl, randn(2, 4, *[6 - nd] * nd), rtol=1e-4)


def test_conv_transpose_output_size_picks_output_padding():
    m_pt, m_tl = (
        pt.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1),
        tl.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1),
    )
    x = randn(1, 3, 4, 5)
    check_module(m_pt, m_tl, x, [8, 10], rtol=1e-4)
    assert tuple(m_tl(tl.tensor(x), output_size=[1, 2, 7, 9]).shape) == (1, 2, 7, 9)
    with pytest.raises(ValueError, match="requested an output size of"):
        m_tl(tl.tensor(x), output_size=[12, 12])


REPR_CASES = [
    ("Conv1d", (3, 6, 5), {}),
    ("Conv2d", (3, 6, 5), {}),
    ("Conv2d", (3, 6, (3, 5)), dict(stride=2, padding=(1, 2), bias=False)),
    ("Conv2d", (4, 6, 3), dict(padding="same", dilation=2, groups=2, padding_mode="reflect")),
    ("Conv2d", (4, 6, 3), dict(padding="valid")),
    ("Conv3d", (2, 4, 3), dict(stride=(1, 2, 3), padding_mode="circular", padding=1)),
    ("ConvTranspose1d", (3, 6, 5), {}),
    (
        "ConvTranspose2d",
        (4, 6, 3),
        dict(stride=2, output_padding=1, groups=2, dilation=2, bias=False),
    ),
    ("ConvTranspose3d", (4, 6, 3), dict(padding=1)),
]


@pytest.mark.parametrize("cls,args,kw", REPR_CASES)
def test_conv_repr_and_state_dict_match_torch(cls, args, kw):
    m_pt, m_tl = getattr(pt.nn, cls)(*args, **kw), getattr(tl.nn, cls)(*args, **kw)
    assert repr(m_tl) == repr(m_pt)
    sd_pt, sd_tl = m_pt.state_dict(), m_tl.state_dict()
    assert list(sd_tl.keys()) == list(sd_pt.keys())
    for k in sd_pt:
        assert tuple(sd_tl[k].shape) == tuple(sd_pt[k].shape)


@pytest.mark.parametrize(
    "cls,args", [("Conv2d", (8, 64, 3)), ("ConvTranspose2d", (16, 64, 3)), ("Conv1d", (6, 64, 5))]
)
def test_conv_default_init_is_kaiming_uniform_a_sqrt5(cls, args):
    tl.manual_seed(0)
    m = getattr(tl.nn, cls)(*args)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    fan_in = w.shape[1] * int(np.prod(w.shape[2:]))
    bound = 1 / math.sqrt(fan_in)  # gain(sqrt 5) * sqrt(3 / fan_in)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.15 * bound
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.5 * bound


def test_conv_errors_match_torch():
    x = tl.randn(2, 4, 8, 8)
    with pytest.raises(
        RuntimeError,
        match=r"Given groups=1, weight of size \[6, 3, 5, 5\], expected "
        r"input\[2, 4, 8, 8\] to have 3 channels, but got 4 channels instead",
    ):
        tl.nn.functional.conv2d(x, tl.randn(6, 3, 5, 5))
    with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
        tl.nn.functional.conv2d(x, tl.randn(6, 4, 9, 9))
    with pytest.raises(
        RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d"
    ):
        tl.nn.functional.conv2d(tl.randn(4, 8), tl.randn(6, 4, 3, 3))
    with pytest.raises(
        RuntimeError, match="padding='same' is not supported for strided convolutions"
    ):
        tl.nn.functional.conv2d(x, tl.randn(6, 4, 3, 3), stride=2, padding="same")
    with pytest.raises(
        ValueError, match="padding='same' is not supported for strided convolutions"
    ):
        tl.nn.Conv2d(4, 6, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        tl.nn.Conv2d(5, 6, 3, groups=2)
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        tl.nn.Conv2d(4, 6, 3, padding_mode="mirror")
    with pytest.raises(
        ValueError, match='Only "zeros" padding mode is supported for ConvTranspose2d'
    ):
        tl.nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect")
    with pytest.raises(
        RuntimeError, match="output padding must be smaller than either stride or dilation"
    ):
        tl.nn.functional.conv_transpose2d(x, tl.randn(4, 2, 3, 3), output_padding=1)


def test_conv_float64_keeps_dtype():
    x, w = tl.randn(1, 2, 5, 5, dtype=tl.float64), tl.randn(3, 2, 3, 3, dtype=tl.float64)
    out = tl.nn.functional.conv2d(x, w)
    assert out.dtype == tl.float64
    ref = pt.nn.functional.conv2d(pt.tensor(x.numpy()), pt.tensor(w.numpy()))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)


def test_conv_grad_fn_name():
    x = tl.randn(1, 2, 5, 5, requires_grad=True)
    assert tl.nn.functional.conv2d(x, tl.randn(3, 2, 3, 3)).grad_fn.name() == "ConvolutionBackward0"


def _tiny_cnn(nn):
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1, padding_mode="reflect", groups=2),
        nn.ReLU(),
        nn.AvgPool2d(2),
        nn.ConvTranspose2d(6, 3, 2, stride=2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(3, 2),
    )


def test_tiny_cnn_trains_like_torch_with_zero_recompiles():
    pt.manual_seed(0)
    m_pt, m_tl = _tiny_cnn(pt.nn), _tiny_cnn(tl.nn)
    assert repr(m_tl) == repr(m_pt)
    m_tl.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in m_pt.state_dict().items()})
    opt_pt = pt.optim.SGD(m_pt.parameters(), lr=0.1, momentum=0.9)
    opt_tl = tl.optim.SGD(m_tl.parameters(), lr=0.1, momentum=0.9)
    x, y = randn(8, 1, 8, 8), randn(8, 2)
    losses_pt, losses_tl = [], []
    for step in range(10):
        for m, opt, torch, losses in ((m_pt, opt_pt, pt, losses_pt), (m_tl, opt_tl, tl, losses_tl)):
            opt.zero_grad()
            loss = ((m(torch.tensor(x)) - torch.tensor(y)) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        if step == 2:
            compiles = tl.metrics.counters()["compiles"]
    assert tl.metrics.counters()["compiles"] == compiles
    np.testing.assert_allclose(losses_tl, losses_pt, rtol=1e-4, atol=1e-6)
    assert losses_tl[-1] < losses_tl[0]


def test_double_backward_through_conv_pool_and_interpolate():
    x, w = randn(2, 3, 6, 6), randn(4, 3, 3, 3)
    results = []
    for torch in (pt, tl):
        F = torch.nn.functional
        xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        out = F.max_pool2d(F.conv2d(xt, wt, padding=1).tanh(), 3, 2, 1)
        out = F.interpolate(out, scale_factor=2, mode="bilinear", align_corners=False)
        (gx,) = torch.autograd.grad(out.pow(2).sum(), xt, create_graph=True)
        gx.pow(2).sum().backward()
        results.append((gx.detach().numpy(), wt.grad.numpy()))
    for a, b in zip(*results):  # float32 noise relative to the largest entry
        np.testing.assert_allclose(b, a, rtol=1e-3, atol=1e-5 * np.abs(a).max())


@pytest.mark.parametrize(
    "cls,shape",
    [("LazyConv2d", (2, 4, 8, 8)), ("LazyConv1d", (4, 9)), ("LazyConvTranspose2d", (2, 4, 5, 5))],
)
def test_lazy_conv_infers_in_channels_like_torch(cls, shape):
    m_pt, m_tl = (
        getattr(pt.nn, cls)(6, 3, stride=2, groups=2),
        getattr(tl.nn, cls)(6, 3, stride=2, groups=2),
    )
    assert repr(m_tl) == repr(m_pt)
    x = randn(*shape)
    m_pt(pt.tensor(x))
    m_tl(tl.tensor(x))
    assert type(m_tl).__name__ == type(m_pt).__name__ and repr(m_tl) == repr(m_pt)
    check_module(m_pt, m_tl, x, rtol=1e-4)
