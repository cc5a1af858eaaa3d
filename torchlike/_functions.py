"""torch-namespace functions that need Python-level argument handling."""

from __future__ import annotations

import numbers

from . import _dtype
from ._context import state
from ._ops import linalg as L
from ._ops import pointwise as P
from ._ops import shape as S
from ._ops import views as V
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


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return L.einsum_k.frontend(list(operands), equation=equation)


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
    import numpy as np

    shape = np.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    return tuple(t.expand(shape) for t in tensors)


def broadcast_shapes(*shapes):
    import numpy as np

    from ._size import Size

    return Size(np.broadcast_shapes(*(tuple(s) if not isinstance(s, int) else (s,) for s in shapes)))


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


def cat(tensors, dim=0, *, out=None):
    if isinstance(dim, str):
        raise TypeError("named dimensions are not supported")
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"cat() received an invalid combination of arguments - got ({type(tensors).__name__}, dim=int)"
        )
    return S.cat.frontend(list(tensors), dim=dim)


def stack(tensors, dim=0, *, out=None):
    return S.stack.frontend(list(tensors), dim=dim)


def clone(input, *, memory_format=None):  # noqa: A002
    return P.clone.frontend(input)


def abs_(t):
    return t.abs_()


def rand_scalar_check(x):
    return isinstance(x, numbers.Number)
