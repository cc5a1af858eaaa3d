"""F.pad, interpolate/Upsample, grid_sample/affine_grid, pixel/channel shuffle, unfold/fold against PyTorch."""

import warnings

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl  # noqa: E402

RNG = np.random.default_rng(2)
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


# -- pad -------------------------------------------------------------------------------------------
PAD_CASES = [
    ((2, 3, 5), (1, 2)),
    ((2, 3, 5), (-1, 2)),
    ((2, 3, 4, 5), (2, 1, 0, 2)),
    ((3, 4, 5), (1, 1, 2, 2)),
    ((2, 3, 3, 4, 5), (1, -1, 2, 0, 1, 1)),
    ((3, 4, 5), (2, 0)),
]


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("shape,pad", PAD_CASES)
def test_pad_modes_match_torch(shape, pad, mode):
    check_fn(lambda x: P.pad(x, pad, mode=mode), lambda x: T.pad(x, pad, mode=mode), randn(*shape))


def test_pad_constant_value_any_rank_and_errors():
    check_fn(
        lambda x: P.pad(x, (1, 2, 3, 4, 1, 0), value=2.5),
        lambda x: T.pad(x, (1, 2, 3, 4, 1, 0), value=2.5),
        randn(2, 3, 4),
    )
    out = T.pad(tl.tensor(np.arange(6).reshape(2, 3)), (1, 1), value=7)
    assert out.dtype == tl.int64
    np.testing.assert_array_equal(
        out.numpy(), P.pad(pt.arange(6).reshape(2, 3), (1, 1), value=7).numpy()
    )
    x = tl.randn(1, 2, 3)
    with pytest.raises(RuntimeError, match="Padding length must be divisible by 2"):
        T.pad(x, (1,))
    with pytest.raises(
        RuntimeError, match="Padding length should be less than or equal to two times"
    ):
        T.pad(x, (1,) * 8)
    with pytest.raises(
        RuntimeError, match="Padding size should be less than the corresponding input dimension"
    ):
        T.pad(x, (3, 3), mode="reflect")
    with pytest.raises(RuntimeError, match="Padding value causes wrapping around more than once"):
        T.pad(x, (4, 4), mode="circular")
    with pytest.raises(
        NotImplementedError, match="Padding size 2 is not supported for 4D input tensor"
    ):
        T.pad(tl.randn(1, 2, 3, 3), (1, 1), mode="replicate")
    with pytest.raises(
        RuntimeError, match='Padding mode "reflect" doesn\'t take in value argument'
    ):
        T.pad(x, (1, 1), mode="reflect", value=1.0)


PAD_MODULES = [
    ("ZeroPad1d", (2,)),
    ("ZeroPad2d", ((1, 0, 2, 1),)),
    ("ZeroPad3d", (1,)),
    ("ConstantPad1d", (2, 3.5)),
    ("ConstantPad2d", ((1, 2, 0, 1), -1.0)),
    ("ConstantPad3d", (1, 2.0)),
    ("ReflectionPad1d", (2,)),
    ("ReflectionPad2d", ((1, 2, 0, 1),)),
    ("ReflectionPad3d", (1,)),
    ("ReplicationPad1d", ((3, 1),)),
    ("ReplicationPad2d", (2,)),
    ("ReplicationPad3d", ((1, 0, 1, 0, 0, 2),)),
    ("CircularPad1d", (2,)),
    ("CircularPad2d", ((1, 2, 0, 1),)),
    ("CircularPad3d", (1,)),
]


@pytest.mark.parametrize("cls,args", PAD_MODULES)
def test_padding_modules_match_torch(cls, args):
    m_pt, m_tl = getattr(pt.nn, cls)(*args), getattr(tl.nn, cls)(*args)
    assert repr(m_tl) == repr(m_pt)
    nd = int(cls[-2])
    check_fn(m_pt, m_tl, randn(2, 3, *[4] * nd))


# -- interpolate / Upsample ------------------------------------------------------------------------
SIZES = [
    dict(scale_factor=2),
    dict(scale_factor=1.7),
    dict(scale_factor=0.6),
    dict(size=1),
    dict(scale_factor=2.3, recompute_scale_factor=True),
    dict(size=(9, 6, 5)),
]


def _sized(kw, ndim):
    size = kw.get("size")
    return dict(kw, size=size[: ndim - 2]) if isinstance(size, tuple) else kw


@pytest.mark.parametrize("kw", SIZES)
@pytest.mark.parametrize(
    "mode,ndim", [("nearest", 3), ("nearest", 4), ("nearest", 5), ("nearest-exact", 4), ("area", 4)]
)
def test_interpolate_nearest_and_area_match_torch(mode, ndim, kw):
    kw = _sized(kw, ndim)
    check_fn(
        lambda x: P.interpolate(x, mode=mode, **kw),
        lambda x: T.interpolate(x, mode=mode, **kw),
        randn(*(2, 3, 5, 7, 4)[:ndim]),
    )


@pytest.mark.parametrize("kw", SIZES)
@pytest.mark.parametrize(
    "mode,ndim,align_corners",
    [
        ("linear", 3, False),
        ("linear", 3, True),
        ("bilinear", 4, False),
        ("bilinear", 4, True),
        ("bicubic", 4, False),
        ("bicubic", 4, True),
        ("trilinear", 5, False),
        ("trilinear", 5, True),
    ],
)
def test_interpolate_linear_family_matches_torch(mode, ndim, align_corners, kw):
    kw = dict(_sized(kw, ndim), mode=mode, align_corners=align_corners)
    check_fn(
        lambda x: P.interpolate(x, **kw),
        lambda x: T.interpolate(x, **kw),
        randn(*(2, 3, 5, 7, 4)[:ndim]),
        rtol=1e-4,
    )


@pytest.mark.parametrize("kw", [dict(size=(3, 2)), dict(scale_factor=0.45), dict(size=(13, 11))])
@pytest.mark.parametrize(
    "mode,align_corners",
    [("bilinear", False), ("bilinear", True), ("bicubic", False), ("bicubic", True)],
)
def test_interpolate_antialias_matches_torch(mode, align_corners, kw):
    kw = dict(kw, mode=mode, align_corners=align_corners, antialias=True)
    check_fn(
        lambda x: P.interpolate(x, **kw),
        lambda x: T.interpolate(x, **kw),
        randn(1, 2, 10, 12),
        rtol=1e-4,
    )


def test_interpolate_errors_match_torch():
    x = tl.randn(1, 1, 3, 3)
    with pytest.raises(
        ValueError, match="align_corners option can only be set with the interpolating modes"
    ):
        T.interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match="only one of size or scale_factor should be defined"):
        T.interpolate(x, size=2, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor should be defined"):
        T.interpolate(x)
    with pytest.raises(
        ValueError, match="Input and output must have the same number of spatial dimensions"
    ):
        T.interpolate(x, size=(2, 2, 2))
    with pytest.raises(NotImplementedError, match="Got 4D input, but linear mode needs 3D input"):
        T.interpolate(x, size=2, mode="linear")
    with pytest.raises(
        NotImplementedError,
        match=r"Input Error: Only 3D, 4D and 5D input Tensors supported \(got 4D",
    ):
        T.interpolate(x, size=2, mode="cubic")
    with pytest.raises(
        ValueError, match="recompute_scale_factor is not meaningful with an explicit size"
    ):
        T.interpolate(x, size=2, recompute_scale_factor=True)


@pytest.mark.parametrize("cls,args,kw", [
    ("Upsample", (), dict(scale_factor=2)),
    ("Upsample", (), dict(size=(5, 7), mode="bilinear", align_corners=True)),
    ("Upsample", (), dict(scale_factor=(1.5, 2), mode="bicubic")),
    ("UpsamplingNearest2d", (), dict(scale_factor=3)),
    ("UpsamplingBilinear2d", (), dict(size=(4, 9))),
])  # fmt: skip
def test_upsample_modules_match_torch(cls, args, kw):
    m_pt, m_tl = getattr(pt.nn, cls)(*args, **kw), getattr(tl.nn, cls)(*args, **kw)
    assert repr(m_tl) == repr(m_pt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_fn(m_pt, m_tl, randn(2, 3, 4, 5), rtol=1e-4)


def test_deprecated_upsample_functions_warn_and_match():
    x = randn(1, 2, 3, 4)
    for name in ["upsample", "upsample_nearest", "upsample_bilinear"]:
        with pytest.warns(UserWarning, match=f"`nn.functional.{name}` is deprecated"):
            out = getattr(T, name)(tl.tensor(x), scale_factor=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = getattr(P, name)(pt.tensor(x), scale_factor=2)
        np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


# -- grid_sample / affine_grid ---------------------------------------------------------------------
GRID_PADDING = [("zeros", False), ("border", True), ("reflection", False), ("reflection", True)]


@pytest.mark.parametrize("padding_mode,align_corners", GRID_PADDING)
@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
def test_grid_sample_2d_matches_torch(mode, padding_mode, align_corners):
    grid = RNG.uniform(-1.3, 1.3, (2, 4, 6, 2)).astype(np.float32)  # some points outside the input
    kw = dict(mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    check_fn(
        lambda x, g: P.grid_sample(x, g, **kw),
        lambda x, g: T.grid_sample(x, g, **kw),
        randn(2, 3, 5, 7),
        grid,
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("padding_mode,align_corners", GRID_PADDING[:3])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample_3d_matches_torch(mode, padding_mode, align_corners):
    grid = RNG.uniform(-1.3, 1.3, (1, 2, 3, 4, 3)).astype(np.float32)
    kw = dict(mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    check_fn(
        lambda x, g: P.grid_sample(x, g, **kw),
        lambda x, g: T.grid_sample(x, g, **kw),
        randn(1, 2, 3, 4, 5),
        grid,
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_matches_torch_and_feeds_grid_sample(align_corners):
    check_fn(
        lambda t: P.affine_grid(t, (2, 3, 4, 5), align_corners=align_corners),
        lambda t: T.affine_grid(t, (2, 3, 4, 5), align_corners=align_corners),
        randn(2, 2, 3),
    )
    check_fn(
        lambda t: P.affine_grid(t, (2, 3, 4, 5, 2), align_corners=align_corners),
        lambda t: T.affine_grid(t, (2, 3, 4, 5, 2), align_corners=align_corners),
        randn(2, 3, 4),
    )
    # a spatial transformer: gradients flow to theta through the grid
    x = randn(2, 3, 6, 6)
    check_fn(
        lambda x, t: P.grid_sample(
            x,
            P.affine_grid(t, (2, 3, 4, 4), align_corners=align_corners),
            align_corners=align_corners,
        ),
        lambda x, t: T.grid_sample(
            x,
            T.affine_grid(t, (2, 3, 4, 4), align_corners=align_corners),
            align_corners=align_corners,
        ),
        x,
        0.5 * randn(2, 2, 3),
        rtol=1e-4,
        atol=1e-4,
    )


def test_grid_sample_and_affine_grid_errors_and_warnings():
    x = tl.randn(1, 1, 3, 3)
    with pytest.warns(
        UserWarning, match="Default grid_sample and affine_grid behavior has changed"
    ):
        T.grid_sample(x, tl.zeros(1, 2, 2, 2))
    with pytest.warns(
        UserWarning, match="Default grid_sample and affine_grid behavior has changed"
    ):
        T.affine_grid(tl.zeros(1, 2, 3), (1, 1, 3, 3))
    with pytest.raises(RuntimeError, match="expected grid to have size 2 in last dimension"):
        T.grid_sample(x, tl.zeros(1, 2, 2, 3), align_corners=False)
    with pytest.raises(RuntimeError, match="expected grid and input to have same batch size"):
        T.grid_sample(x, tl.zeros(2, 2, 2, 2), align_corners=False)
    with pytest.raises(
        ValueError, match="expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'foo'"
    ):
        T.grid_sample(x, tl.zeros(1, 2, 2, 2), mode="foo", align_corners=False)
    with pytest.raises(RuntimeError, match="bicubic interpolation only supports 4D input"):
        T.grid_sample(
            tl.randn(1, 1, 3, 3, 3), tl.zeros(1, 2, 2, 2, 3), mode="bicubic", align_corners=False
        )
    with pytest.raises(ValueError, match="Expected a batch of 2D affine matrices of shape Nx2x3"):
        T.affine_grid(tl.zeros(1, 3, 3), (1, 1, 3, 3), align_corners=False)


@pytest.mark.parametrize("size", [[1, 1, 3, 3], (1, 1, 3, 3, 3), [2, 3]])
def test_affine_grid_errors_show_the_size_as_passed(size):
    for lib in (pt, tl):
        with pytest.raises((ValueError, NotImplementedError)) as info:
            lib.nn.functional.affine_grid(lib.zeros(1, 3, 3), size, align_corners=False)
        if lib is pt:
            expected = (type(info.value), str(info.value))
    assert (type(info.value), str(info.value)) == expected


# -- shuffles, unfold/fold -------------------------------------------------------------------------
def test_pixel_shuffle_unshuffle_and_modules_match_torch():
    check_fn(lambda x: P.pixel_shuffle(x, 2), lambda x: T.pixel_shuffle(x, 2), randn(2, 8, 3, 4))
    check_fn(lambda x: P.pixel_shuffle(x, 3), lambda x: T.pixel_shuffle(x, 3), randn(2, 2, 9, 3, 4))
    check_fn(lambda x: P.pixel_unshuffle(x, 2), lambda x: T.pixel_unshuffle(x, 2), randn(3, 4, 6))
    for cls, r in [("PixelShuffle", 2), ("PixelUnshuffle", 2)]:
        m_pt, m_tl = getattr(pt.nn, cls)(r), getattr(tl.nn, cls)(r)
        assert repr(m_tl) == repr(m_pt)
        check_fn(m_pt, m_tl, randn(2, 4, 4, 6))
    x = tl.randn(1, 4, 3, 4)
    out = T.pixel_unshuffle(T.pixel_shuffle(x, 2), 2)
    np.testing.assert_array_equal(out.numpy(), x.numpy())
    with pytest.raises(RuntimeError, match="input.size\\(-3\\)=5 is not divisible by 4"):
        T.pixel_shuffle(tl.randn(1, 5, 2, 2), 2)
    with pytest.raises(
        RuntimeError, match="pixel_unshuffle expects height to be divisible by downscale_factor"
    ):
        T.pixel_unshuffle(tl.randn(1, 5, 5, 4), 2)


def test_channel_shuffle_matches_torch():
    m_pt, m_tl = pt.nn.ChannelShuffle(3), tl.nn.ChannelShuffle(3)
    assert repr(m_tl) == repr(m_pt)
    check_fn(m_pt, m_tl, randn(2, 6, 3, 4))
    check_fn(lambda x: P.channel_shuffle(x, 2), lambda x: T.channel_shuffle(x, 2), randn(2, 4, 5))
    with pytest.raises(
        RuntimeError, match="Number of channels must be divisible by groups. Got 5 channels and 2"
    ):
        T.channel_shuffle(tl.randn(1, 5, 2, 2), 2)


@pytest.mark.parametrize(
    "kw", [dict(kernel_size=2), dict(kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=(2, 1))]
)
def test_unfold_fold_match_torch(kw):
    x = randn(2, 3, 5, 7)
    check_fn(lambda x: P.unfold(x, **kw), lambda x: T.unfold(x, **kw), x)
    check_fn(lambda x: P.unfold(x, **kw), lambda x: T.unfold(x, **kw), x[0])  # unbatched
    cols = P.unfold(pt.tensor(x), **kw).numpy()
    check_fn(lambda c: P.fold(c, (5, 7), **kw), lambda c: T.fold(c, (5, 7), **kw), cols)
    check_fn(lambda c: P.fold(c, (5, 7), **kw), lambda c: T.fold(c, (5, 7), **kw), cols[0])
    u_pt, u_tl = pt.nn.Unfold(**kw), tl.nn.Unfold(**kw)
    f_pt, f_tl = pt.nn.Fold((5, 7), **kw), tl.nn.Fold((5, 7), **kw)
    assert repr(u_tl) == repr(u_pt) and repr(f_tl) == repr(f_pt)
    check_fn(lambda x: f_pt(u_pt(x)), lambda x: f_tl(u_tl(x)), x)


def test_unfold_fold_errors_match_torch():
    with pytest.raises(
        RuntimeError,
        match="expected size of input's dimension 2 to match the calculated number of "
        "sliding blocks 3 \\* 3 = 9, but got input.size\\(2\\)=8",
    ):
        T.fold(tl.randn(1, 8, 8), (4, 4), 2)
    with pytest.raises(RuntimeError, match="to be divisible by the product of kernel_size"):
        T.fold(tl.randn(1, 5, 9), (4, 4), 2)
    with pytest.raises(
        RuntimeError, match="calculated shape of the array of sliding blocks as \\(0, 0\\)"
    ):
        T.unfold(tl.randn(1, 1, 2, 2), 3)
