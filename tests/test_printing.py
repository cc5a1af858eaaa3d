"""format_tensor against repr() of real PyTorch tensors holding the same values."""

from __future__ import annotations

import contextlib

import ml_dtypes
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torchlike import _dtype, _printing
from torchlike._printing import format_tensor, get_printoptions, set_printoptions

_rng = np.random.default_rng(0)


def randn(*shape, scale=1.0, dtype=torch.float32):
    return torch.from_numpy(_rng.standard_normal(shape) * scale).to(dtype)


def host(t):
    """The NumPy copy a torchlike Tensor would hand to format_tensor."""
    t = t.detach()
    if t.dtype == torch.bfloat16:
        return t.float().numpy().astype(ml_dtypes.bfloat16)
    return t.numpy()


def torchlike_dtype(t):
    return _dtype.to_dtype(str(t.dtype))


def assert_repr_matches(t, suffixes=(), **kwargs):
    got = format_tensor(host(t), torchlike_dtype(t), list(suffixes), **kwargs)
    assert got == repr(t)


@contextlib.contextmanager
def both_printoptions(**kwargs):
    torch.set_printoptions(**kwargs)
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        torch.set_printoptions(profile="default")
        set_printoptions(profile="default")


nan, inf = float("nan"), float("inf")

CASES = {
    # floats of several magnitudes
    "randn_vector": lambda: randn(5),
    "randn_matrix_x100": lambda: randn(3, 4, scale=100),
    "tiny_values_go_scientific": lambda: randn(2, 3, scale=1e-5),
    "huge_values_go_scientific": lambda: randn(2, 3, scale=1e9),
    "spread_over_1000x_goes_scientific": lambda: torch.tensor([1e-3, 1.0, 2e2]),
    "spread_under_1000x_stays_fixed": lambda: torch.tensor([1e-2, 1.0, 5.0]),
    "just_below_1e8": lambda: torch.tensor([9.9e7, 1e6]),
    "mixed_signs": lambda: torch.tensor([-1.5, 2.25, -0.001, 3.0]),
    # whole floats print in integer mode
    "whole_floats": lambda: torch.tensor([1.0, 2.0, 3.0]),
    "whole_floats_negative": lambda: torch.tensor([-10.0, 200.0, 3.0]),
    "whole_floats_scientific": lambda: torch.tensor([1e10, 1.0]),
    "zeros": lambda: torch.zeros(2, 3),
    "negative_zero": lambda: torch.tensor([-0.0, 0.0, 1.0]),
    "negative_zero_fixed": lambda: torch.tensor([-0.0, 0.5]),
    # integers and bools
    "arange": lambda: torch.arange(10),
    "ints_different_widths": lambda: torch.tensor([1, -1000000, 3]),
    "int32": lambda: torch.tensor([[1, 2], [30, -4]], dtype=torch.int32),
    "int16": lambda: torch.tensor([7, -300], dtype=torch.int16),
    "int8": lambda: torch.tensor([-128, 127], dtype=torch.int8),
    "uint8": lambda: torch.tensor([0, 255, 17], dtype=torch.uint8),
    "bools": lambda: torch.tensor([True, False, True]),
    "bool_matrix": lambda: torch.tensor([[True, False], [False, False]]),
    # summarized (more than threshold elements)
    "arange_2000": lambda: torch.arange(2000),
    "randn_2000": lambda: randn(2000),
    "randn_40x40": lambda: randn(40, 40),
    "randn_3x400": lambda: randn(3, 400),
    "randn_10x10x20": lambda: randn(10, 10, 20),
    "summarized_scale_from_shown_part_only": lambda: torch.cat(
        [torch.ones(3), torch.full((1000,), 1e-9), torch.full((3,), 2.5)]
    ),
    "bool_summarized": lambda: torch.arange(1500) % 3 == 0,
    "int_3d_summarized": lambda: torch.arange(2 * 30 * 30).reshape(2, 30, 30),
    "complex_summarized": lambda: torch.complex(randn(1200), randn(1200)),
    # 0-d
    "scalar_whole": lambda: torch.tensor(3.0),
    "scalar_fraction": lambda: torch.tensor(3.5),
    "scalar_negative_zero": lambda: torch.tensor(-0.0),
    "scalar_nan": lambda: torch.tensor(nan),
    "scalar_inf": lambda: torch.tensor(-inf),
    "scalar_tiny": lambda: torch.tensor(1e-10),
    "scalar_int": lambda: torch.tensor(3),
    "scalar_bool": lambda: torch.tensor(True),
    "scalar_float64": lambda: torch.tensor(2.5, dtype=torch.float64),
    "scalar_complex": lambda: torch.tensor(1 + 2j),
    "scalar_complex_negative_imag": lambda: torch.tensor(1.5 - 2j),
    # empty
    "empty": lambda: torch.tensor([]),
    "empty_2d": lambda: torch.zeros(0, 3),
    "empty_3d": lambda: torch.zeros(2, 0, 4),
    "empty_int64": lambda: torch.zeros(0, dtype=torch.int64),
    "empty_bool": lambda: torch.zeros(0, dtype=torch.bool),
    "empty_float64": lambda: torch.zeros(0, 2, dtype=torch.float64),
    "empty_complex64": lambda: torch.zeros(0, dtype=torch.complex64),
    # higher dimensions
    "randn_2x3x4": lambda: randn(2, 3, 4),
    "randn_2x2x2x3": lambda: randn(2, 2, 2, 3),
    "whole_4d": lambda: torch.arange(24.0).reshape(1, 2, 3, 4),
    # other dtypes
    "float64": lambda: randn(4, dtype=torch.float64),
    "float16": lambda: randn(2, 3, dtype=torch.float16),
    "float16_extremes": lambda: torch.tensor([65504.0, 6e-8], dtype=torch.float16),
    "bfloat16": lambda: randn(2, 3, dtype=torch.bfloat16),
    "bfloat16_whole": lambda: torch.tensor([1.0, 256.0], dtype=torch.bfloat16),
    "complex64": lambda: torch.complex(randn(3), randn(3)),
    "complex128": lambda: torch.complex(
        randn(2, 2, dtype=torch.float64), randn(2, 2, dtype=torch.float64)
    ),
    "complex_whole": lambda: torch.tensor([1 + 2j, -3 - 0j]),
    "complex_scientific_imag": lambda: torch.tensor([1 + 1e-5j, 2 + 3e2j]),
    "complex_nan": lambda: torch.tensor([complex(nan, 1), complex(1, inf)]),
    "complex_wraps": lambda: torch.complex(randn(20), randn(20)),
    # nan / inf
    "nan_inf_whole": lambda: torch.tensor([nan, 1.0, inf, -inf]),
    "nan_fraction": lambda: torch.tensor([nan, 1.5]),
    "only_nan": lambda: torch.tensor([nan, nan]),
    "only_inf": lambda: torch.tensor([inf, -inf, 0.0]),
    "nan_huge": lambda: torch.tensor([nan, 1e10, 3.5]),
    "nan_narrower_than_width": lambda: torch.tensor([nan, -123.25]),
    # very small / very large
    "tiny_and_one": lambda: torch.tensor([1e-8, 1.0]),
    "large_pair": lambda: torch.tensor([1e10, 2e10]),
    "single_tiny": lambda: torch.tensor([1e-5]),
    "float64_extreme_range": lambda: torch.tensor([1e300, 1e-300], dtype=torch.float64),
    "float64_subnormal_ratio_overflows": lambda: torch.tensor([1e-320, 1e300], dtype=torch.float64),
    # line wrapping
    "wraps_30": lambda: randn(30),
    "wraps_matrix": lambda: randn(3, 30, scale=1000),
    "wraps_long_ints": lambda: torch.arange(100) * 1_000_003,
    "wraps_3d": lambda: randn(2, 2, 25),
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_repr_matches_torch(make):
    assert_repr_matches(make())


OPTION_CASES = [
    ({"precision": 2}, lambda: randn(4, 3)),
    ({"precision": 8}, lambda: randn(4, dtype=torch.float64)),
    ({"precision": 0}, lambda: torch.tensor([1.5, 2.25])),
    ({"threshold": 5}, lambda: torch.arange(10)),
    ({"threshold": 5}, lambda: randn(4, 4)),
    ({"edgeitems": 1}, lambda: randn(30, 40)),
    ({"edgeitems": 0}, lambda: randn(2000)),
    ({"edgeitems": 0}, lambda: randn(40, 40)),
    ({"edgeitems": 0}, lambda: torch.tensor([1.0, 2.0])),
    ({"edgeitems": 0, "threshold": 1}, lambda: torch.tensor(1.0)),
    ({"linewidth": 40}, lambda: randn(3, 12)),
    ({"linewidth": 200}, lambda: randn(50)),
    ({"linewidth": 5}, lambda: torch.arange(5)),
    ({"sci_mode": True}, lambda: torch.tensor([1.0, 2.5])),
    ({"sci_mode": True}, lambda: torch.tensor([1.0, 2.0, nan])),
    ({"sci_mode": False}, lambda: torch.tensor([1e-8, 1e10])),
    ({"profile": "short"}, lambda: randn(100, 30)),
    ({"profile": "full"}, lambda: torch.arange(1200)),
    ({"profile": "full", "precision": 3}, lambda: randn(5)),
]


@pytest.mark.parametrize(
    ("options", "make"),
    OPTION_CASES,
    ids=[
        f"{'-'.join(f'{k}={v}' for k, v in o.items())}-{i}" for i, (o, _) in enumerate(OPTION_CASES)
    ],
)
def test_repr_matches_torch_under_printoptions(options, make):
    t = make()
    with both_printoptions(**options):
        assert_repr_matches(t)
    assert get_printoptions() == torch._tensor_str.get_printoptions()


def test_get_printoptions_reports_what_torch_reports():
    with both_printoptions(precision=6, threshold=50, edgeitems=2, linewidth=120, sci_mode=True):
        assert get_printoptions() == torch._tensor_str.get_printoptions()
    assert get_printoptions() == torch._tensor_str.get_printoptions()


def test_set_printoptions_without_sci_mode_resets_it_like_torch():
    with both_printoptions(sci_mode=True):
        torch.set_printoptions(precision=3)
        set_printoptions(precision=3)
        assert get_printoptions() == torch._tensor_str.get_printoptions()
        assert get_printoptions()["sci_mode"] is None


def test_printoptions_context_restores_previous_options():
    before = get_printoptions()
    with _printing.printoptions(precision=1, linewidth=20):
        assert get_printoptions()["precision"] == 1
    assert get_printoptions() == before


SUFFIX_CASES = {
    "requires_grad": lambda: randn(3).requires_grad_(),
    "requires_grad_scalar": lambda: torch.tensor(2.0, requires_grad=True),
    "requires_grad_after_dtype": lambda: randn(3, dtype=torch.float64).requires_grad_(),
    "requires_grad_empty": lambda: torch.zeros(0, 2, requires_grad=True),
    "requires_grad_matrix": lambda: randn(4, 9).requires_grad_(),
    "requires_grad_wraps_to_new_line": lambda: randn(8, dtype=torch.float64).requires_grad_(),
    "requires_grad_summarized": lambda: randn(50, 50).requires_grad_(),
}


@pytest.mark.parametrize("make", SUFFIX_CASES.values(), ids=SUFFIX_CASES.keys())
def test_requires_grad_suffix_matches_torch(make):
    assert_repr_matches(make(), ["requires_grad=True"])


@pytest.mark.parametrize("shape", [(3,), (8,), (2, 9)])
def test_grad_fn_suffix_matches_torch(shape):
    t = randn(*shape, dtype=torch.float64).requires_grad_() * 2
    assert_repr_matches(t, ["grad_fn=<MulBackward0>"])


def test_device_suffix_comes_before_dtype_and_grad():
    values = np.array([1.0, 2.0])
    got = format_tensor(values, _dtype.float64, ["device='cuda:0'", "requires_grad=True"])
    assert got == "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)"


@pytest.mark.parametrize("shape", [(3,), (2, 12), (2, 2, 3)])
def test_parameter_repr_matches_torch(shape):
    p = torch.nn.Parameter(randn(*shape))
    got = format_tensor(
        host(p), _dtype.float32, ["requires_grad=True"], prefix="Parameter containing:\ntensor("
    )
    assert got == repr(p)


class LongSubclassName(torch.Tensor):
    pass


@pytest.mark.parametrize("shape", [(20,), (3, 15), (2, 2, 9)])
def test_prefix_sets_continuation_indent_like_torch(shape):
    t = randn(*shape).as_subclass(LongSubclassName)
    got = format_tensor(host(t), _dtype.float32, [], prefix="LongSubclassName(")
    assert got == repr(t)


@pytest.mark.parametrize(
    "make",
    [
        lambda: randn(3),
        lambda: randn(3, dtype=torch.float64),
        lambda: torch.complex(randn(2), randn(2)),
        lambda: torch.complex(randn(2, dtype=torch.float64), randn(2, dtype=torch.float64)),
        lambda: torch.zeros(0, dtype=torch.float64),
        lambda: torch.zeros(0),
    ],
    ids=["float32", "float64", "complex64", "complex128", "empty_float64", "empty_float32"],
)
def test_dtype_suffix_follows_default_dtype(make):
    t = make()
    saved = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        expected = repr(t)
    finally:
        torch.set_default_dtype(saved)
    got = format_tensor(host(t), torchlike_dtype(t), [], default_dtype=_dtype.float64)
    assert got == expected


@pytest.mark.parametrize("linewidth", range(34, 40))
@pytest.mark.parametrize("shape", [(2,), (2, 2)])
def test_suffix_wraps_at_the_same_linewidth_as_torch(shape, linewidth):
    t = torch.arange(float(np.prod(shape))).reshape(shape).double().requires_grad_()
    with both_printoptions(linewidth=linewidth):
        assert_repr_matches(t, ["requires_grad=True"])


@pytest.mark.parametrize("linewidth", range(40, 50))
@pytest.mark.parametrize("shape", [(12,), (2, 12), (2, 1, 12)])
def test_elements_per_line_breaks_where_torch_breaks(shape, linewidth):
    t = torch.linspace(-1.5, 2.5, int(np.prod(shape))).reshape(shape)
    with both_printoptions(linewidth=linewidth):
        assert_repr_matches(t)
