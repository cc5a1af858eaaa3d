"""nn.parallel: DataParallel (local devices, one SPMD program) and DistributedDataParallel."""

from .data_parallel import DataParallel  # noqa: F401
from .distributed import DistributedDataParallel  # noqa: F401
