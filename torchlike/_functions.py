"""torch-namespace functions that need Python-level argument handling."""

from __future__ import annotations

import numbers

from . import _dtype, _host_ops
from ._context import state
from ._ops import linalg as L
from ._ops import pointwise as P
from ._ops import shape as S
from ._ops import views as V
from ._ops.registry import accepts_out
from ._tensor import Tensor


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(t) -> bool:
    return t._dtype.is_floating_point


def is_complex(t) -> bool:
    return t._dtype.is_complex


def numel(t) -> int:
    return t.numel()


def set_default_dtype(d) -> None:
    d = _dtype.to_dtype(d)
    if d not in (_dtype.float32, _dtype.float64, _dtype.float16, _dtype.bfloat16):
        raise TypeError(
            "only floating-point types are supported as the default type"
        )
    state.default_dtype = d


def get_default_dtype():
    return state.default_dtype


def set_default_device(device) -> None:
    """Where factory functions (``zeros``, ``tensor``, ``randn``...) put tensors; ``None``: the CPU."""
    from . import _device

    state.default_device = None if device is None else _device.to_device(device)


def get_default_device():
    from . import _device

    return _device.default_device()


def set_default_tensor_type(t) -> None:
    name = t if isinstance(t, str) else getattr(t, "__name__", str(t))
    set_default_dtype(_dtype.float64 if "Double" in name else _dtype.float32)


def result_type(tensor1, tensor2):
    from ._dispatch import result_type as rt

    return rt([tensor1, tensor2], state.default_dtype)


def promote_types(type1, type2):
    return _dtype.promote_types(_dtype.to_dtype(type1), _dtype.to_dtype(type2))


def can_cast(from_, to) -> bool:
    order = {0: 0, 1: 1, 2: 2, 3: 3}
    cat = _dtype._category
    return order[cat(from_)] <= order[cat(to)]


def where(condition, input=None, other=None):  # noqa: A002
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    return P.where.frontend(condition, input, other)


def _sublist_equation(args) -> tuple[str, list]:
    """``einsum(op1, [0, 1], op2, [1, 2], [0, 2])`` -> ``("AB,BC->AC", [op1, op2])``."""
    # in ASCII order, so an implicit output lists the labels in increasing order as PyTorch does
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    def subscripts(sublist) -> str:
        return "".join("..." if i is Ellipsis else letters[i] for i in sublist)

    operands, inputs = list(args[0::2]), [subscripts(s) for s in args[1::2]]
    equation = ",".join(inputs)
    if len(args) % 2:  # an output sublist closes the arguments
        operands = operands[:-1]
        equation += "->" + subscripts(args[-1])
    return equation, operands


def einsum(equation, *operands):
    if not isinstance(equation, str):  # the sublist format
        equation, operands = _sublist_equation((equation, *operands))
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    _check_einsum(equation, operands)
    return L.einsum_k.frontend(list(operands), equation=equation)


def _check_einsum(equation, operands):
    """ATen's einsum checks, in its order and words: subscript characters, operand count, each
    operand's subscripts against its dimensions, sizes that do not broadcast, output subscripts,
    and one dtype for operands that are contracted (bmm's check; products with nothing summed
    promote)."""
    after_arrow = False
    for i, ch in enumerate(equation):
        arrow = not after_arrow and ch == "-" and equation[i + 1 : i + 2] == ">"
        if arrow or (ch == ">" and not after_arrow and equation[i - 1 : i] == "-"):
            after_arrow = after_arrow or ch == ">"
            continue
        if not (ch.isascii() and ch.isalpha()) and ch not in " ." and not (ch == "," and not after_arrow):
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {i} in the equation string, subscripts must be in [a-zA-Z]"
            )
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    seen = {}
    for k, (term, op) in enumerate(zip(terms, operands)):
        if "..." in term:
            continue
        if len(term) != op.dim():
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match the number of "
                f"dimensions ({op.dim()}) for operand {k} and no ellipsis was given"
            )
        for ch, size in zip(term, op.shape):
            prev = seen.setdefault(ch, size)
            if size != prev and 1 not in (size, prev):
                raise RuntimeError(
                    f"einsum(): subscript {ch} has size {size} for operand {k} which does not broadcast with "
                    f"previously seen size {prev}"
                )
            if prev == 1:
                seen[ch] = size
    if arrow:
        inputs = set(lhs)
        for j, ch in enumerate(rhs):
            if ch == ".":
                continue
            if ch in rhs[:j]:
                raise RuntimeError(f"einsum(): output subscript {ch} appears more than once in the output")
            if ch not in inputs:
                raise RuntimeError(f"einsum(): output subscript {ch} does not appear in the equation for any input operand")
    letters = [ch for ch in lhs if ch.isalpha()]
    out = set(rhs) if arrow else {ch for ch in letters if letters.count(ch) == 1}
    if len(operands) < 2 or set(letters) <= out:
        return  # no contraction: ATen multiplies (promoting dtypes) instead of calling bmm
    for op in operands[1:]:
        if op.dtype is not operands[0].dtype:
            raise RuntimeError(
                f"expected scalar type {_dtype.SCALAR_NAMES[operands[0].dtype.name]} but found "
                f"{_dtype.SCALAR_NAMES[op.dtype.name]}"
            )


@accepts_out
def tensordot(a, b, dims=2, out=None):
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (list, tuple)):
        dims = tuple(tuple(d) if isinstance(d, (list, tuple)) else (d,) for d in dims)
    return L.tensordot_k.frontend(a, b, dims=dims)


def meshgrid(*tensors, indexing="ij"):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    return S.meshgrid_k.frontend(list(tensors), indexing=indexing)


def split(tensor, split_size_or_sections, dim=0):
    return tensor.split(split_size_or_sections, dim)


def chunk(input, chunks, dim=0):  # noqa: A002
    return V.chunk.frontend(input, chunks=chunks, dim=dim)


def broadcast_tensors(*tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    import numpy as np

    from ._engine.trace import broadcast_clash

    shape = ()
    for t in tensors:  # pairwise, as ATen's infer_size (the rightmost clash is named)
        clash = broadcast_clash(shape, tuple(t.shape))
        if clash:
            raise RuntimeError(clash)
        shape = tuple(np.broadcast_shapes(shape, tuple(t.shape)))
    return tuple(t.expand(shape) for t in tensors)


def broadcast_shapes(*shapes):
    from ._size import Size

    shapes = [tuple(s) if not isinstance(s, int) else (s,) for s in shapes]
    result = [1] * max((len(s) for s in shapes), default=0)
    for k, s in enumerate(shapes):
        for i in range(-1, -len(s) - 1, -1):
            if result[i] == 1:
                result[i] = s[i]
            elif s[i] != 1 and s[i] != result[i]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {s[i]} at {i}! Mismatching argument at index "
                    f"{k} had {s}; but expected shape should be broadcastable to {result}"
                )
    return Size(result)


def flatten(input, start_dim=0, end_dim=-1):  # noqa: A002
    return V.flatten.frontend(input, start_dim=start_dim, end_dim=end_dim)


def reshape(input, shape):  # noqa: A002
    return input.reshape(shape)


def permute(input, dims):  # noqa: A002
    return input.permute(dims)


def squeeze(input, dim=None):  # noqa: A002
    return V.squeeze.frontend(input, dim=tuple(dim) if isinstance(dim, list) else dim)


def transpose(input, dim0, dim1):  # noqa: A002
    return V.transpose.frontend(input, dim0=dim0, dim1=dim1)


def manual_cat(tensors, dim=0):
    return S.cat.frontend(list(tensors), dim=dim)


@accepts_out
def cat(tensors, dim=0, *, out=None):
    if isinstance(dim, str):
        raise TypeError("named dimensions are not supported")
    tensors = _tensor_sequence("cat", tensors)
    done = _host_ops.cat(tensors, dim)  # (host tensors: NumPy, now)
    return done if done is not None else S.cat.frontend(tensors, dim=dim)


def _tensor_sequence(fn, tensors):
    """The ``tensors`` argument of cat/stack as a list, with torch's argument-parser errors."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


@accepts_out
def stack(tensors, dim=0, *, out=None):
    tensors = _tensor_sequence("stack", tensors)
    done = _host_ops.stack(tensors, dim)
    return done if done is not None else S.stack.frontend(tensors, dim=dim)


def clone(input, *, memory_format=None):  # noqa: A002
    out = P.clone.frontend(input)
    if memory_format is not None or "_memory_format" in input.__dict__:
        from . import _memory_format

        _memory_format.like(out, input, memory_format, "clone")
    return out


def abs_(t):
    return t.abs_()


def rand_scalar_check(x):
    return isinstance(x, numbers.Number)


# -- everyday torch functions that tutorials reach for (Python-level, over registered ops) -----


def atleast_1d(*tensors):
    return _atleast(tensors, 1)


def atleast_2d(*tensors):
    return _atleast(tensors, 2)


def atleast_3d(*tensors):
    return _atleast(tensors, 3)


def _atleast(tensors, n):
    one = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    out = []
    for t in tensors:
        d = t.dim()
        if d >= n:
            out.append(t)
        elif n == 3 and d == 2:
            out.append(t.unsqueeze(-1))
        elif n == 3 and d == 1:
            out.append(t.reshape(1, -1, 1))
        else:
            out.append(t.reshape((1,) * (n - d) + tuple(t.shape)))
    return out[0] if one else tuple(out)


def is_same_size(input, other) -> bool:  # noqa: A002
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input) -> bool:  # noqa: A002
    return input._dtype.is_signed


def is_conj(input) -> bool:  # noqa: A002
    """Conjugation is never lazy here (``conj()`` computes), so no tensor has the conj bit."""
    return False


def is_neg(input) -> bool:  # noqa: A002
    return False


def fill(input, value):  # noqa: A002
    from ._creation import full_like

    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"fill only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions.")
    filled = full_like(input, value)
    if not input.requires_grad:
        return filled
    # keep torch's history (FillBackward: zero gradient to ``input``) without touching its values
    return where(full_like(input, True, dtype=_dtype.bool_), filled, input)


def split_with_sizes(input, split_sizes, dim=0):  # noqa: A002
    total = sum(split_sizes)
    if total != input.shape[dim]:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {input.shape[dim]} (input tensor's size at "
            f"dimension {dim}), but got split_sizes={list(split_sizes)}"
        )
    return input.split(list(split_sizes), dim)


def index_put(input, indices, values, accumulate=False):  # noqa: A002
    return input.index_put(indices, values, accumulate)


def select_scatter(input, src, dim, index):  # noqa: A002
    out = input.clone()
    out.select(dim, index).copy_(src)
    return out


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):  # noqa: A002
    out = input.clone()
    idx = [slice(None)] * input.dim()
    idx[dim] = slice(start, end, step)
    out[tuple(idx)] = src
    return out


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):  # noqa: A002
    out = input.clone()
    out.diagonal(offset, dim1, dim2).copy_(src)
    return out


def renorm(input, p, dim, maxnorm):  # noqa: A002
    """Each slice along ``dim`` whose p-norm exceeds ``maxnorm`` is scaled down to it."""
    from ._tensor import _wrap_dim

    dims = [d for d in range(input.dim()) if d != _wrap_dim(dim, input.dim())]
    norms = input.norm(p, dim=dims, keepdim=True)
    scale = (maxnorm / (norms + 1e-7)).clamp(max=1.0)
    return input * scale.to(input.dtype)


def view_as_real(input):  # noqa: A002
    """A new tensor of shape ``(..., 2)``; here it does not alias ``input`` (see differences.md)."""
    if not input._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return stack([input.real, input.imag], -1)


def view_as_complex(input):  # noqa: A002
    """The complex tensor of a ``(..., 2)`` float tensor; here it does not alias ``input``."""
    if input._dtype not in (_dtype.float32, _dtype.float64, _dtype.float16):
        raise RuntimeError(f"view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: {input._dtype}")
    if input.dim() == 0 or input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    return input[..., 0] + input[..., 1] * 1j


def combinations(input, r=2, with_replacement=False):  # noqa: A002
    import itertools

    import numpy as np

    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty((0,))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(pick(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    from ._creation import tensor as _tensor

    return input[_tensor(idx)] if idx.size else input.new_empty((0, r))


def unravel_index(indices, shape):
    from ._creation import tensor as _tensor

    if isinstance(shape, int):
        shape = (shape,)
    if not isinstance(indices, Tensor):
        indices = _tensor(indices)
    if indices._dtype.is_floating_point or indices._dtype.is_complex or indices._dtype is _dtype.bool_:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices._dtype}")
    out = []
    rest = indices.long()
    for size in reversed(tuple(shape)):
        out.append(rest % size)
        rest = rest // size
    return tuple(reversed(out))


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    n = y.shape[dim]
    left, right = y.narrow(dim, 0, max(n - 1, 0)), y.narrow(dim, 1, max(n - 1, 0))
    if x is not None:
        if x.dim() == 1:
            d = x[1:] - x[:-1]
            shape = [1] * y.dim()
            shape[dim] = -1
            d = d.reshape(shape)
        else:
            d = x.narrow(dim, 1, n - 1) - x.narrow(dim, 0, n - 1)
        return ((left + right) * d / 2).cumsum(dim)
    return ((left + right) * (1.0 if dx is None else dx) / 2).cumsum(dim)


def chain_matmul(*matrices):
    from . import linalg

    if len(matrices) == 1:
        return matrices[0].clone()
    return linalg.multi_dot(list(matrices))


def _window(name, window_length, periodic, dtype, layout, device, requires_grad, fn):
    import numpy as np

    from ._creation import tensor as _tensor

    dtype = state.default_dtype if dtype is None else _dtype.to_dtype(dtype)
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    if window_length <= 1:
        values = np.ones(window_length, dtype=np.float64)
    else:
        n = window_length + 1 if periodic else window_length
        values = fn(np.arange(n, dtype=np.float64), n)[:window_length]
    return _tensor(values, dtype=dtype, device=device, requires_grad=requires_grad)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    return hamming_window(window_length, periodic, 0.5, 0.5, dtype=dtype, device=device, requires_grad=requires_grad)


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None, layout=None, device=None,
                   requires_grad=False):
    import numpy as np

    return _window("hamming_window", window_length, periodic, dtype, layout, device, requires_grad,
                   lambda k, n: alpha - beta * np.cos(2 * np.pi * k / (n - 1)))


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    import numpy as np

    return _window("blackman_window", window_length, periodic, dtype, layout, device, requires_grad,
                   lambda k, n: 0.42 - 0.5 * np.cos(2 * np.pi * k / (n - 1)) + 0.08 * np.cos(4 * np.pi * k / (n - 1)))


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    import numpy as np

    return _window("bartlett_window", window_length, periodic, dtype, layout, device, requires_grad,
                   lambda k, n: 1 - np.abs(2 * k / (n - 1) - 1))


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None, device=None,
                  requires_grad=False):
    import numpy as np

    return _window("kaiser_window", window_length, periodic, dtype, layout, device, requires_grad,
                   lambda k, n: np.i0(beta * np.sqrt(1 - ((k - (n - 1) / 2) / ((n - 1) / 2)) ** 2)) / np.i0(beta))


# torch.<name>_(input, ...) is Tensor.<name>_: the in-place functions torch also exports
INPLACE_FUNCTIONS = (
    "acos_", "acosh_", "addmv_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_",
    "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_max_", "clamp_min_", "clip_", "cos_",
    "cosh_", "deg2rad_", "detach_", "erf_", "erfc_", "exp2_", "expm1_", "fill_", "fix_", "floor_",
    "frac_", "gcd_", "index_put_", "lcm_", "ldexp_", "log10_", "log1p_", "log2_", "log_", "logit_",
    "nan_to_num_", "negative_", "rad2deg_", "reciprocal_", "round_", "rsqrt_", "sin_", "sinc_",
    "sinh_", "square_", "tan_", "trunc_", "xlogy_", "zero_",
)


def inplace_functions() -> dict:
    """``{name: function}`` for each in-place Tensor method torch also has as a function."""
    out = {}
    for name in INPLACE_FUNCTIONS:
        method = getattr(Tensor, name, None)
        if method is None:
            continue

        def fn(input, *args, _m=method, **kwargs):  # noqa: A002
            return _m(input, *args, **kwargs)

        fn.__name__ = fn.__qualname__ = name
        out[name] = fn
    return out
