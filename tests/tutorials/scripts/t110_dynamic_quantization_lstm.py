"""PyTorch tutorial "Dynamic Quantization on an LSTM Word Language Model", on a small model whose
weights come from NumPy (so PyTorch and torchlike start from the same numbers)."""

import os
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn

warnings.simplefilter("ignore")


class LSTMModel(nn.Module):
    """Container module with an encoder, a recurrent module, and a decoder."""

    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        self.nhid = nhid
        self.nlayers = nlayers

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        return decoded, hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))


ntokens = 50
model = LSTMModel(ntoken=ntokens, ninp=32, nhid=64, nlayers=2)
rng = np.random.default_rng(0)
model.load_state_dict(
    {k: torch.from_numpy((rng.standard_normal(tuple(v.shape)) * 0.15).astype(np.float32)) for k, v in model.state_dict().items()}
)
model.eval()
print(model)

quantized_model = torch.quantization.quantize_dynamic(model, {nn.LSTM, nn.Linear}, dtype=torch.qint8)
print(quantized_model)
print(quantized_model.decoder.weight().dtype, quantized_model.decoder.weight().qscheme())
print(list(quantized_model.state_dict().keys()))


def size_of_model(model):
    path = os.path.join(tempfile.mkdtemp(), "temp.p")
    torch.save(model.state_dict(), path)
    size = os.path.getsize(path)
    os.remove(path)
    return size


ratio = size_of_model(quantized_model) / size_of_model(model)
print("quantized model is less than a third of the float one:", ratio < 1 / 3)

data = torch.from_numpy(rng.integers(0, ntokens, (35, 4)))
targets = torch.from_numpy(rng.integers(0, ntokens, (35 * 4,)))
criterion = nn.CrossEntropyLoss()


def evaluate(model_):
    with torch.no_grad():
        hidden = model_.init_hidden(4)
        output, hidden = model_(data, hidden)
        loss = criterion(output.view(-1, ntokens), targets)
    return output, hidden, loss


out_f, hid_f, loss_f = evaluate(model)
out_q, hid_q, loss_q = evaluate(quantized_model)
print(f"float loss {loss_f.item():.4f}  quantized loss {loss_q.item():.4f}")
print("quantized output", [round(v, 3) for v in out_q[-1, 0, :6].tolist()])
print("h_n", [round(v, 3) for v in hid_q[0][-1, 0, :6].tolist()])
print("same argmax:", round((out_q.argmax(-1) == out_f.argmax(-1)).float().mean().item(), 2))
print("max |float - quantized| < 0.1:", (out_q - out_f).abs().max().item() < 0.1)
print(torch.backends.quantized.engine, torch.backends.quantized.supported_engines)
