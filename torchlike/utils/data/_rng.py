"""Seeds for the data pipeline's randomness (shuffling, sampling, worker seeds).

Samplers draw one integer seed per epoch from a ``torchlike.Generator`` (or the
global RNG when none is given) and do the sampling itself with a
``numpy.random.Generator`` built from that seed. The distributions match
PyTorch's (a shuffle visits every index exactly once per epoch); the random
streams do not.
"""

from __future__ import annotations

import sys
import weakref

import numpy as np

_SEED_MASK = (1 << 63) - 1

# Draw counters for generators whose class offers no ``_next_seed`` hook:
# (initial_seed, draws so far), reset when the generator is re-seeded.
_draw_counts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _torchlike_random():
    return getattr(sys.modules.get("torchlike"), "random", None)


def _global_next_seed() -> int | None:
    next_seed = getattr(_torchlike_random(), "_next_seed", None)
    return int(next_seed()) & _SEED_MASK if callable(next_seed) else None


def _seed_from_generator(generator) -> int:
    if isinstance(generator, np.random.Generator):
        return int(generator.integers(0, _SEED_MASK, dtype=np.int64))
    hook = getattr(generator, "_next_seed", None)
    if callable(hook):
        return int(hook()) & _SEED_MASK
    core_next_seed = getattr(_torchlike_random(), "_next_seed", None)
    if callable(core_next_seed) and callable(getattr(generator, "_next", None)):
        return int(core_next_seed(generator)) & _SEED_MASK  # a torchlike.Generator
    initial = int(generator.initial_seed())
    try:
        seen_initial, count = _draw_counts.get(generator, (initial, 0))
        if seen_initial != initial:
            count = 0
        _draw_counts[generator] = (initial, count + 1)
    except TypeError:  # not weak-referenceable: a fixed stream per initial seed
        count = 0
    state = np.random.SeedSequence([initial & _SEED_MASK, count]).generate_state(2, np.uint64)
    return int(state[0]) & _SEED_MASK


def _new_seed(generator=None) -> int:
    """A fresh 63-bit seed drawn from ``generator`` (or torchlike's global RNG)."""
    if generator is not None:
        return _seed_from_generator(generator)
    seed = _global_next_seed()
    if seed is not None:
        return seed
    return int(np.random.SeedSequence().entropy) & _SEED_MASK


def _numpy_rng(generator=None) -> np.random.Generator:
    """A NumPy generator seeded by one draw from ``generator``."""
    return np.random.default_rng(_new_seed(generator))
