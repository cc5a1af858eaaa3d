"""Helpers shared by the utils.data tests: compare torchlike batches with PyTorch's."""

from __future__ import annotations

import numpy as np

import torchlike


def core_ready() -> bool:
    return hasattr(torchlike, "from_numpy") and isinstance(getattr(torchlike, "Tensor", None), type)


def is_batch_tensor(obj) -> bool:
    """A tensor leaf of a torchlike batch (a NumPy array while the Tensor core is absent)."""
    if core_ready():
        return isinstance(obj, torchlike.Tensor)
    return isinstance(obj, np.ndarray)


def host(obj) -> np.ndarray:
    return np.asarray(obj.numpy()) if hasattr(obj, "numpy") else np.asarray(obj)


def assert_same_batch(ours, theirs, path="batch"):
    """Same structure, container types, tensor values, shapes and dtypes as PyTorch's batch."""
    import torch as pt

    if isinstance(theirs, pt.Tensor):
        assert is_batch_tensor(ours), f"{path}: expected a tensor, got {type(ours)}"
        expected = theirs.numpy()
        actual = host(ours)
        assert actual.dtype == expected.dtype, f"{path}: dtype {actual.dtype} != {expected.dtype}"
        assert actual.shape == expected.shape, f"{path}: shape {actual.shape} != {expected.shape}"
        np.testing.assert_array_equal(actual, expected, err_msg=path)
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs), f"{path}: {type(ours)} != {type(theirs)}"
        assert list(ours) == list(theirs), f"{path}: keys {list(ours)} != {list(theirs)}"
        for key in theirs:
            assert_same_batch(ours[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs), f"{path}: {type(ours)} != {type(theirs)}"
        assert len(ours) == len(theirs), f"{path}: length {len(ours)} != {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_batch(a, b, f"{path}[{i}]")
    else:
        assert type(ours) is type(theirs) and ours == theirs, f"{path}: {ours!r} != {theirs!r}"


def assert_same_batches(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs), f"{len(ours)} batches != {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_same_batch(a, b, f"batch {i}")
