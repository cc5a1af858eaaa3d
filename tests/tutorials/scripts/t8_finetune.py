# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 8, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((1, 1)),
        )
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        return self.fc(self.dropout(x))


def det_init(model):
    with torch.no_grad():
        for i, (name, p) in enumerate(model.named_parameters()):
            vals = np.cos(np.arange(p.numel(), dtype=np.float64) * 0.57 + i) * 0.3
            p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))


model_conv = Backbone()
det_init(model_conv)
for param in model_conv.parameters():
    param.requires_grad = False
num_ftrs = model_conv.fc.in_features
model_conv.fc = nn.Linear(num_ftrs, 2)
det_init(model_conv.fc)
print(model_conv)
print([n for n, p in model_conv.named_parameters() if p.requires_grad])
print(
    sum(p.numel() for p in model_conv.parameters()),
    sum(p.numel() for p in model_conv.parameters() if p.requires_grad),
)
criterion = nn.CrossEntropyLoss()
optimizer_conv = optim.SGD(model_conv.fc.parameters(), lr=0.01, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_conv, step_size=2, gamma=0.1)
rng = np.random.default_rng(0)
inputs = torch.from_numpy(rng.standard_normal((8, 3, 8, 8)).astype(np.float32))
labels = torch.from_numpy(rng.integers(0, 2, size=8))
frozen_before = model_conv.features[0].weight.clone()
for epoch in range(4):
    model_conv.train()
    for start in range(0, 8, 4):
        xb, yb = inputs[start : start + 4], labels[start : start + 4]
        optimizer_conv.zero_grad()
        with torch.set_grad_enabled(True):
            outputs = (
                model_conv(xb)
                if False
                else model_conv.fc(torch.flatten(model_conv.features(xb), 1))
            )
            _, preds = torch.max(outputs, 1)
            loss = criterion(outputs, yb)
            loss.backward()
            optimizer_conv.step()
    exp_lr_scheduler.step()
    print(epoch, f"{loss.item():.4f}", exp_lr_scheduler.get_last_lr(), preds)
print(torch.equal(frozen_before, model_conv.features[0].weight))
print(model_conv.features[0].weight.grad, model_conv.fc.weight.grad is not None)
print(model_conv.features[1].running_mean)
print(model_conv.features[1].num_batches_tracked)
model_conv.eval()
print(model_conv.training, model_conv.features[1].training)
with torch.no_grad():
    out = model_conv(inputs)
    print(out)
    print(out.requires_grad, torch.softmax(out, 1).argmax(1))
print(optimizer_conv.state_dict()["param_groups"])
print(exp_lr_scheduler.state_dict())
model_conv.requires_grad_(True)
print(all(p.requires_grad for p in model_conv.parameters()))
opt = optim.Adam(
    [
        {"params": model_conv.features.parameters(), "lr": 1e-4},
        {"params": model_conv.fc.parameters()},
    ],
    lr=1e-3,
)
print(opt)
