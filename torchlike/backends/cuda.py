"""torch.backends.cuda: ``matmul.allow_tf32`` mapped onto JAX's matmul precision."""

import jax

from .._context import state


def set_matmul_precision(reduced: bool) -> None:
    """TF32 allowed -> jax.lax.Precision.DEFAULT (XLA may use TF32/bf16 passes on GPU); otherwise
    full fp32 (torch's default)."""
    state.matmul_precision = jax.lax.Precision.DEFAULT if reduced else None


class _Matmul:
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True

    @property
    def allow_tf32(self) -> bool:
        return state.matmul_precision is not None

    @allow_tf32.setter
    def allow_tf32(self, value: bool) -> None:
        set_matmul_precision(bool(value))


matmul = _Matmul()


def is_built() -> bool:
    from ..cuda import is_available

    return is_available()
