"""Random kernels. The key enters each program as inputs (seed, counter), never as a constant,
so drawing new numbers never recompiles. Streams differ from PyTorch's; distributions match."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .registry import op


def _key(seed, counter):
    # seeds beyond 2**53 arrive as Python ints (constants); the others as int64 program inputs
    seed = jnp.asarray(seed, jnp.uint64) if isinstance(seed, int) else seed.astype(jnp.uint64)
    # XLA's RngBitGenerator ('rbg') compiles 5-10x faster than threefry on XLA:CPU (measured:
    # ~1.4 s against ~7-13 s for one normal draw, loaded 2-core machine); streams differ, not laws
    return jax.random.fold_in(jax.random.key(seed, impl="rbg"), jnp.asarray(counter).astype(jnp.uint32))


def _float(dtype):
    return dtype.np if dtype.is_floating_point else jnp.float32


@op("uniform_k", function=False, differentiable=False)
def uniform_k(seed, counter, low, high, *, size, dtype):
    u = jax.random.uniform(_key(seed, counter), size, _float(dtype) if dtype.name != "bfloat16" else jnp.float32)
    return (low + u * (high - low)).astype(dtype.np)


@op("normal_k", function=False, differentiable=False)
def normal_k(seed, counter, mean, std, *, size, dtype):
    z = jax.random.normal(_key(seed, counter), size, jnp.float32 if dtype.name in ("bfloat16", "float16") else dtype.np)
    return (mean + z * std).astype(dtype.np)


@op("normal_tensor_k", function=False, differentiable=False)
def normal_tensor_k(seed, counter, mean, std, *, size, dtype):
    z = jax.random.normal(_key(seed, counter), size, dtype.np)
    return mean + z * std


@op("randint_k", function=False, differentiable=False)
def randint_k(seed, counter, low, high, *, size, dtype):
    r = jax.random.randint(_key(seed, counter), size, low, high, jnp.int64)
    return r.astype(dtype.np)


@op("randperm_k", function=False, differentiable=False)
def randperm_k(seed, counter, *, n, dtype):
    return jax.random.permutation(_key(seed, counter), n).astype(dtype.np)


@op("bernoulli_k", function=False, differentiable=False)
def bernoulli_k(seed, counter, p, *, size, dtype):
    u = jax.random.uniform(_key(seed, counter), size, jnp.float32 if not hasattr(p, "dtype") or p.dtype != jnp.float64 else jnp.float64)
    return (u < p).astype(dtype.np)


@op("exponential_k", function=False, differentiable=False)
def exponential_k(seed, counter, lambd, *, size, dtype):
    return (jax.random.exponential(_key(seed, counter), size, dtype.np) / lambd).astype(dtype.np)


@op("multinomial_k", function=False, differentiable=False)
def multinomial_k(seed, counter, probs, *, num_samples, replacement):
    key = _key(seed, counter)
    logits = jnp.log(probs.astype(jnp.float32))
    if replacement:
        shape = (num_samples,) + probs.shape[:-1]
        out = jax.random.categorical(key, logits, axis=-1, shape=shape)
        return jnp.moveaxis(out, 0, -1).astype(jnp.int64)
    g = jax.random.gumbel(key, probs.shape, jnp.float32)
    _, idx = jax.lax.top_k(logits + g, num_samples)
    return idx.astype(jnp.int64)


@op("dropout_mask_k", function=False, differentiable=False)
def dropout_mask_k(seed, counter, p, *, size, dtype):
    keep = jax.random.uniform(_key(seed, counter), size, jnp.float32) >= p
    return keep.astype(dtype.np) / (1 - p).astype(dtype.np)


@op("_standard_gamma", function=False, grad_name="StandardGammaBackward0")
def _standard_gamma(seed, counter, alpha):
    # differentiable in alpha: jax.random.gamma carries the implicit reparameterisation gradient,
    # which is what torch._standard_gamma's backward computes
    return jax.random.gamma(_key(seed, counter), alpha, alpha.shape, alpha.dtype)


@jax.custom_vjp
def _gamma_drawn(alpha, sample):
    return sample


def _gamma_drawn_fwd(alpha, sample):
    return sample, (alpha, sample)


def _gamma_drawn_bwd(res, g):
    alpha, sample = res
    return g * jax.lax.random_gamma_grad(alpha, sample), jnp.zeros_like(sample)


_gamma_drawn.defvjp(_gamma_drawn_fwd, _gamma_drawn_bwd)


@op("_standard_gamma_drawn", function=False, grad_name="StandardGammaBackward0")
def standard_gamma_drawn(alpha, sample):
    """Gamma(alpha, 1) draws made on the host (PyTorch's CPU stream), with the implicit
    reparameterisation gradient in alpha."""
    return _gamma_drawn(alpha, sample.astype(alpha.dtype))


@op("poisson_k", function=False, differentiable=False)
def poisson_k(seed, counter, rate):
    # jax.random.poisson needs a threefry key (it splits internally in a loop)
    seed = jnp.asarray(seed, jnp.uint64) if isinstance(seed, int) else seed.astype(jnp.uint64)
    key = jax.random.fold_in(jax.random.key(seed, impl="threefry2x32"), jnp.asarray(counter).astype(jnp.uint32))
    return jax.random.poisson(key, rate, rate.shape).astype(rate.dtype)
