"""Kernels: one per torch op, pure JAX, grouped as PyTorch's docs group them."""

from . import (  # noqa: F401  (importing registers the ops)
    activation,
    creation,
    fft,
    floating,
    indexing,
    linalg,
    lu,
    other,
    pieces,
    pointwise,
    random,
    reduction,
    shape,
    sparse,
    special,
    views,
)
