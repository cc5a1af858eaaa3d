# ruff: noqa: B007, E501, UP008  (tutorial code, kept as upstream writes it)
"""aladdinpersson/Machine-Learning-Collection ML/Pytorch/Basics: pytorch_rnn_gru_lstm.py (RNN,
RNN_GRU and RNN_LSTM many-to-one reading all time steps through one Linear, h0/c0 made with
torch.zeros(...).to(device); upstream trains RNN_LSTM) and pytorch_bidirectional_lstm.py (BRNN
reading out[:, -1, :]); data.squeeze(1) turns the (N, 1, 28, 28) images into 28-step sequences;
check_accuracy reads loader.dataset.train and prints a 0-d tensor count in an f-string. Adapted: a
seeded MNIST stand-in (ToTensor-shaped float images with .train) instead of the download, hidden
size 16 and one layer, one batch per loader; RNN and RNN_GRU are built and run forward once."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

input_size = 28
hidden_size = 16
num_layers = 1
num_classes = 10
sequence_length = 28
learning_rate = 0.005
batch_size = 64
num_epochs = 1


class MNIST(Dataset):
    """(1, 28, 28) float images in [0, 1] and int labels, as datasets.MNIST(transform=ToTensor())."""

    def __init__(self, train, n):
        g = torch.Generator().manual_seed(1 if train else 2)
        self.train = train
        self.targets = torch.randint(0, 10, (n,), generator=g)
        base = torch.rand(10, 28, 28, generator=g)
        noise = torch.rand(n, 28, 28, generator=g)
        self.data = (0.7 * base[self.targets] + 0.3 * noise).unsqueeze(1)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return self.data[index], int(self.targets[index])


def train(model, squeeze, num_epochs=1):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=learning_rate)
    for epoch in range(num_epochs):
        for batch_idx, (data, targets) in enumerate(train_loader):
            data = data.to(device=device)
            if squeeze:
                data = data.squeeze(1)
            targets = targets.to(device=device)
            scores = model(data)
            loss = criterion(scores, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} last loss {loss.item():.4f}")


def check_accuracy_print(loader, model, squeeze):
    if loader.dataset.train:
        print("Checking accuracy on training data")
    else:
        print("Checking accuracy on test data")

    num_correct = 0
    num_samples = 0
    model.eval()

    with torch.no_grad():
        for x, y in loader:
            x = x.to(device=device)
            if squeeze:
                x = x.squeeze(1)
            y = y.to(device=device)

            scores = model(x)
            _, predictions = scores.max(1)
            num_correct += (predictions == y).sum()
            num_samples += predictions.size(0)

        print(f'Got {num_correct} / {num_samples} with accuracy {float(num_correct)/float(num_samples)*100:.2f}')

    model.train()


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, num_classes):
        super(RNN, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.rnn = nn.RNN(input_size, hidden_size, num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size * sequence_length, num_classes)

    def forward(self, x):
        h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(device)
        out, _ = self.rnn(x, h0)
        out = out.reshape(out.shape[0], -1)
        out = self.fc(out)
        return out


class RNN_GRU(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, num_classes):
        super(RNN_GRU, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.gru = nn.GRU(input_size, hidden_size, num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size * sequence_length, num_classes)

    def forward(self, x):
        h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(device)
        out, _ = self.gru(x, h0)
        out = out.reshape(out.shape[0], -1)
        out = self.fc(out)
        return out


class RNN_LSTM(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, num_classes):
        super(RNN_LSTM, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size * sequence_length, num_classes)

    def forward(self, x):
        h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(device)
        c0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(device)
        out, _ = self.lstm(x, (h0, c0))
        out = out.reshape(out.shape[0], -1)
        out = self.fc(out)
        return out


class BRNN(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, num_classes):
        super(BRNN, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(hidden_size * 2, num_classes)

    def forward(self, x):
        h0 = torch.zeros(self.num_layers * 2, x.size(0), self.hidden_size).to(device)
        c0 = torch.zeros(self.num_layers * 2, x.size(0), self.hidden_size).to(device)
        out, _ = self.lstm(x, (h0, c0))
        out = self.fc(out[:, -1, :])
        return out


train_dataset = MNIST(train=True, n=64)
test_dataset = MNIST(train=False, n=64)
train_loader = DataLoader(dataset=train_dataset, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(dataset=test_dataset, batch_size=batch_size, shuffle=True)

data, targets = next(iter(test_loader))
for cls in (RNN, RNN_GRU):
    model = cls(input_size, hidden_size, num_layers, num_classes).to(device)
    print(model)
    print([(name, tuple(p.shape)) for name, p in model.named_parameters()])
    with torch.no_grad():
        print(model(data.squeeze(1)).shape)

model = RNN_LSTM(input_size, hidden_size, num_layers, num_classes).to(device)
print(model)
train(model, squeeze=True)
check_accuracy_print(train_loader, model, squeeze=True)
check_accuracy_print(test_loader, model, squeeze=True)

learning_rate = 0.001
model = BRNN(input_size, hidden_size, num_layers, num_classes).to(device)
print(model)
print([(name, tuple(p.shape)) for name, p in model.named_parameters()][4:8])
train(model, squeeze=True)
check_accuracy_print(train_loader, model, squeeze=True)
check_accuracy_print(test_loader, model, squeeze=True)
