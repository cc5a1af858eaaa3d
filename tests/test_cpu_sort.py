"""torchlike._cpu_sort replays the order PyTorch's CPU torch.sort (stable=False) gives equal keys."""

import numpy as np
import pytest

from torchlike._cpu_sort import cpu_sort_indices

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("high", [2, 5, 1000])
def test_cpu_sort_indices_matches_pytorch_on_ties(descending, high):
    rng = np.random.default_rng(high)
    for n in [1, 2, 15, 16, 17, 33, 100, 257]:
        keys = rng.integers(0, high, n)
        want = torch.sort(torch.tensor(keys), descending=descending).indices.numpy()
        np.testing.assert_array_equal(cpu_sort_indices(keys, descending), want)


@pytest.mark.parametrize("descending", [False, True])
def test_cpu_sort_indices_puts_nan_where_pytorch_does(descending):
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 4, 60).astype(np.float32)
    keys[rng.random(60) < 0.2] = np.nan
    want = torch.sort(torch.tensor(keys), descending=descending).indices.numpy()
    np.testing.assert_array_equal(cpu_sort_indices(keys, descending), want)


def test_cpu_sort_indices_heapsort_fallback_matches_pytorch():
    # Musser's median-of-three killer drives introsort past its depth limit into heapsort
    n = 1000
    k = n // 2
    keys = [0] * n
    for i in range(1, k + 1):
        if i % 2:
            keys[i - 1], keys[i] = i, k + i
        keys[k + i - 1] = 2 * i
    for descending in (False, True):
        want = torch.sort(torch.tensor(keys), descending=descending).indices.numpy()
        np.testing.assert_array_equal(cpu_sort_indices(np.array(keys), descending), want)
