"""torch.nn.attention.bias: causal masks that scaled_dot_product_attention understands without
materialising them (``causal_upper_left``, ``causal_lower_right``)."""

from __future__ import annotations

import warnings
from enum import IntEnum, auto

from ... import _creation, _device, _dtype
from ..._tensor import Tensor

__all__ = ["causal_upper_left", "causal_lower_right", "CausalVariant", "CausalBias"]


class CausalVariant(IntEnum):
    """``UPPER_LEFT``: ``tril(ones(L, S))``; ``LOWER_RIGHT``: the same, aligned to the lower right
    corner (``diagonal=S - L``). They agree when L == S."""

    UPPER_LEFT = auto()
    LOWER_RIGHT = auto()


class CausalBias(Tensor):
    """A causal attention bias. Passed as ``attn_mask`` to ``scaled_dot_product_attention`` it
    becomes ``is_causal=True`` (upper left) or a lower-right boolean mask; it prints as that mask.

    As in PyTorch, the tensor itself is the legacy ``Tensor(variant, seq_len_q, seq_len_kv)`` whose
    values mean nothing."""

    def __init__(self, variant: CausalVariant, seq_len_q: int, seq_len_kv: int) -> None:
        if not isinstance(variant, CausalVariant):
            raise AssertionError(f"variant must be a CausalVariant, got {type(variant).__name__}")
        src = _creation.zeros(int(variant), seq_len_q, seq_len_kv)
        Tensor._init(self, src._value(), _dtype.float32, src._device)
        self.variant = variant
        self.seq_len_q = seq_len_q
        self.seq_len_kv = seq_len_kv
        if seq_len_q > seq_len_kv and variant == CausalVariant.LOWER_RIGHT:
            warnings.warn(
                "Lower right causal bias will produce NaNs in the output when seq_len_q > seq_len_kv!",
                stacklevel=2,
            )

    def _upper_left(self, device) -> Tensor:
        ones = _creation.ones(self.seq_len_q, self.seq_len_kv, device=device, dtype=_dtype.bool_)
        return ones.tril()

    def _lower_right(self, device) -> Tensor:
        ones = _creation.ones(self.seq_len_q, self.seq_len_kv, device=device, dtype=_dtype.bool_)
        return ones.tril(diagonal=self.seq_len_kv - self.seq_len_q)

    def _materialize(self, device=None) -> Tensor:
        device = _device.device("cpu") if device is None else device
        if self.variant == CausalVariant.UPPER_LEFT:
            return self._upper_left(device)
        return self._lower_right(device)

    @staticmethod
    def _dispatch(
        query, key, value, attn_mask, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
    ):
        from ..functional import scaled_dot_product_attention

        if is_causal:
            raise ValueError("CausalBias should not be used with causal=True")
        if (
            attn_mask.seq_len_q == attn_mask.seq_len_kv
            or attn_mask.variant == CausalVariant.UPPER_LEFT
        ):
            return scaled_dot_product_attention(
                query, key, value, attn_mask=None, dropout_p=dropout_p, is_causal=True, scale=scale,
                enable_gqa=enable_gqa,
            )  # fmt: skip
        if attn_mask.variant == CausalVariant.LOWER_RIGHT:
            return scaled_dot_product_attention(
                query, key, value, attn_mask=attn_mask._materialize(query.device),
                dropout_p=dropout_p, is_causal=False, scale=scale, enable_gqa=enable_gqa,
            )  # fmt: skip
        raise ValueError(
            f"CausalBias.variant must be a CausalVariant type, but found: {attn_mask.variant}"
        )

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        from ..functional import scaled_dot_product_attention

        if func is scaled_dot_product_attention:
            return cls._dispatch(*args, **(kwargs or {}))
        return NotImplemented

    def __repr__(self) -> str:
        return self._materialize().__repr__()


def causal_upper_left(*size) -> CausalBias:
    """The upper-left causal bias of a ``(seq_len_q, seq_len_kv)`` attention matrix."""
    if len(size) != 2:
        raise AssertionError("causal_upper_left only supports 2D tensors")
    seq_len_q, seq_len_kv = size
    return CausalBias(CausalVariant.UPPER_LEFT, seq_len_q, seq_len_kv)


def causal_lower_right(*size) -> CausalBias:
    """The lower-right causal bias of a ``(seq_len_q, seq_len_kv)`` attention matrix."""
    if len(size) != 2:
        raise AssertionError("causal_lower_right only supports 2D tensors")
    seq_len_q, seq_len_kv = size
    return CausalBias(CausalVariant.LOWER_RIGHT, seq_len_q, seq_len_kv)
