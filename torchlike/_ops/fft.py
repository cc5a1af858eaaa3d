"""Discrete Fourier transforms (torch.fft): three kernels, as ATen has (complex-to-complex,
real-to-complex, complex-to-real); ``torchlike/fft.py`` maps the eighteen torch.fft functions onto
them. Sizes, dims and the norm are static attributes; checks run when the op is recorded, so
errors raise at the user's line in PyTorch's words.
"""

from __future__ import annotations

import jax.numpy as jnp

from .registry import op

_NORMS = (None, "backward", "ortho", "forward")
_SWAP = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}
_TYPE_NAMES = {"complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def _check_norm(norm):
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _wrap(d, ndim):
    n = max(ndim, 1)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return d % n


def _resolve(x, s, dim, *, c2r=False):
    """(sizes, axes) as jnp.fft wants them: torch's s/dim defaults, -1 sizes, and its errors."""
    if isinstance(dim, int):
        dim = (dim,)
    if isinstance(s, int):
        s = (s,)
    if dim is None:
        dim = tuple(range(x.ndim - len(s), x.ndim)) if s is not None else tuple(range(x.ndim))
    elif s is not None and len(s) != len(dim):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    axes = tuple(_wrap(d, x.ndim) for d in dim)
    if len(set(axes)) != len(axes):
        raise RuntimeError("FFT dims must be unique")
    if s is None:
        s = [-1] * len(axes)
    sizes = []
    for k, (n, ax) in enumerate(zip(s, axes)):
        if n == -1:
            n = 2 * (x.shape[ax] - 1) if c2r and k == len(axes) - 1 else x.shape[ax]
        if n < 1:
            raise RuntimeError(f"Invalid number of data points ({n}) specified")
        sizes.append(int(n))
    return tuple(sizes), axes


def _complex_of(dt):
    return jnp.complex128 if dt in (jnp.float64, jnp.complex128) else jnp.complex64


def _real_of(dt):
    return jnp.float64 if dt in (jnp.float64, jnp.complex128) else jnp.float32


def _n_dims(x, attrs):
    a = dict(attrs)
    dim, s = a.get("dim"), a.get("s")
    if dim is None:
        return len(s) if s is not None else x.dim()
    return 1 if isinstance(dim, int) else len(dim)


def _c2c_name(args, attrs):
    """PyTorch's node for a real input: r2c (1-d forward), conj of r2c (1-d inverse) or c2c (n-d)."""
    x = args[0]
    if x._dtype.is_complex or _n_dims(x, attrs) != 1:
        return None
    return "ConjBackward0" if dict(attrs).get("inverse") else "FftR2CBackward0"


def _r2c_name(args, attrs):
    if not dict(attrs).get("hermitian"):
        return None
    return "ConjBackward0" if _n_dims(args[0], attrs) == 1 else "FftC2CBackward0"


@op("_fft_c2c", function=False, promote="float", grad_name="FftC2CBackward0", grad_name_of=_c2c_name)
def _fft_c2c(x, *, s=None, dim=None, norm=None, inverse=False):
    _check_norm(norm)
    sizes, axes = _resolve(x, s, dim)
    x = x.astype(_complex_of(x.dtype))
    if not axes:
        return x
    fn = jnp.fft.ifftn if inverse else jnp.fft.fftn
    return fn(x, s=sizes, axes=axes, norm=norm).astype(x.dtype)


@op("_fft_r2c", function=False, promote="float", grad_name="FftR2CBackward0", grad_name_of=_r2c_name)
def _fft_r2c(x, *, s=None, dim=None, norm=None, hermitian=False, name="rfft"):
    """rfftn; with ``hermitian`` the inverse of hfftn (ihfftn): conj(rfftn) with the norm swapped."""
    _check_norm(norm)
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        raise RuntimeError(f"{name} expects a real input tensor, but got {_TYPE_NAMES[str(x.dtype)]}")
    sizes, axes = _resolve(x, s, dim)
    out_dtype = _complex_of(x.dtype)
    if hermitian:
        return jnp.conj(jnp.fft.rfftn(x, s=sizes, axes=axes, norm=_SWAP[norm])).astype(out_dtype)
    return jnp.fft.rfftn(x, s=sizes, axes=axes, norm=norm).astype(out_dtype)


@op("_fft_c2r", function=False, promote="float", grad_name="FftC2RBackward0")
def _fft_c2r(x, *, s=None, dim=None, norm=None, hermitian=False):
    """irfftn; with ``hermitian`` the FFT of a Hermitian signal (hfftn): irfftn(conj) with the norm swapped."""
    _check_norm(norm)
    sizes, axes = _resolve(x, s, dim, c2r=True)
    out_dtype = _real_of(x.dtype)
    x = x.astype(_complex_of(x.dtype))
    if hermitian:
        return jnp.fft.irfftn(jnp.conj(x), s=sizes, axes=axes, norm=_SWAP[norm]).astype(out_dtype)
    return jnp.fft.irfftn(x, s=sizes, axes=axes, norm=norm).astype(out_dtype)
