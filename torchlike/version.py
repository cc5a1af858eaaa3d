"""``torch.version``: the build description (torchlike's version; no CUDA/ROCm/XPU build)."""

from __future__ import annotations

from . import __version__

__all__ = ["__version__", "cuda", "debug", "git_version", "hip", "rocm", "xpu"]

debug = False
cuda = None  # torchlike runs on the GPU through JAX, not a CUDA build of its own
hip = None
rocm = None
xpu = None
git_version = "Unknown"
