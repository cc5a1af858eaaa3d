# ruff: noqa: B007  (the lecture's code, kept as written)
# Andrej Karpathy, "Neural Networks: Zero to Hero", lecture 2: "The spelled-out intro to language
# modeling: building makemore" (makemore part 1). The bigram character model two ways: counts in a
# 27x27 table filled one bigram at a time, normalised and sampled with torch.multinomial and a seeded
# Generator, its negative log likelihood; then the same model as a one-layer network trained by
# gradient descent (one-hot inputs, softmax by hand, W.data += -lr * W.grad). Adapted: names.txt is
# replaced by a short list of names (repeated), fewer training steps, fewer samples.
import torch
import torch.nn.functional as F

words = ("emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily elizabeth "
         "mila ella avery sofia camila aria scarlett victoria madison luna grace chloe penelope layla "
         "riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella natalie zoe leah "
         "hazel violet aurora savannah audrey brooklyn bella claire skylar lucy paisley everly anna "
         "caroline nova genesis emilia kennedy samantha maya willow kinsley naomi aaliyah elena sarah "
         "ariana allison gabriella alice madelyn cora ruby eva serenity autumn adeline hailey gianna "
         "valentina isla eliana quinn nevaeh ivy sadie piper lydia alexa josephine emery julia").split() * 4
print(len(words), words[:5], min(len(w) for w in words), max(len(w) for w in words))

b = {}
for w in words:
    chs = ['<S>'] + list(w) + ['<E>']
    for ch1, ch2 in zip(chs, chs[1:]):
        bigram = (ch1, ch2)
        b[bigram] = b.get(bigram, 0) + 1
print(sorted(b.items(), key=lambda kv: -kv[1])[:5])

N = torch.zeros((27, 27), dtype=torch.int32)
chars = sorted(list(set(''.join(words))))
chars = sorted(set(chars) | set('abcdefghijklmnopqrstuvwxyz'))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        N[ix1, ix2] += 1

print(N[0, :10], N.dtype, N.sum())
print(N[stoi['a'], stoi['n']].item(), N[:, 0].sum().item())

p = N[0].float()
p = p / p.sum()
print(p[:6])

g = torch.Generator().manual_seed(2147483647)
p = torch.rand(3, generator=g)
p = p / p.sum()
print(p)
print(torch.multinomial(p, num_samples=20, replacement=True, generator=g))

P = (N + 1).float()
P /= P.sum(1, keepdims=True)
print(P.shape, P[0].sum().item() > 0.999, P[5, :4])

g = torch.Generator().manual_seed(2147483647)
for i in range(5):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print(''.join(out))

log_likelihood = 0.0
n = 0
for w in words[:3]:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        prob = P[ix1, ix2]
        logprob = torch.log(prob)
        log_likelihood += logprob
        n += 1
        print(f'{ch1}{ch2}: {prob:.4f} {logprob:.4f}')
print(f'{log_likelihood=}')
nll = -log_likelihood
print(f'{nll=}')
print(f'{nll/n}')

# ---- the neural network version -------------------------------------------------------------
xs, ys = [], []
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
num = xs.nelement()
print('number of examples: ', num)

xenc = F.one_hot(xs, num_classes=27).float()
print(xenc.shape, xenc.dtype, xenc[:3].nonzero().tolist())

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)

for k in range(20):
    # forward pass
    xenc = F.one_hot(xs, num_classes=27).float()  # input to the network: one-hot encoding
    logits = xenc @ W  # predict log-counts
    counts = logits.exp()  # counts, equivalent to N
    probs = counts / counts.sum(1, keepdims=True)  # probabilities for next character
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W**2).mean()
    if k % 5 == 0:
        print(k, f'{loss.item():.4f}')

    # backward pass
    W.grad = None  # set to zero the gradient
    loss.backward()

    # update
    W.data += -50 * W.grad
print(f'{loss.item():.4f}')

g = torch.Generator().manual_seed(2147483647)
for i in range(5):
    out = []
    ix = 0
    while True:
        xenc = F.one_hot(torch.tensor([ix]), num_classes=27).float()
        logits = xenc @ W  # predict log-counts
        counts = logits.exp()  # counts, equivalent to N
        p = counts / counts.sum(1, keepdims=True)  # probabilities for next character
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print(''.join(out))
