"""PyTorch's "barebones" dtypes (uint16/32/64 and the float8 family) on its CPU backend: the casts
its kernels do, and which ops it runs for them.

PyTorch stores, creates, casts, views, copies and prints these dtypes, and runs only the handful of
kernels whose dtype dispatch lists them; every other kernel raises ``"<kernel>" not implemented for
'UInt16'``. ``check`` reproduces that table (by torchlike op name) so a program refuses what PyTorch
refuses; it runs inside the memoised shape inference, so it costs nothing once an op's input types
have been seen. The float8 casts follow c10 where XLA's convert differs: float8_e4m3fn saturates to
+-448 (PyTorch's CPU cast does), float8_e8m0fnu rounds the float32 exponent to nearest-even and
ignores the sign, and every cast goes through float32 as PyTorch's does.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _dtype

_FLOAT8_NP = frozenset(d.np for d in _dtype.FLOAT8)
_E4M3FN_MAX = 448.0


def is_float8_np(np_dtype) -> bool:
    return np_dtype in _FLOAT8_NP


def to_float8(x, dtype: _dtype.dtype):
    """``x`` (a NumPy or JAX array of any dtype) cast to a float8 dtype as PyTorch's CPU cast does."""
    host = isinstance(x, np.ndarray)
    xp = np if host else jnp
    if x.dtype.kind == "c":
        x = x.real
    x = x.astype(np.float32)
    if dtype is _dtype.float8_e4m3fn:
        x = xp.where(xp.isnan(x), x, xp.clip(x, -_E4M3FN_MAX, _E4M3FN_MAX))
    elif dtype is _dtype.float8_e8m0fnu:
        return _to_e8m0(x, host)
    return x.astype(dtype.np)


def _to_e8m0(x, host: bool):
    """c10's fp8e8m0fnu_from_fp32_value: the exponent field, rounded to nearest-even on the
    mantissa (the implicit bit is the LSB); NaN and +-inf become NaN (0xFF)."""
    xp = np if host else jnp
    bits = x.view(np.uint32) if host else lax.bitcast_convert_type(x, jnp.uint32)
    exponent = (bits >> 23) & 0xFF
    guard = (bits >> 22) & 1
    rest = (bits & 0x3FFFFF) != 0
    up = (guard == 1) & (rest | (exponent > 0))
    out = xp.where(exponent == 0xFF, exponent, exponent + up.astype(np.uint32)).astype(np.uint8)
    return out.view(_dtype.float8_e8m0fnu.np) if host else lax.bitcast_convert_type(out, _dtype.float8_e8m0fnu.np)


# -- which ops PyTorch runs for them ------------------------------------------------------------

# dtype-agnostic ops (data movement, creation, casts, views): every dtype
_ANY = frozenset({
    "to_dtype", "to_device", "clone", "copy_from", "contiguous", "cat", "stack", "where", "repeat",
    "roll", "diag", "diagonal", "index", "getitem", "tril", "triu", "zeros_k", "ones_k", "full_k",
    "zeros_like_k", "ones_like_k", "full_like_k", "eq", "ne", "isnan", "any", "all", "cartesian_prod",
    "as_strided", "select_scatter", "slice_scatter",
})
# the ones uint16/32/64 add (PyTorch's dispatch lists that name AT_BAREBONES_UNSIGNED_TYPES)
_UNSIGNED = frozenset({
    "mul", "div", "bitwise_and", "bitwise_or", "bitwise_xor", "sum", "nansum", "prod", "cumsum",
    "sort_k", "argsort", "msort", "sqrt", "exp", "isinf", "isfinite", "outer", "kron", "reciprocal",
    "round", "floor", "ceil", "trunc", "isclose", "allclose", "equal", "nan_to_num", "randint_k",
})
# the ones the float8 dtypes add
_FLOAT8 = frozenset({"abs", "index_select", "index_put", "eye_k", "outer", "kron"})
_FLOAT8_ABS = frozenset({"float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz"})

# PyTorch's kernel names in its refusal, where not "<op>_cpu"
_KERNEL_NAMES = {
    "add": "add_stub", "sub": "add_stub", "rsub": "add_stub", "diff": "add_stub",
    "floor_divide": "div_floor_cpu", "pow": "pow", "square": "pow", "float_power": "pow",
    "amax": "max_values_cpu", "amin": "min_values_cpu", "max_dim": "max_cpu", "min_dim": "min_cpu",
    "masked_fill": "masked_fill", "index_select": "index_select", "gather": "scatter_gather_tensor_cpu",
    "scatter": "scatter_gather_tensor_cpu", "scatter_add": "scatter_gather_tensor_cpu",
    "clamp": "clamp_scalar_cpu", "clamp_min": "clamp_min_scalar_cpu", "clamp_max": "clamp_max_scalar_cpu",
    "sgn": "sign_cpu", "count_nonzero": "nonzero_count_cpu", "nonzero": "nonzero_count_cpu",
    "dot": "dot", "matmul": "dot", "trace": "trace", "lerp": "lerp_kernel_scalar",
    "bitwise_left_shift": "lshift_cpu", "bitwise_right_shift": "rshift_cpu",
    "index_put": "index_put", "index_add": "index_add_", "masked_select": "masked_select",
    "masked_scatter": "masked_scatter", "randperm": "randperm", "eye": "eye", "median_all": "median_cpu",
    "searchsorted": "searchsorted_out_cpu", "bucketize": "searchsorted_out_cpu", "histc": "aminmax_cpu",
    "uniform": "check_uniform_bounds", "normal": "normal_kernel_cpu", "randint": "random_update_from_to",
    "isinf": "isinf", "isfinite": "isfinite", "unique": "unique", "nan_to_num": "nan_to_num",
    "sort": "sorting_kernel_method_name", "argsort": "sorting_kernel_method_name",
    "msort": "sorting_kernel_method_name", "prod": "prod_out_cpu", "cumsum": "cumsum_out_cpu",
    "equal": "equal_notnan_cpu", "isclose": "mul_cpu_reduced_float", "allclose": "mul_cpu_reduced_float",
    "div": "div_cpu", "max_all": "max_all", "min_all": "min_all", "take": "take_cpu", "norm_p": "norm_cpu",
}
_VML = frozenset({"sqrt", "exp", "round", "floor", "ceil", "trunc", "log", "sin", "cos", "tanh"})


def kernel_name(op_name: str, dtype: _dtype.dtype) -> str:
    """The ATen kernel name PyTorch's refusal names (torchlike's own kernels end in "_k")."""
    name = op_name.removesuffix("_k")
    if dtype in _dtype.FLOAT8:
        if name == "mul":
            return "mul_cpu_reduced_float"
        if name in _VML:
            return f"{name}_vml_cpu"
        if name == "gather":
            return "gather_expanded_index"
        if name in ("sum", "mean"):
            return "sum_cpu"
    return _KERNEL_NAMES.get(name, f"{name}_cpu")


def allowed(op_name: str, dtype: _dtype.dtype, shapes: list) -> bool:
    if op_name in _ANY:
        return True
    if dtype in _dtype.FLOAT8:
        if op_name == "abs":
            return dtype.name in _FLOAT8_ABS
        if op_name == "index_put":
            return dtype is not _dtype.float8_e8m0fnu
        if op_name == "isinf":
            return dtype is _dtype.float8_e5m2
        if op_name == "isfinite":
            return dtype in (_dtype.float8_e5m2, _dtype.float8_e8m0fnu)
        if op_name == "mul":  # PyTorch's float32 loop; a 0-d (scalar) other takes the refused path
            return len(shapes) > 1 and shapes[1] != ()
        return op_name in _FLOAT8
    return op_name in _UNSIGNED


def _tensor_avals(avals, out: list) -> list:
    for a in avals:
        if type(a[0]) is tuple:
            out.append(a)
        elif a[0] == "list":
            _tensor_avals(a[1], out)
    return out


def refusal(op_name: str, dtype: _dtype.dtype, tensors: list = ()) -> Exception:
    """PyTorch's error for ``op_name`` on ``dtype`` (a few ops check the dtype before dispatch)."""
    name = _dtype.SCALAR_NAMES[dtype.name]
    if dtype in _dtype.UNSIGNED_WIDE:
        if op_name == "mean":
            return RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or "
                f"complex dtype. Got: {name}"
            )
        if op_name in ("std", "var", "std_mean", "var_mean"):
            return RuntimeError("std and var only support floating point and complex dtypes")
    elif op_name in ("std", "var", "std_mean", "var_mean"):
        return RuntimeError(f"std_var_all: Unsupported dtype {name}")
    kernel = kernel_name(op_name, dtype)
    if op_name == "lerp" and len(tensors) == 3 and tensors[2][1] in _dtype.BAREBONES_NP:
        kernel = "lerp_kernel_tensor"  # (a weight tensor; a Python number is lerp_kernel_scalar)
    return NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")


def check(op, avals: tuple, attrs: dict) -> None:
    """PyTorch's error for an op its CPU kernels do not run for a barebones dtype (``avals`` as
    shape inference gets them: (shape, NumPy dtype) per array; a creation op's ``dtype`` attribute)."""
    if op.view:
        return
    tensors = _tensor_avals(avals, [])
    for _, np_dtype in tensors:
        if np_dtype in _dtype.BAREBONES_NP:
            found = _dtype._BY_NP[np.dtype(np_dtype)]
            break
    else:
        found = attrs.get("dtype")
        if found not in _dtype.BAREBONES or op.name == "to_dtype":
            return
    if not allowed(op.name, found, [shape for shape, _ in tensors]):
        raise refusal(op.name, found, tensors)


def check_created(op_name: str, dtype: _dtype.dtype) -> None:
    """``check`` for creation paths that draw on the host (rand, randn, randint, randperm)."""
    if dtype in _dtype.BAREBONES and not allowed(op_name, dtype, []):
        raise refusal(op_name, dtype)
