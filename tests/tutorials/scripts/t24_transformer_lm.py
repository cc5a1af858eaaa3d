# ruff: noqa: B007, UP008, UP031, UP032, E731, A001, UP035, UP006, F841  (tutorial code, kept as the tutorials write it)
# "Language Modeling with nn.Transformer", condensed: TransformerModel (nn.Embedding * sqrt(d),
# PositionalEncoding with register_buffer, TransformerEncoder/TransformerEncoderLayer, a square
# subsequent mask), batchify / get_batch (view, t, contiguous, slicing), CrossEntropyLoss, SGD with
# clip_grad_norm_ and StepLR, math.exp(loss) perplexity, best-model checkpoint through torch.save /
# torch.load in a temporary directory. Synthetic text instead of WikiText-2; dropout 0.
import math
import os
from tempfile import TemporaryDirectory
from typing import Tuple

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn import TransformerEncoder, TransformerEncoderLayer

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
device = torch.device("cpu")
torch.manual_seed(0)


class TransformerModel(nn.Module):
    def __init__(
        self, ntoken: int, d_model: int, nhead: int, d_hid: int, nlayers: int, dropout: float = 0.5
    ):
        super().__init__()
        self.model_type = "Transformer"
        self.pos_encoder = PositionalEncoding(d_model, dropout)
        encoder_layers = TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
        self.transformer_encoder = TransformerEncoder(encoder_layers, nlayers)
        self.embedding = nn.Embedding(ntoken, d_model)
        self.d_model = d_model
        self.linear = nn.Linear(d_model, ntoken)
        self.init_weights()

    def init_weights(self) -> None:
        initrange = 0.1
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.linear.bias.data.zero_()
        self.linear.weight.data.uniform_(-initrange, initrange)

    def forward(self, src: Tensor, src_mask: Tensor = None) -> Tensor:
        """
        Arguments:
            src: Tensor, shape ``[seq_len, batch_size]``
            src_mask: Tensor, shape ``[seq_len, seq_len]``

        Returns:
            output Tensor of shape ``[seq_len, batch_size, ntoken]``
        """
        src = self.embedding(src) * math.sqrt(self.d_model)
        src = self.pos_encoder(src)
        if src_mask is None:
            src_mask = nn.Transformer.generate_square_subsequent_mask(len(src)).to(device)
        output = self.transformer_encoder(src, src_mask)
        output = self.linear(output)
        return output


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, dropout: float = 0.1, max_len: int = 5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x: Tensor) -> Tensor:
        """
        Arguments:
            x: Tensor, shape ``[seq_len, batch_size, embedding_dim]``
        """
        x = x + self.pe[: x.size(0)]
        return self.dropout(x)


def generate_square_subsequent_mask(sz: int) -> Tensor:
    """The older tutorial's version of the mask."""
    return torch.triu(torch.ones(sz, sz) * float("-inf"), diagonal=1)


print(nn.Transformer.generate_square_subsequent_mask(4))
print(generate_square_subsequent_mask(4))
print(
    torch.equal(
        nn.Transformer.generate_square_subsequent_mask(5), generate_square_subsequent_mask(5)
    )
)

# --- data: a tiny synthetic corpus instead of WikiText-2 ---------------------------------------
sentences = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "a cat saw a dog",
    "the bird sang a song",
    "a dog ate the bone",
    "the cat ate a fish",
]
rng = np.random.default_rng(0)
train_iter = [sentences[i] for i in rng.integers(0, len(sentences), size=40)]
val_iter = [sentences[i] for i in rng.integers(0, len(sentences), size=10)]
test_iter = [sentences[i] for i in rng.integers(0, len(sentences), size=10)]

tokenizer = lambda line: line.lower().split() + ["<eos>"]
itos = ["<unk>"] + sorted({w for s in sentences for w in tokenizer(s)})
stoi = {w: i for i, w in enumerate(itos)}
vocab = lambda tokens: [stoi.get(t, 0) for t in tokens]
print(len(itos), vocab(tokenizer("the cat sat")))


def data_process(raw_text_iter) -> Tensor:
    """Converts raw text into a flat Tensor."""
    data = [torch.tensor(vocab(tokenizer(item)), dtype=torch.long) for item in raw_text_iter]
    return torch.cat(tuple(filter(lambda t: t.numel() > 0, data)))


train_data = data_process(train_iter)
val_data = data_process(val_iter)
test_data = data_process(test_iter)
print(train_data.shape, val_data.shape, train_data[:12])


def batchify(data: Tensor, bsz: int) -> Tensor:
    """Divides the data into ``bsz`` separate sequences, removing extra elements
    that wouldn't cleanly fit.

    Arguments:
        data: Tensor, shape ``[N]``
        bsz: int, batch size

    Returns:
        Tensor of shape ``[N // bsz, bsz]``
    """
    seq_len = data.size(0) // bsz
    data = data[: seq_len * bsz]
    data = data.view(bsz, seq_len).t().contiguous()
    return data.to(device)


batch_size = 4
eval_batch_size = 2
train_data = batchify(train_data, batch_size)  # shape ``[seq_len, batch_size]``
val_data = batchify(val_data, eval_batch_size)
test_data = batchify(test_data, eval_batch_size)
print(train_data.shape, val_data.shape, test_data.shape, train_data.is_contiguous())
print(train_data[:3])

bptt = 16


def get_batch(source: Tensor, i: int) -> Tuple[Tensor, Tensor]:
    """
    Arguments:
        source: Tensor, shape ``[full_seq_len, batch_size]``
        i: int

    Returns:
        tuple (data, target), where data has shape ``[seq_len, batch_size]`` and
        target has shape ``[seq_len * batch_size]``
    """
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i : i + seq_len]
    target = source[i + 1 : i + 1 + seq_len].reshape(-1)
    return data, target


data, targets = get_batch(train_data, 0)
print(data.shape, targets.shape, targets[:8])
print(torch.narrow(train_data, 0, 1, 2))

ntokens = len(itos)  # size of vocabulary
emsize = 16  # embedding dimension
d_hid = 32  # dimension of the feedforward network model in ``nn.TransformerEncoder``
nlayers = 2  # number of ``nn.TransformerEncoderLayer`` in ``nn.TransformerEncoder``
nhead = 2  # number of heads in ``nn.MultiheadAttention``
dropout = 0.0  # dropout probability (the tutorial uses 0.2; random masks differ between libraries)
model = TransformerModel(ntokens, emsize, nhead, d_hid, nlayers, dropout).to(device)
rng = np.random.default_rng(1)
with torch.no_grad():
    for name, p in model.named_parameters():
        scale = 0.1 if p.dim() > 1 else 0.02
        p.copy_(torch.from_numpy(rng.standard_normal(p.shape).astype("float32")) * scale)
print(model)
print(model.pos_encoder.pe.shape, model.pos_encoder.pe[1, 0, :4])
print([k for k in model.state_dict() if "layers.0" not in k])
print(sum(p.numel() for p in model.parameters()))

import time

criterion = nn.CrossEntropyLoss()
lr = 5.0  # learning rate
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.95)


def train(model: nn.Module) -> None:
    model.train()  # turn on train mode
    total_loss = 0.0
    log_interval = 2
    start_time = time.time()
    num_batches = len(train_data) // bptt
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = get_batch(train_data, i)
        output = model(data)
        output_flat = output.view(-1, ntokens)
        loss = criterion(output_flat, targets)

        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()

        total_loss += loss.item()
        if batch % log_interval == 0 and batch > 0:
            lr = scheduler.get_last_lr()[0]
            ms_per_batch = (time.time() - start_time) * 1000 / log_interval
            cur_loss = total_loss / log_interval
            ppl = math.exp(cur_loss)
            print(
                f"| epoch {epoch:3d} | {batch:5d}/{num_batches:5d} batches | "
                f"lr {lr:02.2f} | ms/batch {0.0:5.2f} | "
                f"loss {cur_loss:5.2f} | ppl {ppl:8.2f}"
            )
            total_loss = 0
            start_time = time.time()


def evaluate(model: nn.Module, eval_data: Tensor) -> float:
    model.eval()  # turn on evaluation mode
    total_loss = 0.0
    with torch.no_grad():
        for i in range(0, eval_data.size(0) - 1, bptt):
            data, targets = get_batch(eval_data, i)
            seq_len = data.size(0)
            output = model(data)
            output_flat = output.view(-1, ntokens)
            total_loss += seq_len * criterion(output_flat, targets).item()
    return total_loss / (len(eval_data) - 1)


best_val_loss = float("inf")
epochs = 3

with TemporaryDirectory() as tempdir:
    best_model_params_path = os.path.join(tempdir, "best_model_params.pt")

    for epoch in range(1, epochs + 1):
        epoch_start_time = time.time()
        train(model)
        val_loss = evaluate(model, val_data)
        val_ppl = math.exp(val_loss)
        elapsed = time.time() - epoch_start_time
        print("-" * 89)
        print(
            f"| end of epoch {epoch:3d} | time: {0.0:5.2f}s | "
            f"valid loss {val_loss:5.2f} | valid ppl {val_ppl:8.2f}"
        )
        print("-" * 89)

        if val_loss < best_val_loss:
            best_val_loss = val_loss
            torch.save(model.state_dict(), best_model_params_path)

        scheduler.step()
        print(scheduler.get_last_lr(), optimizer.param_groups[0]["lr"])
    model.load_state_dict(torch.load(best_model_params_path))  # load best model states

test_loss = evaluate(model, test_data)
test_ppl = math.exp(test_loss)
print("=" * 89)
print(f"| End of training | test loss {test_loss:5.2f} | test ppl {test_ppl:8.2f}")
print("=" * 89)

# the older tutorial's loop: one mask of size bptt, cut for the last short batch
src_mask = generate_square_subsequent_mask(bptt).to(device)
model.eval()
with torch.no_grad():
    for i in range(0, val_data.size(0) - 1, bptt):
        data, targets = get_batch(val_data, i)
        batch_size = data.size(0)
        if batch_size != bptt:
            src_mask = src_mask[:batch_size, :batch_size]
        output = model(data, src_mask)
        preds = output.argmax(dim=-1)
        print(data.shape, src_mask.shape, (preds.view(-1) == targets).sum().item())
    print([itos[t] for t in preds[:6, 0].tolist()])
