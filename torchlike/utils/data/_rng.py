"""Seeds for the data pipeline's randomness (shuffling, sampling, worker seeds).

With torchlike's generators (the global one or a ``torchlike.Generator``) the draws are
PyTorch's: the same ``random_()`` seed draws and ``randperm``/``randint`` calls on the CPU
generator stream, so a seeded DataLoader shuffles, and ``random_split`` splits, as in PyTorch.
Other generators (a ``numpy.random.Generator``, a foreign generator object) and recorded steps
fall back to one integer seed feeding a ``numpy.random.Generator``: the same distributions, other
streams.
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


def _mt(generator=None):
    """The mt19937 stream of ``generator`` (None: the global generator), or None where there is
    none to replay (another kind of generator, a recorded step)."""
    tl = _torchlike_random()
    if tl is None or not (generator is None or isinstance(generator, tl.Generator)):
        return None
    return tl.host_rng(generator)


def _int64_seed(generator=None) -> int:
    """``torch.empty((), dtype=torch.int64).random_(generator=generator).item()``: how PyTorch's
    data pipeline draws a seed (RandomSampler's generator, the loader's base seed)."""
    from ..._random_host import random_full

    mt = _mt(generator)
    return int(random_full(mt, (), np.int64)) if mt is not None else _new_seed(generator)


def _seeded_generator(seed: int):
    """A fresh ``torch.Generator()`` seeded with ``seed``."""
    return _torchlike_random().Generator().manual_seed(seed)


def _randperm(n: int, generator=None) -> list[int]:
    """``torch.randperm(n, generator=generator).tolist()``."""
    from ..._random_host import randperm

    mt = _mt(generator)
    if mt is not None:
        return randperm(mt, n, np.int64).tolist()
    return _numpy_rng(generator).permutation(n).tolist()


def _randint(high: int, size: int, generator=None) -> list[int]:
    """``torch.randint(high=high, size=(size,), generator=generator).tolist()``."""
    from ..._random_host import random_from_to

    mt = _mt(generator)
    if mt is not None:
        return random_from_to(mt, (size,), np.int64, 0, high).tolist()
    return _numpy_rng(generator).integers(0, high, size=size).tolist()


def _multinomial(
    weights: np.ndarray, size: int, replacement: bool, generator=None
) -> list[int] | None:
    """``torch.multinomial(weights, size, replacement, generator=generator).tolist()`` on the
    generator's stream, or None where there is none to replay."""
    from ..._random_host import multinomial

    mt = _mt(generator)
    return None if mt is None else multinomial(mt, weights, size, replacement).tolist()
