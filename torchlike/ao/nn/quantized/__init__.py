"""``torch.ao.nn.quantized``: here only its ``dynamic`` modules (static quantized modules, which
take quantized tensors, are not provided)."""

from . import dynamic

__all__ = ["dynamic"]
