"""torch.multiprocessing: Python's multiprocessing, plus ``spawn`` with PyTorch's error semantics.

Children are started with the 'spawn' method by ``spawn`` (JAX is not fork-safe once initialised).
An exception in a child is re-raised in the parent as ``ProcessRaisedException`` carrying the
child's traceback; a child killed by a signal raises ``ProcessExitedException``.
"""

from __future__ import annotations

import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403

from .spawn import (  # noqa: F401
    ProcessContext,
    ProcessExitedException,
    ProcessRaisedException,
    SpawnContext,
    spawn,
    start_processes,
)

_sharing_strategy = "file_system"


def get_all_sharing_strategies():
    return {"file_system", "file_descriptor"}


def get_sharing_strategy():
    return _sharing_strategy


def set_sharing_strategy(strategy):
    global _sharing_strategy
    _sharing_strategy = strategy


def get_context(method=None):
    return _mp.get_context(method)


def set_start_method(method, force=False):
    _mp.set_start_method(method, force=force)
