"""``torch.cpu``: the CPU as an accelerator-style device module (one device, always available)."""

from __future__ import annotations

from contextlib import AbstractContextManager

__all__ = [
    "Event", "Stream", "StreamContext", "current_device", "current_stream", "device_count", "is_available",
    "is_initialized", "set_device", "stream", "synchronize",
]


def is_available() -> bool:
    return True


def is_initialized() -> bool:
    return True


def device_count() -> int:
    return 1


def current_device() -> str:
    return "cpu"


def set_device(device) -> None:
    """Accepted and ignored, as in PyTorch (there is one CPU device)."""


def synchronize(device=None) -> None:
    """Wait for all pending CPU work: pending lazy ops run and finish."""
    from ._engine.execute import sync

    sync()


class Stream:
    """The CPU has one stream; waiting on it is a no-op, as in PyTorch."""

    def __init__(self, priority: int = -1):
        pass

    def wait_stream(self, stream) -> None:
        pass

    def record_event(self):
        return Event()

    def wait_event(self, event) -> None:
        pass


class Event:
    def query(self) -> bool:
        return True

    def record(self, stream=None) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def wait(self, stream=None) -> None:
        pass


_current_stream = Stream()


def current_stream(device=None) -> Stream:
    return _current_stream


class StreamContext(AbstractContextManager):
    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        return None


def stream(stream) -> AbstractContextManager:
    return StreamContext(stream)

