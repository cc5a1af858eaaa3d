# A tiny LLaMA-style language model from scratch + a toy CTC speech model.
import math
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

torch.manual_seed(1337)

# ---------------------------------------------------------------------------
# Part 1: LLaMA from scratch
# ---------------------------------------------------------------------------

text = """The woods are lovely, dark and deep,
But I have promises to keep,
And miles to go before I sleep,
And miles to go before I sleep.
Whose woods these are I think I know.
His house is in the village though;
He will not see me stopping here
To watch his woods fill up with snow.
My little horse must think it queer
To stop without a farmhouse near
Between the woods and frozen lake
The darkest evening of the year.
"""

chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
encode = lambda s: [stoi[c] for c in s]
decode = lambda l: "".join([itos[i] for i in l])

print("text length:", len(text))
print("vocab size:", vocab_size)
print("vocab:", repr("".join(chars)))

data = torch.tensor(encode(text), dtype=torch.long)
print("data:", data.shape, data.dtype)
print(data[:20])

n = int(0.9 * len(data))
train_data = data[:n]
val_data = data[n:]
print("train/val:", len(train_data), len(val_data))


@dataclass
class ModelArgs:
    dim: int = 64
    n_layers: int = 2
    n_heads: int = 4
    n_kv_heads: Optional[int] = 2
    vocab_size: int = -1
    multiple_of: int = 32
    norm_eps: float = 1e-5
    max_batch_size: int = 4
    max_seq_len: int = 64


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def _norm(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x):
        output = self._norm(x.float()).type_as(x)
        return output * self.weight


def precompute_freqs_cis(dim: int, end: int, theta: float = 10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = torch.arange(end, device=freqs.device)
    freqs = torch.outer(t, freqs).float()
    freqs_cis = torch.polar(torch.ones_like(freqs), freqs)  # complex64
    return freqs_cis


def reshape_for_broadcast(freqs_cis, x):
    ndim = x.ndim
    assert 0 <= 1 < ndim
    assert freqs_cis.shape == (x.shape[1], x.shape[-1])
    shape = [d if i == 1 or i == ndim - 1 else 1 for i, d in enumerate(x.shape)]
    return freqs_cis.view(*shape)


def apply_rotary_emb(xq, xk, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = reshape_for_broadcast(freqs_cis, xq_)
    xq_out = torch.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


# cos/sin "rotate_half" variant (HF style)
def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def precompute_cos_sin(dim, end, theta=10000.0):
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    t = torch.arange(end, dtype=torch.float32)
    freqs = torch.einsum("i,j->ij", t, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def apply_rotary_pos_emb(q, k, cos, sin):
    # q, k: (B, H, T, D); cos/sin: (T, D)
    cos = cos.unsqueeze(0).unsqueeze(0)
    sin = sin.unsqueeze(0).unsqueeze(0)
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    # (bs, seqlen, n_kv_heads, head_dim) -> (bs, seqlen, n_kv_heads * n_rep, head_dim)
    if n_rep == 1:
        return x
    return torch.repeat_interleave(x, dim=2, repeats=n_rep)


class Attention(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.n_kv_heads = args.n_heads if args.n_kv_heads is None else args.n_kv_heads
        self.n_heads = args.n_heads
        self.n_rep = self.n_heads // self.n_kv_heads
        self.head_dim = args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.n_heads * self.head_dim, bias=False)
        self.wk = nn.Linear(args.dim, self.n_kv_heads * self.head_dim, bias=False)
        self.wv = nn.Linear(args.dim, self.n_kv_heads * self.head_dim, bias=False)
        self.wo = nn.Linear(args.n_heads * self.head_dim, args.dim, bias=False)
        self.cache_k = torch.zeros(
            (args.max_batch_size, args.max_seq_len, self.n_kv_heads, self.head_dim)
        )
        self.cache_v = torch.zeros(
            (args.max_batch_size, args.max_seq_len, self.n_kv_heads, self.head_dim)
        )

    def forward(self, x, start_pos, freqs_cis, mask, use_cache=False):
        bsz, seqlen, _ = x.shape
        xq, xk, xv = self.wq(x), self.wk(x), self.wv(x)
        xq = xq.view(bsz, seqlen, self.n_heads, self.head_dim)
        xk = xk.view(bsz, seqlen, self.n_kv_heads, self.head_dim)
        xv = xv.view(bsz, seqlen, self.n_kv_heads, self.head_dim)
        xq, xk = apply_rotary_emb(xq, xk, freqs_cis=freqs_cis)

        if use_cache:
            self.cache_k = self.cache_k.to(xq)
            self.cache_v = self.cache_v.to(xq)
            self.cache_k[:bsz, start_pos : start_pos + seqlen] = xk
            self.cache_v[:bsz, start_pos : start_pos + seqlen] = xv
            keys = self.cache_k[:bsz, : start_pos + seqlen]
            values = self.cache_v[:bsz, : start_pos + seqlen]
            keys = repeat_kv(keys, self.n_rep)
            values = repeat_kv(values, self.n_rep)
            xq = xq.transpose(1, 2)
            keys = keys.transpose(1, 2)
            values = values.transpose(1, 2)
            scores = torch.matmul(xq, keys.transpose(2, 3)) / math.sqrt(self.head_dim)
            if mask is not None:
                scores = scores + mask
            scores = F.softmax(scores.float(), dim=-1).type_as(xq)
            output = torch.matmul(scores, values)
        else:
            keys = repeat_kv(xk, self.n_rep).transpose(1, 2)
            values = repeat_kv(xv, self.n_rep).transpose(1, 2)
            xq = xq.transpose(1, 2)
            output = F.scaled_dot_product_attention(xq, keys, values, is_causal=True)
        output = output.transpose(1, 2).contiguous().view(bsz, seqlen, -1)
        return self.wo(output)


class FeedForward(nn.Module):
    def __init__(self, dim: int, hidden_dim: int, multiple_of: int):
        super().__init__()
        hidden_dim = int(2 * hidden_dim / 3)
        hidden_dim = multiple_of * ((hidden_dim + multiple_of - 1) // multiple_of)
        self.w1 = nn.Linear(dim, hidden_dim, bias=False)
        self.w2 = nn.Linear(hidden_dim, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden_dim, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class TransformerBlock(nn.Module):
    def __init__(self, layer_id: int, args: ModelArgs):
        super().__init__()
        self.layer_id = layer_id
        self.attention = Attention(args)
        self.feed_forward = FeedForward(args.dim, 4 * args.dim, args.multiple_of)
        self.attention_norm = RMSNorm(args.dim, eps=args.norm_eps)
        self.ffn_norm = nn.RMSNorm(args.dim, eps=args.norm_eps)

    def forward(self, x, start_pos=0, freqs_cis=None, mask=None, use_cache=False):
        h = x + self.attention(self.attention_norm(x), start_pos, freqs_cis, mask, use_cache)
        out = h + self.feed_forward(self.ffn_norm(h))
        return out


class Transformer(nn.Module):
    def __init__(self, params: ModelArgs):
        super().__init__()
        self.params = params
        self.vocab_size = params.vocab_size
        self.n_layers = params.n_layers
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList()
        for layer_id in range(params.n_layers):
            self.layers.append(TransformerBlock(layer_id, params))
        self.norm = RMSNorm(params.dim, eps=params.norm_eps)
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)
        # weight tying
        self.output.weight = self.tok_embeddings.weight
        self.freqs_cis = precompute_freqs_cis(
            self.params.dim // self.params.n_heads, self.params.max_seq_len * 2
        )
        self.gradient_checkpointing = False
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, tokens, targets=None, start_pos=0, use_cache=False):
        _bsz, seqlen = tokens.shape
        h = self.tok_embeddings(tokens)
        freqs_cis = self.freqs_cis[start_pos : start_pos + seqlen]

        mask = None
        if use_cache and seqlen > 1:
            mask = torch.full((seqlen, seqlen), float("-inf"), device=tokens.device)
            mask = torch.triu(mask, diagonal=1)
            mask = torch.hstack(
                [torch.zeros((seqlen, start_pos), device=tokens.device), mask]
            ).type_as(h)

        for layer in self.layers:
            if self.gradient_checkpointing and self.training:
                h = checkpoint(layer, h, start_pos, freqs_cis, mask, use_reentrant=False)
            else:
                h = layer(h, start_pos, freqs_cis, mask, use_cache)
        h = self.norm(h)
        logits = self.output(h).float()
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    @torch.inference_mode()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None, generator=None):
        bsz, prompt_len = idx.shape
        # prefill
        logits, _ = self(idx, start_pos=0, use_cache=True)
        out = idx
        pos = prompt_len
        for _ in range(max_new_tokens):
            logits_last = logits[:, -1, :]
            if temperature == 0.0:
                next_tok = torch.argmax(logits_last, dim=-1, keepdim=True)
            else:
                logits_last = logits_last / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits_last, min(top_k, logits_last.size(-1)))
                    logits_last[logits_last < v[:, [-1]]] = -float("Inf")
                probs = F.softmax(logits_last, dim=-1)
                next_tok = torch.multinomial(probs, num_samples=1, generator=generator)
            out = torch.cat((out, next_tok), dim=1)
            if pos >= self.params.max_seq_len:
                break
            logits, _ = self(next_tok, start_pos=pos, use_cache=True)
            pos += 1
        return out


args = ModelArgs(vocab_size=vocab_size)
print(args)
model = Transformer(args)
print(model)
n_params = sum(p.numel() for p in model.parameters())
print(f"number of parameters: {n_params}")
print(f"number of parameters (no tying dedupe): {sum(p.numel() for p in (p for _, p in model.named_parameters(remove_duplicate=False)))}")
print("tied:", model.output.weight is model.tok_embeddings.weight)
print("freqs_cis:", model.freqs_cis.shape, model.freqs_cis.dtype)
print(model.freqs_cis[1, :4])

# RoPE sanity checks: the two formulations
xq = torch.randn(1, 5, 4, 16)
xk = torch.randn(1, 5, 2, 16)
fc = precompute_freqs_cis(16, 5)
q1, k1 = apply_rotary_emb(xq, torch.randn(1, 5, 4, 16), fc)
print("rope complex out:", q1.shape, q1.dtype)
print("rope preserves norm:", torch.allclose(q1.norm(dim=-1), xq.norm(dim=-1), atol=1e-5))
cos, sin = precompute_cos_sin(16, 5)
print("cos/sin:", cos.shape, sin.shape)
q2, _ = apply_rotary_pos_emb(xq.transpose(1, 2), xq.transpose(1, 2), cos, sin)
print("rotate_half out:", q2.shape)
print("rotate_half preserves norm:", torch.allclose(q2.norm(dim=-1), xq.transpose(1, 2).norm(dim=-1), atol=1e-5))
print(torch.round(q1[0, 1, 0, :6], decimals=4))

# RMSNorm: hand-written vs nn.RMSNorm
x = torch.randn(2, 3, 8)
rn1 = RMSNorm(8, eps=1e-5)
rn2 = nn.RMSNorm(8, eps=1e-5)
print(rn2)
print("RMSNorm match:", torch.allclose(rn1(x), rn2(x), atol=1e-6))
print(rn2(x)[0, 0])

# GQA repeat
kv = torch.arange(12.0).view(1, 1, 3, 4)
print(repeat_kv(kv, 2)[0, 0, :, 0])

batch_size = 4
block_size = 32


def get_batch(split):
    d = train_data if split == "train" else val_data
    if split == "val":
        # val set is short; use stride windows
        ix = torch.arange(0, len(d) - block_size - 1, 4)[:batch_size]
        if len(ix) == 0:
            ix = torch.zeros(1, dtype=torch.long)
    else:
        ix = torch.randint(len(d) - block_size, (batch_size,))
    x = torch.stack([d[i : i + block_size] for i in ix])
    y = torch.stack([d[i + 1 : i + block_size + 1] for i in ix])
    return x, y


xb, yb = get_batch("train")
print("batch:", xb.shape, yb.shape)
print(decode(xb[0].tolist()))

optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.1, betas=(0.9, 0.95))
print(optimizer)
model.gradient_checkpointing = True
max_steps = 40
model.train()
for step in range(max_steps):
    xb, yb = get_batch("train")
    logits, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step % 5 == 0 or step == max_steps - 1:
        print(f"step {step:3d} | loss {loss.item():.4f} | grad norm {norm.item():.4f}")

print("logits:", logits.shape, logits.dtype)


@torch.no_grad()
def estimate_loss():
    model.eval()
    out = {}
    for split in ["train", "val"]:
        losses = torch.zeros(3)
        for k in range(3):
            X, Y = get_batch(split)
            _, l = model(X, Y)
            losses[k] = l.item()
        out[split] = losses.mean()
    model.train()
    return out


losses = estimate_loss()
print(f"train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")

# bf16 autocast forward
model.eval()
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    logits_bf, _ = model(xb[:1])
    h = model.tok_embeddings(xb[:1])
    lin_out = model.layers[0].attention.wq(h)
print("autocast logits dtype:", logits_bf.dtype)
print("autocast linear dtype:", lin_out.dtype)
print("autocast enabled outside:", torch.is_autocast_enabled())

# Consistency: KV cache vs full forward
with torch.no_grad():
    full_logits, _ = model(xb[:1, :10])
    cache_logits, _ = model(xb[:1, :10], start_pos=0, use_cache=True)
print("kv-cache prefill matches full forward:", torch.allclose(full_logits, cache_logits, atol=1e-4))
print("cache_k:", model.layers[0].attention.cache_k.shape, model.layers[0].attention.cache_k.dtype)

prompt = torch.tensor([encode("The woods")], dtype=torch.long)
greedy = model.generate(prompt, max_new_tokens=30, temperature=0.0)
print("greedy:", repr(decode(greedy[0].tolist())))

g = torch.Generator().manual_seed(42)
sampled = model.generate(prompt.repeat(2, 1), max_new_tokens=30, temperature=0.8, top_k=10, generator=g)
print("sampled shape:", sampled.shape)
for row in sampled:
    print("sampled:", repr(decode(row.tolist())))

# ---------------------------------------------------------------------------
# Part 2: toy CTC speech model
# ---------------------------------------------------------------------------
print("=" * 60)
torch.manual_seed(0)

n_mels = 16
n_classes = 6  # 0 = blank, 1..5 = "phonemes"
N = 4
T = 30


class SpeechModel(nn.Module):
    def __init__(self, n_feats, hidden, n_classes, rnn="gru"):
        super().__init__()
        self.proj = nn.Linear(n_feats, hidden)
        rnn_cls = nn.GRU if rnn == "gru" else nn.LSTM
        self.rnn = rnn_cls(hidden, hidden, num_layers=2, bidirectional=True, batch_first=True, dropout=0.0)
        self.fc = nn.Linear(2 * hidden, n_classes)

    def forward(self, x):
        # x: (N, T, F)
        x = F.gelu(self.proj(x))
        x, _ = self.rnn(x)
        x = self.fc(x)  # (N, T, C)
        return x.transpose(0, 1).log_softmax(dim=2)  # (T, N, C)


# random "spectrograms" with per-utterance lengths
feats = torch.randn(N, T, n_mels)
input_lengths = torch.tensor([30, 28, 25, 22], dtype=torch.long)
target_lengths = torch.tensor([6, 5, 4, 3], dtype=torch.long)
targets_padded = torch.randint(1, n_classes, (N, int(target_lengths.max())), dtype=torch.long)
for i, L in enumerate(target_lengths.tolist()):
    targets_padded[i, L:] = 0
targets_concat = torch.cat([targets_padded[i, :L] for i, L in enumerate(target_lengths.tolist())])
print("feats:", feats.shape)
print("targets padded:\n", targets_padded)
print("targets concat:", targets_concat, targets_concat.shape)

ctc_loss = nn.CTCLoss(blank=0, zero_infinity=True)
print(ctc_loss)


def greedy_decode(log_probs, lengths, blank=0):
    # log_probs: (T, N, C)
    best = log_probs.argmax(dim=2).transpose(0, 1)  # (N, T)
    results = []
    for i in range(best.size(0)):
        seq = best[i, : lengths[i]]
        seq = torch.unique_consecutive(seq)
        seq = seq[seq != blank]
        results.append(seq.tolist())
    return results


for rnn_kind in ["gru", "lstm"]:
    torch.manual_seed(1)
    sm = SpeechModel(n_mels, 32, n_classes, rnn=rnn_kind)
    if rnn_kind == "gru":
        print(sm)
    print(f"{rnn_kind} params: {sum(p.numel() for p in sm.parameters() if p.requires_grad)}")
    opt = torch.optim.Adam(sm.parameters(), lr=1e-2)
    for step in range(25):
        log_probs = sm(feats)
        if step == 0:
            print("log_probs:", log_probs.shape, log_probs.dtype)
        loss_a = ctc_loss(log_probs, targets_concat, input_lengths, target_lengths)
        loss_b = ctc_loss(log_probs, targets_padded, input_lengths, target_lengths)
        opt.zero_grad()
        loss_a.backward()
        opt.step()
        if step % 5 == 0 or step == 24:
            print(f"[{rnn_kind}] step {step:2d} ctc(concat) {loss_a.item():.4f} ctc(padded) {loss_b.item():.4f}")
    sm.eval()
    with torch.no_grad():
        lp = sm(feats)
    decoded = greedy_decode(lp, input_lengths)
    for i, d in enumerate(decoded):
        ref = targets_padded[i, : target_lengths[i]].tolist()
        print(f"[{rnn_kind}] utt {i}: ref={ref} hyp={d}")

# reduction variants and impossible alignment with zero_infinity
with torch.no_grad():
    lp = sm(feats)
per_utt = F.ctc_loss(lp, targets_concat, input_lengths, target_lengths, blank=0, reduction="none")
print("per-utterance ctc:", torch.round(per_utt, decimals=3))
print("sum ctc:", round(F.ctc_loss(lp, targets_concat, input_lengths, target_lengths, reduction="sum").item(), 3))
bad_in = torch.tensor([30, 28, 25, 2])
inf_loss = F.ctc_loss(lp, targets_concat, bad_in, target_lengths, reduction="none")
print("no zero_infinity:", inf_loss)
zi_loss = F.ctc_loss(lp, targets_concat, bad_in, target_lengths, reduction="none", zero_infinity=True)
print("zero_infinity:", zi_loss)

u, counts = torch.unique_consecutive(torch.tensor([0, 0, 3, 3, 0, 2, 2, 2, 0, 3]), return_counts=True)
print("unique_consecutive:", u, counts)
