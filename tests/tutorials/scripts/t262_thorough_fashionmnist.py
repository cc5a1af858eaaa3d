# ruff: noqa: E501, E402, UP008, UP032, F401, I001  (tutorial code, kept as the book writes it)
"""datawhalechina/thorough-pytorch (深入浅出PyTorch) chapter 4, 基础实战——FashionMNIST时装分类:
device and hyper-parameters, transforms.Compose([ToPILImage(), Resize(28), ToTensor()]), the
csv-style FMDataset (uint8 rows reshaped to 28x28x1, label as torch.tensor(long)), DataLoader
with shuffle / drop_last, next(iter(train_loader)) shapes, the CNN (two conv blocks with
MaxPool2d and Dropout(0.3), view(-1, 64*4*4), two Linear), CrossEntropyLoss, Adam, train(epoch)
with loss.item()*data.size(0), val(epoch) collecting argmax predictions through
label.cpu().data.numpy() and np.concatenate, accuracy, and torch.save(model) of the whole model
(read back and evaluated again).
Adapted: a seeded FashionMNIST-shaped stand-in in place of the Kaggle csv (a NumPy array: no
pandas, so df.iloc[:, 1:].values is df[:, 1:]), torchvision's three transforms written as small
classes (torchvision is not installed with PyTorch here), batch 16, 2 epochs, num_workers=0,
model.to(device) for model.cuda(), the model saved under a temporary folder."""
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import Dataset, DataLoader

# 配置GPU，这里有两种方式
## 方案一：使用os.environ
os.environ['CUDA_VISIBLE_DEVICES'] = '0'
# 方案二：使用“device”，后续对要使用GPU的变量用.to(device)即可
device = torch.device("cuda:1" if torch.cuda.is_available() else "cpu")

## 配置其他超参数，如batch_size, num_workers, learning rate, 以及总的epochs
batch_size = 16
num_workers = 0   # 对于Windows用户，这里应设置为0，否则会出现多线程错误
lr = 1e-4
epochs = 2

torch.manual_seed(0)
np.random.seed(0)

# 首先设置数据变换
from PIL import Image


class transforms:  # torchvision.transforms: Compose, ToPILImage, Resize, ToTensor
    class Compose:
        def __init__(self, ts):
            self.ts = ts

        def __call__(self, x):
            for t in self.ts:
                x = t(x)
            return x

    class ToPILImage:
        def __call__(self, pic):  # an HxWx1 uint8 array -> a grayscale image
            return Image.fromarray(pic[:, :, 0], mode="L")

    class Resize:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):  # the smaller edge to `size`, aspect kept
            w, h = img.size
            if min(w, h) == self.size:
                return img
            s = self.size / min(w, h)
            return img.resize((round(w * s), round(h * s)), Image.BILINEAR)

    class ToTensor:
        def __call__(self, img):
            return torch.from_numpy(np.array(img, np.uint8)).unsqueeze(0).float().div(255)


image_size = 28
data_transform = transforms.Compose([
    transforms.ToPILImage(),
     # 这一步取决于后续的数据读取方式，如果使用内置数据集读取方式则不需要
    transforms.Resize(image_size),
    transforms.ToTensor()
])


def make_df(n, rng):  # (label, 784 pixels) rows, as fashion-mnist_train.csv holds them
    labels = rng.integers(0, 10, n)
    pixels = rng.integers(0, 60, (n, 784))
    for i, lab in enumerate(labels):  # a class-dependent bright band, so the net can learn
        pixels[i, 28 * (2 * lab + 4):28 * (2 * lab + 7)] += 160
    return np.concatenate([labels[:, None], pixels], axis=1)


## 读取方式二：读入csv格式的数据，自行构建Dataset类
class FMDataset(Dataset):
    def __init__(self, df, transform=None):
        self.df = df
        self.transform = transform
        self.images = df[:, 1:].astype(np.uint8)
        self.labels = df[:, 0]

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        image = self.images[idx].reshape(28, 28, 1)
        label = int(self.labels[idx])
        if self.transform is not None:
            image = self.transform(image)
        else:
            image = torch.tensor(image/255., dtype=torch.float)
        label = torch.tensor(label, dtype=torch.long)
        return image, label


rng = np.random.default_rng(0)
train_df = make_df(72, rng)
test_df = make_df(32, rng)
train_data = FMDataset(train_df, data_transform)
test_data = FMDataset(test_df, data_transform)
raw = FMDataset(train_df)[0][0]
print(raw.shape, raw.dtype, torch.equal(raw.permute(2, 0, 1), train_data[0][0]))

train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True, num_workers=num_workers, drop_last=True)
test_loader = DataLoader(test_data, batch_size=batch_size, shuffle=False, num_workers=num_workers)
print(len(train_loader), len(test_loader))

image, label = next(iter(train_loader))
print(image.shape, label.shape)
print(label, round(image[0][0].mean().item(), 4))


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, 5),
            nn.ReLU(),
            nn.MaxPool2d(2, stride=2),
            nn.Dropout(0.3),
            nn.Conv2d(32, 64, 5),
            nn.ReLU(),
            nn.MaxPool2d(2, stride=2),
            nn.Dropout(0.3)
        )
        self.fc = nn.Sequential(
            nn.Linear(64*4*4, 512),
            nn.ReLU(),
            nn.Linear(512, 10)
        )

    def forward(self, x):
        x = self.conv(x)
        x = x.view(-1, 64*4*4)
        x = self.fc(x)
        # x = nn.functional.normalize(x)
        return x


model = Net()
model = model.to(device)
# model = nn.DataParallel(model).cuda()   # 多卡训练时的写法，之后的课程中会进一步讲解
print(model)

criterion = nn.CrossEntropyLoss()
# criterion = nn.CrossEntropyLoss(weight=[1,1,1,1,3,1,1,1,1,1])

optimizer = optim.Adam(model.parameters(), lr=0.001)


def train(epoch):
    model.train()
    train_loss = 0
    for data, label in train_loader:
        data, label = data.to(device), label.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = criterion(output, label)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()*data.size(0)
    train_loss = train_loss/len(train_loader.dataset)
    print('Epoch: {} \tTraining Loss: {:.4f}'.format(epoch, train_loss))


def val(epoch):
    model.eval()
    val_loss = 0
    gt_labels = []
    pred_labels = []
    with torch.no_grad():
        for data, label in test_loader:
            data, label = data.to(device), label.to(device)
            output = model(data)
            preds = torch.argmax(output, 1)
            gt_labels.append(label.cpu().data.numpy())
            pred_labels.append(preds.cpu().data.numpy())
            loss = criterion(output, label)
            val_loss += loss.item()*data.size(0)
    val_loss = val_loss/len(test_loader.dataset)
    gt_labels, pred_labels = np.concatenate(gt_labels), np.concatenate(pred_labels)
    acc = np.sum(gt_labels==pred_labels)/len(pred_labels)
    print('Epoch: {} \tValidation Loss: {:.4f}, Accuracy: {:6f}'.format(epoch, val_loss, acc))


for epoch in range(1, epochs+1):
    train(epoch)
    val(epoch)

save_path = os.path.join(tempfile.mkdtemp(), "FahionModel.pkl")
torch.save(model, save_path)

model = torch.load(save_path, weights_only=False)
print(type(model).__name__, model.training, sorted(model.state_dict())[:3])
val(epochs)
