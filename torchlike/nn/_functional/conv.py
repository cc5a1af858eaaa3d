"""conv1d/2d/3d and conv_transpose1d/2d/3d: one N-d kernel on lax.conv_general_dilated."""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from ..._ops.linalg import HIGHEST, _type_name
from ..._ops.registry import op
from . import _conv_fft

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "conv_tbc"]

# XLA's layout assignment already runs convolutions channels-last (the optimised HLO of an NCHW
# LeNet conv shows dim_labels=b01f_01io->b01f), so transposing to NHWC here only adds a transpose:
# measured on XLA:CPU, batch 256, 3x32x32 -> 6ch 5x5, fwd+dx 74.8 ms NCHW vs 75.3 ms NHWC.
CHANNELS_LAST = False


def _ntuple(v, n, name="argument"):
    if isinstance(v, (list, tuple)):
        v = tuple(int(x) for x in v)
        if len(v) == 1 and n > 1:
            v = v * n
        if len(v) != n:
            raise RuntimeError(
                f"expected {name} to be a single integer value or a list of {n} values to match "
                f"the convolution dimensions, but got {name}={list(v)}"
            )
        return v
    return (int(v),) * n


def _shape(s):
    return "[" + ", ".join(map(str, s)) + "]"


def _lax_conv(x, w, stride, pads, dilation, groups, lhs_dilation=None, precision=HIGHEST):
    nd = x.ndim - 2
    if not CHANNELS_LAST and _conv_fft.eligible(x, w, stride, pads, dilation, groups, lhs_dilation):
        return _conv_fft.conv2d(x, w, pads)  # (XLA:CPU, a 5x5-or-larger kernel: see _conv_fft)
    if CHANNELS_LAST:
        spatial = "DHW"[3 - nd :]
        x = jnp.moveaxis(x, 1, -1)
        w = jnp.moveaxis(jnp.moveaxis(w, 0, -1), 0, -2)
        dn = ("N" + spatial + "C", spatial + "IO", "N" + spatial + "C")
    else:
        spatial = "DHW"[3 - nd :]
        dn = ("NC" + spatial, "OI" + spatial, "NC" + spatial)
    out = lax.conv_general_dilated(
        x,
        w,
        stride,
        pads,
        lhs_dilation=lhs_dilation,
        rhs_dilation=dilation,
        dimension_numbers=dn,
        feature_group_count=groups,
        precision=precision,
    )
    return jnp.moveaxis(out, -1, 1) if CHANNELS_LAST else out


def _check_input(x, w, nd, name, transposed, groups):
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got input "
            f"of size: {_shape(x.shape)}"
        )
    if w.ndim != nd + 2:
        raise RuntimeError(
            "weight should have at least three dimensions"
            if w.ndim < 3
            else f"Expected {nd + 2}-dimensional input for {nd + 2}-dimensional weight {_shape(w.shape)}, "
            f"but got {x.ndim}-dimensional input of size {_shape(x.shape)} instead"
        )
    c_in = x.shape[0] if x.ndim == nd + 1 else x.shape[1]
    shown = x.shape if x.ndim == nd + 2 else (1,) + x.shape
    if transposed:
        if c_in != w.shape[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {_shape(w.shape)}, expected input{_shape(shown)} "
                f"to have {w.shape[0]} channels, but got {c_in} channels instead"
            )
    elif c_in != w.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {_shape(w.shape)}, expected input{_shape(shown)} "
            f"to have {w.shape[1] * groups} channels, but got {c_in} channels instead"
        )


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
                 "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                 "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
                 "complex128": "c10::complex<double>"}


def _check_dtypes(input, weight, bias, nd, name, transposed, groups):  # noqa: A002
    """torch's dtype errors around the shape checks: a bias of another dtype first (a convolution,
    not a transposed one, which casts its bias), then the shapes, then the weight's dtype."""
    if bias is not None and not transposed and bias.dtype != input.dtype:
        raise RuntimeError(
            f"Input type ({_C_TYPE_NAMES.get(str(input.dtype), input.dtype)}) and bias type "
            f"({_C_TYPE_NAMES.get(str(bias.dtype), bias.dtype)}) should be the same"
        )
    _check_input(input, weight, nd, name, transposed, groups)
    if weight.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {_type_name(input.dtype)} but found {_type_name(weight.dtype)}"
        )


# promote="same" with no promoted arguments: mixed dtypes are torch's errors, autocast still applies
@op("convolution", function=False, promote="same", promote_args=(), grad_name="ConvolutionBackward0")
def _convolution(
    input,
    weight,
    bias=None,
    *,
    stride,
    padding,
    dilation,
    transposed=False,
    output_padding=(),  # noqa: A002
    groups=1,
    name="conv2d",
    precision=HIGHEST,
):
    """N-d convolution; ``padding`` is a tuple of (low, high) pairs, one per spatial dim."""
    nd = weight.ndim - 2
    _check_dtypes(input, weight, bias, nd, name, transposed, groups)
    unbatched = input.ndim == nd + 1
    x = input[None] if unbatched else input
    if transposed:
        c_in, c_out_g = weight.shape[:2]
        k = weight.shape[2:]
        # the transposed conv is the input-gradient of a conv: dilate the input by the stride and
        # correlate with the spatially flipped kernel whose in/out channels are swapped per group
        w = weight.reshape((groups, c_in // groups, c_out_g) + k)
        w = jnp.swapaxes(w, 1, 2).reshape((groups * c_out_g, c_in // groups) + k)
        w = jnp.flip(w, axis=tuple(range(2, nd + 2)))
        pads = [
            (d * (kk - 1) - lo, d * (kk - 1) - hi + op_)
            for kk, d, (lo, hi), op_ in zip(k, dilation, padding, output_padding)
        ]
        for size, (lo, hi), kk, d, s in zip(x.shape[2:], pads, k, dilation, stride):
            if (size - 1) * s + 1 + lo + hi - d * (kk - 1) <= 0:
                raise RuntimeError(
                    "Given input size per channel is too small: the output size would be non-positive"
                )
        out = _lax_conv(
            x, w, (1,) * nd, pads, dilation, groups, lhs_dilation=stride, precision=precision
        )
    else:
        padded = [s + lo + hi for s, (lo, hi) in zip(x.shape[2:], padding)]
        span = [d * (kk - 1) + 1 for kk, d in zip(weight.shape[2:], dilation)]
        if any(p < s for p, s in zip(padded, span)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                f"({' x '.join(map(str, span))}). Kernel size can't be greater than actual input size"
            )
        out = _lax_conv(x, weight, stride, list(padding), dilation, groups, precision=precision)
    if bias is not None:
        out = out + bias.astype(out.dtype).reshape((1, -1) + (1,) * nd)
    return out[0] if unbatched else out


def _resolve_padding(padding, weight_shape, dilation, stride, nd):
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            pads = []
            for kk, d in zip(weight_shape[2:], dilation):
                total = d * (kk - 1)
                pads.append((total // 2, total - total // 2))
            return tuple(pads)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    return tuple((p, p) for p in _ntuple(padding, nd, "padding"))


def _conv(nd, input, weight, bias, stride, padding, dilation, groups):  # noqa: A002
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    stride = _ntuple(stride, nd, "stride")
    dilation = _ntuple(dilation, nd, "dilation")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    pads = _resolve_padding(padding, weight.shape, dilation, stride, nd)
    if any(lo < 0 for lo, _ in pads):
        raise RuntimeError("negative padding is not supported")
    return _convolution.frontend(
        input,
        weight,
        bias,
        stride=stride,
        padding=pads,
        dilation=dilation,
        groups=int(groups),
        name=f"conv{nd}d",
    )


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    return _conv(1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    return _conv(2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    return _conv(3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transpose(nd, input, weight, bias, stride, padding, output_padding, groups, dilation):  # noqa: A002
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    stride = _ntuple(stride, nd, "stride")
    dilation = _ntuple(dilation, nd, "dilation")
    padding = _ntuple(padding, nd, "padding")
    output_padding = _ntuple(output_padding, nd, "output_padding")
    for op_, s, d in zip(output_padding, stride, dilation):
        if op_ >= s and op_ >= d:
            raise RuntimeError(
                "output padding must be smaller than either stride or dilation, but got "
                f"output_padding: {', '.join(map(str, output_padding))}, stride: "
                f"{', '.join(map(str, stride))}, dilation: {', '.join(map(str, dilation))}"
            )
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"Given transposed=1, weight of size {_shape(weight.shape)}, expected weight's first "
            f"dimension to be divisible by groups={groups}"
        )
    return _convolution.frontend(
        input,
        weight,
        bias,
        stride=stride,
        padding=tuple((p, p) for p in padding),
        dilation=dilation,
        transposed=True,
        output_padding=output_padding,
        groups=int(groups),
        name=f"conv_transpose{nd}d",
    )


def conv_transpose1d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):  # noqa: A002
    return _conv_transpose(
        1, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose2d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):  # noqa: A002
    return _conv_transpose(
        2, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose3d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):  # noqa: A002
    return _conv_transpose(
        3, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


@op("conv_tbc", function=False, promote="same", grad_name="ConvTbcBackward0")
def _conv_tbc(input, weight, bias, *, pad=0):  # noqa: A002
    if input.ndim != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.ndim != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")
    if bias.ndim != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if weight.shape[2] != bias.shape[0]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    t_out = input.shape[0] + 2 * pad - weight.shape[0] + 1
    if t_out < 0:
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {t_out}: [{t_out}, {input.shape[1]}, {weight.shape[2]}]"
        )
    # a 1-d cross-correlation over time, in the time-batch-channel layout itself
    out = lax.conv_general_dilated(
        input, weight, (1,), [(pad, pad)], dimension_numbers=("WNC", "WIO", "WNC"), precision=HIGHEST
    )
    return out + bias


def conv_tbc(input, weight, bias, pad=0):  # noqa: A002
    """Convolution over (time, batch, channels) input with a (kernel_width, in, out) weight."""
    return _conv_tbc.frontend(input, weight, bias, pad=int(pad))
