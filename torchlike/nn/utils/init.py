"""skip_init: build a module without running its parameter initialisation."""

from __future__ import annotations

import inspect

from ... import random as _random
from ..modules.module import Module


def skip_init(module_cls, *args, **kwargs):
    """Instantiate ``module_cls(*args, **kwargs)`` with unspecified parameter and buffer values.

    PyTorch builds the module on the meta device and then allocates empty storage, so no
    initialiser runs and the global generator is untouched. torchlike has no meta device: the
    module is built on its device and the global generator's state is restored afterwards, so the
    random stream that follows is PyTorch's (the values left in the parameters are unspecified in
    both)."""
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    rng = _random.get_rng_state()
    try:
        return module_cls(*args, **kwargs)
    finally:
        _random.set_rng_state(rng)
