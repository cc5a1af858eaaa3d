"""torch.manual_seed / Generator. A generator is (seed, counter): each random op takes the next
counter value, and both enter the program as inputs (no recompiles). Streams differ from
PyTorch's; distributions match."""

from __future__ import annotations

import os

from ._context import state

_DEFAULT_SEED = 67280421310721


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self._seed = _DEFAULT_SEED
        self._counter = 0

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    def manual_seed(self, seed):
        self._seed = int(seed) & 0xFFFFFFFFFFFFFFFF
        self._counter = 0
        return self

    def seed(self):
        s = int.from_bytes(os.urandom(8), "little") >> 11
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        import numpy as np

        from . import _creation

        raw = np.array([self._seed, self._counter], dtype=np.uint64).view(np.uint8).copy()
        return _creation.from_numpy(raw)

    def set_state(self, new_state):
        import numpy as np

        self._seed, self._counter = (int(v) for v in np.asarray(new_state.numpy(), np.uint8).view(np.uint64))
        return self

    def _next(self):
        c = self._counter
        self._counter = c + 1
        return self._seed, c


class _DefaultGenerator(Generator):
    """The global generator; its state lives in the thread-local context."""

    def __init__(self):
        self.device = "cpu"

    @property
    def _seed(self):
        return state.seed

    @_seed.setter
    def _seed(self, v):
        state.seed = v

    @property
    def _counter(self):
        return state.rng_counter

    @_counter.setter
    def _counter(self, v):
        state.rng_counter = v


default_generator = _DefaultGenerator()


def next_key(generator=None):
    """(seed, counter) for one random op."""
    g = generator if generator is not None else default_generator
    seed, counter = g._next()
    if state.capture is not None:  # torchlike.compile is recording a step: the counter is a step input
        counter = state.capture.counter(g, counter)
    return seed, counter


def manual_seed(seed):
    seed = int(seed)
    if not -0x8000_0000_0000_0000 <= seed <= 0xFFFF_FFFF_FFFF_FFFF:
        raise RuntimeError("Overflow when unpacking long")
    default_generator.manual_seed(seed)
    return default_generator


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def _next_seed(generator=None) -> int:
    """An integer seed for host-side randomness (DataLoader shuffling, random_split)."""
    s, c = next_key(generator)
    return (s * 1_000_003 + c) & 0xFFFFFFFFFFFF


def fork_rng(devices=None, enabled=True, **kwargs):
    import contextlib

    @contextlib.contextmanager
    def cm():
        saved = (state.seed, state.rng_counter)
        try:
            yield
        finally:
            if enabled:
                state.seed, state.rng_counter = saved

    return cm()
