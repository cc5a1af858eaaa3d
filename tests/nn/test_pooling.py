"""Max/avg/adaptive/LP pooling and max-unpooling (functional and modules) against PyTorch."""

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl  # noqa: E402

RNG = np.random.default_rng(1)
P, T = pt.nn.functional, tl.nn.functional


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


MAX_CASES = [
    (1, (2, 3, 10), dict(kernel_size=2)),
    (1, (3, 10), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),  # unbatched
    (1, (2, 3, 11), dict(kernel_size=3, stride=2, dilation=2, padding=1)),
    (2, (2, 3, 8, 8), dict(kernel_size=2)),  # non-overlapping fast path
    (2, (2, 3, 9, 7), dict(kernel_size=2)),  # floor mode drops the remainder
    (2, (2, 3, 9, 7), dict(kernel_size=2, ceil_mode=True)),
    (2, (2, 3, 9, 8), dict(kernel_size=3, stride=2, padding=1)),
    (
        2,
        (2, 3, 9, 8),
        dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), dilation=(2, 1), ceil_mode=True),
    ),
    (2, (3, 9, 8), dict(kernel_size=3, stride=1)),  # unbatched, overlapping
    (3, (2, 2, 5, 6, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (3, (1, 2, 4, 6, 4), dict(kernel_size=2)),
]


@pytest.mark.parametrize("nd,shape,kw", MAX_CASES)
def test_max_pool_values_grads_and_indices_match_torch(nd, shape, kw):
    name = f"max_pool{nd}d"
    x = randn(*shape)
    check_fn(lambda x: getattr(P, name)(x, **kw), lambda x: getattr(T, name)(x, **kw), x)
    check_fn(
        lambda x: getattr(P, name)(x, return_indices=True, **kw)[0],
        lambda x: getattr(T, name)(x, return_indices=True, **kw)[0],
        x,
    )
    idx_pt = getattr(P, name)(pt.tensor(x), return_indices=True, **kw)[1]
    idx_tl = getattr(T, name)(tl.tensor(x), return_indices=True, **kw)[1]
    assert idx_tl.dtype == tl.int64
    np.testing.assert_array_equal(idx_tl.numpy(), idx_pt.numpy())


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)])
def test_max_pool_ties_send_the_gradient_to_the_first_maximum(kw):
    x = np.round(randn(2, 2, 6, 6)).astype(np.float32)  # many equal values per window
    x[0, 0] = 0.0  # a whole plane of ties
    check_fn(lambda x: P.max_pool2d(x, **kw), lambda x: T.max_pool2d(x, **kw), x)
    np.testing.assert_array_equal(
        T.max_pool2d(tl.tensor(x), return_indices=True, **kw)[1].numpy(),
        P.max_pool2d(pt.tensor(x), return_indices=True, **kw)[1].numpy(),
    )


AVG_CASES = [
    (1, (2, 3, 10), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (1, (3, 10), dict(kernel_size=2)),
    (2, (2, 3, 8, 8), dict(kernel_size=2)),
    (2, (2, 3, 9, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (2, (2, 3, 9, 7), dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 1))),
    (2, (3, 9, 7), dict(kernel_size=2, ceil_mode=True)),
    (3, (2, 2, 5, 6, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
]


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("nd,shape,kw", AVG_CASES)
def test_avg_pool_matches_torch(nd, shape, kw, count_include_pad):
    name = f"avg_pool{nd}d"
    check_fn(
        lambda x: getattr(P, name)(x, count_include_pad=count_include_pad, **kw),
        lambda x: getattr(T, name)(x, count_include_pad=count_include_pad, **kw),
        randn(*shape),
    )


@pytest.mark.parametrize("nd", [2, 3])
def test_avg_pool_divisor_override_matches_torch(nd):
    name = f"avg_pool{nd}d"
    kw = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, divisor_override=5)
    check_fn(
        lambda x: getattr(P, name)(x, **kw),
        lambda x: getattr(T, name)(x, **kw),
        randn(2, 2, *[7] * nd),
    )


def test_avg_pool_integer_input_truncates_like_torch():
    x = RNG.integers(-20, 20, (1, 2, 5, 5))
    out = T.avg_pool2d(tl.tensor(x), 2, ceil_mode=True)
    assert out.dtype == tl.int64
    np.testing.assert_array_equal(
        out.numpy(), P.avg_pool2d(pt.tensor(x), 2, ceil_mode=True).numpy()
    )


ADAPTIVE_CASES = [
    (1, (2, 3, 10), 4), (1, (3, 10), 5), (1, (2, 3, 7), 7),
    (2, (2, 3, 9, 8), (3, 4)), (2, (2, 3, 9, 8), (4, 3)), (2, (2, 3, 9, 8), 1), (2, (3, 9, 8), (None, 5)),
    (2, (2, 3, 5, 5), (7, 8)),  # output larger than input
    (3, (2, 2, 5, 6, 7), (2, 4, 3)), (3, (1, 2, 4, 4, 4), 2),
]  # fmt: skip


@pytest.mark.parametrize("nd,shape,size", ADAPTIVE_CASES)
def test_adaptive_pools_match_torch(nd, shape, size):
    x = randn(*shape)
    avg, mx = f"adaptive_avg_pool{nd}d", f"adaptive_max_pool{nd}d"
    check_fn(lambda x: getattr(P, avg)(x, size), lambda x: getattr(T, avg)(x, size), x)
    check_fn(lambda x: getattr(P, mx)(x, size), lambda x: getattr(T, mx)(x, size), x)
    np.testing.assert_array_equal(
        getattr(T, mx)(tl.tensor(x), size, True)[1].numpy(),
        getattr(P, mx)(pt.tensor(x), size, True)[1].numpy(),
    )


@pytest.mark.parametrize(
    "nd,kw",
    [
        (1, dict(kernel_size=2)),
        (2, dict(kernel_size=2)),
        (2, dict(kernel_size=3, stride=2, padding=1)),
        (3, dict(kernel_size=2)),
    ],
)
def test_max_unpool_inverts_max_pool_like_torch(nd, kw):
    x = randn(2, 3, *[6] * nd)
    out, idx = getattr(P, f"max_pool{nd}d")(pt.tensor(x), return_indices=True, **kw)
    idx_tl = tl.tensor(idx.numpy())
    name = f"max_unpool{nd}d"
    if "padding" not in kw:  # with padding the default output size is too small for these indices
        check_fn(
            lambda o: getattr(P, name)(o, idx, **kw),
            lambda o: getattr(T, name)(o, idx_tl, **kw),
            out.numpy(),
        )
    size = [6] * nd
    check_fn(
        lambda o: getattr(P, name)(o, idx, output_size=size, **kw),
        lambda o: getattr(T, name)(o, idx_tl, output_size=size, **kw),
        out.numpy(),
    )


def test_max_unpool2d_module_with_max_pool_module():
    pool_pt, pool_tl = (
        pt.nn.MaxPool2d(2, return_indices=True),
        tl.nn.MaxPool2d(2, return_indices=True),
    )
    unpool_pt, unpool_tl = pt.nn.MaxUnpool2d(2), tl.nn.MaxUnpool2d(2)
    x = randn(1, 2, 5, 5)
    check_fn(
        lambda x: unpool_pt(*pool_pt(x), output_size=x.shape),
        lambda x: unpool_tl(*pool_tl(x), output_size=x.shape),
        x,
    )


@pytest.mark.parametrize(
    "nd,norm,k,stride,ceil",
    [
        (1, 2, 3, 2, False),
        (2, 2, 3, None, False),
        (2, 3, (2, 3), 1, True),
        (3, 1.5, 2, None, False),
    ],
)
def test_lp_pool_matches_torch(nd, norm, k, stride, ceil):
    name = f"lp_pool{nd}d"
    x = np.abs(randn(2, 2, *[6] * nd)) + 0.1
    check_fn(
        lambda x: getattr(P, name)(x, norm, k, stride, ceil),
        lambda x: getattr(T, name)(x, norm, k, stride, ceil),
        x,
        rtol=1e-4,
    )
    m_pt, m_tl = (
        getattr(pt.nn, f"LPPool{nd}d")(norm, k, stride),
        getattr(tl.nn, f"LPPool{nd}d")(norm, k, stride),
    )
    check_fn(m_pt, m_tl, x, rtol=1e-4)


MODULES = [
    ("MaxPool1d", (3,), dict(stride=2, padding=1)),
    ("MaxPool2d", (2,), {}),
    (
        "MaxPool2d",
        ((3, 2),),
        dict(stride=1, padding=1, dilation=2, return_indices=False, ceil_mode=True),
    ),
    ("MaxPool3d", (2,), dict(ceil_mode=True)),
    ("AvgPool1d", (3,), dict(stride=2, padding=1, count_include_pad=False)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True)),
    ("AvgPool2d", ((2, 3),), dict(divisor_override=4)),
    ("AvgPool3d", (2,), {}),
    ("AdaptiveAvgPool1d", (3,), {}),
    ("AdaptiveAvgPool2d", ((None, 3),), {}),
    ("AdaptiveAvgPool3d", (2,), {}),
    ("AdaptiveMaxPool1d", (3,), {}),
    ("AdaptiveMaxPool2d", ((2, 3),), {}),
    ("AdaptiveMaxPool3d", (2,), {}),
    ("LPPool2d", (2, 3), dict(stride=2)),
]


@pytest.mark.parametrize("cls,args,kw", MODULES)
def test_pooling_modules_match_torch(cls, args, kw):
    m_pt, m_tl = getattr(pt.nn, cls)(*args, **kw), getattr(tl.nn, cls)(*args, **kw)
    assert repr(m_tl) == repr(m_pt)
    assert list(m_tl.state_dict()) == list(m_pt.state_dict()) == []
    nd = int(cls[-2])
    x = randn(2, 3, *[7] * nd)
    if cls.startswith("LP"):
        x = np.abs(x) + 0.1
    check_fn(m_pt, m_tl, x, rtol=1e-4)


def test_pooling_module_reprs_with_indices_and_unpool():
    for cls, args in [
        ("MaxUnpool1d", (2,)),
        ("MaxUnpool2d", (3, 1, 1)),
        ("MaxUnpool3d", (2,)),
        ("AdaptiveMaxPool2d", (3, True)),
        ("LPPool1d", (2, 3)),
    ]:
        assert repr(getattr(tl.nn, cls)(*args)) == repr(getattr(pt.nn, cls)(*args))


def test_pooling_errors_match_torch():
    x = tl.randn(1, 1, 5, 5)
    with pytest.raises(
        RuntimeError,
        match="pad should be at most half of effective kernel size, but got pad=2, "
        "kernel_size=2 and dilation=1",
    ):
        T.max_pool2d(x, 2, padding=2)
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel size"):
        T.avg_pool2d(x, 2, padding=2)
    with pytest.raises(
        RuntimeError,
        match=r"Given input size: \(1x1x1\). Calculated output size: \(1x0x0\). "
        "Output size is too small",
    ):
        T.max_pool2d(tl.randn(1, 1, 1, 1), 3)
    with pytest.raises(
        RuntimeError, match=r"non-empty 3D or 4D \(batch mode\) tensor expected for input"
    ):
        T.max_pool2d(tl.randn(2, 2, 2, 5, 5), 2)
    with pytest.raises(
        RuntimeError, match="max_pool1d\\(\\) padding should be at most half of kernel size"
    ):
        T.max_pool1d(tl.randn(1, 11), 3, dilation=2, padding=2)
    with pytest.raises(RuntimeError, match=r"max_pool1d: Expected 2D or 3D \(batch mode\) tensor"):
        T.max_pool1d(tl.randn(5), 2)
    with pytest.raises(RuntimeError, match="stride should not be zero"):
        T.max_pool2d(x, 2, stride=0)
    with pytest.raises(
        RuntimeError, match=r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[5\]"
    ):
        T.adaptive_avg_pool2d(tl.randn(5), 2)
