# ruff: noqa: B007, E501, UP008, UP031, UP032  (tutorial code, kept as the notebooks write it)
"""bentrevett/pytorch-sentiment-analysis 2 (upgraded sentiment analysis: a multi-layer
bidirectional LSTM with dropout over nn.utils.rnn.pack_padded_sequence / pad_packed_sequence,
torch.cat((hidden[-2,:,:], hidden[-1,:,:]), dim=1)) and its later rewrite (batch_first,
enforce_sorted=False, nn.utils.rnn.pad_sequence in a collate_fn, orthogonal_/xavier_normal_
initialisation of the LSTM and Linear weights): nn.Embedding(padding_idx=...), the pretrained
copy_ with <unk>/<pad> zeroed, BCEWithLogitsLoss, binary_accuracy with torch.round(torch.sigmoid()),
saving the best model by validation loss, and predict_sentiment with the sequence length. Adapted:
no torchtext/spacy; the vocabulary is built by hand from seeded in-script sentences, a few epochs,
no timings."""
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

SEED = 1234

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.backends.cudnn.deterministic = True

POS = ['great', 'wonderful', 'loved', 'brilliant', 'fun', 'superb', 'moving']
NEG = ['terrible', 'boring', 'awful', 'hated', 'dull', 'worst', 'mess']
FILLER = ['the', 'film', 'movie', 'was', 'a', 'and', 'acting', 'plot', 'it', 'this', 'story', 'really', 'quite', 'very']


def make_review(rng):
    label = rng.random() < 0.5
    words = [rng.choice(FILLER) for _ in range(rng.randint(4, 12))]
    for _ in range(rng.randint(1, 3)):
        words.insert(rng.randint(0, len(words)), rng.choice(POS if label else NEG))
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), rng.choice(NEG if label else POS))
    return words, float(label)


rng = random.Random(0)
# (few batches: a packed batch's program follows its lengths, so each new set of lengths compiles;
# the rewrite's shuffled loader makes new sets every epoch: two training batches per epoch)
train_examples = [make_review(rng) for _ in range(64)]
valid_examples = [make_review(rng) for _ in range(32)]
test_examples = [make_review(rng) for _ in range(32)]


# the vocabulary: <unk> and <pad> first, then by frequency (ties alphabetically), min_freq 2
def build_vocab(examples, max_size=None, min_freq=1):
    counts = {}
    for words, _ in examples:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    itos = ['<unk>', '<pad>'] + [w for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= min_freq][:max_size]
    return itos, {w: i for i, w in enumerate(itos)}


def numericalize(words, stoi):
    return [stoi.get(w, 0) for w in words]


class RNN(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_dim, output_dim, n_layers,
                 bidirectional, dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.rnn = nn.LSTM(embedding_dim,
                           hidden_dim,
                           num_layers=n_layers,
                           bidirectional=bidirectional,
                           dropout=dropout)
        self.fc = nn.Linear(hidden_dim * 2, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text, text_lengths):
        # text = [sent len, batch size]
        embedded = self.dropout(self.embedding(text))
        # embedded = [sent len, batch size, emb dim]

        # pack sequence
        # lengths need to be on CPU!
        packed_embedded = nn.utils.rnn.pack_padded_sequence(embedded, text_lengths.to('cpu'))

        packed_output, (hidden, cell) = self.rnn(packed_embedded)

        # unpack sequence
        output, output_lengths = nn.utils.rnn.pad_packed_sequence(packed_output)
        # output = [sent len, batch size, hid dim * num directions]
        # output over padding tokens are zero tensors

        # hidden = [num layers * num directions, batch size, hid dim]
        # concat the final forward (hidden[-2,:,:]) and backward (hidden[-1,:,:]) hidden layers
        # and apply dropout
        hidden = self.dropout(torch.cat((hidden[-2,:,:], hidden[-1,:,:]), dim = 1))
        # hidden = [batch size, hid dim * num directions]
        return self.fc(hidden), output, output_lengths


class LSTM(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_dim, output_dim, n_layers,
                 bidirectional, dropout_rate, pad_index):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_index)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, n_layers, bidirectional=bidirectional,
                            dropout=dropout_rate, batch_first=True)
        self.fc = nn.Linear(hidden_dim * 2 if bidirectional else hidden_dim, output_dim)
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, ids, length):
        # ids = [batch size, seq len]
        embedded = self.dropout(self.embedding(ids))
        packed_embedded = nn.utils.rnn.pack_padded_sequence(embedded, length, batch_first=True,
                                                            enforce_sorted=False)
        packed_output, (hidden, cell) = self.lstm(packed_embedded)
        output, output_length = nn.utils.rnn.pad_packed_sequence(packed_output)
        if self.lstm.bidirectional:
            hidden = self.dropout(torch.cat([hidden[-1], hidden[-2]], dim=-1))
        else:
            hidden = self.dropout(hidden[-1])
        prediction = self.fc(hidden)
        return prediction, output, output_length


def initialize_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_normal_(m.weight)
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LSTM):
        for name, param in m.named_parameters():
            if 'bias' in name:
                nn.init.zeros_(param)
            elif 'weight' in name:
                nn.init.orthogonal_(param)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def binary_accuracy(preds, y):
    rounded_preds = torch.round(torch.sigmoid(preds))
    correct = (rounded_preds == y).float()
    acc = correct.sum() / len(correct)
    return acc


def sorted_batches(examples, stoi, batch_size):
    """torchtext's BucketIterator(sort_within_batch=True): [sent len, batch] text, longest first."""
    for start in range(0, len(examples), batch_size):
        chunk = sorted(examples[start:start + batch_size], key=lambda ex: -len(ex[0]))
        ids = [numericalize(words, stoi) for words, _ in chunk]
        length = len(ids[0])
        text = torch.tensor([t + [stoi['<pad>']] * (length - len(t)) for t in ids]).permute(1, 0)
        yield (text, torch.tensor([len(t) for t in ids])), torch.tensor([label for _, label in chunk])


def get_collate_fn(pad_index):
    def collate_fn(batch):
        batch_ids = [torch.tensor(ids) for ids, _ in batch]
        batch_ids = nn.utils.rnn.pad_sequence(batch_ids, padding_value=pad_index, batch_first=True)
        batch_length = torch.tensor([len(ids) for ids, _ in batch])
        batch_label = torch.tensor([label for _, label in batch])
        return (batch_ids, batch_length), batch_label
    return collate_fn


def train(model, iterator, optimizer, criterion):
    epoch_loss = 0
    epoch_acc = 0
    n = 0
    model.train()
    for (text, text_lengths), label in iterator:
        optimizer.zero_grad()
        predictions = model(text, text_lengths)[0].squeeze(1)
        loss = criterion(predictions, label)
        acc = binary_accuracy(predictions, label)
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
        epoch_acc += acc.item()
        n += 1
    return epoch_loss / n, epoch_acc / n


def evaluate(model, iterator, criterion):
    epoch_loss = 0
    epoch_acc = 0
    n = 0
    model.eval()
    with torch.no_grad():
        for (text, text_lengths), label in iterator:
            predictions = model(text, text_lengths)[0].squeeze(1)
            loss = criterion(predictions, label)
            acc = binary_accuracy(predictions, label)
            epoch_loss += loss.item()
            epoch_acc += acc.item()
            n += 1
    return epoch_loss / n, epoch_acc / n


itos, stoi = build_vocab(train_examples)
INPUT_DIM = len(itos)
EMBEDDING_DIM = 16
HIDDEN_DIM = 24
OUTPUT_DIM = 1
N_LAYERS = 2
BIDIRECTIONAL = True
DROPOUT = 0.5
PAD_IDX = stoi['<pad>']
UNK_IDX = stoi['<unk>']
BATCH_SIZE = 32
criterion = nn.BCEWithLogitsLoss()
ckpt_dir = tempfile.mkdtemp()

# the packing itself
(text, text_lengths), label = next(sorted_batches(train_examples[:4], stoi, 4))
packed = nn.utils.rnn.pack_padded_sequence(torch.arange(text.numel()).view(text.shape).float().unsqueeze(-1), text_lengths)
print(text.shape, text_lengths.tolist(), packed.batch_sizes.tolist(), packed.data.shape)
padded, lengths = nn.utils.rnn.pad_packed_sequence(packed, padding_value=-1.0)
print(padded.shape, lengths.tolist(), padded[-1, :, 0].tolist())

def make_loader(examples, shuffle=False):
    ids = [(numericalize(w, stoi), y) for w, y in examples]
    return torch.utils.data.DataLoader(ids, batch_size=BATCH_SIZE, collate_fn=get_collate_fn(PAD_IDX), shuffle=shuffle)


def predict_sentiment(model, sentence, time_major):
    model.eval()
    tokenized = sentence.split()
    indexed = [stoi.get(t, UNK_IDX) for t in tokenized]
    length = [len(indexed)]
    tensor = torch.LongTensor(indexed)
    if time_major:
        tensor = tensor.unsqueeze(1)
    else:
        tensor = tensor.unsqueeze(0)
    length_tensor = torch.LongTensor(length)
    prediction = torch.sigmoid(model(tensor, length_tensor)[0])
    return prediction.item()


for version in ['2 - Upgraded', 'rewrite (batch_first, enforce_sorted=False)']:
    torch.manual_seed(SEED)
    time_major = version.startswith('2')
    if time_major:
        model = RNN(INPUT_DIM, EMBEDDING_DIM, HIDDEN_DIM, OUTPUT_DIM, N_LAYERS, BIDIRECTIONAL, DROPOUT, PAD_IDX)
        train_loader = valid_loader = test_loader = None
    else:
        model = LSTM(INPUT_DIM, EMBEDDING_DIM, HIDDEN_DIM, OUTPUT_DIM, N_LAYERS, BIDIRECTIONAL, DROPOUT, PAD_IDX)
        model.apply(initialize_weights)
        train_loader = make_loader(train_examples, shuffle=True)
        valid_loader = make_loader(valid_examples)
        test_loader = make_loader(test_examples)
    print(f'{version}: the model has {count_parameters(model):,} trainable parameters')
    print([(n, tuple(p.shape)) for n, p in model.named_parameters()][1:4])

    pretrained_embeddings = torch.randn(INPUT_DIM, EMBEDDING_DIM) * 0.5
    model.embedding.weight.data.copy_(pretrained_embeddings)
    model.embedding.weight.data[UNK_IDX] = torch.zeros(EMBEDDING_DIM)
    model.embedding.weight.data[PAD_IDX] = torch.zeros(EMBEDDING_DIM)

    optimizer = optim.Adam(model.parameters(), lr=0.01)
    best_valid_loss = float('inf')
    N_EPOCHS = 3
    for epoch in range(N_EPOCHS):
        train_it = sorted_batches(train_examples, stoi, BATCH_SIZE) if time_major else train_loader
        valid_it = sorted_batches(valid_examples, stoi, BATCH_SIZE) if time_major else valid_loader
        train_loss, train_acc = train(model, train_it, optimizer, criterion)
        valid_loss, valid_acc = evaluate(model, valid_it, criterion)
        if valid_loss < best_valid_loss:
            best_valid_loss = valid_loss
            torch.save(model.state_dict(), os.path.join(ckpt_dir, 'tut2-model.pt'))
        print(f'Epoch: {epoch+1:02} | Train Loss: {train_loss:.3f} | Train Acc: {train_acc*100:.2f}% | Val. Loss: {valid_loss:.3f} | Val. Acc: {valid_acc*100:.2f}%')

    model.load_state_dict(torch.load(os.path.join(ckpt_dir, 'tut2-model.pt')))
    test_it = sorted_batches(test_examples, stoi, BATCH_SIZE) if time_major else test_loader
    test_loss, test_acc = evaluate(model, test_it, criterion)
    print(f'Test Loss: {test_loss:.3f} | Test Acc: {test_acc*100:.2f}%')

    print(' '.join('%.4f' % predict_sentiment(model, s, time_major) for s in ['the film was terrible', 'a great fun movie']))

    (text, text_lengths), label = next(iter(sorted_batches(valid_examples, stoi, BATCH_SIZE) if time_major else valid_loader))
    with torch.no_grad():
        _, output, output_lengths = model(text, text_lengths)
    # outputs over padding are zero
    print(output.shape, output_lengths.tolist()[:6], output[-1].abs().sum(-1).eq(0).sum().item())
