"""vision.transforms against torchvision's documented formulas, computed with PIL / NumPy (and
torch's own interpolate / conv2d for the tensor kernels)."""

import numpy as np
import pytest
from PIL import Image, ImageEnhance

import torchlike as tl
from torchlike.vision import transforms as T
from torchlike.vision.transforms import functional as F

pt = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
RGB = RNG.integers(0, 256, (20, 28, 3), dtype=np.uint8)  # H=20, W=28
PIL_RGB = Image.fromarray(RGB)
PIL_L = Image.fromarray(RGB[..., 0])


def chw_float():
    return tl.from_numpy(RNG.random((3, 20, 28), dtype=np.float32))


# -- conversions ----------------------------------------------------------------------------------


def test_to_tensor_pil_rgb_scales_hwc_uint8_to_chw_float():
    x = T.ToTensor()(PIL_RGB)
    assert x.shape == (3, 20, 28) and x.dtype == tl.float32
    np.testing.assert_array_equal(
        x.numpy(), RGB.transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    )


def test_to_tensor_grayscale_and_ndarray():
    x = T.ToTensor()(PIL_L)
    assert x.shape == (1, 20, 28)
    np.testing.assert_array_equal(x.numpy()[0], RGB[..., 0] / np.float32(255))
    y = T.ToTensor()(RGB)
    np.testing.assert_array_equal(y.numpy(), RGB.transpose(2, 0, 1) / np.float32(255))
    f = T.ToTensor()(RGB.astype(np.float64))  # non-uint8 arrays are not scaled
    assert f.dtype == tl.float64 and float(f.numpy().max()) == RGB.max()
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        T.ToTensor()([1, 2])


def test_pil_to_tensor_and_back():
    x = T.PILToTensor()(PIL_RGB)
    assert x.dtype == tl.uint8 and x.shape == (3, 20, 28)
    np.testing.assert_array_equal(x.numpy(), RGB.transpose(2, 0, 1))
    img = T.ToPILImage()(x)
    assert img.mode == "RGB" and np.array_equal(np.asarray(img), RGB)
    g = T.ToPILImage()(T.ToTensor()(PIL_L))
    assert g.mode == "L" and np.array_equal(np.asarray(g), RGB[..., 0])
    assert T.ToPILImage()(tl.from_numpy(np.zeros((3, 4), np.float32))).mode == "L"


def test_to_tensor_output_is_a_host_tensor():
    x = T.ToTensor()(PIL_RGB)
    assert type(x._data) is np.ndarray  # no device op ran: safe in DataLoader workers


def test_normalize_matches_formula_and_inplace():
    x = chw_float()
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    ref = (x.numpy() - np.array(mean, np.float32)[:, None, None]) / np.array(std, np.float32)[
        :, None, None
    ]
    y = T.Normalize(mean, std)(x)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-6, atol=1e-6)
    before = x.numpy().copy()
    assert np.array_equal(x.numpy(), before)  # out of place by default
    z = T.Normalize(mean, std, inplace=True)(x)
    assert z is x
    np.testing.assert_allclose(x.numpy(), ref, rtol=1e-6, atol=1e-6)
    with pytest.raises(TypeError, match="Input tensor should be a float tensor"):
        F.normalize(tl.from_numpy(RGB.transpose(2, 0, 1).copy()), mean, std)
    with pytest.raises(ValueError, match="std evaluated to zero"):
        F.normalize(chw_float(), mean, (1.0, 0.0, 1.0))


def test_normalize_on_device_tensor_gives_same_values():
    x = tl.tensor(RNG.random((3, 5, 6), dtype=np.float32)) * 1.0  # a lazy (device) tensor
    y = F.normalize(x, (0.5, 0.5, 0.5), (0.25, 0.25, 0.25))
    np.testing.assert_allclose(y.numpy(), (x.numpy() - 0.5) / 0.25, rtol=1e-6)


def test_convert_image_dtype_formulas():
    u8 = tl.from_numpy(RGB.transpose(2, 0, 1).copy())
    f = T.ConvertImageDtype(tl.float32)(u8)
    np.testing.assert_array_equal(
        f.numpy(), RGB.transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    )
    back = F.convert_image_dtype(f, tl.uint8)
    np.testing.assert_array_equal(back.numpy(), (f.numpy() * (255 + 1 - 1e-3)).astype(np.uint8))
    assert np.array_equal(back.numpy(), RGB.transpose(2, 0, 1))
    i16 = F.convert_image_dtype(u8, tl.int16)
    np.testing.assert_array_equal(i16.numpy(), RGB.transpose(2, 0, 1).astype(np.int16) * 128)
    with pytest.raises(RuntimeError, match="cannot be performed safely"):
        F.convert_image_dtype(f, tl.int32)


# -- geometry -------------------------------------------------------------------------------------


def test_resize_pil_int_is_shorter_side_and_equals_pil_resize():
    out = T.Resize(10)(PIL_RGB)
    assert out.size == (14, 10)  # (W, H): the shorter side H=20 -> 10, W = int(10 * 28 / 20)
    assert np.array_equal(np.asarray(out), np.asarray(PIL_RGB.resize((14, 10), Image.BILINEAR)))
    out = T.Resize((7, 9), interpolation=T.InterpolationMode.BICUBIC)(PIL_RGB)
    assert np.array_equal(np.asarray(out), np.asarray(PIL_RGB.resize((9, 7), Image.BICUBIC)))
    out = T.Resize(8, interpolation=Image.NEAREST)(PIL_RGB)  # PIL int constants are accepted
    assert out.size == (11, 8)
    assert np.array_equal(np.asarray(out), np.asarray(PIL_RGB.resize((11, 8), Image.NEAREST)))


def test_resize_max_size():
    assert T.Resize(10, max_size=12)(PIL_RGB).size == (12, 8)
    with pytest.raises(ValueError, match="must be strictly greater"):
        T.Resize(10, max_size=10)(PIL_RGB)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic", "nearest"])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("size", [(9, 13), (31, 40)])
def test_resize_tensor_matches_torch_interpolate(mode, antialias, size):
    x = RNG.random((2, 3, 20, 28), dtype=np.float32)
    out = F.resize(tl.from_numpy(x), list(size), T.InterpolationMode(mode), antialias=antialias)
    kw = {} if mode == "nearest" else {"align_corners": False, "antialias": antialias}
    ref = pt.nn.functional.interpolate(pt.from_numpy(x), size=size, mode=mode, **kw).numpy()
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-5, atol=1e-5)


def test_resize_uint8_tensor_rounds_like_torchvision():
    x = RGB.transpose(2, 0, 1).copy()
    out = F.resize(tl.from_numpy(x), [9, 13])
    ref = pt.nn.functional.interpolate(
        pt.from_numpy(x[None]).float(),
        size=(9, 13),
        mode="bilinear",
        align_corners=False,
        antialias=True,
    )[0]
    assert out.dtype == tl.uint8
    assert np.abs(out.numpy().astype(int) - ref.round().numpy().astype(int)).max() <= 1


def test_center_crop_box_math_pil_and_tensor():
    out = T.CenterCrop((10, 15))(PIL_RGB)
    top, left = int(round((20 - 10) / 2.0)), int(round((28 - 15) / 2.0))
    assert np.array_equal(np.asarray(out), RGB[top : top + 10, left : left + 15])
    t = T.CenterCrop(11)(tl.from_numpy(RGB.transpose(2, 0, 1).copy()))
    top, left = int(round(9 / 2.0)), int(round(17 / 2.0))
    np.testing.assert_array_equal(
        t.numpy(), RGB.transpose(2, 0, 1)[:, top : top + 11, left : left + 11]
    )


def test_center_crop_larger_than_image_pads_with_zeros():
    out = np.asarray(T.CenterCrop((24, 30))(PIL_RGB))
    assert out.shape == (24, 30, 3)
    assert np.array_equal(out[2:22, 1:29], RGB) and out[:2].max() == 0 and out[:, :1].max() == 0
    t = T.CenterCrop((24, 30))(tl.from_numpy(RGB.transpose(2, 0, 1).copy()))
    np.testing.assert_array_equal(t.numpy().transpose(1, 2, 0), out)


def test_flips():
    assert np.array_equal(np.asarray(T.RandomHorizontalFlip(p=1.0)(PIL_RGB)), RGB[:, ::-1])
    assert np.array_equal(np.asarray(T.RandomVerticalFlip(p=1.0)(PIL_RGB)), RGB[::-1])
    assert T.RandomHorizontalFlip(p=0.0)(PIL_RGB) is PIL_RGB
    x = chw_float()
    np.testing.assert_array_equal(F.hflip(x).numpy(), x.numpy()[..., ::-1])
    np.testing.assert_array_equal(F.vflip(x).numpy(), x.numpy()[..., ::-1, :])


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_modes_pil_and_tensor_match_numpy(mode):
    kw = {"constant_values": 7} if mode == "constant" else {}
    ref = np.pad(RGB, ((2, 4), (1, 3), (0, 0)), mode=mode, **kw)
    out = T.Pad((1, 2, 3, 4), fill=7, padding_mode=mode)(PIL_RGB)
    assert np.array_equal(np.asarray(out), ref)
    t = F.pad(tl.from_numpy(RGB.transpose(2, 0, 1).copy()), [1, 2, 3, 4], fill=7, padding_mode=mode)
    np.testing.assert_array_equal(t.numpy().transpose(1, 2, 0), ref)


def test_random_crop_padding_and_pad_if_needed():
    tl.manual_seed(0)
    out = T.RandomCrop(20, padding=4)(PIL_RGB)
    assert out.size == (20, 20)
    out = T.RandomCrop((30, 32), pad_if_needed=True)(PIL_RGB)
    assert out.size == (32, 30)
    with pytest.raises(ValueError, match="larger than input image size"):
        T.RandomCrop(30)(PIL_RGB)
    # every crop is a window of the padded image
    padded = np.pad(RGB, ((4, 4), (4, 4), (0, 0)))
    for _ in range(5):
        c = np.asarray(T.RandomCrop(20, padding=4)(PIL_RGB))
        found = any(
            np.array_equal(padded[i : i + 20, j : j + 20], c) for i in range(9) for j in range(17)
        )
        assert found


def test_random_resized_crop_size_and_scale_bounds():
    tl.manual_seed(1)
    out = T.RandomResizedCrop(16)(PIL_RGB)
    assert out.size == (16, 16)
    assert T.RandomResizedCrop((8, 12))(chw_float()).shape == (3, 8, 12)
    img = Image.new("RGB", (100, 100))
    areas, ratios = [], []
    for _ in range(200):
        i, j, h, w = T.RandomResizedCrop.get_params(img, (0.25, 0.5), (3 / 4, 4 / 3))
        assert 0 <= i <= 100 - h and 0 <= j <= 100 - w
        areas.append(h * w / 1e4)
        ratios.append(w / h)
    # rounding of h, w moves the area/ratio slightly past the requested bounds
    assert 0.23 <= min(areas) and max(areas) <= 0.52 and max(areas) - min(areas) > 0.15
    assert 0.7 <= min(ratios) and max(ratios) <= 1.4


def test_random_resized_crop_fallback_is_centre_crop_clamped_to_ratio():
    img = Image.new("RGB", (100, 10))  # too wide for any try at ratio <= 4/3 and scale >= 0.9
    i, j, h, w = T.RandomResizedCrop.get_params(img, (0.9, 1.0), (3 / 4, 4 / 3))
    assert (h, w) == (10, 13) and (i, j) == (0, (100 - 13) // 2)


def test_randomness_follows_manual_seed():
    def draws():
        return [
            T.RandomResizedCrop.get_params(PIL_RGB, (0.08, 1.0), (3 / 4, 4 / 3)) for _ in range(5)
        ]

    tl.manual_seed(123)
    a = draws()
    tl.manual_seed(123)
    assert draws() == a
    tl.manual_seed(124)
    assert draws() != a


def test_rotate_90_equals_rot90_pil_and_tensor():
    sq = RNG.integers(0, 256, (3, 9, 9), dtype=np.uint8)
    t = F.rotate(tl.from_numpy(sq), 90.0)
    np.testing.assert_array_equal(t.numpy(), np.rot90(sq, 1, axes=(1, 2)))
    p = F.rotate(Image.fromarray(sq.transpose(1, 2, 0)), 90.0)
    np.testing.assert_array_equal(np.asarray(p), np.rot90(sq.transpose(1, 2, 0), 1, axes=(0, 1)))
    # corners of a 9x9 image rotated 45 degrees reach +-6.36: ceil(6.36) - floor(-6.36) = 14
    assert F.rotate(tl.from_numpy(sq), 45.0, expand=True).shape == (3, 14, 14)
    f = F.rotate(tl.from_numpy(sq.astype(np.float32)), 45.0, fill=[5.0, 5.0, 5.0])
    assert f.numpy()[:, 0, 0].tolist() == [5.0, 5.0, 5.0]


def test_random_rotation_and_affine_shapes():
    tl.manual_seed(0)
    assert T.RandomRotation(15)(PIL_RGB).size == PIL_RGB.size
    assert T.RandomAffine(10, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5)(
        chw_float()
    ).shape == (3, 20, 28)
    ident = F.affine(chw_float(), 0.0, [0, 0], 1.0, 0.0)
    assert ident.shape == (3, 20, 28)
    x = chw_float()
    np.testing.assert_allclose(F.affine(x, 0.0, [0, 0], 1.0, 0.0).numpy(), x.numpy())


# -- colour ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn,enh",
    [
        (F.adjust_brightness, ImageEnhance.Brightness),
        (F.adjust_contrast, ImageEnhance.Contrast),
        (F.adjust_saturation, ImageEnhance.Color),
    ],
)
def test_color_adjustments_on_pil_equal_image_enhance(fn, enh):
    for factor in (0.3, 1.0, 1.7):
        assert np.array_equal(
            np.asarray(fn(PIL_RGB, factor)), np.asarray(enh(PIL_RGB).enhance(factor))
        )


def test_color_adjustments_on_tensors_follow_blend_formula():
    x = chw_float().numpy()
    gray = 0.2989 * x[0] + 0.587 * x[1] + 0.114 * x[2]
    b = F.adjust_brightness(tl.from_numpy(x), 1.3).numpy()
    np.testing.assert_allclose(b, np.clip(1.3 * x, 0, 1), rtol=1e-6)
    c = F.adjust_contrast(tl.from_numpy(x), 0.5).numpy()
    np.testing.assert_allclose(c, np.clip(0.5 * x + 0.5 * gray.mean(), 0, 1), rtol=1e-5, atol=1e-6)
    s = F.adjust_saturation(tl.from_numpy(x), 0.2).numpy()
    np.testing.assert_allclose(s, np.clip(0.2 * x + 0.8 * gray, 0, 1), rtol=1e-5, atol=1e-6)


def test_adjust_hue():
    x = chw_float()
    np.testing.assert_allclose(F.adjust_hue(x, 0.0).numpy(), x.numpy(), atol=1e-5)
    # a hue shift of 1/3 maps pure red to pure green
    red = np.zeros((3, 2, 2), np.float32)
    red[0] = 1.0
    np.testing.assert_allclose(F.adjust_hue(tl.from_numpy(red), 1 / 3).numpy()[1], 1.0, atol=1e-5)
    out = np.asarray(F.adjust_hue(PIL_RGB, 0.25))
    h, s, v = PIL_RGB.convert("HSV").split()
    h = Image.fromarray(((np.asarray(h).astype(int) + int(0.25 * 255)) % 256).astype(np.uint8), "L")
    assert np.array_equal(out, np.asarray(Image.merge("HSV", (h, s, v)).convert("RGB")))
    with pytest.raises(ValueError, match=r"hue_factor \(0.7\) is not in \[-0.5, 0.5\]"):
        F.adjust_hue(PIL_RGB, 0.7)


def test_color_jitter_ranges_and_application():
    cj = T.ColorJitter(brightness=0.5, hue=0.1)
    assert cj.brightness == (0.5, 1.5) and cj.contrast is None and cj.hue == (-0.1, 0.1)
    tl.manual_seed(0)
    order, b, c, s, h = T.ColorJitter.get_params(cj.brightness, None, None, cj.hue)
    assert (
        sorted(order.tolist()) == [0, 1, 2, 3]
        and 0.5 <= b <= 1.5
        and c is None
        and -0.1 <= h <= 0.1
    )
    assert cj(PIL_RGB).size == PIL_RGB.size and cj(chw_float()).shape == (3, 20, 28)
    with pytest.raises(ValueError, match="hue values should be between"):
        T.ColorJitter(hue=0.8)


def test_grayscale():
    g = T.Grayscale()(PIL_RGB)
    assert g.mode == "L" and np.array_equal(np.asarray(g), np.asarray(PIL_RGB.convert("L")))
    g3 = np.asarray(T.Grayscale(3)(PIL_RGB))
    assert g3.shape == (20, 28, 3) and np.array_equal(g3[..., 2], np.asarray(PIL_RGB.convert("L")))
    x = chw_float().numpy()
    t = T.Grayscale()(tl.from_numpy(x)).numpy()
    np.testing.assert_allclose(t[0], 0.2989 * x[0] + 0.587 * x[1] + 0.114 * x[2], rtol=1e-6)
    assert T.RandomGrayscale(p=1.0)(PIL_RGB).mode == "RGB"  # keeps the channel count


def test_gaussian_blur_matches_torch_conv_reference():
    x = RNG.random((3, 12, 15), dtype=np.float32)
    out = F.gaussian_blur(tl.from_numpy(x), [5, 3], [1.2, 0.7]).numpy()

    def k1(n, s):
        t = pt.linspace(-(n - 1) * 0.5, (n - 1) * 0.5, n)
        p = pt.exp(-0.5 * (t / s) ** 2)
        return p / p.sum()

    k2 = pt.mm(k1(3, 0.7)[:, None], k1(5, 1.2)[None, :]).expand(3, 1, 3, 5)
    padded = pt.nn.functional.pad(pt.from_numpy(x)[None], [2, 2, 1, 1], mode="reflect")
    ref = pt.nn.functional.conv2d(padded, k2, groups=3)[0].numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    assert T.GaussianBlur(3)(PIL_RGB).size == PIL_RGB.size
    with pytest.raises(ValueError, match="odd and positive"):
        T.GaussianBlur(4)


def test_random_erasing_erases_one_rectangle():
    tl.manual_seed(3)
    x = tl.from_numpy(np.ones((3, 20, 28), np.float32))
    y = T.RandomErasing(p=1.0, value=0)(x).numpy()
    zero = np.argwhere(y[0] == 0)
    assert len(zero) > 0
    (r0, c0), (r1, c1) = zero.min(0), zero.max(0)
    assert (y[:, r0 : r1 + 1, c0 : c1 + 1] == 0).all() and (y == 0).sum() == 3 * (r1 - r0 + 1) * (
        c1 - c0 + 1
    )
    assert np.asarray(x).min() == 1.0  # not in place by default
    with pytest.raises(ValueError, match="should be 'random'"):
        T.RandomErasing(value="x")


def test_containers():
    tl.manual_seed(0)
    assert T.Lambda(lambda im: im.size)(PIL_RGB) == (28, 20)
    assert T.RandomApply([T.Lambda(lambda im: "done")], p=1.0)(PIL_RGB) == "done"
    assert T.RandomApply([T.Lambda(lambda im: "done")], p=0.0)(PIL_RGB) is PIL_RGB
    assert T.RandomChoice([T.Lambda(lambda im: 1), T.Lambda(lambda im: 2)])(PIL_RGB) in (1, 2)
    seen = []
    T.RandomOrder([T.Lambda(lambda im: seen.append(1)), T.Lambda(lambda im: seen.append(2))])(
        PIL_RGB
    )
    assert sorted(seen) == [1, 2]
    with pytest.raises(TypeError, match="should be callable"):
        T.Lambda(3)


def test_reprs_match_torchvision():
    assert (
        repr(T.Resize(256))
        == "Resize(size=256, interpolation=bilinear, max_size=None, antialias=True)"
    )
    assert repr(T.CenterCrop(224)) == "CenterCrop(size=(224, 224))"
    assert repr(T.Normalize((0.5,), (0.5,))) == "Normalize(mean=(0.5,), std=(0.5,))"
    assert repr(T.RandomResizedCrop(224)) == (
        "RandomResizedCrop(size=(224, 224), scale=(0.08, 1.0), ratio=(0.75, 1.3333), interpolation=bilinear, "
        "antialias=True)"
    )
    assert repr(T.RandomCrop(32, padding=4)) == "RandomCrop(size=(32, 32), padding=4)"
    assert repr(T.RandomHorizontalFlip()) == "RandomHorizontalFlip(p=0.5)"
    assert (
        repr(T.ColorJitter(0.4, 0.4))
        == "ColorJitter(brightness=(0.6, 1.4), contrast=(0.6, 1.4), saturation=None, hue=None)"
    )
    assert repr(T.RandomRotation(10)) == (
        "RandomRotation(degrees=[-10.0, 10.0], interpolation=nearest, expand=False, fill=0)"
    )
    assert repr(T.Grayscale(3)) == "Grayscale(num_output_channels=3)"
    assert repr(T.Pad(2)) == "Pad(padding=2, fill=0, padding_mode=constant)"
    assert repr(T.ConvertImageDtype(tl.float32)) == "ConvertImageDtype()"
    assert repr(T.GaussianBlur(3)) == "GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))"
    assert (
        repr(T.RandomErasing())
        == "RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False)"
    )
    assert repr(T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])) == (
        "Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), std=(0.3081,))\n)"
    )
    assert (
        repr(T.RandomApply([T.Grayscale()], p=0.3))
        == "RandomApply(\n    p=0.3\n    Grayscale(num_output_channels=1)\n)"
    )
    assert (
        repr(T.RandomAffine(10, scale=(0.9, 1.1)))
        == "RandomAffine(degrees=[-10.0, 10.0], scale=(0.9, 1.1))"
    )


def test_normalize_is_an_nn_module():
    assert isinstance(T.Normalize((0.5,), (0.5,)), tl.nn.Module)


def test_v2_namespace():
    from torchlike.vision.transforms import v2

    out = v2.Compose(
        [v2.ToImage(), v2.ToDtype(tl.float32, scale=True), v2.Normalize([0.5] * 3, [0.5] * 3)]
    )(PIL_RGB)
    np.testing.assert_allclose(
        out.numpy(), (RGB.transpose(2, 0, 1) / np.float32(255) - 0.5) / 0.5, rtol=1e-6
    )
    assert v2.RandomResizedCrop is T.RandomResizedCrop
