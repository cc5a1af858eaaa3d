import math
import os
import string
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(6 * 2 * 2, 4)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        return self.fc1(x.view(-1, 6 * 2 * 2))


model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])
d = tempfile.mkdtemp()
PATH = os.path.join(d, "ckpt.tar")
torch.save(
    {
        "epoch": 5,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": 0.25,
    },
    PATH,
)
checkpoint = torch.load(PATH, weights_only=True)
model.load_state_dict(checkpoint["model_state_dict"])
optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
print(checkpoint["epoch"], checkpoint["loss"], sorted(checkpoint))
model.eval()
model.train()


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.constant_(m.weight.data, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.constant_(m.weight.data, 1.0)
        nn.init.constant_(m.bias.data, 0)


netG = nn.Sequential(
    nn.ConvTranspose2d(4, 8, 4, 1, 0, bias=False),
    nn.BatchNorm2d(8),
    nn.ReLU(True),
    nn.ConvTranspose2d(8, 3, 4, 2, 1, bias=False),
    nn.Tanh(),
)
netG.apply(weights_init)
print(netG)
noise = torch.ones(2, 4, 1, 1) * 0.5
fake = netG(noise)
print(fake.shape, fake[0, 0, :2])
criterion = nn.BCELoss()
label = torch.full((2,), 1.0, dtype=torch.float)
out = torch.sigmoid(fake.view(2, -1).mean(1))
print(criterion(out, label), label.fill_(0.0), out.mean().item() > 0)

all_letters = string.ascii_letters + " .,;'"
n_letters = len(all_letters)
print(n_letters)


def letterToIndex(letter):
    return all_letters.find(letter)


def lineToTensor(line):
    tensor = torch.zeros(len(line), 1, n_letters)
    for li, letter in enumerate(line):
        tensor[li][0][letterToIndex(letter)] = 1
    return tensor


print(lineToTensor("Jones").size())
print(lineToTensor("Jo")[1].nonzero())


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        hidden = torch.tanh(self.i2h(combined))
        output = self.softmax(self.h2o(hidden))
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


rnn = RNN(n_letters, 16, 5)
with torch.no_grad():
    for i, p in enumerate(rnn.parameters()):
        p.copy_(
            torch.from_numpy(
                (np.sin(np.arange(p.numel()) * 0.3 + i) * 0.2).astype(np.float32)
            ).view(p.shape)
        )
line = lineToTensor("Albert")
hidden = rnn.initHidden()
for i in range(line.size()[0]):
    output, hidden = rnn(line[i], hidden)
print(output)
top_n, top_i = output.topk(1)
print(top_n, top_i, top_i[0].item(), top_i[0][0])
loss = nn.NLLLoss()(output, torch.tensor([2], dtype=torch.long))
loss.backward()
for p in rnn.parameters():
    p.data.add_(p.grad.data, alpha=-0.005)
print(loss.item() > 0, rnn.h2o.bias)


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=50):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        x = x + self.pe[: x.size(0)]
        return self.dropout(x)


pe = PositionalEncoding(8)
print(pe.pe[:3, 0], list(pe.state_dict().keys()), [b.shape for b in pe.buffers()])
pe.eval()
print(pe(torch.zeros(4, 2, 8))[3])
print(nn.Transformer.generate_square_subsequent_mask(4))
mask = (torch.triu(torch.ones(3, 3)) == 1).transpose(0, 1)
print(mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, 0.0))
enc_layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0)
enc = nn.TransformerEncoder(enc_layer, 2, enable_nested_tensor=False)
print(
    enc.layers[0].self_attn.in_proj_weight.shape,
    len(enc.layers),
    sum(p.numel() for p in enc.parameters()),
)
theta = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
grid = F.affine_grid(theta, [1, 1, 3, 3], align_corners=False)
print(grid.shape, grid[0, 0])
img = torch.arange(9.0).view(1, 1, 3, 3)
print(F.grid_sample(img, grid, align_corners=False))
w = torch.empty(3, 5)
nn.init.eye_(w)
print(w)
nn.init.zeros_(w)
nn.init.ones_(w[0])
print(w)
print(
    nn.init.calculate_gain("relu"),
    nn.init.calculate_gain("leaky_relu", 0.2),
    nn.init.calculate_gain("tanh"),
)
