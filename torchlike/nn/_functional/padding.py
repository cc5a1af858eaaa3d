"""F.pad: constant, reflect, replicate and circular padding (negative pads crop, as in PyTorch)."""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from ..._ops.registry import op

__all__ = ["pad"]

_JNP_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pairs(x, pad):
    """torch's pad spec (last dim first) as one (low, high) pair per dim of x."""
    n = len(pad) // 2
    pairs = [(0, 0)] * (x.ndim - n)
    for i in range(n - 1, -1, -1):
        pairs.append((pad[2 * i], pad[2 * i + 1]))
    return pairs


@op("constant_pad_nd", function=False, grad_name="ConstantPadNdBackward0")
def _constant_pad(input, value=0, *, pad):  # noqa: A002
    fill = jnp.asarray(value).astype(input.dtype)
    return lax.pad(input, fill, [(lo, hi, 0) for lo, hi in _pairs(input, pad)])


def _crop(x, pairs):
    idx = tuple(slice(max(-lo, 0), x.shape[d] - max(-hi, 0)) for d, (lo, hi) in enumerate(pairs))
    return x[idx], [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]


@op("_pad_mode", function=False, grad_name="ReflectionPad2dBackward0")
def _mode_pad(input, *, pad, mode):  # noqa: A002
    x, pairs = _crop(input, _pairs(input, pad))
    for d, (lo, hi) in enumerate(pairs):
        if mode == "reflect" and (lo >= x.shape[d] or hi >= x.shape[d]):
            raise RuntimeError(
                f"Argument #4: Padding size should be less than the corresponding input dimension, but got: "
                f"padding ({lo}, {hi}) at dimension {d} of input [{', '.join(map(str, input.shape))}]"
            )
        if mode == "circular" and (lo > x.shape[d] or hi > x.shape[d]):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    return jnp.pad(x, pairs, mode=_JNP_MODE[mode])


def pad(input, pad, mode="constant", value=None):  # noqa: A002
    import numbers

    for k, p in enumerate(pad):
        if not isinstance(p, numbers.Integral) and not hasattr(p, "__index__"):
            raise TypeError(
                f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                f"{type(p).__name__} at pos {k}"
            )
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(
            f"Padding length should be less than or equal to two times the input dimension but got "
            f"padding length {len(pad)} and input of dimension {input.dim()}"
        )
    if mode == "constant":
        return _constant_pad.frontend(input, 0 if value is None else value, pad=pad)
    if mode not in _JNP_MODE:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    n = len(pad) // 2
    if n not in (1, 2, 3) or input.dim() not in (n + 1, n + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    return _mode_pad.frontend(input, pad=pad, mode=mode)
