"""A map-style dataset whose __getitem__ slices and transforms a stored tensor returns lazy values:
the DataLoader computes each sample as it is fetched (one small cached program) instead of one
program holding B copies of the sample's ops; batches equal PyTorch's."""

import numpy as np
import pytest

import torchlike as tl
from torchlike._engine import metrics as engine_metrics

pt = pytest.importorskip("torch")


def _dataset_class(lib, extra=0):
    class Images(lib.utils.data.Dataset):
        def __init__(self, n):
            g = lib.Generator().manual_seed(3)
            self.data = lib.rand(n, 3, 8, 8, generator=g)
            self.targets = lib.randint(0, 10, (n,), generator=g).tolist()

        def __len__(self):
            return len(self.data)

        def __getitem__(self, index):
            img = self.data[index].permute(1, 2, 0).contiguous().mul(255).div(255).permute(2, 0, 1)
            for _ in range(extra):  # a chain no other test compiled
                img = img.neg()
            return img.float() * 2 - 1, self.targets[index]

    return Images


def _batches(lib, batch_size, subset=False, extra=0):
    lib.manual_seed(0)
    dataset = _dataset_class(lib, extra)(40)
    if subset:
        dataset, _ = lib.utils.data.random_split(dataset, [30, 10])
    loader = lib.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True)
    return [(x.numpy().copy(), y.numpy().copy()) for x, y in loader]


def _largest_program(fn):
    """Run ``fn`` and return its result and the op count of the largest program compiled for it."""
    sizes = []
    original = engine_metrics.note_compile

    def note(site, ops, *rest):
        sizes.append(len(ops))
        return original(site, ops, *rest)

    engine_metrics.note_compile = note
    try:
        result = fn()
    finally:
        engine_metrics.note_compile = original
    return result, max(sizes, default=0)


@pytest.mark.parametrize("subset", [False, True], ids=["dataset", "random_split_subset"])
def test_lazy_samples_batch_like_pytorch(subset):
    got = _batches(tl, 16, subset)
    want = _batches(pt, 16, subset)
    assert len(got) == len(want)
    for (gx, gy), (wx, wy) in zip(got, want):
        assert gx.shape == wx.shape and gx.dtype == wx.dtype
        np.testing.assert_allclose(gx, wx, rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(gy, wy)


@pytest.mark.parametrize("subset", [False, True], ids=["dataset", "random_split_subset"])
def test_program_size_does_not_grow_with_batch_size(subset, no_host_eval):
    # programs are cached by structure: each run gets an op chain no other run compiled (the samples
    # are small host tensors, which NumPy would compute with no program at all: turned off here)
    extra = 4 if subset else 8
    _, small = _largest_program(lambda: _batches(tl, 2, subset, extra))
    _, large = _largest_program(lambda: _batches(tl, 20, subset, extra + 1))
    assert 0 < large <= small + 2, (small, large)
