# ruff: noqa: UP008, E501 (the example's style, kept)
# pytorch/examples gcn/main.py: its GraphConv/GCN model, load_cora's preprocessing (row-normalised
# features through a sparse diagonal, a sparse int64 adjacency from the citation list, eye + sparse
# self loops, D^-1/2 (A + I) D^-1/2 through sparse diagonals, to_sparse of features and adjacency),
# train_iter/test, Adam with weight decay, NLLLoss and randperm masks. The data is a Cora-like
# graph generated here with NumPy (200 papers, 50 binary word features, 4 topics; no download);
# the epoch lines leave out the example's timing field.
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import Adam


class GraphConv(nn.Module):
    def __init__(self, input_dim, output_dim, use_bias=False):
        super(GraphConv, self).__init__()
        self.kernel = nn.Parameter(torch.Tensor(input_dim, output_dim))
        nn.init.xavier_normal_(self.kernel)
        self.bias = None
        if use_bias:
            self.bias = nn.Parameter(torch.Tensor(output_dim))
            nn.init.zeros_(self.bias)

    def forward(self, input_tensor, adj_mat):
        support = torch.mm(input_tensor, self.kernel)
        output = torch.spmm(adj_mat, support)
        if self.bias is not None:
            output = output + self.bias
        return output


class GCN(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, use_bias=True, dropout_p=0.1):
        super(GCN, self).__init__()
        self.gc1 = GraphConv(input_dim, hidden_dim, use_bias=use_bias)
        self.gc2 = GraphConv(hidden_dim, output_dim, use_bias=use_bias)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, input_tensor, adj_mat):
        x = self.gc1(input_tensor, adj_mat)
        x = F.relu(x)
        x = self.dropout(x)
        x = self.gc2(x, adj_mat)
        return F.log_softmax(x, dim=1)


def synthetic_cora(num_papers=200, num_words=50, num_topics=4, num_cites=500, seed=0):
    """cora.content / cora.cites as np.genfromtxt reads them: rows of (paper id, word flags...,
    topic) as strings, and (cited, citing) paper id pairs; papers mostly cite their own topic."""
    rng = np.random.default_rng(seed)
    ids = rng.choice(np.arange(1000, 100000), num_papers, replace=False)
    topics = rng.integers(0, num_topics, num_papers)
    word_prob = rng.uniform(0.02, 0.3, (num_topics, num_words))
    words = (rng.random((num_papers, num_words)) < word_prob[topics]).astype(np.int32)
    words[3] = 0  # a paper without words (the example's inf -> 0 case)
    names = np.array(["Neural_Networks", "Theory", "Genetic_Algorithms", "Rule_Learning"])
    content = np.column_stack([ids.astype(str), words.astype(str), names[topics]])
    cites = []
    while len(cites) < num_cites:
        a, b = rng.integers(0, num_papers, 2)
        if a != b and (topics[a] == topics[b] or rng.random() < 0.15):
            cites.append((ids[a], ids[b]))
    return content, np.array(cites, dtype=np.int32)


def load_cora(content_tensor, cites_tensor, device="cpu"):
    features = torch.FloatTensor(content_tensor[:, 1:-1].astype(np.int32))
    scale_vector = torch.sum(features, dim=1)
    scale_vector = 1 / scale_vector
    scale_vector[scale_vector == float("inf")] = 0
    scale_vector = torch.diag(scale_vector).to_sparse()
    print(scale_vector.layout, scale_vector._nnz(), scale_vector.is_coalesced())
    features = scale_vector @ features
    print(features.layout, features.shape, features[:2, :6])

    classes, labels = np.unique(content_tensor[:, -1], return_inverse=True)
    labels = torch.LongTensor(labels)
    print(classes.tolist(), labels[:10])

    idx = content_tensor[:, 0].astype(np.int32)
    idx_map = {id: pos for pos, id in enumerate(idx)}
    edges = np.array(
        list(map(lambda edge: [idx_map[edge[0]], idx_map[edge[1]]], cites_tensor)), dtype=np.int32
    )

    V = len(idx)
    E = edges.shape[0]
    adj_mat = torch.sparse_coo_tensor(edges.T, torch.ones(E), (V, V), dtype=torch.int64)
    print(adj_mat.dtype, adj_mat.is_coalesced(), adj_mat._nnz(), adj_mat.coalesce()._nnz())
    print(torch.sparse_coo_tensor(edges.T[:, :3], torch.ones(3), (V, V), dtype=torch.int64))
    adj_mat = torch.eye(V) + adj_mat
    print(adj_mat.layout, adj_mat.dtype, adj_mat.sum())

    degree_mat = torch.sum(adj_mat, dim=1)
    degree_mat = torch.sqrt(1 / degree_mat)
    degree_mat[degree_mat == float("inf")] = 0
    degree_mat = torch.diag(degree_mat).to_sparse()

    adj_mat = degree_mat @ adj_mat @ degree_mat
    print(adj_mat.layout, adj_mat[:3, :3])

    return features.to_sparse().to(device), labels.to(device), adj_mat.to_sparse().to(device)


def train_iter(
    epoch, model, optimizer, criterion, input, target, mask_train, mask_val, print_every=10
):
    model.train()
    optimizer.zero_grad()

    output = model(*input)
    loss = criterion(output[mask_train], target[mask_train])

    loss.backward()
    optimizer.step()

    loss_train, acc_train = test(model, criterion, input, target, mask_train)
    loss_val, acc_val = test(model, criterion, input, target, mask_val)

    if epoch % print_every == 0:
        print(
            f"Epoch: {epoch:04d} loss_train: {loss_train:.4f} acc_train: {acc_train:.4f} loss_val: {loss_val:.4f} acc_val: {acc_val:.4f}"
        )


def test(model, criterion, input, target, mask):
    model.eval()
    with torch.no_grad():
        output = model(*input)
        output, target = output[mask], target[mask]

        loss = criterion(output, target)
        acc = (output.argmax(dim=1) == target).float().sum() / len(target)
    return loss.item(), acc.item()


device = torch.device("cpu")
torch.manual_seed(42)
print(f"Using {device} device")

content, cites = synthetic_cora()
features, labels, adj_mat = load_cora(content, cites, device=device)
print(features.is_sparse, features.layout, features.shape, features._nnz())
print(
    adj_mat.is_sparse, adj_mat.is_coalesced(), adj_mat.shape, adj_mat._nnz(), adj_mat.values()[:4]
)
print(torch.sparse.sum(adj_mat, dim=1).to_dense()[:5])
idx = torch.randperm(len(labels)).to(device)
idx_test, idx_val, idx_train = idx[:80], idx[80:120], idx[120:]

gcn = GCN(features.shape[1], 16, labels.max().item() + 1, True, 0.5).to(device)
print(gcn)
optimizer = Adam(gcn.parameters(), lr=0.05, weight_decay=5e-4)
criterion = nn.NLLLoss()

for epoch in range(20):
    train_iter(
        epoch + 1, gcn, optimizer, criterion, (features, adj_mat), labels, idx_train, idx_val, 2
    )

loss_test, acc_test = test(gcn, criterion, (features, adj_mat), labels, idx_test)
print(f"Test set results: loss {loss_test:.4f} accuracy {acc_test:.4f}")
print(gcn.gc1.kernel.grad.layout, gcn.gc1.kernel.grad.shape, gcn.gc2.bias.grad is not None)
