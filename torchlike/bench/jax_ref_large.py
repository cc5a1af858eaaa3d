"""Hand-written JAX references for the large cases (same models as cases.py, fp32). The size
arguments only exist to check them at reduced sizes; the defaults are the benchmarked models."""

from __future__ import annotations

import numpy as np

from .jax_ref import _dense, _xent


def _uniform(key, shape, bound):
    import jax

    return jax.random.uniform(key, shape, minval=-bound, maxval=bound)


def _linear(p, x):
    return x @ p["w"] + p["b"]


def lstm_lm(vocab=10000, hidden=650, layers=2, seq=35, batch=20):
    """Embedding -> stacked LSTM (time-major, gates i, f, g, o) -> Linear; SGD lr 1.0."""
    import jax
    import jax.numpy as jnp
    import optax

    ks = jax.random.split(jax.random.key(0), 2 + 4 * layers)
    bound = 1 / np.sqrt(hidden)
    params = {
        "embed": jax.random.normal(ks[0], (vocab, hidden)),
        "lstm": [
            {
                "w_ih": _uniform(ks[2 + 4 * i], (hidden, 4 * hidden), bound),
                "w_hh": _uniform(ks[3 + 4 * i], (hidden, 4 * hidden), bound),
                "b_ih": _uniform(ks[4 + 4 * i], (4 * hidden,), bound),
                "b_hh": _uniform(ks[5 + 4 * i], (4 * hidden,), bound),
            }
            for i in range(layers)
        ],
        "fc": _dense(ks[1], hidden, vocab),
    }

    def lstm(p, x):
        t, b, n = x.shape
        # The input projection of all time steps is one matmul; the scan only does h @ W_hh.
        xw = (x.reshape(t * b, n) @ p["w_ih"] + (p["b_ih"] + p["b_hh"])).reshape(t, b, -1)

        def cell(carry, xw_t):
            h, c = carry
            i, f, g, o = jnp.split(xw_t + h @ p["w_hh"], 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), h

        zeros = jnp.zeros((b, hidden), x.dtype)
        return jax.lax.scan(cell, (zeros, zeros), xw)[1]

    def apply(p, x):
        h = p["embed"][x]
        for lp in p["lstm"]:
            h = lstm(lp, h)
        return _linear(p["fc"], h.reshape(-1, hidden))

    rng = np.random.default_rng(0)
    x = rng.integers(0, vocab, (seq, batch)).astype(np.int32)
    y = rng.integers(0, vocab, seq * batch).astype(np.int32)
    return params, apply, _xent, optax.sgd(1.0), x, y


def transformer_lm(vocab=10000, d=512, heads=8, layers=6, seq=256, batch=32):
    """Embedding + learned positions -> pre-norm causal encoder layers (ReLU FFN 4d) -> Linear;
    Adam lr 1e-4."""
    import jax
    import jax.numpy as jnp
    import optax

    ks = jax.random.split(jax.random.key(0), 2 + 4 * layers)

    def norm():
        return {"g": jnp.ones(d), "b": jnp.zeros(d)}

    def block(k):
        k1, k2, k3, k4 = jax.random.split(k, 4)
        return {
            "ln1": norm(),
            "qkv": {"w": _uniform(k1, (d, 3 * d), np.sqrt(6 / (4 * d))), "b": jnp.zeros(3 * d)},
            "out": {"w": _dense(k2, d, d)["w"], "b": jnp.zeros(d)},
            "ln2": norm(),
            "ff1": _dense(k3, d, 4 * d),
            "ff2": _dense(k4, 4 * d, d),
        }

    params = {
        "embed": jax.random.normal(ks[0], (vocab, d)),
        "pos": jnp.zeros((seq, d)),
        "layers": [block(ks[2 + i]) for i in range(layers)],
        "fc": _dense(ks[1], d, vocab),
    }

    def layer_norm(p, x):
        m = x.mean(-1, keepdims=True)
        v = jnp.square(x - m).mean(-1, keepdims=True)
        return (x - m) * jax.lax.rsqrt(v + 1e-5) * p["g"] + p["b"]

    def layer(p, x):
        b, t, _ = x.shape
        qkv = _linear(p["qkv"], layer_norm(p["ln1"], x)).reshape(b, t, 3, heads, d // heads)
        a = jax.nn.dot_product_attention(qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2], is_causal=True)
        x = x + _linear(p["out"], a.reshape(b, t, d))
        return x + _linear(p["ff2"], jax.nn.relu(_linear(p["ff1"], layer_norm(p["ln2"], x))))

    def apply(p, x):
        h = p["embed"][x] + p["pos"]
        for lp in p["layers"]:
            h = layer(lp, h)
        return _linear(p["fc"], h.reshape(-1, d))

    rng = np.random.default_rng(0)
    x = rng.integers(0, vocab, (batch, seq)).astype(np.int32)
    y = rng.integers(0, vocab, batch * seq).astype(np.int32)
    return params, apply, _xent, optax.adam(1e-4), x, y


def resnet18(batch=64, size=224, classes=1000):
    """ResNet-18 in NHWC, SGD lr 0.1 momentum 0.9. BatchNorm normalises with batch statistics
    (training mode); running statistics are not kept: they affect neither outputs nor gradients,
    so this skips the small per-step update of them that torch does."""
    import jax
    import jax.numpy as jnp
    import optax

    keys = iter(jax.random.split(jax.random.key(0), 32))

    def conv(cin, cout, k):
        return _uniform(next(keys), (k, k, cin, cout), 1 / np.sqrt(cin * k * k))

    def norm(c):
        return {"g": jnp.ones(c), "b": jnp.zeros(c)}

    def block(cin, cout, stride):
        p = {"conv1": conv(cin, cout, 3), "bn1": norm(cout), "conv2": conv(cout, cout, 3)}
        p["bn2"] = norm(cout)
        if stride != 1 or cin != cout:  # the stride-2 blocks: block_apply reads the stride off it
            p["down"], p["down_bn"] = conv(cin, cout, 1), norm(cout)
        return p

    chans = [(64, 64, 1), (64, 128, 2), (128, 256, 2), (256, 512, 2)]
    params = {
        "conv1": conv(3, 64, 7),
        "bn1": norm(64),
        "blocks": [blk for a, b, s in chans for blk in (block(a, b, s), block(b, b, 1))],
        "fc": _dense(next(keys), 512, classes),
    }

    def conv_apply(w, x, stride, pad):
        return jax.lax.conv_general_dilated(
            x, w, (stride, stride), [(pad, pad)] * 2, dimension_numbers=("NHWC", "HWIO", "NHWC")
        )

    def bn(p, x):
        m = x.mean((0, 1, 2))
        v = jnp.maximum(jnp.square(x).mean((0, 1, 2)) - jnp.square(m), 0)  # as flax's BatchNorm
        return (x - m) * jax.lax.rsqrt(v + 1e-5) * p["g"] + p["b"]

    def block_apply(p, x):
        stride = 2 if "down" in p else 1
        identity = bn(p["down_bn"], conv_apply(p["down"], x, stride, 0)) if "down" in p else x
        out = jax.nn.relu(bn(p["bn1"], conv_apply(p["conv1"], x, stride, 1)))
        return jax.nn.relu(bn(p["bn2"], conv_apply(p["conv2"], out, 1, 1)) + identity)

    def apply(p, x):
        x = jax.nn.relu(bn(p["bn1"], conv_apply(p["conv1"], x, 2, 3)))
        pads = ((0, 0), (1, 1), (1, 1), (0, 0))
        x = jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 3, 3, 1), (1, 2, 2, 1), pads)
        for bp in p["blocks"]:
            x = block_apply(bp, x)
        return _linear(p["fc"], x.mean((1, 2)))

    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 3, size, size)).astype(np.float32).transpose(0, 2, 3, 1)
    y = rng.integers(0, classes, batch).astype(np.int32)
    return params, apply, _xent, optax.sgd(0.1, momentum=0.9), np.ascontiguousarray(x), y


LARGE = {"lstm_lm": lstm_lm, "transformer_lm": transformer_lm, "resnet18_b64": resnet18}
