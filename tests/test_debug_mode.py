"""Debug (eager) mode: out-of-range indices raise instead of being clamped by XLA."""

import pytest

import torchlike as tl


@pytest.fixture
def eager():
    tl.set_eager(True)
    yield
    tl.set_eager(False)


def test_advanced_index_out_of_range_raises_in_debug_mode(eager):
    with pytest.raises(IndexError, match="index 10 is out of bounds for dimension 0 with size 5"):
        tl.arange(5.0)[tl.tensor([10])]


def test_gather_out_of_range_raises_in_debug_mode(eager):
    with pytest.raises(RuntimeError, match="out of bounds"):
        tl.gather(tl.ones(2, 3), 1, tl.tensor([[0, 3]]))


def test_embedding_out_of_range_raises_in_debug_mode(eager):
    emb = tl.nn.Embedding(4, 2)
    with pytest.raises(IndexError, match="index out of range in self"):
        emb(tl.tensor([1, 4]))


def test_lazy_mode_clamps_computed_indices_silently_as_documented(no_host_eval):
    # (an index whose value is on the host already is checked in every mode: test_index_bounds.py;
    # so is one computed from it by the NumPy shortcut for small tensors, turned off here)
    assert tl.arange(5.0)[tl.tensor([5]) * 2].tolist() == [4.0]
