"""set_detect_anomaly / detect_anomaly: check values for NaN/Inf op by op (eager) and name the op."""

from __future__ import annotations

from .._context import state


class set_detect_anomaly:
    def __init__(self, mode: bool, check_nan: bool = True):
        self.prev = state.anomaly
        state.anomaly = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        state.anomaly = self.prev


class detect_anomaly(set_detect_anomaly):
    def __init__(self, check_nan: bool = True):
        self.prev = state.anomaly
        self.check_nan = check_nan

    def __enter__(self):
        state.anomaly = True
        return self


def is_anomaly_enabled() -> bool:
    return state.anomaly
