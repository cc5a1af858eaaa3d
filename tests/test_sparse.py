"""Sparse COO tensors against PyTorch (torchlike/_sparse.py): construction, printing, coalescing,
the ops that keep the layout (in PyTorch's entry order), dense products and their gradients."""

import warnings

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

INDICES = [[0, 1, 1, 0], [2, 0, 2, 2]]
VALUES = [3.0, 4.0, 5.0, 1.0]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        # PyTorch warns "Sparse invariant checks are implicitly disabled"
        warnings.simplefilter("ignore")
        yield


def both(fn):
    return fn(torch), fn(tl)


def described(t):
    """What a script would print of a (possibly sparse) result."""
    if getattr(t, "is_sparse", False):
        return (
            repr(t),
            t._indices().tolist(),
            t._values().tolist(),
            t.is_coalesced(),
            str(t.layout),
        )
    return (repr(t),)


def test_sparse_coo_tensor_prints_and_describes_itself_as_pytorch():
    def build(lib):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        wide = lib.sparse_coo_tensor(lib.arange(20).view(1, 20), lib.ones(20))
        return [
            repr(s), str(type(s)), s.is_sparse, s.is_coalesced(), s._nnz(), str(s.layout), s.sparse_dim(),
            s.dense_dim(), str(s.dtype), tuple(s.shape), s.dim(), repr(wide),
            repr(lib.sparse_coo_tensor([[0, 1]], [[1.0, 2.0], [3.0, 4.0]], (3, 2))),
            repr(lib.sparse_coo_tensor([[0, 1]], [2, 3], (4,))),
            repr(lib.sparse_coo_tensor(INDICES, VALUES, dtype=lib.float64)),
            repr(lib.zeros(2, 2).to_sparse()),
            repr(lib.sparse_coo_tensor(INDICES, VALUES, (3, 3), requires_grad=True)),
            str(lib.strided), lib.zeros(1).layout is lib.strided, lib.zeros(1).is_sparse,
        ]  # fmt: skip

    ours, theirs = build(tl), build(torch)
    assert ours == theirs


def test_coalesce_indices_values_and_their_errors():
    def run(lib):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        with pytest.raises(RuntimeError) as info:
            s.indices()
        c = s.coalesce()
        return [
            str(info.value),
            *described(c),
            c.indices().tolist(),
            c.values().tolist(),
            c.coalesce() is c,
        ]

    theirs, ours = both(run)
    assert ours == theirs


@pytest.mark.parametrize(
    "expr",
    ["s + s", "s + s.t()", "c + s", "s + c", "c + c.t()", "c + c", "s * 2", "2 * s", "-s", "s / 2",
     "s.add(s, alpha=2)", "lib.add(s, s)", "lib.mul(c, 3)", "c.t()", "lib.transpose(s, 0, 1)", "s.T",
     "s.double()", "s.to(lib.float64)", "s.clone()", "s.detach()", "s.sum(dim=0)",
     "lib.sparse.sum(s, dim=1)", "lib.sparse.sum(s)", "s.sum()", "lib.sparse.sum(s, dim=(0, 1))",
     "lib.eye(3).to_sparse()", "lib.ones(3, 2).to_sparse(1)", "c.to_dense()", "lib.ones(3, 3) + s",
     "lib.add(lib.ones(3, 3), s)"],
)  # fmt: skip
def test_ops_keep_pytorchs_layout_order_and_coalesced_flag(expr):
    def run(lib):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        c = s.coalesce()
        return described(eval(expr, {"lib": lib, "s": s, "c": c}))

    theirs, ours = both(run)
    assert ours == theirs


@pytest.mark.parametrize(
    "expr",
    ["s + lib.ones(3, 3)", "s + lib.sparse_coo_tensor(INDICES, VALUES, (4, 3))",
     "lib.sparse_coo_tensor(INDICES, VALUES[:3], (3, 3))", "lib.sparse_coo_tensor(INDICES, VALUES, (3,))",
     "lib.sparse_coo_tensor(INDICES, lib.ones(4, 2), (3, 3, 2)).t()"],
)  # fmt: skip
def test_errors_match_pytorch(expr):
    messages = []
    for lib in (torch, tl):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        with pytest.raises(RuntimeError) as info:
            eval(expr, {"lib": lib, "s": s, "INDICES": INDICES, "VALUES": VALUES})
        messages.append(str(info.value))
    assert messages[1] == messages[0]


def test_sparse_dense_products_and_gradients_match_pytorch():
    x0 = np.random.default_rng(0).standard_normal((3, 2)).astype(np.float32)

    def run(lib):
        values = lib.tensor(VALUES, requires_grad=True)
        s = lib.sparse_coo_tensor(INDICES, values, (3, 3))
        x = lib.tensor(x0, requires_grad=True)
        outs = [lib.sparse.mm(s, x), lib.spmm(s, x), s @ x, lib.mm(s, x), lib.matmul(s, x)]
        sum(o.sum() for o in outs).backward()
        return (
            [o.grad_fn.name() for o in outs],
            [o.detach().numpy() for o in outs],
            x.grad.numpy(),
            values.grad.numpy(),
        )

    (names_t, outs_t, gx_t, gv_t), (names, outs, gx, gv) = both(run)
    assert names == names_t
    for a, b in zip(outs, outs_t):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(gx, gx_t, rtol=1e-6)
    np.testing.assert_allclose(gv, gv_t, rtol=1e-6)


def test_creation_functions_take_size_as_a_keyword():
    for fn in ("zeros", "ones", "empty", "rand", "randn"):
        assert tuple(getattr(tl, fn)(size=(2, 3)).shape) == (2, 3)
        with pytest.raises(TypeError, match=f"{fn}\\(\\) got multiple values for argument 'size'"):
            getattr(tl, fn)(2, size=(2,))
    tl.manual_seed(0)
    torch.manual_seed(0)
    assert tl.randn(size=(4,)).tolist() == torch.randn(size=(4,)).tolist()
