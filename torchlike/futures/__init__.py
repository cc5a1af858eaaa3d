"""torch.futures: Future, collect_all, wait_all (a thread-safe future, as PyTorch's RPC returns)."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

__all__ = ["Future", "collect_all", "wait_all"]


class Future:
    """A value that arrives later: ``set_result``/``set_exception`` complete it once; ``wait`` blocks
    until then; ``then`` chains a callback into a new Future."""

    def __init__(self, *, devices=None):
        self._cond = threading.Condition()
        self._done = False
        self._result: Any = None
        self._exception: BaseException | None = None
        self._callbacks: list = []

    def __repr__(self):
        return f"<torch.jit.Future object at {hex(id(self))}>"

    def done(self) -> bool:
        return self._done

    def wait(self) -> Any:
        with self._cond:
            while not self._done:
                self._cond.wait()
        if self._exception is not None:
            raise self._exception
        return self._result

    def value(self) -> Any:
        if not self._done:
            raise RuntimeError("completed() INTERNAL ASSERT FAILED: value() of a Future that is not completed")
        if self._exception is not None:
            raise self._exception
        return self._result

    def _complete(self, result, exception) -> None:
        with self._cond:
            if self._done:
                raise RuntimeError(
                    "Attempting to mark a completed Future as complete again. Note that a Future can only be "
                    "marked completed once."
                )
            self._result, self._exception, self._done = result, exception, True
            callbacks, self._callbacks = self._callbacks, []
            self._cond.notify_all()
        for cb in callbacks:
            cb(self)

    def set_result(self, result: Any) -> None:
        self._complete(result, None)

    def set_exception(self, result: BaseException) -> None:
        if not isinstance(result, BaseException):
            raise AssertionError(f"{result} is of type {type(result)}, not an Exception.")
        self._complete(None, result)

    def add_done_callback(self, callback: Callable[[Future], None]) -> None:
        with self._cond:
            if not self._done:
                self._callbacks.append(callback)
                return
        callback(self)

    def then(self, callback: Callable[[Future], Any]) -> Future:
        """A Future completed with ``callback(self)`` once this one completes (or with the error
        the callback raised)."""
        nxt = Future()

        def run(fut):
            try:
                value = callback(fut)
            except Exception as e:
                nxt.set_exception(RuntimeError(
                    f"Got the following error when running the callback: {type(e).__name__}: {e}\n\n"
                    + "".join(traceback.format_tb(e.__traceback__))
                ))
            else:
                nxt.set_result(value)

        self.add_done_callback(run)
        return nxt


def collect_all(futures: list) -> Future:
    """A Future completed with the list of ``futures`` once all of them are complete."""
    out = Future()
    futures = list(futures)
    remaining = [len(futures)]
    lock = threading.Lock()

    def one_done(_):
        with lock:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            out.set_result(futures)

    if not futures:
        out.set_result([])
    for f in futures:
        f.add_done_callback(one_done)
    return out


def wait_all(futures: list) -> list:
    """The values of ``futures``, waiting for each; the first error is raised."""
    return [f.wait() for f in collect_all(futures).wait()]
