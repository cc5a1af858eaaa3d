"""A character-level LSTM language model on a small built-in text: embedding -> 2-layer LSTM ->
linear over the vocabulary, trained with truncated backpropagation through time, then sampled.

    python -m torchlike examples/lstm_lm.py [--steps 300]
"""

import argparse
import math

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

TEXT = (
    "the quick brown fox jumps over the lazy dog. "
    "a neural network learns a function from examples. "
    "the model reads one character at a time and predicts the next one. "
    "gradients flow backwards through time, step by step, to every weight. "
    "with enough practice the network writes words it has seen before. "
) * 4


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embed=32, hidden=128, num_layers=2, dropout=0.1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers, batch_first=True, dropout=dropout)
        self.decoder = nn.Linear(hidden, vocab_size)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embedding(x), state)
        return self.decoder(out), state


def windows(data, seq_len, stride):
    """(input, target) pairs: every window of seq_len characters and the same window shifted by one."""
    chunks = data.unfold(0, seq_len + 1, stride)
    return TensorDataset(chunks[:, :-1], chunks[:, 1:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seq-len", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--sample", type=int, default=120, help="characters to generate at the end")
    args = parser.parse_args()

    torch.manual_seed(0)
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in TEXT], dtype=torch.long)
    model = CharLSTM(len(chars))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    print(
        f"corpus {len(data)} characters, vocabulary {len(chars)}, "
        f"{sum(p.numel() for p in model.parameters())} parameters"
    )

    loader = DataLoader(
        windows(data, args.seq_len, args.seq_len // 2),
        batch_size=args.batch_size,
        shuffle=True,
        drop_last=True,
    )
    step = 0
    while step < args.steps:
        for x, y in loader:
            logits, _ = model(x)
            loss = criterion(logits.reshape(-1, len(chars)), y.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            if step % 50 == 0 or step == args.steps:
                print(
                    f"step {step}: loss {loss.item():.4f}  perplexity {math.exp(loss.item()):.2f}"
                )
            if step == args.steps:
                break

    model.eval()
    with torch.no_grad():
        prompt = "the "
        x = torch.tensor([[stoi[c] for c in prompt]])
        logits, state = model(x)
        out = prompt
        for _ in range(args.sample):
            probs = torch.softmax(logits[0, -1] / 0.8, dim=0)
            idx = torch.multinomial(probs, 1)
            out += chars[idx.item()]
            logits, state = model(idx.view(1, 1), state)
    print(f"final loss: {loss.item():.4f}")
    print(f"sample: {out!r}")


if __name__ == "__main__":
    main()
