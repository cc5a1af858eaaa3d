"""make_tensor: a random tensor of a given shape and dtype, with PyTorch's default value ranges."""

from __future__ import annotations

import collections.abc
import math
import warnings

from .. import _dtype

_INTEGRAL = (_dtype.uint8, _dtype.int8, _dtype.int16, _dtype.int32, _dtype.int64)
_FLOATING = (_dtype.float16, _dtype.bfloat16, _dtype.float32, _dtype.float64)
_COMPLEX = (_dtype.complex64, _dtype.complex128)


def make_tensor(
    *shape,
    dtype,
    device,
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
    noncontiguous: bool = False,
    exclude_zero: bool = False,
    memory_format=None,
):
    """A tensor of ``shape`` filled with values drawn uniformly from ``[low, high)``.

    Defaults: ``[0, 2)`` for bool, ``[0, 10)`` for uint8, ``[-9, 10)`` for signed integers and
    ``[-9, 9)`` for floating and complex dtypes (both parts); bounds outside the dtype's range are
    clamped to it.
    """
    import torchlike

    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(
            "The parameters `noncontiguous` and `memory_format` are mutually exclusive, "
            f"but got noncontiguous={noncontiguous} and memory_format={memory_format}"
        )
    integral = dtype is _dtype.bool_ or dtype in _INTEGRAL
    if requires_grad and integral:
        raise ValueError(
            f"`requires_grad=True` is not supported for boolean and integral dtypes, but got dtype={dtype}"
        )

    def bounds(lowest, highest, default_low, default_high):
        lo = default_low if low is None else low
        hi = default_high if high is None else high
        if any(isinstance(v, float) and math.isnan(v) for v in (lo, hi)):
            raise ValueError(f"`low` and `high` cannot be NaN, but got low={lo} and high={hi}")
        if lo == hi and not integral:
            warnings.warn(
                "Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is deprecated "
                "since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                FutureWarning,
                stacklevel=3,
            )
        elif lo >= hi:
            raise ValueError(f"`low` must be less than `high`, but got {lo} >= {hi}")
        elif hi < lowest or lo >= highest:
            raise ValueError(
                f"The value interval specified by `low` and `high` is [{lo}, {hi}), "
                f"but {dtype} only supports [{lowest}, {highest})"
            )
        lo, hi = min(max(lo, lowest), highest), min(max(hi, lowest), highest)
        return (math.ceil(lo), math.ceil(hi)) if integral else (lo, hi)

    if dtype is _dtype.bool_:
        lo, hi = bounds(0, 2, 0, 2)
        result = torchlike.randint(lo, hi, shape, device=device).to(torchlike.bool)
    elif dtype in _INTEGRAL:
        info = torchlike.iinfo(dtype)
        lo, hi = bounds(info.min, info.max + (1 if dtype is not _dtype.int64 else 0), -9, 10)
        result = torchlike.randint(lo, hi, shape, dtype=dtype, device=device)
    elif dtype in _FLOATING or dtype in _COMPLEX:
        real = dtype.to_real()
        info = torchlike.finfo(real)
        lo, hi = bounds(info.min, info.max, -9, 9)

        def draw():
            t = torchlike.empty(shape, dtype=real, device=device)
            if hi - lo >= info.max:  # the width overflows: draw half-width and double
                return t.uniform_(lo / 2, hi / 2).mul_(2)
            return t.uniform_(lo, hi)

        result = torchlike.complex(draw(), draw()) if dtype in _COMPLEX else draw()
    else:
        raise TypeError(
            f"The requested dtype '{dtype}' is not supported by torch.testing.make_tensor()."
            " To request support, file an issue at: https://github.com/pytorch/pytorch/issues"
        )
    if noncontiguous and math.prod(shape) > 1:
        result = torchlike.stack([result, torchlike.zeros_like(result)], -1).flatten(-2)[..., ::2]
    if exclude_zero:
        tiny = 1 if integral else torchlike.finfo(dtype.to_real()).tiny
        result = torchlike.where(result == 0, torchlike.full_like(result, tiny), result)
    if not integral:
        result.requires_grad_(requires_grad)
    return result
