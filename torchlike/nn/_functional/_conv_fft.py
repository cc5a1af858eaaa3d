"""The gradients of 2-d convolutions with a 5x5-or-larger kernel and few channels, by FFT, on XLA:CPU.

XLA:CPU lowers a convolution to Eigen's im2col + GEMM, whose GEMM is tiny in the channel
dimensions of a LeNet-style layer: its weight gradient (a contraction over batch x height x width
into a 6x3x5x5 result) took 70 ms of CPU for LeNet's first layer at batch 256, and the input
gradient of a 5x5 layer 2-7x what the same product in the frequency domain costs (measurements in
docs/benchmarks.md, "Convolutions on XLA:CPU"). Correlation is a product after an FFT, so each
gradient is computed there where that measured faster, and by ``lax.conv_general_dilated``
elsewhere. The choice depends on shapes only (the same program every run); the FFT gradients are
closer to float64's than XLA's direct ones. The forward stays XLA's (see ``_parts``).

The choice is made through a ``jax.custom_jvp``: the tangent of the convolution is linear in each
input's tangent, and JAX transposes each term into that input's gradient, so the FFT form of a term
gives an FFT gradient, forward-mode AD and higher derivatives keep working, and a symbolic-zero
tangent (an input that needs no gradient) costs nothing.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

_MIN_KERNEL = 5  # both kernel dims: XLA's direct 3x3 convolutions were as fast or faster
_MAX_SIDE = 64  # padded input height/width: the frequency-domain intermediates stay small
_DTYPES = ("float32", "float64")


def eligible(x, w, stride, pads, dilation, groups, lhs_dilation) -> bool:
    """Whether the FFT path may compute this convolution (a 2-d, stride-1, undilated, ungrouped,
    float32/float64 convolution with a 5x5-or-larger kernel on a small image, on XLA:CPU)."""
    if x.ndim != 4 or groups != 1 or lhs_dilation is not None:
        return False
    if tuple(stride) != (1, 1) or tuple(dilation) != (1, 1) or str(x.dtype) not in _DTYPES:
        return False
    if x.dtype != w.dtype or min(w.shape[2:]) < _MIN_KERNEL:
        return False
    sides = [s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pads)]
    if max(sides) > _MAX_SIDE or any(lo < 0 or hi < 0 for lo, hi in pads):
        return False
    return jax.default_backend() == "cpu"


def _parts(c_in, c_out) -> tuple:
    """(input gradient, weight gradient): True where the FFT form measured faster (2-core
    XLA:CPU; the table in docs/benchmarks.md). The forward stays XLA's: on LeNet's layers its sums
    come out in the order of PyTorch's CPU convolution, bit for bit (the FFT forward, 2x faster on
    LeNet's first layer, is 4e-7 off), so printed activations and losses stay PyTorch's; no
    gradient of either form equals PyTorch's bits (its weight gradient is the least accurate of
    the three)."""
    return True, c_in >= 2 and c_in * c_out <= 128


def conv2d(x, w, pads):
    """Cross-correlation of ``x`` (N, C, H, W) with ``w`` (O, C, K, L), zero padding ``pads``
    ((top, bottom), (left, right)): lax.conv_general_dilated's result, each gradient by its
    measured faster form."""
    return _conv(x, w, tuple(tuple(p) for p in pads))


def _direct(x, w, pads):
    return lax.conv_general_dilated(
        x, w, (1, 1), list(pads), dimension_numbers=("NCHW", "OIHW", "NCHW"),
        precision=lax.Precision.HIGHEST,
    )


def _fft(x, w, pads):
    """The valid correlation of the padded input, as a product of spectra."""
    x = jnp.pad(x, ((0, 0), (0, 0)) + pads)
    h, wd = x.shape[2:]
    k, l_ = w.shape[2:]
    spec = jnp.einsum("nchw,ochw->nohw", jnp.fft.rfft2(x), jnp.conj(jnp.fft.rfft2(w, s=(h, wd))))
    return jnp.fft.irfft2(spec, s=(h, wd))[:, :, : h - k + 1, : wd - l_ + 1].astype(x.dtype)


_conv = jax.custom_jvp(_direct, nondiff_argnums=(2,))


def _jvp(pads, primals, tangents):
    x, w = primals
    dx, dw = tangents
    by_fft_x, by_fft_w = _parts(x.shape[1], w.shape[0])
    y = _direct(x, w, pads)
    t = None
    if type(dx) is not jax.custom_derivatives.SymbolicZero:  # transposes into the input gradient
        t = (_fft if by_fft_x else _direct)(dx, w, pads)
    if type(dw) is not jax.custom_derivatives.SymbolicZero:  # ... and into the weight gradient
        tw = (_fft if by_fft_w else _direct)(x, dw, pads)
        t = tw if t is None else t + tw
    if t is None:
        t = jnp.zeros_like(y)
    return y, t


_conv.defjvp(_jvp, symbolic_zeros=True)
