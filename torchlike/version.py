"""``torch.version``: the build description (the PyTorch release torchlike follows; no CUDA/ROCm/XPU build)."""

from __future__ import annotations

from . import __version__ as _torch_version

__all__ = ["__version__", "cuda", "debug", "git_version", "hip", "rocm", "xpu"]

__version__ = str(_torch_version)  # (a plain str here, as in PyTorch)
torchlike_version = "0.1.0"  # this package's own release (pyproject.toml)

debug = False
cuda = None  # torchlike runs on the GPU through JAX, not a CUDA build of its own
hip = None
rocm = None
xpu = None
git_version = "Unknown"
