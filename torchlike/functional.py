"""``torch.functional``: the module where PyTorch writes some torch functions in Python; here the
same names, the torch namespace's own functions."""

from __future__ import annotations

_NAMES = (
    "atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_shapes", "broadcast_tensors",
    "cartesian_prod", "cdist", "chain_matmul", "einsum", "istft", "lu", "meshgrid", "norm",
    "split", "stft", "tensordot", "unique", "unique_consecutive", "unravel_index",
)


def __getattr__(name):
    if name in _NAMES:
        import torchlike

        return getattr(torchlike, name)
    raise AttributeError(f"module 'torch.functional' has no attribute '{name}'")


def __dir__():
    return sorted(_NAMES)
