# Andrej Karpathy, "Neural Networks: Zero to Hero", lecture 3: "Building makemore Part 2: MLP"
# (Bengio et al. 2003). Character-level MLP: a context of block_size=3 characters, embedding table
# C indexed by C[X], emb.view(-1, 6) @ W1 + b1, tanh, logits, the hand-written softmax/NLL and then
# F.cross_entropy; minibatches from torch.randint with a Generator; the learning-rate search over
# lrs = 10**lre with lr = lrs[i] (a 0-d tensor) in p.data += -lr * p.grad; the train/dev/test split
# with random.seed(42) shuffle and build_dataset; a bigger net (10-d embeddings, 200 hidden); dev
# and test loss; sampling with torch.multinomial. Adapted: names.txt is replaced by an inline list
# of ~150 names (repeated), fewer training steps, plots replaced by prints of a few values.
import random

import torch
import torch.nn.functional as F

words = ("emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily elizabeth "
         "mila ella avery sofia camila aria scarlett victoria madison luna grace chloe penelope layla "
         "riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella natalie zoe leah "
         "hazel violet aurora savannah audrey brooklyn bella claire skylar lucy paisley everly anna "
         "caroline nova genesis emilia kennedy samantha maya willow kinsley naomi aaliyah elena sarah "
         "ariana allison gabriella alice madelyn cora ruby eva serenity autumn adeline hailey gianna "
         "valentina isla eliana quinn nevaeh ivy sadie piper lydia alexa josephine emery julia "
         "liam noah oliver elijah william james benjamin lucas henry alexander mason michael ethan "
         "daniel jacob logan jackson levi sebastian mateo jack owen theodore aiden samuel joseph john "
         "david wyatt matthew luke asher carter julian grayson leo jayden gabriel isaac lincoln "
         "anthony hudson dylan ezra thomas charles christopher jaxon maverick josiah isaiah andrew "
         "elias joshua nathan caleb ryan adrian miles eli nolan christian aaron cameron ezekiel "
         "colton luca landon hunter jonathan santiago axel easton cooper jeremiah angel roman "
         "connor jameson robert greyson jordan ian carson jaxson leonardo nicholas dominic austin "
         "everett brooks xavier kai jose parker adam jace wesley kayden silas bennett declan waylon "
         "uriel felix finn").split() * 3
print(len(words), words[:8])

# build the vocabulary of characters and mappings to/from integers
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
print(itos)

# build the dataset
block_size = 3  # context length: how many characters do we take to predict the next one?
X, Y = [], []
for w in words[:5]:
    # print(w)
    context = [0] * block_size
    for ch in w + '.':
        ix = stoi[ch]
        X.append(context)
        Y.append(ix)
        print(''.join(itos[i] for i in context), '--->', itos[ix])
        context = context[1:] + [ix]  # crop and append

X = torch.tensor(X)
Y = torch.tensor(Y)
print(X.shape, X.dtype, Y.shape, Y.dtype)

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 2), generator=g)
print(F.one_hot(torch.tensor(5), num_classes=27).float() @ C)
print(C[5])
print(C[[5, 6, 7]])
print(C[torch.tensor([5, 6, 7, 7, 7, 7])])
print(C[X].shape)
print(X[13, 2])
print(C[X][13, 2])
print(C[1])
emb = C[X]
print(emb.shape)

W1 = torch.randn((6, 100), generator=g)
b1 = torch.randn(100, generator=g)
print(torch.cat([emb[:, 0, :], emb[:, 1, :], emb[:, 2, :]], 1).shape)
print(torch.cat(torch.unbind(emb, 1), 1).shape)
a = torch.arange(18)
print(a.shape)
print(a.view(2, 9))
print(a.view(3, 3, 2))
print((emb.view(32, 6) == torch.cat(torch.unbind(emb, 1), 1)).all())
h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
print(h.shape)
print((emb.view(-1, 6) @ W1).shape)
print(b1.shape)
W2 = torch.randn((100, 27), generator=g)
b2 = torch.randn(27, generator=g)
logits = h @ W2 + b2
print(logits.shape)
counts = logits.exp()
prob = counts / counts.sum(1, keepdims=True)
print(prob.shape)
print(f'{prob[0].sum().item():.4f}')
loss = -prob[torch.arange(32), Y].log().mean()
print(f'{loss.item():.4f}')

# ------------ now made respectable :) ---------------
print(X.shape, Y.shape)  # dataset
g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((27, 2), generator=g)
W1 = torch.randn((6, 100), generator=g)
b1 = torch.randn(100, generator=g)
W2 = torch.randn((100, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))  # number of parameters in total

emb = C[X]  # (32, 3, 2)
h = torch.tanh(emb.view(-1, 6) @ W1 + b1)  # (32, 100)
logits = h @ W2 + b2  # (32, 27)
# counts = logits.exp()
# prob = counts / counts.sum(1, keepdims=True)
# loss = -prob[torch.arange(32), Y].log().mean()
loss = F.cross_entropy(logits, Y)
print(f'{loss.item():.4f}')

# the softmax by hand overflows where cross_entropy does not
logits = torch.tensor([-100, -3, 0, 100])
counts = logits.exp()
probs = counts / counts.sum()
print(probs)
logits = torch.tensor([-100, -3, 0, 100]) - 100
counts = logits.exp()
probs = counts / counts.sum()
# (the two small entries are float32 subnormals, which XLA:CPU flushes to zero: docs/differences.md)
print(probs.argmax(), probs[-1], probs[:1])

for p in parameters:
    p.requires_grad = True

# overfit the 32 examples of the first five words
for _ in range(30):
    emb = C[X]  # (32, 3, 2)
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)  # (32, 100)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Y)
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -0.1 * p.grad
print(f'{loss.item():.4f}')
print(logits.max(1))
print(Y)


# build the dataset
block_size = 3  # context length: how many characters do we take to predict the next one?


def build_dataset(words):
    X, Y = [], []
    for w in words:
        # print(w)
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            # print(''.join(itos[i] for i in context), '--->', itos[ix])
            context = context[1:] + [ix]  # crop and append

    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape, Y.shape)
    return X, Y


random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))

Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

# the learning-rate search: one step per candidate rate, lr = lrs[i] a 0-d tensor
g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((27, 2), generator=g)
W1 = torch.randn((6, 100), generator=g)
b1 = torch.randn(100, generator=g)
W2 = torch.randn((100, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True

lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
print(lre[:3], lrs[:3], lrs[-1])

lri = []
lossi = []
for i in range(0, 1000, 5):
    # minibatch construct
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)

    # forward pass
    emb = C[Xtr[ix]]  # (32, 3, 2)
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)  # (32, 100)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    lr = lrs[i]
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    lri.append(lre[i])
    lossi.append(loss.item())
print(len(lri), lri[0], lri[-1])
print(' '.join(f'{x:.2f}' for x in lossi[::20]))

# the bigger net: 10-d embeddings, 200 hidden units
g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))  # number of parameters in total
for p in parameters:
    p.requires_grad = True

lri = []
lossi = []
stepi = []

for i in range(400):

    # minibatch construct
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)

    # forward pass
    emb = C[Xtr[ix]]  # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 200)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])
    # print(loss.item())

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    # lr = lrs[i]
    lr = 0.1 if i < 300 else 0.01
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    # lri.append(lre[i])
    stepi.append(i)
    lossi.append(loss.log10().item())

print(' '.join(f'{x:.3f}' for x in lossi[::50]))

emb = C[Xtr]  # (32, 3, 2)
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 100)
logits = h @ W2 + b2  # (32, 27)
loss = F.cross_entropy(logits, Ytr)
print(f'train {loss.item():.3f}')

emb = C[Xdev]  # (32, 3, 2)
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 100)
logits = h @ W2 + b2  # (32, 27)
loss = F.cross_entropy(logits, Ydev)
print(f'dev {loss.item():.3f}')

emb = C[Xte]
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
loss = F.cross_entropy(logits, Yte)
print(f'test {loss.item():.3f}')

# visualize dimensions 0 and 1 of the embedding matrix C for all characters (printed, not plotted)
for i in range(0, C.shape[0], 9):
    print(itos[i], f'{C[i, 0].item():.3f}', f'{C[i, 1].item():.3f}')
print(C[:, 0].data.shape, C.grad.shape)

# sample from the model
g = torch.Generator().manual_seed(2147483647 + 10)

for _ in range(10):

    out = []
    context = [0] * block_size  # initialize with all ...
    while True:
        emb = C[torch.tensor([context])]  # (1,block_size,d)
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        logits = h @ W2 + b2
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break

    print(''.join(itos[i] for i in out))
