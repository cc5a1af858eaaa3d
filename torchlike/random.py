"""torch.manual_seed / Generator.

A generator carries two streams from one seed. Random tensors made on the CPU outside recordings
come from PyTorch's own mt19937 generator replayed on the host (``_random_host``), so seeded
scripts draw PyTorch's numbers. Random ops in recorded steps (``torchlike.compile``), under JAX
transformations, on accelerators and inside programs (dropout) use (seed, counter) jax.random
keys: each such op takes the next counter value, and both enter the program as inputs (no
recompiles); those streams differ from PyTorch's, distributions match."""

from __future__ import annotations

import os

from ._context import state
from ._random_host import MTState

_DEFAULT_SEED = 67280421310721
_M64 = 0xFFFF_FFFF_FFFF_FFFF


def _seed_value(seed) -> int:
    """A seed as torch's ``manual_seed`` reads it: a uint64, or an int64 taken as its bits."""
    seed = int(seed)
    if not -0x8000_0000_0000_0000 <= seed <= _M64:
        raise RuntimeError("Overflow when unpacking long")
    return seed & _M64


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self._seed = _DEFAULT_SEED
        self._counter = 0
        self._mt = None

    @property
    def _host(self) -> MTState:
        """The mt19937 state of host draws (made on first use)."""
        if self._mt is None:
            self._mt = MTState(self._seed)
        return self._mt

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    def manual_seed(self, seed):
        self._seed = _seed_value(seed)
        self._counter = 0
        self._host.manual_seed(self._seed)
        return self

    def seed(self):
        s = int.from_bytes(os.urandom(8), "little") >> 11
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """PyTorch's 5056-byte CPU generator state; the counter of in-graph draws rides in a field
        PyTorch writes as 0 and ignores (``normal_x``)."""
        import numpy as np

        from . import _creation

        raw = bytearray(self._host.to_bytes())
        raw[_COUNTER_AT : _COUNTER_AT + 8] = np.float64(self._counter).tobytes()
        return _creation.from_numpy(np.frombuffer(bytes(raw), np.uint8).copy())

    def set_state(self, new_state):
        import numpy as np

        values = np.asarray(new_state.numpy())
        if values.dtype != np.uint8:
            raise TypeError(f"expected a torch.ByteTensor, but got {new_state.type()}")
        raw = np.ascontiguousarray(values).tobytes()
        self._host.load_bytes(raw)
        self._seed = self._host.seed
        self._counter = int(np.frombuffer(raw, np.float64, 1, _COUNTER_AT)[0])
        return self

    def _next(self):
        c = self._counter
        self._counter = c + 1
        return self._seed, c


_COUNTER_AT = 24 + 8 * 624  # CPUGeneratorImplState.legacy_pod.normal_x


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

    @property
    def _mt(self):
        return state.cpu_rng

    @_mt.setter
    def _mt(self, v):
        state.cpu_rng = v


default_generator = _DefaultGenerator()


def next_key(generator=None):
    """(seed, counter) for one random op."""
    g = generator if generator is not None else default_generator
    seed, counter = g._next()
    if (
        state.capture is not None
    ):  # torchlike.compile is recording a step: the counter is a step input
        counter = state.capture.counter(g, counter)
    return seed, counter


def host_rng(generator=None, device=None) -> MTState | None:
    """The mt19937 state a random op producing a tensor on ``device`` draws from on the host, or
    None where the jax-key path applies: while ``torchlike.compile`` records a step (replays run
    no Python), under JAX transformations, on accelerators, and everywhere with TORCHLIKE_RNG=jax."""
    if state.capture is not None or state.direct or not state.pytorch_streams:
        return None
    if device is not None and getattr(device, "type", device) != "cpu":
        return None
    g = generator if generator is not None else default_generator
    if str(g.device).split(":")[0] != "cpu":
        return None
    return g._host


def manual_seed(seed):
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
        saved = (state.seed, state.rng_counter, default_generator._host.copy())
        try:
            yield
        finally:
            if enabled:
                state.seed, state.rng_counter, state.cpu_rng = saved

    return cm()
