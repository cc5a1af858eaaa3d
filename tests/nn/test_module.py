"""nn.Module bookkeeping against PyTorch: load_state_dict's return value."""

import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _partial_load(lib):
    src = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Linear(2, 1))
    dst = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU(), lib.nn.Linear(2, 3))
    return dst.load_state_dict(src.state_dict(), strict=False)


def test_load_state_dict_result_prints_as_pytorchs_incompatible_keys():
    ours, theirs = _partial_load(tl), _partial_load(pt)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)
    assert repr(ours).startswith("_IncompatibleKeys(missing_keys=['2.weight'")
    assert ours.missing_keys == theirs.missing_keys
    assert ours.unexpected_keys == theirs.unexpected_keys


def test_load_state_dict_all_matched_prints_the_success_line():
    m = tl.nn.Linear(2, 2)
    result = m.load_state_dict(m.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert tuple(result) == ([], [])
