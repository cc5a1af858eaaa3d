"""Torch-namespace functions written with torch ops: frexp, gradient, the ``*_copy`` variants of
views, empty_strided, frombuffer, and the process-wide switches (warn_always, anomaly mode,
interop threads, flush-denormal)."""

from __future__ import annotations

import numpy as np

from ._context import state
from ._ops.registry import accepts_out


@accepts_out
def frexp(input, *, out=None):  # noqa: A002
    from ._ops.floating import frexp_k
    from ._ops.reduction import _rt

    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    return _rt("frexp", ("mantissa", "exponent"))(*frexp_k.frontend(input))


# -- torch.gradient --------------------------------------------------------------------------------


def _slice(t, dim, start, stop):
    return t.narrow(dim, start, stop - start)


def _gradient_uniform(f, dim, h, edge_order):
    n = f.shape[dim]
    inner = (_slice(f, dim, 2, n) - _slice(f, dim, 0, n - 2)) / (2 * h)
    if edge_order == 1:
        first = (_slice(f, dim, 1, 2) - _slice(f, dim, 0, 1)) / h
        last = (_slice(f, dim, n - 1, n) - _slice(f, dim, n - 2, n - 1)) / h
    else:
        first = (-1.5 * _slice(f, dim, 0, 1) + 2 * _slice(f, dim, 1, 2) - 0.5 * _slice(f, dim, 2, 3)) / h
        last = (0.5 * _slice(f, dim, n - 3, n - 2) - 2 * _slice(f, dim, n - 2, n - 1) + 1.5 * _slice(f, dim, n - 1, n)) / h
    import torchlike

    return torchlike.cat([first, inner, last], dim=dim)


def _gradient_coords(f, dim, x, edge_order):
    import torchlike

    n = f.shape[dim]
    shape = [1] * f.dim()
    shape[dim] = -1
    x = x.to(f.dtype if f.dtype.is_floating_point else torchlike.get_default_dtype())
    dx = (x[1:] - x[:-1]).reshape(shape)
    hl, hr = _slice(dx, dim, 0, n - 2), _slice(dx, dim, 1, n - 1)
    a = -hr / (hl * (hl + hr))
    b = (hr - hl) / (hl * hr)
    c = hl / (hr * (hl + hr))
    inner = a * _slice(f, dim, 0, n - 2) + b * _slice(f, dim, 1, n - 1) + c * _slice(f, dim, 2, n)
    if edge_order == 1:
        first = (_slice(f, dim, 1, 2) - _slice(f, dim, 0, 1)) / _slice(dx, dim, 0, 1)
        last = (_slice(f, dim, n - 1, n) - _slice(f, dim, n - 2, n - 1)) / _slice(dx, dim, n - 2, n - 1)
    else:
        d1, d2 = _slice(dx, dim, 0, 1), _slice(dx, dim, 1, 2)
        first = (-(2 * d1 + d2) / (d1 * (d1 + d2)) * _slice(f, dim, 0, 1) + (d1 + d2) / (d1 * d2) * _slice(f, dim, 1, 2)
                 - d1 / (d2 * (d1 + d2)) * _slice(f, dim, 2, 3))
        d1, d2 = _slice(dx, dim, n - 3, n - 2), _slice(dx, dim, n - 2, n - 1)
        last = (d2 / (d1 * (d1 + d2)) * _slice(f, dim, n - 3, n - 2) - (d2 + d1) / (d1 * d2) * _slice(f, dim, n - 2, n - 1)
                + (2 * d2 + d1) / (d2 * (d1 + d2)) * _slice(f, dim, n - 1, n))
    return torchlike.cat([first, inner, last], dim=dim)


def gradient(input, *, spacing=1, dim=None, edge_order=1):  # noqa: A002
    """Central differences inside, one-sided (order ``edge_order``) at the ends, per dimension."""
    from ._tensor import Tensor

    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = list(range(input.dim())) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    dims = [d % input.dim() for d in dims]
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    if isinstance(spacing, (int, float)) or (isinstance(spacing, Tensor) and spacing.dim() == 0):
        spacing = [spacing] * len(dims)
    spacing = list(spacing)
    if len(spacing) != len(dims):
        raise RuntimeError(
            f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have "
            f"the same length, but got a spacing argument of length {len(spacing)} and a dim argument of length "
            f"{len(dims)}."
        )
    f = input if input.dtype.is_floating_point or input.dtype.is_complex else input.to(_default_float())
    out = []
    for d, h in zip(dims, spacing):
        if isinstance(h, Tensor) and h.dim() == 1:
            out.append(_gradient_coords(f, d, h, edge_order))
        else:
            out.append(_gradient_uniform(f, d, float(h), edge_order))
    return tuple(out)


def _default_float():
    return state.default_dtype


# -- the *_copy variants: the view, as a new tensor --------------------------------------------------


def _copy_of(view_name: str, method: bool = True):
    def fn(input, *args, out=None, **kwargs):  # noqa: A002
        from . import _functions  # noqa: F401

        view = getattr(input, view_name)(*args, **kwargs)
        if isinstance(view, (tuple, list)):
            return [v.clone(memory_format=None) for v in view]
        return view.clone()

    fn.__name__ = view_name + "_copy"
    return accepts_out(fn)


COPY_VARIANTS = {
    name + "_copy": _copy_of(name)
    for name in (
        "view", "permute", "transpose", "expand", "unsqueeze", "squeeze", "select", "split", "split_with_sizes",
        "unbind", "diagonal", "t", "unfold", "view_as_real", "view_as_complex", "as_strided", "indices", "values",
        "narrow", "detach",
    )
}


@accepts_out
def alias_copy(input, *, out=None):  # noqa: A002
    return input.clone()


@accepts_out
def slice_copy(input, dim=0, start=None, end=None, step=1, *, out=None):  # noqa: A002
    index = [slice(None)] * input.dim()
    index[dim] = slice(start, end, step)
    return input[tuple(index)].clone()


@accepts_out
def _view_as_real_copy(input, *, out=None):  # noqa: A002
    import torchlike

    return torchlike.view_as_real(input).clone()


@accepts_out
def _view_as_complex_copy(input, *, out=None):  # noqa: A002
    import torchlike

    return torchlike.view_as_complex(input).clone()


COPY_VARIANTS.update(
    alias_copy=alias_copy, slice_copy=slice_copy, view_as_real_copy=_view_as_real_copy,
    view_as_complex_copy=_view_as_complex_copy,
)
del COPY_VARIANTS["narrow_copy"]  # (torch.narrow_copy is below: PyTorch's own function)


@accepts_out
def narrow_copy(input, dim, start, length, *, out=None):  # noqa: A002
    return input.narrow(dim, start, length).clone()


# -- creation --------------------------------------------------------------------------------------


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """An uninitialised (here: zero) tensor. Only row-major and channels-last strides are reported
    back by ``stride()``; others give the row-major ones (XLA owns layouts; see docs/differences.md)."""
    from . import _creation, _memory_format

    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(
            "mismatch in length of strides and shape"
        )
    t = _creation.empty(size, dtype=dtype, device=device, requires_grad=requires_grad)
    for fmt in (_memory_format.channels_last, _memory_format.channels_last_3d):
        if len(size) == len(fmt._order) and stride == _memory_format.strides(size, fmt) != _memory_format.strides(size, None):
            _memory_format._set(t, fmt)
    return t


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-d tensor of ``buffer``'s bytes read as ``dtype`` (a copy: device memory cannot alias a
    Python buffer; see docs/differences.md)."""
    from . import _creation, _dtype

    dt = _dtype.to_dtype(dtype)
    view = memoryview(buffer)
    nbytes = view.nbytes
    if nbytes <= 0:
        raise ValueError(f"both buffer length ({nbytes}) and count ({count}) must not be 0")
    if not 0 <= offset < nbytes:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than buffer length ({nbytes} bytes) minus 1")
    item = dt.itemsize
    if count <= 0 and (nbytes - offset) % item != 0:
        raise ValueError(
            f"buffer length ({nbytes - offset} bytes) after offset ({offset} bytes) must be a multiple of element size ({item})"
        )
    if count > 0 and count * item > nbytes - offset:
        raise ValueError(
            f"requested buffer length ({count} * {item} bytes) after offset ({offset} bytes) must not be greater "
            f"than actual buffer length ({nbytes} bytes)"
        )
    arr = np.frombuffer(view, dtype=dt.np, count=count if count > 0 else -1, offset=offset)
    t = _creation.from_numpy(np.array(arr))
    return t.requires_grad_(True) if requires_grad else t


# -- process-wide switches -------------------------------------------------------------------------


def set_warn_always(b: bool) -> None:
    state.warn_always = bool(b)


def is_warn_always_enabled() -> bool:
    return getattr(state, "warn_always", False)


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    state.anomaly = bool(enabled)
    state.anomaly_check_nan = bool(check_nan)


def is_anomaly_enabled() -> bool:
    return bool(state.anomaly)


def is_anomaly_check_nan_enabled() -> bool:
    return getattr(state, "anomaly_check_nan", True)


def get_num_interop_threads() -> int:
    n = getattr(state, "interop_threads", None)
    if n is None:
        import os

        n = os.cpu_count() or 1
    return n


def set_num_interop_threads(n: int) -> None:
    if getattr(state, "interop_threads", None) is not None:
        raise RuntimeError(
            "Error: cannot set number of interop threads after parallel work has started or set_num_interop_threads called"
        )
    if n <= 0:
        raise RuntimeError("Expected positive number of threads")
    state.interop_threads = int(n)


def set_flush_denormal(mode: bool) -> bool:
    """False: XLA decides denormal handling per backend, so the mode cannot be set (PyTorch's
    answer on a CPU without the feature)."""
    return False


def is_inference(input) -> bool:  # noqa: A002
    """False: torchlike does not mark tensors made under inference_mode (docs/differences.md)."""
    return False


def is_storage(obj) -> bool:
    from ._runtime import Storage

    return isinstance(obj, Storage) or type(obj).__name__ in ("_StorageView", "UntypedStorage", "TypedStorage")


def get_device(input) -> int:  # noqa: A002
    return input.get_device()


class OutOfMemoryError(RuntimeError):
    pass


class AcceleratorError(RuntimeError):
    pass


OutOfMemoryError.__module__ = AcceleratorError.__module__ = "torch"
