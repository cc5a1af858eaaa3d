# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import copy
import os
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import TensorDataset

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")


class TinyResNet(nn.Module):
    """A ResNet-shaped stand-in for models.resnet18 (torchvision is not importable here)."""

    def __init__(self, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(6)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = nn.Sequential(nn.Conv2d(6, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(6, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.relu(x + self.layer1(x))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def det_init(model, seed=0):
    with torch.no_grad():
        for i, (name, p) in enumerate(model.named_parameters()):
            vals = np.sin(np.arange(p.numel(), dtype=np.float64) * 0.43 + i + seed) * 0.4
            if "bn" in name or "layer1.1" in name:
                vals = vals * 0.25 + (1.0 if name.endswith("weight") else 0.0)
            p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))


rng = np.random.default_rng(5)
class_names = ["ants", "bees"]
image_datasets = {}
for x, n in (("train", 12), ("val", 8)):
    imgs = rng.standard_normal((n, 3, 16, 16)).astype(np.float32)
    labels = rng.integers(0, 2, size=n)
    imgs[labels == 1, 0] += 0.8  # bees are a little redder
    image_datasets[x] = TensorDataset(torch.from_numpy(imgs), torch.from_numpy(labels))
dataloaders = {
    x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=False, num_workers=0)
    for x in ["train", "val"]
}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}
print(dataset_sizes, class_names, len(dataloaders["train"]))
inputs, classes = next(iter(dataloaders["train"]))
print(inputs.shape, inputs.dtype, classes, [class_names[x] for x in classes])


def train_model(model, criterion, optimizer, scheduler, num_epochs=25):
    since = time.time()
    with tempfile.TemporaryDirectory() as tempdir:
        best_model_params_path = os.path.join(tempdir, "best_model_params.pt")
        torch.save(model.state_dict(), best_model_params_path)
        best_acc = 0.0
        best_model_wts = copy.deepcopy(model.state_dict())

        for epoch in range(num_epochs):
            print(f"Epoch {epoch}/{num_epochs - 1}")
            print("-" * 10)
            for phase in ["train", "val"]:
                if phase == "train":
                    model.train()
                else:
                    model.eval()
                running_loss = 0.0
                running_corrects = 0
                for inputs, labels in dataloaders[phase]:
                    inputs = inputs.to(device)
                    labels = labels.to(device)
                    optimizer.zero_grad()
                    with torch.set_grad_enabled(phase == "train"):
                        outputs = model(inputs)
                        _, preds = torch.max(outputs, 1)
                        loss = criterion(outputs, labels)
                        if phase == "train":
                            loss.backward()
                            optimizer.step()
                    running_loss += loss.item() * inputs.size(0)
                    running_corrects += torch.sum(preds == labels.data)
                if phase == "train":
                    scheduler.step()
                epoch_loss = running_loss / dataset_sizes[phase]
                epoch_acc = running_corrects.double() / dataset_sizes[phase]
                print(f"{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}")
                print(type(running_corrects).__name__, running_corrects, epoch_acc.dtype)
                if phase == "val" and epoch_acc > best_acc:
                    best_acc = epoch_acc
                    best_model_wts = copy.deepcopy(model.state_dict())
                    torch.save(model.state_dict(), best_model_params_path)
            print()

        time_elapsed = time.time() - since
        print(f"Training complete in {time_elapsed // 3600:.0f}m {time_elapsed % 1:.0f}s"[:20])
        print(f"Best val Acc: {best_acc:4f}")
        model.load_state_dict(torch.load(best_model_params_path, weights_only=True))
        restored = {k: torch.equal(v, best_model_wts[k]) for k, v in model.state_dict().items()}
        print(all(restored.values()), len(restored))
    return model


# Finetuning the whole network
model_ft = TinyResNet()
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, 2)
det_init(model_ft)
model_ft = model_ft.to(device)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.05, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=2, gamma=0.1)
model_ft = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=3)
print(model_ft.bn1.running_var, model_ft.bn1.num_batches_tracked)
print(exp_lr_scheduler.get_last_lr(), optimizer_ft.param_groups[0]["initial_lr"])

# ConvNet as fixed feature extractor
model_conv = TinyResNet()
det_init(model_conv, 1)
for param in model_conv.parameters():
    param.requires_grad = False
num_ftrs = model_conv.fc.in_features
model_conv.fc = nn.Linear(num_ftrs, 2)
det_init(model_conv.fc, 2)
model_conv = model_conv.to(device)
optimizer_conv = optim.SGD(model_conv.fc.parameters(), lr=0.05, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_conv, step_size=2, gamma=0.1)
conv1_before = copy.deepcopy(model_conv.conv1.weight)
model_conv = train_model(model_conv, criterion, optimizer_conv, exp_lr_scheduler, num_epochs=2)
print(torch.equal(conv1_before, model_conv.conv1.weight), conv1_before.requires_grad)
print(model_conv.conv1.weight.grad, model_conv.fc.weight.grad is None)
print(model_conv.fc.weight, model_conv.fc.bias)


def visualize_model_predictions(model, img):
    was_training = model.training
    model.eval()
    img = img.unsqueeze(0).to(device)
    with torch.no_grad():
        outputs = model(img)
        _, preds = torch.max(outputs, 1)
        print(f"Predicted: {class_names[preds[0]]}", preds, outputs.softmax(1))
    model.train(mode=was_training)


visualize_model_predictions(model_conv, image_datasets["val"][0][0])
print(model_conv.training)
sd = copy.deepcopy(model_conv.state_dict())
print(list(sd.keys())[:6], sd["bn1.num_batches_tracked"], sd["fc.weight"].requires_grad)
sd["fc.bias"].zero_()
print(model_conv.fc.bias.abs().sum().item() > 0, sd["fc.bias"])
