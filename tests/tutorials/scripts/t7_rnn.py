# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import numpy as np
import torch
import torch.nn as nn


def det_load(module, scale=0.3):
    sd = module.state_dict()
    new = {}
    for i, (k, v) in enumerate(sd.items()):
        vals = np.sin(np.arange(v.numel(), dtype=np.float64) * 0.91 + i) * scale
        new[k] = torch.from_numpy(vals.astype(np.float32).reshape(tuple(v.shape)))
    print(module.load_state_dict(new))


rng = np.random.default_rng(0)
inp = torch.from_numpy(rng.standard_normal((5, 3, 4)).astype(np.float32))
h0 = torch.from_numpy(rng.standard_normal((2, 3, 6)).astype(np.float32))
c0 = torch.from_numpy(rng.standard_normal((2, 3, 6)).astype(np.float32))

rnn = nn.RNN(4, 6, 2)
det_load(rnn)
print(rnn)
print([(k, tuple(v.shape)) for k, v in rnn.state_dict().items()])
output, hn = rnn(inp, h0)
print(output.shape, hn.shape)
print(output[-1])
print(hn)

lstm = nn.LSTM(4, 6, num_layers=2)
det_load(lstm)
print(lstm)
output, (hn, cn) = lstm(inp, (h0, c0))
print(output.shape, hn.shape, cn.shape)
print(output[0])
print(hn[1], cn[1])

gru = nn.GRU(4, 6, batch_first=True, bidirectional=True)
det_load(gru)
print(gru)
print(list(gru.state_dict().keys()))
output, hn = gru(inp.transpose(0, 1))
print(output.shape, hn.shape)
print(output[0, :2])
print(hn)

cell = nn.LSTMCell(4, 6)
det_load(cell)
print(cell)
hx = torch.zeros(3, 6)
cx = torch.zeros(3, 6)
outs = []
for i in range(inp.size(0)):
    hx, cx = cell(inp[i], (hx, cx))
    outs.append(hx)
out = torch.stack(outs, dim=0)
print(out.shape)
print(out[-1])
loss = out.pow(2).mean()
loss.backward()
print(loss)
print(cell.weight_ih.grad[:3])


class LSTMTagger(nn.Module):
    def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
        super(LSTMTagger, self).__init__()
        self.hidden_dim = hidden_dim
        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim)
        self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

    def forward(self, sentence):
        embeds = self.word_embeddings(sentence)
        lstm_out, _ = self.lstm(embeds.view(len(sentence), 1, -1))
        tag_space = self.hidden2tag(lstm_out.view(len(sentence), -1))
        tag_scores = torch.nn.functional.log_softmax(tag_space, dim=1)
        return tag_scores


model = LSTMTagger(6, 6, 9, 3)
det_load(model)
print(model)
sentence = torch.tensor([0, 1, 2, 3, 4], dtype=torch.long)
targets = torch.tensor([0, 1, 2, 0, 1], dtype=torch.long)
loss_function = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
with torch.no_grad():
    print(model(sentence))
for epoch in range(5):
    model.zero_grad()
    tag_scores = model(sentence)
    loss = loss_function(tag_scores, targets)
    loss.backward()
    optimizer.step()
with torch.no_grad():
    tag_scores = model(sentence)
    print(tag_scores)
    print(tag_scores.argmax(dim=1))
