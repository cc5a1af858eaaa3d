# ruff: noqa: B006, B020, E731, E741, UP034  (d2l code, kept as the book writes it)
# Dive into Deep Learning (d2l.ai, PyTorch), chapter 10 "Modern Recurrent Neural Networks": LSTM
# and GRU from scratch and concise (nn.LSTM / nn.GRU), deep RNNs (StackedRNNScratch and
# nn.GRU(num_layers=2, dropout=...)) and bidirectional RNNs (BiRNNScratch, nn.GRU(bidirectional=
# True)), trained as character language models in d2l 1.0's Module/Trainer style. Adapted: the
# d2l helpers (Vocab, the language-model data, RNNScratch, RNNLMScratch, Trainer with gradient
# clipping) are written inline, The Time Machine is replaced by a short repeated passage, the
# training is two epochs per model (perplexities printed to 4 decimals), plots become prints.
import collections
import math
import re

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)

RAW_TEXT = ("The Time Traveller (for so it will be convenient to speak of him) was expounding a "
            "recondite matter to us. His grey eyes shone and twinkled, and his usually pale face "
            "was flushed and animated. The fire burned brightly, and the soft radiance of the "
            "incandescent lights in the lilies of silver caught the bubbles that flashed and passed "
            "in our glasses. ") * 6


class Vocab:
    """Vocabulary for text."""

    def __init__(self, tokens=[], min_freq=0, reserved_tokens=[]):
        # Flatten a 2D list if needed
        if tokens and isinstance(tokens[0], list):
            tokens = [token for line in tokens for token in line]
        # Count token frequencies
        counter = collections.Counter(tokens)
        self.token_freqs = sorted(counter.items(), key=lambda x: x[1], reverse=True)
        # The list of unique tokens
        self.idx_to_token = list(sorted(set(['<unk>'] + reserved_tokens + [
            token for token, freq in self.token_freqs if freq >= min_freq])))
        self.token_to_idx = {token: idx for idx, token in enumerate(self.idx_to_token)}

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]

    def to_tokens(self, indices):
        if hasattr(indices, '__len__') and len(indices) > 1:
            return [self.idx_to_token[int(index)] for index in indices]
        return self.idx_to_token[indices]

    @property
    def unk(self):  # Index for the unknown token
        return self.token_to_idx['<unk>']


tokens = list(re.sub('[^A-Za-z]+', ' ', RAW_TEXT).lower())
vocab = Vocab(tokens)
corpus = [vocab[token] for token in tokens]


class TimeMachine:
    """The (stand-in) Time Machine dataset of shifted character subsequences."""

    def __init__(self, batch_size, num_steps, num_train=600, num_val=200):
        self.batch_size, self.num_steps = batch_size, num_steps
        self.num_train, self.num_val = num_train, num_val
        self.corpus, self.vocab = corpus, vocab
        array = torch.tensor([corpus[i:i + num_steps + 1] for i in range(len(corpus) - num_steps)])
        self.X, self.Y = array[:, :-1], array[:, 1:]

    def get_dataloader(self, train):
        idx = slice(0, self.num_train) if train else slice(self.num_train, self.num_train + self.num_val)
        dataset = torch.utils.data.TensorDataset(self.X[idx], self.Y[idx])
        return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)

    def train_dataloader(self):
        return self.get_dataloader(True)

    def val_dataloader(self):
        return self.get_dataloader(False)


data = TimeMachine(batch_size=32, num_steps=16, num_train=384, num_val=128)


# ---- minimal d2l Module / Classifier / Trainer -------------------------------------------
class Classifier(nn.Module):
    def loss(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)


class Trainer:
    def __init__(self, max_epochs, gradient_clip_val=0):
        self.max_epochs = max_epochs
        self.gradient_clip_val = gradient_clip_val

    def fit(self, model, data):
        self.model = model
        self.optim = model.configure_optimizers()
        for self.epoch in range(self.max_epochs):
            model.train()
            ppl, n = 0.0, 0
            for batch in data.train_dataloader():
                loss = model.training_step(batch)
                self.optim.zero_grad()
                with torch.no_grad():
                    loss.backward()
                    if self.gradient_clip_val > 0:
                        self.clip_gradients(self.gradient_clip_val, model)
                    self.optim.step()
                ppl, n = ppl + torch.exp(loss).item(), n + 1
            model.eval()
            with torch.no_grad():
                val = [model.loss(model(*b[:-1]), b[-1]).item() for b in data.val_dataloader()]
            print(f'epoch {self.epoch + 1}: train ppl {ppl / n:.4f}, '
                  f'val ppl {math.exp(sum(val) / len(val)):.4f}')

    def clip_gradients(self, grad_clip_val, model):
        params = [p for p in model.parameters() if p.requires_grad]
        norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
        if norm > grad_clip_val:
            for param in params:
                param.grad[:] *= grad_clip_val / norm


class RNNScratch(nn.Module):
    """The RNN model implemented from scratch."""

    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.num_inputs, self.num_hiddens, self.sigma = num_inputs, num_hiddens, sigma
        self.W_xh = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.W_hh = nn.Parameter(torch.randn(num_hiddens, num_hiddens) * sigma)
        self.b_h = nn.Parameter(torch.zeros(num_hiddens))

    def forward(self, inputs, state=None):
        if state is None:
            # Initial state with shape: (batch_size, num_hiddens)
            state = torch.zeros((inputs.shape[1], self.num_hiddens), device=inputs.device)
        else:
            state, = state
        outputs = []
        for X in inputs:  # Shape of inputs: (num_steps, batch_size, num_inputs)
            state = torch.tanh(torch.matmul(X, self.W_xh) + torch.matmul(state, self.W_hh) + self.b_h)
            outputs.append(state)
        return outputs, state



class RNNLMScratch(Classifier):
    """The RNN-based language model implemented from scratch."""

    def __init__(self, rnn, vocab_size, lr=0.01):
        super().__init__()
        self.rnn, self.vocab_size, self.lr = rnn, vocab_size, lr
        self.init_params()

    def init_params(self):
        self.W_hq = nn.Parameter(torch.randn(self.rnn.num_hiddens, self.vocab_size) * self.rnn.sigma)
        self.b_q = nn.Parameter(torch.zeros(self.vocab_size))

    def training_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        return l

    def one_hot(self, X):
        # Output shape: (num_steps, batch_size, vocab_size)
        return F.one_hot(X.T, self.vocab_size).type(torch.float32)

    def output_layer(self, rnn_outputs):
        outputs = [torch.matmul(H, self.W_hq) + self.b_q for H in rnn_outputs]
        return torch.stack(outputs, 1)

    def forward(self, X, state=None):
        embs = self.one_hot(X)
        rnn_outputs, _ = self.rnn(embs, state)
        return self.output_layer(rnn_outputs)

    def predict(self, prefix, num_preds, vocab, device=None):
        state, outputs = None, [vocab[prefix[0]]]
        for i in range(len(prefix) + num_preds - 1):
            X = torch.tensor([[outputs[-1]]], device=device)
            embs = self.one_hot(X)
            rnn_outputs, state = self.rnn(embs, state)
            if i < len(prefix) - 1:  # Warm-up period
                outputs.append(vocab[prefix[i + 1]])
            else:  # Predict num_preds steps
                Y = self.output_layer(rnn_outputs)
                outputs.append(int(Y.argmax(axis=2).reshape(1)))
        return ''.join([vocab.idx_to_token[i] for i in outputs])


class RNNLM(RNNLMScratch):
    """The RNN-based language model implemented with high-level APIs."""

    def init_params(self):
        self.linear = nn.LazyLinear(self.vocab_size)

    def output_layer(self, hiddens):
        return self.linear(hiddens).swapaxes(0, 1)




# ---- 10.1 Long Short-Term Memory (LSTM) --------------------------------------------------
class LSTMScratch(nn.Module):
    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.num_inputs, self.num_hiddens, self.sigma = num_inputs, num_hiddens, sigma

        init_weight = lambda *shape: nn.Parameter(torch.randn(*shape) * sigma)
        triple = lambda: (init_weight(num_inputs, num_hiddens),
                          init_weight(num_hiddens, num_hiddens),
                          nn.Parameter(torch.zeros(num_hiddens)))
        self.W_xi, self.W_hi, self.b_i = triple()  # Input gate
        self.W_xf, self.W_hf, self.b_f = triple()  # Forget gate
        self.W_xo, self.W_ho, self.b_o = triple()  # Output gate
        self.W_xc, self.W_hc, self.b_c = triple()  # Input node

    def forward(self, inputs, H_C=None):
        if H_C is None:
            # Initial state with shape: (batch_size, num_hiddens)
            H = torch.zeros((inputs.shape[1], self.num_hiddens), device=inputs.device)
            C = torch.zeros((inputs.shape[1], self.num_hiddens), device=inputs.device)
        else:
            H, C = H_C
        outputs = []
        for X in inputs:
            I = torch.sigmoid(torch.matmul(X, self.W_xi) + torch.matmul(H, self.W_hi) + self.b_i)
            F = torch.sigmoid(torch.matmul(X, self.W_xf) + torch.matmul(H, self.W_hf) + self.b_f)
            O = torch.sigmoid(torch.matmul(X, self.W_xo) + torch.matmul(H, self.W_ho) + self.b_o)
            C_tilde = torch.tanh(torch.matmul(X, self.W_xc) + torch.matmul(H, self.W_hc) + self.b_c)
            C = F * C + I * C_tilde
            H = O * torch.tanh(C)
            outputs.append(H)
        return outputs, (H, C)


def fit_and_predict(model, max_epochs=2):
    trainer = Trainer(max_epochs=max_epochs, gradient_clip_val=1)
    trainer.fit(model, data)
    print(model.predict('it has', 20, data.vocab))


lstm = LSTMScratch(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLMScratch(lstm, vocab_size=len(data.vocab), lr=4)
fit_and_predict(model)


class LSTM(nn.Module):
    def __init__(self, num_inputs, num_hiddens):
        super().__init__()
        self.num_inputs, self.num_hiddens = num_inputs, num_hiddens
        self.rnn = nn.LSTM(num_inputs, num_hiddens)

    def forward(self, inputs, H_C=None):
        return self.rnn(inputs, H_C)


lstm = LSTM(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLM(lstm, vocab_size=len(data.vocab), lr=4)
fit_and_predict(model)
print(lstm.rnn, [(n, tuple(p.shape)) for n, p in lstm.rnn.named_parameters()])
out, (H, C) = lstm(torch.zeros(5, 3, len(data.vocab)))
print(out.shape, H.shape, C.shape)


# ---- 10.2 Gated Recurrent Units (GRU) ----------------------------------------------------
class GRUScratch(nn.Module):
    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.num_inputs, self.num_hiddens, self.sigma = num_inputs, num_hiddens, sigma

        init_weight = lambda *shape: nn.Parameter(torch.randn(*shape) * sigma)
        triple = lambda: (init_weight(num_inputs, num_hiddens),
                          init_weight(num_hiddens, num_hiddens),
                          nn.Parameter(torch.zeros(num_hiddens)))
        self.W_xz, self.W_hz, self.b_z = triple()  # Update gate
        self.W_xr, self.W_hr, self.b_r = triple()  # Reset gate
        self.W_xh, self.W_hh, self.b_h = triple()  # Candidate hidden state

    def forward(self, inputs, H=None):
        if H is None:
            # Initial state with shape: (batch_size, num_hiddens)
            H = torch.zeros((inputs.shape[1], self.num_hiddens), device=inputs.device)
        outputs = []
        for X in inputs:
            Z = torch.sigmoid(torch.matmul(X, self.W_xz) + torch.matmul(H, self.W_hz) + self.b_z)
            R = torch.sigmoid(torch.matmul(X, self.W_xr) + torch.matmul(H, self.W_hr) + self.b_r)
            H_tilde = torch.tanh(torch.matmul(X, self.W_xh) + torch.matmul(R * H, self.W_hh) + self.b_h)
            H = Z * H + (1 - Z) * H_tilde
            outputs.append(H)
        return outputs, H


gru = GRUScratch(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLMScratch(gru, vocab_size=len(data.vocab), lr=4)
fit_and_predict(model)


class GRU(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_layers=1, dropout=0, bidirectional=False):
        super().__init__()
        self.num_inputs, self.num_hiddens = num_inputs, num_hiddens
        self.rnn = nn.GRU(num_inputs, num_hiddens, num_layers, dropout=dropout,
                          bidirectional=bidirectional)
        if bidirectional:
            self.num_hiddens *= 2

    def forward(self, inputs, H=None):
        return self.rnn(inputs, H)


gru = GRU(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLM(gru, vocab_size=len(data.vocab), lr=4)
fit_and_predict(model)


# ---- 10.3 Deep Recurrent Neural Networks -------------------------------------------------
class StackedRNNScratch(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_layers, sigma=0.01):
        super().__init__()
        self.num_inputs, self.num_hiddens, self.num_layers, self.sigma = (
            num_inputs, num_hiddens, num_layers, sigma)
        self.rnns = nn.Sequential(*[RNNScratch(
            num_inputs if i == 0 else num_hiddens, num_hiddens, sigma)
            for i in range(num_layers)])

    def forward(self, inputs, Hs=None):
        outputs = inputs
        if Hs is None:
            Hs = [None] * self.num_layers
        for i in range(self.num_layers):
            outputs, Hs[i] = self.rnns[i](outputs, Hs[i])
            outputs = torch.stack(outputs, 0)
        return outputs, Hs


rnn_block = StackedRNNScratch(num_inputs=len(data.vocab), num_hiddens=32, num_layers=2)
outputs, Hs = rnn_block(torch.zeros(16, 4, len(data.vocab)))
print(outputs.shape, [H.shape for H in Hs])
model = RNNLMScratch(rnn_block, vocab_size=len(data.vocab), lr=2)
trainer = Trainer(max_epochs=2, gradient_clip_val=1)
trainer.fit(model, data)

gru = GRU(num_inputs=len(data.vocab), num_hiddens=32, num_layers=2, dropout=0.2)
model = RNNLM(gru, vocab_size=len(data.vocab), lr=2)
fit_and_predict(model)
print(gru.rnn)
model.eval()
with torch.no_grad():
    print(model(torch.ones((2, 5), dtype=torch.int64)).shape)


# ---- 10.4 Bidirectional Recurrent Neural Networks ----------------------------------------
class BiRNNScratch(nn.Module):
    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.num_inputs, self.num_hiddens, self.sigma = num_inputs, num_hiddens, sigma
        self.f_rnn = RNNScratch(num_inputs, num_hiddens, sigma)
        self.b_rnn = RNNScratch(num_inputs, num_hiddens, sigma)
        self.num_hiddens *= 2  # The output dimension will be doubled

    def forward(self, inputs, Hs=None):
        f_H, b_H = Hs if Hs is not None else (None, None)
        f_outputs, f_H = self.f_rnn(inputs, f_H)
        b_outputs, b_H = self.b_rnn(reversed(inputs), b_H)
        outputs = [torch.cat((f, b), -1) for f, b in zip(
            f_outputs, reversed(b_outputs))]
        return outputs, (f_H, b_H)


bi_rnn = BiRNNScratch(num_inputs=len(data.vocab), num_hiddens=16)
outputs, (f_H, b_H) = bi_rnn(torch.randn(6, 3, len(data.vocab)))
print(len(outputs), outputs[0].shape, f_H.shape, b_H.shape)
print(reversed(torch.arange(6).reshape(3, 2)))
model = RNNLMScratch(bi_rnn, vocab_size=len(data.vocab), lr=1)
trainer = Trainer(max_epochs=1, gradient_clip_val=1)
trainer.fit(model, data)

bi_gru = GRU(num_inputs=len(data.vocab), num_hiddens=16, bidirectional=True)
out, H = bi_gru(torch.randn(6, 3, len(data.vocab)))
print(out.shape, H.shape, bi_gru.num_hiddens)
print([(n, tuple(p.shape)) for n, p in bi_gru.rnn.named_parameters()])
model = RNNLM(bi_gru, vocab_size=len(data.vocab), lr=1)
trainer.fit(model, data)
