"""linear, bilinear."""

from __future__ import annotations

import math

import jax.numpy as jnp

from ..._ops.linalg import HIGHEST, _same_dtype, _type_name
from ..._ops.registry import op


def _linear_node(args, attrs):
    """The node torch's linear ends in: addmm/mm for a matrix, a view of them for other ranks."""
    x, bias = args[0], args[2] if len(args) > 2 else None
    nd = x.dim() if hasattr(x, "dim") else 2
    if nd == 2:
        return "AddmmBackward0" if bias is not None else "MmBackward0"
    if bias is None:
        return "SqueezeBackward4" if nd == 1 else "UnsafeViewBackward0"
    return "ViewBackward0"


def _check_linear(input, weight, bias):  # noqa: A002
    """torch's errors: with a bias linear is an addmm (dtypes checked first), without one a matmul."""
    if bias is not None:
        if input.dtype != weight.dtype:
            raise RuntimeError(
                f"mat1 and mat2 must have the same dtype, but got {_type_name(input.dtype)} and "
                f"{_type_name(weight.dtype)}"
            )
        if bias.dtype != weight.dtype:
            raise RuntimeError(
                f"self and mat2 must have the same dtype, but got {_type_name(bias.dtype)} and "
                f"{_type_name(weight.dtype)}"
            )
    if input.shape[-1] != weight.shape[-1]:
        rows = math.prod(input.shape[:-1])
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[-1]}x{weight.shape[0]})"
        )
    _same_dtype(input, weight)


# promote="same" with no promoted arguments: mixed dtypes are torch's errors, autocast still applies
@op("linear", function=False, promote="same", promote_args=(), grad_name="AddmmBackward0",
    grad_name_of=_linear_node)
def _linear(input, weight, bias=None, *, precision=HIGHEST):  # noqa: A002
    _check_linear(input, weight, bias)
    out = jnp.matmul(input, weight.T, precision=precision)
    return out + bias if bias is not None else out


def linear(input, weight, bias=None):  # noqa: A002
    return _linear.frontend(input, weight, bias)


@op("bilinear", function=False, promote="same")
def _bilinear(input1, input2, weight, bias=None, *, precision=HIGHEST):
    out = jnp.einsum("...i,oij,...j->...o", input1, weight, input2, precision=precision)
    return out + bias if bias is not None else out


def bilinear(input1, input2, weight, bias=None):
    return _bilinear.frontend(input1, input2, weight, bias)
