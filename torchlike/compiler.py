"""torch.compiler: the controls of torchlike.compile (see torchlike/_runtime.py and _engine/replay.py)."""

from __future__ import annotations

from ._runtime import compiled_functions


def reset() -> None:
    """Forget every recorded step (each compiled function records again on its next calls)."""
    for f in list(compiled_functions):
        f._entries.clear()


def disable(fn=None, recursive=True):
    """A function is never recorded under torchlike.compile (it runs plainly)."""
    if fn is None:
        return lambda f: disable(f, recursive)
    return fn


def is_compiling() -> bool:
    return False


is_dynamo_compiling = is_compiling


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn
