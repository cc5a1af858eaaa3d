"""Fractional max pooling (Graham, 2014), 2d and 3d from one N-d kernel.

The pseudo-random window offsets come from ``_random_samples`` (N, C, nd) in [0, 1): PyTorch draws
them with ``torch.rand`` from the global generator, and torchlike's ``rand`` reproduces PyTorch's
CPU stream, so the same seed gives the same windows. Window starts follow ATen's
``generate_intervals``, computed in the input's dtype as ATen computes them.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from ..._creation import rand
from ..._ops.registry import op

__all__ = [
    "fractional_max_pool2d", "fractional_max_pool3d", "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d_with_indices",
]  # fmt: skip

# which column of a plane's samples drives each spatial axis (ATen: W, H for 2d; T, H, W for 3d)
_SAMPLE_COLUMN = {2: (1, 0), 3: (0, 1, 2)}
_AXIS_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _starts(sample, size, out, pool):
    """ATen's ``generate_intervals``: ``int((i + u) * alpha) - int(u * alpha)``, the last window
    flush with the end. ``sample`` is (N, C); the result is (N, C, out) int32."""
    dt = sample.dtype
    last = jnp.full(sample.shape + (min(out, 1),), size - pool, jnp.int32)
    if out <= 1:
        return last
    alpha = jnp.asarray(size - pool, dt) / jnp.asarray(out - 1, dt)
    i = jnp.arange(out - 1, dtype=dt)
    u = sample[..., None]
    seq = ((i + u) * alpha).astype(jnp.int32) - (u * alpha).astype(jnp.int32)
    return jnp.concatenate([seq, last], axis=-1)


def _check(x, samples, nd, kernel_size, output_size):
    name = f"fractional_max_pool{nd}d"
    where = name + ("()" if nd == 2 else "_out()")
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"{where}: Expected {nd + 1}D or {nd + 2}D tensor, but got: [{', '.join(map(str, x.shape))}]"
        )
    for i in range(1, x.ndim):
        if x.shape[i] == 0:
            raise RuntimeError(
                f"{where}: Expected input to have non-zero size for non-batch dimensions, but got"
                f"[{', '.join(map(str, x.shape))}] with dimension {i} being empty."
            )
    spatial = x.shape[x.ndim - nd :]
    for axis, size, out, pool in zip(_AXIS_NAMES[nd], spatial, output_size, kernel_size):
        # ATen allows the last window to end at the input's end in 2d, one short of it in 3d
        if out + pool - 1 > size - (nd == 3):
            raise RuntimeError(f"{where}: pool {axis} {pool} too large relative to input {axis} {size}")
    if samples.ndim != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.ndim}")
    if samples.dtype != x.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    batch = x.shape[0] if x.ndim == nd + 2 else 1
    if samples.shape[0] < batch:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.shape[1] != x.shape[x.ndim - nd - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != nd:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {nd}; got {samples.shape[2]}.")


def _node_name(args, attrs):
    return f"FractionalMaxPool{len(dict(attrs)['kernel_size'])}DBackward0"


@op("fractional_max_pool", function=False, grad_name="FractionalMaxPool2DBackward0", grad_name_of=_node_name)
def _fractional_max_pool(input, random_samples, *, kernel_size, output_size):  # noqa: A002
    nd = len(kernel_size)
    _check(input, random_samples, nd, kernel_size, output_size)
    unbatched = input.ndim == nd + 1
    x = input[None] if unbatched else input
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    samples = random_samples[:n]
    flat = x.reshape(n, c, -1)
    # the flat in-plane index of every element of every window: (N, C, *out, *kernel)
    lin = jnp.zeros((n, c) + (1,) * (2 * nd), jnp.int64)
    for i in range(nd):
        start = _starts(samples[:, :, _SAMPLE_COLUMN[nd][i]], spatial[i], output_size[i], kernel_size[i])
        pos = start.astype(jnp.int64)[..., None] + jnp.arange(kernel_size[i], dtype=jnp.int64)
        shape = [n, c] + [1] * (2 * nd)
        shape[2 + i], shape[2 + nd + i] = output_size[i], kernel_size[i]
        stride = int(np.prod(spatial[i + 1 :], dtype=np.int64))
        lin = lin + pos.reshape(shape) * stride
    k = int(np.prod(kernel_size))
    lin = jnp.broadcast_to(lin, (n, c, *output_size, *kernel_size)).reshape(n, c, -1, k)
    vals = jnp.take_along_axis(flat, lin.reshape(n, c, -1), axis=2).reshape(lin.shape)
    # ATen keeps the first maximum, except that a NaN always replaces the running maximum
    nan = jnp.isnan(vals)
    arg = jnp.where(
        jnp.any(nan, axis=-1), k - 1 - jnp.argmax(nan[..., ::-1], axis=-1), jnp.argmax(vals, axis=-1)
    )
    index = jnp.take_along_axis(lin, arg[..., None], axis=-1)[..., 0]
    out = jnp.take_along_axis(flat, index, axis=2).reshape(n, c, *output_size)
    index = index.reshape(n, c, *output_size)
    if unbatched:
        return out[0], index[0]
    return out, index


def _sizes(nd, input, kernel_size, output_size, output_ratio):  # noqa: A002
    name = f"fractional_max_pool{nd}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if nd == 2 and len(output_ratio) > 2:  # (as PyTorch: a bare number has no len() here)
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple of Ints.")
        ratio = tuple(output_ratio) if isinstance(output_ratio, (list, tuple)) else (output_ratio,) * nd
        output_size = [int(input.size(i - nd) * ratio[i]) for i in range(nd)]
    words = "tuple of Ints" if nd == 2 else "tuple of three Ints"
    kernel_size = _ints(kernel_size, nd, f"{name}: kernel_size must either be a single Int or {words}")
    output_size = _ints(output_size, nd, f"{name}: output_size must either be a single Int or {words}")
    return kernel_size, output_size


def _ints(v, nd, message):
    v = tuple(int(a) for a in v) if isinstance(v, (list, tuple)) else (int(v),) * nd
    if len(v) == 1:
        v = v * nd
    if len(v) != nd:
        raise RuntimeError(message)
    return v


def _fractional_max_pool_nd(nd, input, kernel_size, output_size, output_ratio, _random_samples):  # noqa: A002
    kernel_size, output_size = _sizes(nd, input, kernel_size, output_size, output_ratio)
    if _random_samples is None:
        n_batch = 1 if input.dim() == nd + 1 else input.size(0)
        _random_samples = rand(n_batch, input.size(-nd - 1), nd, dtype=input.dtype, device=input.device)
    return _fractional_max_pool.frontend(
        input, _random_samples, kernel_size=kernel_size, output_size=output_size
    )


def fractional_max_pool2d_with_indices(
    input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None  # noqa: A002
):
    return _fractional_max_pool_nd(2, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d_with_indices(
    input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None  # noqa: A002
):
    return _fractional_max_pool_nd(3, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(
    input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None  # noqa: A002
):
    out = fractional_max_pool2d_with_indices(input, kernel_size, output_size, output_ratio, True, _random_samples)
    return out if return_indices else out[0]


def fractional_max_pool3d(
    input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None  # noqa: A002
):
    out = fractional_max_pool3d_with_indices(input, kernel_size, output_size, output_ratio, True, _random_samples)
    return out if return_indices else out[0]
