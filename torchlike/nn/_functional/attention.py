"""scaled_dot_product_attention, multi_head_attention_forward.

Attention runs through ``jax.nn.dot_product_attention`` whenever its semantics allow (float16,
bfloat16 or float32, value head size equal to the query's, no dropout), so XLA sees the canonical
attention pattern and can pick a fused kernel on GPU; otherwise an explicit softmax(QK^T)V.
Either way rows whose keys are all masked give zeros, as PyTorch's SDPA does, with no NaN in the
gradients. MultiheadAttention is one op: in-projection, masks, attention and out-projection.
"""

from __future__ import annotations

import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from ... import _dtype, _memory_format
from ..._context import state
from ..._ops.linalg import HIGHEST
from ..._ops.random import _key
from ..._ops.registry import op
from ..._tensor import Tensor
from ...random import next_key
from .dropout import cpu_dropout_noise

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]

# float16 only on GPU: jax's float16 attention asks for an F16_F16_F32 dot that CPU and TPU lack
_FUSED_DTYPES = (np.dtype(jnp.bfloat16), np.dtype(np.float32))
_FUSED_DTYPES_GPU = _FUSED_DTYPES + (np.dtype(np.float16),)
_TORCH_NAMES = {
    np.dtype(np.float16): "c10::Half",
    np.dtype(jnp.bfloat16): "c10::BFloat16",
    np.dtype(np.float32): "float",
    np.dtype(np.float64): "double",
    np.dtype(np.int64): "long int",
    np.dtype(np.int32): "int",
    np.dtype(np.int16): "short int",
    np.dtype(np.int8): "signed char",
    np.dtype(np.uint8): "unsigned char",
    np.dtype(np.bool_): "bool",
}


def _tname(dt) -> str:
    return _TORCH_NAMES.get(np.dtype(dt), str(dt))


def _keep_and_bias(mask, dtype):
    """A torch attention mask as (keep: bool or None, bias: float or None). Bool masks say which
    keys take part; float masks are added, and their -inf entries are turned into 'not kept' so
    no -inf ever enters the arithmetic (a fully masked row then gives 0, not NaN)."""
    if mask is None:
        return None, None
    if mask.dtype == np.bool_:
        return mask, None
    mask = mask.astype(dtype)
    neg_inf = jnp.isneginf(mask)
    return ~neg_inf, jnp.where(neg_inf, jnp.zeros((), dtype), mask)


def _dropout(p, drop):
    """``drop``: PyTorch's CPU dropout noise (an array; the weights times it, as ATen computes),
    or (seed, counter, dropout_p) for a mask drawn from a jax key."""
    if not isinstance(drop, tuple):
        return p * drop.reshape(p.shape).astype(p.dtype)
    seed, counter, dropout_p = drop
    keep = jax.random.uniform(_key(seed, counter), p.shape, jnp.float32) >= dropout_p
    below_one = dropout_p < 1
    inv = jnp.where(below_one, 1 / jnp.where(below_one, 1 - dropout_p, 1), 0).astype(p.dtype)
    return jnp.where(keep, p * inv, jnp.zeros((), p.dtype))


def _causal(q_len, k_len):
    return jnp.tril(jnp.ones((q_len, k_len), bool))


def _explicit(q, k, v, keep, bias, is_causal, scale, drop):
    """softmax(q k^T * scale + bias) v over (..., L, E) arrays; fully masked rows give 0."""
    ct = jnp.promote_types(q.dtype, jnp.float32)
    logits = jnp.einsum("...le,...se->...ls", q, k, precision=HIGHEST, preferred_element_type=ct)
    logits = logits * jnp.asarray(scale, ct)
    if bias is not None:
        logits = logits + bias.astype(ct)
    if is_causal:
        keep = (
            _causal(q.shape[-2], k.shape[-2])
            if keep is None
            else keep & _causal(q.shape[-2], k.shape[-2])
        )
    if keep is not None:
        logits = jnp.where(keep, logits, -jnp.inf)
    peak = jax.lax.stop_gradient(jnp.max(logits, axis=-1, keepdims=True))
    e = jnp.exp(logits - jnp.where(jnp.isfinite(peak), peak, 0))
    total = jnp.sum(e, axis=-1, keepdims=True)
    p = (e / jnp.where(total == 0, 1, total)).astype(q.dtype)
    if drop is not None:
        p = _dropout(p, drop)
    return jnp.einsum("...ls,...se->...le", p, v, precision=HIGHEST)


def _fused(q, k, v, keep, bias, is_causal, scale):
    """jax.nn.dot_product_attention on (B, N, L, E) arrays (it wants B, L, N, E)."""
    to_btnh = (0, 2, 1, 3)
    with jax.default_matmul_precision("highest" if q.dtype == np.float32 else "default"):
        out = jax.nn.dot_product_attention(
            q.transpose(to_btnh),
            k.transpose(to_btnh),
            v.transpose(to_btnh),
            bias=None if bias is None else bias.astype(jnp.promote_types(q.dtype, jnp.float32)),
            mask=keep,
            scale=scale,
            is_causal=is_causal,
        ).transpose(to_btnh)
    if keep is not None:  # jax gives a fully masked row the mean of the values; torch gives 0
        if is_causal:
            keep = keep & _causal(q.shape[-2], k.shape[-2])
        out = jnp.where(jnp.any(keep, axis=-1, keepdims=True), out, jnp.zeros((), out.dtype))
    return out


def _attend(q, k, v, mask, is_causal, scale, drop, gqa=1, gpu=False):
    """The attention core on (..., H, L, E) arrays with torch's broadcasting of batch dims.
    ``gqa`` > 1: each key/value head serves that many consecutive query heads."""
    keep, bias = _keep_and_bias(mask, q.dtype)
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    fused = (
        drop is None
        and q.dtype in (_FUSED_DTYPES_GPU if gpu else _FUSED_DTYPES)
        and q.shape[-1] == v.shape[-1]
        and q.ndim == 4
    )
    if fused:
        batch = jnp.broadcast_shapes(q.shape[:1], k.shape[:1], v.shape[:1])
        heads = (
            (q.shape[1],)
            if gqa > 1
            else jnp.broadcast_shapes(q.shape[1:2], k.shape[1:2], v.shape[1:2])
        )
        q = jnp.broadcast_to(q, batch + heads + q.shape[2:])
        kv_heads = (k.shape[1],) if gqa > 1 else heads
        k = jnp.broadcast_to(k, batch + kv_heads + k.shape[2:])
        v = jnp.broadcast_to(v, batch + kv_heads + v.shape[2:])
        full = batch + heads + (q.shape[2], k.shape[2])
        if keep is not None:
            keep = jnp.broadcast_to(keep, _bshape(keep.shape, full))
        if bias is not None:
            bias = jnp.broadcast_to(bias, _bshape(bias.shape, full))
        return _fused(q, k, v, keep, bias, is_causal, scale)
    if gqa > 1:
        k = jnp.repeat(k, gqa, axis=-3)
        v = jnp.repeat(v, gqa, axis=-3)
    return _explicit(q, k, v, keep, bias, is_causal, scale, drop)


@functools.cache
def _gpu_backend() -> bool:
    return jax.default_backend() == "gpu"


def _on_gpu(t) -> bool:
    """Whether ``t`` lives on a GPU (a static attribute: it picks the attention implementation)."""
    return getattr(t, "device", None) is not None and t.device.type == "cuda" and _gpu_backend()


def _bshape(shape, full):
    """``shape`` right-aligned against the 4-d ``full``, leading 1s kept as 1 (jax broadcasts)."""
    shape = (1,) * (len(full) - len(shape)) + tuple(shape)
    return tuple(s if s == 1 else f for s, f in zip(shape, full))


# fmt: off
@op("scaled_dot_product_attention", function=False,
    grad_name="ScaledDotProductFlashAttentionForCpuBackward0")
def _sdpa(
    query, key, value, attn_mask=None, dropout_p=0.0, scale=None, seed=None, counter=None, noise=None, *,
    is_causal=False, enable_gqa=False, dropout=False, gpu=False,
):
    # fmt: on
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_tname(query.dtype)} key.dtype: {_tname(key.dtype)} and value.dtype: {_tname(value.dtype)} instead."
        )
    if not jnp.issubdtype(query.dtype, jnp.floating):
        raise RuntimeError(
            f"expected scalar type Float but found {_tname(query.dtype).title().split()[0]}"
        )
    if attn_mask is not None and attn_mask.dtype != np.bool_ and attn_mask.dtype != query.dtype:
        raise RuntimeError(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: "
            f"{_tname(attn_mask.dtype)} and  query.dtype: {_tname(query.dtype)} instead."
        )
    if key.shape[-1] != query.shape[-1] or key.shape[-2] != value.shape[-2]:
        want = [
            int(np.prod(query.shape[:-2])),
            query.shape[-1] if key.shape[-1] != query.shape[-1] else key.shape[-2],
        ]
        got = [want[0], key.shape[-1] if key.shape[-1] != query.shape[-1] else value.shape[-2]]
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: {want} but got: {got}."
        )
    gqa = 1
    if enable_gqa and query.ndim >= 3 and query.shape[-3] != key.shape[-3]:
        hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
        if hq % hk or hq % hv or hk != hv:
            raise RuntimeError(
                "Number of heads in key and value must divide the number of heads in query"
            )
        gqa = hq // hk
    drop = noise if noise is not None else (seed, counter, dropout_p) if dropout else None
    return _attend(query, key, value, attn_mask, is_causal, scale, drop, gqa, gpu)


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
):
    """softmax(Q K^T * scale + mask) V; query (N, ..., Hq, L, E), key (N, ..., H, S, E),
    value (N, ..., H, S, Ev). A bool ``attn_mask`` is True where attention is allowed; a float one
    is added to the scores."""
    override = getattr(type(attn_mask), "__torch_function__", None)
    if isinstance(attn_mask, Tensor) and override is not None and override is not Tensor.__torch_function__:
        # a bias subclass (torch.nn.attention.bias.CausalBias) computes attention its own way
        kwargs = dict(attn_mask=attn_mask, dropout_p=dropout_p, is_causal=is_causal, scale=scale,
                      enable_gqa=enable_gqa)  # fmt: skip
        return override(scaled_dot_product_attention, (type(attn_mask),), (query, key, value), kwargs)
    if not (state.sdp_enabled["math"] or state.sdp_enabled["flash"]):
        raise RuntimeError(
            "No viable backend for scaled_dot_product_attention was found. This is likely due to "
            "turning off both the math kernel and the fused kernels."
        )
    dropout = isinstance(dropout_p, Tensor) or dropout_p > 0
    noise = None
    if dropout:  # PyTorch's CPU math path drops out the (..., L, S) attention weights
        try:
            batch = np.broadcast_shapes(tuple(query.shape[:-2]), tuple(key.shape[:-2]))
        except ValueError:  # grouped-query attention: keys repeated to the query's heads
            batch = tuple(query.shape[:-2])
        noise = cpu_dropout_noise(query, batch + (query.shape[-2], key.shape[-2]), dropout_p)
    seed, counter = next_key() if dropout and noise is None else (None, None)
    out = _sdpa.frontend(
        query, key, value, attn_mask, dropout_p if dropout else None, scale, seed, counter, noise,
        is_causal=bool(is_causal), enable_gqa=bool(enable_gqa), dropout=dropout, gpu=_on_gpu(query),
    )  # fmt: skip
    if not dropout:  # PyTorch's fused CPU kernel lays its output out as the query is laid out
        _memory_format.follow_layout(out, query)
    return out


# -- multi-head attention -----------------------------------------------------------------------


def _additive(mask, dtype):
    """torch's canonical MHA mask: bool True (= ignore) becomes -inf, float masks are added."""
    if mask is None:
        return None
    if mask.dtype == np.bool_:
        return jnp.where(mask, jnp.asarray(-jnp.inf, dtype), jnp.zeros((), dtype))
    return mask.astype(dtype)


def _pad_key(mask):
    return None if mask is None else jnp.pad(mask, [(0, 0)] * (mask.ndim - 1) + [(0, 1)])


def _proj(x, w, b):
    y = jnp.matmul(x, w.T, precision=HIGHEST)
    return y if b is None else y + b


# fmt: off
@op("multi_head_attention_forward", function=False, grad_name="TransposeBackward0")
def _mha(
    query, key, value, in_proj_weight, in_proj_bias, bias_k, bias_v, out_proj_weight, out_proj_bias,
    q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None,
    key_padding_mask=None, attn_mask=None, dropout_p=None, seed=None, counter=None, noise=None, *, num_heads,
    add_zero_attn=False, need_weights=True, average_attn_weights=True, is_causal=False,
    dropout=False, batch_first=False, gpu=False,
):
    # fmt: on
    if batch_first:
        query, key, value = (jnp.swapaxes(x, 0, 1) for x in (query, key, value))
    tgt_len, bsz, embed_dim = query.shape
    head_dim = embed_dim // num_heads
    dtype = query.dtype
    if q_proj_weight is not None:
        wq, wk, wv = q_proj_weight, k_proj_weight, v_proj_weight
    else:
        wq, wk, wv = jnp.split(in_proj_weight, 3)
    bq, bk, bv = (None, None, None) if in_proj_bias is None else jnp.split(in_proj_bias, 3)
    q = _proj(query, wq, bq)
    k = _proj(key, wk, bk) if static_k is None else None
    v = _proj(value, wv, bv) if static_v is None else None
    kpm = _additive(key_padding_mask, dtype)
    mask = _additive(attn_mask, dtype)
    if mask is not None and mask.ndim == 2:
        mask = mask[None]
    if bias_k is not None:
        k = jnp.concatenate([k, jnp.broadcast_to(bias_k, (1, bsz, embed_dim))])
        v = jnp.concatenate([v, jnp.broadcast_to(bias_v, (1, bsz, embed_dim))])
        mask, kpm = _pad_key(mask), _pad_key(kpm)

    def heads(x):  # (S, N, E) -> (N * H, S, head_dim), torch's layout
        return jnp.swapaxes(x.reshape(x.shape[0], bsz * num_heads, head_dim), 0, 1)

    q = heads(q)
    k = heads(k) if static_k is None else static_k
    v = heads(v) if static_v is None else static_v
    if add_zero_attn:
        k = jnp.concatenate([k, jnp.zeros((bsz * num_heads, 1, head_dim), k.dtype)], axis=1)
        v = jnp.concatenate([v, jnp.zeros((bsz * num_heads, 1, head_dim), v.dtype)], axis=1)
        mask, kpm = _pad_key(mask), _pad_key(kpm)
    src_len = k.shape[1]
    if kpm is not None:
        kpm = jnp.broadcast_to(kpm[:, None, None, :], (bsz, num_heads, 1, src_len)).reshape(
            bsz * num_heads, 1, src_len
        )
        mask = kpm if mask is None else mask + kpm
    drop = noise if noise is not None else (seed, counter, dropout_p) if dropout else None
    if need_weights:
        logits = jnp.einsum(
            "bld,bsd->bls", q * jnp.asarray(math.sqrt(1.0 / head_dim), dtype), k, precision=HIGHEST
        )
        if mask is not None:
            logits = logits + mask
        # a plain softmax: a fully masked row is NaN, as in torch
        weights = jax.nn.softmax(logits, axis=-1)
        if drop is not None:  # torch returns the weights after dropout
            weights = _dropout(weights, drop)
        out = jnp.einsum("bls,bsd->bld", weights, v, precision=HIGHEST)
    else:
        shape4 = (bsz, num_heads, -1, head_dim)
        if mask is not None:
            mask = mask[None] if mask.shape[0] == 1 else mask.reshape(bsz, num_heads, -1, src_len)
        out = _attend(
            q.reshape(shape4),
            k.reshape(shape4),
            v.reshape(shape4),
            mask,
            is_causal,
            None,
            drop,
            gpu=gpu,
        )
        out = out.reshape(bsz * num_heads, tgt_len, head_dim)
    out = jnp.swapaxes(out, 0, 1).reshape(tgt_len, bsz, embed_dim)
    out = _proj(out, out_proj_weight, out_proj_bias)
    if batch_first:
        out = jnp.swapaxes(out, 0, 1)
    if not need_weights:
        return out
    weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
    return out, (weights.mean(axis=1) if average_attn_weights else weights)


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D"
                f" but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                f" but found {attn_mask.dim()}-D tensor instead"
            )
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D"
                f" but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                    f" but found {attn_mask.dim()}-D tensor instead"
                )
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(
                    f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}"
                )
        return False
    raise AssertionError(
        f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query tensor"
    )


def _check_mask_dtype(mask, name, other=None, other_name=""):
    if mask is None:
        return
    if mask.dtype is not _dtype.bool_ and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if other is not None and mask.dtype is not other.dtype:
        warnings.warn(
            f"Support for mismatched {name} and {other_name} is deprecated. Use same type for both instead.",
            stacklevel=4,
        )


# fmt: off
def multi_head_attention_forward(
    query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v,
    add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training=True, key_padding_mask=None,
    need_weights=True, attn_mask=None, use_separate_proj_weight=False, q_proj_weight=None,
    k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
    is_causal=False, *, _batch_first=False,
):
    # fmt: on
    """Multi-head attention over (L, N, E) inputs (or unbatched (L, E)); see nn.MultiheadAttention.
    ``_batch_first``: (N, L, E) inputs and output, nn.MultiheadAttention(batch_first=True)'s path."""
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    batch_first = _batch_first and is_batched
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    b, s = (0, 1) if batch_first else (1, 0)
    tgt_len, bsz, embed_dim = query.shape[s], query.shape[b], query.shape[2]
    src_len = key.shape[s]
    _check_mask_dtype(key_padding_mask, "key_padding_mask", attn_mask, "attn_mask")
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method "
            "`generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the hint says the mask is causal: let attention build it
    else:
        _check_mask_dtype(attn_mask, "attn_mask")
        is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    proj = q_proj_weight if use_separate_proj_weight else in_proj_weight
    if proj is not None and proj.dtype is not query.dtype:  # (the input projection's matmul says it)
        from ... import _dtype

        names = _dtype.SCALAR_NAMES
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {names[query.dtype.name]} and {names[proj.dtype.name]}"
        )
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's {value.shape[:2]}"
            )
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise AssertionError(
                    f"use_separate_proj_weight is True but {name}_proj_weight is None"
                )
    else:
        if key.shape != value.shape:
            raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q_proj_weight = k_proj_weight = v_proj_weight = None
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be {(tgt_len, src_len)}."
                )
        elif tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
            raise RuntimeError(
                f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                f"{(bsz * num_heads, tgt_len, src_len)}."
            )
    if (bias_k is None) != (bias_v is None):
        raise AssertionError(
            "bias_k is set but bias_v is None"
            if bias_v is None
            else "bias_v is set but bias_k is None"
        )
    if bias_k is not None and (static_k is not None or static_v is not None):
        raise AssertionError(
            f"bias cannot be added to static {'key' if static_k is not None else 'value'}."
        )
    for name, st in (("static_k", static_k), ("static_v", static_v)):
        if st is not None:
            if st.size(0) != bsz * num_heads:
                raise AssertionError(
                    f"expecting {name}.size(0) of {bsz * num_heads}, but got {st.size(0)}"
                )
            if st.size(2) != head_dim:
                raise AssertionError(
                    f"expecting {name}.size(2) of {head_dim}, but got {st.size(2)}"
                )
    if key_padding_mask is not None:
        extra = (bias_k is not None) + bool(add_zero_attn)
        want = (static_k.shape[1] if static_k is not None else src_len) + extra
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(
                f"Expected key_padded_mask.shape[0] to be {bsz}, but got {key_padding_mask.shape[0]}"
            )
        if key_padding_mask.shape[1] + extra != want:
            raise AssertionError(
                f"Expected key_padded_mask.shape[1] to be {want}, but got {key_padding_mask.shape[1] + extra}"
            )
    dropout = bool(training) and (isinstance(dropout_p, Tensor) or dropout_p > 0)
    noise = None
    if dropout:  # PyTorch drops out the (bsz * heads, L, S) attention weights
        keys = (static_k.shape[1] if static_k is not None else src_len) + (bias_k is not None) + bool(add_zero_attn)
        noise = cpu_dropout_noise(query, (bsz * num_heads, tgt_len, keys), dropout_p)
    seed, counter = next_key() if dropout and noise is None else (None, None)
    # fmt: off
    result = _mha.frontend(
        query, key, value, in_proj_weight, in_proj_bias, bias_k, bias_v, out_proj_weight, out_proj_bias,
        q_proj_weight, k_proj_weight, v_proj_weight, static_k, static_v, key_padding_mask, attn_mask,
        dropout_p if dropout else None, seed, counter, noise, num_heads=num_heads,
        add_zero_attn=bool(add_zero_attn), need_weights=bool(need_weights),
        average_attn_weights=bool(average_attn_weights), is_causal=bool(is_causal), dropout=dropout,
        batch_first=batch_first, gpu=_on_gpu(query),
    )
    # fmt: on
    out, weights = result if need_weights else (result, None)
    if batch_first:  # PyTorch returns the (L, N, E) result transposed: strides (E, N * E, 1)
        _memory_format._set(out, _memory_format.memory_format("contiguous_format", (2, 0, 1)))
    if not is_batched:
        out = out.squeeze(1)
        if weights is not None:
            weights = weights.squeeze(0)
    return out, weights
