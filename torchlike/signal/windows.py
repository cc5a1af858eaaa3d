"""torch.signal.windows: window functions, computed as PyTorch computes them (a linspace of the
phase in the requested dtype, then the window's formula), so values agree in float32 too."""

from __future__ import annotations

import math
from collections.abc import Iterable

from .. import _creation, _dtype
from .._functions import get_default_dtype
from .._layout import strided
from .._ops.registry import FUNCTIONS as _FUNCTIONS

__all__ = [
    "bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine", "general_hamming", "hamming",
    "hann", "kaiser", "nuttall",
]


class _Ops:
    """torch.exp, torch.sin, ... by name (the registered functions)."""

    def __getattr__(self, name):
        return _FUNCTIONS[name]


F = _Ops()


def _check(name: str, M: int, dtype, layout):
    if dtype is None:
        dtype = get_default_dtype()
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if layout is not strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    if dtype not in (_dtype.float32, _dtype.float64):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")
    return dtype


def _trivial(M: int, dtype, device, requires_grad):
    """The windows of length 0 and (for most) 1."""
    make = _creation.empty if M == 0 else _creation.ones
    return make((M,), dtype=dtype, device=device, requires_grad=requires_grad)


def _phase(start: float, step: float, M: int, dtype, device, requires_grad):
    return _creation.linspace(start, start + (M - 1) * step, M, dtype=dtype, device=device,
                              requires_grad=requires_grad)


def exponential(M: int, *, center: float | None = None, tau: float = 1.0, sym: bool = True, dtype=None,
                layout=strided, device=None, requires_grad: bool = False):
    dtype = _check("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _trivial(M, dtype, device, requires_grad)
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    k = _phase(-center / tau, 1 / tau, M, dtype, device, requires_grad)
    return F.exp(-F.abs(k))


def cosine(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad: bool = False):
    dtype = _check("cosine", M, dtype, layout)
    if M == 0:
        return _trivial(M, dtype, device, requires_grad)
    step = math.pi / (M + 1 if not sym and M > 1 else M)
    return F.sin(_phase(0.5 * step, step, M, dtype, device, requires_grad))


def gaussian(M: int, *, std: float = 1.0, sym: bool = True, dtype=None, layout=strided, device=None,
             requires_grad: bool = False):
    dtype = _check("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _trivial(M, dtype, device, requires_grad)
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    scale = 1 / (std * math.sqrt(2))
    k = _phase(start * scale, scale, M, dtype, device, requires_grad)
    return F.exp(-(k**2))


def kaiser(M: int, *, beta: float = 12.0, sym: bool = True, dtype=None, layout=strided, device=None,
           requires_grad: bool = False):
    dtype = _check("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    if M <= 1:
        return _trivial(M, dtype, device, requires_grad)
    b = _creation.tensor(beta, dtype=dtype, device=device)
    step = 2.0 * b / (M if not sym else M - 1)
    end = F.minimum(b, -b + (M - 1) * step)
    k = _creation.linspace(-b, end, M, dtype=dtype, device=device, requires_grad=requires_grad)
    return F.i0(F.sqrt(b * b - F.pow(k, 2))) / F.i0(b)


def bartlett(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad: bool = False):
    dtype = _check("bartlett", M, dtype, layout)
    if M <= 1:
        return _trivial(M, dtype, device, requires_grad)
    k = _phase(-1, 2 / (M if not sym else M - 1), M, dtype, device, requires_grad)
    return 1 - F.abs(k)


def general_cosine(M, *, a: Iterable, sym: bool = True, dtype=None, layout=strided, device=None,
                   requires_grad: bool = False):
    """sum_i (-1)^i a_i cos(i k) over the phase k = 2 pi n / (M - 1) (M for a periodic window)."""
    dtype = _check("general_cosine", M, dtype, layout)
    if M <= 1:
        return _trivial(M, dtype, device, requires_grad)
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    k = _phase(0, 2 * math.pi / (M if not sym else M - 1), M, dtype, device, requires_grad)
    coeffs = _creation.tensor([(-1) ** i * w for i, w in enumerate(a)], dtype=dtype, device=device,
                              requires_grad=requires_grad)
    i = _creation.arange(coeffs.shape[0], dtype=dtype, device=device, requires_grad=requires_grad)
    return (coeffs.unsqueeze(-1) * F.cos(i.unsqueeze(-1) * k)).sum(0)


def general_hamming(M, *, alpha: float = 0.54, sym: bool = True, dtype=None, layout=strided, device=None,
                    requires_grad: bool = False):
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def hamming(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad: bool = False):
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device, requires_grad=requires_grad)


def hann(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad: bool = False):
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def blackman(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad: bool = False):
    dtype = _check("blackman", M, dtype, layout)
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def nuttall(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None, requires_grad: bool = False):
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)
