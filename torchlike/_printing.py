"""Tensor repr formatting with PyTorch's rules (``torch/_tensor_str.py``), applied to NumPy host copies.

``format_tensor`` builds the whole ``tensor([...], dtype=..., requires_grad=True)`` string; the
Tensor class only decides the caller-side suffixes (device, grad_fn, requires_grad). The print
options live in one object, ``_OPTIONS``, changed through ``set_printoptions``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from torchlike import _dtype


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTIONS = _PrintOptions()

# profile -> (precision, threshold, edgeitems, linewidth); unknown profiles are ignored, as in torch
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """torch.set_printoptions. Like torch, ``sci_mode`` is reset to automatic when not given."""
    if profile in _PROFILES:
        (
            _OPTIONS.precision,
            _OPTIONS.threshold,
            _OPTIONS.edgeitems,
            _OPTIONS.linewidth,
        ) = _PROFILES[profile]
    if precision is not None:
        _OPTIONS.precision = precision
    if threshold is not None:
        _OPTIONS.threshold = threshold
    if edgeitems is not None:
        _OPTIONS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTIONS.linewidth = linewidth
    _OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current options, as keyword arguments ``set_printoptions`` accepts."""
    return dataclasses.asdict(_OPTIONS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options (torch._tensor_str.printoptions)."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


class _ElementFormatter:
    """One notation and one width for all elements, chosen from the elements that will be shown.

    Floats use fixed notation with ``precision`` digits, integer mode (``1.``) when every finite
    nonzero value is whole, and scientific notation when the magnitudes span more than 1000x or
    leave [1e-4, 1e8]. Zeros, nans and infs do not take part in the choice or in the width.
    """

    def __init__(self, shown: np.ndarray, floating: bool):
        self.floating = floating
        self.precision = _OPTIONS.precision
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if not floating:
            self.width = max([1, *(len(str(v)) for v in shown.ravel().tolist())])
            return
        candidates = shown[np.isfinite(shown) & (shown != 0)]
        if candidates.size == 0:
            return
        magnitudes = np.abs(candidates)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(candidates == np.ceil(candidates)))
        if _OPTIONS.sci_mode is None:
            with np.errstate(over="ignore"):
                spread = largest / smallest
            self.sci_mode = bool(spread > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)
        else:
            self.sci_mode = _OPTIONS.sci_mode
        if self.sci_mode:
            spec, trailing_dot = f".{self.precision}e", 0
        elif self.int_mode:
            spec, trailing_dot = ".0f", 1
        else:
            spec, trailing_dot = f".{self.precision}f", 0
        longest = max(len(format(v, spec)) for v in candidates.tolist())
        self.width = max(self.width, longest + trailing_dot)

    def __call__(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = format(value, f"{self.width}.{self.precision}e")
        elif self.int_mode:
            text = format(value, ".0f")
            if math.isfinite(value):
                text += "."  # marks the tensor as floating point
        else:
            text = format(value, f".{self.precision}f")
        return text.rjust(self.width)


def _complex_formatter(
    real: _ElementFormatter, imag: _ElementFormatter
) -> Callable[[complex], str]:
    def format_complex(value: complex) -> str:
        imag_text = (imag(value.imag) + "j").lstrip()
        joiner = "" if imag_text[0] in "+-" else "+"
        return real(value.real) + joiner + imag_text

    return format_complex


def _summarized(a: np.ndarray) -> np.ndarray:
    """The elements a summarized print shows: the first and last ``edgeitems`` along each axis."""
    edge = _OPTIONS.edgeitems
    if a.ndim == 0:
        return a
    if not edge:
        # torch keeps all of a 1-d tensor here (its ``t[-0:]`` is the whole tensor)
        return a if a.ndim == 1 else np.empty((0,) * a.ndim, a.dtype)
    index = [np.r_[0:edge, n - edge : n] if n > 2 * edge else np.arange(n) for n in a.shape]
    return a[np.ix_(*index)]


def _nested_str(
    a: np.ndarray, indent: int, summarize: bool, fmt: Callable[[Any], str], element_width: int
) -> str:
    if a.ndim == 0:
        return fmt(a.item())
    edge = _OPTIONS.edgeitems
    cut = summarize and a.shape[0] > 2 * edge
    if a.ndim == 1:
        if summarize and not edge:
            items = ["..."]
        elif cut:
            items = [fmt(v) for v in a[:edge].tolist()]
            items += [" ..."] + [fmt(v) for v in a[-edge:].tolist()]
        else:
            items = [fmt(v) for v in a.tolist()]
        per_line = max(1, math.floor((_OPTIONS.linewidth - indent) / (element_width + 2)))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    def sub(i: int) -> str:
        return _nested_str(a[i], indent + 1, summarize, fmt, element_width)

    n = a.shape[0]
    if cut:
        slices = [sub(i) for i in range(edge)] + ["..."] + [sub(i) for i in range(n - edge, n)]
    else:
        slices = [sub(i) for i in range(n)]
    # one blank line between matrices, two between 3-d blocks, ...
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _tensor_str(a: np.ndarray, dtype: _dtype.dtype, indent: int) -> str:
    if a.size == 0:
        return "[]"
    summarize = a.size > _OPTIONS.threshold
    shown = _summarized(a) if summarize else a
    if dtype.is_complex:
        real = _ElementFormatter(shown.real, floating=True)
        imag = _ElementFormatter(shown.imag, floating=True)
        fmt, width = _complex_formatter(real, imag), real.width + imag.width + 1
    else:
        fmt = _ElementFormatter(shown, floating=dtype.is_floating_point)
        width = fmt.width
    return _nested_str(a, indent, summarize, fmt, width)


def _add_suffixes(
    text: str, suffixes: Sequence[str], indent: int, force_newline: bool = False
) -> str:
    parts = [text]
    # torch counts two more than the last line's length (its ", " budget)
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if force_newline or last_line + len(suffix) + 2 > _OPTIONS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
            force_newline = False
        else:
            parts.append(", " + suffix)
            last_line += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _host_values(values: np.ndarray, dtype: _dtype.dtype) -> np.ndarray:
    """Python-scalar-friendly copy: floats as float64 (bfloat16 via float32), complex as complex128."""
    a = np.asarray(values)
    if dtype.is_complex:
        return a.astype(np.complex128)
    if dtype.is_floating_point:
        if a.dtype.kind not in "fiub":  # ml_dtypes.bfloat16
            a = a.astype(np.float32)
        if dtype in _dtype.FLOAT8:  # PyTorch prints float8 through float16 (2**-127 shows as 0)
            a = a.astype(np.float16)
        return a.astype(np.float64)
    return a.astype(dtype.np)


def format_tensor(
    values: np.ndarray,
    dtype: _dtype.dtype,
    suffixes: Sequence[str] = (),
    *,
    prefix: str = "tensor(",
    default_dtype: _dtype.dtype = _dtype.float32,
) -> str:
    """repr of a tensor holding ``values``, as ``torch.Tensor.__repr__`` writes it.

    ``suffixes`` come from the caller (``device=...``, ``grad_fn=<...>``, ``requires_grad=True``);
    ``size=`` and ``dtype=`` are added here, after any ``device=`` suffix and before the others,
    which is torch's order. Continuation lines are indented to the last line of ``prefix``, so
    ``prefix="Parameter containing:\\ntensor("`` indents like ``tensor(``.
    """
    head, newline, prefix = prefix.rpartition("\n")
    indent = len(prefix)
    a = _host_values(values, dtype)
    shape = f"size={tuple(a.shape)}"
    own = []
    if a.size == 0:
        # no elements to read the dtype from, so anything but the default float dtype is named
        if a.ndim != 1:
            own.append(shape)
        if dtype != default_dtype:
            own.append(f"dtype={dtype!r}")
    else:
        if not _OPTIONS.edgeitems:
            own.append(shape)
        default_complex = _dtype.complex128 if default_dtype == _dtype.float64 else _dtype.complex64
        if dtype not in (default_dtype, default_complex, _dtype.int64, _dtype.bool_):
            own.append(f"dtype={dtype!r}")
    device = [s for s in suffixes if s.startswith("device=")]
    others = [s for s in suffixes if not s.startswith("device=")]
    body = prefix + _tensor_str(a, dtype, indent)
    return head + newline + _add_suffixes(body, device + own + others, indent)


def format_sparse_coo(
    indices: np.ndarray,
    values: np.ndarray,
    dtype: _dtype.dtype,
    size: tuple,
    suffixes: Sequence[str] = (),
    tail: Sequence[str] = (),
    *,
    default_dtype: _dtype.dtype = _dtype.float32,
) -> str:
    """repr of a COO tensor: ``tensor(indices=tensor(...),\n values=tensor(...),\n size=...,
    nnz=..., layout=torch.sparse_coo)``, each part laid out as torch's ``_tensor_str`` does.
    ``suffixes`` (a device) come before ``size=``; ``tail`` (grad_fn) after the layout."""
    indent = len("tensor(")
    own = [f"size={tuple(size)}", f"nnz={indices.shape[1]}"]
    default_complex = _dtype.complex128 if default_dtype == _dtype.float64 else _dtype.complex64
    if dtype not in (default_dtype, default_complex, _dtype.int64, _dtype.bool_):
        own.append(f"dtype={dtype!r}")
    parts = []
    for name, a, dt in (
        ("indices=tensor(", indices, _dtype.int64),
        ("values=tensor(", values, dtype),
    ):
        text = _tensor_str(_host_values(a, dt), dt, indent + len(name))
        if a.size == 0:
            text += f", size={tuple(a.shape)}"
        parts.append(name + text + ")")
    body = "tensor(" + (",\n" + " " * indent).join(parts)
    return _add_suffixes(
        body, [*suffixes, *own, "layout=torch.sparse_coo", *tail], indent, force_newline=True
    )
