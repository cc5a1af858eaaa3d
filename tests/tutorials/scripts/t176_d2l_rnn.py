# ruff: noqa: B006, B020, E741, UP034  (d2l code, kept as the book writes it)
# Dive into Deep Learning (d2l.ai, PyTorch), chapter 9 "Recurrent Neural Networks": text
# preprocessing (char tokens, Vocab), the language-model data (shifted subsequences), RNN from
# scratch (RNNScratch, RNNLMScratch with one-hot inputs, gradient clipping, perplexity and
# prediction) and the concise nn.RNN version, in d2l 1.0's Module/Trainer style. Adapted: the
# d2l helpers are written inline, The Time Machine is replaced by a short repeated passage, the
# training is a few epochs (perplexities printed to 4 decimals), plots become prints.
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


# ---- 9.2 Converting Raw Text into Sequence Data ------------------------------------------
def preprocess(text):
    return re.sub('[^A-Za-z]+', ' ', text).lower()


def tokenize(text):
    return list(text)


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


text = preprocess(RAW_TEXT)
print(text[:60])
tokens = tokenize(text)
print(','.join(tokens[:30]))
vocab = Vocab(tokens)
indices = vocab[tokens[:10]]
print('indices:', indices)
print('words:', vocab.to_tokens(indices))
print(len(vocab), vocab.token_freqs[:5])
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


data = TimeMachine(batch_size=2, num_steps=10)
for X, Y in data.train_dataloader():
    print('X:', X, '\nY:', Y)
    break
data = TimeMachine(batch_size=32, num_steps=16)


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


# ---- 9.5 Recurrent Neural Network Implementation from Scratch ----------------------------
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


def check_len(a, n):
    """Check the length of a list."""
    assert len(a) == n, f'list\'s length {len(a)} != expected length {n}'


def check_shape(a, shape):
    """Check the shape of a tensor."""
    assert a.shape == shape, f'tensor\'s shape {a.shape} != expected shape {shape}'


batch_size, num_inputs, num_hiddens, num_steps = 2, 16, 32, 100
rnn = RNNScratch(num_inputs, num_hiddens)
X = torch.ones((num_steps, batch_size, num_inputs))
outputs, state = rnn(X)
check_len(outputs, num_steps)
check_shape(outputs[0], (batch_size, num_hiddens))
check_shape(state, (batch_size, num_hiddens))
print(len(outputs), state.shape, state[0, :4])


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


model = RNNLMScratch(rnn, num_inputs)
outputs = model(torch.ones((batch_size, num_steps), dtype=torch.int64))
check_shape(outputs, (batch_size, num_steps, num_inputs))
print(F.one_hot(torch.tensor([0, 2]), 5))
print(model.one_hot(torch.tensor([[0, 2], [1, 3]])).shape)

rnn = RNNScratch(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLMScratch(rnn, vocab_size=len(data.vocab), lr=1)
trainer = Trainer(max_epochs=3, gradient_clip_val=1)
trainer.fit(model, data)
print(model.predict('it has', 20, data.vocab))
print([(n, tuple(p.shape)) for n, p in model.named_parameters()])


# ---- 9.6 Concise Implementation of Recurrent Neural Networks -----------------------------
class RNN(nn.Module):
    """The RNN model implemented with high-level APIs."""

    def __init__(self, num_inputs, num_hiddens):
        super().__init__()
        self.num_inputs, self.num_hiddens = num_inputs, num_hiddens
        self.rnn = nn.RNN(num_inputs, num_hiddens)

    def forward(self, inputs, H=None):
        return self.rnn(inputs, H)


class RNNLM(RNNLMScratch):
    """The RNN-based language model implemented with high-level APIs."""

    def init_params(self):
        self.linear = nn.LazyLinear(self.vocab_size)

    def output_layer(self, hiddens):
        return self.linear(hiddens).swapaxes(0, 1)


rnn = RNN(num_inputs=len(data.vocab), num_hiddens=32)
model = RNNLM(rnn, vocab_size=len(data.vocab), lr=1)
print(model.predict('it has', 20, data.vocab))
print(model)
trainer = Trainer(max_epochs=3, gradient_clip_val=1)
trainer.fit(model, data)
print(model.predict('it has', 20, data.vocab))
out, H = rnn(torch.zeros(5, 3, len(data.vocab)))
print(out.shape, H.shape, [(n, tuple(p.shape)) for n, p in rnn.rnn.named_parameters()])
