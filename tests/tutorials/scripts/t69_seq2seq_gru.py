# NLP From Scratch: translation with a GRU encoder and an attention decoder (Bahdanau), on a tiny
# synthetic "reverse the sentence" corpus, seeded; dropout left out.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

torch.manual_seed(0)
SOS_token, EOS_token, MAX_LENGTH = 0, 1, 6
words = "i am you are he is we they happy tired".split()
vocab = {w: i + 2 for i, w in enumerate(words)}
pairs = [
    ["i am happy", "happy am i"],
    ["you are tired", "tired are you"],
    ["he is happy", "happy is he"],
    ["we are tired", "tired are we"],
    ["they are happy", "happy are they"],
    ["i am tired", "tired am i"],
]


def indexes(sentence):
    return [vocab[w] for w in sentence.split()] + [EOS_token]


input_ids = torch.zeros(len(pairs), MAX_LENGTH, dtype=torch.long)
target_ids = torch.zeros(len(pairs), MAX_LENGTH, dtype=torch.long)
for idx, (a, b) in enumerate(pairs):
    input_ids[idx, : len(indexes(a))] = torch.tensor(indexes(a))
    target_ids[idx, : len(indexes(b))] = torch.tensor(indexes(b))
print(input_ids)


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)

    def forward(self, input):
        embedded = self.embedding(input)
        return self.gru(embedded)


class BahdanauAttention(nn.Module):
    def __init__(self, hidden_size):
        super().__init__()
        self.Wa = nn.Linear(hidden_size, hidden_size)
        self.Ua = nn.Linear(hidden_size, hidden_size)
        self.Va = nn.Linear(hidden_size, 1)

    def forward(self, query, keys):
        scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
        scores = scores.squeeze(2).unsqueeze(1)
        weights = F.softmax(scores, dim=-1)
        return torch.bmm(weights, keys), weights


class AttnDecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size):
        super().__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.attention = BahdanauAttention(hidden_size)
        self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)

    def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
        batch_size = encoder_outputs.size(0)
        decoder_input = torch.empty(batch_size, 1, dtype=torch.long).fill_(SOS_token)
        decoder_hidden = encoder_hidden
        decoder_outputs, attentions = [], []
        for i in range(MAX_LENGTH):
            decoder_output, decoder_hidden, attn_weights = self.forward_step(
                decoder_input, decoder_hidden, encoder_outputs
            )
            decoder_outputs.append(decoder_output)
            attentions.append(attn_weights)
            if target_tensor is not None:
                decoder_input = target_tensor[:, i].unsqueeze(1)
            else:
                _, topi = decoder_output.topk(1)
                decoder_input = topi.squeeze(-1).detach()
        decoder_outputs = F.log_softmax(torch.cat(decoder_outputs, dim=1), dim=-1)
        return decoder_outputs, decoder_hidden, torch.cat(attentions, dim=1)

    def forward_step(self, input, hidden, encoder_outputs):
        embedded = self.embedding(input)
        query = hidden.permute(1, 0, 2)
        context, attn_weights = self.attention(query, encoder_outputs)
        output, hidden = self.gru(torch.cat((embedded, context), dim=2), hidden)
        return self.out(output), hidden, attn_weights


hidden_size = 16
encoder = EncoderRNN(len(vocab) + 2, hidden_size)
decoder = AttnDecoderRNN(hidden_size, len(vocab) + 2)
enc_opt = optim.Adam(encoder.parameters(), lr=0.01)
dec_opt = optim.Adam(decoder.parameters(), lr=0.01)
criterion = nn.NLLLoss()
for epoch in range(1, 31):
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    encoder_outputs, encoder_hidden = encoder(input_ids)
    decoder_outputs, _, _ = decoder(encoder_outputs, encoder_hidden, target_ids)
    loss = criterion(decoder_outputs.view(-1, decoder_outputs.size(-1)), target_ids.view(-1))
    loss.backward()
    enc_opt.step()
    dec_opt.step()
    if epoch % 10 == 0:
        print(epoch, f"{loss.item():.4f}")
ix_to_word = {i: w for w, i in vocab.items()}
with torch.no_grad():
    encoder_outputs, encoder_hidden = encoder(input_ids)
    decoder_outputs, _, attn = decoder(encoder_outputs, encoder_hidden)
    _, topi = decoder_outputs.topk(1)
    for row in topi.squeeze(-1).tolist():
        print(
            " ".join(
                ix_to_word.get(i, "<EOS>") for i in row[: row.index(EOS_token)] if EOS_token in row
            )
        )
print(attn[0, :3].numpy().round(3))
