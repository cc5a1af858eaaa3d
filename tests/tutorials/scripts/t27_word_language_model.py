# ruff: noqa: B007, UP008, UP031, UP032, E731, A001  (tutorial code, kept as the tutorials write it)
# pytorch/examples "word_language_model", condensed: a Dictionary/Corpus over in-script text,
# RNNModel (LSTM / GRU / RNN_TANH, tied encoder-decoder weights, init.uniform_/zeros_),
# batchify, get_batch, repackage_hidden (detach of a hidden tuple), a hand-written SGD step with
# p.data.add_, clip_grad_norm_, perplexity, evaluate under no_grad, and generation with
# output.squeeze().div(temperature).exp() and torch.multinomial on a degenerate distribution.
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1111)
device = torch.device("cpu")


class Dictionary:
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


class Corpus:
    def __init__(self, train, valid):
        self.dictionary = Dictionary()
        self.train = self.tokenize(train)
        self.valid = self.tokenize(valid)

    def tokenize(self, lines):
        for line in lines:
            words = line.split() + ["<eos>"]
            for word in words:
                self.dictionary.add_word(word)
        idss = []
        for line in lines:
            words = line.split() + ["<eos>"]
            ids = []
            for word in words:
                ids.append(self.dictionary.word2idx[word])
            idss.append(torch.tensor(ids).type(torch.int64))
        ids = torch.cat(idss)
        return ids


text = [
    "the quick brown fox jumps over the lazy dog",
    "the lazy dog sleeps all day",
    "a quick brown cat runs over the hill",
    "the fox and the cat are friends",
]
rng = np.random.default_rng(0)
train_lines = [text[i] for i in rng.integers(0, len(text), size=24)]
valid_lines = [text[i] for i in rng.integers(0, len(text), size=6)]
corpus = Corpus(train_lines, valid_lines)
print(len(corpus.dictionary), corpus.train.shape, corpus.train.dtype, corpus.valid[:10])


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    data = data.view(bsz, -1).t().contiguous()
    return data.to(device)


eval_batch_size = 2
train_data = batchify(corpus.train, 4)
val_data = batchify(corpus.valid, eval_batch_size)
print(train_data.shape, val_data.shape)


class RNNModel(nn.Module):
    """Container module with an encoder, a recurrent module, and a decoder."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ["LSTM", "GRU"]:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            try:
                nonlinearity = {"RNN_TANH": "tanh", "RNN_RELU": "relu"}[rnn_type]
            except KeyError as e:
                raise ValueError("An invalid option for `--model` was supplied") from e
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            if nhid != ninp:
                raise ValueError("When using the tied flag, nhid must be equal to emsize")
            self.decoder.weight = self.encoder.weight
        self.init_weights()
        self.rnn_type = rnn_type
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        if self.rnn_type == "LSTM":
            return (
                weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid),
            )
        else:
            return weight.new_zeros(self.nlayers, bsz, self.nhid)


def repackage_hidden(h):
    """Wraps hidden states in new Tensors, to detach them from their history."""
    if isinstance(h, torch.Tensor):
        return h.detach()
    else:
        return tuple(repackage_hidden(v) for v in h)


bptt = 8


def get_batch(source, i):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i : i + seq_len]
    target = source[i + 1 : i + 1 + seq_len].view(-1)
    return data, target


ntokens = len(corpus.dictionary)
criterion = nn.NLLLoss()


def evaluate(model, data_source):
    model.eval()
    total_loss = 0.0
    hidden = model.init_hidden(eval_batch_size)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, bptt):
            data, targets = get_batch(data_source, i)
            output, hidden = model(data, hidden)
            hidden = repackage_hidden(hidden)
            total_loss += len(data) * criterion(output, targets).item()
    return total_loss / (len(data_source) - 1)


def train(model, lr, epoch, clip=0.25, log_interval=3):
    model.train()
    total_loss = 0.0
    hidden = model.init_hidden(4)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = get_batch(train_data, i)
        model.zero_grad()
        hidden = repackage_hidden(hidden)
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        total_loss += loss.item()
        if batch % log_interval == 0 and batch > 0:
            cur_loss = total_loss / log_interval
            print(
                "| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | "
                "loss {:5.2f} | ppl {:8.2f}".format(
                    epoch, batch, len(train_data) // bptt, lr, cur_loss, math.exp(cur_loss)
                )
            )
            total_loss = 0


for rnn_type, tied in [("LSTM", True), ("GRU", False), ("RNN_TANH", False)]:
    model = RNNModel(rnn_type, ntokens, 16, 16, 2, dropout=0.0, tie_weights=tied).to(device)
    print(model)
    print(model.decoder.weight is model.encoder.weight, len(list(model.parameters())))
    print(sorted(model.state_dict())[:3], len(model.state_dict()))
    rng = np.random.default_rng(3)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.2, 0.2, p.shape).astype("float32")))
    lr = 5.0
    best_val_loss = None
    for epoch in range(1, 3):
        train(model, lr, epoch)
        val_loss = evaluate(model, val_data)
        print(
            "| end of epoch {:3d} | valid loss {:5.2f} | valid ppl {:8.2f}".format(
                epoch, val_loss, math.exp(val_loss)
            )
        )
        if not best_val_loss or val_loss < best_val_loss:
            best_val_loss = val_loss
        else:
            lr /= 4.0

# generate.py, greedily: shifted by the max and at temperature 1e-3 the distribution is
# one-hot, so torch.multinomial is deterministic
model.eval()
hidden = model.init_hidden(1)
input = torch.tensor([[corpus.dictionary.word2idx["the"]]], dtype=torch.long).to(device)
words = []
with torch.no_grad():
    for i in range(8):
        output, hidden = model(input, hidden)
        word_weights = (output.squeeze() - output.max()).div(1e-3).exp().cpu()
        word_idx = torch.multinomial(word_weights, 1)[0]
        assert word_idx.item() == output.argmax().item()
        input.fill_(word_idx)
        words.append(corpus.dictionary.idx2word[word_idx])
print(" ".join(words))
