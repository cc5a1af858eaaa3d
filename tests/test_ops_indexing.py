"""Parity sweep of advanced indexing, gather/scatter, index_*, masked ops, take, searchsorted,
nonzero/unique against PyTorch (forward and gradient)."""

import numpy as np
import pytest
from parity import case, parity, randint, randn, seeded

pytest.importorskip("torch")


@seeded
def _advanced_cases():
    x = randn(4, 5)
    idx = np.array([2, 0, 2])
    mask = randn(4, 5) > 0
    return [
        case("index", "int-tensor", lambda torch, x, i: x[i], [x, idx]),
        case("index", "list", lambda torch, x: x[[0, 3]], [x]),
        case("index", "two-tensors", lambda torch, x, i, j: x[i, j], [x, idx, np.array([1, 4, 0])]),
        case(
            "index",
            "broadcast-indices",
            lambda torch, x, i, j: x[i[:, None], j],
            [x, idx, np.array([0, 4])],
        ),
        case("index", "slice-then-tensor", lambda torch, x, i: x[1:, i], [x, np.array([4, 0])]),
        case("index", "negative", lambda torch, x, i: x[i], [x, np.array([-1, -4])]),
        case("index", "2d-index", lambda torch, x, i: x[i], [x, np.array([[0, 1], [3, 3]])]),
        case(
            "index", "noncontig", lambda torch, x, i: x[:, i], [x, np.array([3, 1])], noncontig=True
        ),
        case("index", "bool-mask", lambda torch, x, m: x[m], [x, mask]),
        case(
            "index",
            "bool-row-mask",
            lambda torch, x: x[torch.tensor([True, False, True, False])],
            [x],
        ),
        case("index", "mask-from-compare", lambda torch, x: x[x > 0], [x]),
        case("index", "mask-and-slice", lambda torch, x: x[x[:, 0] > 0, 1:], [x]),
        case(
            "index",
            "ellipsis-tensor",
            lambda torch, x, i: x[..., i],
            [randn(2, 3, 4), np.array([0, 3])],
        ),
        case("index", "int32-index", lambda torch, x, i: x[i.int()], [x, idx]),
        case(
            "index",
            "float-index-raises",
            lambda torch, x: x[torch.tensor([0.0, 1.0])],
            [x],
            match="tensors used as indices must be long",
        ),
        case("index", "int64-values", lambda torch, x, i: x[i], [randint(0, 9, 4, 5), idx]),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _advanced_cases())
def test_advanced_indexing(fn, inputs, kw):
    parity(fn, inputs, **kw)


def _setitem(expr):
    """fn that clones x (so it is not a leaf), assigns through ``expr(torch, y, v)`` and returns y."""

    def fn(torch, x, *rest):
        y = x * 1
        expr(torch, y, *rest)
        return y

    return fn


@seeded
def _setitem_cases():
    x = randn(4, 5)
    return [
        case("index_put", "int", _setitem(lambda torch, y, v: y.__setitem__(1, v)), [x, randn(5)]),
        case(
            "index_put",
            "slice-scalar",
            _setitem(lambda torch, y: y.__setitem__((slice(None), slice(1, 3)), 2.5)),
            [x],
        ),
        case(
            "index_put",
            "tensor-index",
            _setitem(lambda torch, y, i, v: y.__setitem__(i, v)),
            [x, np.array([3, 0]), randn(2, 5)],
        ),
        case(
            "index_put",
            "broadcast-value",
            _setitem(lambda torch, y, v: y.__setitem__((slice(None), 0), v)),
            [x, randn(1)],
        ),
        case(
            "masked_fill_where",
            "mask-scalar",
            _setitem(lambda torch, y: y.__setitem__(y > 0, 0.0)),
            [x],
        ),
        case(
            "index_put",
            "mask-tensor",
            _setitem(lambda torch, y, v: y.__setitem__(y[:, 0] > 0, v)),
            [x, randn(5)],
        ),
        case("index_put", "int-into-float", _setitem(lambda torch, y: y.__setitem__(0, 7)), [x]),
        case(
            "index_put",
            "index_put_",
            _setitem(lambda torch, y, i, v: y.index_put_((i,), v)),
            [x, np.array([1, 2]), randn(5)],
        ),
        case(
            "index_put",
            "accumulate",
            _setitem(lambda torch, y, i, v: y.index_put_((i,), v, accumulate=True)),
            [x, np.array([1, 1, 2]), randn(3, 5)],
        ),
        case(
            "index_put",
            "index_put-function",
            lambda torch, x, i, v: x.index_put((i,), v),
            [x, np.array([0, 2]), randn(2, 5)],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _setitem_cases())
def test_setitem(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _gather_scatter_cases():
    x = randn(3, 4)
    gidx = np.array([[0, 3, 1], [2, 2, 0], [1, 0, 3]])
    sidx = np.array([[0, 1, 2, 0], [2, 0, 1, 2]])
    return [
        case("gather", "dim1", lambda torch, x, i: torch.gather(x, 1, i), [x, gidx]),
        case("gather", "dim0-method", lambda torch, x, i: x.gather(0, i[:2] % 3), [x, gidx]),
        case(
            "gather",
            "kw",
            lambda torch, x, i: torch.gather(x, dim=1, index=i),
            [x, gidx],
            noncontig=True,
        ),
        case("gather", "int32-index", lambda torch, x, i: torch.gather(x, 1, i.int()), [x, gidx]),
        case(
            "gather",
            "int16-raises",
            lambda torch, x, i: torch.gather(x, 1, i.short()),
            [x, gidx],
            match="Expected dtype int32/int64 for index",
        ),
        case(
            "take",
            "int32-raises",
            lambda torch, x, i: torch.take(x, i.int()),
            [x, gidx],
            match="Expected a long tensor for index, but got Int",
        ),
        case(
            "scatter",
            "src",
            lambda torch, x, i, s: torch.scatter(x, 0, i, s),
            [x, np.array([[0, 1, 2, 0]]), randn(1, 4)],
        ),
        case(
            "scatter",
            "src-larger",
            lambda torch, x, i, s: torch.scatter(x, 0, i, s),
            [x, np.array([[0, 1, 2, 0]]), randn(2, 5)],
            grad=False,
        ),
        case("scatter", "value", lambda torch, x, i: x.scatter(1, i, 2.5), [x, gidx]),
        case(
            "scatter",
            "inplace",
            lambda torch, x, i, s: (x * 1).scatter_(1, i, s),
            [x, np.array([[0, 1], [1, 0], [1, 0]]), randn(3, 2)],
        ),
        case(
            "scatter",
            "reduce-add",
            lambda torch, x, i, s: x.scatter(0, i, s, reduce="add"),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter",
            "reduce-multiply",
            lambda torch, x, i, s: x.scatter(0, i, s, reduce="multiply"),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter_add",
            "dim0",
            lambda torch, x, i, s: torch.scatter_add(x, 0, i, s),
            [x, sidx, randn(2, 4)],
        ),
        case(
            "scatter_add",
            "inplace",
            lambda torch, x, i, s: (x * 1).scatter_add_(1, i, s),
            [x, gidx, randn(3, 3)],
        ),
        case(
            "scatter_add",
            "int",
            lambda torch, x, i, s: x.scatter_add(0, i, s),
            [randint(0, 5, 3, 4), sidx, randint(0, 5, 2, 4)],
        ),
        case(
            "scatter_reduce",
            "sum",
            lambda torch, x, i, s: x.scatter_reduce(0, i, s, "sum"),
            [x, sidx, randn(2, 4)],
        ),
        case(
            "scatter_reduce",
            "prod-exclude",
            lambda torch, x, i, s: x.scatter_reduce(0, i, s, "prod", include_self=False),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter_reduce",
            "amax",
            lambda torch, x, i, s: torch.scatter_reduce(x, 0, i, s, reduce="amax"),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter_reduce",
            "amin-exclude",
            lambda torch, x, i, s: x.scatter_reduce(0, i, s, "amin", include_self=False),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter_reduce",
            "mean",
            lambda torch, x, i, s: x.scatter_reduce(0, i, s, "mean"),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter_reduce",
            "mean-exclude",
            lambda torch, x, i, s: x.scatter_reduce(0, i, s, "mean", include_self=False),
            [x, sidx, randn(2, 4)],
            grad=False,
        ),
        case(
            "scatter_reduce",
            "int-mean",
            lambda torch, x, i, s: x.scatter_reduce(0, i, s, "mean"),
            [randint(0, 9, 3, 4), sidx, randint(0, 9, 2, 4)],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _gather_scatter_cases())
def test_gather_scatter(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _index_family_cases():
    x = randn(4, 3)
    i = np.array([3, 0, 3])
    return [
        case("index_select", "dim0", lambda torch, x, i: torch.index_select(x, 0, i), [x, i]),
        case(
            "index_select",
            "dim1-method",
            lambda torch, x, i: x.index_select(1, i[:2] % 3),
            [x, i],
            noncontig=True,
        ),
        case("index_select", "0d-index", lambda torch, x: x.index_select(0, torch.tensor(1)), [x]),
        case(
            "index_add",
            "dim0",
            lambda torch, x, i, s: torch.index_add(x, 0, i, s),
            [x, i, randn(3, 3)],
        ),
        case(
            "index_add",
            "alpha-method",
            lambda torch, x, i, s: x.index_add(1, i % 3, s, alpha=2),
            [x, i, randn(4, 3)],
        ),
        case(
            "index_add",
            "inplace",
            lambda torch, x, i, s: (x * 1).index_add_(0, i, s),
            [x, i, randn(3, 3)],
        ),
        case(
            "index_copy",
            "dim0",
            lambda torch, x, i, s: x.index_copy(0, i, s),
            [x, np.array([2, 0]), randn(2, 3)],
        ),
        case(
            "index_copy",
            "inplace",
            lambda torch, x, i, s: (x * 1).index_copy_(1, i, s),
            [x, np.array([2, 0]), randn(4, 2)],
        ),
        case(
            "index_fill",
            "dim1",
            lambda torch, x, i: x.index_fill(1, i, -1.0),
            [x, np.array([0, 2])],
        ),
        case(
            "index_fill",
            "inplace",
            lambda torch, x, i: (x * 1).index_fill_(0, i, 3),
            [x, np.array([1])],
        ),
        case(
            "masked_fill", "scalar", lambda torch, x, m: x.masked_fill(m, 0.5), [x, randn(4, 3) > 0]
        ),
        case(
            "masked_fill",
            "broadcast-mask",
            lambda torch, x, m: torch.masked_fill(x, m, -1.0),
            [x, randn(3) > 0],
        ),
        case(
            "masked_fill",
            "tensor-value",
            lambda torch, x, m: x.masked_fill(m, torch.tensor(2.0)),
            [x, randn(4, 3) > 0],
        ),
        case(
            "masked_fill",
            "inplace",
            lambda torch, x, m: (x * 1).masked_fill_(m, 0),
            [x, randn(4, 3) > 0],
        ),
        case(
            "masked_fill",
            "noncontig",
            lambda torch, x, m: x.masked_fill(m, 0),
            [x, randn(4, 3) > 0],
            noncontig=True,
        ),
        case(
            "masked_fill",
            "int-mask-raises",
            lambda torch, x, m: x.masked_fill(m, 0),
            [x, randint(0, 2, 4, 3)],
            match="masked_fill_ only supports boolean masks",
        ),
        case(
            "masked_select",
            "default",
            lambda torch, x, m: torch.masked_select(x, m),
            [x, randn(4, 3) > 0],
            ops=("index",),
        ),
        case(
            "masked_select",
            "broadcast",
            lambda torch, x, m: x.masked_select(m),
            [x, randn(3) > 0],
            ops=("index",),
        ),
        case(
            "masked_scatter",
            "default",
            lambda torch, x, m, s: x.masked_scatter(m, s),
            [x, randn(4, 3) > 0, randn(12)],
            ops=("index_put",),
        ),
        case(
            "take", "flat", lambda torch, x, i: torch.take(x, i), [x, np.array([[0, 11], [5, 5]])]
        ),
        case(
            "take",
            "noncontig",
            lambda torch, x, i: x.take(i),
            [x, np.array([1, 4])],
            noncontig=True,
        ),
        case(
            "take_along_dim",
            "dim",
            lambda torch, x, i: torch.take_along_dim(x, i, dim=1),
            [x, np.array([[0], [2], [1], [1]])],
        ),
        case("take_along_dim", "argsort", lambda torch, x: x.take_along_dim(x.argsort(0), 0), [x]),
        case(
            "take_along_dim",
            "flat",
            lambda torch, x, i: torch.take_along_dim(x, i),
            [x, np.array([0, 7])],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _index_family_cases())
def test_index_family(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _data_dependent_cases():
    v = np.array([[0, 1, 0], [2, 0, 3]])
    return [
        case("nonzero", "2d", lambda torch, x: torch.nonzero(x), [v]),
        case("nonzero", "as-tuple", lambda torch, x: x.nonzero(as_tuple=True), [v]),
        case("nonzero", "bool", lambda torch, x: (x > 0).nonzero(), [randn(5)]),
        case("nonzero", "argwhere", lambda torch, x: torch.argwhere(x), [v]),
        case("nonzero", "where-one-arg", lambda torch, x: torch.where(x > 0), [v]),
        case("unique", "sorted", lambda torch, x: torch.unique(x), [np.array([3, 1, 3, 2, 1])]),
        case(
            "unique",
            "inverse-counts",
            lambda torch, x: x.unique(return_inverse=True, return_counts=True),
            [np.array([[3, 1], [3, 2]])],
        ),
        case(
            "unique",
            "dim",
            lambda torch, x: torch.unique(x, dim=0),
            [np.array([[1, 2], [0, 1], [1, 2]])],
        ),
        case(
            "unique",
            "float",
            lambda torch, x: torch.unique(x),
            [np.array([1.5, -1.0, 1.5], np.float32)],
            grad=False,
        ),
        case(
            "unique_consecutive",
            "counts",
            lambda torch, x: torch.unique_consecutive(x, return_counts=True),
            [np.array([1, 1, 2, 2, 3, 1])],
        ),
        case(
            "bucketize",
            "left",
            lambda torch, x, b: torch.bucketize(x, b),
            [randn(5), np.array([-1.0, 0.0, 1.0], np.float32)],
        ),
        case(
            "bucketize",
            "right-int32",
            lambda torch, x, b: torch.bucketize(x, b, right=True, out_int32=True),
            [np.array([1, 2, 3]), np.array([1, 2])],
        ),
        case(
            "searchsorted",
            "1d",
            lambda torch, s, v: torch.searchsorted(s, v),
            [np.array([1.0, 2.0, 4.0], np.float32), randn(4) * 3],
        ),
        case(
            "searchsorted",
            "batched-right",
            lambda torch, s, v: torch.searchsorted(s, v, right=True),
            [np.array([[1, 3, 5], [2, 4, 6]]), np.array([[3, 6], [1, 4]])],
        ),
        case(
            "searchsorted",
            "side",
            lambda torch, s, v: torch.searchsorted(s, v, side="right"),
            [np.array([1, 3, 3]), np.array([3])],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _data_dependent_cases())
def test_data_dependent(fn, inputs, kw):
    parity(fn, inputs, **kw)


def test_short_list_of_sequences_indexes_as_a_tuple_with_pytorchs_warning():
    import warnings

    import torch

    import torchlike as tl

    for lib in (torch, tl):
        t = lib.arange(24.0).reshape(2, 3, 4)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            got = t[[[0, 1], [2, 0]]]
            t[[[1], [0]]] = -1.0
        assert any("non-tuple sequence for multidimensional indexing" in str(x.message) for x in w)
        if lib is torch:
            want, want_sum = got.numpy(), t.sum().item()
    np.testing.assert_array_equal(got.numpy(), want)
    assert t.sum().item() == want_sum
    assert tuple(t[[0, 1]].shape) == (2, 3, 4)  # a plain list of ints stays one index


@pytest.mark.parametrize("n", [3, 70000], ids=["host", "program"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "bfloat16"])
@pytest.mark.parametrize("value", [0.1, 1 / 3, 3.0000001, -2.5e-8])
def test_python_floats_written_by_fill_ops_are_rounded_once_to_the_tensor_dtype(n, dtype, value):
    """masked_fill/index_fill/scatter(value=) carry a Python float as ATen's Scalar does (a
    double, rounded once to the tensor's dtype): a float32 carrier made masked_fill(mask, 0.1)
    on float64 0.10000000149011612."""
    import torch as pt

    import torchlike as tl

    def run(lib):
        x = lib.zeros(n, dtype=getattr(lib, dtype))
        mask = lib.zeros(n, dtype=lib.bool)
        mask[1] = True
        idx = lib.tensor([2])
        y = x.clone()
        y.masked_fill_(mask, value)
        return [
            x.masked_fill(mask, value)[:4],
            y[:4],
            x.index_fill(0, idx, value)[:4],
            x.scatter(0, idx, value)[:4],
        ]

    for got, want in zip(run(tl), run(pt)):
        assert str(got.dtype) == str(want.dtype)
        np.testing.assert_array_equal(
            got.float().double().numpy() if dtype == "bfloat16" else got.numpy(),
            want.float().double().numpy() if dtype == "bfloat16" else want.numpy(),
        )


def _outcome(lib, op, xs, isz, ss, dim):  # (lib: torch or torchlike)
    """op's result as NumPy, or its exception as (type name, message)."""
    x, idx, src = lib.zeros(xs), lib.zeros(isz, dtype=lib.long), lib.ones(ss)
    calls = {
        "gather": lambda: x.gather(dim, idx),
        "scatter": lambda: x.scatter(dim, idx, src),
        "scatter_value": lambda: x.scatter(dim, idx, 2.0),
        "scatter_add": lambda: x.scatter_add(dim, idx, src),
        "scatter_reduce": lambda: x.scatter_reduce(dim, idx, src, "amax"),
    }
    try:
        return calls[op]().numpy()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)


_GS_SHAPES = [(2,), (3,), (2, 2), (2, 3), (3, 2), (2, 1), (0,), (2, 0)]


@pytest.mark.parametrize(
    "op", ["gather", "scatter", "scatter_value", "scatter_add", "scatter_reduce"]
)
def test_gather_scatter_shape_checks_match_pytorch(op):
    """ATen's gather/scatter shape checks (dimensions of index, self and src; index no larger than
    self apart from ``dim`` and no larger than src), their order, the dim range, and empty
    indices (no check, no change): the same result or the same error as PyTorch."""
    import itertools

    import torch as pt

    import torchlike as tl

    mismatches = []
    selves, srcs = [(2,), (2, 2), (2, 3), (3, 2)], [(2,), (3,), (2, 2), (2, 3), (2, 1)]
    for xs, isz, ss in itertools.product(selves, _GS_SHAPES, srcs):
        for dim in (0, 1, -1):
            want = _outcome(pt, op, xs, isz, ss, dim)
            got = _outcome(tl, op, xs, isz, ss, dim)
            same = (isinstance(want, tuple) and isinstance(got, tuple) and got == want) or (
                not isinstance(want, tuple)
                and not isinstance(got, tuple)
                and got.shape == want.shape
                and np.array_equal(got, want)
            )
            if not same:
                mismatches.append((xs, isz, ss, dim, want, got))
    assert not mismatches, mismatches[:5]
