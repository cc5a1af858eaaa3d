"""``torch.ao.nn.quantized.dynamic``: modules with int8 weights whose inputs are quantized on
every call (what ``quantize_dynamic`` puts in a model)."""

from .modules import GRU, LSTM, Linear

__all__ = ["Linear", "LSTM", "GRU"]
