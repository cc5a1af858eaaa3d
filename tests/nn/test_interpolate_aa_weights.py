"""Antialiased interpolate matches PyTorch to float32 rounding: the filter weights are computed in
the input's float32 (as ATen's _compute_weights_aa does), not in double and then cast."""

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("size", [(36, 39), (32, 32), (20, 50), (17, 23)])
def test_antialias_downscale_matches_pytorch_to_float32_rounding(mode, size):
    img = np.random.RandomState(0).randint(0, 240, size=(2, 3, 40, 44)).astype(np.float32)
    want = torch.nn.functional.interpolate(
        torch.from_numpy(img), size=size, mode=mode, align_corners=False, antialias=True
    ).numpy()
    got = tl.nn.functional.interpolate(
        tl.from_numpy(img), size=size, mode=mode, align_corners=False, antialias=True
    ).numpy()
    assert got.shape == want.shape and got.dtype == want.dtype
    # bicubic's negative lobes cancel, so summation order shows a few ulps more
    np.testing.assert_allclose(got, want, rtol=5e-7, atol=2e-5 if mode == "bilinear" else 2e-4)


def test_antialias_resize_of_uint8_image_rounds_like_pytorch():
    img = np.random.RandomState(1).randint(0, 256, size=(1, 3, 41, 45)).astype(np.float32)
    want = torch.nn.functional.interpolate(
        torch.from_numpy(img), size=[36, 39], mode="bilinear", antialias=True
    )
    got = tl.nn.functional.interpolate(
        tl.from_numpy(img), size=[36, 39], mode="bilinear", antialias=True
    )
    assert (got.round().clamp(0, 255).to(tl.uint8).numpy() == want.round().clamp(0, 255).to(torch.uint8).numpy()).all()
