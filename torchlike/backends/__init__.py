"""torch.backends: the switches scripts set (``torch.backends.cudnn.benchmark = True``).

XLA chooses algorithms itself, so these are accepted and remembered, not acted on."""

from . import cpu, cuda, cudnn, mkldnn, mps, openmp, quantized  # noqa: F401
