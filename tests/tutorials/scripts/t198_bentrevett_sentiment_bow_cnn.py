# ruff: noqa: B007, E501, UP008, UP031, UP032  (tutorial code, kept as the notebooks write it)
"""bentrevett/pytorch-sentiment-analysis 1 (neural bag of words), 3 (FastText with bigrams) and 4
(convolutional, Conv2d over [sent len, emb dim] and a Conv1d variant): nn.Embedding(padding_idx=
PAD_IDX), the pretrained-embedding copy_ and zeroed <unk>/<pad> rows, BCEWithLogitsLoss,
binary_accuracy through torch.round(torch.sigmoid(preds)), train/evaluate and predict_sentiment
(with the CNN's min_len padding). Adapted: no torchtext/spacy; a vocabulary built by hand from
seeded in-script sentences, batches padded by hand to one fixed length, a few epochs, no timings."""
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
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
train_examples = [make_review(rng) for _ in range(192)]
valid_examples = [make_review(rng) for _ in range(64)]
test_examples = [make_review(rng) for _ in range(64)]


def generate_bigrams(x):
    n_grams = set(zip(*[x[i:] for i in range(2)]))
    for n_gram in sorted(n_grams):  # (sorted: a set's order depends on the hash seed)
        x.append(' '.join(n_gram))
    return x


print(generate_bigrams(['This', 'film', 'is', 'terrible']))

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


def batches(examples, stoi, batch_size, batch_first, fix_length):
    # every batch padded to fix_length (torchtext's Field(fix_length=...)), so each model runs
    # one program shape instead of one per batch length
    for start in range(0, len(examples), batch_size):
        chunk = examples[start:start + batch_size]
        ids = [numericalize(words, stoi) for words, _ in chunk]
        text = torch.tensor([t + [stoi['<pad>']] * (fix_length - len(t)) for t in ids])
        if not batch_first:
            text = text.permute(1, 0)
        yield text, torch.tensor([label for _, label in chunk])


class FastText(nn.Module):
    def __init__(self, vocab_size, embedding_dim, output_dim, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.fc = nn.Linear(embedding_dim, output_dim)

    def forward(self, text):
        # text = [sent len, batch size]
        embedded = self.embedding(text)
        # embedded = [sent len, batch size, emb dim]
        embedded = embedded.permute(1, 0, 2)
        # embedded = [batch size, sent len, emb dim]
        pooled = F.avg_pool2d(embedded, (embedded.shape[1], 1)).squeeze(1)
        # pooled = [batch size, embedding_dim]
        return self.fc(pooled)


class NBoW(nn.Module):
    def __init__(self, vocab_size, embedding_dim, output_dim, pad_index):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_index)
        self.fc = nn.Linear(embedding_dim, output_dim)

    def forward(self, ids):
        # ids = [batch size, seq len]
        embedded = self.embedding(ids)
        pooled = embedded.mean(dim=1)
        prediction = self.fc(pooled)
        return prediction


class CNN(nn.Module):
    def __init__(self, vocab_size, embedding_dim, n_filters, filter_sizes, output_dim,
                 dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.convs = nn.ModuleList([
                                    nn.Conv2d(in_channels=1,
                                              out_channels=n_filters,
                                              kernel_size=(fs, embedding_dim))
                                    for fs in filter_sizes
                                    ])
        self.fc = nn.Linear(len(filter_sizes) * n_filters, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text):
        # text = [batch size, sent len]
        embedded = self.embedding(text)
        embedded = embedded.unsqueeze(1)
        # embedded = [batch size, 1, sent len, emb dim]
        conved = [F.relu(conv(embedded)).squeeze(3) for conv in self.convs]
        # conved_n = [batch size, n_filters, sent len - filter_sizes[n] + 1]
        pooled = [F.max_pool1d(conv, conv.shape[2]).squeeze(2) for conv in conved]
        # pooled_n = [batch size, n_filters]
        cat = self.dropout(torch.cat(pooled, dim=1))
        return self.fc(cat)


class CNN1d(nn.Module):
    def __init__(self, vocab_size, embedding_dim, n_filters, filter_sizes, output_dim,
                 dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.convs = nn.ModuleList([
                                    nn.Conv1d(in_channels=embedding_dim,
                                              out_channels=n_filters,
                                              kernel_size=fs)
                                    for fs in filter_sizes
                                    ])
        self.fc = nn.Linear(len(filter_sizes) * n_filters, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text):
        embedded = self.embedding(text)
        embedded = embedded.permute(0, 2, 1)
        conved = [F.relu(conv(embedded)) for conv in self.convs]
        pooled = [F.max_pool1d(conv, conv.shape[2]).squeeze(2) for conv in conved]
        cat = self.dropout(torch.cat(pooled, dim=1))
        return self.fc(cat)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def binary_accuracy(preds, y):
    """
    Returns accuracy per batch, i.e. if you get 8/10 right, this returns 0.8, NOT 8
    """
    # round predictions to the closest integer
    rounded_preds = torch.round(torch.sigmoid(preds))
    correct = (rounded_preds == y).float()  # convert into float for division
    acc = correct.sum() / len(correct)
    return acc


def train(model, iterator, optimizer, criterion):
    epoch_loss = 0
    epoch_acc = 0
    n = 0
    model.train()
    for text, label in iterator:
        optimizer.zero_grad()
        predictions = model(text).squeeze(1)
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
        for text, label in iterator:
            predictions = model(text).squeeze(1)
            loss = criterion(predictions, label)
            acc = binary_accuracy(predictions, label)
            epoch_loss += loss.item()
            epoch_acc += acc.item()
            n += 1
    return epoch_loss / n, epoch_acc / n


def predict_sentiment(model, sentence, stoi, bigrams, batch_first, min_len=0):
    model.eval()
    tokenized = sentence.split()
    if bigrams:
        tokenized = generate_bigrams(tokenized)
    if len(tokenized) < min_len:
        tokenized += ['<pad>'] * (min_len - len(tokenized))
    indexed = [stoi.get(t, stoi['<unk>']) for t in tokenized]
    tensor = torch.LongTensor(indexed)
    tensor = tensor.unsqueeze(1) if not batch_first else tensor.unsqueeze(0)
    prediction = torch.sigmoid(model(tensor))
    return prediction.item()


EMBEDDING_DIM = 20
OUTPUT_DIM = 1
BATCH_SIZE = 32
criterion = nn.BCEWithLogitsLoss()

for kind in ['fasttext', 'nbow', 'cnn', 'cnn1d']:
    torch.manual_seed(SEED)
    bigrams = kind == 'fasttext'
    prep = (lambda ex: [(generate_bigrams(list(w)), y) for w, y in ex]) if bigrams else (lambda ex: ex)
    train_set, valid_set, test_set = prep(train_examples), prep(valid_examples), prep(test_examples)
    itos, stoi = build_vocab(train_set, max_size=200, min_freq=2 if bigrams else 1)
    INPUT_DIM = len(itos)
    PAD_IDX = stoi['<pad>']
    UNK_IDX = stoi['<unk>']
    batch_first = kind != 'fasttext'
    min_len = 4 if kind.startswith('cnn') else 0
    fix_length = max(len(words) for words, _ in train_set + valid_set + test_set)

    if kind == 'fasttext':
        model = FastText(INPUT_DIM, EMBEDDING_DIM, OUTPUT_DIM, PAD_IDX)
    elif kind == 'nbow':
        model = NBoW(INPUT_DIM, EMBEDDING_DIM, OUTPUT_DIM, PAD_IDX)
    elif kind == 'cnn':
        model = CNN(INPUT_DIM, EMBEDDING_DIM, 8, [2, 3, 4], OUTPUT_DIM, 0.5, PAD_IDX)
    else:
        model = CNN1d(INPUT_DIM, EMBEDDING_DIM, 8, [2, 3, 4], OUTPUT_DIM, 0.5, PAD_IDX)
    print(f'{kind}: vocab {INPUT_DIM}, {itos[:6]}, the model has {count_parameters(model):,} trainable parameters')

    # "pretrained" vectors (the notebooks load GloVe): a seeded table, then <unk>/<pad> zeroed
    pretrained_embeddings = torch.randn(INPUT_DIM, EMBEDDING_DIM) * 0.5
    model.embedding.weight.data.copy_(pretrained_embeddings)
    model.embedding.weight.data[UNK_IDX] = torch.zeros(EMBEDDING_DIM)
    model.embedding.weight.data[PAD_IDX] = torch.zeros(EMBEDDING_DIM)
    print(model.embedding.weight.data[:3, :3].tolist() == [[0.0] * 3, [0.0] * 3, pretrained_embeddings[2, :3].tolist()])

    optimizer = optim.Adam(model.parameters(), lr=0.01)

    N_EPOCHS = 3
    for epoch in range(N_EPOCHS):
        random.Random(epoch).shuffle(train_set)
        train_loss, train_acc = train(model, batches(train_set, stoi, BATCH_SIZE, batch_first, fix_length), optimizer, criterion)
        valid_loss, valid_acc = evaluate(model, batches(valid_set, stoi, BATCH_SIZE, batch_first, fix_length), criterion)
        print(f'Epoch: {epoch+1:02} | Train Loss: {train_loss:.3f} | Train Acc: {train_acc*100:.2f}% | Val. Loss: {valid_loss:.3f} | Val. Acc: {valid_acc*100:.2f}%')

    test_loss, test_acc = evaluate(model, batches(test_set, stoi, BATCH_SIZE, batch_first, fix_length), criterion)
    print(f'Test Loss: {test_loss:.3f} | Test Acc: {test_acc*100:.2f}%')
    # the <pad> row gets no gradient
    print('pad row still zero:', model.embedding.weight[PAD_IDX].abs().sum().item() == 0.0)

    print(' '.join('%.4f' % predict_sentiment(model, s, stoi, bigrams, batch_first, min_len)
                   for s in ['the film was terrible', 'dull', 'really quite fun and moving']))
