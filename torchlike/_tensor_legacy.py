"""Tensor methods of older PyTorch code and rarely used ones: ``new``, ``resize_``, ``set_``,
``put_``, ``index_reduce_``, ``as_subclass``, ``dim_order``, the ``is_<backend>`` flags, and the
method forms of torch functions written in Python (stft, histogram, lu, ...). ``install()``
attaches them, and the torch-namespace functions, where nothing defines them yet."""

from __future__ import annotations

import warnings

from ._tensor import Tensor


def new(self, *args, dtype=None, device=None):
    """Legacy constructor: ``x.new()``, ``x.new(2, 3)``, ``x.new([1, 2])``, ``x.new(tensor)``."""
    from . import _creation
    from ._size import Size

    dt = dtype or self._dtype
    dev = device or self._device
    if not args:
        return _creation.empty(0, dtype=dt, device=dev)
    if len(args) == 1 and isinstance(args[0], Tensor):
        src = args[0]
        if src._dtype is not dt:
            raise TypeError(
                f"expected TensorOptions(dtype={_c_name(dt)}, device={dev}, ...) "
                f"(got TensorOptions(dtype={_c_name(src._dtype)}, device={src._device}, ...))"
            )
        return src.detach()
    if all(isinstance(a, int) for a in args):
        return _creation.empty(*args, dtype=dt, device=dev)
    if len(args) == 1 and isinstance(args[0], Size):
        return _creation.empty(tuple(args[0]), dtype=dt, device=dev)
    if len(args) == 1:
        return _creation.tensor(args[0], dtype=dt, device=dev)
    raise TypeError("new() received an invalid combination of arguments")


def _c_name(dt) -> str:
    from ._ops.linalg import _C_NAMES

    return _C_NAMES.get(dt.name, dt.name)


def resize_(self, *sizes, memory_format=None):
    """New shape; elements past the old ones are zero (PyTorch leaves them uninitialised)."""
    import torchlike

    from ._tensor_methods import _shape_args

    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = tuple(_shape_args(sizes, "resize_"))
    n = 1
    for s in shape:
        n *= s
    if self._base is not None and self._chain:
        return _resize_view(self, shape, n)
    flat = self.detach().reshape(-1)
    if n <= flat.numel():
        value = flat[:n].reshape(shape).clone()
    else:
        value = torchlike.cat([flat, torchlike.zeros(n - flat.numel(), dtype=self._dtype, device=self._device)]).reshape(shape)
    self._rebind(value)
    if memory_format is not None:
        from . import _memory_format

        _memory_format.new_with(self, memory_format, "resize_")
    return self


def _resize_view(self, shape, n):
    """resize_ of a view: PyTorch keeps its storage offset and gives it contiguous strides, so it
    becomes the next ``n`` elements of the shared storage."""
    import torchlike

    root = self._base
    offset = self.storage_offset()
    if offset + n <= root.numel():
        alias = root.view(-1)[offset:offset + n].view(shape)._alias(requires_grad=False)
        self._data, self._base, self._chain = alias._data, alias._base, alias._chain
        self._vbox, self._seen = alias._vbox, alias._seen
        return self
    # PyTorch grows the shared storage (the base keeps its elements; the new ones are
    # uninitialised); a functionalised view cannot grow its base, so the view becomes a tensor of
    # its own: the storage's elements from its offset, then zeros (later writes stay its own)
    rest = root.detach().reshape(-1)[offset:]
    value = torchlike.cat([rest, torchlike.zeros(n - rest.numel(), dtype=self._dtype, device=self._device)])
    value = value.reshape(shape)._value()
    self._base, self._chain, self._vbox, self._seen = None, (), [self._vbox[0] + 1], 0
    self._data = value
    return self


def resize_as_(self, the_template, memory_format=None):
    return resize_(self, tuple(the_template.shape), memory_format=memory_format)


def set_(self, source=None, storage_offset=None, size=None, stride=None):
    """Make ``self`` an alias of ``source`` (its value, versions and later in-place writes)."""
    from . import _creation

    if source is None:
        source = _creation.empty(0, dtype=self._dtype, device=self._device)
    elif not isinstance(source, Tensor):
        raise TypeError("set_() of a storage is not supported by torchlike: pass a tensor")
    if storage_offset is not None or size is not None:
        flat = source.reshape(-1)
        n = 1
        for s in size:
            n *= s
        source = flat[storage_offset or 0:(storage_offset or 0) + n].view(tuple(size))
    alias = source._alias(requires_grad=False)
    self._data = alias._data
    self._dtype = alias._dtype
    self._device = alias._device
    self._base, self._chain, self._vbox, self._seen = alias._base, alias._chain, alias._vbox, alias._seen
    return self


def put_(self, index, source, accumulate=False):
    flat = self.reshape(-1)
    new = flat.index_put((index.reshape(-1),), source.reshape(-1).to(self._dtype), accumulate)
    return self._inplace_assign(new.reshape(self.shape))


def put(self, index, source, accumulate=False):
    return put_(self.clone(), index, source, accumulate)


def index_reduce(self, dim, index, source, reduce, *, include_self=True):
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    dim = dim % max(self.dim(), 1)
    shape = [1] * source.dim()
    shape[dim] = -1
    idx = index.reshape(shape).expand(source.shape)
    return self.scatter_reduce(dim, idx, source, reduce, include_self=include_self)


def index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    warnings.warn("index_reduce() is in beta and the API may change at any time.", UserWarning, stacklevel=2)
    return self._inplace_assign(index_reduce(self, dim, index, source, reduce, include_self=include_self))


def as_subclass(self, cls):
    """The same value, autograd history included, as an instance of ``cls`` (a Tensor subclass)."""
    t = self._alias(requires_grad=False)
    t.__class__ = cls
    t.grad_fn, t._out_idx, t._requires_grad = self.grad_fn, self._out_idx, self._requires_grad
    return t


def dim_order(self, *, ambiguity_check=False):
    stride = self.stride()
    return tuple(sorted(range(self.dim()), key=lambda d: -stride[d]))


def nonzero_static(self, *, size, fill_value=-1):
    import torchlike

    nz = self.nonzero()[:size]
    if nz.shape[0] < size:
        pad = torchlike.full((size - nz.shape[0], self.dim()), fill_value, dtype=nz.dtype)
        nz = torchlike.cat([nz, pad])
    return nz


def new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False, **kwargs):
    from ._functions_extra import empty_strided

    return empty_strided(size, stride, dtype=dtype or self._dtype, device=device or self._device,
                         requires_grad=requires_grad)


def prelu(self, weight):
    from .nn import functional as F

    return F.prelu(self, weight)


def hardshrink(self, lambd=0.5):
    from .nn import functional as F

    return F.hardshrink(self, lambd)


def output_nr(self) -> int:
    return self._out_idx if self.grad_fn is not None else 0


_FALSE_FLAGS = ("is_mps", "is_xpu", "is_xla", "is_ipu", "is_mkldnn", "is_nested", "is_sparse_csr", "is_vulkan",
                "is_mtia", "is_maia")


def _methods() -> dict:
    from . import _functions_extra as X
    from . import _histogram, _linalg_legacy, _spectral
    from ._functions import clone

    out = dict(
        new=new, resize_=resize_, resize_as_=resize_as_, set_=set_, put_=put_, put=put, index_reduce=index_reduce,
        index_reduce_=index_reduce_, as_subclass=as_subclass, dim_order=dim_order, nonzero_static=nonzero_static,
        new_empty_strided=new_empty_strided, prelu=prelu, hardshrink=hardshrink, output_nr=property(output_nr),
        name=property(lambda self: None),
        cdouble=lambda self, memory_format=None: self.to(_complex128()),
        narrow_copy=X.narrow_copy, frexp=X.frexp, is_inference=X.is_inference, stft=_spectral.stft,
        istft=_spectral.istft, histogram=_histogram.histogram, qr=_linalg_legacy.qr, lu=_linalg_legacy.lu,
        lu_solve=_linalg_legacy.lu_solve, triangular_solve=_linalg_legacy.triangular_solve,
        cholesky_solve=_linalg_legacy.cholesky_solve, cholesky_inverse=_linalg_legacy.cholesky_inverse,
        record_stream=lambda self, stream: None, clone=clone,
    )
    for name in ("solve", "symeig", "eig", "lstsq"):
        out[name] = _linalg_legacy.REMOVED[name]
    return out


def _complex128():
    from ._dtype import complex128

    return complex128


def _functions() -> dict:
    from . import _functions_extra as X
    from . import _histogram, _linalg_legacy, _memory_format, _spectral, amp

    out = dict(X.COPY_VARIANTS)
    out.update(_linalg_legacy.REMOVED)
    out.update(
        frexp=X.frexp, gradient=X.gradient, narrow_copy=X.narrow_copy, empty_strided=X.empty_strided,
        frombuffer=X.frombuffer, set_warn_always=X.set_warn_always, is_warn_always_enabled=X.is_warn_always_enabled,
        set_anomaly_enabled=X.set_anomaly_enabled, is_anomaly_enabled=X.is_anomaly_enabled,
        is_anomaly_check_nan_enabled=X.is_anomaly_check_nan_enabled, get_num_interop_threads=X.get_num_interop_threads,
        set_num_interop_threads=X.set_num_interop_threads, set_flush_denormal=X.set_flush_denormal,
        is_inference=X.is_inference, is_storage=X.is_storage, get_device=X.get_device,
        OutOfMemoryError=X.OutOfMemoryError, AcceleratorError=X.AcceleratorError, GradScaler=amp.GradScaler,
        stft=_spectral.stft, istft=_spectral.istft, histogram=_histogram.histogram, histogramdd=_histogram.histogramdd,
        qr=_linalg_legacy.qr, lu=_linalg_legacy.lu, lu_unpack=_linalg_legacy.lu_unpack,
        lu_solve=_linalg_legacy.lu_solve, triangular_solve=_linalg_legacy.triangular_solve,
        cholesky_solve=_linalg_legacy.cholesky_solve, cholesky_inverse=_linalg_legacy.cholesky_inverse,
        nuclear_norm=_linalg_legacy.nuclear_norm, frobenius_norm=_linalg_legacy.frobenius_norm,
        index_reduce=index_reduce, nonzero_static=nonzero_static, put=put, resize_as_=resize_as_,
        memory_format=_memory_format.memory_format, contiguous_format=_memory_format.contiguous_format,
        channels_last=_memory_format.channels_last, channels_last_3d=_memory_format.channels_last_3d,
        preserve_format=_memory_format.preserve_format,
        legacy_contiguous_format=_memory_format.legacy_contiguous_format,
    )
    return out


def install(namespace: dict) -> None:
    """Attach the methods and functions nothing else defines (another module's definition wins)."""
    for name, fn in _methods().items():
        if name == "clone" or not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    for name in _FALSE_FLAGS:
        if not hasattr(Tensor, name):
            setattr(Tensor, name, property(lambda self: False))
    for name, fn in _functions().items():
        namespace.setdefault(name, fn)
