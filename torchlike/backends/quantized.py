"""torch.backends.quantized: the quantized engine, as PyTorch reports it on an x86 CPU. The
engine only names whose arithmetic the dynamic quantized modules follow; torchlike always
computes fbgemm's (x86's) numbers."""

from __future__ import annotations

import sys
import types

_SUPPORTED = ["qnnpack", "onednn", "x86", "fbgemm"]


class QuantizedEngine(types.ModuleType):
    def __init__(self, m, name):
        super().__init__(name)
        self.m = m
        self._engine = "x86"

    def __getattr__(self, attr):
        return self.m.__getattribute__(attr)

    @property
    def engine(self) -> str:
        return self._engine

    @engine.setter
    def engine(self, value: str) -> None:
        if value not in _SUPPORTED and value != "none":
            raise RuntimeError(f"{value} is not a valid value for quantized engine")
        self._engine = value

    @property
    def supported_engines(self) -> list[str]:
        return list(_SUPPORTED)


sys.modules[__name__] = QuantizedEngine(sys.modules[__name__], __name__)
