"""Reductions, scans, sorting. Integer sums accumulate in int64, as torch does."""

from __future__ import annotations

import collections
import math

import jax
import jax.numpy as jnp

from .registry import FUNCTIONS, METHODS, accepts_out, hashable, op


def _axes(x, dim):
    if dim is None or dim == ():
        return None
    if isinstance(dim, int):
        dim = (dim,)
    n = max(x.ndim, 1)
    for d in dim:
        if not -n <= d < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    wrapped = tuple(d % n for d in dim)
    for k, d in enumerate(wrapped):
        if d in wrapped[:k]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return wrapped if x.ndim else None


def _acc_dtype(x, dtype):
    if dtype is not None:
        return dtype.np
    if x.dtype == jnp.bool_ or jnp.issubdtype(x.dtype, jnp.integer):
        return jnp.int64
    return x.dtype


def _dim_overload(base):
    """torch's reductions over given dims are another overload: SumBackward1, MeanBackward1."""
    return lambda args, attrs: base if dict(attrs).get("dim") is not None else None


@op("sum", method=True, grad_name="SumBackward0", grad_name_of=_dim_overload("SumBackward1"))
def sum(x, *, dim=None, keepdim=False, dtype=None):  # noqa: A001
    return jnp.sum(x.astype(_acc_dtype(x, dtype)), axis=_axes(x, dim), keepdims=keepdim)


@op("nansum", method=True)
def nansum(x, *, dim=None, keepdim=False, dtype=None):
    return jnp.nansum(x.astype(_acc_dtype(x, dtype)), axis=_axes(x, dim), keepdims=keepdim)


@op("prod", method=True, grad_name="ProdBackward0")
def prod(x, *, dim=None, keepdim=False, dtype=None):
    return jnp.prod(x.astype(_acc_dtype(x, dtype)), axis=_axes(x, dim), keepdims=keepdim)


def _need_float(name, x, dtype):
    dt = dtype.np if dtype is not None else x.dtype
    if not jnp.issubdtype(dt, jnp.inexact):
        from .._dtype import from_np

        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {_torch_type_name(from_np(dt))}"
        )
    return dt


def _torch_type_name(d):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool", "float32": "Float", "float64": "Double", "float16": "Half",
            "bfloat16": "BFloat16"}.get(d.name, d.name)


@op("mean", method=True, grad_name="MeanBackward0", grad_name_of=_dim_overload("MeanBackward1"))
def mean(x, *, dim=None, keepdim=False, dtype=None):
    dt = _need_float("mean", x, dtype)
    return exact_mean(x.astype(dt), axis=_axes(x, dim), keepdims=keepdim)


def exact_mean(x, axis=None, keepdims=False):
    """The mean as PyTorch's CPU kernel computes it: the sum, then a correctly rounded division by
    the element count (jnp.mean's division by a constant becomes a product with its reciprocal in
    XLA, one ulp off for counts such as 200: 20 / 200 gave 0.099999994)."""
    from .pointwise import _true_div

    axes = range(x.ndim) if axis is None else axis
    count = math.prod(x.shape[a] for a in axes)
    return _true_div(jnp.sum(x, axis=axis, keepdims=keepdims), jnp.asarray(count, x.dtype))


@op("nanmean", method=True)
def nanmean(x, *, dim=None, keepdim=False, dtype=None):
    dt = _need_float("nanmean", x, dtype)
    return jnp.nanmean(x.astype(dt), axis=_axes(x, dim), keepdims=keepdim)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased in (None, True) else 0


def _std_var_dtype(x, name="std and var"):
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        raise RuntimeError(f"{name} only support floating point and complex dtypes")


@op("var", method=True, grad_name="VarBackward0")
def var(x, *, dim=None, unbiased=None, keepdim=False, correction=None):
    _std_var_dtype(x)
    return jnp.var(x, axis=_axes(x, dim), ddof=_correction(unbiased, correction), keepdims=keepdim)


@op("std", method=True, grad_name="StdBackward0")
def std(x, *, dim=None, unbiased=None, keepdim=False, correction=None):
    _std_var_dtype(x)
    return jnp.std(x, axis=_axes(x, dim), ddof=_correction(unbiased, correction), keepdims=keepdim)


@op("var_mean", grad_name="VarMeanBackward0")
def var_mean(x, *, dim=None, unbiased=None, keepdim=False, correction=None):
    _std_var_dtype(x, "var_mean")
    ax = _axes(x, dim)
    return (jnp.var(x, axis=ax, ddof=_correction(unbiased, correction), keepdims=keepdim),
            jnp.mean(x, axis=ax, keepdims=keepdim))


@op("std_mean", grad_name="StdMeanBackward0")
def std_mean(x, *, dim=None, unbiased=None, keepdim=False, correction=None):
    _std_var_dtype(x, "std_mean")
    ax = _axes(x, dim)
    return (jnp.std(x, axis=ax, ddof=_correction(unbiased, correction), keepdims=keepdim),
            jnp.mean(x, axis=ax, keepdims=keepdim))


@op("amax", method=True, grad_name="AmaxBackward0")
def amax(x, *, dim=(), keepdim=False):
    return jnp.max(x, axis=_axes(x, dim), keepdims=keepdim)


@op("amin", method=True, grad_name="AminBackward0")
def amin(x, *, dim=(), keepdim=False):
    return jnp.min(x, axis=_axes(x, dim), keepdims=keepdim)


@op("aminmax_k", function=False)
def aminmax_k(x, *, dim=None, keepdim=False):
    ax = _axes(x, dim)
    return jnp.min(x, axis=ax, keepdims=keepdim), jnp.max(x, axis=ax, keepdims=keepdim)


def _check_nonempty(name, x, dim):
    if x.size == 0 and dim is None:
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."
        )


@op("max_all", function=False, grad_name="MaxBackward1")
def max_all(x):
    _check_nonempty("max", x, None)
    return jnp.max(x)


@op("min_all", function=False, grad_name="MinBackward1")
def min_all(x):
    _check_nonempty("min", x, None)
    return jnp.min(x)


def _arg_extreme(x, d, largest):
    # torch returns the first occurrence; NaN counts as the extreme
    xs = x if x.ndim else x.reshape(1)
    idx = jnp.argmax(xs, axis=d) if largest else jnp.argmin(xs, axis=d)
    nan = jnp.isnan(xs) if jnp.issubdtype(xs.dtype, jnp.inexact) else None
    if nan is not None:
        idx = jnp.where(jnp.any(nan, axis=d), jnp.argmax(nan, axis=d), idx)
    return idx.astype(jnp.int64)


def _nonempty_reduction(x, dim, name):
    """ATen's check before an arg/min/max reduction: a dim to reduce over, of non-zero size."""
    if dim is None:
        if x.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        return
    d = dim % max(x.ndim, 1)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _extreme_along(x, dim, keepdim, largest):
    """(values, indices) of the max/min along ``dim``: the first occurrence, NaN counting as extreme."""
    _nonempty_reduction(x, dim, "max" if largest else "min")
    d = dim % max(x.ndim, 1)
    axis = d if x.ndim else 0
    idx = _arg_extreme(x, axis, largest)
    xs = x if x.ndim else x.reshape(1)
    vals = jnp.take_along_axis(xs, jnp.expand_dims(idx, axis), axis=axis)
    if not keepdim or not x.ndim:
        vals = jnp.squeeze(vals, axis)
        if not x.ndim:
            idx = idx.reshape(())
    else:
        idx = jnp.expand_dims(idx, d)
    return vals, idx


@op("max_dim", function=False, grad_name="MaxBackward0")
def max_dim(x, *, dim, keepdim=False):
    return _extreme_along(x, dim, keepdim, True)


@op("min_dim", function=False, grad_name="MinBackward0")
def min_dim(x, *, dim, keepdim=False):
    return _extreme_along(x, dim, keepdim, False)


@op("argmax", method=True, differentiable=False)
def argmax(x, *, dim=None, keepdim=False):
    if x.dtype == jnp.bool_:
        raise RuntimeError("argmax(): does not support bool input")
    _nonempty_reduction(x, dim, "argmax")
    if dim is None:
        r = _arg_extreme(x.reshape(-1), 0, True)
        return r.reshape((1,) * x.ndim) if keepdim else r
    r = _arg_extreme(x, dim % max(x.ndim, 1), True)
    return jnp.expand_dims(r, dim) if keepdim and x.ndim else r


@op("argmin", method=True, differentiable=False)
def argmin(x, *, dim=None, keepdim=False):
    if x.dtype == jnp.bool_:
        raise RuntimeError("argmin(): does not support bool input")
    _nonempty_reduction(x, dim, "argmin")
    if dim is None:
        r = _arg_extreme(x.reshape(-1), 0, False)
        return r.reshape((1,) * x.ndim) if keepdim else r
    r = _arg_extreme(x, dim % max(x.ndim, 1), False)
    return jnp.expand_dims(r, dim) if keepdim and x.ndim else r


@op("logsumexp", method=True, grad_name="LogsumexpBackward0")
def logsumexp(x, *, dim, keepdim=False):
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(jnp.float32)
    return jax.nn.logsumexp(x, axis=_axes(x, dim), keepdims=keepdim)


@op("all", method=True, differentiable=False)
def all(x, *, dim=None, keepdim=False):  # noqa: A001
    return jnp.all(x.astype(bool), axis=_axes(x, dim), keepdims=keepdim)


@op("any", method=True, differentiable=False)
def any(x, *, dim=None, keepdim=False):  # noqa: A001
    return jnp.any(x.astype(bool), axis=_axes(x, dim), keepdims=keepdim)


@op("count_nonzero", method=True, differentiable=False)
def count_nonzero(x, *, dim=None):
    return jnp.count_nonzero(x, axis=_axes(x, dim)).astype(jnp.int64)


def _norm_node(args, attrs):
    """torch.norm is linalg.vector_norm now (the nuclear norm a sum of singular values)."""
    return "SumBackward1" if dict(attrs).get("p") == "nuc" else None


@op("norm_p", function=False, grad_name="LinalgVectorNormBackward0", grad_name_of=_norm_node)
def norm_p(x, *, p=2, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    ax = _axes(x, dim)
    a = jnp.abs(x)
    if p == "fro" or p == 2:
        s = jnp.sum(a * a, axis=ax, keepdims=keepdim)
        # torch's gradient of the 2-norm at 0 is 0 (sqrt's would be 0/0)
        zero = s == 0
        return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, s))).astype(s.dtype)
    if p == "nuc":
        return jnp.sum(jnp.linalg.svd(x, compute_uv=False), axis=-1)
    if p == float("inf"):
        return jnp.max(a, axis=ax, keepdims=keepdim)
    if p == float("-inf"):
        return jnp.min(a, axis=ax, keepdims=keepdim)
    if p == 0:
        return jnp.sum((a != 0).astype(x.dtype), axis=ax, keepdims=keepdim)
    if p == 1:
        return jnp.sum(a, axis=ax, keepdims=keepdim)
    return jnp.sum(a**p, axis=ax, keepdims=keepdim) ** (1.0 / p)


def _scan_axis(x, dim):
    n = max(x.ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


# ATen's CPU cumulative kernels carry at::acc_type<T, /*is_cuda=*/false>: double for float,
# float for the half types, so a float32 cumsum is a float64 running sum rounded at each output
_CPU_SCAN_CARRY = {
    jnp.dtype(jnp.float32): jnp.float64,
    jnp.dtype(jnp.float16): jnp.float32,
    jnp.dtype(jnp.bfloat16): jnp.float32,
    jnp.dtype(jnp.complex64): jnp.complex128,
}


def _cumulative(scan, x, dim, dtype):
    out = _acc_dtype(x, dtype)
    x = x.astype(out)
    if not x.ndim:
        return x
    carry = _CPU_SCAN_CARRY.get(jnp.dtype(out)) if jax.default_backend() == "cpu" else None
    if carry is None:
        return scan(x, axis=_scan_axis(x, dim))
    return scan(x.astype(carry), axis=_scan_axis(x, dim)).astype(out)


@op("cumsum", method=True, inplace="cumsum_", grad_name="CumsumBackward0")
def cumsum(x, *, dim, dtype=None):
    return _cumulative(jnp.cumsum, x, dim, dtype)


@op("cumprod", method=True, inplace="cumprod_", grad_name="CumprodBackward0")
def cumprod(x, *, dim, dtype=None):
    return _cumulative(jnp.cumprod, x, dim, dtype)


@op("cummax_k", function=False)
def cummax_k(x, *, dim):
    d = dim % max(x.ndim, 1)
    vals = jax.lax.cummax(x, axis=d)
    n = x.shape[d]
    pos = jnp.arange(n).reshape([-1 if i == d else 1 for i in range(x.ndim)])
    hit = jnp.where(x == vals, pos, -1)
    return vals, jax.lax.cummax(hit, axis=d).astype(jnp.int64)


@op("cummin_k", function=False)
def cummin_k(x, *, dim):
    d = dim % max(x.ndim, 1)
    vals = jax.lax.cummin(x, axis=d)
    n = x.shape[d]
    pos = jnp.arange(n).reshape([-1 if i == d else 1 for i in range(x.ndim)])
    hit = jnp.where(x == vals, pos, -1)
    return vals, jax.lax.cummax(hit, axis=d).astype(jnp.int64)


@op("logcumsumexp", method=True)
def logcumsumexp(x, *, dim):
    return jax.lax.cumlogsumexp(x, axis=_scan_axis(x, dim)) if x.ndim else x


@op("sort_k", function=False, grad_name="SortBackward0")
def sort_k(x, *, dim=-1, descending=False, stable=False):
    if x.ndim == 0:
        return x, jnp.zeros((), jnp.int64)
    d = dim % x.ndim
    key = -x if descending and not jnp.issubdtype(x.dtype, jnp.unsignedinteger) and x.dtype != jnp.bool_ else x
    if descending and (jnp.issubdtype(x.dtype, jnp.unsignedinteger) or x.dtype == jnp.bool_):
        key = jnp.max(x) - x if x.dtype != jnp.bool_ else ~x
    idx = jnp.argsort(key, axis=d, stable=True)
    if descending and jnp.issubdtype(x.dtype, jnp.floating):
        # NaN sorts first when descending, last when ascending (torch)
        idx = jnp.argsort(jnp.where(jnp.isnan(x), -jnp.inf, -x), axis=d, stable=True)
        nan_first = jnp.argsort(~jnp.isnan(jnp.take_along_axis(x, idx, d)), axis=d, stable=True)
        idx = jnp.take_along_axis(idx, nan_first, d)
    return jnp.take_along_axis(x, idx, d), idx.astype(jnp.int64)


@op("argsort", method=True, differentiable=False)
def argsort(x, *, dim=-1, descending=False, stable=False):
    return sort_k(x, dim=dim, descending=descending)[1]


@op("topk_k", function=False, grad_name="TopkBackward0")
def topk_k(x, *, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    d = dim % max(x.ndim, 1)
    if k > (x.shape[d] if x.ndim else 1):
        raise RuntimeError("selected index k out of range")
    xm = jnp.moveaxis(x, d, -1)
    if largest:
        vals, idx = jax.lax.top_k(xm, k)
    else:
        vals, idx = jax.lax.top_k(-xm, k)
        vals = -vals
    return jnp.moveaxis(vals, -1, d), jnp.moveaxis(idx, -1, d).astype(jnp.int64)


@op("kthvalue_k", function=False, grad_name="KthvalueBackward0")
def kthvalue_k(x, *, k, dim=-1, keepdim=False):
    vals, idx = sort_k(x, dim=dim)
    d = dim % max(x.ndim, 1)
    v = jnp.take(vals, k - 1, axis=d)
    i = jnp.take(idx, k - 1, axis=d)
    if keepdim:
        v, i = jnp.expand_dims(v, d), jnp.expand_dims(i, d)
    return v, i


@op("median_all", function=False)
def median_all(x):
    flat = jnp.sort(x.reshape(-1))
    # a NaN anywhere makes the median NaN (sorting puts NaNs last)
    return flat[(flat.shape[0] - 1) // 2] if flat.shape[0] < 2 else jnp.where(
        jnp.isnan(flat[-1]), flat[-1], flat[(flat.shape[0] - 1) // 2]
    )


@op("median_dim", function=False, grad_name="MedianBackward1")
def median_dim(x, *, dim=-1, keepdim=False):
    n = x.shape[dim % max(x.ndim, 1)] if x.ndim else 1
    v, i = kthvalue_k(x, k=(n - 1) // 2 + 1, dim=dim, keepdim=keepdim)
    if not jnp.issubdtype(x.dtype, jnp.inexact) or x.ndim == 0:
        return v, i
    # a slice holding a NaN: NaN, at the index of its first NaN
    isnan = jnp.isnan(x)
    has_nan = jnp.any(isnan, axis=dim, keepdims=keepdim)
    first = jnp.argmax(isnan, axis=dim, keepdims=keepdim).astype(i.dtype)
    return jnp.where(has_nan, jnp.asarray(jnp.nan, v.dtype), v), jnp.where(has_nan, first, i)


@op("quantile", method=True)
def quantile(x, q, *, dim=None, keepdim=False, interpolation="linear"):
    return jnp.quantile(x, q, axis=dim, keepdims=keepdim, method=interpolation).astype(x.dtype)


@op("nanquantile_k", function=False)
def nanquantile_k(x, q, *, dim=None, keepdim=False, interpolation="linear"):
    return jnp.nanquantile(x, q, axis=dim, keepdims=keepdim, method=interpolation).astype(x.dtype)


@op("diff", method=True)
def diff(x, *, n=1, dim=-1):
    return jnp.diff(x, n=n, axis=dim)


# -- Python-level overloads returning torch.return_types ---------------------------------------------

_return_types = {}


def _rt_repr(self):
    body = ",\n".join(f"{k}={v!r}" for k, v in zip(self._fields, self))
    return f"torch.return_types.{type(self).__name__}(\n{body})"


def _rt(name, fields=("values", "indices")):
    t = _return_types.get(name)
    if t is None:
        base = collections.namedtuple(name, fields)
        t = type(name, (base,), {"__slots__": (), "__repr__": _rt_repr})
        t.__module__ = "torch.return_types"
        _return_types[name] = t
    return t


def _extreme(name, all_op, dim_op, pair_op):
    def fn(input, dim=None, keepdim=False, *, out=None):  # noqa: A002
        from .._tensor import Tensor

        if isinstance(dim, Tensor):
            return pair_op.frontend(input, dim)
        if dim is None:
            return all_op.frontend(input)
        return _rt(name)(*dim_op.frontend(input, dim=dim, keepdim=keepdim))

    fn.__name__ = name
    return fn


def _install():
    from . import pointwise

    FUNCTIONS["max"] = METHODS["max"] = accepts_out(_extreme("max", max_all, max_dim, pointwise.maximum))
    FUNCTIONS["min"] = METHODS["min"] = accepts_out(_extreme("min", min_all, min_dim, pointwise.minimum))

    def sort(input, dim=-1, descending=False, stable=False, *, out=None):  # noqa: A002
        return _rt("sort")(*sort_k.frontend(input, dim=dim, descending=descending, stable=bool(stable)))

    def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):  # noqa: A002
        return _rt("topk")(*topk_k.frontend(input, k=int(k), dim=dim, largest=largest, sorted=sorted))

    def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):  # noqa: A002
        return _rt("kthvalue")(*kthvalue_k.frontend(input, k=int(k), dim=dim, keepdim=keepdim))

    def median(input, dim=None, keepdim=False, *, out=None):  # noqa: A002
        if dim is None:
            return median_all.frontend(input)
        return _rt("median")(*median_dim.frontend(input, dim=dim, keepdim=keepdim))

    def cummax(input, dim):  # noqa: A002
        return _rt("cummax")(*cummax_k.frontend(input, dim=dim))

    def cummin(input, dim):  # noqa: A002
        return _rt("cummin")(*cummin_k.frontend(input, dim=dim))

    def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):  # noqa: A002
        if not (input.dtype.is_floating_point or input.dtype.is_complex):
            raise RuntimeError(
                f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_torch_type_name(input.dtype)}"
            )
        return norm_p.frontend(input, p=p if p is not None else "fro", dim=hashable(dim), keepdim=keepdim, dtype=dtype)

    def aminmax(input, *, dim=None, keepdim=False):  # noqa: A002
        return _rt("aminmax", ("min", "max"))(*aminmax_k.frontend(input, dim=dim, keepdim=keepdim))

    plain_diff = diff.frontend

    def diff_(input, n=1, dim=-1, prepend=None, append=None, *, out=None):  # noqa: A002
        if prepend is not None or append is not None:
            parts = [t for t in (prepend, input, append) if t is not None]
            input = FUNCTIONS["cat"](parts, dim)  # noqa: A001
        return plain_diff(input, n=n, dim=dim, **({"out": out} if out is not None else {}))

    diff_.__name__ = "diff"
    for f in (sort, topk, kthvalue, median, cummax, cummin, norm, aminmax, diff_):
        if f in (sort, topk, kthvalue, median, norm):  # their out= is written here
            f = accepts_out(f)
        FUNCTIONS[f.__name__] = METHODS[f.__name__] = f


_install()
