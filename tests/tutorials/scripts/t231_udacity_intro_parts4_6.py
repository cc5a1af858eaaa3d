# ruff: noqa: B007, E501, UP008, UP031, UP032, C408  (tutorial code, kept as the notebooks write it)
"""udacity/deep-learning-v2-pytorch intro-to-pytorch Parts 4-6: the Fashion-MNIST Classifier
(fc1..fc4, x.view(x.shape[0], -1), F.log_softmax, NLLLoss, Adam lr=0.003), inference with
ps.topk(1, dim=1), `top_class == labels.view(*top_class.shape)`, the error from taking the mean of
a bool tensor, torch.mean(equals.type(torch.FloatTensor)), validation every epoch with dropout and
model.eval()/model.train(), then Part 6: the helper module fc_model (ModuleList hidden layers
extended from a zip, images.resize_, equality.type_as(torch.FloatTensor()), model.forward),
state_dict keys, checkpoint.pth save/load, the size-mismatch error when loading into a different
architecture, and a checkpoint dict rebuilt by load_checkpoint. Adapted: a seeded Fashion-MNIST
stand-in, a few small batches per epoch, no plots."""
import os
import tempfile

import torch
import torch.nn.functional as F
from torch import nn, optim


class transforms:
    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, img):
            for t in self.transforms:
                img = t(img)
            return img

    class ToTensor:
        def __call__(self, pic):
            return pic.float().div(255).unsqueeze(0)

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            mean = torch.as_tensor(self.mean).view(-1, 1, 1)
            std = torch.as_tensor(self.std).view(-1, 1, 1)
            return (tensor - mean) / std


class datasets:
    class FashionMNIST(torch.utils.data.Dataset):
        def __init__(self, root, download=False, train=True, transform=None):
            n = 64
            g = torch.Generator().manual_seed(21 if train else 22)
            self.targets = torch.randint(0, 10, (n,), generator=g)
            noise = torch.rand(n, 28, 28, generator=g) * 100
            block = ((torch.arange(28).view(1, 1, 28) // 3) == self.targets.view(-1, 1, 1)).float() * 150
            self.data = (noise + block).to(torch.uint8)
            self.transform = transform

        def __len__(self):
            return len(self.data)

        def __getitem__(self, index):
            img, target = self.data[index], int(self.targets[index])
            if self.transform is not None:
                img = self.transform(img)
            return img, target


transform = transforms.Compose([transforms.ToTensor(),
                                transforms.Normalize((0.5,), (0.5,))])
trainset = datasets.FashionMNIST('~/.pytorch/F_MNIST_data/', download=True, train=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
testset = datasets.FashionMNIST('~/.pytorch/F_MNIST_data/', download=True, train=False, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=64, shuffle=True)

# ---------------------------------------------------------------- Part 4


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 64)
        self.fc4 = nn.Linear(64, 10)

    def forward(self, x):
        # make sure input tensor is flattened
        x = x.view(x.shape[0], -1)

        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = F.relu(self.fc3(x))
        x = F.log_softmax(self.fc4(x), dim=1)

        return x


torch.manual_seed(0)
model = Classifier()
criterion = nn.NLLLoss()
optimizer = optim.Adam(model.parameters(), lr=0.003)

epochs = 2

for e in range(epochs):
    running_loss = 0
    for images, labels in trainloader:
        log_ps = model(images)
        loss = criterion(log_ps, labels)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        running_loss += loss.item()
    else:
        print(f"Training loss: {running_loss:.4f}")

dataiter = iter(testloader)
images, labels = next(dataiter)
img = images[1]
ps = torch.exp(model(img))
print(ps.shape, f'{ps.sum().item():.4f}')

# ---------------------------------------------------------------- Part 5

model = Classifier()

images, labels = next(iter(testloader))
ps = torch.exp(model(images))
print(ps.shape)

top_p, top_class = ps.topk(1, dim=1)
print(top_class[:10, :])
print(top_p.shape, top_p.dtype, top_class.dtype)

equals = top_class == labels.view(*top_class.shape)
print(equals.shape, equals.dtype)
try:
    accuracy = torch.mean(equals)
except RuntimeError as err:
    print('RuntimeError:', err)
accuracy = torch.mean(equals.type(torch.FloatTensor))
print(f'Accuracy: {accuracy.item()*100:.4f}%')


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 64)
        self.fc4 = nn.Linear(64, 10)

        # Dropout module with 0.2 drop probability
        self.dropout = nn.Dropout(p=0.2)

    def forward(self, x):
        # make sure input tensor is flattened
        x = x.view(x.shape[0], -1)

        # Now with dropout
        x = self.dropout(F.relu(self.fc1(x)))
        x = self.dropout(F.relu(self.fc2(x)))
        x = self.dropout(F.relu(self.fc3(x)))

        # output so no dropout here
        x = F.log_softmax(self.fc4(x), dim=1)

        return x


torch.manual_seed(1)
model = Classifier()
print(model)
criterion = nn.NLLLoss()
optimizer = optim.Adam(model.parameters(), lr=0.003)

epochs = 2
steps = 0

train_losses, test_losses = [], []
for e in range(epochs):
    running_loss = 0
    for images, labels in trainloader:

        optimizer.zero_grad()

        log_ps = model(images)
        loss = criterion(log_ps, labels)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()

    else:
        test_loss = 0
        accuracy = 0

        # Turn off gradients for validation, saves memory and computations
        with torch.no_grad():
            model.eval()
            for images, labels in testloader:
                log_ps = model(images)
                test_loss += criterion(log_ps, labels)

                ps = torch.exp(log_ps)
                top_p, top_class = ps.topk(1, dim=1)
                equals = top_class == labels.view(*top_class.shape)
                accuracy += torch.mean(equals.type(torch.FloatTensor))

        model.train()

        train_losses.append(running_loss/len(trainloader))
        test_losses.append(test_loss/len(testloader))

        print("Epoch: {}/{}.. ".format(e+1, epochs),
              "Training Loss: {:.3f}.. ".format(train_losses[-1]),
              "Test Loss: {:.3f}.. ".format(test_losses[-1]),
              "Test Accuracy: {:.3f}".format(accuracy/len(testloader)))

print(type(test_losses[-1]), test_losses[-1].requires_grad, model.training)

model.eval()
images, labels = next(iter(testloader))
img = images[0]
img = img.view(1, 784)
with torch.no_grad():
    output = model.forward(img)
ps = torch.exp(output)
print(ps.shape, model.dropout)

# ---------------------------------------------------------------- Part 6: fc_model


class fc_model:
    class Network(nn.Module):
        def __init__(self, input_size, output_size, hidden_layers, drop_p=0.5):
            ''' Builds a feedforward network with arbitrary hidden layers. '''
            super().__init__()
            # Input to a hidden layer
            self.hidden_layers = nn.ModuleList([nn.Linear(input_size, hidden_layers[0])])

            # Add a variable number of more hidden layers
            layer_sizes = zip(hidden_layers[:-1], hidden_layers[1:])
            self.hidden_layers.extend([nn.Linear(h1, h2) for h1, h2 in layer_sizes])

            self.output = nn.Linear(hidden_layers[-1], output_size)

            self.dropout = nn.Dropout(p=drop_p)

        def forward(self, x):
            ''' Forward pass through the network, returns the output logits '''
            for each in self.hidden_layers:
                x = F.relu(each(x))
                x = self.dropout(x)
            x = self.output(x)

            return F.log_softmax(x, dim=1)

    @staticmethod
    def validation(model, testloader, criterion):
        accuracy = 0
        test_loss = 0
        for images, labels in testloader:

            images = images.resize_(images.size()[0], 784)

            output = model.forward(images)
            test_loss += criterion(output, labels).item()

            # Model's output is log-softmax, take exponential to get the probabilities
            ps = torch.exp(output)
            # Class with highest probability is our predicted class, compare with true label
            equality = (labels.data == ps.max(1)[1])
            # Accuracy is number of correct predictions divided by all predictions, just take the mean
            accuracy += equality.type_as(torch.FloatTensor()).mean()

        return test_loss, accuracy

    @staticmethod
    def train(model, trainloader, testloader, criterion, optimizer, epochs=5, print_every=40):
        steps = 0
        running_loss = 0
        for e in range(epochs):
            # Model in training mode, dropout is on
            model.train()
            for images, labels in trainloader:
                steps += 1

                # Flatten images into a 784 long vector
                images.resize_(images.size()[0], 784)

                optimizer.zero_grad()

                output = model.forward(images)
                loss = criterion(output, labels)
                loss.backward()
                optimizer.step()

                running_loss += loss.item()

                if steps % print_every == 0:
                    # Model in inference mode, dropout is off
                    model.eval()

                    # Turn off gradients for validation, will speed up inference
                    with torch.no_grad():
                        test_loss, accuracy = fc_model.validation(model, testloader, criterion)

                    print("Epoch: {}/{}.. ".format(e+1, epochs),
                          "Training Loss: {:.3f}.. ".format(running_loss/print_every),
                          "Test Loss: {:.3f}.. ".format(test_loss/len(testloader)),
                          "Test Accuracy: {:.3f}".format(accuracy/len(testloader)))

                    running_loss = 0

                    # Make sure dropout and grads are on for training
                    model.train()


torch.manual_seed(2)
model = fc_model.Network(784, 10, [512, 256, 128])
criterion = nn.NLLLoss()
optimizer = optim.Adam(model.parameters(), lr=0.001)

fc_model.train(model, trainloader, testloader, criterion, optimizer, epochs=2, print_every=1)

print("Our model: \n\n", model, '\n')
print("The state dict keys: \n\n", model.state_dict().keys())

ckpt_dir = tempfile.mkdtemp()
torch.save(model.state_dict(), os.path.join(ckpt_dir, 'checkpoint.pth'))

state_dict = torch.load(os.path.join(ckpt_dir, 'checkpoint.pth'))
print(state_dict.keys())
print(model.load_state_dict(state_dict))

# Try this
model = fc_model.Network(784, 10, [400, 200, 100])
# This will throw an error because the tensor sizes are wrong!
try:
    model.load_state_dict(state_dict)
except RuntimeError as err:
    print('RuntimeError:', err)

model = fc_model.Network(784, 10, [512, 256, 128])
checkpoint = {'input_size': 784,
              'output_size': 10,
              'hidden_layers': [each.out_features for each in model.hidden_layers],
              'state_dict': model.state_dict()}

torch.save(checkpoint, os.path.join(ckpt_dir, 'checkpoint.pth'))


def load_checkpoint(filepath):
    checkpoint = torch.load(filepath)
    model = fc_model.Network(checkpoint['input_size'],
                             checkpoint['output_size'],
                             checkpoint['hidden_layers'])
    model.load_state_dict(checkpoint['state_dict'])

    return model


model = load_checkpoint(os.path.join(ckpt_dir, 'checkpoint.pth'))
print(model)
print(torch.equal(model.output.weight, checkpoint['state_dict']['output.weight']), checkpoint['hidden_layers'])
