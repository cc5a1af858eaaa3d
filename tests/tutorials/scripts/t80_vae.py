# ruff: noqa: UP008, UP010, UP032 (the originals' style, kept)
# pytorch/examples vae/main.py on a small embedded data set instead of MNIST: the reparameterisation
# trick, binary_cross_entropy(reduction='sum') + KLD, Adam, a test pass under no_grad, and sampling.
from __future__ import print_function

import torch
import torch.utils.data
from torch import nn, optim
from torch.nn import functional as F

torch.manual_seed(1)
device = torch.device("cpu")
batch_size, log_interval, epochs = 16, 2, 2

# reduction='sum' losses are ~700 per batch: printed to 2 decimals, as float32 sums in a different
# order agree to a few ulps only.
# 64 "images" of 8x8 pixels in [0, 1], from a few random prototypes plus noise
protos = torch.rand(4, 1, 8, 8)
labels = torch.randint(0, 4, (80,))
images = (protos[labels] + 0.1 * torch.randn(80, 1, 8, 8)).clamp(0, 1)
train_set = torch.utils.data.TensorDataset(images[:64], labels[:64])
test_set = torch.utils.data.TensorDataset(images[64:], labels[64:])
train_loader = torch.utils.data.DataLoader(train_set, batch_size=batch_size, shuffle=True)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=batch_size, shuffle=False)


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()

        self.fc1 = nn.Linear(64, 32)
        self.fc21 = nn.Linear(32, 4)
        self.fc22 = nn.Linear(32, 4)
        self.fc3 = nn.Linear(4, 32)
        self.fc4 = nn.Linear(32, 64)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 64))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


model = VAE().to(device)
print(model)
optimizer = optim.Adam(model.parameters(), lr=1e-2)


# Reconstruction + KL divergence losses summed over all elements and batch
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 64), reduction="sum")

    # see Appendix B from VAE paper:
    # Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
    # 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())

    return BCE + KLD


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % log_interval == 0:
            print(
                "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.2f}".format(
                    epoch,
                    batch_idx * len(data),
                    len(train_loader.dataset),
                    100.0 * batch_idx / len(train_loader),
                    loss.item() / len(data),
                )
            )

    print(
        "====> Epoch: {} Average loss: {:.2f}".format(epoch, train_loss / len(train_loader.dataset))
    )


def test(epoch):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for i, (data, _) in enumerate(test_loader):
            data = data.to(device)
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
            if i == 0:
                n = min(data.size(0), 8)
                comparison = torch.cat([data[:n], recon_batch.view(batch_size, 1, 8, 8)[:n]])
                print("comparison", comparison.shape, comparison.dtype)

    test_loss /= len(test_loader.dataset)
    print("====> Test set loss: {:.2f}".format(test_loss))


for epoch in range(1, epochs + 1):
    train(epoch)
    test(epoch)
    with torch.no_grad():
        sample = torch.randn(8, 4).to(device)
        sample = model.decode(sample).cpu()
        print("sample", sample.view(8, 1, 8, 8).shape, round(sample.mean().item(), 4))

# the functional pieces on their own
p = torch.tensor([0.1, 0.5, 0.9, 1.0, 0.0])
t = torch.tensor([0.0, 1.0, 1.0, 1.0, 0.0])
print(F.binary_cross_entropy(p, t, reduction="sum"))
print(F.binary_cross_entropy(p, t, reduction="none"))
print(F.binary_cross_entropy(p, t, weight=torch.tensor([1.0, 2.0, 1.0, 1.0, 3.0])))
print(nn.BCELoss(reduction="sum")(p, t))
mu, logvar = torch.zeros(2, 3, requires_grad=True), torch.zeros(2, 3, requires_grad=True)
z = model.reparameterize(mu, logvar)
z.sum().backward()
print(mu.grad, logvar.grad)
