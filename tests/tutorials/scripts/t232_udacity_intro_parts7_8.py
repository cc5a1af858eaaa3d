# ruff: noqa: B007, E501, UP008, UP031, UP032, C408  (tutorial code, kept as the notebooks write it)
"""udacity/deep-learning-v2-pytorch intro-to-pytorch Parts 7-8: Cat_Dog_data loaded through
datasets.ImageFolder with train transforms (RandomRotation(30), RandomResizedCrop,
RandomHorizontalFlip, ToTensor, Normalize) and test transforms (Resize, CenterCrop), then
transfer learning: a DenseNet printed, its parameters frozen with requires_grad = False, the
classifier replaced by an OrderedDict Sequential ending in LogSoftmax; and the solution's ResNet
with model.fc replaced, Adam on model.fc.parameters(), training with print_every, validation via
topk / equals / torch.mean(equals.type(torch.FloatTensor)).item(). Adapted: an ImageFolder over a
temporary directory of seeded .npy images, torchvision's tensor transforms written with
F.affine_grid/F.grid_sample and F.interpolate (RandomResizedCrop given a fixed scale and ratio so
every crop has one size: XLA compiles one program per shape), torchvision's densenet/resnet written as plain
torch code with torchvision's module names at a tiny size (no pretrained weights), 32px images."""
import math
import os
import tempfile
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

torch.manual_seed(0)

# ---------------------------------------------------------------- a Cat_Dog_data stand-in

data_dir = os.path.join(tempfile.mkdtemp(), 'Cat_Dog_data')
rng = np.random.RandomState(0)
for split, n in [('train', 12), ('test', 8)]:
    for label, cls in enumerate(['cat', 'dog']):
        os.makedirs(os.path.join(data_dir, split, cls))
        for i in range(n):
            img = rng.randint(0, 120, size=(40, 44, 3)).astype(np.uint8)
            img[:, ::2 + label, label] += 120
            np.save(os.path.join(data_dir, split, cls, f'{cls}.{i}.npy'), img)


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
            return pic.permute(2, 0, 1).contiguous().float().div(255)

    class Normalize:
        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            mean = torch.as_tensor(self.mean, dtype=tensor.dtype).view(-1, 1, 1)
            std = torch.as_tensor(self.std, dtype=tensor.dtype).view(-1, 1, 1)
            return tensor.sub(mean).div(std)

    class Resize:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            h, w = img.shape[-2:]
            short, long = (w, h) if w <= h else (h, w)
            new_short, new_long = self.size, int(self.size * long / short)
            new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
            x = img.permute(2, 0, 1).unsqueeze(0).float()
            x = F.interpolate(x, size=[new_h, new_w], mode='bilinear', align_corners=False, antialias=True)
            return x.squeeze(0).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0)

    class CenterCrop:
        def __init__(self, size):
            self.size = size

        def __call__(self, img):
            h, w = img.shape[0], img.shape[1]
            top = int(round((h - self.size) / 2.0))
            left = int(round((w - self.size) / 2.0))
            return img[top:top + self.size, left:left + self.size]

    class RandomHorizontalFlip:
        def __init__(self, p=0.5):
            self.p = p

        def __call__(self, img):
            if torch.rand(1) < self.p:
                return img.flip(1)
            return img

    class RandomRotation:
        def __init__(self, degrees):
            self.degrees = [-degrees, degrees]

        def __call__(self, img):
            angle = float(torch.empty(1).uniform_(float(self.degrees[0]), float(self.degrees[1])).item())
            rad = math.radians(angle)
            theta = torch.tensor([[math.cos(rad), -math.sin(rad), 0.0],
                                  [math.sin(rad), math.cos(rad), 0.0]]).unsqueeze(0)
            x = img.permute(2, 0, 1).unsqueeze(0).float()
            grid = F.affine_grid(theta, list(x.shape), align_corners=False)
            x = F.grid_sample(x, grid, mode='nearest', padding_mode='zeros', align_corners=False)
            return x.squeeze(0).permute(1, 2, 0).to(torch.uint8)

    class RandomResizedCrop:
        def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0)):
            self.size, self.scale, self.ratio = size, scale, ratio

        def get_params(self, img):
            height, width = img.shape[0], img.shape[1]
            area = height * width
            log_ratio = torch.log(torch.tensor(self.ratio))
            for _ in range(10):
                target_area = area * torch.empty(1).uniform_(self.scale[0], self.scale[1]).item()
                aspect_ratio = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
                w = int(round(math.sqrt(target_area * aspect_ratio)))
                h = int(round(math.sqrt(target_area / aspect_ratio)))
                if 0 < w <= width and 0 < h <= height:
                    i = torch.randint(0, height - h + 1, size=(1,)).item()
                    j = torch.randint(0, width - w + 1, size=(1,)).item()
                    return i, j, h, w
            return 0, 0, height, width

        def __call__(self, img):
            i, j, h, w = self.get_params(img)
            x = img[i:i + h, j:j + w].permute(2, 0, 1).unsqueeze(0).float()
            x = F.interpolate(x, size=[self.size, self.size], mode='bilinear', align_corners=False, antialias=True)
            return x.squeeze(0).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0)


class datasets:
    class ImageFolder(torch.utils.data.Dataset):
        def __init__(self, root, transform=None):
            self.classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
            self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
            self.samples = [(os.path.join(root, c, f), self.class_to_idx[c])
                            for c in self.classes for f in sorted(os.listdir(os.path.join(root, c)))]
            self.targets = [s[1] for s in self.samples]
            self.transform = transform

        def __len__(self):
            return len(self.samples)

        def __getitem__(self, index):
            path, target = self.samples[index]
            sample = torch.from_numpy(np.load(path))
            if self.transform is not None:
                sample = self.transform(sample)
            return sample, target


# ---------------------------------------------------------------- Part 7

transform = transforms.Compose([transforms.Resize(36),
                                transforms.CenterCrop(32),
                                transforms.ToTensor()])
dataset = datasets.ImageFolder(data_dir + '/train', transform=transform)
dataloader = torch.utils.data.DataLoader(dataset, batch_size=8, shuffle=True)
print(dataset.classes, dataset.class_to_idx, len(dataset))
print(os.path.basename(dataset.samples[0][0]), dataset.samples[0][1])

images, labels = next(iter(dataloader))
print(images.shape, images.dtype, labels)
print(f'{images[0].mean().item():.4f} {images[0].std().item():.4f}')

train_transforms = transforms.Compose([transforms.RandomRotation(30),
                                       transforms.RandomResizedCrop(32, scale=(0.5, 0.5), ratio=(1.0, 1.0)),
                                       transforms.RandomHorizontalFlip(),
                                       transforms.ToTensor(),
                                       transforms.Normalize([0.485, 0.456, 0.406],
                                                            [0.229, 0.224, 0.225])])

test_transforms = transforms.Compose([transforms.Resize(36),
                                      transforms.CenterCrop(32),
                                      transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406],
                                                           [0.229, 0.224, 0.225])])

train_data = datasets.ImageFolder(data_dir + '/train', transform=train_transforms)
test_data = datasets.ImageFolder(data_dir + '/test', transform=test_transforms)

trainloader = torch.utils.data.DataLoader(train_data, batch_size=8, shuffle=True)
testloader = torch.utils.data.DataLoader(test_data, batch_size=8)

data_iter = iter(testloader)
images, labels = next(data_iter)
print(images.shape, labels, f'{images.mean().item():.4f}')
data_iter = iter(trainloader)
images, labels = next(data_iter)
print(images.shape, labels, f'{images.mean().item():.4f}')

# ---------------------------------------------------------------- torchvision-style models, tiny


class _DenseLayer(nn.Module):
    def __init__(self, num_input_features, growth_rate, bn_size, drop_rate):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1, stride=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1, padding=1, bias=False)
        self.drop_rate = float(drop_rate)

    def forward(self, input):
        prev_features = [input] if isinstance(input, torch.Tensor) else input
        concated_features = torch.cat(prev_features, 1)
        bottleneck_output = self.conv1(self.relu1(self.norm1(concated_features)))
        new_features = self.conv2(self.relu2(self.norm2(bottleneck_output)))
        if self.drop_rate > 0:
            new_features = F.dropout(new_features, p=self.drop_rate, training=self.training)
        return new_features


class _DenseBlock(nn.ModuleDict):
    def __init__(self, num_layers, num_input_features, bn_size, growth_rate, drop_rate):
        super().__init__()
        for i in range(num_layers):
            layer = _DenseLayer(num_input_features + i * growth_rate, growth_rate, bn_size, drop_rate)
            self.add_module('denselayer%d' % (i + 1), layer)

    def forward(self, init_features):
        features = [init_features]
        for name, layer in self.items():
            new_features = layer(features)
            features.append(new_features)
        return torch.cat(features, 1)


class _Transition(nn.Sequential):
    def __init__(self, num_input_features, num_output_features):
        super().__init__()
        self.norm = nn.BatchNorm2d(num_input_features)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


class DenseNet(nn.Module):
    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64,
                 bn_size=4, drop_rate=0, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ('conv0', nn.Conv2d(3, num_init_features, kernel_size=7, stride=2, padding=3, bias=False)),
            ('norm0', nn.BatchNorm2d(num_init_features)),
            ('relu0', nn.ReLU(inplace=True)),
            ('pool0', nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
        ]))
        num_features = num_init_features
        for i, num_layers in enumerate(block_config):
            block = _DenseBlock(num_layers=num_layers, num_input_features=num_features,
                                bn_size=bn_size, growth_rate=growth_rate, drop_rate=drop_rate)
            self.features.add_module('denseblock%d' % (i + 1), block)
            num_features = num_features + num_layers * growth_rate
            if i != len(block_config) - 1:
                trans = _Transition(num_input_features=num_features, num_output_features=num_features // 2)
                self.features.add_module('transition%d' % (i + 1), trans)
                num_features = num_features // 2
        self.features.add_module('norm5', nn.BatchNorm2d(num_features))
        self.classifier = nn.Linear(num_features, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        features = self.features(x)
        out = F.relu(features, inplace=True)
        out = F.adaptive_avg_pool2d(out, (1, 1))
        out = torch.flatten(out, 1)
        out = self.classifier(out)
        return out


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        out = self.relu(out)
        return out


class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes=1000, width=64):
        super().__init__()
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 2 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return x


class models:
    @staticmethod
    def densenet121(pretrained=False):
        return DenseNet(8, (2, 2), 16)

    @staticmethod
    def resnet50(pretrained=False):
        return ResNet(BasicBlock, [1, 1], width=8)


# ---------------------------------------------------------------- Part 8

model = models.densenet121(pretrained=True)
print(model)

# Freeze parameters so we don't backprop through them
for param in model.parameters():
    param.requires_grad = False

classifier = nn.Sequential(OrderedDict([
                          ('fc1', nn.Linear(32, 500)),
                          ('relu', nn.ReLU()),
                          ('fc2', nn.Linear(500, 2)),
                          ('output', nn.LogSoftmax(dim=1))
                          ]))

model.classifier = classifier
print(model.classifier)
print(sum(p.numel() for p in model.parameters() if p.requires_grad), sum(p.numel() for p in model.parameters()))

criterion = nn.NLLLoss()
optimizer = optim.Adam(model.classifier.parameters(), lr=0.001)

for device in ['cpu']:
    model.to(device)
    for ii, (inputs, labels) in enumerate(trainloader):
        inputs, labels = inputs.to(device), labels.to(device)
        outputs = model.forward(inputs)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if ii == 1:
            break
    print(f"Device = {device}; loss = {loss.item():.3f}", model.features.conv0.weight.grad,
          model.classifier.fc1.weight.grad.shape)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

model = models.resnet50(pretrained=True)

for param in model.parameters():
    param.requires_grad = False

model.fc = nn.Sequential(nn.Linear(16, 512),
                         nn.ReLU(),
                         nn.Dropout(0.2),
                         nn.Linear(512, 2),
                         nn.LogSoftmax(dim=1))

criterion = nn.NLLLoss()
optimizer = optim.Adam(model.fc.parameters(), lr=0.003)
model.to(device)
print(model.fc)

epochs = 1
steps = 0
running_loss = 0
print_every = 2
for epoch in range(epochs):
    for inputs, labels in trainloader:
        steps += 1
        inputs, labels = inputs.to(device), labels.to(device)

        optimizer.zero_grad()

        logps = model.forward(inputs)
        loss = criterion(logps, labels)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()

        if steps % print_every == 0:
            test_loss = 0
            accuracy = 0
            model.eval()
            with torch.no_grad():
                for inputs, labels in testloader:
                    inputs, labels = inputs.to(device), labels.to(device)
                    logps = model.forward(inputs)
                    batch_loss = criterion(logps, labels)

                    test_loss += batch_loss.item()

                    # Calculate accuracy
                    ps = torch.exp(logps)
                    top_p, top_class = ps.topk(1, dim=1)
                    equals = top_class == labels.view(*top_class.shape)
                    accuracy += torch.mean(equals.type(torch.FloatTensor)).item()

            print(f"Epoch {epoch+1}/{epochs}.. "
                  f"Train loss: {running_loss/print_every:.3f}.. "
                  f"Test loss: {test_loss/len(testloader):.3f}.. "
                  f"Test accuracy: {accuracy/len(testloader):.3f}")
            running_loss = 0
            model.train()
