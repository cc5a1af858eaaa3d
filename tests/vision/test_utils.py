"""vision.utils.make_grid / save_image against torchvision's documented layout and rounding."""

import numpy as np
import pytest
from PIL import Image

import torchlike as tl
from torchlike.vision import utils


def batch(n=5, c=3, h=4, w=6, seed=0):
    return np.random.default_rng(seed).random((n, c, h, w), dtype=np.float32)


def test_make_grid_layout_and_padding():
    x = batch()
    grid = utils.make_grid(tl.from_numpy(x), nrow=3, padding=2, pad_value=0.5).numpy()
    # 3 columns x 2 rows of (4+2) x (6+2) cells, plus the outer padding
    assert grid.shape == (3, 2 * 6 + 2, 3 * 8 + 2)
    for k in range(5):
        y, xk = divmod(k, 3)
        np.testing.assert_array_equal(
            grid[:, 2 + y * 6 : 2 + y * 6 + 4, 2 + xk * 8 : 2 + xk * 8 + 6], x[k]
        )
    assert np.all(grid[:, :2] == 0.5) and np.all(
        grid[:, 8:, 18:] == 0.5
    )  # padding and the empty 6th cell


def test_make_grid_single_channel_list_and_single_image():
    x = batch(n=2, c=1)
    grid = utils.make_grid([tl.from_numpy(x[0]), tl.from_numpy(x[1])], padding=0).numpy()
    assert grid.shape == (3, 4, 12)  # one channel is repeated to three
    np.testing.assert_array_equal(grid[2, :, 6:], x[1, 0])
    single = utils.make_grid(tl.from_numpy(x[0])).numpy()
    assert single.shape == (3, 4, 6)
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        utils.make_grid(x)


def test_make_grid_normalize_and_scale_each():
    x = batch(n=2) * 4 - 1
    g = utils.make_grid(tl.from_numpy(x), normalize=True, padding=0).numpy()
    np.testing.assert_allclose(
        g[:, :, :6], (x[0] - x.min()) / (x.max() - x.min()), rtol=1e-6, atol=1e-7
    )
    g = utils.make_grid(tl.from_numpy(x), normalize=True, scale_each=True, padding=0).numpy()
    np.testing.assert_allclose(
        g[:, :, 6:], (x[1] - x[1].min()) / (x[1].max() - x[1].min()), rtol=1e-6, atol=1e-7
    )
    g = utils.make_grid(tl.from_numpy(x), normalize=True, value_range=(0.0, 1.0), padding=0).numpy()
    np.testing.assert_allclose(g[:, :, :6], np.clip(x[0], 0, 1), rtol=1e-6)
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        utils.make_grid(tl.from_numpy(x), normalize=True, value_range=[0, 1])


def test_make_grid_of_a_device_tensor_requiring_grad():
    x = tl.tensor(batch(n=2), requires_grad=True) * 1.0
    assert utils.make_grid(x, nrow=2).shape == (3, 8, 18)


def test_save_image_rounds_to_uint8(tmp_path):
    x = batch(n=4)
    path = str(tmp_path / "grid.png")
    utils.save_image(tl.from_numpy(x), path, nrow=2, padding=1)
    saved = np.asarray(Image.open(path))
    grid = utils.make_grid(tl.from_numpy(x), nrow=2, padding=1).numpy()
    expected = np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    assert saved.shape == (2 * 5 + 1, 2 * 7 + 1, 3) and np.array_equal(saved, expected)
    assert saved[1, 1, 0] == int(x[0, 0, 0, 0] * 255 + 0.5)
