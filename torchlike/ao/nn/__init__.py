from . import quantized

__all__ = ["quantized"]
