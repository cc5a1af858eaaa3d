"""torch.fft: discrete Fourier transforms, on the three kernels of ``torchlike/_ops/fft.py``.

Signatures, defaults (``norm=None`` is ``"backward"``), result dtypes (complex64 for float32 input,
complex128 for float64; integers count as the default float) and errors follow PyTorch.
Gradients are jax.vjp of the kernels.
"""

from __future__ import annotations

import numpy as np

from ._ops.fft import _fft_c2c, _fft_c2r, _fft_r2c

__all__ = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn",
    "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]

_c2c, _r2c, _c2r = _fft_c2c.frontend, _fft_r2c.frontend, _fft_c2r.frontend


def _sizes(n):
    return None if n is None else (int(n),)


def _tuple(v):
    if v is None or isinstance(v, int):
        return v
    return tuple(int(d) for d in v)


def _out(result, out):
    from ._ops.registry import write_out

    return write_out(out, result, "fft")


# -- one dimension ---------------------------------------------------------------------------------


def fft(input, n=None, dim=-1, norm=None, *, out=None):  # noqa: A002
    return _out(_c2c(input, s=_sizes(n), dim=int(dim), norm=norm, inverse=False), out)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):  # noqa: A002
    return _out(_c2c(input, s=_sizes(n), dim=int(dim), norm=norm, inverse=True), out)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):  # noqa: A002
    return _out(_r2c(input, s=_sizes(n), dim=int(dim), norm=norm, name="rfft"), out)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):  # noqa: A002
    return _out(_c2r(input, s=_sizes(n), dim=int(dim), norm=norm), out)


def hfft(input, n=None, dim=-1, norm=None, *, out=None):  # noqa: A002
    return _out(_c2r(input, s=_sizes(n), dim=int(dim), norm=norm, hermitian=True), out)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):  # noqa: A002
    return _out(_r2c(input, s=_sizes(n), dim=int(dim), norm=norm, hermitian=True, name="ihfft"), out)


# -- two and n dimensions --------------------------------------------------------------------------


def fftn(input, s=None, dim=None, norm=None, *, out=None):  # noqa: A002
    return _out(_c2c(input, s=_tuple(s), dim=_tuple(dim), norm=norm, inverse=False), out)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):  # noqa: A002
    return _out(_c2c(input, s=_tuple(s), dim=_tuple(dim), norm=norm, inverse=True), out)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):  # noqa: A002
    return _out(_r2c(input, s=_tuple(s), dim=_tuple(dim), norm=norm, name="rfftn"), out)


def irfftn(input, s=None, dim=None, norm=None, *, out=None):  # noqa: A002
    return _out(_c2r(input, s=_tuple(s), dim=_tuple(dim), norm=norm), out)


def hfftn(input, s=None, dim=None, norm=None, *, out=None):  # noqa: A002
    return _out(_c2r(input, s=_tuple(s), dim=_tuple(dim), norm=norm, hermitian=True), out)


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):  # noqa: A002
    return _out(_r2c(input, s=_tuple(s), dim=_tuple(dim), norm=norm, hermitian=True, name="ihfftn"), out)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):  # noqa: A002
    return fftn(input, s, dim, norm, out=out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):  # noqa: A002
    return ifftn(input, s, dim, norm, out=out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):  # noqa: A002
    return rfftn(input, s, dim, norm, out=out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):  # noqa: A002
    return irfftn(input, s, dim, norm, out=out)


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):  # noqa: A002
    return hfftn(input, s, dim, norm, out=out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):  # noqa: A002
    return ihfftn(input, s, dim, norm, out=out)


# -- helpers -------------------------------------------------------------------------------------


def _freq(values: np.ndarray, n: int, d: float, dtype, device, requires_grad):
    import torchlike

    dtype = dtype or torchlike.get_default_dtype()
    # computed in the result dtype, scale last, as PyTorch does (same last bits)
    arr = values.astype(dtype.np) * np.asarray(1.0 / (n * d), dtype=dtype.np)
    return torchlike.tensor(arr, dtype=dtype, device=device, requires_grad=requires_grad)


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies [0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1] / (d * n)."""
    values = np.concatenate([np.arange(0, (n - 1) // 2 + 1), np.arange(-(n // 2), 0)])
    return _out(_freq(values, n, d, dtype, device, requires_grad), out)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Non-negative sample frequencies [0, 1, ..., n // 2] / (d * n)."""
    return _out(_freq(np.arange(0, n // 2 + 1), n, d, dtype, device, requires_grad), out)


def _shift(input, dim, inverse):  # noqa: A002
    import torchlike

    dims = tuple(range(input.dim())) if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    sizes = [input.shape[d] for d in dims]
    shifts = [(n + 1) // 2 if inverse else n // 2 for n in sizes]
    return torchlike.roll(input, shifts, dims)


def fftshift(input, dim=None):  # noqa: A002
    """Move the zero-frequency term to the centre (a roll by n // 2 along each dim)."""
    return _shift(input, dim, inverse=False)


def ifftshift(input, dim=None):  # noqa: A002
    """The inverse of fftshift (a roll by -(n // 2) along each dim)."""
    return _shift(input, dim, inverse=True)
