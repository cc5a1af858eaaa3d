"""torch.backends.cuda: ``matmul.allow_tf32`` and friends, accepted for compatibility."""

import types

matmul = types.SimpleNamespace(
    allow_tf32=False,
    allow_fp16_reduced_precision_reduction=True,
    allow_bf16_reduced_precision_reduction=True,
)


def is_built() -> bool:
    from ..cuda import is_available

    return is_available()
