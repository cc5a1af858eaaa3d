# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E741, B007, F401, N801, N806, UP008, UP031, UP032, I001  (tutorial code, kept as the course writes it)
"""刘二大人《PyTorch深度学习实践》 (Liu Er's "PyTorch Deep Learning Practice", Bilibili) lectures 12-13, as the
course's slides and the students' repositories write them: 12 basic RNN (an RNNCell stepped over a
seq_len x batch x input_size dataset printing each hidden state; nn.RNN's output and hidden shapes
for num_layers=1; "hello" -> "ohlol" learned by an RNNCell over one-hot inputs with loss +=
criterion(hidden, label) per step, by nn.RNN over the whole sequence with out.view(-1, hidden_size),
and by Embedding -> 2-layer batch_first RNN -> Linear, each with Adam and its predicted string per
epoch), 13 RNN classifier (a NameDataset reading names_train.csv.gz / names_test.csv.gz with gzip
and csv, country_list / country_dict / idx2country, name2list by ord(), make_tensors padding the
ASCII codes with torch.zeros(len, seq_lengths.max()).long() and sorting by length with
seq_lengths.sort(dim=0, descending=True), an RNNClassifier of Embedding -> bidirectional 2-layer GRU
over pack_padded_sequence(embedding, seq_lengths) -> Linear on torch.cat([hidden[-1], hidden[-2]],
dim=1), trainModel()/testModel() with CrossEntropyLoss and Adam, and the accuracy list).
Adapted: seeded; the names files (a download) are written to a temporary directory from seeded
syllables of 6 countries (256 training names, 128 test names, of 4, 6 or 8 letters), BATCH_SIZE 64
instead of 256 and HIDDEN_SIZE 32 instead of 100, 3 epochs instead of 100, the progress line every 2
batches without the elapsed time, losses printed with 4 decimals; the hello -> ohlol loops run 15
epochs as the course's; the homework's LSTM/GRU versions of lecture 12 are left out (each costs
seconds of compilation here; the GRU is lecture 13's)."""
import csv
import gzip
import math
import os
import tempfile
import time

import numpy as np
import torch

torch.manual_seed(0)

# ================================================================ 12 循环神经网络(基础篇) Basic RNN
# ---------------------------------------------------------------- RNNCell
batch_size = 1
seq_len = 3
input_size = 4
hidden_size = 2

cell = torch.nn.RNNCell(input_size=input_size, hidden_size=hidden_size)

# (seq, batch, features)
dataset = torch.randn(seq_len, batch_size, input_size)
hidden = torch.zeros(batch_size, hidden_size)

for idx, input in enumerate(dataset):
    print('=' * 20, idx, '=' * 20)
    print('Input size: ', input.shape)

    hidden = cell(input, hidden)

    print('outputs size: ', hidden.shape)
    print(hidden)

# ---------------------------------------------------------------- RNN
num_layers = 1
cell = torch.nn.RNN(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers)

# (seqLen, batchSize, inputSize)
inputs = torch.randn(seq_len, batch_size, input_size)
hidden = torch.zeros(num_layers, batch_size, hidden_size)

out, hidden = cell(inputs, hidden)

print('Output size:', out.shape)
print('Output:', out)
print('Hidden size: ', hidden.shape)
print('Hidden: ', hidden)

# batch_first=True: (batchSize, seqLen, inputSize)
cell = torch.nn.RNN(input_size=input_size, hidden_size=hidden_size, num_layers=2, batch_first=True)
out, hidden = cell(torch.randn(batch_size, seq_len, input_size), torch.zeros(2, batch_size, hidden_size))
print(out.shape, hidden.shape)

# ---------------------------------------------------------------- hello -> ohlol, RNNCell
input_size = 4
hidden_size = 4
batch_size = 1

idx2char = ['e', 'h', 'l', 'o']
x_data = [1, 0, 2, 2, 3]  # hello
y_data = [3, 1, 2, 3, 2]  # ohlol

one_hot_lookup = [[1, 0, 0, 0],
                  [0, 1, 0, 0],
                  [0, 0, 1, 0],
                  [0, 0, 0, 1]]
x_one_hot = [one_hot_lookup[x] for x in x_data]

inputs = torch.Tensor(x_one_hot).view(-1, batch_size, input_size)
labels = torch.LongTensor(y_data).view(-1, 1)
print(inputs.shape, labels.shape)


class Model(torch.nn.Module):
    def __init__(self, input_size, hidden_size, batch_size):
        super(Model, self).__init__()
        self.batch_size = batch_size
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.rnncell = torch.nn.RNNCell(input_size=self.input_size,
                                        hidden_size=self.hidden_size)

    def forward(self, input, hidden):
        hidden = self.rnncell(input, hidden)
        return hidden

    def init_hidden(self):
        return torch.zeros(self.batch_size, self.hidden_size)


net = Model(input_size, hidden_size, batch_size)

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.1)

for epoch in range(15):
    loss = 0
    optimizer.zero_grad()
    hidden = net.init_hidden()
    print('Predicted string: ', end='')
    for input, label in zip(inputs, labels):
        hidden = net(input, hidden)
        loss += criterion(hidden, label)
        _, idx = hidden.max(dim=1)
        print(idx2char[idx.item()], end='')
    loss.backward()
    optimizer.step()
    print(', Epoch [%d/15] loss=%.4f' % (epoch + 1, loss.item()))

# ---------------------------------------------------------------- hello -> ohlol, RNN
seq_len = 5
num_layers = 1
inputs = torch.Tensor(x_one_hot).view(seq_len, batch_size, input_size)
labels = torch.LongTensor(y_data)


class Model(torch.nn.Module):
    def __init__(self, input_size, hidden_size, batch_size, num_layers=1):
        super(Model, self).__init__()
        self.num_layers = num_layers
        self.batch_size = batch_size
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.rnn = torch.nn.RNN(input_size=self.input_size,
                                hidden_size=self.hidden_size,
                                num_layers=num_layers)

    def forward(self, input):
        hidden = torch.zeros(self.num_layers,
                             self.batch_size,
                             self.hidden_size)
        out, _ = self.rnn(input, hidden)
        return out.view(-1, self.hidden_size)


net = Model(input_size, hidden_size, batch_size, num_layers)

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)

for epoch in range(15):
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()

    _, idx = outputs.max(dim=1)
    idx = idx.data.numpy()
    print('Predicted: ', ''.join([idx2char[x] for x in idx]), end='')
    print(', Epoch [%d/15] loss = %.4f' % (epoch + 1, loss.item()))

# ---------------------------------------------------------------- hello -> ohlol, Embedding
num_class = 4
input_size = 4
hidden_size = 8
embedding_size = 10
num_layers = 2
batch_size = 1
seq_len = 5

idx2char = ['e', 'h', 'l', 'o']
x_data = [[1, 0, 2, 2, 3]]  # (batch, seq_len)
y_data = [3, 1, 2, 3, 2]  # (batch * seq_len)

inputs = torch.LongTensor(x_data)
labels = torch.LongTensor(y_data)


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.emb = torch.nn.Embedding(input_size, embedding_size)
        self.rnn = torch.nn.RNN(input_size=embedding_size,
                                hidden_size=hidden_size,
                                num_layers=num_layers,
                                batch_first=True)
        self.fc = torch.nn.Linear(hidden_size, num_class)

    def forward(self, x):
        hidden = torch.zeros(num_layers, x.size(0), hidden_size)
        x = self.emb(x)  # (batch, seqLen, embeddingSize)
        x, _ = self.rnn(x, hidden)
        x = self.fc(x)
        return x.view(-1, num_class)


net = Model()
print(net)

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)

for epoch in range(15):
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()

    _, idx = outputs.max(dim=1)
    idx = idx.data.numpy()
    print('Predicted: ', ''.join([idx2char[x] for x in idx]), end='')
    print(', Epoch [%d/15] loss = %.4f' % (epoch + 1, loss.item()))


# ================================================================ 13 循环神经网络(高级篇) RNN Classifier
tmpdir = tempfile.mkdtemp()
os.makedirs(os.path.join(tmpdir, 'data'))
rng = np.random.RandomState(0)
syllables = {
    'Arabic': ['ab', 'dul', 'ha', 'sam', 'kha', 'lil', 'na', 'sa'],
    'Chinese': ['zh', 'ang', 'li', 'wu', 'chen', 'xu', 'ma', 'ho'],
    'English': ['smi', 'th', 'son', 'wor', 'ley', 'ton', 'bri', 'an'],
    'French': ['du', 'pon', 'lef', 'ev', 're', 'eau', 'mar', 'tin'],
    'Japanese': ['ta', 'ka', 'shi', 'mo', 'to', 'yo', 'na', 'ki'],
    'Russian': ['iv', 'ov', 'pet', 'rov', 'sky', 'ko', 'vich', 'an'],
}


def make_name(country):
    parts = syllables[country]
    name = ''.join(parts[k] for k in rng.randint(0, len(parts), 4))
    return (name[:rng.choice([3, 5, 7])] + name[-1]).capitalize()


for filename, n in [('names_train.csv.gz', 256), ('names_test.csv.gz', 128)]:
    with gzip.open(os.path.join(tmpdir, 'data', filename), 'wt', newline='') as f:
        writer = csv.writer(f)
        for country in rng.choice(sorted(syllables), n):
            writer.writerow([make_name(country), country])
os.chdir(tmpdir)

from torch.utils.data import Dataset, DataLoader
from torch.nn.utils.rnn import pack_padded_sequence

# Parameters
HIDDEN_SIZE = 32
BATCH_SIZE = 64
N_LAYER = 2
N_EPOCHS = 3
N_CHARS = 128
USE_GPU = False


class NameDataset(Dataset):
    def __init__(self, is_train_set=True):
        filename = 'data/names_train.csv.gz' if is_train_set else 'data/names_test.csv.gz'
        with gzip.open(filename, 'rt') as f:
            reader = csv.reader(f)
            rows = list(reader)
        self.names = [row[0] for row in rows]
        self.len = len(self.names)
        self.countries = [row[1] for row in rows]
        self.country_list = list(sorted(set(self.countries)))
        self.country_dict = self.getCountryDict()
        self.country_num = len(self.country_list)

    def __getitem__(self, index):
        return self.names[index], self.country_dict[self.countries[index]]

    def __len__(self):
        return self.len

    def getCountryDict(self):
        country_dict = dict()
        for idx, country_name in enumerate(self.country_list, 0):
            country_dict[country_name] = idx
        return country_dict

    def idx2country(self, index):
        return self.country_list[index]

    def getCountriesNum(self):
        return self.country_num


trainset = NameDataset(is_train_set=True)
trainloader = DataLoader(trainset, batch_size=BATCH_SIZE, shuffle=True)
testset = NameDataset(is_train_set=False)
testloader = DataLoader(testset, batch_size=BATCH_SIZE, shuffle=False)

N_COUNTRY = trainset.getCountriesNum()
print(N_COUNTRY, trainset.country_list, trainset[0], len(trainset), len(testset))


def create_tensor(tensor):
    if USE_GPU:
        device = torch.device("cuda:0")
        tensor = tensor.to(device)
    return tensor


class RNNClassifier(torch.nn.Module):
    def __init__(self, input_size, hidden_size, output_size, n_layers=1, bidirectional=True):
        super(RNNClassifier, self).__init__()
        self.hidden_size = hidden_size
        self.n_layers = n_layers
        self.n_directions = 2 if bidirectional else 1

        self.embedding = torch.nn.Embedding(input_size, hidden_size)
        self.gru = torch.nn.GRU(hidden_size, hidden_size, n_layers,
                                bidirectional=bidirectional)
        self.fc = torch.nn.Linear(hidden_size * self.n_directions, output_size)

    def _init_hidden(self, batch_size):
        hidden = torch.zeros(self.n_layers * self.n_directions,
                             batch_size, self.hidden_size)
        return create_tensor(hidden)

    def forward(self, input, seq_lengths):
        # input shape : B x S -> S x B
        input = input.t()
        batch_size = input.size(1)

        hidden = self._init_hidden(batch_size)
        embedding = self.embedding(input)

        # pack them up
        gru_input = pack_padded_sequence(embedding, seq_lengths)

        output, hidden = self.gru(gru_input, hidden)
        if self.n_directions == 2:
            hidden_cat = torch.cat([hidden[-1], hidden[-2]], dim=1)
        else:
            hidden_cat = hidden[-1]
        fc_output = self.fc(hidden_cat)
        return fc_output


def name2list(name):
    arr = [ord(c) for c in name]
    return arr, len(arr)


def make_tensors(names, countries):
    sequences_and_lengths = [name2list(name) for name in names]
    name_sequences = [sl[0] for sl in sequences_and_lengths]
    seq_lengths = torch.LongTensor([sl[1] for sl in sequences_and_lengths])
    countries = countries.long()

    # make tensor of name, BatchSize x SeqLen
    seq_tensor = torch.zeros(len(name_sequences), seq_lengths.max()).long()
    for idx, (seq, seq_len) in enumerate(zip(name_sequences, seq_lengths), 0):
        seq_tensor[idx, :seq_len] = torch.LongTensor(seq)

    # sort by length to use pack_padded_sequence
    seq_lengths, perm_idx = seq_lengths.sort(dim=0, descending=True)
    seq_tensor = seq_tensor[perm_idx]
    countries = countries[perm_idx]

    return create_tensor(seq_tensor), \
        create_tensor(seq_lengths), \
        create_tensor(countries)


names, countries = next(iter(testloader))
inputs, seq_lengths, target = make_tensors(names[:4], countries[:4])
print(names[:4], countries[:4])
print(inputs)
print(seq_lengths, target)


def time_since(since):
    s = time.time() - since
    m = math.floor(s / 60)
    s -= m * 60
    return '%dm %ds' % (m, s)


def trainModel():
    total_loss = 0
    for i, (names, countries) in enumerate(trainloader, 1):
        inputs, seq_lengths, target = make_tensors(names, countries)
        output = classifier(inputs, seq_lengths)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        total_loss += loss.item()
        if i % 2 == 0:
            print(f'Epoch {epoch} ', end='')  # [{time_since(start)}] left out: it varies
            print(f'[{i * len(inputs)}/{len(trainset)}] ', end='')
            print(f'loss={total_loss / (i * len(inputs)):.4f}')
    return total_loss


def testModel():
    correct = 0
    total = len(testset)
    print("evaluating trained model ...")
    with torch.no_grad():
        for i, (names, countries) in enumerate(testloader, 1):
            inputs, seq_lengths, target = make_tensors(names, countries)
            output = classifier(inputs, seq_lengths)
            pred = output.max(dim=1, keepdim=True)[1]
            correct += pred.eq(target.view_as(pred)).sum().item()

        percent = '%.2f' % (100 * correct / total)
        print(f'Test set: Accuracy {correct}/{total} {percent}%')

    return correct / total


if __name__ == '__main__':
    classifier = RNNClassifier(N_CHARS, HIDDEN_SIZE, N_COUNTRY, N_LAYER)
    print(classifier)
    if USE_GPU:
        device = torch.device("cuda:0")
        classifier.to(device)

    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(classifier.parameters(), lr=0.001)

    start = time.time()
    print("Training for %d epochs..." % N_EPOCHS)
    acc_list = []
    for epoch in range(1, N_EPOCHS + 1):
        # Train cycle
        trainModel()
        acc = testModel()
        acc_list.append(acc)
    print(['%.4f' % a for a in acc_list])

