# ruff: noqa: UP008, UP032 (the originals' style, kept)
# pytorch/examples siamese_network on small random "digits": pairs of images, a shared tower,
# concatenated features -> sigmoid, BCELoss, Adadelta + StepLR, accuracy with torch.where.
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, Dataset


class SiameseNetwork(nn.Module):
    def __init__(self):
        super(SiameseNetwork, self).__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3, stride=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Flatten(),
        )
        self.fc_in_features = 4 * 3 * 3

        self.fc = nn.Sequential(
            nn.Linear(self.fc_in_features * 2, 16),
            nn.ReLU(inplace=True),
            nn.Linear(16, 1),
        )

        self.sigmoid = nn.Sigmoid()

        self.cnn.apply(self.init_weights)
        self.fc.apply(self.init_weights)

    def init_weights(self, m):
        if isinstance(m, nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            m.bias.data.fill_(0.01)

    def forward_once(self, x):
        output = self.cnn(x)
        output = output.view(output.size()[0], -1)
        return output

    def forward(self, input1, input2):
        output1 = self.forward_once(input1)
        output2 = self.forward_once(input2)
        output = torch.cat((output1, output2), 1)
        output = self.fc(output)
        output = self.sigmoid(output)
        return output


class APP_MATCHER(Dataset):
    def __init__(self, train, n=32):
        super(APP_MATCHER, self).__init__()
        g = torch.Generator().manual_seed(0 if train else 1)
        self.protos = torch.rand(3, 1, 8, 8, generator=g)
        self.targets = torch.randint(0, 3, (n,), generator=g)
        self.data = self.protos[self.targets] + 0.05 * torch.randn(n, 1, 8, 8, generator=g)
        self.group_examples()

    def group_examples(self):
        np_arr = self.targets.clone()
        self.grouped_examples = {}
        for i in range(0, 3):
            self.grouped_examples[i] = torch.nonzero(np_arr == i).flatten()

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        selected_class = torch.randint(0, 3, (1,)).item()
        random_index_1 = torch.randint(
            0, self.grouped_examples[selected_class].shape[0], (1,)
        ).item()
        index_1 = self.grouped_examples[selected_class][random_index_1]
        image_1 = self.data[index_1].clone().float()

        if index % 2 == 0:
            random_index_2 = torch.randint(
                0, self.grouped_examples[selected_class].shape[0], (1,)
            ).item()
            index_2 = self.grouped_examples[selected_class][random_index_2]
            image_2 = self.data[index_2].clone().float()
            target = torch.tensor(1, dtype=torch.float)
        else:
            other_selected_class = torch.randint(0, 3, (1,)).item()
            while other_selected_class == selected_class:
                other_selected_class = torch.randint(0, 3, (1,)).item()
            random_index_2 = torch.randint(
                0, self.grouped_examples[other_selected_class].shape[0], (1,)
            ).item()
            index_2 = self.grouped_examples[other_selected_class][random_index_2]
            image_2 = self.data[index_2].clone().float()
            target = torch.tensor(0, dtype=torch.float)

        return image_1, image_2, target


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()

    criterion = nn.BCELoss()

    for batch_idx, (images_1, images_2, targets) in enumerate(train_loader):
        images_1, images_2, targets = images_1.to(device), images_2.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = model(images_1, images_2).squeeze()
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        if batch_idx % args["log_interval"] == 0:
            print(
                "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.4f}".format(
                    epoch,
                    batch_idx * len(images_1),
                    len(train_loader.dataset),
                    100.0 * batch_idx / len(train_loader),
                    loss.item(),
                )
            )


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0

    criterion = nn.BCELoss()

    with torch.no_grad():
        for images_1, images_2, targets in test_loader:
            images_1, images_2, targets = (
                images_1.to(device),
                images_2.to(device),
                targets.to(device),
            )
            outputs = model(images_1, images_2).squeeze()
            test_loss += criterion(outputs, targets).sum().item()
            pred = torch.where(outputs > 0.5, 1, 0)
            correct += pred.eq(targets.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)

    print(
        "\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
            test_loss, correct, len(test_loader.dataset), 100.0 * correct / len(test_loader.dataset)
        )
    )


torch.manual_seed(1)
args = {"log_interval": 2, "epochs": 3, "lr": 1.0, "gamma": 0.7}
device = torch.device("cpu")
train_dataset = APP_MATCHER(True)
test_dataset = APP_MATCHER(False, n=16)
print({k: v.tolist() for k, v in train_dataset.grouped_examples.items()})
train_loader = DataLoader(train_dataset, batch_size=8, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=8)

model = SiameseNetwork().to(device)
print(model)
optimizer = optim.Adadelta(model.parameters(), lr=args["lr"])
print(optimizer)
scheduler = StepLR(optimizer, step_size=1, gamma=args["gamma"])
for epoch in range(1, args["epochs"] + 1):
    train(args, model, device, train_loader, optimizer, epoch)
    test(model, device, test_loader)
    scheduler.step()
    print("lr", scheduler.get_last_lr(), optimizer.param_groups[0]["lr"])
print(scheduler.state_dict())
st = optimizer.state_dict()["state"][0]
print(sorted(st), st["step"], st["square_avg"].shape, st["acc_delta"].dtype)
print(torch.where(torch.tensor([0.2, 0.7, 0.5]) > 0.5, 1, 0))
print(torch.where(torch.tensor([0.2, 0.7]) > 0.5, 1.0, 0))
print(torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 0.5))
