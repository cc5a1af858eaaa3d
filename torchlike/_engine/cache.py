"""Structural hash of a graph -> compiled program."""

from __future__ import annotations

import os

import jax


class ProgramCache:
    """Maps a graph's structural key to its jitted program (or another per-graph result). Bounded;
    oldest entries evicted."""

    def __init__(self, limit: int = 1024):
        self.limit = limit
        self.programs = {}

    def get(self, key):
        return self.programs.get(key)

    def put(self, key, program):
        if len(self.programs) >= self.limit:
            self.programs.pop(next(iter(self.programs)))
        self.programs[key] = program


programs = ProgramCache()


def enable_persistent_cache() -> None:
    """Turn on JAX's persistent compilation cache in a user cache directory (unless configured)."""
    if os.environ.get("TORCHLIKE_NO_PERSISTENT_CACHE"):
        return
    if jax.config.jax_compilation_cache_dir:
        return
    root = os.environ.get("TORCHLIKE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "torchlike", "xla"
    )
    try:
        os.makedirs(root, exist_ok=True)
    except OSError:
        return
    jax.config.update("jax_compilation_cache_dir", root)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
