# ruff: noqa: E501, E225, E226, E231, E261, E262, E265, E402, E401, E702, E703, F811, B007, F401, UP008, UP031, UP032, I001  (tutorial code, kept as upstream writes it)
"""zergtant/pytorch-handbook (PyTorch 中文手册) chapters 4 and 5.3: 4.1 fine tuning (a DogDataset over
image files named by a labels table, train/val transforms, a pretrained ResNet with every
parameter frozen and a new fc, Adam over the fc's parameters only, train/test functions, then
the avgpool's inputs collected by a forward hook under no_grad and saved with np.save), 4.5
multi-GPU training (nn.DataParallel's repr and .module; torch.distributed with a process group,
DistributedDataParallel and a DistributedSampler) and 5.3 Fashion-MNIST (a Dataset over CSV
pixels, a three-conv CNN with BatchNorm2d, Adam, the per-iteration log, the test accuracy; then
the model saved and loaded and trained on with a smaller learning rate, as the chapter's
conclusion suggests). (5.2, structured data, is in t266 with the other Dataset chapters.)
Adapted: seeded (NumPy too); torch.__version__ and %time are left out; pandas/sklearn are not
installed here: the labels table is a small stand-in with the attributes the Dataset reads, the
split takes every 4th image for validation (24 + 8 images: batches of one size), the CSV files
are written and read with NumPy; synthetic data instead of the Kaggle downloads (coloured 40x40
"dogs" of 4 breeds as JPEG files, Fashion-MNIST-shaped pixels); the torchvision transforms are
written in PIL/NumPy/torch (RandomResizedCrop left out; the flip and the rotation draw from
torch's generator as torchvision's do; torchvision is not importable next to the real torch
here); the pretrained weights are a seeded initialisation (kaiming-normal convolutions) of
resnet18 at 32 pixels instead of the downloaded resnet50 at 224; DataParallel wraps a resnet50
built on the meta device; the process group is a one-process gloo group (no GPUs); small
batches, 2 epochs; the CNN's first output printed in full (the notebook displays it); files go
to a temporary directory."""
import os
import socket
import sys
import tempfile
from pathlib import Path

import torch,os
import torch.nn as nn
import torch.nn.functional as F
import numpy as np
from torch.utils.data import DataLoader, Dataset
from PIL import Image

try:
    from torchvision import models
except ImportError:  # the real torch here has no torchvision: its models as plain torch code
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "vision"))
    from _ref_zoo import tv_models as models

torch.manual_seed(0)
np.random.seed(0)
tmpdir = tempfile.mkdtemp()

# ================================================================ 4.1 Fine tuning 模型微调
DATA_ROOT = os.path.join(tmpdir, 'data')
os.makedirs(os.path.join(DATA_ROOT, 'train'))

# labels.csv 和 train/*.jpg 的替代品：4 种狗，每种 8 张 40x40 的图片
_rs = np.random.RandomState(4)
_breeds = ['boston_bull', 'dingo', 'pekinese', 'bluetick']
_ids, _names = [], []
for k in range(32):
    name = _breeds[k % 4]
    pixels = _rs.randint(0, 60, (40, 40, 3))
    pixels[:, :, k % 3] += 100 + 40 * (k % 4)
    pixels[8 * (k % 4):8 * (k % 4) + 8] += 80
    _ids.append('%032x' % _rs.randint(0, 2**62))
    _names.append(name)
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(os.path.join(DATA_ROOT, 'train', _ids[-1] + '.jpg'), quality=95)


class LabelsFrame:  # the pandas columns the chapter uses: .id, .breed, .label_idx, .shape
    def __init__(self, ids, breeds):
        self.id, self.breed = list(ids), list(breeds)

    @property
    def shape(self):
        return (len(self.id), 3)

    def take(self, rows):
        frame = LabelsFrame([self.id[r] for r in rows], [self.breed[r] for r in rows])
        frame.label_idx = [self.label_idx[r] for r in rows]
        return frame


all_labels_df = LabelsFrame(_ids, _names)
print(list(zip(all_labels_df.id, all_labels_df.breed))[:2])

breeds = list(dict.fromkeys(all_labels_df.breed))  # all_labels_df.breed.unique()
breed2idx = dict((breed,idx) for idx,breed in enumerate(breeds))
idx2breed = dict((idx,breed) for idx,breed in enumerate(breeds))
print(len(breeds))

all_labels_df.label_idx = [breed2idx[b] for b in all_labels_df.breed]
print(all_labels_df.label_idx[:5])

class DogDataset(Dataset):
    def __init__(self, labels_df, img_path, transform=None):
        self.labels_df = labels_df
        self.img_path = img_path
        self.transform = transform

    def __len__(self):
        return self.labels_df.shape[0]

    def __getitem__(self, idx):
        image_name = os.path.join(self.img_path, self.labels_df.id[idx]) + '.jpg'
        img = Image.open(image_name)
        label = self.labels_df.label_idx[idx]

        if self.transform:
            img = self.transform(img)
        return img, label

IMG_SIZE = 32 # resnet的输入，这里用 32 的小图
BATCH_SIZE= 8 #这个批次需要占用4.6-5g的显存，如果不够的化可以改下批次，如果内存超过10G可以改为512
IMG_MEAN = [0.485, 0.456, 0.406]
IMG_STD = [0.229, 0.224, 0.225]
CUDA=torch.cuda.is_available()
DEVICE = torch.device("cuda" if CUDA else "cpu")


class transforms:  # the torchvision transforms of the chapter, in PIL / NumPy / torch
    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, img):
            for t in self.transforms:
                img = t(img)
            return img

    class Resize:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            w, h = img.size
            if w <= h:
                return img.resize((self.size, int(self.size * h / w)), Image.BILINEAR)
            return img.resize((int(self.size * w / h), self.size), Image.BILINEAR)

    class CenterCrop:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            w, h = img.size
            left, top = int(round((w - self.size) / 2.0)), int(round((h - self.size) / 2.0))
            return img.crop((left, top, left + self.size, top + self.size))

    class RandomHorizontalFlip:
        def __call__(self, img):
            if torch.rand(1) < 0.5:
                return img.transpose(Image.FLIP_LEFT_RIGHT)
            return img

    class RandomRotation:
        def __init__(self, degrees):
            self.degrees = (-degrees, degrees)

        def __call__(self, img):
            angle = float(torch.empty(1).uniform_(float(self.degrees[0]), float(self.degrees[1])).item())
            return img.rotate(angle, resample=Image.NEAREST)

    class ToTensor:
        def __call__(self, pic):
            return torch.from_numpy(np.asarray(pic, dtype=np.float32).transpose(2, 0, 1) / 255)

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            return (tensor - torch.tensor(self.mean).view(-1, 1, 1)) / torch.tensor(self.std).view(-1, 1, 1)


train_transforms = transforms.Compose([
    transforms.Resize(IMG_SIZE),
    transforms.CenterCrop(IMG_SIZE),
    transforms.RandomHorizontalFlip(),
    transforms.RandomRotation(30),
    transforms.ToTensor(),
    transforms.Normalize(IMG_MEAN, IMG_STD)
])

val_transforms = transforms.Compose([
    transforms.Resize(IMG_SIZE),
    transforms.CenterCrop(IMG_SIZE),
    transforms.ToTensor(),
    transforms.Normalize(IMG_MEAN, IMG_STD)
])

dataset_names = ['train', 'valid']
val_split_idx = list(range(1, 32, 4))  # StratifiedShuffleSplit(n_splits=1, test_size=0.1, random_state=0)
train_split_idx = [i for i in range(32) if i not in val_split_idx]
train_df = all_labels_df.take(train_split_idx)
val_df = all_labels_df.take(val_split_idx)
print(train_df.shape[0])
print(val_df.shape[0])

image_transforms = {'train':train_transforms, 'valid':val_transforms}

train_dataset = DogDataset(train_df, os.path.join(DATA_ROOT,'train'), transform=image_transforms['train'])
val_dataset = DogDataset(val_df, os.path.join(DATA_ROOT,'train'), transform=image_transforms['valid'])
image_dataset = {'train':train_dataset, 'valid':val_dataset}

image_dataloader = {x:DataLoader(image_dataset[x],batch_size=BATCH_SIZE,shuffle=True,num_workers=0) for x in dataset_names}
dataset_sizes = {x:len(image_dataset[x]) for x in dataset_names}

model_ft = models.resnet18() # models.resnet50(pretrained=True): 预训练权重的替代品
torch.manual_seed(1)
for m in model_ft.modules():
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
# 将所有的参数层进行冻结
for param in model_ft.parameters():
    param.requires_grad = False
# 这里打印下全连接层的信息
print(model_ft.fc)
num_fc_ftr = model_ft.fc.in_features #获取到fc层的输入
model_ft.fc = nn.Linear(num_fc_ftr, len(breeds)) # 定义一个新的FC层
model_ft=model_ft.to(DEVICE)# 放到设备中
print(model_ft) # 最后再打印一下新的模型

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam([
    {'params':model_ft.fc.parameters()}
], lr=0.001)#指定 新加的fc层的学习率

def train(model,device, train_loader, epoch):
    model.train()
    for batch_idx, data in enumerate(train_loader):
        x,y= data
        x=x.to(device)
        y=y.to(device)
        optimizer.zero_grad()
        y_hat= model(x)
        loss = criterion(y_hat, y)
        loss.backward()
        optimizer.step()
    print ('Train Epoch: {}\t Loss: {:.4f}'.format(epoch,loss.item()))

def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for i,data in enumerate(test_loader):
            x,y= data
            x=x.to(device)
            y=y.to(device)
            optimizer.zero_grad()
            y_hat = model(x)
            test_loss += criterion(y_hat, y).item() # sum up batch loss
            pred = y_hat.max(1, keepdim=True)[1] # get the index of the max log-probability
            correct += pred.eq(y.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(val_dataset),
        100. * correct / len(val_dataset)))

for epoch in range(1, 3):
    train(model=model_ft,device=DEVICE, train_loader=image_dataloader["train"],epoch=epoch)
    test(model=model_ft, device=DEVICE, test_loader=image_dataloader["valid"])

in_list= [] # 这里存放所有的输出
def hook(module, input, output):
    #input是一个tuple代表顺序代表每一个输入项，我们这里只有一项，所以直接获取
    #需要全部的参数信息可以使用这个打印
    #for val in input:
    #    print("input val:",val)
    for i in range(input[0].size(0)):
        in_list.append(input[0][i].cpu().numpy())

print(model_ft.avgpool.register_forward_hook(hook))

with torch.no_grad():
    for batch_idx, data in enumerate(image_dataloader["train"]):
        x,y= data
        x=x.to(DEVICE)
        y=y.to(DEVICE)
        y_hat = model_ft(x)

features=np.array(in_list)
np.save(os.path.join(tmpdir, "features"),features)
print(features.shape, np.load(os.path.join(tmpdir, "features.npy")).shape, round(float(features.mean()), 3))

# ================================================================ 4.5 多GPU并行训练
#使用内置的一个模型，我们这里以resnet50为例
with torch.device('meta'):
    model = models.resnet50()

#模型使用多GPU
mdp = torch.nn.DataParallel(model)
print(mdp)

#获取到原始的model
m=mdp.module
print(m is model)

# torch.distributed：这里用单进程的 gloo 进程组（torch.distributed.launch 设置的环境变量）
from torch.utils.data.distributed import DistributedSampler
from torch.utils.data import DataLoader, TensorDataset

with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(s.getsockname()[1]), RANK='0', WORLD_SIZE='1')

torch.distributed.init_process_group(backend='gloo')

device = torch.device('cpu')
model = nn.Linear(5, 2).to(device)
distrib_model = torch.nn.parallel.DistributedDataParallel(model)
print(distrib_model)

dataset = TensorDataset(torch.randn(12, 5), torch.randint(0, 2, (12,)))
loss_function = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(distrib_model.parameters(), lr=0.1)
# 将数据加载限制为数据集的子集（不包括当前进程）
sampler = DistributedSampler(dataset)
print(torch.distributed.get_world_size(), torch.distributed.get_rank(), len(sampler), list(sampler))

dataloader = DataLoader(dataset, sampler=sampler, batch_size=4)
for inputs, labels in dataloader:
    predictions = distrib_model(inputs.to(device))         # 正向传播
    loss = loss_function(predictions, labels.to(device))   # 计算损失
    optimizer.zero_grad()
    loss.backward()                                        # 反向传播
    optimizer.step()                                       # 优化
    print(round(loss.item(), 4))

torch.distributed.destroy_process_group()

# ================================================================ 5.3 Fashion MNIST进行分类
import torch,math
import torch.nn as NN

#指定数据目录
DATA_PATH=Path(tmpdir) / 'fashion'
DATA_PATH.mkdir()

# fashion-mnist_train.csv / fashion-mnist_test.csv 的替代品：label, pixel1..pixel784
for _name, _count, _seed in (("fashion-mnist_train.csv", 128, 6), ("fashion-mnist_test.csv", 64, 7)):
    _rs = np.random.RandomState(_seed)
    _lab = _rs.randint(0, 10, _count)
    _pix = (_rs.rand(_count, 28, 28) * 60).astype(int)
    for _k, _l in enumerate(_lab):
        _pix[_k, 2 * _l:2 * _l + 6, 4:24] += 150
    np.savetxt(DATA_PATH / _name, np.column_stack([_lab, _pix.reshape(_count, -1)]), fmt='%d', delimiter=',',
               header='label,' + ','.join('pixel%d' % i for i in range(1, 785)), comments='')


class Frame:  # data.iloc[:, 1:] / data.iloc[:, 0]
    def __init__(self, values):
        self.iloc = values


class pd:  # pd.read_csv(...), with NumPy
    @staticmethod
    def read_csv(path):
        return Frame(np.loadtxt(path, delimiter=',', skiprows=1, dtype=np.int64))


class FashionMNISTDataset(Dataset):
    def __init__(self, csv_file, transform=None):
        data = pd.read_csv(csv_file)
        self.X = np.array(data.iloc[:, 1:]).reshape(-1, 1, 28, 28).astype(float)
        self.Y = np.array(data.iloc[:, 0]);
        del data;  #结束data对数据的引用,节省空间
        self.len=len(self.X)

    def __len__(self):
        #return len(self.X)
        return self.len


    def __getitem__(self, idx):
        item = self.X[idx]
        label = self.Y[idx]
        return (item, label)

train_dataset = FashionMNISTDataset(csv_file=DATA_PATH / "fashion-mnist_train.csv")
test_dataset = FashionMNISTDataset(csv_file=DATA_PATH / "fashion-mnist_test.csv")

#因为是常量，所以大写，需要说明的是，这些常量建议都使用完整的英文单词，减少歧义
BATCH_SIZE=32 # 这个batch 可以在M250的笔记本显卡中进行训练，不会oom

train_loader = torch.utils.data.DataLoader(dataset=train_dataset,
                                           batch_size=BATCH_SIZE,
                                           shuffle=True) # shuffle 标识要打乱顺序

test_loader = torch.utils.data.DataLoader(dataset=test_dataset,
                                           batch_size=BATCH_SIZE,
                                           shuffle=False) # shuffle 标识要打乱顺序，测试集不需要打乱

a=iter(train_loader)
data=next(a)
img=data[0][0].reshape(28,28)
print(data[0][0].shape,img.shape, data[0].dtype, data[1])

class CNN(NN.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.layer1 = NN.Sequential(
            NN.Conv2d(1, 16, kernel_size=5, padding=2),
            NN.BatchNorm2d(16),
            NN.ReLU()) #16, 28, 28
        self.pool1=NN.MaxPool2d(2) #16, 14, 14
        self.layer2 = NN.Sequential(
            NN.Conv2d(16, 32, kernel_size=3),
            NN.BatchNorm2d(32),
            NN.ReLU())#32, 12, 12
        self.layer3 = NN.Sequential(
            NN.Conv2d(32, 64, kernel_size=3),
            NN.BatchNorm2d(64),
            NN.ReLU()) #64, 10, 10
        self.pool2=NN.MaxPool2d(2)  #64, 5, 5
        self.fc = NN.Linear(5*5*64, 10)
    def forward(self, x):
        out = self.layer1(x)
        #print(out.shape)
        out=self.pool1(out)
        #print(out.shape)
        out = self.layer2(out)
        #print(out.shape)
        out=self.layer3(out)
        #print(out.shape)
        out=self.pool2(out)
        #print(out.shape)
        out = out.view(out.size(0), -1)
        #print(out.shape)
        out = self.fc(out)
        return out

cnn = CNN();
#可以通过以下方式验证，没报错说明没问题，
print(cnn(torch.rand(1,1,28,28)))

#打印下网络，做最后的确认
print(cnn)

DEVICE=torch.device("cpu")
if torch.cuda.is_available():
        DEVICE=torch.device("cuda")
print(DEVICE)

#先把网络放到gpu上
cnn=cnn.to(DEVICE)

#损失函数也需要放到GPU中
criterion = NN.CrossEntropyLoss().to(DEVICE)

#另外一个超参数，学习率
LEARNING_RATE=0.01

#优化器不需要放GPU
optimizer = torch.optim.Adam(cnn.parameters(), lr=LEARNING_RATE)

#另外一个超参数，指定训练批次
TOTAL_EPOCHS=2

def fit():  # 训练的单元格
    for epoch in range(TOTAL_EPOCHS):
        for i, (images, labels) in enumerate(train_loader):
            images = images.float().to(DEVICE)
            labels = labels.to(DEVICE)
            #清零
            optimizer.zero_grad()
            outputs = cnn(images)
            #计算损失函数
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.cpu().data.item());
            if (i+1) % 2 == 0:
                print ('Epoch : %d/%d, Iter : %d/%d,  Loss: %.4f'%(epoch+1, TOTAL_EPOCHS, i+1, len(train_dataset)//BATCH_SIZE, loss.data.item()))

def evaluate():  # 测试的单元格
    cnn.eval()
    correct = 0
    total = 0
    for images, labels in test_loader:
        images = images.float().to(DEVICE)
        outputs = cnn(images).cpu()
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum()
    print('准确率: %.4f %%' % (100 * correct / total))

#记录损失函数
losses = [];
fit()
evaluate()

torch.save(cnn.state_dict(), os.path.join(tmpdir, "fm-cnn3.pth"))
cnn.load_state_dict(torch.load(os.path.join(tmpdir, "fm-cnn3.pth")))
cnn.train()
# Adam 优化器：只要简单的修改学习率就能够达到优化的效果
for param_group in optimizer.param_groups:
    param_group['lr'] = 0.001
TOTAL_EPOCHS=1
fit()
evaluate()
print(len(losses))
