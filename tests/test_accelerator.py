"""torch.accelerator: the device-generic API the current tutorials pick their device with."""

import pytest

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402


def test_accelerator_picks_the_same_device_as_torch_on_this_host():
    def pick(torch):
        acc = torch.accelerator
        return acc.current_accelerator().type if acc.is_available() else "cpu"

    if tl.cuda.is_available() == pt.cuda.is_available():
        assert pick(tl) == pick(pt)
    assert (tl.accelerator.current_accelerator() is None) == (not tl.accelerator.is_available())
    assert tl.accelerator.device_count() == tl.cuda.device_count()


def test_accelerator_calls_run_without_an_accelerator():
    tl.accelerator.synchronize()
    with tl.accelerator.device_index(0):
        assert tl.accelerator.current_device_index() == 0
    assert tl.accelerator.memory_allocated() >= 0
