# ruff: noqa: UP008, E501 (the examples' style, kept)
# pytorch/examples gcn and gat on a tiny synthetic graph (two communities) instead of Cora: a sparse
# COO adjacency (symmetrised, self loops, degree-normalised), torch.spmm / torch.sparse.mm in a
# graph convolution, and a multi-head graph attention layer (LeakyReLU scores, masked softmax, ELU),
# trained with Adam + weight decay, NLLLoss and accuracy.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(42)

# -- the graph ------------------------------------------------------------------------------------------
num_nodes, num_features, num_classes = 12, 6, 2
labels = torch.tensor([0] * 6 + [1] * 6)
features = torch.rand(num_nodes, num_features) + labels.unsqueeze(1) * torch.linspace(
    0, 1, num_features
)
features = features / features.sum(1, keepdim=True)  # row-normalise
edges = torch.tensor([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0], [0, 3], [6, 7], [7, 8], [8, 9], [9, 10],
                      [10, 11], [11, 6], [6, 9], [2, 8]])  # fmt: skip
adj = torch.sparse_coo_tensor(edges.T, torch.ones(len(edges)), (num_nodes, num_nodes))
print(adj)
adj = adj + adj.t()  # symmetric
adj = (adj + torch.eye(num_nodes).to_sparse()).coalesce()  # self loops
print(
    adj.is_sparse,
    adj.is_coalesced(),
    adj.layout,
    adj._nnz(),
    adj.indices().shape,
    adj.values().dtype,
)
deg = torch.sparse.sum(adj, dim=1).to_dense()
print("degrees", deg)
d_inv_sqrt = deg.pow(-0.5)
idx = adj.indices()
norm_values = d_inv_sqrt[idx[0]] * adj.values() * d_inv_sqrt[idx[1]]
adj_norm = torch.sparse_coo_tensor(idx, norm_values, adj.shape)
print(adj_norm.to_dense()[:3, :4])
print(torch.allclose(adj_norm.to_dense().sum(), torch.tensor(norm_values.sum().item())))
train_idx, test_idx = torch.tensor([0, 1, 6, 7]), torch.tensor([2, 3, 4, 5, 8, 9, 10, 11])


# -- GCN ------------------------------------------------------------------------------------------------
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


def train_iter(
    epoch, model, optimizer, criterion, input, target, mask_train, mask_val, print_every=10
):
    start_t = 0
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
            f"Epoch {epoch:04d} ({start_t:.0f}s) | loss train: {loss_train:.4f} | acc train: {acc_train:.4f} | "
            f"loss val: {loss_val:.4f} | acc val: {acc_val:.4f}"
        )


def test(model, criterion, input, target, mask):
    model.eval()
    with torch.no_grad():
        output = model(*input)
        output, target = output[mask], target[mask]
        loss = criterion(output, target)
        acc = (output.argmax(dim=1) == target).float().sum() / len(target)
    return loss.item(), acc.item()


gcn = GCN(num_features, 8, num_classes)
print(gcn)
print(gcn.gc1.kernel[:2])
optimizer = torch.optim.Adam(gcn.parameters(), lr=0.05, weight_decay=5e-4)
criterion = nn.NLLLoss()
for epoch in range(30):
    train_iter(
        epoch + 1,
        gcn,
        optimizer,
        criterion,
        (features, adj_norm),
        labels,
        train_idx,
        test_idx,
        print_every=10,
    )
loss_test, acc_test = test(gcn, criterion, (features, adj_norm), labels, test_idx)
print(f"Test set results: loss {loss_test:.4f} accuracy {acc_test:.4f}")
x = torch.randn(num_nodes, 3)
print(
    torch.allclose(torch.sparse.mm(adj_norm, x), adj_norm.to_dense() @ x, atol=1e-6),
    (adj_norm @ x).shape,
)


# -- GAT ------------------------------------------------------------------------------------------------
class GraphAttentionLayer(nn.Module):
    def __init__(
        self,
        in_features: int,
        out_features: int,
        n_heads: int,
        concat: bool = False,
        dropout: float = 0.4,
        leaky_relu_slope: float = 0.2,
    ):
        super(GraphAttentionLayer, self).__init__()

        self.n_heads = n_heads  # Number of attention heads
        self.concat = concat  # wether to concatenate the final attention heads
        self.dropout = dropout  # Dropout rate

        if concat:  # concatenating the attention heads
            self.out_features = out_features  # Number of output features per node
            assert out_features % n_heads == 0  # Ensure that out_features is a multiple of n_heads
            self.n_hidden = out_features // n_heads
        else:  # averaging output over the attention heads (Used in the main paper)
            self.n_hidden = out_features

        #  A shared linear transformation, parametrized by a weight matrix W is applied to every node
        #  Initialize the weight matrix W
        self.W = nn.Parameter(torch.empty(size=(in_features, self.n_hidden * n_heads)))

        # Initialize the attention weights a
        self.a = nn.Parameter(torch.empty(size=(n_heads, 2 * self.n_hidden, 1)))

        self.leakyrelu = nn.LeakyReLU(leaky_relu_slope)  # LeakyReLU activation function
        # softmax activation function to the attention coefficients
        self.softmax = nn.Softmax(dim=1)

        self.reset_parameters()  # Reset the parameters

    def reset_parameters(self):
        nn.init.xavier_normal_(self.W)
        nn.init.xavier_normal_(self.a)

    def _get_attention_scores(self, h_transformed: torch.Tensor):
        source_scores = torch.matmul(h_transformed, self.a[:, : self.n_hidden, :])
        target_scores = torch.matmul(h_transformed, self.a[:, self.n_hidden :, :])

        # broadcast add
        # (n_heads, n_nodes, 1) + (n_heads, 1, n_nodes) = (n_heads, n_nodes, n_nodes)
        e = source_scores + target_scores.mT
        return self.leakyrelu(e)

    def forward(self, h: torch.Tensor, adj_mat: torch.Tensor):
        n_nodes = h.shape[0]

        # Apply linear transformation to node feature -> W h
        # output shape (n_nodes, n_hidden * n_heads)
        h_transformed = torch.mm(h, self.W)
        h_transformed = F.dropout(h_transformed, self.dropout, training=self.training)

        # splitting the heads by reshaping the tensor and putting heads dim first
        # output shape (n_heads, n_nodes, n_hidden)
        h_transformed = h_transformed.view(n_nodes, self.n_heads, self.n_hidden).permute(1, 0, 2)

        # getting the attention scores
        # output shape (n_heads, n_nodes, n_nodes)
        e = self._get_attention_scores(h_transformed)

        # Set the attention score for non-existent edges to -9e15 (MASKING NON-EXISTENT EDGES)
        connectivity_mask = -9e16 * torch.ones_like(e)
        e = torch.where(adj_mat > 0, e, connectivity_mask)  # masked attention scores

        # attention coefficients are computed as a softmax over the rows
        # for each column j in the attention score matrix e
        attention = F.softmax(e, dim=-1)
        attention = F.dropout(attention, self.dropout, training=self.training)

        # final node embeddings are computed as a weighted average of the features of its neighbors
        h_prime = torch.matmul(attention, h_transformed)

        # concatenating/averaging the attention heads
        # output shape (n_nodes, out_features)
        if self.concat:
            h_prime = h_prime.permute(1, 0, 2).contiguous().view(n_nodes, self.out_features)
        else:
            h_prime = h_prime.mean(dim=0)

        return h_prime


class GAT(nn.Module):
    def __init__(
        self,
        in_features,
        n_hidden,
        n_heads,
        num_classes,
        concat=False,
        dropout=0.4,
        leaky_relu_slope=0.2,
    ):
        super(GAT, self).__init__()

        # Define the Graph Attention layers
        self.gat1 = GraphAttentionLayer(
            in_features=in_features,
            out_features=n_hidden,
            n_heads=n_heads,
            concat=concat,
            dropout=dropout,
            leaky_relu_slope=leaky_relu_slope,
        )

        self.gat2 = GraphAttentionLayer(
            in_features=n_hidden,
            out_features=num_classes,
            n_heads=1,
            concat=False,
            dropout=dropout,
            leaky_relu_slope=leaky_relu_slope,
        )

    def forward(self, input_tensor: torch.Tensor, adj_mat: torch.Tensor):
        # Apply the first Graph Attention layer
        x = self.gat1(input_tensor, adj_mat)
        x = F.elu(x)  # Apply ELU activation function to the output of the first layer

        # Apply the second Graph Attention layer
        x = self.gat2(x, adj_mat)

        return F.log_softmax(x, dim=1)  # Apply log softmax activation function


dense_adj = adj.to_dense()
gat = GAT(
    in_features=num_features,
    n_hidden=8,
    n_heads=4,
    num_classes=num_classes,
    concat=True,
    dropout=0.2,
)
print(gat)
print(gat.gat1.a.shape, gat.gat1.W.shape)
optimizer = torch.optim.Adam(gat.parameters(), lr=0.01, weight_decay=5e-4)
criterion = nn.NLLLoss()
for epoch in range(20):
    train_iter(
        epoch + 1,
        gat,
        optimizer,
        criterion,
        (features, dense_adj),
        labels,
        train_idx,
        test_idx,
        print_every=5,
    )
loss_test, acc_test = test(gat, criterion, (features, dense_adj), labels, test_idx)
print(f"Test set results: loss {loss_test:.4f} accuracy {acc_test:.4f}")
