"""torch.finfo / torch.iinfo against PyTorch: every field and the repr."""

import pytest

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402

FIELDS = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution")


@pytest.mark.parametrize("name", ["float16", "bfloat16", "float32", "float64"])
def test_finfo_fields_and_repr_match_pytorch(name):
    ours, theirs = tl.finfo(getattr(tl, name)), pt.finfo(getattr(pt, name))
    for field in FIELDS:
        assert getattr(ours, field) == getattr(theirs, field), field
        assert type(getattr(ours, field)) is type(getattr(theirs, field)), field
    assert repr(ours) == repr(theirs)
    assert str(ours.resolution) == str(theirs.resolution)  # 1e-06, not 9.99999997e-07


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_fields_and_repr_match_pytorch(name):
    ours, theirs = tl.iinfo(getattr(tl, name)), pt.iinfo(getattr(pt, name))
    assert (ours.bits, ours.max, ours.min) == (theirs.bits, theirs.max, theirs.min)
    assert repr(ours) == repr(theirs)
