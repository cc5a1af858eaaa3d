"""The ops on COO tensors against PyTorch (torchlike/_sparse_ops.py, torchlike/_sparse_shape.py):
which entries a result keeps, in which order, coalesced or not, its values, dtype and grad_fn name;
in-place ops; products with sparse and dense operands and their gradients (a GCN layer's)."""

import warnings

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

INDICES = [[0, 1, 1, 0], [2, 0, 2, 2]]
VALUES = [3.0, -4.0, 5.0, 1.0]
OTHER = ([[1, 2, 0], [2, 2, 2]], [2.0, 7.0, 1.0])


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        # PyTorch warns "Sparse invariant checks are implicitly disabled"
        warnings.simplefilter("ignore")
        yield


def described(t):
    """What a script would print of a (possibly sparse) result, rounded to float32 noise."""
    if isinstance(t, tuple):
        return [described(x) for x in t]
    if not hasattr(t, "layout"):
        return t
    name = t.grad_fn.name() if t.grad_fn is not None else None
    if t.is_sparse:
        values = _rounded(t._values())
        return (
            "sparse",
            tuple(t.shape),
            str(t.dtype),
            t._indices().tolist(),
            values,
            t.is_coalesced(),
            name,
        )
    return ("dense", tuple(t.shape), str(t.dtype), _rounded(t), name)


def _rounded(t) -> str:
    a = np.asarray(t.detach().tolist(), dtype=np.float64)
    return np.array2string(a, formatter={"float_kind": lambda v: f"{v:.5g}"}, threshold=10**6)


def compare(expr, grad=False):
    def run(lib):
        values = lib.tensor(VALUES, requires_grad=grad)
        s = lib.sparse_coo_tensor(INDICES, values, (3, 3))
        names = {"lib": lib, "s": s, "c": s.coalesce(), "d": lib.arange(9.0).view(3, 3)}
        names["o"] = lib.sparse_coo_tensor(*OTHER, (3, 3))
        names["oc"] = names["o"].coalesce()
        return described(eval(expr, names))

    assert run(tl) == run(torch)


@pytest.mark.parametrize(
    "expr",
    ["s * 2.5", "s * lib.tensor(2.0)", "s.long() * 2.5", "s.long() / 2", "s * True", "c * oc", "oc * c", "c * o",
     "o * c", "s * oc", "oc * s", "s * o", "c * s", "s * s", "lib.mul(c, s)", "d * s", "s * d",
     "lib.ones(3) * s", "s * lib.ones(3, 1)", "lib.mul(d, s)", "s.multiply(d)", "s / 2", "s // 2",
     "s.div(2, rounding_mode='floor')", "s + o", "o + s", "c + oc", "s - o", "s.sub(o, alpha=2)",
     "s + lib.sparse_coo_tensor(INDICES, [1, 2, 3, 4], (3, 3))", "d + s", "d - s", "lib.add(d, s, alpha=2)",
     "-s", "s.neg()", "s ** 2", "s.pow(0.5)", "abs(s)"],
)  # fmt: skip
def test_arithmetic_keeps_pytorchs_entries_order_and_flag(expr):
    compare(expr.replace("INDICES", str(INDICES)))


@pytest.mark.parametrize(
    "name",
    ["abs", "relu", "sign", "sgn", "floor", "ceil", "round", "trunc", "frac", "square", "sqrt", "log1p", "sin",
     "tan", "tanh", "asin", "atan", "sinh", "asinh", "atanh", "erf", "erfinv", "deg2rad", "rad2deg",
     "nan_to_num", "isnan", "isinf", "signbit"],
)  # fmt: skip
def test_zero_preserving_functions_coalesce_then_apply(name):
    compare(f"s.{name}()", grad=name not in ("isnan", "isinf", "signbit"))
    compare(f"lib.{name}(s)")


@pytest.mark.parametrize(
    "expr",
    ["s * 2", "s * d", "s * s", "s / 2", "-s", "s.abs()", "s.relu()", "s ** 2", "s.t()", "s.transpose(0, 1)",
     "s.permute(1, 0)", "s.mT", "s.coalesce()", "s.to_dense()", "s + s", "s - s", "lib.sparse.sum(s, 1)",
     "s.sum(1)", "s.sum()", "lib.sparse.sum(s)", "s.double()", "s.clone()", "s.detach()", "s[0]",
     "s.select(0, 1)", "s.unsqueeze(0)", "s.index_select(0, lib.tensor([0]))", "lib.sparse.softmax(s, 1)",
     "lib.sparse.log_softmax(s, 1)", "s.to_dense().to_sparse()", "d.sparse_mask(c)"],
)  # fmt: skip
def test_results_carry_pytorchs_grad_fn_names(expr):
    compare(expr, grad=True)


@pytest.mark.parametrize(
    "expr",
    ["s.t()", "c.t()", "c.t().t()", "s.T", "s.mT", "lib.t(s)", "lib.transpose(s, 0, 1)", "s.permute(1, 0)",
     "c.permute(0, 1)", "s.unsqueeze(1)", "s.unsqueeze(-1)", "c.unsqueeze(0)", "s.select(0, 1)", "s.select(1, 2)",
     "c.select(0, 1)", "s[1]", "s[:, 2]", "s[-1]", "s[1, 2]", "s.index_select(0, lib.tensor([1, 0, 1]))",
     "c.index_select(1, lib.tensor([2, 0]))", "s.unbind(0)", "lib.sparse_coo_tensor(INDICES, lib.ones(4, 2)).select(2, 1)",
     "lib.sparse_coo_tensor(INDICES, lib.ones(4, 2)).transpose(0, 1)", "s.sum(0)", "s.sum(-1)",
     "lib.sum(s, 1, keepdim=True)", "s.sum(0, keepdim=True)", "lib.sum(s, (0, 1), keepdim=True)",
     "s.sum(dtype=lib.float64)", "s.long().sum()", "lib.sparse.sum(s.long(), 1)", "s.sum(1, dtype=lib.float64)",
     "lib.sparse.sum(lib.sparse_coo_tensor(INDICES, lib.ones(4, 2)), 2)",
     "lib.sparse.sum(lib.sparse_coo_tensor(INDICES, lib.ones(4, 2)), (0, 1))",
     "lib.sparse.softmax(s, 0)", "lib.sparse.softmax(s, -1)", "lib.sparse.softmax(s, 1, dtype=lib.float64)",
     "lib.sparse.softmax(lib.sparse_coo_tensor(INDICES, lib.ones(4, 2)), 2)", "d.sparse_mask(c)", "s.sparse_mask(c)"],
)  # fmt: skip
def test_shape_ops_and_reductions_match_pytorch(expr):
    compare(expr.replace("INDICES", str(INDICES)))


@pytest.mark.parametrize(
    "expr",
    ["s @ s", "c @ c", "lib.mm(s, s)", "lib.matmul(c, c)", "lib.spmm(s, s)", "s.matmul(s)", "lib.sparse.mm(c, oc)",
     "oc @ c", "lib.sparse.mm(s, lib.sparse_coo_tensor([[2, 2], [0, 0]], [1.0, -1.0], (3, 3)))",
     "lib.sparse_coo_tensor([[0], [0]], [0.0], (3, 3)) @ s", "s @ d", "d @ s", "lib.mm(d, s)", "lib.spmm(s, d)",
     "lib.sparse.mm(s, d)", "lib.sparse.mm(d, s)", "s @ lib.ones(3)", "lib.ones(3) @ s",
     "lib.matmul(lib.ones(2, 3), s)", "lib.sparse.addmm(lib.ones(3, 3), s, d, beta=2, alpha=0.5)",
     "lib.diag(lib.tensor([1.0, 0.0, 2.0])).to_sparse() @ d @ lib.diag(lib.tensor([1.0, 0.0, 2.0])).to_sparse()"],
)  # fmt: skip
def test_matrix_products_match_pytorch(expr):
    compare(expr)


@pytest.mark.parametrize(
    "expr",
    ["s.mul_(2.5)", "s.div_(2)", "s.add_(s)", "s.add_(lib.sparse_coo_tensor(INDICES, [1, 2, 3, 4], (3, 3)))",
     "s.sub_(c)", "s.neg_()", "s.zero_()", "s.copy_(c)", "s.t_()", "c.abs_()", "c.sqrt_()", "c.mul_(c)",
     "s.mul_(lib.ones(3, 3))", "s.__imul__(3)", "s.__iadd__(c)"],
)  # fmt: skip
def test_inplace_ops_rebind_the_sparse_tensor(expr):
    def run(lib):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        c = s.coalesce()
        names = {"lib": lib, "s": s, "c": c}
        out = eval(expr.replace("INDICES", str(INDICES)), names)
        target = c if expr.startswith("c.") else s
        return out is target, described(target), described(target.to_dense())

    assert run(tl) == run(torch)


@pytest.mark.parametrize(
    "expr",
    ["s.abs_()", "s.relu_()", "lib.sparse_coo_tensor(INDICES, [1, 2, 3, 4], (3, 3)).mul_(2.5)",
     "lib.sparse_coo_tensor(INDICES, [1, 2, 3, 4], (3, 3)).add_(s)", "s / d", "d / s",
     "s * lib.sparse_coo_tensor([[0, 1]], [1.0, 2.0], (3,))", "s.pow(0)", "s.mm(lib.ones(3, 2).long())",
     "s.permute(0)", "s.select(0, 5)"],
)  # fmt: skip
def test_op_errors_match_pytorch(expr):
    messages = []
    for lib in (torch, tl):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        names = {"lib": lib, "s": s, "d": lib.ones(3, 3)}
        with pytest.raises(Exception) as info:
            eval(expr.replace("INDICES", str(INDICES)), names)
        messages.append((type(info.value).__name__, str(info.value)))
    assert messages[1] == messages[0]


def test_gcn_layer_gradients_reach_the_dense_side_as_in_pytorch():
    """pytorch/examples gcn: support = mm(features, W); out = spmm(adj, support) + b, with the
    adjacency D^-1/2 (A + I) D^-1/2 built through sparse diagonals and sparse features."""
    rng = np.random.default_rng(0)
    feats = (rng.random((6, 5)) < 0.4).astype(np.float32)
    edges = np.array([[0, 1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 0, 3]])
    w0, b0 = (
        rng.standard_normal((5, 3)).astype(np.float32),
        rng.standard_normal(3).astype(np.float32),
    )

    def run(lib):
        adj = lib.sparse_coo_tensor(edges, lib.ones(7), (6, 6), dtype=lib.int64)
        adj = lib.eye(6) + adj
        deg = lib.diag(lib.sqrt(1 / lib.sum(adj, dim=1))).to_sparse()
        adj = (deg @ adj @ deg).to_sparse()
        features = lib.tensor(feats).to_sparse()
        w, b = lib.tensor(w0, requires_grad=True), lib.tensor(b0, requires_grad=True)
        out = lib.spmm(adj, lib.mm(features, w)) + b
        loss = lib.nn.functional.log_softmax(out, dim=1)[:, 0].sum()
        loss.backward()
        return out.detach().numpy(), w.grad.numpy(), b.grad.numpy(), out.grad_fn.name()

    ours, theirs = run(tl), run(torch)
    for a, b in zip(ours[:3], theirs[:3]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert ours[3] == theirs[3]


@pytest.mark.parametrize("product", ["lib.sparse.mm(leaf, x)", "leaf @ x", "lib.spmm(leaf, x)"])
def test_sparse_leaf_gradient_at_its_entries_matches_pytorch(product):
    """A sparse leaf's .grad is dense here (PyTorch's is sparse after torch.sparse.mm, dense after
    mm/@): the values at the leaf's entries agree."""
    x0 = np.random.default_rng(1).standard_normal((3, 2)).astype(np.float32)

    def run(lib):
        leaf = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3), requires_grad=True)
        x = lib.tensor(x0, requires_grad=True)
        (eval(product, {"lib": lib, "leaf": leaf, "x": x}) ** 2).sum().backward()
        return (
            described(leaf),
            leaf.grad.to_dense()[tuple(INDICES)].tolist(),
            x.grad.numpy().round(5).tolist(),
        )

    ours, theirs = run(tl), run(torch)
    assert ours[0] == theirs[0] and ours[2] == theirs[2]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)


def test_sparse_products_gradients_match_pytorch():
    x0 = np.random.default_rng(2).standard_normal((3, 3)).astype(np.float32)

    def run(lib):
        values = lib.tensor(VALUES, requires_grad=True)
        x = lib.tensor(x0, requires_grad=True)
        s = lib.sparse_coo_tensor(INDICES, values, (3, 3))
        outs = [(s * x).to_dense(), (s @ s).to_dense(), lib.sparse.mm(s, s).to_dense(), x @ s,
                lib.sparse.softmax(s, 1).to_dense(), lib.sparse.sum(s * 2, 0).to_dense(), (s.t() + s).to_dense()]  # fmt: skip
        sum((o * (k + 1)).sum() for k, o in enumerate(outs)).backward()
        return values.grad.numpy(), x.grad.numpy()

    for a, b in zip(run(tl), run(torch)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
