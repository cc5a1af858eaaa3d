"""Quantized kernels: affine (de)quantization and fbgemm's dynamic quantized linear and RNNs.

Imported on first use of quantization (``torchlike/_quantized.py``), not with the other op
families. The arithmetic is fbgemm's (PyTorch's x86 CPU engine), bit for bit where it can be:

- 8-bit quantization rounds ``fma(x, 1/scale, zero_point)`` once to float32, then to the nearest
  integer (ties to even); qint32 multiplies, rounds to float32, adds the zero point, rounds.
  float64 stands in for the fused multiply-add: the product of two float32 values is exact in it.
- A dynamic linear quantizes its input to 7-bit quint8 (``reduce_range``) from the input's
  min/max (ATen's ``ChooseQuantizationParams``), multiplies in int32, and writes
  ``fma(float(acc - x_zp * colsum(W)), float(x_scale * w_scale), bias)``.
- A dynamic LSTM/GRU layer applies that linear to the whole sequence for the input projection
  (one min/max for all timesteps, as ATen's CPU layer hoists it) and per step to the hidden state.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .pointwise import _true_div as _div  # correctly rounded (XLA's x / y is a reciprocal product)
from .registry import op

_F32, _F64 = jnp.float32, jnp.float64
_SMALL_SCALE = 6.1e-5  # ATen's SMALL_SCALE_THRESHOLD (a float32 constant)


def _round_fma(x, inv_scale, zero_point):
    """nearbyint(float32(x * inv_scale + zero_point)) with one rounding, as fbgemm's AVX2 path."""
    t = x.astype(_F64) * inv_scale.astype(_F64) + zero_point.astype(_F64)
    return jnp.round(t.astype(_F32))


def quantize_values(x, scale, zero_point, qmin, qmax, out_dtype):
    """The integer representation of ``x``; ``scale`` float32, ``zero_point`` integer."""
    inv = _div(jnp.asarray(1.0, _F32), scale.astype(_F32))
    if qmax - qmin > 255:  # qint32: ATen's own loop, multiply and add rounded separately
        # XLA folds a float64 product rounded to float32 back into a float32 multiply and fuses it
        # with a float32 add into an fma; adding in float64 (exact) keeps the two roundings
        t = (x.astype(_F64) * inv.astype(_F64)).astype(_F32)
        q = jnp.round((zero_point.astype(_F64) + t.astype(_F64)).astype(_F32))
    else:
        q = _round_fma(x.astype(_F32), inv, zero_point)
    return jnp.clip(q, qmin, qmax).astype(out_dtype)


@op("_quantize_per_tensor_k", function=False, differentiable=False)
def quantize_per_tensor_k(input, scale, zero_point, *, qmin, qmax, np_dtype):  # noqa: A002
    return quantize_values(input, jnp.asarray(scale), jnp.asarray(zero_point), qmin, qmax, np_dtype)


@op("_quantize_per_channel_k", function=False, differentiable=False)
def quantize_per_channel_k(input, scales, zero_points, *, axis, qmin, qmax, np_dtype):  # noqa: A002
    shape = [1] * input.ndim
    shape[axis] = -1
    scale = scales.astype(_F32).reshape(shape)
    zp = zero_points.reshape(shape)
    # ATen's per-channel loop: zero_point + nearbyint(x * (1 / scale))
    inv = _div(jnp.asarray(1.0, _F32), scale)
    q = zp.astype(_F32) + jnp.round((input.astype(_F32) * inv).astype(_F32))
    return jnp.clip(q, qmin, qmax).astype(np_dtype)


@op("_dequantize_k", function=False, differentiable=False)
def dequantize_k(q, scale, zero_point, *, axis):
    if axis is None:
        s, z = jnp.asarray(scale).astype(_F32), jnp.asarray(zero_point)
    else:
        shape = [1] * q.ndim
        shape[axis] = -1
        s, z = scale.astype(_F32).reshape(shape), zero_point.reshape(shape)
    return ((q.astype(jnp.int64) - z.astype(jnp.int64)).astype(_F32) * s).astype(_F32)


def choose_qparams(xmin, xmax, qmin, qmax):
    """ATen's ChooseQuantizationParams (no sparsity preserving, no power-of-two scale): the
    float32 scale and integer zero point that map [min(xmin, 0), max(xmax, 0)] onto [qmin, qmax]."""
    mn = jnp.minimum(xmin.astype(_F32), 0)
    mx = jnp.maximum(xmax.astype(_F32), 0)
    span = qmax - qmin
    scale = _div(mx.astype(_F64) - mn.astype(_F64), jnp.asarray(span, _F64))
    s32 = scale.astype(_F32)
    scale = jnp.where((s32 == 0) | jnp.isinf(_div(jnp.asarray(1.0, _F32), s32)), 0.1, scale)
    small_t = jnp.asarray(_SMALL_SCALE, _F32)
    small = scale < small_t.astype(_F64)
    amp = _div(small_t, scale.astype(_F32))
    mn_s = jnp.where(mn == 0, mn, jnp.where(mx == 0, -small_t * span, mn * amp)).astype(_F32)
    mx_s = jnp.where(mn == 0, small_t * span, jnp.where(mx == 0, mx, mx * amp)).astype(_F32)
    mn, mx = jnp.where(small, mn_s, mn), jnp.where(small, mx_s, mx)
    scale = jnp.where(small, small_t.astype(_F64), scale)
    s = scale.astype(_F32).astype(_F64)
    mn_s, mx_s = _div(mn.astype(_F64), s), _div(mx.astype(_F64), s)
    from_min, from_max = qmin - mn_s, qmax - mx_s
    err_min, err_max = abs(qmin) - jnp.abs(mn_s), abs(qmax) - jnp.abs(mx_s)
    zp = jnp.where(err_min < err_max, from_min, from_max)
    zp = jnp.clip(jnp.round(zp), qmin, qmax).astype(jnp.int32)
    return scale.astype(_F32), zp


def linear_dynamic(x, w_int, w_scale, bias, reduce_range, w_zp=None):
    """fbgemm's dynamic quantized linear: x float [..., K], w_int int8 [N, K]; w_scale (and
    w_zp) a scalar or one per output channel."""
    qmin, qmax = (0, 127) if reduce_range else (0, 255)
    x = x.astype(_F32)
    x_scale, x_zp = choose_qparams(jnp.min(x), jnp.max(x), qmin, qmax)
    xq = quantize_values(x, x_scale, x_zp, qmin, qmax, jnp.int32)
    w = w_int.astype(jnp.int32)
    acc = jnp.matmul(xq, w.T, preferred_element_type=jnp.int32)
    col_offsets = w.sum(axis=1)
    if w_zp is not None:  # fbgemm's col offsets hold sum(w - w_zp); row offsets sum(xq)
        w_zp = w_zp.astype(jnp.int32)
        col_offsets = col_offsets - w.shape[1] * w_zp
        acc = acc - xq.sum(axis=-1, keepdims=True) * w_zp
    raw = (acc - x_zp * col_offsets).astype(_F32)
    mult = (x_scale * w_scale.astype(_F32)).astype(_F32)
    out = raw.astype(_F64) * mult.astype(_F64)
    if bias is not None:
        out = out + bias.astype(_F32).astype(_F64)
    return out.astype(_F32)


@op("_linear_dynamic_k", function=False, differentiable=False)
def linear_dynamic_k(input, w_int, w_scale, w_zp, bias=None, *, reduce_range):  # noqa: A002
    return linear_dynamic(input, w_int, w_scale, bias, reduce_range, w_zp).astype(input.dtype)


@op("_linear_dynamic_fp16_k", function=False, differentiable=False)
def linear_dynamic_fp16_k(input, weight, bias=None):  # noqa: A002
    """fbgemm's fp16 dynamic linear: weights rounded to float16, float32 arithmetic."""
    w = weight.astype(jnp.float16).astype(_F32)
    out = jnp.matmul(input.astype(_F32), w.T, precision=jax.lax.Precision.HIGHEST)
    return (out if bias is None else out + bias.astype(_F32)).astype(input.dtype)


def _gates(mode, xg, hg, h, c):
    """One cell update from the input gates xg and the hidden gates hg (biases inside each)."""
    if mode == "LSTM":
        i, f, g, o = jnp.split(xg + hg, 4, axis=-1)
        c2 = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        return jax.nn.sigmoid(o) * jnp.tanh(c2), c2
    xr, xz, xn = jnp.split(xg, 3, axis=-1)
    hr, hz, hn = jnp.split(hg, 3, axis=-1)
    r = jax.nn.sigmoid(hr + xr)
    z = jax.nn.sigmoid(hz + xz)
    n = jnp.tanh(xn + hn * r)
    return (h - n) * z + n, c  # ATen's order of operations


@op("_quantized_rnn_k", function=False, differentiable=False)
def quantized_rnn_k(input, hx, cx, weights, scales, *, mode, num_layers, bidirectional, batch_first):  # noqa: A002
    """A dynamic quantized multi-layer LSTM/GRU. ``weights`` per layer and direction:
    (w_ih int8, w_hh int8, b_ih, b_hh); ``scales`` [layers * directions, 2] the weights' scales.
    Returns (output, h_n[, c_n])."""
    x = jnp.swapaxes(input, 0, 1) if batch_first else input
    x = x.astype(_F32)
    dirs = 2 if bidirectional else 1
    hn, cn = [], []
    for layer in range(num_layers):
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            w_ih, w_hh, b_ih, b_hh = weights[4 * k : 4 * k + 4]
            s_ih, s_hh = scales[k, 0], scales[k, 1]
            seq = x if d == 0 else x[::-1]
            steps, batch = seq.shape[0], seq.shape[1]
            xg_all = linear_dynamic(seq.reshape(steps * batch, -1), w_ih, s_ih, b_ih, True)
            xg_all = xg_all.reshape(steps, batch, -1)

            def step(carry, xg, w_hh=w_hh, s_hh=s_hh, b_hh=b_hh):
                h, c = carry
                h2, c2 = _gates(mode, xg, linear_dynamic(h, w_hh, s_hh, b_hh, True), h, c)
                return (h2, c2), h2

            c0 = cx[k].astype(_F32) if cx is not None else jnp.zeros((), _F32)
            (h_last, c_last), ys = jax.lax.scan(step, (hx[k].astype(_F32), c0), xg_all)
            outs.append(ys if d == 0 else ys[::-1])
            hn.append(h_last)
            cn.append(c_last)
        x = jnp.concatenate(outs, axis=-1) if dirs == 2 else outs[0]
    out = jnp.swapaxes(x, 0, 1) if batch_first else x
    dt = input.dtype
    if mode == "LSTM":
        return out.astype(dt), jnp.stack(hn).astype(dt), jnp.stack(cn).astype(dt)
    return out.astype(dt), jnp.stack(hn).astype(dt)


@op("_int_repr_k", function=False, differentiable=False)
def int_repr_k(q):
    return q.astype(q.dtype)


def _raw_frontends() -> None:
    from .._quantized import raw_access

    for kernel in (quantize_per_tensor_k, quantize_per_channel_k, dequantize_k, linear_dynamic_k,
                   linear_dynamic_fp16_k, quantized_rnn_k, int_repr_k):
        kernel.frontend = raw_access(kernel.frontend)
