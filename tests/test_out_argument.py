"""``out=``: the result is written into the given tensor as ATen's ``*_out`` kernels do (resized
with PyTorch's deprecation warning, dtype kept, refused for results that need a gradient), for
registered ops and for torch functions written in Python (factories, cat, max, linalg, ...)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


def _both(fn):
    """Run ``fn(lib)`` under PyTorch and torchlike; return (values, warning texts) of each."""
    results = []
    for lib in (torch, tl):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn(lib)
        results.append((value, sorted(str(w.message).split(" (Triggered")[0] for w in caught)))
    return results


def _np(t):
    return np.asarray(t.tolist())


def test_out_of_another_shape_is_resized_with_pytorch_warning():
    def run(lib):
        x, y = lib.arange(12.0).view(4, 3), lib.ones(4, 3)
        result = lib.empty(5, 3)
        returned = lib.add(x, y, out=result)
        return returned is result, result.shape, _np(result)

    (pt, pt_warn), (tlv, tl_warn) = _both(run)
    assert pt[0] and tlv[0]
    assert tuple(tlv[1]) == tuple(pt[1]) == (4, 3)
    np.testing.assert_array_equal(tlv[2], pt[2])
    assert tl_warn == pt_warn and len(pt_warn) == 1


def test_empty_out_is_resized_without_warning():
    def run(lib):
        out = lib.empty(0)
        lib.mul(lib.ones(2, 2), 3, out=out)
        return _np(out)

    (pt, pt_warn), (tlv, tl_warn) = _both(run)
    np.testing.assert_array_equal(tlv, pt)
    assert pt_warn == tl_warn == []


def test_out_keeps_its_dtype_and_refuses_a_narrower_one():
    def run(lib):
        out = lib.empty(3, dtype=lib.int64)
        lib.add(lib.ones(3, dtype=lib.int32), 1, out=out)
        try:
            lib.add(lib.ones(3), 1, out=lib.empty(3, dtype=lib.int64))
        except RuntimeError as err:
            message = str(err)
        return str(out.dtype), _np(out), message

    (pt, _), (tlv, _) = _both(run)
    assert tlv[0] == pt[0] and tlv[2] == pt[2]
    np.testing.assert_array_equal(tlv[1], pt[1])


def test_out_refused_when_the_result_needs_a_gradient():
    def run(lib):
        x = lib.ones(2, requires_grad=True)
        try:
            lib.add(x, 1, out=lib.empty(2))
        except RuntimeError as err:
            return str(err)

    (pt, _), (tlv, _) = _both(run)
    assert pt is not None and tlv == pt


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, out: lib.zeros(2, 3, out=out),
        lambda lib, out: lib.ones(4, out=out),
        lambda lib, out: lib.full((2, 2), 7, out=out),
        lambda lib, out: lib.eye(3, out=out),
        lambda lib, out: lib.arange(5, out=out),
        lambda lib, out: lib.linspace(0, 1, 5, out=out),
    ],
    ids=["zeros", "ones", "full", "eye", "arange", "linspace"],
)
@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_factories_write_into_out_with_its_dtype(call, dtype):
    def run(lib):
        out = lib.empty(3, dtype=getattr(lib, dtype))
        returned = call(lib, out)
        return returned is out, str(out.dtype), tuple(out.shape), _np(out)

    (pt, _), (tlv, _) = _both(run)
    assert pt[0] and tlv[0]
    assert tlv[1:3] == pt[1:3]
    np.testing.assert_array_equal(tlv[3], pt[3])


def test_random_factory_out_draws_the_same_numbers():
    def run(lib):
        lib.manual_seed(3)
        out = lib.empty(2)
        lib.rand(4, out=out)
        return _np(out)

    (pt, pt_warn), (tlv, tl_warn) = _both(run)
    np.testing.assert_allclose(tlv, pt)
    assert pt_warn == tl_warn == []


def test_python_level_functions_write_out():
    def run(lib):
        a = lib.tensor([[1.0, 5.0], [3.0, 2.0]])
        cat_out = lib.empty(0)
        lib.cat([a, a], out=cat_out)
        stack_out = lib.empty(0)
        lib.stack([a[0], a[1]], out=stack_out)
        values, indices = lib.empty(0), lib.empty(0, dtype=lib.int64)
        pair = lib.max(a, 1, out=(values, indices))
        sorted_v, sorted_i = lib.empty(0), lib.empty(0, dtype=lib.int64)
        lib.sort(lib.tensor([3.0, 1.0, 2.0]), out=(sorted_v, sorted_i))
        det = lib.empty(0)
        lib.linalg.det(a, out=det)
        return (
            _np(cat_out), _np(stack_out), _np(values), _np(indices), type(pair).__name__,
            pair.values is values, _np(sorted_v), _np(sorted_i), _np(det),
        )

    (pt, pt_warn), (tlv, tl_warn) = _both(run)
    for got, want in zip(tlv, pt):
        np.testing.assert_allclose(got, want) if isinstance(want, np.ndarray) else None
        assert isinstance(want, np.ndarray) or got == want
    assert tl_warn == pt_warn == []
