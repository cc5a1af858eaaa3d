"""torch.nn: Module, layers, losses, functional, init."""

from . import functional, init, parallel, utils  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import __dict__ as _mods
from .parallel import DataParallel  # noqa: F401
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401

globals().update({k: v for k, v in _mods.items() if not k.startswith("_") and isinstance(v, type)})
