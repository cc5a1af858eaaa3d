"""Benchmark cases: each model is written ONCE against the torch API and built for torchlike or
real PyTorch by passing the module; the hand-written JAX references live in bench/jax_ref.py."""

from __future__ import annotations

import dataclasses

import numpy as np


@dataclasses.dataclass
class Case:
    name: str
    build: object  # (torch_module) -> (model, make_optimizer, make_batch, loss_fn)
    small: bool = True  # run in the CPU smoke test


def _mlp(torch, opt_name):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 128)
            self.fc2 = nn.Linear(128, 10)

        def forward(self, x):
            return self.fc2(torch.relu(self.fc1(x)))

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((64, 784)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 10, 64))
    model = Net()

    def make_opt(params):
        if opt_name == "sgd":
            return torch.optim.SGD(params, lr=0.01)
        return torch.optim.Adam(params, lr=1e-3)

    return model, make_opt, (x, y), nn.CrossEntropyLoss()


class _LeNetFactory:
    @staticmethod
    def build(torch, batch):
        nn = torch.nn
        F = torch.nn.functional

        class LeNet(nn.Module):  # the seed article's ConvNet (3x32x32)
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(3, 6, 5)
                self.pool = nn.MaxPool2d(2, 2)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)
                self.fc2 = nn.Linear(120, 84)
                self.fc3 = nn.Linear(84, 10)

            def forward(self, x):
                x = self.pool(F.relu(self.conv1(x)))
                x = self.pool(F.relu(self.conv2(x)))
                x = x.view(-1, 16 * 5 * 5)
                x = F.relu(self.fc1(x))
                x = F.relu(self.fc2(x))
                return self.fc3(x)

        rng = np.random.default_rng(0)
        x = torch.tensor(rng.standard_normal((batch, 3, 32, 32)).astype(np.float32))
        y = torch.tensor(rng.integers(0, 10, batch))
        return (
            LeNet(),
            (lambda p: torch.optim.SGD(p, lr=0.001, momentum=0.9)),
            (x, y),
            nn.CrossEntropyLoss(),
        )


def _simple_cnn(torch):
    nn = torch.nn

    class SimpleCNN(nn.Module):  # the seed article's SimpleCNN (3x32x32, 32/64 channels)
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
            self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
            self.fc1 = nn.Linear(64 * 8 * 8, 128)
            self.fc2 = nn.Linear(128, 10)

        def forward(self, x):
            x = torch.nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
            x = torch.nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
            x = x.view(-1, 64 * 8 * 8)
            x = torch.relu(self.fc1(x))
            return self.fc2(x)

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((128, 3, 32, 32)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 10, 128))
    return SimpleCNN(), (lambda p: torch.optim.SGD(p, lr=0.01)), (x, y), nn.CrossEntropyLoss()


def _autoencoder(torch):
    nn = torch.nn

    class AutoEncoder(nn.Module):  # the seed article's deep autoencoder (784-...-784)
        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(
                nn.Linear(784, 128),
                nn.ReLU(True),
                nn.Linear(128, 64),
                nn.ReLU(True),
                nn.Linear(64, 12),
                nn.ReLU(True),
                nn.Linear(12, 3),
            )
            self.decoder = nn.Sequential(
                nn.Linear(3, 12),
                nn.ReLU(True),
                nn.Linear(12, 64),
                nn.ReLU(True),
                nn.Linear(64, 128),
                nn.ReLU(True),
                nn.Linear(128, 784),
                nn.Tanh(),
            )

        def forward(self, x):
            return self.decoder(self.encoder(x))

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((256, 784)).astype(np.float32))
    return AutoEncoder(), (lambda p: torch.optim.Adam(p, lr=1e-3)), (x, x), nn.MSELoss()


def _lstm_lm(torch):
    nn = torch.nn

    class LM(nn.Module):
        def __init__(self, vocab=10000, hidden=650):
            super().__init__()
            self.embed = nn.Embedding(vocab, hidden)
            self.lstm = nn.LSTM(hidden, hidden, num_layers=2)
            self.fc = nn.Linear(hidden, vocab)

        def forward(self, x):
            out, _ = self.lstm(self.embed(x))
            return self.fc(out).view(-1, 10000)

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.integers(0, 10000, (35, 20)))
    y = torch.tensor(rng.integers(0, 10000, 35 * 20))
    return LM(), (lambda p: torch.optim.SGD(p, lr=1.0)), (x, y), nn.CrossEntropyLoss()


def _transformer_lm(torch):
    nn = torch.nn

    class TLM(nn.Module):
        def __init__(self, vocab=10000, d=512, heads=8, layers=6, seq=256):
            super().__init__()
            self.embed = nn.Embedding(vocab, d)
            self.pos = nn.Parameter(torch.zeros(seq, d))
            layer = nn.TransformerEncoderLayer(
                d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True
            )
            self.encoder = nn.TransformerEncoder(layer, layers)
            self.fc = nn.Linear(d, vocab)
            self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(seq))

        def forward(self, x):
            h = self.encoder(self.embed(x) + self.pos, mask=self.mask, is_causal=True)
            return self.fc(h).view(-1, 10000)

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.integers(0, 10000, (32, 256)))
    y = torch.tensor(rng.integers(0, 10000, 32 * 256))
    return TLM(), (lambda p: torch.optim.Adam(p, lr=1e-4)), (x, y), nn.CrossEntropyLoss()


def _resnet18(torch):
    from .resnet import resnet18

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((64, 3, 224, 224)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 1000, 64))
    return (
        resnet18(torch),
        (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
        (x, y),
        torch.nn.CrossEntropyLoss(),
    )


CASES = [
    Case("mlp_sgd", lambda t: _mlp(t, "sgd")),
    Case("mlp_adam", lambda t: _mlp(t, "adam")),
    Case("lenet_b4", lambda t: _LeNetFactory.build(t, 4)),
    Case("lenet_b256", lambda t: _LeNetFactory.build(t, 256), small=False),
    Case("simplecnn_b128", _simple_cnn, small=False),
    Case("autoencoder_b256", _autoencoder),
    Case("lstm_lm", _lstm_lm, small=False),
    Case("transformer_lm", _transformer_lm, small=False),
    Case("resnet18_b64", _resnet18, small=False),
]
