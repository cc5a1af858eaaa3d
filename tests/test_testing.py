"""torch.testing against PyTorch: assert_close's verdicts and exact messages, assert_allclose, make_tensor."""

import warnings

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl


def outcome(lib, build):
    """(exception type name, message) that torch.testing raises for build(lib), or ('ok', '')."""
    try:
        build(lib)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return "ok", ""


CASES = {
    "close": lambda L: L.testing.assert_close(L.tensor([1.0, 2.0]), L.tensor([1.0, 2.000001])),
    "one_mismatch": lambda L: L.testing.assert_close(L.tensor([1.0, 2.0, 3.0]), L.tensor([1.0, 2.0, 3.1])),
    "dtype": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([1.0], dtype=L.float64)),
    "dtype_unchecked": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([1.0], dtype=L.float64),
                                                        check_dtype=False),
    "shape": lambda L: L.testing.assert_close(L.tensor([1.0, 2.0]), L.tensor([1.0])),
    "int_equal": lambda L: L.testing.assert_close(L.tensor([1, 2, 3]), L.tensor([1, 2, 5])),
    "scalar_tensor": lambda L: L.testing.assert_close(L.tensor(1.5), L.tensor(1.6)),
    "numbers": lambda L: L.testing.assert_close(1.5, 1.6),
    "number_types": lambda L: L.testing.assert_close(1, 1.0),
    "sequence_item": lambda L: L.testing.assert_close([L.tensor([1.0]), 1.0], [L.tensor([1.0]), 2.0]),
    "sequence_len": lambda L: L.testing.assert_close([1.0], [1.0, 2.0]),
    "mapping_keys": lambda L: L.testing.assert_close({"x": 1.0}, {"y": 1.0}),
    "nested_item": lambda L: L.testing.assert_close({"y": [L.tensor([1.0, 2.0])]}, {"y": [L.tensor([2.0, 2.0])]}),
    "tensor_vs_list": lambda L: L.testing.assert_close(L.tensor([1.0]), [1.0]),
    "msg_str": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([2.0]), msg="custom"),
    "msg_callable": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([2.0]), msg=lambda m: f"H\n{m}\nF"),
    "only_rtol": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([1.0]), rtol=1e-2),
    "zero_tolerance": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([1.001]), rtol=0, atol=0),
    "loose_tolerance": lambda L: L.testing.assert_close(L.tensor([1.0]), L.tensor([1.001]), rtol=1e-2, atol=0),
    "nan": lambda L: L.testing.assert_close(L.tensor([float("nan"), 1.0]), L.tensor([float("nan"), 1.0])),
    "equal_nan": lambda L: L.testing.assert_close(L.tensor([float("nan")]), L.tensor([float("nan")]), equal_nan=True),
    "inf_rel": lambda L: L.testing.assert_close(L.tensor([[1.0, 0.0], [2.0, 3.0]]), L.tensor([[1.0, 0.5], [2.0, 0.0]])),
    "bool": lambda L: L.testing.assert_close(L.tensor([True, False]), L.tensor([True, True])),
    "complex": lambda L: L.testing.assert_close(L.tensor([1 + 1j, 2j]), L.tensor([1 + 1j, 2.5j])),
    "numpy": lambda L: L.testing.assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.5])),
    "none": lambda L: L.testing.assert_close(None, 1.0),
    "booleans": lambda L: L.testing.assert_close(True, False),
    "float16": lambda L: L.testing.assert_close(L.tensor([1.0], dtype=L.float16), L.tensor([1.01], dtype=L.float16)),
    "bfloat16": lambda L: L.testing.assert_close(L.tensor([1.0], dtype=L.bfloat16), L.tensor([1.1], dtype=L.bfloat16)),
    "requires_grad": lambda L: L.testing.assert_close(L.tensor([1.0], requires_grad=True) * 2, L.tensor([2.0])),
    "allclose_within": lambda L: L.testing.assert_allclose(L.tensor([1.0, 3.0]), [1.0, 3.0001]),
    "allclose_outside": lambda L: L.testing.assert_allclose(L.tensor([1.0, 3.0]), [1.0, 3.1]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_assert_close_verdict_and_message_match_pytorch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert outcome(tl, CASES[name]) == outcome(pt, CASES[name])


def test_the_documented_message_format():
    with pytest.raises(AssertionError) as info:
        tl.testing.assert_close(tl.tensor([1.0, 2.0, 3.0]), tl.tensor([1.0, 2.0, 4.0]))
    assert str(info.value) == (
        "Tensor-likes are not close!\n\nMismatched elements: 1 / 3 (33.3%)\n"
        "Greatest absolute difference: 1.0 at index (2,) (up to 1e-05 allowed)\n"
        "Greatest relative difference: 0.25 at index (2,) (up to 1.3e-06 allowed)"
    )


def test_assert_allclose_warns_as_deprecated():
    with pytest.warns(FutureWarning, match="assert_allclose\\(\\)` is deprecated since 1.12"):
        tl.testing.assert_allclose(tl.tensor([1.0]), [1.0])


@pytest.mark.parametrize("dtype, low, high", [("float32", -9, 9), ("float64", -9, 9), ("int64", -9, 10),
                                              ("int32", -9, 10), ("uint8", 0, 10), ("bool", 0, 2)])
def test_make_tensor_default_ranges(dtype, low, high):
    tl.manual_seed(0)
    t = tl.testing.make_tensor((64, 8), dtype=getattr(tl, dtype), device="cpu")
    assert t.shape == (64, 8) and t.dtype == getattr(tl, dtype)
    v = t.numpy().astype(np.float64)
    assert v.min() >= low and v.max() < high
    assert len(np.unique(v)) > 1


def test_make_tensor_bounds_grad_and_complex():
    t = tl.testing.make_tensor(3, 4, dtype=tl.float32, device="cpu", low=-1, high=1, requires_grad=True)
    assert t.shape == (3, 4) and t.requires_grad and t.is_leaf
    assert bool(((t >= -1) & (t < 1)).all())
    c = tl.testing.make_tensor([5], dtype=tl.complex64, device="cpu", low=0, high=1)
    assert c.dtype == tl.complex64 and bool((c.real >= 0).all()) and bool((c.imag < 1).all())
    z = tl.testing.make_tensor(200, dtype=tl.int64, device="cpu", low=0, high=2, exclude_zero=True)
    assert bool((z == 1).all())


@pytest.mark.parametrize("kwargs", [dict(dtype="int64", requires_grad=True), dict(dtype="float32", low=2, high=1),
                                    dict(dtype="uint8", low=-5, high=-1), dict(dtype="float32", low=float("nan"))])
def test_make_tensor_errors_match_pytorch(kwargs):
    def build(L):
        kw = dict(kwargs, dtype=getattr(L, kwargs["dtype"]))
        return L.testing.make_tensor(3, device="cpu", **kw)

    assert outcome(tl, build) == outcome(pt, build)
