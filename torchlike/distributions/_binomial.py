"""torch.binomial(count, prob): Binomial draws. On the CPU generator these are ATen's draws
(``sample_binomial`` in ``ATen/native/Distributions.h``: BTRS rejection when the mean is 10 or
more, inversion by geometric jumps below), element after element in the parameters' precision, so
seeded samples equal PyTorch's; elsewhere ``jax.random.binomial``."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

import torchlike as torch

from .._ops.registry import op

__all__ = ["binomial"]

_TAIL = (
    0.0810614667953272,
    0.0413406959554092,
    0.0276779256849983,
    0.02079067210376509,
    0.0166446911898211,
    0.0138761288230707,
    0.0118967099458917,
    0.0104112652619720,
    0.00925546218271273,
    0.00833056343336287,
)


def _stirling_tail(k: float) -> float:
    """log k! minus its Stirling approximation."""
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _btrs(count, prob, S, uniform) -> float:
    """Hoermann's transformed rejection; ``S`` is the parameters' scalar type (float32 products
    round as ATen's ``scalar_t`` arithmetic does), the rest is in double."""
    stddev = float(np.sqrt(S(count * prob * (S(1) - prob))))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * float(prob)
    c = float(S(count * prob)) + 0.5
    v_r = 0.92 - 4.2 / b
    r = float(S(prob / (S(1) - prob)))
    alpha = (2.83 + 5.1 / b) * stddev
    m = float(np.floor(S((count + S(1)) * prob)))
    count_d = float(count)
    while True:
        U = uniform() - 0.5
        V = uniform()
        us = 0.5 - abs(U)
        k = float(S(math.floor((2 * a / us + b) * U + c)))
        if k < 0 or k > count_d:
            continue
        if us >= 0.07 and V <= v_r:
            return k
        V = math.log(V * alpha / (a / (us * us) + b))
        nmk = float(S(count - S(k)))
        upperbound = (
            (m + 0.5) * math.log((m + 1) / (r * (count_d - m + 1)))
            + float(S(count + S(1))) * math.log((count_d - m + 1) / float(S(nmk + 1)))
            + (k + 0.5) * math.log(r * float(S(nmk + 1)) / float(S(k + 1)))
            + _stirling_tail(m)
            + _stirling_tail(count_d - m)
            - _stirling_tail(k)
            - _stirling_tail(nmk)
        )
        if V <= upperbound:
            return k


def _inversion(count, prob, S, uniform) -> float:
    """Counts geometric jumps until they pass ``count``."""
    logprob = float(np.log1p(S(-prob)))
    geom_sum, num_geom = 0.0, 0.0
    count_d = float(count)
    while True:
        geom_sum += math.ceil(math.log(uniform()) / logprob)
        if geom_sum > count_d:
            return num_geom
        num_geom += 1


def _sample_host(mt, count: np.ndarray, prob: np.ndarray) -> np.ndarray:
    from .._random_host import _uniform_scalar

    S = np.float64 if count.dtype == np.float64 else np.float32

    def uniform():
        return _uniform_scalar(mt)

    out = np.empty(count.size, np.float64)
    flat_n, flat_p = count.astype(S).reshape(-1), prob.astype(S).reshape(-1)
    for i in range(count.size):
        n, p = flat_n[i], flat_p[i]
        if n <= 0.0 or p <= 0.0:
            out[i] = 0.0
        elif p >= 1.0:
            out[i] = n
        elif p <= 0.5:
            mean = S(n * p)
            out[i] = (_btrs if mean >= 10.0 else _inversion)(n, p, S, uniform)
        elif p > 0.5:
            q = S(1.0 - float(p))
            mean = S(n * q)
            out[i] = float(n) - (_btrs if mean >= 10.0 else _inversion)(n, q, S, uniform)
        else:
            out[i] = math.nan
    return out.astype(count.dtype).reshape(count.shape)


@op("binomial_k", function=False, differentiable=False)
def binomial_k(seed, counter, count, prob):
    key = jax.random.fold_in(
        jax.random.key(jnp.asarray(seed).astype(jnp.uint64), impl="threefry2x32"),
        jnp.asarray(counter).astype(jnp.uint32),
    )
    return jax.random.binomial(key, count, prob, count.shape).astype(count.dtype)


def binomial(count, prob, generator=None):
    """torch.binomial: one Binomial(count, prob) draw per element."""
    from ..random import host_rng, next_key

    count, prob = torch.broadcast_tensors(count, prob)
    mt = host_rng(generator, count.device)
    if mt is not None:  # PyTorch's CPU draws
        drawn = _sample_host(mt, count._host("binomial"), prob._host("binomial"))
        return torch.from_numpy(drawn)
    seed, counter = next_key(generator)
    return binomial_k.frontend(seed, counter, count, prob)
