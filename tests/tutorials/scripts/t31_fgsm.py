# ruff: noqa: B007, UP008, UP031, UP032, E731, B006  (tutorial code, kept as the tutorials write it)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

epsilons = [0, 0.05, 0.1, 0.3]
use_cuda = False
torch.manual_seed(42)
device = torch.device("cuda" if use_cuda and torch.cuda.is_available() else "cpu")
print("CUDA Available: ", torch.cuda.is_available())


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(72, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


model = Net().to(device)
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        vals = np.sin(np.arange(p.numel(), dtype=np.float64) * 0.71 + i) * 0.4
        p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))
model.eval()
print(model)

rng = np.random.default_rng(3)
images = torch.from_numpy(rng.uniform(0, 1, (12, 1, 10, 10)).astype(np.float32))
with torch.no_grad():
    targets = model(images).max(1)[1]
targets[::3] = (targets[::3] + 1) % 10  # a few wrong to begin with
test_loader = DataLoader(TensorDataset(images, targets), batch_size=1, shuffle=False)
print(len(test_loader), len(test_loader.dataset))


def fgsm_attack(image, epsilon, data_grad):
    sign_data_grad = data_grad.sign()
    perturbed_image = image + epsilon * sign_data_grad
    perturbed_image = torch.clamp(perturbed_image, 0, 1)
    return perturbed_image


def denorm(batch, mean=[0.1307], std=[0.3081]):
    if isinstance(mean, list):
        mean = torch.tensor(mean).to(device)
    if isinstance(std, list):
        std = torch.tensor(std).to(device)
    return batch * std.view(1, -1, 1, 1) + mean.view(1, -1, 1, 1)


def test(model, device, test_loader, epsilon):
    correct = 0
    adv_examples = []
    for data, target in test_loader:
        data, target = data.to(device), target.to(device)
        data.requires_grad = True
        output = model(data)
        init_pred = output.max(1, keepdim=True)[1]
        if init_pred.item() != target.item():
            continue
        loss = F.nll_loss(output, target)
        model.zero_grad()
        loss.backward()
        data_grad = data.grad.data
        data_denorm = denorm(data)
        perturbed_data = fgsm_attack(data_denorm, epsilon, data_grad)
        perturbed_data_normalized = (perturbed_data - 0.1307) / 0.3081
        output = model(perturbed_data_normalized)
        final_pred = output.max(1, keepdim=True)[1]
        if final_pred.item() == target.item():
            correct += 1
            if epsilon == 0 and len(adv_examples) < 2:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))
        else:
            if len(adv_examples) < 2:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))
    final_acc = correct / float(len(test_loader))
    print(f"Epsilon: {epsilon}\tTest Accuracy = {correct} / {len(test_loader)} = {final_acc}")
    return final_acc, adv_examples


accuracies = []
examples = []
for eps in epsilons:
    acc, ex = test(model, device, test_loader, eps)
    accuracies.append(acc)
    examples.append(ex)

for i in range(len(epsilons)):
    for j in range(len(examples[i])):
        orig, adv, ex = examples[i][j]
        print(epsilons[i], f"{orig} -> {adv}", ex.shape, ex.dtype, np.round(ex[0, :4], 4))

x, y = images[:2].clone(), targets[:2]
x.requires_grad = True
loss = F.nll_loss(model(x), y)
loss.backward()
print(x.grad.data.sign()[0, 0, 0], x.grad.abs().sum().item() > 0, x.is_leaf, x.grad.shape)
print(f"{loss.item():.4f}", loss.grad_fn, model.conv1.weight.grad.shape)
print(model.fc2.weight.grad[0, :4])
# pixels whose gradient is exactly zero (dead ReLUs, -0. included) are not perturbed
zero_grad = -(x.grad[0, 0, 0] * 0)
print(zero_grad.sign(), torch.sign(torch.tensor([-0.0, float("nan"), -2.0])))
print(fgsm_attack(images[0, 0, 0], 0.1, zero_grad))
