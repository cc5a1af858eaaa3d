"""Sparse COO tensors against PyTorch (torchlike/_sparse.py): construction and its errors,
printing, coalescing, to_sparse/to_dense/to, the ops that keep the layout (in PyTorch's entry
order), dense products and their gradients. The other ops: tests/test_sparse_ops.py."""

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


@pytest.mark.parametrize(
    "expr",
    ["lib.sparse_coo_tensor([[0]], [1.0], (3,))", "lib.sparse_coo_tensor([[0]], [1.0], (3,), is_coalesced=False)",
     "lib.sparse_coo_tensor([[1, 0]], [1.0, 2.0], (3,), is_coalesced=True)", "lib.sparse_coo_tensor([[0]], 5.0)",
     "lib.sparse_coo_tensor(lib.tensor([[0.0, 1.0]]), [1.0, 2.0])", "lib.sparse_coo_tensor([[0, 1]], [True, False])",
     "lib.sparse_coo_tensor([[0, 1]], [1.0, 2.0], dtype=lib.int32)", "lib.sparse_coo_tensor([[0, 1]], [1, 2])",
     "lib.sparse_coo_tensor(lib.empty(2, 0, dtype=lib.long), lib.empty(0), (2, 2))",
     "lib.sparse_coo_tensor(lib.empty(1, 0, dtype=lib.long), [])", "lib.sparse_coo_tensor([[0, 3]], [1.0, 2.0], (3,))",
     "lib.sparse_coo_tensor([[0, 3], [1, 1]], [1.0, 2.0], (3, 2)).coalesce()",
     "lib.sparse_coo_tensor([[0, 3]], [1.0, 2.0], (3,)).to_dense()", "lib.sparse_coo_tensor(INDICES, lib.ones(4, 2))",
     "lib.tensor(3.0).to_sparse()", "lib.zeros(0, 3).to_sparse()", "lib.tensor([[1.0, 0], [0, 2]]).to_sparse(dense_dim=1)",
     "lib.ones(2, 2).to_sparse(layout=lib.sparse_coo)", "s.to_sparse()", "s.to_sparse(2)", "s.to(lib.float64)",
     "s.to('cpu')", "s.half()", "s.long()", "s.bool()", "s.type(lib.float64)", "s.type()", "s.double().type()",
     "s.is_contiguous()", "lib.diag(lib.tensor([1.0, 0.0, 2.0])).to_sparse()", "lib.eye(3) + s.long()",
     "lib.eye(3).long() + s", "lib.eye(3, dtype=lib.int32) + s.long()", "lib.sum(lib.eye(3) + s.long(), dim=1)"],
)  # fmt: skip
def test_construction_conversion_and_flags_match_pytorch(expr):
    def run(lib):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        return described(eval(expr, {"lib": lib, "s": s, "INDICES": INDICES}))

    theirs, ours = both(run)
    assert ours == theirs


@pytest.mark.parametrize(
    "expr",
    ["lib.sparse_coo_tensor([0, 1], [1.0, 2.0])", "lib.sparse_coo_tensor([0, 1], [1.0, 2.0], (3,))",
     "lib.sparse_coo_tensor([[0, 1]], [1.0])", "lib.sparse_coo_tensor([[0, 1]], [[1.0], [2.0]], (3,))",
     "lib.sparse_coo_tensor([[0, -1]], [1.0, 2.0])", "lib.sparse_coo_tensor([[0, 1]], [1.0, 2.0], (1, 3))",
     "lib.sparse_coo_tensor([[0, -1]], [1.0, 2.0], (3,), check_invariants=True)",
     "lib.sparse_coo_tensor([[0, 1], [3, 0]], [1.0, 2.0], (3, 3), check_invariants=True)",
     "s.indices()", "s.values()", "s.to_sparse(1)", "s.contiguous()", "s.tolist()", "s.reshape(9)",
     "s.flatten()", "s.expand(3, 3)", "s.add(lib.ones(3, 3))", "s + 1", "1 + s", "s - 1",
     "s.copy_(lib.ones(3, 3))"],
)  # fmt: skip
def test_construction_and_layout_errors_match_pytorch(expr):
    messages = []
    for lib in (torch, tl):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        with pytest.raises(Exception) as info:
            eval(expr, {"lib": lib, "s": s})
        messages.append((type(info.value).__name__, str(info.value)))
    assert messages[1] == messages[0]


@pytest.mark.parametrize(
    "expr",
    ["s.view(9)", "s.exp()", "lib.exp(s)", "lib.sigmoid(s)", "s.narrow(0, 0, 2)", "s[0:2]", "s[lib.tensor([0, 1])]",
     "s == 0", "s > s", "s.max()", "s.max(1)", "lib.max(s)", "s.mean()", "lib.softmax(s, 1)", "s.log_softmax(1)",
     "s.argmax()", "s.clamp(0, 1)", "s.fill_(1)", "s.nonzero()", "lib.nonzero(s)", "s.squeeze()", "s.cumsum(0)"],
)  # fmt: skip
def test_ops_the_sparse_backend_lacks_raise_pytorchs_dispatcher_error(expr):
    messages = []
    for lib in (torch, tl):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        with pytest.raises(NotImplementedError) as info:
            eval(expr, {"lib": lib, "s": s})
        messages.append(str(info.value).split(" If you are a Facebook")[0])
    assert messages[1] == messages[0]
    assert messages[0].startswith("Could not run 'aten::")


def test_numpy_of_a_sparse_tensor_is_refused_as_in_pytorch():
    for lib in (torch, tl):
        with pytest.raises(TypeError, match="can't convert Sparse layout tensor to numpy"):
            lib.sparse_coo_tensor(INDICES, VALUES, (3, 3)).numpy()


def test_large_sparse_tensor_prints_summarised_as_pytorch():
    rng = np.random.default_rng(1)
    idx = np.unique(rng.integers(0, 60, (2, 700)), axis=1)
    vals = rng.standard_normal(idx.shape[1]).astype(np.float32)

    def run(lib):
        s = lib.sparse_coo_tensor(idx, lib.tensor(vals), (60, 60)).coalesce()
        return repr(s), repr(s * 2), repr(s.double())

    theirs, ours = both(run)
    assert ours == theirs


def test_to_device_moves_indices_and_values():
    s = tl.sparse_coo_tensor(INDICES, VALUES, (3, 3))
    moved = s.to(tl.device("cpu"), dtype=tl.float64)
    assert moved.is_sparse and moved._indices().device == moved._values().device == moved.device
    assert moved._values().dtype is tl.float64 and moved.to_dense().dtype is tl.float64
    assert s.to("cpu") is s and s.cpu() is s


def test_values_changed_in_place_after_construction_leave_the_sparse_tensor_consistent():
    values = tl.tensor(VALUES)
    s = tl.sparse_coo_tensor(INDICES, values, (3, 3))
    values.mul_(2)
    assert s._values().tolist() == VALUES
    assert (
        s.to_dense().tolist() == tl.sparse_coo_tensor(INDICES, VALUES, (3, 3)).to_dense().tolist()
    )


def test_dense_tensors_answer_the_sparse_queries_as_pytorch():
    for lib in (torch, tl):
        t = lib.ones(2, 3)
        assert (t.sparse_dim(), t.dense_dim(), t.is_sparse, str(t.layout)) == (
            0,
            2,
            False,
            "torch.strided",
        )
    for name in ("is_coalesced", "coalesce", "indices", "values"):
        messages = []
        for lib in (torch, tl):
            with pytest.raises(RuntimeError) as info:
                getattr(lib.ones(2, 3), name)()
            messages.append(str(info.value))
        assert messages[1] == messages[0]


def test_sparse_tensors_round_trip_through_torch_save_both_ways_and_pickle():
    import io
    import pickle

    def saved(lib):
        s = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        buf = io.BytesIO()
        lib.save({"s": s, "c": s.coalesce().double()}, buf)
        return buf.getvalue()

    s = torch.sparse_coo_tensor(INDICES, VALUES, (3, 3))
    expected = [described(s), described(s.coalesce().double())]
    for writer, reader in ((torch, tl), (tl, torch), (tl, tl)):
        loaded = reader.load(io.BytesIO(saved(writer)))
        assert [described(loaded["s"]), described(loaded["c"])] == expected
    s = tl.sparse_coo_tensor(INDICES, VALUES, (3, 3))
    assert described(pickle.loads(pickle.dumps(s))) == described(s)
    assert pickle.loads(pickle.dumps(tl.sparse_coo)) is tl.sparse_coo
