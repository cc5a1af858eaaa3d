"""Recurrent kernels: the whole multi-layer (bi)directional RNN/LSTM/GRU, the cells, and the
gathers behind PackedSequence.

A layer call is two ops. ``_rnn_states`` (no autograd node) runs the recurrence: one
``lax.scan`` per layer with both directions stacked in it, the input projection ``x @ W_ih^T``
for every timestep hoisted out as one matmul, only ``h @ W_hh^T`` inside. ``_rnn`` turns the
kept states into (output, h_n[, c_n]); its VJP (a ``jax.custom_vjp``) is BPTT from those states:
one reverse scan per layer with one matmul per step, weight gradients as one matmul over all
steps. Why not jax.vjp of a single scan op: the engine's backward re-traces the forward, and
XLA merges duplicated straight-line code but not duplicated loops, so the forward scan ran twice
(measured: 6 while loops against 4). Second-order gradients through the recurrence treat the
kept states as constants (cuDNN has no double backward at all).

Variable-length (packed) batches run padded with a per-sequence mask: a finished sequence keeps
its state and emits zeros, so outputs and final states equal PyTorch's packed semantics.
"""

from __future__ import annotations

import functools

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


def _projection(mode, x, lw):
    """The hoisted input projection of one layer, all directions: one matmul over every
    timestep, biases folded in (GRU keeps b_hn out: it is multiplied by r). Scan order
    [T, D, B, G]."""
    num_dirs, steps, batch = len(lw), x.shape[0], x.shape[1]
    gate = lw[0][0].shape[0]
    w_ih = jnp.concatenate([w[0] for w in lw], axis=0)
    xp = _mm(x, w_ih).reshape(steps, batch, num_dirs, gate)
    if lw[0][2] is not None:
        b_ih = jnp.stack([w[2] for w in lw])
        b_hh = jnp.stack([w[3] for w in lw])
        if mode == "GRU":
            xp = xp + (b_ih + b_hh.at[:, 2 * (gate // 3) :].set(0))
        else:
            xp = xp + (b_ih + b_hh)
    return _to_scan_order(jnp.moveaxis(xp, 2, 1))


def _recurrent_weights(mode, lw):
    """w_hh [D, G, Hr], b_hn [D, 1, G] (GRU only), w_hr [D, P, H] (proj_size only)."""
    w_hh = jnp.stack([w[1] for w in lw])
    b_hn = None
    if mode == "GRU" and lw[0][3] is not None:
        b_hn = jnp.stack([w[3] for w in lw]).at[:, : 2 * (w_hh.shape[1] // 3)].set(0)[:, None, :]
    w_hr = jnp.stack([w[4] for w in lw]) if lw[0][4] is not None else None
    return w_hh, b_hn, w_hr


def _to_scan_order(a):
    """[T, D, ...] in time order -> scan order (the reverse direction reads time backwards);
    its own inverse."""
    if a.shape[1] == 2:
        return jnp.stack([a[:, 0], a[::-1, 1]], axis=1)
    return a


def _core(mode, h, c, xg, hg, m, b_hn, w_hr):
    """One step after the recurrent matmul hg = h W_hh^T; a finished sequence (m false) keeps
    its state."""
    h2, c2 = _cell_update(mode, xg, hg, h, c, b_hn)
    if w_hr is not None:
        h2 = jnp.einsum("dbh,dph->dbp", h2, w_hr, precision=HIGHEST)
    if m is not None:
        keep = m[..., None]
        h2 = jnp.where(keep, h2, h)
        if c2 is not None:
            c2 = jnp.where(keep, c2, c)
    return h2, c2


def _forward_layer(mode, x, h0, c0, lw, m):
    """The forward scan of one layer. Returns, in scan order, the states after every step
    [T, D, B, *], the input projection and the recurrent products h W_hh^T (kept for BPTT)."""
    xp = _projection(mode, x, lw)
    w_hh, b_hn, w_hr = _recurrent_weights(mode, lw)

    def step(carry, inp):
        h, c = carry
        xg, mt = inp
        hg = jnp.einsum("dbh,dgh->dbg", h, w_hh, precision=HIGHEST)
        h2, c2 = _core(mode, h, c, xg, hg, mt, b_hn, w_hr)
        return (h2, c2), (h2, c2, hg)

    _, (hs, cs, hg) = jax.lax.scan(step, (h0, c0), (xp, m))
    return hs, cs, xp, hg


def _layer_output(hs, m):
    """Scan-order states -> the layer's output [T, B, D*Hr] (time order, zero past each end)."""
    y = hs if m is None else jnp.where(m[..., None], hs, jnp.zeros((), hs.dtype))
    y = _to_scan_order(y)
    return jnp.moveaxis(y, 1, 2).reshape(y.shape[0], y.shape[2], -1)


def _backward_layer(mode, x, h0, c0, lw, m, saved, d_y, d_hn, d_cn):
    """BPTT of one layer from what its forward scan kept: the reverse scan holds one matmul
    per step (dh W_hh); weight gradients are one matmul each over all steps.
    Returns (dx, dh0, dc0, per-direction weight grads)."""
    hs, cs, xp, hg_all = saved
    num_dirs, steps, batch = len(lw), x.shape[0], x.shape[1]
    w_hh, b_hn, w_hr = _recurrent_weights(mode, lw)
    h_prev = jnp.concatenate([h0[None], hs[:-1]], axis=0)
    c_prev = jnp.concatenate([c0[None], cs[:-1]], axis=0) if cs is not None else None
    dys = _to_scan_order(jnp.moveaxis(d_y.reshape(steps, batch, num_dirs, -1), 2, 1))

    def bstep(carry, inp):
        dh, dc, dwhr = carry
        dy, hp, cp, xg, hg, mt = inp
        if mt is not None:
            dy = jnp.where(mt[..., None], dy, jnp.zeros((), dy.dtype))

        def core(hp, cp, xg, hg, w_hr):
            return _core(mode, hp, cp, xg, hg, mt, b_hn, w_hr)

        _, pull = jax.vjp(core, hp, cp, xg, hg, w_hr)
        dhp, dcp, dxg, dhg, dwr = pull((dh + dy, dc))
        dhp = dhp + jnp.einsum("dbg,dgh->dbh", dhg, w_hh, precision=HIGHEST)
        return (dhp, dcp, None if dwhr is None else dwhr + dwr), (dxg, dhg)

    init = (d_hn, d_cn, None if w_hr is None else jnp.zeros_like(w_hr))
    xs = (dys, h_prev, c_prev, xp, hg_all, m)
    (dh0, dc0, dwhr), (dxg, dhg) = jax.lax.scan(bstep, init, xs, reverse=True)
    d_w_hh = jnp.einsum("tdbg,tdbh->dgh", dhg, h_prev, precision=HIGHEST)
    dxg_t = _to_scan_order(dxg)
    w_ih = jnp.stack([w[0] for w in lw])
    dx = jnp.einsum("tdbg,dgi->tbi", dxg_t, w_ih, precision=HIGHEST)
    d_w_ih = jnp.einsum("tdbg,tbi->dgi", dxg_t, x, precision=HIGHEST)
    grads = []
    for d in range(num_dirs):
        g = [d_w_ih[d], d_w_hh[d]]
        if lw[0][2] is not None:
            db = dxg[:, d].sum((0, 1))
            if mode == "GRU":
                hsz = db.shape[0] // 3
                g += [db, jnp.concatenate([db[: 2 * hsz], dhg[:, d, :, 2 * hsz :].sum((0, 1))])]
            else:
                g += [db, db]
        if w_hr is not None:
            g.append(dwhr[d])
        grads.extend(g)
    return dx, dh0, dc0, grads


def _setup(input, lengths, seed, counter, *, batch_first, bidirectional, dropout_on):  # noqa: A002
    x = jnp.swapaxes(input, 0, 1) if batch_first else input
    m = None
    if lengths is not None:
        mask = jnp.arange(x.shape[0], dtype=jnp.int64)[:, None] < lengths.astype(jnp.int64)[None, :]
        m = _to_scan_order(jnp.stack([mask, mask], 1) if bidirectional else mask[:, None])
    key = _key(seed, counter) if dropout_on else None
    return x, m, key


def _dropout_mult(key, layer, shape, p, dtype):
    # a multiplier, not x / (1 - p): with p = 1 that would put 0 * inf in the gradient
    p = jnp.asarray(p, jnp.float32)
    keep = jax.random.uniform(jax.random.fold_in(key, layer), shape, jnp.float32) >= p
    return jnp.where(keep, 1 / (1 - p), 0.0).astype(dtype)


def _layer_mult(noise, key, layer, shape, p, dtype):
    """The dropout multiplier after ``layer``: PyTorch's own CPU noise when given, else drawn."""
    return (
        noise[layer].astype(dtype)
        if noise is not None
        else _dropout_mult(key, layer, shape, p, dtype)
    )


def _per(has_bias, proj_size):
    return 2 + 2 * bool(has_bias) + (proj_size > 0)


@op("_rnn_states", function=False, differentiable=False)
def rnn_states_k(
    input,
    hx,
    cx,
    weights,
    lengths,
    dropout_p,
    seed,
    counter,
    noise,
    *,
    mode,
    num_layers,  # noqa: A002
    bidirectional,
    batch_first,
    has_bias,
    proj_size,
    dropout_on,
):
    """The forward recurrence (one scan per layer, both directions together). Returns, stacked
    over layers in scan order: the states after every step [L, T, D, B, Hr], the input
    projections and recurrent products [L, T, D, B, G] (for BPTT), and for LSTM the cells."""
    x, m, key = _setup(
        input,
        lengths,
        seed,
        counter,
        batch_first=batch_first,
        bidirectional=bidirectional,
        dropout_on=dropout_on,
    )
    num_dirs, per = 2 if bidirectional else 1, _per(has_bias, proj_size)
    kept = []
    for layer in range(num_layers):
        sl = slice(layer * num_dirs, (layer + 1) * num_dirs)
        lw = _layer_weights(weights, layer, num_dirs, per)
        hs, cs, xp, hg = _forward_layer(mode, x, hx[sl], None if cx is None else cx[sl], lw, m)
        kept.append((hs, xp, hg) if cs is None else (hs, xp, hg, cs))
        if layer < num_layers - 1:
            x = _layer_output(hs, m)
            if dropout_on:
                x = x * _layer_mult(noise, key, layer, x.shape, dropout_p, x.dtype)
    return tuple(jnp.stack(a) for a in zip(*kept))


def _outputs(cfg, input, lengths, saved):  # noqa: A002
    hs_all = saved[0]
    mode, num_layers, bidirectional, batch_first = cfg[:4]
    _, m, _ = _setup(
        input,
        lengths,
        None,
        None,
        batch_first=batch_first,
        bidirectional=bidirectional,
        dropout_on=False,
    )
    out = _layer_output(hs_all[-1], m)
    out = jnp.swapaxes(out, 0, 1) if batch_first else out
    last = hs_all[:, -1]
    h_n = last.reshape((-1,) + last.shape[2:])
    if mode == "LSTM":
        cs_all = saved[3]
        return out, h_n, cs_all[:, -1].reshape((-1,) + cs_all.shape[3:])
    return out, h_n


def _backward(cfg, args, cts):
    mode, num_layers, bidirectional, batch_first, has_bias, proj_size, dropout_on = cfg
    input, hx, cx, weights, lengths, dropout_p, seed, counter, noise, saved = args  # noqa: A001
    hs_all, xp_all, hg_all = saved[:3]
    cs_all = saved[3] if mode == "LSTM" else None
    x0, m, key = _setup(
        input,
        lengths,
        seed,
        counter,
        batch_first=batch_first,
        bidirectional=bidirectional,
        dropout_on=dropout_on,
    )
    num_dirs, per = 2 if bidirectional else 1, _per(has_bias, proj_size)
    d_y = jnp.swapaxes(cts[0], 0, 1) if batch_first else cts[0]
    d_hn = cts[1].reshape((num_layers, num_dirs) + cts[1].shape[1:])
    d_cn = cts[2].reshape((num_layers, num_dirs) + cts[2].shape[1:]) if mode == "LSTM" else None
    grads = [None] * len(weights)
    dh0s, dc0s = [None] * num_layers, [None] * num_layers
    for layer in reversed(range(num_layers)):
        sl = slice(layer * num_dirs, (layer + 1) * num_dirs)
        mult = None
        if layer == 0:
            x_l = x0
        else:
            x_l = _layer_output(hs_all[layer - 1], m)
            if dropout_on:
                mult = _layer_mult(noise, key, layer - 1, x_l.shape, dropout_p, x_l.dtype)
                x_l = x_l * mult
        lw = _layer_weights(weights, layer, num_dirs, per)
        kept = (
            hs_all[layer],
            None if cs_all is None else cs_all[layer],
            xp_all[layer],
            hg_all[layer],
        )
        dx, dh0s[layer], dc0s[layer], g = _backward_layer(
            mode,
            x_l,
            hx[sl],
            None if cx is None else cx[sl],
            lw,
            m,
            kept,
            d_y,
            d_hn[layer],
            None if d_cn is None else d_cn[layer],
        )
        grads[layer * num_dirs * per : (layer + 1) * num_dirs * per] = g
        d_y = dx if mult is None else dx * mult
    d_in = jnp.swapaxes(d_y, 0, 1) if batch_first else d_y
    d_hx = jnp.concatenate(dh0s, axis=0)
    d_cx = jnp.concatenate(dc0s, axis=0) if mode == "LSTM" else None
    return d_in, d_hx, d_cx, grads, None, None, None, None, None, None


@functools.cache
def _from_states(cfg):
    """outputs = f(inputs, weights; saved states), whose VJP is BPTT from those states (so the
    backward never re-runs the forward scan: XLA does not merge duplicated loops)."""

    @jax.custom_vjp
    def f(input, hx, cx, weights, lengths, dropout_p, seed, counter, noise, saved):  # noqa: A002
        return _outputs(cfg, input, lengths, saved)

    def fwd(*args):
        return f(*args), args

    def bwd(args, cts):
        return _backward(cfg, args, cts)

    f.defvjp(fwd, bwd)
    return f


@op("_rnn", function=False, grad_name="StackBackward0")  # as hn prints in PyTorch
def rnn_k(
    input,
    hx,
    cx,
    weights,
    lengths,
    dropout_p,
    seed,
    counter,
    noise,
    saved,
    *,
    mode,  # noqa: A002
    num_layers,
    bidirectional,
    batch_first,
    has_bias,
    proj_size,
    dropout_on,
):
    """The full recurrence's outputs from what rnn_states_k computed (``saved``). input [T, B, I]
    ([B, T, I] if batch_first), hx [L*D, B, Hr], cx [L*D, B, H] (LSTM) or None, weights in
    RNNBase._flat_weights order, lengths [B] int or None.
    Returns (output, h_n) or, for LSTM, (output, h_n, c_n)."""
    cfg = (mode, num_layers, bidirectional, batch_first, has_bias, proj_size, dropout_on)
    return _from_states(cfg)(
        input, hx, cx, weights, lengths, dropout_p, seed, counter, noise, list(saved)
    )


def rnn(
    input,
    hx,
    cx,
    weights,
    lengths=None,
    dropout_p=None,
    seed=None,
    counter=None,
    noise=None,
    *,
    mode,  # noqa: A002
    num_layers,
    bidirectional,
    batch_first,
    has_bias,
    proj_size=0,
    dropout_on=False,
):
    """Two ops: the forward scans (no autograd node), then outputs whose gradient is BPTT."""
    weights = list(weights)
    if state.autocast is not None:
        input, hx, cx, *weights = _autocast(input, hx, cx, *weights)  # noqa: A001
    attrs = dict(
        mode=mode,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        has_bias=has_bias,
        proj_size=proj_size,
        dropout_on=dropout_on,
    )
    args = (input, hx, cx, weights, lengths, dropout_p, seed, counter, noise)
    saved = rnn_states_k.frontend(*args, **attrs)
    return rnn_k.frontend(*args, list(saved), **attrs)


# The node ATen's CPU cells end in (RNN.cpp's SimpleCell / GRUCell / LSTMCell are composites:
# tanh or relu of the two linears' sum; GRU's (h - n) * z + n; LSTM's h = o * tanh(c)). Here a cell
# is one node; LSTM's c shares its name (PyTorch's c ends in AddBackward0).
_CELL_NODE = {
    "RNN_TANH": "TanhBackward0",
    "RNN_RELU": "ReluBackward0",
    "GRU": "AddBackward0",
    "LSTM": "MulBackward0",
}


@op(
    "_rnn_cell",
    function=False,
    promote="same",
    grad_name="TanhBackward0",
    grad_name_of=lambda args, attrs: _CELL_NODE[dict(attrs)["mode"]],
)
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


@op("_pad_gather", function=False, grad_name="PadPackedSequenceBackward0")
def pad_gather_k(data, index, padding_value):
    """padded[t, b] = data[index[t, b]], or padding_value where index is -1."""
    valid = index >= 0
    rows = jnp.take(data, jnp.where(valid, index, 0), axis=0)
    valid = valid.reshape(valid.shape + (1,) * (data.ndim - 1))
    return jnp.where(valid, rows, jnp.asarray(padding_value).astype(data.dtype))


# Packed rows found inside the program: their indices come from a [T, B] mask of valid steps
# (and the [B] sorted-to-input column map), inputs whose shapes do not depend on the total length
# N. A batch of other lengths with the same longest one runs the same program; where the packed
# rows are not used (an RNN reads the padded layout), their node is dropped from the program.


def _valid_positions(valid, rows):
    """(t, b) of the first ``rows`` true entries of ``valid`` [T, B], in time-major order."""
    batch = valid.shape[1]
    pos = jnp.nonzero(valid.reshape(-1), size=rows)[0]
    return pos // batch, pos % batch


@op("_pack_padded", function=False, grad_name="PackPaddedSequenceBackward0")
def pack_padded_k(input, valid, src, *, rows, batch_first):  # noqa: A002
    """Packed rows [N, ...] of ``input`` ([T, B, ...] or [B, T, ...]): step t of sorted slot b is
    input column ``src[b]``."""
    t, b = _valid_positions(valid, rows)
    steps, batch = (input.shape[1], input.shape[0]) if batch_first else input.shape[:2]
    col = src[b]
    flat = input.reshape((steps * batch,) + input.shape[2:])
    return jnp.take(flat, col * steps + t if batch_first else t * batch + col, axis=0)


@op("_packed_as_padded", function=False, grad_name="PackPaddedSequenceBackward0")
def packed_as_padded_k(input, valid, src, *, batch_first):  # noqa: A002
    """What padding the packed rows gives back ([T, B, ...] time-major, sorted slots, zeros past
    each length), read from the padded input itself."""
    x = jnp.swapaxes(input, 0, 1) if batch_first else input
    x = jnp.take(x[: valid.shape[0]], src, axis=1)
    mask = valid.reshape(valid.shape + (1,) * (x.ndim - 2))
    return jnp.where(mask, x, jnp.zeros((), x.dtype))


@op("_pad_packed", function=False, grad_name="PadPackedSequenceBackward0")
def pad_packed_k(padded, valid, padding_value, *, steps, batch_first):
    """pad_packed_sequence's result from the padded rows (``padded`` [T, B, ...], zeros or
    anything past each length): padding_value there, ``steps`` long."""
    mask = valid.reshape(valid.shape + (1,) * (padded.ndim - 2))
    fill = jnp.asarray(padding_value).astype(padded.dtype)
    x = jnp.where(mask, padded, fill)
    if steps > x.shape[0]:
        x = jnp.concatenate([x, jnp.full((steps - x.shape[0],) + x.shape[1:], fill, x.dtype)])
    return jnp.swapaxes(x, 0, 1) if batch_first else x


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
