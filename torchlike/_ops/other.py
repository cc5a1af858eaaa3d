"""The everyday torch functions PyTorch's docs list under "Other operations" and friends
(isin, bincount, histc, cov, block_diag, diagflat, heaviside, gcd, mode, hsplit, ravel, ...)
plus dtype info objects (finfo/iinfo)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import pointwise  # noqa: F401  (its in-place methods are re-exported below)
from .registry import FUNCTIONS, METHODS, op


@op("ldexp", method=True, inplace="ldexp_", promote="float")
def ldexp(x, other):
    return x * jnp.exp2(other.astype(x.dtype) if hasattr(other, "astype") else other)


@op("complex", method=False, differentiable=False)
def complex(real, imag):  # noqa: A001
    dt = jnp.complex128 if real.dtype == jnp.float64 else jnp.complex64
    return jax.lax.complex(real, imag).astype(dt)


@op("polar", method=False, differentiable=False)
def polar(abs, angle):  # noqa: A002
    return complex(abs * jnp.cos(angle), abs * jnp.sin(angle))


@op("isreal", method=True, differentiable=False)
def isreal(x):
    return jnp.imag(x) == 0 if jnp.issubdtype(x.dtype, jnp.complexfloating) else jnp.ones(x.shape, bool)


@op("heaviside", method=True, inplace="heaviside_", promote="same", differentiable=False)
def heaviside(x, values):
    return jnp.where(x == 0, values, (x > 0).astype(x.dtype)).astype(x.dtype)


@op("deg2rad", method=True, inplace="deg2rad_", promote="float")
def deg2rad(x):
    return x * jnp.asarray(np.pi / 180, x.dtype)


@op("rad2deg", method=True, inplace="rad2deg_", promote="float")
def rad2deg(x):
    return x * jnp.asarray(180 / np.pi, x.dtype)


@op("logaddexp2", method=True, promote="float")
def logaddexp2(x, other):
    return jnp.logaddexp2(x, other)


@op("sinc", method=True, inplace="sinc_", promote="float")
def sinc(x):
    return jnp.sinc(x)


@op("gcd", method=True, inplace="gcd_", promote="same", differentiable=False)
def gcd(x, other):
    return jnp.gcd(x, other)


@op("lcm", method=True, inplace="lcm_", promote="same", differentiable=False)
def lcm(x, other):
    return jnp.lcm(x, other)


@op("bitwise_left_shift", method=True, inplace="bitwise_left_shift_", dunder=("__lshift__",), promote="same",
    differentiable=False)
def bitwise_left_shift(x, other):
    return jnp.left_shift(x, other)


@op("bitwise_right_shift", method=True, inplace="bitwise_right_shift_", dunder=("__rshift__",), promote="same",
    differentiable=False)
def bitwise_right_shift(x, other):
    return jnp.right_shift(x, other)


@op("isin", differentiable=False, promote="same")
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    return jnp.isin(elements, test_elements, invert=invert)


@op("bincount_k", function=False, differentiable=False)
def bincount_k(x, weights, *, length):
    w = None if weights is None else weights
    out = jnp.bincount(x.reshape(-1), w, length=length)
    return out if weights is not None else out.astype(jnp.int64)


@op("histc", method=True, differentiable=False)
def histc(x, *, bins=100, min=0, max=0):  # noqa: A002
    lo, hi = (jnp.min(x), jnp.max(x)) if min == max else (jnp.asarray(min, x.dtype), jnp.asarray(max, x.dtype))
    lo, hi = jnp.where(lo == hi, lo - 1, lo), jnp.where(lo == hi, hi + 1, hi)
    idx = jnp.floor((x - lo) / (hi - lo) * bins).astype(jnp.int64)
    idx = jnp.where(x == hi, bins - 1, idx)
    inside = (x >= lo) & (x <= hi)
    return jnp.zeros(bins, x.dtype).at[jnp.where(inside, idx, bins)].add(jnp.ones_like(x), mode="drop")


@op("cov", method=True)
def cov(x, *, correction=1, fweights=None, aweights=None):
    x = x.reshape(1, -1) if x.ndim < 2 else x
    x = x if jnp.issubdtype(x.dtype, jnp.inexact) else x.astype(jnp.float32)
    return jnp.cov(x, ddof=correction)


@op("corrcoef", method=True)
def corrcoef(x):
    x = x if jnp.issubdtype(x.dtype, jnp.inexact) else x.astype(jnp.float32)
    return jnp.corrcoef(x)


@op("vander")
def vander(x, *, N=None, increasing=False):  # noqa: N803
    return jnp.vander(x, N, increasing=increasing)


@op("block_diag_k", function=False, promote="list", promote_args=("tensors",))
def block_diag_k(tensors):
    mats = [t.reshape(1, -1) if t.ndim < 2 else t for t in tensors]
    rows, cols = sum(m.shape[0] for m in mats), sum(m.shape[1] for m in mats)
    out = jnp.zeros((rows, cols), mats[0].dtype)
    r = c = 0
    for m in mats:
        out = out.at[r : r + m.shape[0], c : c + m.shape[1]].set(m)
        r, c = r + m.shape[0], c + m.shape[1]
    return out


@op("diagflat", method=True)
def diagflat(x, *, offset=0):
    return jnp.diagflat(x, offset)


@op("trapezoid", aliases=("trapz",), promote="float")
def trapezoid(y, x=None, *, dx=1, dim=-1):
    if x is not None:  # spacing from the sample points (1-D: along dim)
        return jnp.trapezoid(y, x, axis=dim).astype(y.dtype)
    return jnp.trapezoid(y, dx=dx, axis=dim).astype(y.dtype)


@op("dist", method=True, promote="same")
def dist(x, other, *, p=2):
    from .reduction import norm_p

    return norm_p((x - other).reshape(-1), p=p)


@op("addr", method=True, inplace="addr_", promote="same", promote_args=("x", "vec1", "vec2"))
def addr(x, vec1, vec2, *, beta=1, alpha=1):
    return beta * x + alpha * jnp.outer(vec1, vec2)


@op("logdet", method=True)
def logdet(x):
    sign, logabs = jnp.linalg.slogdet(x)
    return jnp.where(sign < 0, jnp.nan, logabs)


@op("mode_k", function=False, differentiable=False)
def mode_k(x, *, dim=-1, keepdim=False):
    d = dim % max(x.ndim, 1)
    xs = jnp.moveaxis(x, d, -1)
    counts = jnp.sum(xs[..., :, None] == xs[..., None, :], axis=-1)
    # torch: the smallest most-frequent value, reported at its last occurrence
    best = jnp.max(counts, axis=-1, keepdims=True)
    cand = jnp.where(counts == best, xs, jnp.max(xs, axis=-1, keepdims=True))
    vals = jnp.min(cand, axis=-1)
    pos = jnp.arange(xs.shape[-1])
    idx = jnp.max(jnp.where(xs == vals[..., None], pos, -1), axis=-1).astype(jnp.int64)
    if keepdim:
        vals, idx = jnp.expand_dims(vals, d), jnp.expand_dims(idx, d)
    return vals, idx


class finfo:  # noqa: N801 - torch's name
    """Machine limits of a floating dtype (torch.finfo)."""

    def __init__(self, type=None):  # noqa: A002
        from .._context import state

        dt = type if type is not None else state.default_dtype
        info = np.finfo(dt.np) if dt.name != "bfloat16" and not dt.name.startswith("float8") else _ml_info(dt)
        self.dtype = dt.name
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.tiny)
        self.resolution = 10.0 ** -int(info.precision)  # a Python float, as PyTorch's (1e-06)
        if dt.name.startswith("float8"):  # c10's numeric_limits: digits10 is 0; e5m2fnuz's epsilon 2**-3
            self.resolution = 1.0
            self.eps = 0.125 if dt.name == "float8_e5m2fnuz" else self.eps

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


def _ml_info(dt):
    import ml_dtypes

    return ml_dtypes.finfo(dt.np)


class iinfo:  # noqa: N801 - torch's name
    """Machine limits of an integer dtype (torch.iinfo)."""

    def __init__(self, type):  # noqa: A002
        info = np.iinfo(type.np)
        self.dtype = type.name
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)

    def __repr__(self):
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"


class _StorageView:
    """What ``t.storage()`` / ``t.untyped_storage()`` report: the storage of ``t``'s base tensor
    (views share it, as in PyTorch); read-only metadata, no raw memory."""

    def __init__(self, t, typed):
        self._root = t._base if t._base is not None else t
        self._typed = typed

    def data_ptr(self):
        return id(self._root._vbox)

    def element_size(self):
        return self._root.element_size() if self._typed else 1

    def nbytes(self):
        return self._root.numel() * self._root.element_size()

    def size(self):
        return self._root.numel() if self._typed else self.nbytes()

    __len__ = size

    @property
    def dtype(self):
        return self._root.dtype

    @property
    def device(self):
        return self._root.device

    def tolist(self):
        return self._root.reshape(-1).tolist()

    def _storage_tensor(self, dtype):
        """``torch.Tensor(storage)`` / ``torch.LongTensor(storage)``: a 1-d alias of all of it."""
        if self._typed and dtype is not self._root.dtype:
            from .._tensor import _TYPE_NAMES

            want, got = (_TYPE_NAMES[d].split(".")[-1][: -len("Tensor")] for d in (dtype, self._root.dtype))
            raise RuntimeError(
                f"Expected a Storage of type {want} or an UntypedStorage, but got type {got} for argument 1 'storage'"
            )
        return self._root.view(-1)

    def __getitem__(self, idx):
        if not self._typed:
            return self._bytes()[idx]
        if isinstance(idx, slice):
            raise RuntimeError("slices of a storage are not supported by torchlike")
        return self._root.reshape(-1)[idx].item()

    def __setitem__(self, idx, value):
        if not self._typed:
            raise RuntimeError("writing bytes of an untyped storage is not supported by torchlike")
        self._root.view(-1)[idx] = value

    def __iter__(self):
        return iter(self._bytes() if not self._typed else self.tolist())

    def _bytes(self):
        return list(np.ascontiguousarray(self._root._host("storage")).reshape(-1).view(np.uint8).tolist())

    def __str__(self):
        if self._typed:
            info = f"[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size {len(self)}]"
        else:
            info = f"[torch.storage.UntypedStorage(device={self.device}) of size {len(self)}]"
        return " " + "\n ".join(str(v) for v in self) + "\n" + info

    __repr__ = __str__


def _typed_storage(self):
    from .._spectral import _warn_once

    _warn_once(
        "typed_storage",
        "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only "
        "storage class. This should only matter to you if you are using storages directly.  To access "
        "UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
    )
    return _StorageView(self, typed=True)


# -- Python-level functions ---------------------------------------------------------------------------


def _tensor_module():
    from .. import _creation

    return _creation


def bincount(input, weights=None, minlength=0):  # noqa: A002
    if input.dim() != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    n = int(input.max().item()) + 1 if input.numel() else 0
    return bincount_k.frontend(input, weights, length=max(n, int(minlength)))


def block_diag(*tensors):
    return block_diag_k.frontend(list(tensors))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    if input.dtype is not other.dtype:
        from .._dtype import SCALAR_NAMES

        raise RuntimeError(f"{SCALAR_NAMES[input.dtype.name]} did not match {SCALAR_NAMES[other.dtype.name]}")
    return bool(input.isclose(other, rtol=rtol, atol=atol, equal_nan=equal_nan).all())


def equal(input, other):  # noqa: A002
    if tuple(input.shape) != tuple(other.shape):
        return False
    return bool((input == other).all())


def is_nonzero(input):  # noqa: A002
    if input.numel() != 1:
        raise RuntimeError(
            "Boolean value of Tensor with more than one value is ambiguous"
            if input.numel() else "Boolean value of Tensor with no values is ambiguous"
        )
    return bool(input)


def ravel(input):  # noqa: A002
    return input.reshape(-1)


def msort(input):  # noqa: A002
    return input.sort(0).values


def mode(input, dim=-1, keepdim=False):  # noqa: A002
    from .reduction import _rt

    return _rt("mode")(*mode_k.frontend(input, dim=dim, keepdim=keepdim))


def _split_by(axis_for, name):
    def fn(input, indices_or_sections):  # noqa: A002
        axis = axis_for(input)
        if isinstance(indices_or_sections, int) and input.shape[axis] % indices_or_sections:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {axis}, but the size of the dimension "
                f"{input.shape[axis]} is not divisible by the split_size {indices_or_sections}!"
            )
        return input.tensor_split(indices_or_sections, axis)

    fn.__name__ = name
    return fn


hsplit = _split_by(lambda t: 1 if t.dim() > 1 else 0, "hsplit")
vsplit = _split_by(lambda t: 0, "vsplit")
dsplit = _split_by(lambda t: 2, "dsplit")


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    from .creation import tril_indices_k

    t = tril_indices_k.frontend(row=int(row), col=int(col), offset=int(offset))
    return t if dtype is None else t.to(dtype)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    from .creation import triu_indices_k

    t = triu_indices_k.frontend(row=int(row), col=int(col), offset=int(offset))
    return t if dtype is None else t.to(dtype)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    from .._context import state

    return _tensor_module().tensor(s, dtype=dtype or state.default_dtype, device=device, requires_grad=requires_grad)


def slogdet(input):  # noqa: A002
    from .. import linalg
    from .reduction import _rt

    return _rt("slogdet", ("sign", "logabsdet"))(*linalg.slogdet(input))


def svd(input, some=True, compute_uv=True):  # noqa: A002
    from .. import linalg
    from .reduction import _rt

    u, s, vh = linalg.svd(input, full_matrices=not some)
    return _rt("svd", ("U", "S", "V"))(u, s, vh.mT.conj())


def pinverse(input, rcond=1e-15):  # noqa: A002
    from .. import linalg

    return linalg.pinv(input)


def cholesky(input, upper=False):  # noqa: A002
    from .. import linalg

    return linalg.cholesky(input, upper=upper)


def typename(obj):
    """torch.typename: a tensor's legacy type name, else the qualified name of the object (a class,
    a function) or of its type; torchlike's own modules are named as torch's."""
    from .._tensor import Tensor

    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module, qualname = type(obj).__module__ or "", type(obj).__qualname__
    if not isinstance(module, str) or module in ("", "builtins"):
        return qualname
    if module == "torchlike" or module.startswith("torchlike."):
        module = "torch" + module[len("torchlike"):]
    return f"{module}.{qualname}"


def _install():
    funcs = dict(
        bincount=bincount, block_diag=block_diag, allclose=allclose, equal=equal, is_nonzero=is_nonzero,
        ravel=ravel, msort=msort, mode=mode, hsplit=hsplit, vsplit=vsplit, dsplit=dsplit,
        tril_indices=tril_indices, triu_indices=triu_indices, scalar_tensor=scalar_tensor, slogdet=slogdet,
        svd=svd, pinverse=pinverse, cholesky=cholesky, typename=typename, finfo=finfo, iinfo=iinfo,
    )
    FUNCTIONS.update(funcs)
    for name in ("bincount", "allclose", "equal", "is_nonzero", "ravel", "msort", "mode", "hsplit", "vsplit",
                 "dsplit", "slogdet", "svd", "pinverse", "cholesky"):
        METHODS[name] = funcs[name]


_install()


# -- more Tensor methods and torch functions -----------------------------------------------------------


@op("unfold", function=False, view=True, grad_name="UnfoldBackward0")
def unfold(x, *, dimension, size, step):
    d = dimension % max(x.ndim, 1)
    n = x.shape[d] if x.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    starts = np.arange(0, n - size + 1, step)
    windows = starts[:, None] + np.arange(size)[None, :]  # (count, size)
    xs = x.reshape(1) if x.ndim == 0 else x
    out = jnp.take(xs, windows.reshape(-1), axis=d)
    if x.ndim == 0:  # (PyTorch: the one window of a 0-d tensor, shape (size,))
        return out[:size]
    out = out.reshape(xs.shape[:d] + windows.shape + xs.shape[d + 1 :])
    return jnp.moveaxis(out, d + 1, -1)


@op("fill_diagonal", function=False, differentiable=True, grad_name="FillDiagonalBackward0")
def fill_diagonal(x, fill_value, *, wrap=False):
    if x.ndim == 2:
        rows, cols = x.shape
        if wrap and rows > cols:  # as numpy: every (cols + 1)-th element of the flat matrix
            flat = np.arange(0, rows * cols, cols + 1)
            r, c = flat // cols, flat % cols
        else:
            r = c = np.arange(min(rows, cols))
        return x.at[r, c].set(jnp.asarray(fill_value).astype(x.dtype))
    n = min(x.shape)
    idx = (np.arange(n),) * x.ndim
    return x.at[idx].set(jnp.asarray(fill_value).astype(x.dtype))


def nanmedian(input, dim=None, keepdim=False):  # noqa: A002
    from .reduction import _rt

    x = input
    if dim is None:
        x = x.reshape(-1)
    # NaNs sort last: the median of the non-NaN values sits at (count - 1) // 2
    count = (~x.isnan()).sum(-1 if dim is None else dim, keepdim=True)
    srt = x.sort(-1 if dim is None else dim)
    k = ((count - 1).clamp_min(0) // 2)
    vals = srt.values.gather(-1 if dim is None else dim, k)
    idx = srt.indices.gather(-1 if dim is None else dim, k)
    if dim is None:
        return vals.reshape(())
    if not keepdim:
        vals, idx = vals.squeeze(dim), idx.squeeze(dim)
    return _rt("nanmedian")(vals, idx)


def _install_methods():
    import os

    from .._tensor import Tensor
    from . import views as V

    def _shape_inplace(name, fn):
        def method(self, *args, **kwargs):
            self._check_inplace()
            new = fn(self, *args, **kwargs)
            strides = new.stride() if self._base is None and name in ("t_", "transpose_") else None
            if self._base is not None:  # a view: its chain grows, so a refresh keeps the new shape
                self._chain = new._chain
            self._data = new._value()
            if strides is not None:  # a tensor transposed in place keeps its storage: PyTorch's strides
                from .._memory_format import set_order_from_strides

                set_order_from_strides(self, strides)
            if new.grad_fn is not None:
                self.grad_fn, self._out_idx = new.grad_fn, new._out_idx
            self._vbox[0] += 1
            return self

        method.__name__ = name
        return method

    METHODS["squeeze_"] = _shape_inplace("squeeze_", lambda t, dim=None: V.squeeze.frontend(t, dim=dim))
    METHODS["unsqueeze_"] = _shape_inplace("unsqueeze_", lambda t, dim: V.unsqueeze.frontend(t, dim=dim))
    METHODS["t_"] = _shape_inplace("t_", lambda t: V.t.frontend(t))
    METHODS["transpose_"] = _shape_inplace("transpose_", lambda t, d0, d1: V.transpose.frontend(t, dim0=d0, dim1=d1))
    METHODS["clip_"] = lambda self, min=None, max=None: self.clamp_(min, max)  # noqa: A002
    METHODS["unfold"] = lambda self, dimension, size, step: unfold.frontend(
        self, dimension=dimension, size=size, step=step)
    METHODS["fill_diagonal_"] = lambda self, fill_value, wrap=False: self._inplace_assign(
        fill_diagonal.frontend(self, fill_value, wrap=wrap))
    METHODS["masked_scatter_"] = lambda self, mask, source: self._inplace_assign(self.masked_scatter(mask, source))
    METHODS["nanmedian"] = nanmedian
    METHODS["nanquantile"] = lambda self, q, dim=None, keepdim=False, *, interpolation="linear": nanquantile(
        self, q, dim, keepdim, interpolation=interpolation)
    METHODS["multinomial"] = lambda self, num_samples, replacement=False, *, generator=None: _tensor_module(
    ).multinomial(self, num_samples, replacement, generator=generator)
    METHODS["__contains__"] = lambda self, element: bool((self == element).any())
    METHODS["__reversed__"] = lambda self: self if self.dim() == 0 else self.flip(0)
    # (a view's first element lies storage_offset() elements into its base's storage)
    METHODS["data_ptr"] = lambda self: id(self._vbox) + (self.storage_offset() * self.element_size() if self._base is not None else 0)
    METHODS["untyped_storage"] = lambda self: _StorageView(self, typed=False)
    METHODS["storage"] = _typed_storage
    Tensor.nbytes = property(lambda self: self.numel() * self.element_size())
    Tensor.itemsize = property(lambda self: self.element_size())

    settings = {"float32_matmul_precision": "highest", "deterministic": False}

    def set_float32_matmul_precision(precision):
        if precision not in ("highest", "high", "medium"):
            raise RuntimeError(f"Invalid precision {precision}")
        # 'highest': full fp32 (torch's default); 'high'/'medium' let XLA use TF32/bf16 passes
        from ..backends.cuda import set_matmul_precision

        settings["float32_matmul_precision"] = precision
        set_matmul_precision(precision != "highest")

    def use_deterministic_algorithms(mode, *, warn_only=False):
        settings["deterministic"] = bool(mode)  # XLA's CPU/GPU kernels used here are deterministic

    FUNCTIONS.update(
        nanmedian=nanmedian, nanquantile=nanquantile, detach=lambda input: input.detach(),  # noqa: A006
        set_float32_matmul_precision=set_float32_matmul_precision,
        get_float32_matmul_precision=lambda: settings["float32_matmul_precision"],
        use_deterministic_algorithms=use_deterministic_algorithms,
        are_deterministic_algorithms_enabled=lambda: settings["deterministic"],
        set_num_threads=lambda n: None, get_num_threads=lambda: os.cpu_count() or 1,
    )
    FUNCTIONS["masked_scatter"] = lambda input, mask, source: input.masked_scatter(mask, source)
    METHODS["resolve_conj"] = METHODS["resolve_neg"] = lambda self: self
    FUNCTIONS["resolve_conj"] = FUNCTIONS["resolve_neg"] = lambda input: input
    for name in ("abs_", "clamp_", "sigmoid_", "relu_", "exp_", "sqrt_", "tanh_", "neg_", "fill_", "zero_"):
        if name in METHODS:
            FUNCTIONS[name] = METHODS[name]


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):  # noqa: A002
    from .reduction import nanquantile_k

    return nanquantile_k.frontend(input, q, dim=dim, keepdim=keepdim, interpolation=interpolation)


_install_methods()
