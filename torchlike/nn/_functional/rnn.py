"""Recurrent kernels: the whole multi-layer (bi)directional RNN/LSTM/GRU as one op, the cells, and
the gathers behind PackedSequence.

The time loop is one ``lax.scan`` per layer (both directions advance together in the same scan,
stacked on a leading axis). The input projection ``x @ W_ih^T`` for every timestep is one matmul
hoisted out of the scan; only ``h @ W_hh^T`` stays inside. Variable-length (packed) batches run
padded with a per-sequence mask: a finished sequence keeps its state and emits zeros, so outputs
and final states equal PyTorch's packed semantics. Gradients are jax.vjp of these kernels.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ..._context import state
from ..._dtype import float64
from ..._ops.linalg import HIGHEST
from ..._ops.random import _key
from ..._ops.registry import op

__all__: list[str] = []

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _mm(x, w):
    """x @ w^T at full precision (torch's fp32 default: no TF32)."""
    return jnp.matmul(x, w.T, precision=HIGHEST)


def _cell_update(mode, xg, hg, h, c, b_hn=None):
    """One step given the input gates ``xg`` (x W_ih^T + biases) and ``hg`` = h W_hh^T.

    Gate order is PyTorch's: LSTM (i, f, g, o); GRU (r, z, n) with b_hn inside r * (...).
    Returns (h', c'); c' is None except for LSTM.
    """
    if mode == "LSTM":
        i, f, g, o = jnp.split(xg + hg, 4, axis=-1)
        c2 = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        return jax.nn.sigmoid(o) * jnp.tanh(c2), c2
    if mode == "GRU":
        if b_hn is not None:
            hg = hg + b_hn
        xr, xz, xn = jnp.split(xg, 3, axis=-1)
        hr, hz, hn = jnp.split(hg, 3, axis=-1)
        r = jax.nn.sigmoid(xr + hr)
        z = jax.nn.sigmoid(xz + hz)
        n = jnp.tanh(xn + r * hn)
        return (1 - z) * n + z * h, None
    pre = xg + hg
    return (jnp.tanh(pre) if mode == "RNN_TANH" else jax.nn.relu(pre)), None


def _layer_weights(weights, layer, num_dirs, per):
    """Per direction: (w_ih, w_hh, b_ih, b_hh, w_hr), absent ones None."""
    out = []
    for d in range(num_dirs):
        ws = list(weights[(layer * num_dirs + d) * per : (layer * num_dirs + d + 1) * per])
        w_ih, w_hh = ws[0], ws[1]
        b_ih, b_hh = (ws[2], ws[3]) if per in (4, 5) else (None, None)
        w_hr = ws[-1] if per in (3, 5) else None
        out.append((w_ih, w_hh, b_ih, b_hh, w_hr))
    return out


def _run_layer(mode, x, h0, c0, lw, mask):
    """One layer, all directions in one scan. x [T, B, I]; h0/c0 [D, B, *]; mask [T, B] or None.

    Returns (out [T, B, D*Hr], h_n [D, B, Hr], c_n [D, B, H] or None).
    """
    num_dirs = len(lw)
    steps = x.shape[0]
    gate = lw[0][0].shape[0]
    # the hoisted input projection: one matmul over every timestep and both directions
    xp = _mm(x, jnp.concatenate([w[0] for w in lw], axis=0)).reshape(
        steps, x.shape[1], num_dirs, gate
    )
    b_hn = None
    if lw[0][2] is not None:
        b_ih = jnp.stack([w[2] for w in lw])
        b_hh = jnp.stack([w[3] for w in lw])
        if mode == "GRU":
            # b_hr, b_hz fold into the projection; b_hn is multiplied by r, so it stays in the loop
            hsz = gate // 3
            xp = xp + (b_ih + b_hh.at[:, 2 * hsz :].set(0))
            b_hn = jnp.concatenate(
                [jnp.zeros_like(b_hh[:, : 2 * hsz]), b_hh[:, 2 * hsz :]], axis=1
            )[:, None, :]
        else:
            xp = xp + (b_ih + b_hh)
    xp = jnp.moveaxis(xp, 2, 1)  # [T, D, B, G]
    w_hh = jnp.stack([w[1] for w in lw])  # [D, G, Hr]
    w_hr = jnp.stack([w[4] for w in lw]) if lw[0][4] is not None else None  # [D, P, H]
    if num_dirs == 2:  # the reverse direction reads time backwards
        xp = jnp.stack([xp[:, 0], xp[::-1, 1]], axis=1)
    m = None
    if mask is not None:
        m = (
            mask[:, None, :] if num_dirs == 1 else jnp.stack([mask, mask[::-1]], axis=1)
        )  # [T, D, B]

    def step(carry, inp):
        h, c = carry
        xg, mt = inp
        hg = jnp.einsum("dbh,dgh->dbg", h, w_hh, precision=HIGHEST)
        h2, c2 = _cell_update(mode, xg, hg, h, c, b_hn)
        if w_hr is not None:
            h2 = jnp.einsum("dbh,dph->dbp", h2, w_hr, precision=HIGHEST)
        y = h2
        if mt is not None:
            keep = mt[..., None]
            h2 = jnp.where(keep, h2, h)
            if c2 is not None:
                c2 = jnp.where(keep, c2, c)
            y = jnp.where(keep, y, jnp.zeros((), y.dtype))
        return (h2, c2), y

    (h_n, c_n), ys = jax.lax.scan(step, (h0, c0), (xp, m))
    if num_dirs == 2:
        ys = jnp.stack([ys[:, 0], ys[::-1, 1]], axis=1)
    out = jnp.moveaxis(ys, 1, 2).reshape(steps, x.shape[1], -1)  # [T, B, D*Hr], forward first
    return out, h_n, c_n


@op("_rnn", function=False, grad_name="RnnBackward0")
def rnn_k(
    input,
    hx,
    cx,
    weights,
    lengths,
    dropout_p,
    seed,
    counter,
    *,
    mode,
    num_layers,  # noqa: A002
    bidirectional,
    batch_first,
    has_bias,
    proj_size,
    dropout_on,
):
    """The full recurrence. input [T, B, I] ([B, T, I] if batch_first), hx [L*D, B, Hr],
    cx [L*D, B, H] (LSTM) or None, weights in RNNBase._flat_weights order, lengths [B] int or None.
    Returns (output, h_n) or, for LSTM, (output, h_n, c_n)."""
    dtype = input.dtype
    x = jnp.swapaxes(input, 0, 1) if batch_first else input
    steps = x.shape[0]
    num_dirs = 2 if bidirectional else 1
    per = 2 + 2 * bool(has_bias) + (proj_size > 0)
    mask = None
    if lengths is not None:
        mask = jnp.arange(steps, dtype=jnp.int64)[:, None] < lengths.astype(jnp.int64)[None, :]
    key = _key(seed, counter) if dropout_on else None
    hs, cs = [], []
    for layer in range(num_layers):
        sl = slice(layer * num_dirs, (layer + 1) * num_dirs)
        c0 = cx[sl] if cx is not None else None
        x, h_n, c_n = _run_layer(
            mode, x, hx[sl], c0, _layer_weights(weights, layer, num_dirs, per), mask
        )
        hs.append(h_n)
        cs.append(c_n)
        if dropout_on and layer < num_layers - 1:
            p = jnp.asarray(dropout_p, jnp.float32)
            keep = jax.random.uniform(jax.random.fold_in(key, layer), x.shape, jnp.float32) >= p
            # a multiplier, not x / (1 - p): with p = 1 that would put 0 * inf in the gradient
            x = x * jnp.where(keep, 1 / (1 - p), 0.0).astype(dtype)
    out = jnp.swapaxes(x, 0, 1) if batch_first else x
    h_n = jnp.concatenate(hs, axis=0)
    if mode == "LSTM":
        return out, h_n, jnp.concatenate(cs, axis=0)
    return out, h_n


def rnn(
    input,
    hx,
    cx,
    weights,
    lengths=None,
    dropout_p=0.0,
    seed=None,
    counter=None,
    *,
    mode,  # noqa: A002
    num_layers,
    bidirectional,
    batch_first,
    has_bias,
    proj_size=0,
    dropout_on=False,
):
    weights = list(weights)
    if state.autocast is not None:
        input, hx, cx, *weights = _autocast(input, hx, cx, *weights)  # noqa: A001
    return rnn_k.frontend(
        input,
        hx,
        cx,
        weights,
        lengths,
        dropout_p,
        seed,
        counter,
        mode=mode,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        has_bias=has_bias,
        proj_size=proj_size,
        dropout_on=dropout_on,
    )


@op("_rnn_cell", function=False, promote="same", grad_name="RnnCellBackward0")
def rnn_cell_k(input, hx, cx, w_ih, w_hh, b_ih=None, b_hh=None, *, mode):  # noqa: A002
    """One step of a cell: RNNCell/GRUCell return h'; LSTMCell returns (h', c')."""
    xg = _mm(input, w_ih)
    hg = _mm(hx, w_hh)
    if b_ih is not None:
        xg = xg + b_ih
    b_hn = None
    if b_hh is not None:
        if mode == "GRU":
            b_hn = b_hh  # the whole b_hh joins h W_hh^T, so b_hn sits inside r * (...)
        else:
            hg = hg + b_hh
    h2, c2 = _cell_update(mode, xg, hg, hx, cx, b_hn)
    return (h2, c2) if mode == "LSTM" else h2


def rnn_cell(input, hx, cx, w_ih, w_hh, b_ih=None, b_hh=None, *, mode):  # noqa: A002
    args = (input, hx, cx, w_ih, w_hh, b_ih, b_hh)
    if (
        state.autocast is not None and state.autocast[0] == "cuda"
    ):  # CPU autocast keeps cells in fp32
        args = _autocast(*args)
    return rnn_cell_k.frontend(*args, mode=mode)


def _autocast(*tensors):
    """Under torch.autocast PyTorch runs recurrent layers (and, on CUDA, cells) in lower precision."""
    dt = state.autocast[1]
    return [
        t.to(dt) if t is not None and t.is_floating_point() and t.dtype not in (dt, float64) else t
        for t in tensors
    ]


# -- PackedSequence gathers (index arrays are built on the host from batch_sizes) -----------------


@op("_pack_gather", function=False, grad_name="PackPaddedSequenceBackward0")
def pack_gather_k(padded, index):
    """data[n] = padded.reshape(T*B, ...)[index[n]]: padded time-major [T, B, ...] -> packed rows."""
    flat = padded.reshape((padded.shape[0] * padded.shape[1],) + padded.shape[2:])
    return jnp.take(flat, index, axis=0)


@op("_pad_gather", function=False, grad_name="PadPackedSequenceBackward0")
def pad_gather_k(data, index, padding_value):
    """padded[t, b] = data[index[t, b]], or padding_value where index is -1."""
    valid = index >= 0
    rows = jnp.take(data, jnp.where(valid, index, 0), axis=0)
    valid = valid.reshape(valid.shape + (1,) * (data.ndim - 1))
    return jnp.where(valid, rows, jnp.asarray(padding_value).astype(data.dtype))


@op("_pad_sequence", function=False, grad_name="PadSequenceBackward0")
def pad_sequence_k(sequences, padding_value, *, batch_first, padding_side):
    dtype = sequences[0].dtype
    longest = max(s.shape[0] for s in sequences)
    fill = jnp.asarray(padding_value).astype(dtype)
    rows = []
    for s in sequences:
        extra = jnp.full((longest - s.shape[0],) + s.shape[1:], fill, dtype)
        s = s.astype(dtype)
        rows.append(jnp.concatenate([s, extra] if padding_side == "right" else [extra, s], axis=0))
    return jnp.stack(rows, axis=0 if batch_first else 1)
