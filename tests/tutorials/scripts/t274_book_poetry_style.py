# ruff: noqa: B007, B008, E402, E731, F401, F841, I001, UP004, UP008, UP018, UP025, UP031, UP032  (tutorial code, kept as the book writes it)
"""chenyuntc/pytorch-book (深度学习框架PyTorch：入门与实践, 2nd edition) chapters 11 and 12.

Chapter 11, a poet with a Transformer: data.py's vocabulary with <EOP>/<START>/</s> and keras'
pad_sequences, model.py's PositionalEncoding (a buffer), TokenEmbedding and PoetryModel (a
TransformerEncoder with a causal square mask and a key-padding mask, xavier init), main.py's
training with CrossEntropyLoss(ignore_index) on the unpadded positions picked by a boolean mask,
and greedy generation: continuing a line (gen) and an acrostic (gen_acrostic).
Chapter 12, AdaIN style transfer: utils.py's calc_mean_std and AdaIn, model.py's VGG19 encoder
(relu1_1..relu4_1 as a namedtuple, frozen), ConvLayer with reflection padding, UpSampleLayer,
Decoder, and the content + style loss, trained with Adam; then stylize().

Changes for a test: 8 made-up "poems" over a 14-character vocabulary, emb_size 32 / 1 layer /
feed-forward 64 (512 / 4 / 1024 in the book), 3 epochs of one batch, generation capped at a few
characters (each new length compiles a new program); `.cuda()` calls on masks become `.to(device)`; the VGG19 encoder is untrained (no
weight download) and every channel count is divided by 16, on 16-pixel images; visdom, ipdb,
tqdm and torchnet are left out, torchvision's pieces written out."""
import math
import os
import tempfile
from collections import namedtuple

import numpy as np
import torch
import torch as t
from torch import nn, Tensor
from torch.nn import (TransformerEncoder, TransformerDecoder,
                      TransformerEncoderLayer, TransformerDecoderLayer)

ROOT = tempfile.mkdtemp()
torch.manual_seed(11)


# ======== chapter 11 ========
# ---- data.py ----
def pad_sequences(sequences, maxlen=None, dtype='int32', padding='pre', truncating='pre', value=0.):
    """
    code from keras
    """
    if not hasattr(sequences, '__len__'):
        raise ValueError('`sequences` must be iterable.')
    lengths = []
    for x in sequences:
        if not hasattr(x, '__len__'):
            raise ValueError('`sequences` must be a list of iterables. '
                             'Found non-iterable: ' + str(x))
        lengths.append(len(x))

    num_samples = len(sequences)
    if maxlen is None:
        maxlen = np.max(lengths)

    sample_shape = tuple()
    for s in sequences:
        if len(s) > 0:
            sample_shape = np.asarray(s).shape[1:]
            break

    x = (np.ones((num_samples, maxlen) + sample_shape) * value).astype(dtype)
    for idx, s in enumerate(sequences):
        if not len(s):
            continue
        if truncating == 'pre':
            trunc = s[-maxlen:]
        elif truncating == 'post':
            trunc = s[:maxlen]
        else:
            raise ValueError('Truncating type "%s" not understood' % truncating)

        trunc = np.asarray(trunc, dtype=dtype)
        if trunc.shape[1:] != sample_shape:
            raise ValueError(
                'Shape of sample %s of sequence at position %s is different from '
                'expected shape %s'
                % (trunc.shape[1:], idx, sample_shape))

        if padding == 'post':
            x[idx, :len(trunc)] = trunc
        elif padding == 'pre':
            x[idx, -len(trunc):] = trunc
        else:
            raise ValueError('Padding type "%s" not understood' % padding)
    return x


def get_data(opt):
    """
    @return word2ix, ix2word, data (each row one poem's word indices)
    """
    data = list(POEMS)  # (_parseRawData(...) reads the chinese-poetry json files)
    words = sorted({_word for _sentence in data for _word in _sentence})  # (sorted: a set's order varies)
    word2ix = {_word: _ix for _ix, _word in enumerate(words)}
    word2ix['<EOP>'] = len(word2ix)  # 终止标识符
    word2ix['<START>'] = len(word2ix)  # 起始标识符
    word2ix['</s>'] = len(word2ix)  # 空格
    ix2word = {_ix: _word for _word, _ix in list(word2ix.items())}

    for i in range(len(data)):
        data[i] = ["<START>"] + list(data[i]) + ["<EOP>"]

    new_data = [[word2ix[_word] for _word in _sentence]
                for _sentence in data]

    pad_data = pad_sequences(new_data, maxlen=opt.maxlen, padding='post', truncating='post', value=len(word2ix) - 1)
    np.savez_compressed(opt.pickle_path, data=pad_data, word2ix=word2ix, ix2word=ix2word)
    return pad_data, word2ix, ix2word


POEMS = ['春江花月夜，江月照花。', '深度学习，月照江花。', '花月春江，夜学深度。', '学习春夜，花照江月。',
         '江花月夜深。', '春月照江花，深夜学习。', '夜深花照月。', '度春江，学花月。']


# ---- model.py ----
class PositionalEncoding(nn.Module):
    def __init__(self, emb_size, dropout, maxlen=200):
        super().__init__()
        den = torch.exp(- torch.arange(0, emb_size, 2).float() * math.log(100) / emb_size)
        pos = torch.arange(0, maxlen).float().reshape(maxlen, 1)
        pos_embedding = torch.zeros((maxlen, emb_size))
        pos_embedding[:, 0::2] = torch.sin(pos * den)
        pos_embedding[:, 1::2] = torch.cos(pos * den)
        pos_embedding = pos_embedding.unsqueeze(-2)

        self.dropout = nn.Dropout(dropout)
        self.register_buffer('pos_embedding', pos_embedding)

    def forward(self, token_embedding):
        return self.dropout(token_embedding + self.pos_embedding[:token_embedding.size(0), :])


class TokenEmbedding(nn.Module):
    def __init__(self, vocab_size, emb_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_size)
        self.emb_size = emb_size

    def forward(self, tokens):
        return self.embedding(tokens.long()) * math.sqrt(self.emb_size)


class PoetryModel(nn.Module):
    def __init__(self, vocab_size, num_encoder_layers=1, emb_size=32, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.src_tok_emb = TokenEmbedding(vocab_size, emb_size)
        self.positional_encoding = PositionalEncoding(emb_size, dropout=dropout)
        encoder_layer = TransformerEncoderLayer(d_model=emb_size, nhead=8, dim_feedforward=dim_feedforward)
        self.transformer_encoder = TransformerEncoder(encoder_layer, num_layers=num_encoder_layers)
        self.generator = nn.Linear(emb_size, vocab_size)

        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)

    def forward(self, src, src_mask, src_padding_mask):
        src_emb = self.positional_encoding(self.src_tok_emb(src))
        memory = self.transformer_encoder(src_emb, src_mask, src_padding_mask)
        logit = self.generator(memory)
        return memory, logit


# ---- main.py ----
class Config(object):
    data_path = 'data'
    pickle_path = os.path.join(ROOT, 'tang.npz')  # 预处理好的二进制文件
    lr = 1e-3
    weight_decay = 1e-4
    use_gpu = False
    epoch = 3
    env = 'poetry1'
    batch_size = 8
    maxlen = 14  # 超过这个长度之后的字被丢弃，小于这个长度的在前面补空格
    max_gen_len = 200
    model_path = None
    start_words = '深度学习'  # 诗歌开始
    model_prefix = os.path.join(ROOT, 'tang')  # 模型保存路径
    plot_every = 3
    debug_file = '/tmp/debugp/'


opt = Config()


def generate_square_subsequent_mask(sz):
    mask = (t.triu(t.ones(sz, sz)) == 1).transpose(0, 1)  # 生成下三角矩阵（下三角全为True，其余位False）
    mask = mask.float().masked_fill(mask == 0, float('-inf')).masked_fill(mask == 1, float(0.0))
    return mask


@t.no_grad()
def generate(model, start_words, word2ix, ix2word, max_len=6):
    model.eval()
    device = t.device('cuda') if opt.use_gpu else t.device('cpu')

    src = [word2ix[word] for word in start_words]
    res = src = [word2ix['<START>']] + src

    for _ in range(max_len):
        src = t.tensor(res).to(device)[:, None]
        src_mask = generate_square_subsequent_mask(src.shape[0])
        src_pad_mask = src == len(word2ix) - 1
        src_pad_mask = src_pad_mask.permute(1, 0).contiguous()
        memory, logits = model(src, src_mask.to(device), src_pad_mask.to(device))

        next_word = logits[-1, 0].argmax().item()
        if next_word == word2ix['<EOP>']:
            break
        res.append(next_word)

        if next_word == word2ix['<EOP>']:
            break
    res = [ix2word[_] for _ in res]
    model.train()
    return res


def train(**kwargs):
    for k, v in kwargs.items():
        setattr(opt, k, v)

    device = t.device('cuda') if opt.use_gpu else t.device('cpu')

    data, word2ix, ix2word = get_data(opt)
    data = t.from_numpy(data)
    dataloader = t.utils.data.DataLoader(data, batch_size=opt.batch_size, shuffle=True, num_workers=0)

    model = PoetryModel(len(word2ix))
    optimizer = t.optim.Adam(model.parameters(), lr=0.0001, betas=(0.9, 0.98), eps=1e-9)
    criterion = nn.CrossEntropyLoss(ignore_index=len(word2ix) - 1)
    if opt.model_path:
        model.load_state_dict(t.load(opt.model_path))
    model.to(device)

    losses = []
    for epoch in range(opt.epoch):
        for ii, data_ in enumerate(dataloader):
            data_ = data_.long().transpose(1, 0).contiguous()
            data_ = data_.to(device)
            optimizer.zero_grad()
            input_, target = data_[:-1, :], data_[1:, :]
            src_mask = generate_square_subsequent_mask(input_.shape[0])
            src_pad_mask = input_ == len(word2ix) - 1
            src_pad_mask = src_pad_mask.permute(1, 0).contiguous()

            memory, logit = model(input_, src_mask.to(device), src_pad_mask.to(device))

            mask = target != word2ix['</s>']
            target = target[mask]  # 去掉前缀的空格
            logit = logit.flatten(0, 1)[mask.view(-1)]

            loss = criterion(logit, target)
            loss.backward()
            optimizer.step()

            losses.append(loss.item())

            if (1 + ii) % opt.plot_every == 0:
                pass  # (visdom: the loss and the poems)
        print('epoch', epoch, 'loss %.4f' % losses[-1], target.shape, logit.shape)

    poetrys = [[ix2word[_word] for _word in data_[:, _iii].tolist()]
               for _iii in range(data_.shape[1])][:2]
    print(['|'.join(poetry) for poetry in poetrys])
    t.save(model.state_dict(), '%s_%s.pth' % (opt.model_prefix, opt.epoch))
    return model, word2ix, ix2word


def gen_acrostic(model, word2ix, ix2word, max_len=12):
    start_word_len = len(opt.start_words)
    index = 0  # 用来指示已经生成了多少句藏头诗
    src_base = [word2ix[word] for word in opt.start_words]
    res = [word2ix['<START>']] + [src_base[index]]
    index += 1
    device = t.device('cpu')
    model.eval()

    for _ in range(max_len):
        src = t.tensor(res).to(device)[:, None]
        src_mask = generate_square_subsequent_mask(src.shape[0])
        src_pad_mask = src == len(word2ix) - 1
        src_pad_mask = src_pad_mask.permute(1, 0).contiguous()
        memory, logits = model(src, src_mask.to(device), src_pad_mask.to(device))

        next_word = logits[-1, 0].argmax().item()
        if next_word in {word2ix[u'。'], word2ix[u'，'], word2ix['<START>']}:
            if index == start_word_len:
                res.append(next_word)
                break
            res.append(next_word)
            res.append(src_base[index])
            index += 1
        else:
            res.append(next_word)

    res = [ix2word[_] for _ in res[1:]]
    print(''.join(res))


print(generate_square_subsequent_mask(3))
pe = PositionalEncoding(6, dropout=0.1, maxlen=4)
print(pe.pos_embedding.shape, list(pe.state_dict().keys()))
print(pe.pos_embedding[:, 0])
print(pad_sequences([[1, 2, 3], [4]], maxlen=3, padding='post', value=9).tolist(),
      pad_sequences([[1, 2, 3, 4], [5]], maxlen=3).tolist())
model, word2ix, ix2word = train()
print(len(word2ix), word2ix['<EOP>'], word2ix['</s>'])
data = np.load(opt.pickle_path, allow_pickle=True)
print(data['data'].shape, data['word2ix'].item() == word2ix)
model2 = PoetryModel(len(word2ix))
model2.load_state_dict(t.load('%s_%s.pth' % (opt.model_prefix, opt.epoch)))
for word in list(u'春'):
    print(''.join(generate(model2, word, word2ix, ix2word, max_len=3)))
opt.start_words = '深度'
gen_acrostic(model2, word2ix, ix2word, max_len=1)


# ======== chapter 12 ========
# ---- utils.py ----
def calc_mean_std(features):
    batch_size, c = features.size()[:2]
    features_mean = features.reshape(batch_size, c, -1).mean(dim=2).reshape(batch_size, c, 1, 1)
    features_std = features.reshape(batch_size, c, -1).std(dim=2).reshape(batch_size, c, 1, 1) + 1e-6
    return features_mean, features_std


def AdaIn(x, y):
    x_mean, x_std = calc_mean_std(x)
    y_mean, y_std = calc_mean_std(y)
    normalized_features = y_std * (x - x_mean) / x_std + y_mean
    return normalized_features


# ---- model.py ----
def vgg19_features():
    """torchvision's vgg19().features (untrained, channel counts / 16), the first 21 layers used."""
    cfg = [4, 4, 'M', 8, 8, 'M', 16, 16, 16, 16, 'M', 32]
    layers, c = [], 3
    for v in cfg:
        if v == 'M':
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(c, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            c = v
    return nn.Sequential(*layers)


class VGG19(nn.Module):
    def __init__(self):
        super(VGG19, self).__init__()
        features = list(vgg19_features())[:21]
        self.features = nn.ModuleList(features).eval()

    def forward(self, x):
        results = []
        for ii, model in enumerate(self.features):
            x = model(x)
            if ii in {1, 6, 11, 20}:
                results.append(x)
        vgg_outputs = namedtuple("VggOutputs", ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1'])
        return vgg_outputs(*results)


class ConvLayer(nn.Module):
    """
    add ReflectionPad for Conv
    默认的卷积的padding操作是补0，这里使用边界反射填充
    """
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super(ConvLayer, self).__init__()
        reflection_padding = int(np.floor(kernel_size / 2))
        self.reflection_pad = nn.ReflectionPad2d(reflection_padding)
        self.conv2d = nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        out = self.reflection_pad(x)
        out = self.conv2d(out)
        return out


class UpSampleLayer(nn.Module):
    def __init__(self, in_channels):
        super(UpSampleLayer, self).__init__()
        self.input = nn.Parameter(t.randn(in_channels))

    def forward(self, x):
        return nn.functional.interpolate(x, scale_factor=2)


class Decoder(nn.Module):
    def __init__(self):
        super(Decoder, self).__init__()
        self.decode = nn.Sequential(
            ConvLayer(32, 16, kernel_size=3, stride=1),
            nn.ReLU(),
            UpSampleLayer(16),
            ConvLayer(16, 16, kernel_size=3, stride=1),
            nn.ReLU(),
            ConvLayer(16, 16, kernel_size=3, stride=1),
            nn.ReLU(),
            ConvLayer(16, 16, kernel_size=3, stride=1),
            nn.ReLU(),
            ConvLayer(16, 8, kernel_size=3, stride=1),
            nn.ReLU(),
            UpSampleLayer(8),
            ConvLayer(8, 8, kernel_size=3, stride=1),
            nn.ReLU(),
            ConvLayer(8, 4, kernel_size=3, stride=1),
            nn.ReLU(),
            UpSampleLayer(4),
            ConvLayer(4, 4, kernel_size=3, stride=1),
            nn.ReLU(),
            ConvLayer(4, 3, kernel_size=3, stride=1),
        )

    def forward(self, x):
        return self.decode(x)


class Model(nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.encoder = VGG19()
        self.decoder = Decoder()
        for param in self.encoder.parameters():
            param.requires_grad = False

    def get_content_loss(self, content, adain):
        return nn.functional.mse_loss(content, adain)

    def get_style_loss(self, content, style):
        loss = 0
        for i, j in zip(content, style):
            content_mean, content_std = calc_mean_std(i)
            style_mean, style_std = calc_mean_std(j)
            loss += nn.functional.mse_loss(content_mean, style_mean) + nn.functional.mse_loss(content_std, style_std)
        return loss

    def generate(self, content, style):
        content_feature = self.encoder(content).relu4_1
        style_feature = self.encoder(style).relu4_1
        adain = AdaIn(content_feature, style_feature)
        return self.decoder(adain)

    def forward(self, content, style):
        content_feature = self.encoder(content).relu4_1
        style_feature = self.encoder(style).relu4_1
        adain = AdaIn(content_feature, style_feature)
        output = self.decoder(adain)

        output_features = self.encoder(output).relu4_1
        content_mid = self.encoder(output)
        style_mid = self.encoder(style)

        content_loss = self.get_content_loss(output_features, adain)
        style_loss = self.get_style_loss(content_mid, style_mid)
        return content_loss + 10 * style_loss


# ---- main.py ----
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
mean = t.Tensor(IMAGENET_MEAN).reshape(-1, 1, 1)
std = t.Tensor(IMAGENET_STD).reshape(-1, 1, 1)

t.manual_seed(12)
x = t.randn(2, 4, 3, 3)
m, s = calc_mean_std(x)
print(m.shape, s.shape)
y = AdaIn(x, t.randn(2, 4, 5, 5) * 3 + 1)
ym, ys = calc_mean_std(y)
print(ym.flatten()[:4], ys.flatten()[:4])

model = Model()
print(model.encoder.features[20], len(model.encoder.features), model.decoder.decode[2])
print(sum(p.numel() for p in model.parameters() if p.requires_grad), sum(p.numel() for p in model.encoder.parameters()))
feats = model.encoder(t.rand(1, 3, 16, 16))
print(type(feats).__name__, [tuple(f.shape) for f in feats])
g = t.Generator().manual_seed(0)
contents = (t.rand(4, 3, 16, 16, generator=g) - mean) / std  # (COCO through ImageFolder and transforms)
styles = (t.rand(4, 3, 16, 16, generator=g) * 0.5 - mean) / std
loader = zip(t.utils.data.DataLoader(contents, 2), t.utils.data.DataLoader(styles, 2))
# (the training step's backward through three encoder passes compiles for ~8 s of CPU: the loss
# is evaluated without it; optimizer.zero_grad(), loss.backward() and optimizer.step() are left out)
with t.no_grad():
    for ii, image in enumerate(loader):
        content = image[0]
        style = image[1]
        loss = model(content, style)
        print(ii, '%.4f' % loss.item())


@t.no_grad()
def stylize(content_image, style_image):
    model = Model().eval()
    model.load_state_dict(t.load(os.path.join(ROOT, 'style.pth'), map_location=lambda _s, _: _s))
    output = model.generate(content_image, style_image)
    output_data = output.cpu() * std + mean
    return output_data.clamp(0, 1)


t.save(model.state_dict(), os.path.join(ROOT, 'style.pth'))
out = stylize(contents[:1], styles[:1])
print(out.shape, '%.4f' % out.mean().item())
