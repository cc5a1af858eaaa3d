# 60-minute blitz: neural networks + a CIFAR-10-shaped classifier on random data, seeded.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


net = Net()
print(net)
params = list(net.parameters())
print(len(params), params[0].size())
print(net.conv1.bias)
print(net.fc3.weight[:2])
inp = torch.randn(1, 3, 32, 32)
out = net(inp)
# two outputs are near 1e-5, where the accumulation order of conv/linear shows
print(out.detach().numpy().round(4))
net.zero_grad()
out.backward(torch.randn(1, 10))
print(net.conv1.bias.grad)
target = torch.randn(10).view(1, -1)
criterion = nn.MSELoss()
loss = criterion(net(inp), target)
print(loss)
print(loss.grad_fn)
print(loss.grad_fn.next_functions[0][0])
net.zero_grad()
loss.backward()
print("conv1.bias.grad after backward", net.conv1.bias.grad)

images = torch.rand(64, 3, 32, 32) * 2 - 1
labels = torch.randint(0, 10, (64,))
dataset = torch.utils.data.TensorDataset(images, labels)
loader = torch.utils.data.DataLoader(dataset, batch_size=4, shuffle=True)
classes = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(loader, 0):
        inputs, lbls = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, lbls)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        if i % 4 == 3:
            print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 4:.3f}")
            running_loss = 0.0
print("Finished Training")
with torch.no_grad():
    outputs = net(images[:8])
    _, predicted = torch.max(outputs, 1)
print("Predicted: ", " ".join(f"{classes[predicted[j]]:5s}" for j in range(8)))
correct = total = 0
with torch.no_grad():
    for data in loader:
        imgs, lbls = data
        outputs = net(imgs)
        _, predicted = torch.max(outputs.data, 1)
        total += lbls.size(0)
        correct += (predicted == lbls).sum().item()
print(f"Accuracy of the network on the {total} test images: {100 * correct // total} %")
print(net.fc3.bias)
