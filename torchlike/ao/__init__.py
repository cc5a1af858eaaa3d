"""``torch.ao``: quantization (``torch.ao.quantization``, ``torch.ao.nn.quantized.dynamic``).
See ``torchlike/ao/README.md``."""

from . import nn, quantization

__all__ = ["nn", "quantization"]
