"""Host-side randomness for transforms.

Each random transform call draws one seed from torchlike's global generator
(``torchlike.random._next_seed``, plain Python: no device op) and samples with a NumPy
generator, so ``torch.manual_seed`` makes augmentation reproducible and DataLoader workers
never touch JAX. Inside a worker the worker's seed is mixed in, so workers forked from the
same parent state draw different streams.
"""

from __future__ import annotations

import math

import numpy as np

_MASK = (1 << 63) - 1


def generator() -> np.random.Generator:
    from ... import random as tl_random
    from ...utils.data import get_worker_info

    seed = tl_random._next_seed()
    info = get_worker_info()
    if info is not None:
        return np.random.default_rng(np.random.SeedSequence([seed, int(info.seed) & _MASK]))
    return np.random.default_rng(seed)


def uniform(g: np.random.Generator, low: float, high: float) -> float:
    return float(low + (high - low) * g.random())


def randint(g: np.random.Generator, low: int, high: int) -> int:
    """An integer in ``[low, high)`` (torch.randint's convention)."""
    return int(g.integers(low, high))


def log_uniform(g: np.random.Generator, low: float, high: float) -> float:
    return math.exp(uniform(g, math.log(low), math.log(high)))
