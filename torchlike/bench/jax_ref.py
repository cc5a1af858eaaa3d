"""Hand-written JAX references (jax.jit step with buffer donation, optax), same models as cases.py;
the large cases are in jax_ref_large.py."""

from __future__ import annotations

import numpy as np


def _dense(key, fan_in, fan_out):
    import jax

    bound = 1 / np.sqrt(fan_in)
    k1, k2 = jax.random.split(key)
    return {
        "w": jax.random.uniform(k1, (fan_in, fan_out), minval=-bound, maxval=bound),
        "b": jax.random.uniform(k2, (fan_out,), minval=-bound, maxval=bound),
    }


def _conv(key, cin, cout, k):
    import jax

    bound = 1 / np.sqrt(cin * k * k)
    k1, k2 = jax.random.split(key)
    return {
        "w": jax.random.uniform(k1, (k, k, cin, cout), minval=-bound, maxval=bound),
        "b": jax.random.uniform(k2, (cout,), minval=-bound, maxval=bound),
    }


def _conv_apply(p, x, padding):
    import jax

    y = jax.lax.conv_general_dilated(
        x, p["w"], (1, 1), padding, dimension_numbers=("NHWC", "HWIO", "NHWC")
    )
    return y + p["b"]


def _pool(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def _xent(logits, y):
    import jax
    import jax.numpy as jnp

    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))


def build(name):
    """(params, apply(params, x) -> logits/outputs, loss(out, y), optax optimizer, x, y) or None."""
    import jax
    import jax.numpy as jnp
    import optax

    key = jax.random.key(0)
    ks = jax.random.split(key, 16)
    rng = np.random.default_rng(0)
    if name in ("mlp_sgd", "mlp_adam"):
        params = [_dense(ks[0], 784, 128), _dense(ks[1], 128, 10)]

        def apply(p, x):
            h = jax.nn.relu(x @ p[0]["w"] + p[0]["b"])
            return h @ p[1]["w"] + p[1]["b"]

        opt = optax.sgd(0.01) if name == "mlp_sgd" else optax.adam(1e-3)
        x = rng.standard_normal((64, 784)).astype(np.float32)
        y = rng.integers(0, 10, 64).astype(np.int32)
        return params, apply, _xent, opt, x, y
    if name == "autoencoder_b256":
        dims = [784, 128, 64, 12, 3, 12, 64, 128, 784]
        params = [_dense(ks[i], a, b) for i, (a, b) in enumerate(zip(dims[:-1], dims[1:]))]

        def apply(p, x):
            for i, layer in enumerate(p):
                x = x @ layer["w"] + layer["b"]
                if i not in (3, len(p) - 1):
                    x = jax.nn.relu(x)
            return jnp.tanh(x)

        x = rng.standard_normal((256, 784)).astype(np.float32)
        return params, apply, lambda o, y: jnp.mean((o - y) ** 2), optax.adam(1e-3), x, x
    if name.startswith("lenet"):
        batch = 4 if name == "lenet_b4" else 256
        params = [
            _conv(ks[0], 3, 6, 5),
            _conv(ks[1], 6, 16, 5),
            _dense(ks[2], 400, 120),
            _dense(ks[3], 120, 84),
            _dense(ks[4], 84, 10),
        ]

        def apply(p, x):
            x = _pool(jax.nn.relu(_conv_apply(p[0], x, "VALID")))
            x = _pool(jax.nn.relu(_conv_apply(p[1], x, "VALID")))
            x = x.reshape(x.shape[0], -1)
            x = jax.nn.relu(x @ p[2]["w"] + p[2]["b"])
            x = jax.nn.relu(x @ p[3]["w"] + p[3]["b"])
            return x @ p[4]["w"] + p[4]["b"]

        x = rng.standard_normal((batch, 32, 32, 3)).astype(np.float32)
        y = rng.integers(0, 10, batch).astype(np.int32)
        return params, apply, _xent, optax.sgd(0.001, momentum=0.9), x, y
    if name == "simplecnn_b128":
        params = [
            _conv(ks[0], 3, 32, 3),
            _conv(ks[1], 32, 64, 3),
            _dense(ks[2], 4096, 128),
            _dense(ks[3], 128, 10),
        ]

        def apply(p, x):
            x = _pool(jax.nn.relu(_conv_apply(p[0], x, "SAME")))
            x = _pool(jax.nn.relu(_conv_apply(p[1], x, "SAME")))
            x = x.reshape(x.shape[0], -1)
            x = jax.nn.relu(x @ p[2]["w"] + p[2]["b"])
            return x @ p[3]["w"] + p[3]["b"]

        x = rng.standard_normal((128, 32, 32, 3)).astype(np.float32)
        y = rng.integers(0, 10, 128).astype(np.int32)
        return params, apply, _xent, optax.sgd(0.01), x, y
    from .jax_ref_large import LARGE

    return LARGE[name]() if name in LARGE else None


def make_step(params, apply, loss_fn, opt):
    import jax
    import optax

    @jax.jit
    def step(params, state, x, y):
        loss, g = jax.value_and_grad(lambda p: loss_fn(apply(p, x), y))(params)
        upd, state = opt.update(g, state, params)
        return optax.apply_updates(params, upd), state, loss

    step = jax.jit(
        step.__wrapped__ if hasattr(step, "__wrapped__") else step, donate_argnums=(0, 1)
    )
    return step
