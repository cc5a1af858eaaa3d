"""torch.profiler: ``profile``, ``record_function``, ``schedule``, ``tensorboard_trace_handler``.

Built on ``torchlike.autograd.profiler``, whose docstring says what the recorded times measure
(recording ops into the lazy graph, and the flushes that compile and run it).
"""

from ..autograd.profiler import kineto_available, record_function
from ..autograd.profiler_util import DeviceType
from .profiler import (
    ProfilerAction,
    ProfilerActivity,
    _KinetoProfile,
    profile,
    schedule,
    supported_activities,
    tensorboard_trace_handler,
)

__all__ = [
    "profile", "schedule", "supported_activities", "tensorboard_trace_handler", "ProfilerAction",
    "ProfilerActivity", "kineto_available", "DeviceType", "record_function", "_KinetoProfile",
]
