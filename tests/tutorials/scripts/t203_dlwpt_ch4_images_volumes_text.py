# ruff: noqa: UP031, UP032 (the book's printing style, kept)
# "Deep Learning with PyTorch", chapter 4 (real-world data as tensors), the image, volumetric and
# text notebooks, on in-script arrays: HWC uint8 images permuted to CHW and batched, per-channel
# standardisation, a CT-like int16 volume unsqueezed, and one-hot encodings of characters and words.
import numpy as np
import torch

torch.manual_seed(0)
rng = np.random.RandomState(1)

# -- images ------------------------------------------------------------------------------------
img_arr = rng.randint(0, 256, size=(32, 48, 3)).astype(np.uint8)  # what imageio.imread returns
print(img_arr.shape, img_arr.dtype)
img = torch.from_numpy(img_arr)
out = img.permute(2, 0, 1)
print(out.shape, out.dtype, out.stride(), out.is_contiguous())

batch_size = 3
batch = torch.zeros(batch_size, 3, 32, 48, dtype=torch.uint8)
for i in range(batch_size):
    img_arr = rng.randint(0, 256, size=(32, 48, 4)).astype(np.uint8)  # an RGBA file
    img_t = torch.from_numpy(img_arr)
    img_t = img_t.permute(2, 0, 1)
    img_t = img_t[:3]
    batch[i] = img_t
print(batch.shape, batch.dtype, batch[2, 1, 0, :6])

batch = batch.float()
batch /= 255.0
print(batch.dtype, batch[2, 1, 0, :3])

n_channels = batch.shape[1]
for c in range(n_channels):
    mean = torch.mean(batch[:, c])
    std = torch.std(batch[:, c])
    batch[:, c] = (batch[:, c] - mean) / std
print(batch[2, 1, 0, :3])
print(batch.view(3, 3, -1).transpose(0, 1).reshape(3, -1).mean(1).abs().max() < 1e-5)

# -- a volume: 9 int16 CT slices of 16x16 --------------------------------------------------------
vol_arr = rng.randint(-1000, 2000, size=(9, 16, 16)).astype(np.int16)
print(vol_arr.shape, vol_arr.dtype)
vol = torch.from_numpy(vol_arr).float()
vol = torch.unsqueeze(vol, 0)
print(vol.shape, vol.dtype, vol.stride())
print(vol[0, 4, :2, :4])
vol_clamped = vol.clamp(-1000, 1000) / 1000.0
print(vol_clamped.min(), vol_clamped.max(), vol_clamped.unsqueeze(0).shape)

# -- text ----------------------------------------------------------------------------------------
text = (
    "It is a truth universally acknowledged, that a single man in possession of a good fortune,\n"
    "must be in want of a wife.\n"
    "However little known the feelings or views of such a man may be on his first entering a\n"
    "neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he\n"
    "is considered the rightful property of some one or other of their daughters.\n"
    "\u201cImpossible, Mr. Bennet, impossible, when I am not in spirits.\u201d\n"
)
lines = text.split("\n")
line = lines[5]
print(line)

letter_t = torch.zeros(len(line), 128)
print(letter_t.shape)
for i, letter in enumerate(line.lower().strip()):
    letter_index = ord(letter) if ord(letter) < 128 else 0  # the quotes are not ASCII
    letter_t[i][letter_index] = 1
print(letter_t.sum(), letter_t[:, 0].sum(), letter_t.argmax(dim=1)[:10])


def clean_words(input_str):
    punctuation = '.,;:"!?\u201d\u201c_-'
    word_list = input_str.lower().replace("\n", " ").split()
    word_list = [word.strip(punctuation) for word in word_list]
    return word_list


words_in_line = clean_words(line)
print(line, words_in_line)

word_list = sorted(set(clean_words(text)))
word2index_dict = {word: i for (i, word) in enumerate(word_list)}
print(len(word2index_dict), word2index_dict["impossible"])

word_t = torch.zeros(len(words_in_line), len(word2index_dict))
for i, word in enumerate(words_in_line):
    word_index = word2index_dict[word]
    word_t[i][word_index] = 1
    print("{:2} {:4} {}".format(i, word_index, word))
print(word_t.shape)
print(word_t.nonzero())
print(word_t.sum(0).nonzero().view(-1))

# the embedding route the chapter mentions instead of huge one-hot vectors
word_idx = torch.tensor([word2index_dict[w] for w in words_in_line])
print(word_idx, torch.nn.functional.one_hot(word_idx, len(word2index_dict)).shape)
print(torch.equal(torch.nn.functional.one_hot(word_idx, len(word2index_dict)).float(), word_t))
