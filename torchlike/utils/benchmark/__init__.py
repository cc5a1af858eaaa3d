"""torch.utils.benchmark: ``Timer`` and the ``Measurement`` it returns (what tutorials time
their code with). Timing waits for torchlike's pending work (as PyTorch's Timer synchronises
CUDA), so a measurement covers the computation, not only its recording."""

from .utils.common import Measurement, TaskSpec, select_unit, trim_sigfig, unit_to_english
from .utils.compare import Colorize, Compare
from .utils.timer import Language, Timer

__all__ = [
    "Colorize",
    "Compare",
    "Language",
    "Measurement",
    "TaskSpec",
    "Timer",
    "select_unit",
    "trim_sigfig",
    "unit_to_english",
]
