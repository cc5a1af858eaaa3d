# ruff: noqa: B007, UP008, UP031, UP032, E731, A001  (tutorial code, kept as the tutorials write it)
# "Deep Learning for NLP with PyTorch", condensed: the bag-of-words classifier (nn.Linear +
# F.log_softmax, make_bow_vector, NLLLoss, SGD, inspecting a weight column) and "Word Embeddings:
# Encoding Lexical Semantics" (nn.Embedding lookups, the N-gram language model, a CBOW model).
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(1)


def det_init(module, seed, scale=0.1):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.from_numpy(rng.standard_normal(p.shape).astype("float32")) * scale)


# --- Creating network components: affine maps, non-linearities, softmax -----------------------
lin = nn.Linear(5, 3)
det_init(lin, 0)
data = torch.from_numpy(np.linspace(-1, 1, 10, dtype=np.float32).reshape(2, 5))
print(lin(data))
print(F.relu(data))
v = torch.tensor([1.0, -2.0, 0.5, 3.0, 0.1])
print(v)
print(F.softmax(v, dim=0))
print(F.softmax(v, dim=0).sum())
print(F.log_softmax(v, dim=0))

# --- Logistic regression bag-of-words classifier ----------------------------------------------
data = [
    ("me gusta comer en la cafeteria".split(), "SPANISH"),
    ("Give it to me".split(), "ENGLISH"),
    ("No creo que sea una buena idea".split(), "SPANISH"),
    ("No it is not a good idea to get lost at sea".split(), "ENGLISH"),
]
test_data = [
    ("Yo creo que si".split(), "SPANISH"),
    ("it is lost on me".split(), "ENGLISH"),
]
word_to_ix = {}
for sent, _ in data + test_data:
    for word in sent:
        if word not in word_to_ix:
            word_to_ix[word] = len(word_to_ix)
print(word_to_ix)

VOCAB_SIZE = len(word_to_ix)
NUM_LABELS = 2


class BoWClassifier(nn.Module):
    def __init__(self, num_labels, vocab_size):
        super(BoWClassifier, self).__init__()
        self.linear = nn.Linear(vocab_size, num_labels)

    def forward(self, bow_vec):
        return F.log_softmax(self.linear(bow_vec), dim=1)


def make_bow_vector(sentence, word_to_ix):
    vec = torch.zeros(len(word_to_ix))
    for word in sentence:
        vec[word_to_ix[word]] += 1
    return vec.view(1, -1)


def make_target(label, label_to_ix):
    return torch.LongTensor([label_to_ix[label]])


model = BoWClassifier(NUM_LABELS, VOCAB_SIZE)
det_init(model, 1)
for param in model.parameters():
    print(param.shape, param.requires_grad, param[:, :4] if param.dim() == 2 else param)

with torch.no_grad():
    sample = data[0]
    bow_vector = make_bow_vector(sample[0], word_to_ix)
    log_probs = model(bow_vector)
    print(log_probs)

label_to_ix = {"SPANISH": 0, "ENGLISH": 1}
with torch.no_grad():
    for instance, label in test_data:
        bow_vec = make_bow_vector(instance, word_to_ix)
        log_probs = model(bow_vec)
        print(log_probs)
print(next(model.parameters())[:, word_to_ix["creo"]])

loss_function = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for epoch in range(100):
    for instance, label in data:
        model.zero_grad()
        bow_vec = make_bow_vector(instance, word_to_ix)
        target = make_target(label, label_to_ix)
        log_probs = model(bow_vec)
        loss = loss_function(log_probs, target)
        loss.backward()
        optimizer.step()

with torch.no_grad():
    for instance, label in test_data:
        bow_vec = make_bow_vector(instance, word_to_ix)
        log_probs = model(bow_vec)
        print(log_probs)
print(next(model.parameters())[:, word_to_ix["creo"]])

# --- Word embeddings ---------------------------------------------------------------------------
word_to_ix = {"hello": 0, "world": 1}
embeds = nn.Embedding(2, 5)  # 2 words in vocab, 5 dimensional embeddings
print(embeds, embeds.weight.shape, embeds.weight.requires_grad)
det_init(embeds, 2, 1.0)
lookup_tensor = torch.tensor([word_to_ix["hello"]], dtype=torch.long)
hello_embed = embeds(lookup_tensor)
print(hello_embed)

CONTEXT_SIZE = 2
EMBEDDING_DIM = 10
test_sentence = """When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;""".split()
ngrams = [
    ([test_sentence[i - j - 1] for j in range(CONTEXT_SIZE)], test_sentence[i])
    for i in range(CONTEXT_SIZE, len(test_sentence))
]
print(ngrams[:3])
vocab = sorted(set(test_sentence))
word_to_ix = {word: i for i, word in enumerate(vocab)}


class NGramLanguageModeler(nn.Module):
    def __init__(self, vocab_size, embedding_dim, context_size):
        super(NGramLanguageModeler, self).__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.linear1 = nn.Linear(context_size * embedding_dim, 128)
        self.linear2 = nn.Linear(128, vocab_size)

    def forward(self, inputs):
        embeds = self.embeddings(inputs).view((1, -1))
        out = F.relu(self.linear1(embeds))
        out = self.linear2(out)
        log_probs = F.log_softmax(out, dim=1)
        return log_probs


losses = []
loss_function = nn.NLLLoss()
model = NGramLanguageModeler(len(vocab), EMBEDDING_DIM, CONTEXT_SIZE)
det_init(model, 3)
print(model)
optimizer = optim.SGD(model.parameters(), lr=0.05)

for epoch in range(5):
    total_loss = 0
    for context, target in ngrams:
        context_idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
        model.zero_grad()
        log_probs = model(context_idxs)
        loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], dtype=torch.long))
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    losses.append(total_loss)
print([round(l, 3) for l in losses])
print(model.embeddings.weight[word_to_ix["beauty"]])
with torch.no_grad():
    context_idxs = torch.tensor([word_to_ix[w] for w in ["forty", "When"]], dtype=torch.long)
    log_probs = model(context_idxs)
    top = torch.topk(log_probs, 3, dim=1)
    print(top.values.round(decimals=3), [vocab[i] for i in top.indices[0].tolist()])

# --- Exercise: Continuous Bag-of-Words -------------------------------------------------------
CONTEXT_SIZE = 2  # 2 words to the left, 2 to the right
raw_text = """We are about to study the idea of a computational process.
Computational processes are abstract beings that inhabit computers.
As they evolve, processes manipulate other abstract things called data.
The evolution of a process is directed by a pattern of rules
called a program. People create programs to direct processes. In effect,
we conjure the spirits of the computer with our spells.""".split()
vocab = sorted(set(raw_text))
vocab_size = len(vocab)
word_to_ix = {word: i for i, word in enumerate(vocab)}
data = []
for i in range(CONTEXT_SIZE, len(raw_text) - CONTEXT_SIZE):
    context = [raw_text[i - j - 1] for j in range(CONTEXT_SIZE)] + [
        raw_text[i + j + 1] for j in range(CONTEXT_SIZE)
    ]
    target = raw_text[i]
    data.append((context, target))
print(data[:2])


class CBOW(nn.Module):
    def __init__(self, vocab_size, embedding_dim):
        super(CBOW, self).__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.linear = nn.Linear(embedding_dim, vocab_size)

    def forward(self, inputs):
        embeds = self.embeddings(inputs).sum(dim=0, keepdim=True)
        return F.log_softmax(self.linear(embeds), dim=-1)


def make_context_vector(context, word_to_ix):
    idxs = [word_to_ix[w] for w in context]
    return torch.tensor(idxs, dtype=torch.long)


print(make_context_vector(data[0][0], word_to_ix))
cbow = CBOW(vocab_size, EMBEDDING_DIM)
det_init(cbow, 4)
optimizer = optim.Adam(cbow.parameters(), lr=0.01)
for epoch in range(3):
    total_loss = 0.0
    for context, target in data:
        optimizer.zero_grad()
        log_probs = cbow(make_context_vector(context, word_to_ix))
        loss = F.nll_loss(log_probs, torch.tensor([word_to_ix[target]]))
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    print("epoch %d loss %.3f" % (epoch, total_loss / len(data)))
with torch.no_grad():
    correct = 0
    for context, target in data:
        pred = cbow(make_context_vector(context, word_to_ix)).argmax(dim=1).item()
        correct += int(pred == word_to_ix[target])
    print("accuracy %d/%d" % (correct, len(data)))
    sims = F.cosine_similarity(
        cbow.embeddings.weight[word_to_ix["processes"]].unsqueeze(0), cbow.embeddings.weight, dim=1
    )
    print(sims.shape, sims[word_to_ix["processes"]].round(decimals=4))
