"""Small CPU tensors on the host: exact ops computed by NumPy at once (torchlike/_host_eval.py).

Loops that build tensors element by element (bigram counts, confusion matrices, one-hot lines,
padded batches) give PyTorch's values and dtypes and run no program at all; every shortcut op
gives bit for bit what PyTorch and the recorded program give; what the shortcut does not cover
(autograd, large tensors, non-finite casts to integers) is recorded as before.
"""

import numpy as np
import pytest

import torchlike as tl
from torchlike._engine import metrics

pt = pytest.importorskip("torch")


def _no_programs(fn):
    """fn(tl)'s result, asserting that no program ran (nothing pending either)."""
    from torchlike._context import state

    tl.sync()
    before = metrics.counters()["executions"]
    out = fn(tl)
    assert metrics.counters()["executions"] == before, "a program ran"
    assert state.graph is None or not state.graph.nodes, "ops were recorded"
    return out


def _same(got, want):
    assert str(got.dtype) == str(want.dtype) and tuple(got.shape) == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def _bigrams(lib):
    words = ["emma", "olivia", "ava", "isabella", "sophia", "mia"] * 5
    stoi = {c: i + 1 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
    stoi["."] = 0
    n = lib.zeros((27, 27), dtype=lib.int32)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            n[stoi[a], stoi[b]] += 1
    return n


def _confusion(lib):
    conf = lib.zeros(5, 5)
    g = np.random.default_rng(0)
    for a, b in g.integers(0, 5, (60, 2)):
        conf[int(a)][int(b)] += 1
    return conf


def test_confusion_matrix_normalised_by_its_row_sums():
    """(the sums are programs: a float reduction's order is not NumPy's to choose)"""
    got, want = _confusion(tl), _confusion(pt)
    for i in range(5):
        got[i] = got[i] / got[i].sum()
        want[i] = want[i] / want[i].sum()
    _same(got, want)


def _one_hot_line(lib):
    letters = "abcdefghij"
    t = lib.zeros(6, 1, len(letters))
    for li, ch in enumerate("badge!"):
        if ch in letters:
            t[li][0][letters.index(ch)] = 1
    return t


def _padded(lib):
    seqs = [[3, 1, 4], [1, 5], [9, 2, 6, 5], [3]]
    out = lib.zeros((len(seqs), max(map(len, seqs)))).long()
    for i, s in enumerate(seqs):
        out[i, : len(s)] = lib.LongTensor(s)
    return out


def _masks_and_casts(lib):
    x = lib.tensor([[1.5, -2.0, 3.25], [0.0, 7.0, -0.5]])
    x[x < 0] = 0
    y = (x * 3 - 1) / 7
    flags = (y > 0.2) | (y == 0)
    z = y.to(lib.float64) + 1
    i = (x * 10).long()
    i[0, 1:] = i[0, 1:] + lib.tensor([5, 6])
    odd = (i % 2 == 1) & ~(i > 30) ^ flags.logical_not() | (-i // 3 == -5) | (-i % 4 == 2)
    picked = lib.where(flags, y, -y).abs()
    return [x, y, flags, z, i, -i, i.t()[1:], x.reshape(3, 2)[1], lib.ones(2, 3, dtype=lib.int8) * 3, odd,
            picked, lib.logical_or(flags, odd)]


@pytest.mark.parametrize("build", [_bigrams, _confusion, _one_hot_line, _padded], ids=lambda f: f.__name__[1:])
def test_element_by_element_loops_match_pytorch_without_programs(build):
    _same(_no_programs(build), build(pt))


def test_masks_casts_and_arithmetic_match_pytorch_without_programs():
    got = _no_programs(_masks_and_casts)
    for g, w in zip(got, _masks_and_casts(pt)):
        _same(g, w)


_BINARY = ["add", "sub", "mul", "div", "eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum"]
_DTYPES = ["float32", "float64", "int32", "int64", "uint8", "float16"]


@pytest.mark.parametrize("dtype", _DTYPES)
@pytest.mark.parametrize("name", _BINARY)
def test_each_op_is_bit_for_bit_pytorch_and_the_program(name, dtype, no_host_eval_switch):
    g = np.random.default_rng(1)
    raw = [g.standard_normal((4, 5)) * 50, g.standard_normal((5,)) * 50, g.standard_normal(()) * 3]
    if dtype.startswith(("int", "uint")):
        raw = [np.abs(np.trunc(r)) + 1 for r in raw]
    a, b, s = (r.astype(dtype) for r in raw)
    scalar = 2.5 if dtype.startswith("float") else 3

    def run(lib):
        x, y, z = lib.tensor(a), lib.tensor(b), lib.tensor(s)
        f = getattr(lib, name)
        if name in ("maximum", "minimum"):  # (tensors only)
            return [f(x, y), f(x, z), f(z, x)]
        return [f(x, y), f(x, scalar), f(x, z), f(z, x)]

    want = run(pt)
    host = _no_programs(run)
    with no_host_eval_switch():
        recorded = run(tl)
    for h, r, w in zip(host, recorded, want):
        _same(h, w)
        _same(r, w)


@pytest.mark.parametrize("src", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("dst", ["float32", "float64", "int32", "int64", "uint8", "bool", "float16"])
def test_casts_are_pytorchs(src, dst):
    g = np.random.default_rng(2)
    a = (g.standard_normal(20) * 100).astype(src) if src != "bool" else g.standard_normal(20) > 0
    if dst == "uint8" and src != "bool":
        a = np.abs(a)
    _same(_no_programs(lambda lib: lib.tensor(a).to(getattr(lib, dst))), pt.tensor(a).to(getattr(pt, dst)))


def test_views_written_through_and_read_back_like_pytorch():
    def run(lib):
        n = lib.zeros(4, 5, dtype=lib.int64)
        row = n[1]
        n[1, 2] = 7
        row[0] = 3
        col = n[:, 4]
        col += 2
        n.t()[3, 0] = 9
        tail = n.view(-1)[15:]
        tail.mul_(4)
        return [n, row, col, tail]

    for g, w in zip(_no_programs(run), run(pt)):
        _same(g, w)


def test_from_numpy_arrays_see_the_writes():
    a = np.zeros((3, 4), np.float32)
    t = tl.from_numpy(a)
    t[1, 2] = 5
    t[0] += 1
    assert a[1, 2] == 5 and (a[0] == 1).all()
    b = t.numpy()
    t[2, 3] = 8
    assert b[2, 3] == 8


def test_results_never_share_an_input_array():
    x = tl.zeros(3, 3)
    y = x.clone()
    z = x + 0
    x[0, 0] = 1
    assert y[0, 0].item() == 0 and z[0, 0].item() == 0
    for t in (y, z):
        assert not np.shares_memory(t._data, x._data)


def test_errors_are_pytorchs():
    for lib in (pt, tl):
        x = lib.zeros(3, dtype=lib.int64)
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
            x += 1.5
        with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(4\)"):
            lib.zeros(3) + lib.zeros(4)
        with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
            x[5] = 1


def test_what_the_shortcut_leaves_to_programs():
    from torchlike._context import state

    w = tl.zeros(3, requires_grad=True)
    y = w * 2  # autograd: recorded, with its grad_fn
    assert type(y.grad_fn).__name__ == "MulBackward0"
    assert state.graph is not None and state.graph.nodes
    tl.sync()
    big = tl.zeros(300, 300)  # larger than HOST_MAX: a program makes it
    assert state.graph is not None and state.graph.nodes
    tl.sync()
    odd = tl.tensor([1.5, float("inf")]).long()  # a non-finite float to an integer: the program's
    assert state.graph is not None and state.graph.nodes
    assert odd[0].item() == 1
    del big


def test_a_training_step_reading_host_made_tensors_compiles_once():
    lin = tl.nn.Linear(4, 2)
    opt = tl.optim.SGD(lin.parameters(), lr=0.1)
    counts = []
    for step in range(6):
        x = tl.zeros(8, 4)
        x[:, step % 4] = 1.0  # made on the host, a program input
        target = (tl.arange(8) % 2).long()
        loss = tl.nn.functional.cross_entropy(lin(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
        counts.append(metrics.counters()["compiles"])
    assert counts[-1] == counts[2]


@pytest.fixture
def no_host_eval_switch():
    """A context manager: ops recorded as programs inside it."""
    import contextlib

    from torchlike import _host_eval

    @contextlib.contextmanager
    def switch():
        _host_eval.set_enabled(False)
        try:
            yield
        finally:
            _host_eval.set_enabled(True)

    return switch


@pytest.mark.parametrize("n", [3, 300], ids=["host", "program"])
def test_a_python_float_written_through_a_mask_into_float64_is_exact(n):
    for lib in (pt, tl):
        x = lib.zeros(n, n, dtype=lib.float64)
        x[x == 0] = 0.1
        assert x[0, 0].item() == 0.1


def test_an_element_increment_dispatches_only_its_add(monkeypatch):
    """``N[i, j] += 1``: the read and the two writes skip the dispatch, also once a permuting view
    has turned memory-format tracking on for the process."""
    from torchlike import _host_eval

    tl.ones(2, 3).t()
    ops = []
    run = _host_eval.run
    monkeypatch.setattr(_host_eval, "run", lambda op, *a: ops.append(op.name) or run(op, *a))
    n = tl.zeros(4, 4, dtype=tl.int32)
    ops.clear()
    n[1, 2] += 1
    n[3][0] += 2
    assert ops == ["add", "add"]
    assert n.tolist() == [[0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [2, 0, 0, 0]]


def _patched_images(lib):
    """pytorch/examples' hogwild test data as a script builds it: a bright patch written into each
    of 192 images (a 192x1x28x28 tensor, beyond HOST_MAX) by basic indexing."""
    g = lib.Generator().manual_seed(0)
    x = lib.rand(192, 1, 28, 28, generator=g)
    target = lib.randint(0, 10, (192,), generator=g)
    for i in range(192):
        r, c = divmod(int(target[i]), 5)
        x[i, 0, 4 + 12 * r:8 + 12 * r, 2 + 5 * c:6 + 5 * c] += 1.5
    x[7] = 0.25
    return x, x[3, 0, 4:8]


def test_indexed_writes_into_a_large_host_tensor_run_no_program():
    """Indexing reads and writes take host roots up to INDEX_MAX: recorded, the loop was one program
    of 192 scatters that compiled for ~18 s; here each write copies the root."""
    from torchlike import _host_eval

    assert 192 * 28 * 28 > _host_eval.HOST_MAX
    got = _no_programs(_patched_images)
    for g, w in zip(got, _patched_images(pt)):
        _same(g, w)
