"""torch.backends.cuda: ``matmul.allow_tf32`` mapped onto JAX's matmul precision; the
scaled_dot_product_attention backend switches."""

import contextlib
import enum
import warnings

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


# -- scaled_dot_product_attention backends ----------------------------------------------------------


class SDPBackend(enum.Enum):
    """The backends of ``scaled_dot_product_attention`` (torch's ``_SDPBackend``): flags only, as
    XLA chooses the attention kernel itself."""

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __int__(self) -> int:
        return self.value


SDPBackend.__module__ = "torchlike.nn.attention"


def enable_flash_sdp(enabled: bool) -> None:
    state.sdp_enabled["flash"] = bool(enabled)


def flash_sdp_enabled() -> bool:
    return state.sdp_enabled["flash"]


def enable_mem_efficient_sdp(enabled: bool) -> None:
    state.sdp_enabled["mem_efficient"] = bool(enabled)


def mem_efficient_sdp_enabled() -> bool:
    return state.sdp_enabled["mem_efficient"]


def enable_math_sdp(enabled: bool) -> None:
    state.sdp_enabled["math"] = bool(enabled)


def math_sdp_enabled() -> bool:
    return state.sdp_enabled["math"]


def enable_cudnn_sdp(enabled: bool) -> None:
    state.sdp_enabled["cudnn"] = bool(enabled)


def cudnn_sdp_enabled() -> bool:
    return state.sdp_enabled["cudnn"]


def allow_fp16_bf16_reduction_math_sdp(enabled: bool) -> None:
    state.sdp_fp16_bf16_reduction = bool(enabled)


def fp16_bf16_reduction_math_sdp_allowed() -> bool:
    return state.sdp_fp16_bf16_reduction


def is_flash_attention_available() -> bool:
    """PyTorch's CUDA FlashAttention build: not part of torchlike (XLA fuses attention itself)."""
    return False


@contextlib.contextmanager
def sdp_kernel(
    enable_flash: bool = True,
    enable_math: bool = True,
    enable_mem_efficient: bool = True,
    enable_cudnn: bool = True,
):
    warnings.warn(
        "`torch.backends.cuda.sdp_kernel()` is deprecated. In the future, this context manager will "
        "be removed. Please see `torch.nn.attention.sdpa_kernel()` for the new context manager, "
        "with updated signature.",
        FutureWarning,
        stacklevel=3,
    )
    from ..nn.attention import sdpa_kernel

    backends = [
        b
        for b, on in (
            (SDPBackend.FLASH_ATTENTION, enable_flash),
            (SDPBackend.EFFICIENT_ATTENTION, enable_mem_efficient),
            (SDPBackend.MATH, enable_math),
            (SDPBackend.CUDNN_ATTENTION, enable_cudnn),
        )
        if on
    ]
    with sdpa_kernel(backends) as context:
        yield context
