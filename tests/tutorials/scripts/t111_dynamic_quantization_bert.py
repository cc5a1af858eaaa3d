"""PyTorch tutorial "Dynamic Quantization on BERT", in miniature: a small Transformer encoder
classifier (weights from NumPy), its nn.Linear layers quantized dynamically to int8."""

import os
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn

warnings.simplefilter("ignore")


class BertLayer(nn.Module):
    """Self-attention and feed-forward made of nn.Linear, as Hugging Face's BertLayer."""

    def __init__(self, d_model, nhead, d_ff):
        super().__init__()
        self.nhead = nhead
        self.query = nn.Linear(d_model, d_model)
        self.key = nn.Linear(d_model, d_model)
        self.value = nn.Linear(d_model, d_model)
        self.attn_out = nn.Linear(d_model, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.intermediate = nn.Linear(d_model, d_ff)
        self.output = nn.Linear(d_ff, d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def heads(self, x):
        b, t, d = x.shape
        return x.view(b, t, self.nhead, d // self.nhead).transpose(1, 2)

    def forward(self, x):
        q, k, v = self.heads(self.query(x)), self.heads(self.key(x)), self.heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / (q.shape[-1] ** 0.5)
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(x.shape)
        x = self.norm1(x + self.attn_out(ctx))
        return self.norm2(x + self.output(nn.functional.gelu(self.intermediate(x))))


class TinyBert(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2, classes=3):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, d_model)
        self.encoder = nn.ModuleList([BertLayer(d_model, nhead, 64) for _ in range(layers)])
        self.pooler = nn.Linear(d_model, d_model)
        self.classifier = nn.Linear(d_model, classes)

    def forward(self, ids):
        h = self.embeddings(ids)
        for layer in self.encoder:
            h = layer(h)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return self.classifier(pooled)


model = TinyBert()
rng = np.random.default_rng(1)
state = {}
for k, v in model.state_dict().items():
    if k.endswith("norm1.weight") or k.endswith("norm2.weight"):
        state[k] = torch.ones(v.shape)
    else:
        state[k] = torch.from_numpy((rng.standard_normal(tuple(v.shape)) * 0.2).astype(np.float32))
model.load_state_dict(state)
model.eval()

quantized_model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
print(quantized_model)


def print_size_of_model(model):
    path = os.path.join(tempfile.mkdtemp(), "temp.p")
    torch.save(model.state_dict(), path)
    size = os.path.getsize(path)
    os.remove(path)
    return size


print("size ratio below 0.6:", print_size_of_model(quantized_model) / print_size_of_model(model) < 0.6)

w = quantized_model.classifier.weight()
print(w.dtype, w.qscheme(), w.q_zero_point(), f"{w.q_scale():.6g}")
print(w.int_repr()[:, :8])
print(quantized_model.pooler.bias()[:4])

ids = torch.from_numpy(rng.integers(0, 40, (4, 12)))
with torch.no_grad():
    logits_f = model(ids)
    logits_q = quantized_model(ids)
print("float     ", [[round(v, 3) for v in row] for row in logits_f.tolist()])
print("quantized ", [[round(v, 2) for v in row] for row in logits_q.tolist()])
print("same predictions:", logits_q.argmax(1).tolist() == logits_f.argmax(1).tolist())
