"""assert_close / assert_allclose: PyTorch's comparison rules and messages, computed in NumPy.

Inputs are paired as PyTorch pairs them (None, bools, numbers, tensor-likes; sequences and
mappings elementwise); all pairs are built first (structural and type errors win), then compared,
and the first failure raises. Values are pulled to the host once, so a comparison never records
ops into the lazy graph.
"""

from __future__ import annotations

import cmath
import collections.abc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor

# {dtype name: (rtol, atol)}, PyTorch's defaults
_PRECISIONS = {
    "float16": (0.001, 1e-5),
    "bfloat16": (0.016, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}
_ALLCLOSE_PRECISIONS = {"float16": (1e-3, 1e-3), "float32": (1e-4, 1e-5), "float64": (1e-5, 1e-8)}
_NUMBER_DTYPES = {int: _dtype.int64, float: _dtype.float64, complex: _dtype.complex128}


class _Failure(Exception):
    """A mismatch (or a usage error) found for the item at ``id``; turned into the user's error at the end."""

    def __init__(self, type_: type[Exception], msg: str, id_: tuple = ()):
        super().__init__(msg)
        self.type, self.msg, self.id = type_, msg, id_

    def to_error(self, msg: str | Callable[[str], str] | None = None) -> Exception:
        if not isinstance(msg, str):
            generated = self.msg
            if self.id:
                generated += f"\n\nThe failure occurred for item {''.join(str([i]) for i in self.id)}"
            msg = msg(generated) if callable(msg) else generated
        return self.type(msg)


class _Unsupported(Exception):
    pass


def _tolerances(dtypes, rtol, atol, id_, table=_PRECISIONS):
    if (rtol is None) ^ (atol is None):
        raise _Failure(
            ValueError,
            "Both 'rtol' and 'atol' must be either specified or omitted, "
            f"but got no {'rtol' if rtol is None else 'atol'}.",
            id_,
        )
    if rtol is not None:
        return rtol, atol
    pairs = [table.get(d.name, (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


# -- messages --------------------------------------------------------------------------------------


def _mismatch_msg(identifier, extra, abs_diff, abs_idx, atol, rel_diff, rel_idx, rtol):
    equality = rtol == 0 and atol == 0

    def line(kind, diff, idx, tol):
        text = f"{kind.title()} difference: {diff}" if idx is None else f"Greatest {kind} difference: {diff} at index {idx}"
        return text + ("" if equality else f" (up to {tol} allowed)") + "\n"

    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += line("absolute", abs_diff, abs_idx, atol)
    msg += line("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _scalar_msg(actual, expected, rtol, atol):
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_msg("Scalars", f"Expected {expected} but got {actual}.", abs_diff, None, atol, rel_diff, None, rtol)


def _tensor_msg(actual: np.ndarray, expected: np.ndarray, matches: np.ndarray, rtol, atol):
    total = matches.size
    mismatched = total - int(matches.sum())
    extra = f"Mismatched elements: {mismatched} / {total} ({mismatched / total:.1%})"
    a, e, m = actual.reshape(-1), expected.reshape(-1), matches.reshape(-1)
    integral = a.dtype.kind in "iub"
    if integral:
        a, e = a.astype(np.int64), e.astype(np.int64)
    abs_diff = np.abs(a - e)
    abs_diff[m] = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_diff = abs_diff / np.abs(e)
    if integral:
        rel_diff = rel_diff.astype(np.float32)  # torch's int / int is the default float
    rel_diff[m] = 0

    def argmax(v):  # torch.max's index: the first NaN if any, else the first maximum
        nans = np.flatnonzero(np.isnan(v)) if v.dtype.kind == "f" else ()
        return int(nans[0]) if len(nans) else int(np.argmax(v))

    def index(flat):
        return tuple(int(i) for i in np.unravel_index(flat, matches.shape)) if matches.shape else ()

    ia, ir = argmax(abs_diff), argmax(rel_diff)
    return _mismatch_msg("Tensor-likes", extra, abs_diff[ia].item(), index(ia), atol, rel_diff[ir].item(), index(ir), rtol)


# -- pairs -----------------------------------------------------------------------------------------


def _is_number(x):
    return isinstance(x, (int, float, complex, np.number)) and not isinstance(x, (bool, np.bool_))


def _to_number(x):
    return x.item() if isinstance(x, np.number) else x


class _TensorPair:
    def __init__(self, actual, expected, id_, opts):
        related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
        if not related or (not opts["allow_subclasses"] and type(actual) is not type(expected)):
            raise _Unsupported
        self.actual, self.expected = (self._to_tensor(t) for t in (actual, expected))
        self.id = id_
        self.opts = opts
        self.rtol, self.atol = _tolerances(
            (self.actual.dtype, self.expected.dtype), opts["rtol"], opts["atol"], id_
        )

    @staticmethod
    def _to_tensor(x):
        if isinstance(x, Tensor):
            return x
        import torchlike

        try:
            return torchlike.as_tensor(x)
        except Exception:
            raise _Unsupported from None

    def _fail(self, attribute, a, e):
        raise _Failure(AssertionError, f"The values for attribute '{attribute}' do not match: {a} != {e}.", self.id)

    def compare(self):
        a, e, o = self.actual, self.expected, self.opts
        if a.shape != e.shape:
            self._fail("shape", a.shape, e.shape)
        if o["check_device"] and a.device != e.device:
            self._fail("device", a.device, e.device)
        if o["check_dtype"] and a.dtype != e.dtype:
            self._fail("dtype", a.dtype, e.dtype)
        if o["check_stride"] and a.stride() != e.stride():
            self._fail("stride()", a.stride(), e.stride())
        dt = _dtype.promote_types(a.dtype, e.dtype)
        av, ev = _host(a, dt), _host(e, dt)
        matches = _isclose(av, ev, self.rtol, self.atol, o["equal_nan"])
        if matches.all():
            return
        if av.shape == ():
            msg = _scalar_msg(av.item(), ev.item(), self.rtol, self.atol)
        else:
            msg = _tensor_msg(av, ev, matches, self.rtol, self.atol)
        raise _Failure(AssertionError, msg, self.id)


def _host(t: Tensor, dt) -> np.ndarray:
    t = t.detach()
    if t.dtype is not dt:
        t = t.to(dt)
    if dt is _dtype.bfloat16:  # .numpy() refuses bfloat16, as torch's does; the values are exact in float32
        return np.asarray(t.float().numpy()).astype(dt.np)
    return np.asarray(t.numpy())


def _isclose(a, e, rtol, atol, equal_nan):
    """torch.isclose: a == e, or both finite and |a - e| <= atol + rtol * |e| (NaNs equal on request)."""
    if a.dtype == np.bool_ or a.dtype.kind in "iu":
        if rtol == 0 and atol == 0 or a.dtype == np.bool_:
            return a == e
        a, e = a.astype(np.float64), e.astype(np.float64)
    if str(a.dtype) == "bfloat16":
        a, e = a.astype(np.float32), e.astype(np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        close = a == e
        if equal_nan:
            close |= np.isnan(a) & np.isnan(e)
        finite = np.isfinite(a) & np.isfinite(e)
        diff = np.abs(a - e)
        close |= finite & (diff <= atol + rtol * np.abs(e))
    return close


class _NumberPair:
    def __init__(self, actual, expected, id_, opts):
        if not (_is_number(actual) and _is_number(expected)):
            raise _Unsupported
        self.actual, self.expected = _to_number(actual), _to_number(expected)
        self.id, self.opts = id_, opts
        # a NumPy scalar of another type (np.float32(1.5)) counts by its Python type, as in torch
        dts = [_NUMBER_DTYPES[type(x)] for x in (self.actual, self.expected)]
        self.rtol, self.atol = _tolerances(dts, opts["rtol"], opts["atol"], id_)

    def compare(self):
        a, e = self.actual, self.expected
        if self.opts["check_dtype"] and type(a) is not type(e):
            raise _Failure(AssertionError, f"The (d)types do not match: {type(a)} != {type(e)}.", self.id)
        if a == e:
            return
        if self.opts["equal_nan"] and cmath.isnan(a) and cmath.isnan(e):
            return
        diff = abs(a - e)
        if cmath.isfinite(diff) and diff <= self.atol + self.rtol * abs(e):
            return
        raise _Failure(AssertionError, _scalar_msg(a, e, self.rtol, self.atol), self.id)


class _BoolPair:
    def __init__(self, actual, expected, id_, opts):
        if not all(isinstance(x, (bool, np.bool_)) for x in (actual, expected)):
            raise _Unsupported
        self.actual, self.expected, self.id = bool(actual), bool(expected), id_

    def compare(self):
        if self.actual is not self.expected:
            raise _Failure(AssertionError, f"Booleans mismatch: {self.actual} is not {self.expected}", self.id)


class _NonePair:
    def __init__(self, actual, expected, id_, opts):
        if not (actual is None or expected is None):
            raise _Unsupported
        self.actual, self.expected, self.id = actual, expected, id_

    def compare(self):
        if not (self.actual is None and self.expected is None):
            raise _Failure(AssertionError, f"None mismatch: {self.actual} is not {self.expected}", self.id)


_PAIRS = (_NonePair, _BoolPair, _NumberPair, _TensorPair)


def _is_sequence(x):
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, str)


def _pairs(actual, expected, id_, opts):
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Failure(
                AssertionError, f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", id_
            )
        return [p for i in range(len(actual)) for p in _pairs(actual[i], expected[i], (*id_, i), opts)]
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        ka, ke = set(actual.keys()), set(expected.keys())
        if ka != ke:
            raise _Failure(
                AssertionError,
                "The keys of the mappings do not match:\n"
                f"Missing keys in the actual mapping: {sorted(ke - ka)}\n"
                f"Additional keys in the actual mapping: {sorted(ka - ke)}",
                id_,
            )
        try:
            keys = sorted(ka)
        except TypeError:
            keys = list(ka)
        return [p for k in keys for p in _pairs(actual[k], expected[k], (*id_, k), opts)]
    for pair_type in _PAIRS:
        try:
            return [pair_type(actual, expected, id_, opts)]
        except _Unsupported:
            continue
    raise _Failure(
        TypeError,
        f"No comparison pair was able to handle inputs of type {type(actual)} and {type(expected)}.",
        id_,
    )


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Assert that ``actual`` and ``expected`` are close: ``|actual - expected| <= atol + rtol * |expected|``
    elementwise, with PyTorch's default tolerances per dtype and PyTorch's error messages."""
    __tracebackhide__ = True
    opts = dict(
        allow_subclasses=allow_subclasses, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=check_device,
        check_dtype=check_dtype, check_stride=check_stride,
    )
    try:
        pairs = _pairs(actual, expected, (), opts)
    except _Failure as failure:
        raise failure.to_error() from None
    for pair in pairs:
        try:
            pair.compare()
        except _Failure as failure:
            raise failure.to_error(msg) from None


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg="") -> None:
    """Deprecated since PyTorch 1.12: use :func:`assert_close`."""
    __tracebackhide__ = True
    warnings.warn(
        "`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a future release. "
        "Please use `torch.testing.assert_close()` instead. "
        "You can find detailed upgrade instructions in https://github.com/pytorch/pytorch/issues/61844.",
        FutureWarning,
        stacklevel=2,
    )
    import torchlike

    if not isinstance(actual, Tensor):
        actual = torchlike.tensor(actual)
    if not isinstance(expected, Tensor):
        expected = torchlike.tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        rtol, atol = _tolerances((actual.dtype, expected.dtype), None, None, (), _ALLCLOSE_PRECISIONS)
    assert_close(
        actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=True, check_dtype=False,
        check_stride=False, msg=msg or None,
    )

