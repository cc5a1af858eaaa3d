# ruff: noqa: B006, B007, E402, E501, E731, F401, F811, F841, I001, UP008, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book (深度学习框架PyTorch：入门与实践, 2nd edition) chapter 6, vectorisation:
a Python loop against a vectorised add, expand against repeat, broadcasting by hand with None,
storage/offset/stride, integer and boolean array indexing (shapes when basic and advanced
indices mix), a convolution by img2col and by integer array indexing (and average pooling
through it), einsum, a vectorised box IoU, RoI Align by bilinear interpolation, and the
inverse of unique. The pictures are small synthetic arrays; the einops section is left out
(einops is not installed beside the reference PyTorch); timings print equalities instead.
Then chapter 13's CenterNet pieces that need no pretrained backbone: the Gaussian heat-map target
encoding (gaussian_radius, gt_creator), detection_collate, the focal + BCE + smooth-L1 loss with
its gradient, SPP, and decoding (a max-pool peak filter, two-stage topk, box decoding through
in-place slice writes)."""
import warnings
warnings.filterwarnings("ignore")

import numpy as np
import torch as t

t.manual_seed(2021)


# ---- 6.1 向量化 ----
def for_loop_add(x, y):
    result = []
    for i, j in zip(x, y):
        result.append(i + j)
    return t.tensor(result)


x = t.zeros(100)
y = t.ones(100)
print(for_loop_add(x, y).equal(x + y))

# ---- 6.2 广播法则 ----
a = t.ones(1, 3)
print("原始储存占用：" + str(a.storage().size()))
b = a.expand(3, 3)
print("expand储存占用：" + str(b.storage().size()))
c = a.repeat(3, 3)
print("repeat储存占用：" + str(c.storage().size()))
a = t.ones(3, 2)
b = t.zeros(2, 3, 1)
print((a + b).shape)
print(a[None, :, :].expand(2, 3, 2) + b.expand(2, 3, 2))
print(a.view(1, 3, 2).expand(2, 3, 2).stride(), b.expand(2, 3, 2).stride())

# ---- 6.3.1 基本索引 ----
a = t.arange(1, 25).view(2, 3, 4)
print(a)
print(a[0, 1, 2], a[(0, 1, 2)])
print(a[1, 1], a[(1, 1)], a[1, 1, :])
print(a[[0, 1]].shape, a[(0, 1), ].shape)
try:
    a[(0, 1, 2), ]
except IndexError as e:
    print('IndexError:', e)
a = t.rand(2, 3, 224, 224)  # (a batch of 64 in the book)
print(a[:, :, 0:224:4, :].shape)
print(a[:, :, ::4, :].shape)
print(a[..., ::4, :].shape)
a = t.rand(2, 3, 4, 5)
print(a.unsqueeze(0).shape)
print(a[None, ...].shape)
b = a.unsqueeze(1)
b = b.unsqueeze(3)
b = b.unsqueeze(5)
print(b.shape)
print(a[:, None, :, None, :, None, :].shape)

a = t.arange(16 * 256).view(16, 256)
a1 = a.unsqueeze(1)
a_T = a1.transpose(2, 1)
a_matrix = a_T @ a1
print(a_matrix.shape)
b = a[:, :, None] * a[:, None, :]
c = a[:, None, :] * a[:, :, None]
print(b.shape, c.shape)
assert t.equal(b, c)
assert t.equal(a_matrix, b)
print(a_matrix[3, 250:, 254:])

# ---- 6.3.2 Tensor的底层实现 ----
a = t.arange(6).view(3, 2)
b = a.reshape(2, 3)
c = a.transpose(1, 0)
d = a[:2, 1]
# (the book compares id() of temporary storages; the data pointers say the same)
print(a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr() == c.untyped_storage().data_ptr() == d.untyped_storage().data_ptr())
print(a.size(), a.storage_offset(), a.stride())
print(b.size(), b.storage_offset(), b.stride())
print(c.size(), c.storage_offset(), c.stride())
print(d.size(), d.storage_offset(), d.stride())
a = t.arange(12).view(3, 4)
print(a, a.size(), a.storage_offset(), a.stride())
offset = 4 * 1 + 1 * 2 + 0
print(a[1, 2], a.flatten()[offset], a.storage()[offset])
a = t.rand(2, 3, 4, 5)
print(a.stride())

# 整数数组索引
a = t.arange(12).view(3, 4)
print(a[t.tensor([1, 2]), t.tensor([0, 2])])
print(a[t.tensor([1, 2])[None, :], t.tensor([0, 2])[:, None]])
a = t.arange(24).view(2, 3, 4)
idx1 = t.tensor([[1, 0]])
idx2 = t.tensor([[0, 2]])
print(a[:, idx1, idx2].shape)
print(a.shape[0], idx1.shape)
a = t.arange(120).reshape(2, 3, 4, 5)
print(a[:, idx1, idx2, :].shape)
print(a[idx1, :, idx2].shape)
print(a[:, idx1, :, idx2].shape)
a = t.arange(108).reshape(2, 3, 3, 3, 2)
idx1 = t.tensor([[1, 0]])
idx2 = t.tensor([[0, 1]])
print(a[:, idx1, :2, idx2, 0].shape)
print(a[:, idx1, :2, idx2, 0])
a = t.arange(24).view(2, 3, 4, 1)
print(a[:, t.tensor([[1, 0]])].shape)
print(a[:, t.tensor([[1, 0]]), ...].shape)

a = t.arange(12).view(3, 4)
print(a)
print(a[[2, 0]])
print(a[[1, 2, 0], [3, 2, 1]])
idx1 = t.tensor([[0, 2], [1, 0]])
idx2 = t.tensor([[1, 3], [3, 1]])
print(a[idx1, idx2])
print(a[[0, 1, 2], [0, 1, 2]])
idx1 = t.tensor([[0, 0], [-1, -1]])
idx2 = t.tensor([[0, -1], [0, -1]])
print(a[idx1, idx2])
idx1 = [[0, 2], [1, 0]]
idx2 = [[1, 3], [3, 1]]
idx = t.tensor([idx1, idx2])
try:
    a[idx]  # 如果报错，表示超出了索引范围
except IndexError as e:
    print('IndexError:', e)
print(a[idx % 3].shape)  # 没报错，但是只索引了第一个维度
print(a[[2, 0], 1:3])
print(a[[1, 0], ...])
print(a[[1, 0], None, [2, 3]])

# 布尔数组索引
a = t.arange(12).view(3, 4)
idx_bool = t.rand(3, 4) > 0.5
print(idx_bool)
print(a[idx_bool])
a = t.tensor([[1, -3, 2], [2, 9, -1], [-8, 4, 1]])
for i in range(a.shape[0]):
    for j in range(a.shape[1]):
        if a[i, j] > 0:
            a[i, j] *= 2
print(a)
a = t.tensor([[1, -3, 2], [2, 9, -1], [-8, 4, 1]])
a[a > 0] *= 2
print(a)
a = t.tensor([[1, -3, 2], [2, 9, -1], [-8, 4, 1]])
row_sum = a.sum(-1)
print(a[row_sum < 3, :])

# 小试牛刀：用高级索引实现卷积
import torch
import torch.nn as nn


def Conv_base(img, filters, stride, padding):
    '''
    img: 输入图像 channel×height×width
    filters: 卷积核 input_channel×output_channel×height×width
    stride: 卷积核的步长
    padding: 边缘填充的大小
    '''
    Cin, Hin, Win = img.shape
    _, Cout, K, _ = filters.shape  # (the book reads `filter.shape`, the builtin at this point)
    Hout = ((Hin + 2 * padding - K) / stride).long() + 1
    Wout = ((Win + 2 * padding - K) / stride).long() + 1
    col = torch.zeros(Cin, K, K, Hout, Wout)
    imgs = nn.ZeroPad2d(padding.item())(img)
    for h in range(Hout):
        for w in range(Wout):
            h1 = int(h * stride.item())
            w1 = int(w * stride.item())
            col[..., h, w] = imgs[:, h1:h1 + K, w1:w1 + K]
    col = col.view(Cin * K * K, Hout * Wout)
    filters = filters.transpose(1, 0).view(Cout, Cin * K * K)
    out_img = (filters @ col).view(Cout, Hout, Wout)
    return out_img


img = t.arange(36).view(1, 6, 6)
filters = t.ones(1, 1, 3, 3) / 9
stride, padding = t.tensor(1.), t.tensor(0)
output = Conv_base(img, filters, stride, padding)
print("进行卷积操作的图像为：\n", img[0])
print("卷积核为：\n", filters[0][0])
print("卷积后的结果为：\n", output)

Cin, Hin, Win = 1, 6, 6
img = t.arange(Cin * Hin * Win).view(Cin, Hin, Win).float()
K, Cout, stride = 3, 1, 1
filter = t.ones((Cin, Cout, K, K)).float() / (Cin * K * K)


def Conv(img, filter, stride=1, padding=0):
    '''
    img: 形状为 channel_in×height×width
    filter:形状为 channel_in×channel_out×kernel×kernel
    '''
    Cin, Hin, Win = img.shape
    Cout, K = filter.shape[1], filter.shape[2]
    Hout = ((Hin + 2 * padding - K) / stride).long() + 1
    Wout = ((Win + 2 * padding - K) / stride).long() + 1
    K1 = t.arange(-(K // 2), K // 2 + 1)
    idx11, idx12 = t.meshgrid(K1, K1)
    H = t.linspace(K // 2, K // 2 + stride * (Hout - 1), Hout).long()
    W = t.linspace(K // 2, K // 2 + stride * (Wout - 1), Wout).long()
    idx21, idx22 = t.meshgrid(H, W)
    idx1 = idx11[:, :, None, None] + idx21[None, None, :, :]
    idx2 = idx12[:, :, None, None] + idx22[None, None, :, :]
    filter = filter.transpose(0, 1).reshape(Cout, Cin * K * K)
    img = img[:, idx1, idx2].reshape(Cin * K * K, Hout * Wout)
    res = (filter @ img).reshape(Cout, Hout, Wout)
    return res


# (the book passes Python ints: `(Hin + 2 * padding - K) / stride` is then a float without .long())
print(Conv(img, filter, t.tensor(stride)))

from PIL import Image
g = np.random.RandomState(0)
img = Image.fromarray(g.randint(0, 256, (12, 15, 3)).astype(np.uint8))  # (imgs/input.jpg)
img = t.tensor(np.array(img)).float()
img = img.transpose(0, 2).transpose(1, 2)
Cout, K, Cin = 3, 3, 3
filter_pool = t.zeros(Cin, Cout, K, K)
filter_pool[t.arange(Cin), t.arange(Cin), :, :] = 1. / K / K
out = Conv(img, filter_pool, stride=t.tensor(K))
out = out.transpose(1, 0).transpose(1, 2).long()
pooled = Image.fromarray(np.array(out, dtype=np.uint8))
print(pooled.size, np.array(pooled)[:2, :3].tolist())
ref = img.view(3, 4, 3, 5, 3).float().mean((2, 4)).long()
print(t.equal(out.permute(2, 0, 1), ref))

# ---- 6.3.3 einsum ----
a = t.arange(9).view(3, 3)
b = t.einsum('ij->ji', a)
print(a)
print(b)
a = t.arange(36).view(3, 4, 3)
b = t.einsum('ijk->', a)
print(b)
a = t.arange(36).view(3, 4, 3)
b = t.arange(24).view(4, 3, 2)
c = t.einsum('ijk,jim->km', a, b)
print(c)
a = t.arange(6).view(2, 3)
b = t.arange(3)
print(t.einsum('ij,j->ij', a, b))
a = t.arange(6).view(2, 3)
b = t.arange(6).view(3, 2)
c_in = t.einsum('ij,ij->', a, a)
c_out = t.einsum('ik,kj->ij', a, b)
print(c_in)
print(c_out)

# ---- 6.4.1 Box_IoU ----
Lx1, Ly1, Rx1, Ry1 = 0, 3, 3, 1
Lx2, Ly2, Rx2, Ry2 = 2, 2, 5, 0
area_reg = abs(Lx1 - Rx1) * abs(Ly1 - Ry1)
area_gt = abs(Lx2 - Rx2) * abs(Ly2 - Ry2)
w = min(Rx1, Rx2) - max(Lx1, Lx2)
h = min(Ry1, Ry2) - max(Ly1, Ly2)
if w <= 0 or h <= 0:
    print("两个框没有交集")
    IoU = 0
else:
    inter = h * w
    IoU = inter / (area_reg + area_gt - inter)
print(IoU)
Reg = t.tensor([[0, 3, 3, 1], [1, 4, 3, 0], [1, 2, 5, 0], [-1, 2, 4, 0]])
GT = t.tensor([2, 2, 5, 0])
dist = (Reg - GT.reshape(1, 4)[:, [2, 3, 0, 1]]).abs()
inter = t.min(dist[:, [0, 2]] * dist[:, [1, 3]], dim=1)[0]
Reg_edge = (Reg[:, [0, 1]] - Reg[:, [2, 3]]).abs()
area_reg = Reg_edge[:, 0] * Reg_edge[:, 1]
area_gt = (GT[0] - GT[2]).abs() * (GT[1] - GT[3]).abs()
IoU = inter.float() / (area_reg + area_gt - inter)
print(IoU)


# ---- 6.4.2 RoI Align ----
def RoI_Align(BBoxes, feature_map, n):
    N = BBoxes.shape[0]
    C = feature_map.shape[0]
    BBoxes = BBoxes.float()
    feature_map = feature_map.float()
    Xs = BBoxes[:, [0]] + t.arange(n + 1).float() / n * (BBoxes[:, [2]] - BBoxes[:, [0]])
    Ys = BBoxes[:, [1]] + t.arange(n + 1).float() / n * (BBoxes[:, [3]] - BBoxes[:, [1]])
    bins = t.linspace(0, n * n - 1, n * n)
    idx_x, idx_y = (bins // n).long(), (bins % n).long()
    x = Xs[:, idx_x] + (Xs[:, [1]] - Xs[:, [0]]) / 2
    y = Ys[:, idx_y] + (Ys[:, [1]] - Ys[:, [0]]) / 2
    x_floor = x.floor().long().unsqueeze(-1)
    y_floor = y.floor().long().unsqueeze(-1)
    corner_x = t.tensor([0, 1, 1, 0])
    corner_y = t.tensor([0, 0, 1, 1])
    idx_feature_x, idx_feature_y = x_floor + corner_x, y_floor + corner_y
    points = feature_map[:, idx_feature_x, idx_feature_y]
    ratio_x = (x - x.floor()).unsqueeze(-1)
    ratio_y = (y - y.floor()).unsqueeze(-1)
    index1 = corner_x[None, None, :].float()
    index2 = corner_y[None, None, :].float()
    ratio = t.abs(index1 - ratio_x) * t.abs(index2 - ratio_y)
    res = t.einsum('cnkp,nkp->cnkp', points, ratio)
    RoIAlign = t.einsum('cnkp->nck', res).reshape(N, C, n, n)
    return RoIAlign


BBoxes = t.tensor([[50, 40, 100, 120], [30, 40, 90, 100]])
feature_map = t.arange(40000).view(1, 200, 200)
out = RoI_Align(BBoxes, feature_map, n=7)
print(out.shape)
print([['%.1f' % v for v in row] for row in out[0, 0, :2, :3].tolist()])  # (4-term sums: float32 order differs in the last bit)
img = t.tensor(g.randint(0, 256, (48, 40, 3)))  # (imgs/ROI.png)
img = t.einsum('hwc->chw', img.float())
BBoxes = t.tensor([[1, 6, 13, 14], [2, 20, 13, 28], [18, 5, 29, 13], [35, 30, 46, 39]])
rois = RoI_Align(BBoxes, img, n=5)
print(rois.shape)


def show_img(img):
    img = t.einsum('chw->hwc', img).long()
    return Image.fromarray(np.array(img, dtype=np.uint8))


print(show_img(rois[0]).size, np.array(show_img(rois[3]))[0, :2].tolist())

# ---- 6.4.3 反向Unique ----
a = t.randint(1, 10, (10, 15, 10, 5))
output, inverse_indices = t.unique(a, return_inverse=True)
a_generate = output[inverse_indices]
print(output, inverse_indices.shape)
print(a_generate.equal(a))


# ======== chapter 13 (CenterNet): the vectorised target encoding, losses and decoding ========
# (the ResNet-18 backbone needs torchvision's pretrained weights and 512-pixel COCO images: the
# head's outputs are random tensors here; utils.py and model.py's functions are as written)
import torch.nn as nn


def gaussian_radius(det_size, min_overlap=0.7):
    box_h, box_h = det_size
    a3 = 1
    b3 = (box_h + box_h)
    c3 = box_h * box_h * (1 - min_overlap) / (1 + min_overlap)
    sq3 = np.sqrt(b3 ** 2 - 4 * a3 * c3)
    r3 = (b3 + sq3) / 2

    a2 = 4
    b2 = 2 * (box_h + box_h)
    c2 = (1 - min_overlap) * box_h * box_h
    sq2 = np.sqrt(b2 ** 2 - 4 * a2 * c2)
    r2 = (b2 + sq2) / 2

    a1 = 4 * min_overlap
    b1 = -2 * min_overlap * (box_h + box_h)
    c1 = (min_overlap - 1) * box_h * box_h
    sq1 = np.sqrt(b1 ** 2 - 4 * a1 * c1)
    r1 = (b1 + sq1) / 2

    return min(r1, r2, r3)


def generate_txtytwth(gt_label, w, h, s):
    xmin, ymin, xmax, ymax = gt_label[:-1]
    c_x = (xmax + xmin) / 2 * w
    c_y = (ymax + ymin) / 2 * h
    box_w = (xmax - xmin) * w
    box_h = (ymax - ymin) * h

    box_w_s = box_w / s
    box_h_s = box_h / s

    r = gaussian_radius([box_w_s, box_h_s])
    sigma_w = sigma_h = r / 3

    if box_w < 1e-28 or box_h < 1e-28:
        return False

    c_x_s = c_x / s
    c_y_s = c_y / s
    grid_x = int(c_x_s)
    grid_y = int(c_y_s)

    tx = c_x_s - grid_x
    ty = c_y_s - grid_y
    tw = np.log(box_w_s)
    th = np.log(box_h_s)

    return grid_x, grid_y, tx, ty, tw, th, sigma_w, sigma_h


def gt_creator(input_size, stride, num_classes, label_lists=[]):
    batch_size = len(label_lists)
    w = input_size
    h = input_size

    ws = w // stride
    hs = h // stride
    s = stride
    gt_tensor = np.zeros([batch_size, hs, ws, num_classes + 4 + 1])
    for batch_index in range(batch_size):
        for gt_label in label_lists[batch_index]:
            gt_cls = gt_label[-1]
            result = generate_txtytwth(gt_label, w, h, s)
            if result:
                grid_x, grid_y, tx, ty, tw, th, sigma_w, sigma_h = result

                gt_tensor[batch_index, grid_y, grid_x, int(gt_cls)] = 1.0
                gt_tensor[batch_index, grid_y, grid_x, num_classes:num_classes + 4] = np.array([tx, ty, tw, th])
                gt_tensor[batch_index, grid_y, grid_x, num_classes + 4] = 1.0

                for i in range(grid_x - 3 * int(sigma_w), grid_x + 3 * int(sigma_w) + 1):
                    for j in range(grid_y - 3 * int(sigma_h), grid_y + 3 * int(sigma_h) + 1):
                        if i < ws and j < hs:
                            v = np.exp(- (i - grid_x) ** 2 / (2 * sigma_w ** 2) - (j - grid_y) ** 2 / (2 * sigma_h ** 2))
                            pre_v = gt_tensor[batch_index, j, i, int(gt_cls)]
                            gt_tensor[batch_index, j, i, int(gt_cls)] = max(v, pre_v)

    gt_tensor = gt_tensor.reshape(batch_size, -1, num_classes + 4 + 1)

    return gt_tensor


def detection_collate(batch):
    targets = []
    imgs = []
    for sample in batch:
        imgs.append(sample[0])
        targets.append(t.FloatTensor(sample[1]))
    return t.stack(imgs, 0), targets


class FocalLoss(nn.Module):
    def __init__(self):
        super(FocalLoss, self).__init__()

    def forward(self, inputs, targets):
        inputs = t.sigmoid(inputs)
        center_id = (targets == 1.0).float()
        other_id = (targets != 1.0).float()
        center_loss = -center_id * (1.0 - inputs) ** 2 * t.log(inputs + 1e-14)
        other_loss = -other_id * (1 - targets) ** 4 * (inputs) ** 2 * t.log(1.0 - inputs + 1e-14)
        return center_loss + other_loss


def get_loss(pred_cls, pred_txty, pred_twth, label, num_classes):
    cls_loss_function = FocalLoss()
    txty_loss_function = nn.BCEWithLogitsLoss(reduction='none')
    twth_loss_function = nn.SmoothL1Loss(reduction='none')

    gt_cls = label[:, :, :num_classes].float()
    gt_txtytwth = label[:, :, num_classes:-1].float()
    gt_box_scale_weight = label[:, :, -1]

    batch_size = pred_cls.size(0)
    cls_loss = t.sum(cls_loss_function(pred_cls, gt_cls)) / batch_size
    txty_loss = t.sum(t.sum(txty_loss_function(pred_txty, gt_txtytwth[:, :, :2]), 2) * gt_box_scale_weight) / batch_size
    twth_loss = t.sum(t.sum(twth_loss_function(pred_twth, gt_txtytwth[:, :, 2:]), 2) * gt_box_scale_weight) / batch_size

    total_loss = cls_loss + txty_loss + twth_loss
    return total_loss


class SPP(nn.Module):
    def __init__(self):
        super(SPP, self).__init__()

    def forward(self, x):
        x_1 = nn.functional.max_pool2d(x, 5, stride=1, padding=2)
        x_2 = nn.functional.max_pool2d(x, 9, stride=1, padding=4)
        x_3 = nn.functional.max_pool2d(x, 13, stride=1, padding=6)
        return t.cat([x, x_1, x_2, x_3], dim=1)


class Model(nn.Module):  # (the parts of model.py's Model that do not need the backbone)
    def __init__(self, num_classes, topk):
        super(Model, self).__init__()
        self.num_classes = num_classes
        self.topk = topk

    def decode(self, pred):
        output = t.zeros_like(pred)
        grid_y, grid_x = t.meshgrid([t.arange(128, device=pred.device), t.arange(128, device=pred.device)])
        grid_cell = t.stack([grid_x, grid_y], dim=-1).float().view(1, 128 * 128, 2)
        pred[:, :, :2] = (t.sigmoid(pred[:, :, :2]) + grid_cell) * 4
        pred[:, :, 2:] = (t.exp(pred[:, :, 2:])) * 4

        output[:, :, 0] = pred[:, :, 0] - pred[:, :, 2] / 2
        output[:, :, 1] = pred[:, :, 1] - pred[:, :, 3] / 2
        output[:, :, 2] = pred[:, :, 0] + pred[:, :, 2] / 2
        output[:, :, 3] = pred[:, :, 1] + pred[:, :, 3] / 2
        return output

    def gather_feat(self, feat, ind):
        dim = feat.size(2)
        ind = ind.unsqueeze(2).expand(ind.size(0), ind.size(1), dim)
        return feat.gather(1, ind)

    def get_topk(self, scores):
        B, C, H, W = scores.size()
        topk_scores, topk_inds = t.topk(scores.view(B, C, -1), self.topk)
        topk_inds = topk_inds % (H * W)
        topk_score, topk_ind = t.topk(topk_scores.view(B, -1), self.topk)
        topk_inds = self.gather_feat(topk_inds.view(B, -1, 1), topk_ind).view(B, self.topk)
        topk_clses = t.floor_divide(topk_ind, self.topk).int()
        return topk_score, topk_inds, topk_clses


num_classes = 3
labels = [[[0.1, 0.2, 0.5, 0.6, 0], [0.55, 0.5, 0.95, 0.9, 2]], [[0.3, 0.3, 0.7, 0.8, 1]]]
print('%.4f' % gaussian_radius([4.0, 6.0]), [round(float(v), 4) for v in generate_txtytwth(labels[0][0], 64, 64, 4)])
target = gt_creator(64, 4, num_classes, labels)
print(target.shape, int((target[..., :num_classes] == 1).sum()), round(float(target[..., :num_classes].sum()), 4))
imgs, targets = detection_collate([(t.zeros(3, 8, 8), labels[0]), (t.ones(3, 8, 8), labels[1])])
print(imgs.shape, [tgt.shape for tgt in targets])
target = t.tensor(gt_creator(64, 4, num_classes, [tgt.tolist() for tgt in targets])).float()
t.manual_seed(13)
pred_cls = t.randn(2, 16 * 16, num_classes, requires_grad=True)
pred_txty = t.randn(2, 16 * 16, 2, requires_grad=True)
pred_twth = t.randn(2, 16 * 16, 2, requires_grad=True)
total_loss = get_loss(pred_cls=pred_cls, pred_txty=pred_txty, pred_twth=pred_twth, label=target, num_classes=num_classes)
total_loss.backward()
print('%.2f' % total_loss.item(), '%.2f' % pred_cls.grad.abs().sum().item(), '%.4f' % pred_twth.grad.abs().sum().item())  # (sums of ~800 float32 terms)
print(SPP()(t.randn(1, 2, 6, 6)).shape)
model = Model(num_classes=num_classes, topk=4)
cls_pred = t.sigmoid(t.randn(1, num_classes, 16, 16))
hmax = nn.functional.max_pool2d(cls_pred, kernel_size=5, padding=2, stride=1)
keep = (hmax == cls_pred).float()
print(int(keep.sum()))
cls_pred *= keep
topk_score, topk_ind, topk_clses = model.get_topk(cls_pred)
print(topk_score, topk_ind, topk_clses)
txtytwth_pred = t.randn(1, 128 * 128, 4) * 0.1
scale_t = t.tensor(np.array([[[512, 512, 512, 512]]]).copy()).float()
bbox_pred = t.clamp((model.decode(txtytwth_pred) / scale_t)[0], 0., 1.)
print(bbox_pred.shape, bbox_pred[topk_ind[0]])
