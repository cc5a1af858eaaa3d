# ruff: noqa: E501, E402, E721 (the tutorial's style, kept)
# The "(Beta) Implementing High-Performance Transformers with Scaled Dot Product Attention" tutorial,
# small and without timing: F.scaled_dot_product_attention against a manual implementation
# (is_causal, boolean and float masks, scale, dropout_p=0), sdpa_kernel/SDPBackend, and the
# CausalSelfAttention module with its printout and a training step.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

torch.manual_seed(0)
device = "cpu"

query, key, value = (
    torch.randn(2, 3, 8, device=device),
    torch.randn(2, 3, 8, device=device),
    torch.randn(2, 3, 8, device=device),
)
out = F.scaled_dot_product_attention(query, key, value)
print(out.shape, out.dtype)
print(out[0])


# Efficient implementation equivalent to the following (from the docs):
def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
):
    L, S = query.size(-2), key.size(-2)
    scale_factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=query.dtype, device=query.device)
    if is_causal:
        assert attn_mask is None
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias.masked_fill_(temp_mask.logical_not(), float("-inf"))
        attn_bias.to(query.dtype)

    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_bias.masked_fill_(attn_mask.logical_not(), float("-inf"))
        else:
            attn_bias = attn_mask + attn_bias

    if enable_gqa:
        key = key.repeat_interleave(query.size(-3) // key.size(-3), -3)
        value = value.repeat_interleave(query.size(-3) // value.size(-3), -3)

    attn_weight = query @ key.transpose(-2, -1) * scale_factor
    attn_weight += attn_bias
    attn_weight = torch.softmax(attn_weight, dim=-1)
    attn_weight = torch.dropout(attn_weight, dropout_p, train=True)
    return attn_weight @ value


def close(a, b):
    return torch.allclose(a, b, atol=1e-6), round((a - b).abs().max().item(), 5)


q, k, v = torch.randn(2, 4, 5, 8), torch.randn(2, 4, 6, 8), torch.randn(2, 4, 6, 8)
print(
    "plain", close(F.scaled_dot_product_attention(q, k, v), scaled_dot_product_attention(q, k, v))
)
qc = torch.randn(2, 4, 6, 8)
print(
    "causal",
    close(
        F.scaled_dot_product_attention(qc, k, v, is_causal=True),
        scaled_dot_product_attention(qc, k, v, is_causal=True),
    ),
)
bool_mask = torch.rand(5, 6) > 0.3
bool_mask[:, 0] = True
print(
    "bool mask",
    close(
        F.scaled_dot_product_attention(q, k, v, attn_mask=bool_mask),
        scaled_dot_product_attention(q, k, v, attn_mask=bool_mask),
    ),
)
float_mask = torch.randn(2, 1, 5, 6)
print(
    "float mask",
    close(
        F.scaled_dot_product_attention(q, k, v, attn_mask=float_mask),
        scaled_dot_product_attention(q, k, v, attn_mask=float_mask),
    ),
)
print(
    "scale",
    close(
        F.scaled_dot_product_attention(q, k, v, scale=0.5),
        scaled_dot_product_attention(q, k, v, scale=0.5),
    ),
)
kg, vg = torch.randn(2, 2, 6, 8), torch.randn(2, 2, 6, 8)
print(
    "gqa",
    close(
        F.scaled_dot_product_attention(q, kg, vg, enable_gqa=True),
        scaled_dot_product_attention(q, kg, vg, enable_gqa=True),
    ),
)
# causal with L < S: the mask is top-left aligned
print(
    "causal L<S",
    close(
        F.scaled_dot_product_attention(q, k, v, is_causal=True),
        scaled_dot_product_attention(q, k, v, is_causal=True),
    ),
)
# a fully masked row gives NaN in the manual version; the fused kernels' behaviour is their own
print(F.scaled_dot_product_attention(q, k, v, dropout_p=0.0).shape)
print(
    F.scaled_dot_product_attention(q[0, 0], k[0, 0], v[0, 0]).shape,
    F.scaled_dot_product_attention(q[:, :, :1], k, v).shape,
)
vd = torch.randn(2, 4, 6, 3)
print("value dim", F.scaled_dot_product_attention(q, k, vd).shape)

# gradients agree with the manual version
qg, kg2, vg2 = (t.clone().requires_grad_() for t in (q, k, v))
F.scaled_dot_product_attention(qg, kg2, vg2, attn_mask=float_mask).sum().backward()
qm, km, vm = (t.clone().requires_grad_() for t in (q, k, v))
scaled_dot_product_attention(qm, km, vm, attn_mask=float_mask).sum().backward()
print("grads", close(qg.grad, qm.grad), close(kg2.grad, km.grad), close(vg2.grad, vm.grad))

print(list(SDPBackend.__members__))
for backend in [SDPBackend.MATH, SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION]:
    print(backend)
with sdpa_kernel(SDPBackend.MATH):
    print(
        "math",
        close(F.scaled_dot_product_attention(q, k, v), scaled_dot_product_attention(q, k, v)),
    )
with sdpa_kernel([SDPBackend.MATH, SDPBackend.FLASH_ATTENTION]):
    print("list ok")
print(
    torch.backends.cuda.flash_sdp_enabled(),
    torch.backends.cuda.math_sdp_enabled(),
    torch.backends.cuda.mem_efficient_sdp_enabled(),
)
with sdpa_kernel(SDPBackend.MATH):
    print(
        torch.backends.cuda.flash_sdp_enabled(),
        torch.backends.cuda.math_sdp_enabled(),
        torch.backends.cuda.cudnn_sdp_enabled(),
    )
print(torch.backends.cuda.flash_sdp_enabled(), torch.backends.cuda.is_flash_attention_available())
for backends in (SDPBackend.EFFICIENT_ATTENTION, [], "math"):
    try:
        with sdpa_kernel(backends):
            F.scaled_dot_product_attention(q, k, v)
    except (RuntimeError, AssertionError) as e:
        print(type(e).__name__, e)
torch.backends.cuda.enable_math_sdp(False)
print(torch.backends.cuda.math_sdp_enabled(), F.scaled_dot_product_attention(q, k, v).shape)
torch.backends.cuda.enable_math_sdp(True)

# -- attention bias subclasses ----------------------------------------------------------------------
from torch.nn.attention.bias import causal_lower_right, causal_upper_left

batch_size, sequence_length_q, sequence_length_kv = 2, 2, 10
upper_left_bias = causal_upper_left(sequence_length_q, sequence_length_kv)
lower_right_bias = causal_lower_right(sequence_length_q, sequence_length_kv)
print(type(upper_left_bias))
print(type(lower_right_bias))
assert type(upper_left_bias) == type(lower_right_bias)
assert issubclass(type(upper_left_bias), torch.Tensor)
print(upper_left_bias)
print(lower_right_bias)
query = torch.rand(batch_size, 4, sequence_length_q, 8, device=device)
key = torch.rand(batch_size, 4, sequence_length_kv, 8, device=device)
value = torch.rand(batch_size, 4, sequence_length_kv, 8, device=device)
out_upper_left = F.scaled_dot_product_attention(query, key, value, upper_left_bias)
out_lower_right = F.scaled_dot_product_attention(query, key, value, lower_right_bias)
out_is_causal = F.scaled_dot_product_attention(query, key, value, is_causal=True)
assert torch.allclose(out_upper_left, out_is_causal)
assert not torch.allclose(out_upper_left, out_lower_right)
print(out_lower_right[0, 0])


class CausalSelfAttention(nn.Module):
    def __init__(
        self,
        num_heads: int,
        embed_dimension: int,
        bias: bool = False,
        is_causal: bool = False,
        dropout: float = 0.0,
    ):
        super().__init__()
        assert embed_dimension % num_heads == 0
        # key, query, value projections for all heads, but in a batch
        self.c_attn = nn.Linear(embed_dimension, 3 * embed_dimension, bias=bias)
        # output projection
        self.c_proj = nn.Linear(embed_dimension, embed_dimension, bias=bias)
        # regularization
        self.dropout = dropout
        self.resid_dropout = nn.Dropout(dropout)
        self.num_heads = num_heads
        self.embed_dimension = embed_dimension
        # Perform causal masking
        self.is_causal = is_causal

    def forward(self, x):
        # calculate query, key, values for all heads in batch and move head forward to be the batch dim
        query_projected = self.c_attn(x)

        batch_size = query_projected.size(0)
        embed_dim = query_projected.size(2)
        head_dim = embed_dim // (self.num_heads * 3)

        query, key, value = query_projected.chunk(3, -1)
        query = query.view(batch_size, -1, self.num_heads, head_dim).transpose(1, 2)
        key = key.view(batch_size, -1, self.num_heads, head_dim).transpose(1, 2)
        value = value.view(batch_size, -1, self.num_heads, head_dim).transpose(1, 2)

        if self.training:
            dropout = self.dropout
            is_causal = self.is_causal
        else:
            dropout = 0.0
            is_causal = False

        y = F.scaled_dot_product_attention(
            query, key, value, attn_mask=None, dropout_p=dropout, is_causal=is_causal
        )
        y = y.transpose(1, 2).view(batch_size, -1, self.num_heads * head_dim)

        y = self.resid_dropout(self.c_proj(y))
        return y


num_heads = 4
heads_per_dim = 8
embed_dimension = num_heads * heads_per_dim
dtype = torch.float32
model = (
    CausalSelfAttention(
        num_heads=num_heads,
        embed_dimension=embed_dimension,
        bias=False,
        is_causal=True,
        dropout=0.1,
    )
    .to(device)
    .to(dtype)
    .eval()
)
print(model)
x = torch.rand(2, 6, embed_dimension, device=device, dtype=dtype)
y = model(x)
print(y.shape, round(y.sum().item(), 4))
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
# dropout inside the fused kernel draws its own mask; keep the step deterministic
model.dropout = 0.0
for step in range(3):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}")
