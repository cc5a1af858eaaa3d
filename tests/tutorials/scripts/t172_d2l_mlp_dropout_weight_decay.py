# ruff: noqa: B020, E741  (d2l code, kept as the book writes it)
# Dive into Deep Learning (d2l.ai, PyTorch), chapter 5 "Multilayer Perceptrons": activation
# functions and their gradients, MLP from scratch and concise, dropout from scratch and concise,
# weight decay from scratch (l2_penalty) and concise (a per-parameter-group weight_decay), in
# d2l 1.0's Module/Classifier/Trainer style. Adapted: the d2l helpers are written inline in
# minimal form, plots become printed epoch means (4 decimals), and Fashion-MNIST is replaced by a
# small seeded synthetic 10-class 1x28x28 data set.
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)


# ---- minimal d2l helpers -----------------------------------------------------------------
class DataModule:
    def __init__(self, batch_size):
        self.batch_size = batch_size

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        tensors = tuple(a[indices] for a in tensors)
        dataset = torch.utils.data.TensorDataset(*tensors)
        return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)


class FashionLike(DataModule):
    """Fashion-MNIST-shaped (1x28x28, 10 classes) seeded synthetic images."""

    def __init__(self, batch_size=64, num_train=512, num_val=256):
        super().__init__(batch_size)
        self.num_train = num_train
        g = torch.Generator().manual_seed(7)
        protos = torch.rand((10, 1, 28, 28), generator=g)
        n = num_train + num_val
        self.y = torch.randint(0, 10, (n,), generator=g)
        self.X = (0.25 * protos[self.y] + torch.rand((n, 1, 28, 28), generator=g)) / 1.25

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class Module(nn.Module):
    def __init__(self):
        super().__init__()
        self.logs = {}

    def log(self, key, value):
        self.logs.setdefault(key, []).append(float(value))

    def training_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.log('train_loss', l.detach())
        return l

    def validation_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.log('val_loss', l)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)


class Classifier(Module):
    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        self.log('val_loss', self.loss(Y_hat, batch[-1]))
        self.log('val_acc', self.accuracy(Y_hat, batch[-1]))

    def accuracy(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        preds = Y_hat.argmax(axis=1).type(Y.dtype)
        compare = (preds == Y.reshape(-1)).type(torch.float32)
        return compare.mean() if averaged else compare

    def loss(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')


class Trainer:
    def __init__(self, max_epochs):
        self.max_epochs = max_epochs

    def fit(self, model, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.model = model
        self.optim = model.configure_optimizers()
        for self.epoch in range(self.max_epochs):
            model.logs = {}
            self.fit_epoch()
            print(f'epoch {self.epoch + 1}: ' + ', '.join(
                f'{k} {sum(v) / len(v):.4f}' for k, v in model.logs.items()))

    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(batch)
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                self.optim.step()
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(batch)


# ---- 5.1 activation functions ------------------------------------------------------------
x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.relu(x)
y.backward(torch.ones_like(x), retain_graph=True)
print(y[75:85], x.grad[75:85])
y = torch.sigmoid(x)
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print(y[::20].detach(), x.grad[::20])
y = torch.tanh(x)
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print(y[::20].detach(), x.grad[::20])


# ---- 5.2 MLP from scratch and concise ----------------------------------------------------
class MLPScratch(Classifier):
    def __init__(self, num_inputs, num_outputs, num_hiddens, lr, sigma=0.01):
        super().__init__()
        self.num_inputs, self.lr = num_inputs, lr
        self.W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.b1 = nn.Parameter(torch.zeros(num_hiddens))
        self.W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs) * sigma)
        self.b2 = nn.Parameter(torch.zeros(num_outputs))

    def forward(self, X):
        X = X.reshape((-1, self.num_inputs))
        H = relu(torch.matmul(X, self.W1) + self.b1)
        return torch.matmul(H, self.W2) + self.b2


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


data = FashionLike(batch_size=64)
model = MLPScratch(num_inputs=784, num_outputs=10, num_hiddens=64, lr=0.1)
print([(n, tuple(p.shape)) for n, p in model.named_parameters()])
trainer = Trainer(max_epochs=3)
trainer.fit(model, data)


class MLP(Classifier):
    def __init__(self, num_outputs, num_hiddens, lr):
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_hiddens),
                                 nn.ReLU(), nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)


model = MLP(num_outputs=10, num_hiddens=64, lr=0.1)
print(model.net)
trainer.fit(model, data)
print(model.net)


# ---- 5.6 Dropout -------------------------------------------------------------------------
def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)


X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print('dropout_p = 0:', dropout_layer(X, 0))
print('dropout_p = 0.5:', dropout_layer(X, 0.5))
print('dropout_p = 1:', dropout_layer(X, 1))


class DropoutMLPScratch(Classifier):
    def __init__(self, num_outputs, num_hiddens_1, num_hiddens_2, dropout_1, dropout_2, lr):
        super().__init__()
        self.dropout_1, self.dropout_2, self.lr = dropout_1, dropout_2, lr
        self.lin1 = nn.LazyLinear(num_hiddens_1)
        self.lin2 = nn.LazyLinear(num_hiddens_2)
        self.lin3 = nn.LazyLinear(num_outputs)
        self.relu = nn.ReLU()

    def forward(self, X):
        H1 = self.relu(self.lin1(X.reshape((X.shape[0], -1))))
        if self.training:
            H1 = dropout_layer(H1, self.dropout_1)
        H2 = self.relu(self.lin2(H1))
        if self.training:
            H2 = dropout_layer(H2, self.dropout_2)
        return self.lin3(H2)


hparams = {'num_outputs': 10, 'num_hiddens_1': 64, 'num_hiddens_2': 32,
           'dropout_1': 0.5, 'dropout_2': 0.5, 'lr': 0.1}
model = DropoutMLPScratch(**hparams)
trainer = Trainer(max_epochs=2)
trainer.fit(model, data)


class DropoutMLP(Classifier):
    def __init__(self, num_outputs, num_hiddens_1, num_hiddens_2, dropout_1, dropout_2, lr):
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(
            nn.Flatten(), nn.LazyLinear(num_hiddens_1), nn.ReLU(),
            nn.Dropout(dropout_1), nn.LazyLinear(num_hiddens_2), nn.ReLU(),
            nn.Dropout(dropout_2), nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)


model = DropoutMLP(**hparams)
trainer.fit(model, data)
print(model.net)
model.eval()
print(torch.equal(model(data.X[:4]), model(data.X[:4])))
model.train()
print(torch.equal(model(data.X[:4]), model(data.X[:4])))


# ---- 3.7 Weight Decay --------------------------------------------------------------------
class Data(DataModule):
    def __init__(self, num_train, num_val, num_inputs, batch_size):
        super().__init__(batch_size)
        self.num_train = num_train
        n = num_train + num_val
        self.X = torch.randn(n, num_inputs)
        noise = torch.randn(n, 1) * 0.01
        w, b = torch.ones((num_inputs, 1)) * 0.01, 0.05
        self.y = torch.matmul(self.X, w) + b + noise

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader([self.X, self.y], train, i)


def l2_penalty(w):
    return (w ** 2).sum() / 2


class LinearRegressionScratch(Module):
    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.lr = lr
        self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X):
        return torch.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self):
        return torch.optim.SGD([self.w, self.b], self.lr)


class WeightDecayScratch(LinearRegressionScratch):
    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        super().__init__(num_inputs, lr, sigma)
        self.lambd = lambd

    def loss(self, y_hat, y):
        return (super().loss(y_hat, y) + self.lambd * l2_penalty(self.w))


data = Data(num_train=20, num_val=100, num_inputs=200, batch_size=5)
trainer = Trainer(max_epochs=10)


def train_scratch(lambd):
    model = WeightDecayScratch(num_inputs=200, lambd=lambd, lr=0.01)
    trainer.fit(model, data)
    print(f'L2 norm of w: {float(l2_penalty(model.w)):.5f}')


train_scratch(0)
train_scratch(3)


class LinearRegression(Module):
    def __init__(self, lr):
        super().__init__()
        self.lr = lr
        self.net = nn.LazyLinear(1)
        self.net.weight.data.normal_(0, 0.01)
        self.net.bias.data.fill_(0)

    def forward(self, X):
        return self.net(X)

    def loss(self, y_hat, y):
        fn = nn.MSELoss()
        return fn(y_hat, y)

    def get_w_b(self):
        return (self.net.weight.data, self.net.bias.data)


class WeightDecay(LinearRegression):
    def __init__(self, wd, lr):
        super().__init__(lr)
        self.wd = wd

    def configure_optimizers(self):
        return torch.optim.SGD([
            {'params': self.net.weight, 'weight_decay': self.wd},
            {'params': self.net.bias}], lr=self.lr)


model = WeightDecay(wd=3, lr=0.01)
trainer.fit(model, data)
print(f'L2 norm of w: {float(l2_penalty(model.get_w_b()[0])):.5f}')
print([sorted(k for k in g if k != 'params') for g in trainer.optim.param_groups][0])
print([g['weight_decay'] for g in trainer.optim.param_groups])
