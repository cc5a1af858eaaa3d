# ruff: noqa: UP008  (the example's code, kept as it is written)
# pytorch/examples mnist_forward_forward/main.py: Hinton's forward-forward algorithm, one Adam
# per layer (Layer subclasses nn.Linear and overrides train()), label overlay by advanced-index
# assignment, negative labels drawn with torch.randint, goodness-based prediction.
# Only the data source changes: MNIST (a download) is replaced by the UCI digits bundled with
# torchlike (read with NumPy), upscaled to 28x28, normalised and flattened as the example's
# transforms would; smaller sizes and fewer epochs; the loss is printed to 5 decimals.
import argparse
import importlib.util
import os

import numpy as np
import torch
import torch.nn as nn
from torch.optim import Adam
from torch.utils.data import DataLoader


def digits_datasets(n_train, n_test):
    path = os.path.join(
        os.path.dirname(importlib.util.find_spec("torchlike").origin), "vision", "data", "digits.npz"
    )
    with np.load(path) as f:
        images = f["images"].astype(np.float32) * (255.0 / 16.0)
        targets = f["targets"].astype(np.int64)
    images = np.kron(images, np.ones((3, 3), np.float32))  # 24x24
    images = np.pad(images, ((0, 0), (2, 2), (2, 2)))[:, None] / 255.0  # 1x28x28 in [0, 1]
    images = ((images - 0.1307) / 0.3081).astype(np.float32)
    x, y = torch.from_numpy(images), torch.from_numpy(targets)
    train = torch.utils.data.TensorDataset(x[:n_train], y[:n_train])
    test = torch.utils.data.TensorDataset(x[-n_test:], y[-n_test:])
    return train, test


def get_y_neg(y):
    y_neg = y.clone()
    for idx, y_samp in enumerate(y):
        allowed_indices = list(range(10))
        allowed_indices.remove(y_samp.item())
        y_neg[idx] = torch.tensor(allowed_indices)[
            torch.randint(len(allowed_indices), size=(1,))
        ].item()
    return y_neg.to(device)


def overlay_y_on_x(x, y, classes=10):
    x_ = x.clone()
    x_[:, :classes] *= 0.0
    x_[range(x.shape[0]), y] = x.max()
    return x_


class Net(torch.nn.Module):
    def __init__(self, dims):

        super().__init__()
        self.layers = []
        for d in range(len(dims) - 1):
            self.layers = self.layers + [Layer(dims[d], dims[d + 1]).to(device)]

    def predict(self, x):
        goodness_per_label = []
        for label in range(10):
            h = overlay_y_on_x(x, label)
            goodness = []
            for layer in self.layers:
                h = layer(h)
                goodness = goodness + [h.pow(2).mean(1)]
            goodness_per_label += [sum(goodness).unsqueeze(1)]
        goodness_per_label = torch.cat(goodness_per_label, 1)
        return goodness_per_label.argmax(1)

    def train(self, x_pos, x_neg):
        h_pos, h_neg = x_pos, x_neg
        for i, layer in enumerate(self.layers):
            print("training layer: ", i)
            h_pos, h_neg = layer.train(h_pos, h_neg)


class Layer(nn.Linear):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__(in_features, out_features, bias, device, dtype)
        self.relu = torch.nn.ReLU()
        self.opt = Adam(self.parameters(), lr=args.lr)
        self.threshold = args.threshold
        self.num_epochs = args.epochs

    def forward(self, x):
        x_direction = x / (x.norm(2, 1, keepdim=True) + 1e-4)
        return self.relu(torch.mm(x_direction, self.weight.T) + self.bias.unsqueeze(0))

    def train(self, x_pos, x_neg):
        for i in range(self.num_epochs):
            g_pos = self.forward(x_pos).pow(2).mean(1)
            g_neg = self.forward(x_neg).pow(2).mean(1)
            loss = torch.log1p(
                torch.exp(
                    torch.cat([-g_pos + self.threshold, g_neg - self.threshold])
                )
            ).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            if i % args.log_interval == 0:
                print("Loss: ", f"{loss.item():.5f}")
        return self.forward(x_pos).detach(), self.forward(x_neg).detach()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1000, metavar="N",
                        help="number of epochs to train (default: 1000)")
    parser.add_argument("--lr", type=float, default=0.03, metavar="LR",
                        help="learning rate (default: 0.03)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    parser.add_argument("--save_model", action="store_true", default=False,
                        help="For saving the current Model")
    parser.add_argument("--train_size", type=int, default=50000, help="size of training set")
    parser.add_argument("--threshold", type=float, default=2, help="threshold for training")
    parser.add_argument("--test_size", type=int, default=10000, help="size of test set")
    parser.add_argument("--log-interval", type=int, default=10, metavar="N",
                        help="how many batches to wait before logging training status")
    args = parser.parse_args(["--epochs", "150", "--log-interval", "50", "--train_size", "300",
                              "--test_size", "200"])
    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    train_kwargs = {"batch_size": args.train_size}
    test_kwargs = {"batch_size": args.test_size}

    train_set, test_set = digits_datasets(args.train_size, args.test_size)
    flat = lambda ds: torch.utils.data.TensorDataset(torch.flatten(ds.tensors[0], 1), ds.tensors[1])
    train_loader = DataLoader(flat(train_set), **train_kwargs)
    test_loader = DataLoader(flat(test_set), **test_kwargs)
    net = Net([784, 100, 100])
    x, y = next(iter(train_loader))
    x, y = x.to(device), y.to(device)
    x_pos = overlay_y_on_x(x, y)
    y_neg = get_y_neg(y)
    x_neg = overlay_y_on_x(x, y_neg)
    net.train(x_pos, x_neg)
    print("train error:", 1.0 - net.predict(x).eq(y).float().mean().item())
    x_te, y_te = next(iter(test_loader))
    x_te, y_te = x_te.to(device), y_te.to(device)
    if args.save_model:
        torch.save(net.state_dict(), "mnist_ff.pt")
    print("test error:", 1.0 - net.predict(x_te).eq(y_te).float().mean().item())
