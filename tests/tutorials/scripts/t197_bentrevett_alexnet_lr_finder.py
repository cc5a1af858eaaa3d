# ruff: noqa: B007, E501, UP008, UP031, UP032  (tutorial code, kept as the notebooks write it)
"""bentrevett/pytorch-image-classification 3 (AlexNet), 4 (VGG) and 5 (ResNet) idioms: per-channel
means/stds computed from the training data with numpy, an AlexNet with model.apply(
initialize_parameters) (kaiming_normal_ / xavier_normal_ / constant_), the learning-rate finder
(an _LRScheduler subclass with an exponential get_lr, an IteratorWrapper that restarts the
DataLoader, smoothing and the divergence stop, the initial weights saved and loaded back),
discriminative learning rates through parameter groups, OneCycleLR with one max_lr per group, and
calculate_topk_accuracy. Adapted: seeded CIFAR-shaped uint8 data instead of the download,
AlexNet's widths divided by 4, short runs, no plots or timings."""
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torch.utils.data as data
from torch.optim.lr_scheduler import _LRScheduler

SEED = 1234

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.cuda.manual_seed(SEED)
torch.backends.cudnn.deterministic = True

rng = np.random.RandomState(0)
labels_np = rng.randint(0, 10, size=320)
images_np = rng.randint(0, 120, size=(320, 32, 32, 3)).astype(np.uint8)
images_np[np.arange(320), :, labels_np * 3, labels_np % 3] = 250  # a bright column per class

means = images_np.mean(axis=(0, 1, 2)) / 255
stds = images_np.std(axis=(0, 1, 2)) / 255
print(f'Calculated means: {means.round(4).tolist()}')
print(f'Calculated stds: {stds.round(4).tolist()}')

x_all = (torch.tensor(images_np).permute(0, 3, 1, 2).float() / 255 - torch.tensor(means).float().view(3, 1, 1)) / torch.tensor(stds).float().view(3, 1, 1)
y_all = torch.tensor(labels_np)
train_data, valid_data = data.random_split(data.TensorDataset(x_all, y_all), [256, 64])

BATCH_SIZE = 32
train_iterator = data.DataLoader(train_data, shuffle=True, batch_size=BATCH_SIZE)
valid_iterator = data.DataLoader(valid_data, batch_size=BATCH_SIZE)


class AlexNet(nn.Module):
    def __init__(self, output_dim):
        super().__init__()

        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1),  # in_channels, out_channels, kernel_size, stride, padding
            nn.MaxPool2d(2),  # kernel_size
            nn.ReLU(inplace=True),
            nn.Conv2d(16, 48, 3, padding=1),
            nn.MaxPool2d(2),
            nn.ReLU(inplace=True),
            nn.Conv2d(48, 96, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(96, 64, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(64, 64, 3, padding=1),
            nn.MaxPool2d(2),
            nn.ReLU(inplace=True)
        )

        self.classifier = nn.Sequential(
            nn.Dropout(0.5),
            nn.Linear(64 * 2 * 2, 256),
            nn.ReLU(inplace=True),
            nn.Dropout(0.5),
            nn.Linear(256, 256),
            nn.ReLU(inplace=True),
            nn.Linear(256, output_dim),
        )

    def forward(self, x):
        x = self.features(x)
        h = x.view(x.shape[0], -1)
        x = self.classifier(h)
        return x, h


def initialize_parameters(m):
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight.data, nonlinearity='relu')
        nn.init.constant_(m.bias.data, 0)
    elif isinstance(m, nn.Linear):
        nn.init.xavier_normal_(m.weight.data, gain=nn.init.calculate_gain('relu'))
        nn.init.constant_(m.bias.data, 0)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


OUTPUT_DIM = 10
model = AlexNet(OUTPUT_DIM)
print(f'The model has {count_parameters(model):,} trainable parameters')
model.apply(initialize_parameters)
print(f'{model.features[0].weight.std().item():.4f} {model.classifier[1].weight.std().item():.4f} {model.features[3].bias.abs().sum().item():.1f}')


class LRFinder:
    def __init__(self, model, optimizer, criterion, device, ckpt_dir):
        self.optimizer = optimizer
        self.model = model
        self.criterion = criterion
        self.device = device
        self.path = os.path.join(ckpt_dir, 'init_params.pt')

        torch.save(model.state_dict(), self.path)

    def range_test(self, iterator, end_lr=10, num_iter=100,
                   smooth_f=0.05, diverge_th=5):
        lrs = []
        losses = []
        best_loss = float('inf')

        lr_scheduler = ExponentialLR(self.optimizer, end_lr, num_iter)

        iterator = IteratorWrapper(iterator)

        for iteration in range(num_iter):
            loss = self._train_batch(iterator)

            lrs.append(lr_scheduler.get_last_lr()[0])

            # update lr
            lr_scheduler.step()

            if iteration > 0:
                loss = smooth_f * loss + (1 - smooth_f) * losses[-1]

            if loss < best_loss:
                best_loss = loss

            losses.append(loss)

            if loss > diverge_th * best_loss:
                print("Stopping early, the loss has diverged")
                break

        # reset model to initial parameters
        self.model.load_state_dict(torch.load(self.path))

        return lrs, losses

    def _train_batch(self, iterator):
        self.model.train()

        self.optimizer.zero_grad()

        x, y = iterator.get_batch()

        x = x.to(self.device)
        y = y.to(self.device)

        y_pred, _ = self.model(x)

        loss = self.criterion(y_pred, y)

        loss.backward()

        self.optimizer.step()

        return loss.item()


class ExponentialLR(_LRScheduler):
    def __init__(self, optimizer, end_lr, num_iter, last_epoch=-1):
        self.end_lr = end_lr
        self.num_iter = num_iter
        super(ExponentialLR, self).__init__(optimizer, last_epoch)

    def get_lr(self):
        curr_iter = self.last_epoch
        r = curr_iter / self.num_iter
        return [base_lr * (self.end_lr / base_lr) ** r for base_lr in self.base_lrs]


class IteratorWrapper:
    def __init__(self, iterator):
        self.iterator = iterator
        self._iterator = iter(iterator)

    def __next__(self):
        try:
            inputs, labels = next(self._iterator)
        except StopIteration:
            self._iterator = iter(self.iterator)
            inputs, labels, *_ = next(self._iterator)

        return inputs, labels

    def get_batch(self):
        return next(self)


device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
START_LR = 1e-7

optimizer = optim.Adam(model.parameters(), lr=START_LR)
criterion = nn.CrossEntropyLoss()
model = model.to(device)
criterion = criterion.to(device)

before = model.features[0].weight.sum().item()
END_LR = 10
NUM_ITER = 40

lr_finder = LRFinder(model, optimizer, criterion, device, tempfile.mkdtemp())
lrs, losses = lr_finder.range_test(train_iterator, END_LR, NUM_ITER)
print(len(lrs), ' '.join('%.3g' % lr for lr in lrs[::6]))
# (the smoothed losses: 3 significant digits, they pass through lrs up to 10)
print(' '.join('%.3g' % loss for loss in losses[:20:4]))
print('restored:', model.features[0].weight.sum().item() == before)


def calculate_topk_accuracy(y_pred, y, k=5):
    with torch.no_grad():
        batch_size = y.shape[0]
        _, top_pred = y_pred.topk(k, 1)
        top_pred = top_pred.t()
        correct = top_pred.eq(y.view(1, -1).expand_as(top_pred))
        correct_1 = correct[:1].reshape(-1).float().sum(0, keepdim=True)
        correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
        acc_1 = correct_1 / batch_size
        acc_k = correct_k / batch_size
    return acc_1, acc_k


# discriminative fine-tuning: the features learn 10x slower than the classifier
FOUND_LR = 1e-3

params = [
          {'params': model.features.parameters(), 'lr': FOUND_LR / 10},
          {'params': model.classifier.parameters()}
         ]

optimizer = optim.Adam(params, lr=FOUND_LR)

# (2 epochs: by a third, float32 rounding carried through Adam moves the 5th/6th logits of
# one training image, 6e-4 apart, past each other)
EPOCHS = 2
STEPS_PER_EPOCH = len(train_iterator)
TOTAL_STEPS = EPOCHS * STEPS_PER_EPOCH

MAX_LRS = [p['lr'] for p in optimizer.param_groups]

scheduler = optim.lr_scheduler.OneCycleLR(optimizer,
                                          max_lr=MAX_LRS,
                                          total_steps=TOTAL_STEPS)


def train(model, iterator, optimizer, criterion, scheduler, device):
    epoch_loss = 0
    epoch_acc_1 = 0
    epoch_acc_5 = 0

    model.train()

    for (x, y) in iterator:
        x = x.to(device)
        y = y.to(device)

        optimizer.zero_grad()

        y_pred, _ = model(x)

        loss = criterion(y_pred, y)

        acc_1, acc_5 = calculate_topk_accuracy(y_pred, y)

        loss.backward()

        optimizer.step()

        scheduler.step()

        epoch_loss += loss.item()
        epoch_acc_1 += acc_1.item()
        epoch_acc_5 += acc_5.item()

    epoch_loss /= len(iterator)
    epoch_acc_1 /= len(iterator)
    epoch_acc_5 /= len(iterator)

    return epoch_loss, epoch_acc_1, epoch_acc_5


def evaluate(model, iterator, criterion, device):
    epoch_loss = 0
    epoch_acc_1 = 0
    epoch_acc_5 = 0

    model.eval()

    with torch.no_grad():
        for (x, y) in iterator:
            x = x.to(device)
            y = y.to(device)

            y_pred, _ = model(x)

            loss = criterion(y_pred, y)

            acc_1, acc_5 = calculate_topk_accuracy(y_pred, y)

            epoch_loss += loss.item()
            epoch_acc_1 += acc_1.item()
            epoch_acc_5 += acc_5.item()

    epoch_loss /= len(iterator)
    epoch_acc_1 /= len(iterator)
    epoch_acc_5 /= len(iterator)

    return epoch_loss, epoch_acc_1, epoch_acc_5


for epoch in range(EPOCHS):
    train_loss, train_acc_1, train_acc_5 = train(model, train_iterator, optimizer, criterion, scheduler, device)
    valid_loss, valid_acc_1, valid_acc_5 = evaluate(model, valid_iterator, criterion, device)

    print(f'Epoch: {epoch+1:02}')
    print(f'\tTrain Loss: {train_loss:.3f} | Train Acc @1: {train_acc_1*100:6.2f}% | '
          f'Train Acc @5: {train_acc_5*100:6.2f}%')
    print(f'\tValid Loss: {valid_loss:.3f} | Valid Acc @1: {valid_acc_1*100:6.2f}% | '
          f'Valid Acc @5: {valid_acc_5*100:6.2f}%')
    print('\tlrs', ['%.3e' % lr for lr in scheduler.get_last_lr()])

print(optimizer.param_groups[0].keys() == optimizer.param_groups[1].keys(), sorted(optimizer.param_groups[1])[:6])
y_pred = torch.tensor([[0.1, 0.5, 0.2, 0.9, 0.3, 0.0], [0.7, 0.1, 0.0, 0.2, 0.3, 0.25]])
print([a.tolist() for a in calculate_topk_accuracy(y_pred, torch.tensor([1, 5]), k=3)])
print(F.softmax(y_pred, dim=-1).argmax(1).tolist())
