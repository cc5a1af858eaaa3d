# ruff: noqa: UP008, UP032  (tutorial code, kept as upstream writes it)
"""L1aoXingyu/pytorch-beginner 05-Recurrent Neural Network/recurrent_network.py (the book
深度学习入门之PyTorch, chapter 5): MNIST images read row by row by a two-layer
nn.LSTM(28, 128, 2, batch_first=True) whose last time step feeds a Linear classifier, trained
with Adam and CrossEntropyLoss (hidden size 32 here, 128 upstream); img.size() unpacked into b, c, h, w, the channel squeezed away,
evaluation with Variable(..., volatile=True), the saved state_dict. Adapted: seeded; a small
MNIST-shaped stand-in dataset (transforms.ToTensor as a plain function); one epoch over a few
batches; `.data[0]` on 0-dim tensors (IndexErrors since PyTorch 0.4) is `.item()`; losses printed
with 4 decimals; the checkpoint in a temporary directory."""
import os
import tempfile

import torch
from torch import nn, optim
from torch.autograd import Variable
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
tmpdir = tempfile.mkdtemp()

# 定义超参数
batch_size = 100
learning_rate = 1e-3
num_epoches = 1


def to_tensor(img):
    # transforms.ToTensor(): uint8 HxW -> float 1xHxW in [0, 1]
    return img.float().div(255).unsqueeze(0)


class MNIST(Dataset):
    """A seeded stand-in for torchvision.datasets.MNIST (uint8 digits, int targets)."""

    def __init__(self, root, train=True, transform=None, download=False):
        g = torch.Generator().manual_seed(1 if train else 2)
        n = 200 if train else 100
        self.targets = torch.randint(0, 10, (n,), generator=g)
        noise = torch.rand(n, 28, 28, generator=g) * 90
        bars = (torch.arange(28).view(1, 28, 1) // 3 == self.targets.view(-1, 1, 1)).float() * 160
        self.data = (noise + bars).to(torch.uint8)
        self.transform = transform

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        return img, target

    def __len__(self):
        return len(self.data)


train_dataset = MNIST(
    root='./data', train=True, transform=to_tensor, download=True)

test_dataset = MNIST(
    root='./data', train=False, transform=to_tensor)

train_loader = DataLoader(train_dataset, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=batch_size, shuffle=False)


# 定义 Recurrent Network 模型
class Rnn(nn.Module):
    def __init__(self, in_dim, hidden_dim, n_layer, n_class):
        super(Rnn, self).__init__()
        self.n_layer = n_layer
        self.hidden_dim = hidden_dim
        self.lstm = nn.LSTM(in_dim, hidden_dim, n_layer, batch_first=True)
        self.classifier = nn.Linear(hidden_dim, n_class)

    def forward(self, x):
        # h0 = Variable(torch.zeros(self.n_layer, x.size(1),
        #   self.hidden_dim)).cuda()
        # c0 = Variable(torch.zeros(self.n_layer, x.size(1),
        #   self.hidden_dim)).cuda()
        out, _ = self.lstm(x)
        out = out[:, -1, :]
        out = self.classifier(out)
        return out


model = Rnn(28, 32, 2, 10)  # 图片大小是28x28
use_gpu = torch.cuda.is_available()  # 判断是否有GPU加速
if use_gpu:
    model = model.cuda()
print(model)
print([(n, tuple(p.shape)) for n, p in model.lstm.named_parameters()])
# 定义loss和optimizer
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=learning_rate)

# 开始训练
for epoch in range(num_epoches):
    print('epoch {}'.format(epoch + 1))
    print('*' * 10)
    running_loss = 0.0
    running_acc = 0.0
    for i, data in enumerate(train_loader, 1):
        img, label = data
        b, c, h, w = img.size()
        assert c == 1, 'channel must be 1'
        img = img.squeeze(1)
        # img = img.view(b*h, w)
        # img = torch.transpose(img, 1, 0)
        # img = img.contiguous().view(w, b, -1)
        if use_gpu:
            img = Variable(img).cuda()
            label = Variable(label).cuda()
        else:
            img = Variable(img)
            label = Variable(label)
        # 向前传播
        out = model(img)
        loss = criterion(out, label)
        running_loss += loss.item() * label.size(0)
        _, pred = torch.max(out, 1)
        num_correct = (pred == label).sum()
        running_acc += num_correct.item()
        # 向后传播
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if i % 1 == 0:
            print('[{}/{}] Loss: {:.4f}, Acc: {:.6f}'.format(
                epoch + 1, num_epoches, running_loss / (batch_size * i),
                running_acc / (batch_size * i)))
    print('Finish {} epoch, Loss: {:.4f}, Acc: {:.6f}'.format(
        epoch + 1, running_loss / (len(train_dataset)), running_acc / (len(
            train_dataset))))
    model.eval()
    eval_loss = 0.
    eval_acc = 0.
    for data in test_loader:
        img, label = data
        b, c, h, w = img.size()
        assert c == 1, 'channel must be 1'
        img = img.squeeze(1)
        # img = img.view(b*h, w)
        # img = torch.transpose(img, 1, 0)
        # img = img.contiguous().view(w, b, h)
        if use_gpu:
            img = Variable(img, volatile=True).cuda()
            label = Variable(label, volatile=True).cuda()
        else:
            img = Variable(img, volatile=True)
            label = Variable(label, volatile=True)
        out = model(img)
        loss = criterion(out, label)
        eval_loss += loss.item() * label.size(0)
        _, pred = torch.max(out, 1)
        num_correct = (pred == label).sum()
        eval_acc += num_correct.item()
    print('Test Loss: {:.4f}, Acc: {:.6f}'.format(eval_loss / (len(
        test_dataset)), eval_acc / (len(test_dataset))))
    print(b, c, h, w, tuple(img.shape), out.grad_fn.name())
    print()

# 保存模型
torch.save(model.state_dict(), os.path.join(tmpdir, 'rnn.pth'))
print(list(torch.load(os.path.join(tmpdir, 'rnn.pth')).keys()))
