"""Parity sweep of view and shape ops (view/reshape/permute/..., cat/stack/split, flips, repeats,
triangular and diagonal ops) against PyTorch, forward and gradient, incl. non-contiguous inputs."""

import numpy as np
import pytest
from parity import case, parity, randint, randn, seeded

pytest.importorskip("torch")


@seeded
def _view_cases():
    x = randn(2, 3, 4)
    return [
        case("view", "flat", lambda torch, x: x.view(-1), [x]),
        case("view", "shape-tuple", lambda torch, x: x.view((4, 6)) * 2, [x]),
        case("view", "infer", lambda torch, x: x.view(2, -1, 2), [x]),
        case("view", "view-as", lambda torch, x, y: x.view_as(y), [x, randn(6, 4)]),
        case(
            "view",
            "invalid",
            lambda torch, x: x.view(5, 5),
            [x],
            match=r"shape '\[5, 5\]' is invalid for input of size 24",
        ),
        case(
            "view",
            "two-minus-one",
            lambda torch, x: x.view(-1, -1),
            [x],
            match="only one dimension can be inferred",
        ),
        case("view", "int64", lambda torch, x: x.view(3, 2), [randint(0, 9, 6)]),
        case("reshape", "function", lambda torch, x: torch.reshape(x, (6, -1)), [x]),
        case("reshape", "noncontig", lambda torch, x: x.reshape(-1), [x], noncontig=True),
        case("reshape", "method-varargs", lambda torch, x: x.reshape(4, 6), [x]),
        case("reshape", "reshape-as", lambda torch, x, y: x.reshape_as(y), [x, randn(24)]),
        case("reshape", "0d", lambda torch, x: x.reshape(1, 1), [np.float32(3)]),
        case("flatten", "default", lambda torch, x: torch.flatten(x), [x]),
        case("flatten", "range", lambda torch, x: x.flatten(1), [x]),
        case("flatten", "start-end", lambda torch, x: x.flatten(0, 1), [x], noncontig=True),
        case("flatten", "0d", lambda torch, x: x.flatten(), [np.float32(3)]),
        case("unflatten", "default", lambda torch, x: x.unflatten(2, (2, 2)), [x]),
        case("unflatten", "infer", lambda torch, x: torch.unflatten(x, -1, (-1, 2)), [x]),
        case("squeeze", "all", lambda torch, x: torch.squeeze(x), [randn(1, 3, 1)]),
        case("squeeze", "dim", lambda torch, x: x.squeeze(0), [randn(1, 3, 1)]),
        case("squeeze", "dim-not-1", lambda torch, x: x.squeeze(1), [randn(1, 3, 1)]),
        case("squeeze", "tuple", lambda torch, x: x.squeeze((0, 2)), [randn(1, 3, 1)]),
        case("unsqueeze", "front", lambda torch, x: torch.unsqueeze(x, 0), [x]),
        case("unsqueeze", "neg", lambda torch, x: x.unsqueeze(-1), [x], noncontig=True),
        case("unsqueeze", "0d", lambda torch, x: x.unsqueeze(0), [np.float32(3)]),
        case(
            "unsqueeze", "out-of-range", lambda torch, x: x.unsqueeze(5), [x], match="out of range"
        ),
        case("permute", "varargs", lambda torch, x: x.permute(2, 0, 1), [x]),
        case(
            "permute",
            "function-tuple",
            lambda torch, x: torch.permute(x, (1, 2, 0)),
            [x],
            noncontig=True,
        ),
        case("permute", "neg-dims", lambda torch, x: x.permute(-1, 0, 1), [x]),
        case("transpose", "method", lambda torch, x: x.transpose(0, 2), [x]),
        case(
            "transpose",
            "function-neg",
            lambda torch, x: torch.transpose(x, -1, -2),
            [x],
            noncontig=True,
        ),
        case("transpose", "swapaxes", lambda torch, x: torch.swapaxes(x, 0, 1), [x]),
        case("transpose", "swapdims", lambda torch, x: x.swapdims(1, 2), [x]),
        case("t", "2d", lambda torch, x: x.t(), [randn(2, 3)]),
        case("t", "1d", lambda torch, x: torch.t(x), [randn(3)]),
        case(
            "t",
            "3d-raises",
            lambda torch, x: x.t(),
            [x],
            match="expects a tensor with <= 2 dimensions",
        ),
        case("permute", "T", lambda torch, x: x.T, [randn(2, 3)]),
        case("transpose", "mT", lambda torch, x: x.mT, [x]),
        case("adjoint", "real", lambda torch, x: x.adjoint(), [x]),
        case("movedim", "single", lambda torch, x: torch.movedim(x, 0, -1), [x]),
        case("movedim", "tuple", lambda torch, x: x.movedim((0, 1), (2, 0)), [x]),
        case("movedim", "moveaxis", lambda torch, x: torch.moveaxis(x, 1, 0), [x]),
        case("expand", "leading", lambda torch, x: x.expand(2, 3, 4), [randn(3, 1)]),
        case("expand", "minus-one", lambda torch, x: x.expand(-1, 5), [randn(3, 1)]),
        case("expand", "expand-as", lambda torch, x, y: x.expand_as(y), [randn(1, 4), randn(3, 4)]),
        case(
            "expand", "noncontig", lambda torch, x: x.expand(2, 3, 2), [randn(3, 2)], noncontig=True
        ),
        case(
            "expand",
            "bad-size",
            lambda torch, x: x.expand(3, 5),
            [randn(3, 2)],
            match="must match the existing size",
        ),
        case(
            "broadcast_to",
            "function",
            lambda torch, x: torch.broadcast_to(x, (2, 3, 4)),
            [randn(3, 1)],
        ),
        case("narrow", "dim1", lambda torch, x: x.narrow(1, 1, 2), [x]),
        case(
            "narrow",
            "function-neg-start",
            lambda torch, x: torch.narrow(x, -1, -3, 2),
            [x],
            noncontig=True,
        ),
        case("select", "method", lambda torch, x: x.select(1, -1), [x]),
        case("select", "function", lambda torch, x: torch.select(x, 0, 1), [x], noncontig=True),
        case("diagonal", "default", lambda torch, x: torch.diagonal(x), [randn(3, 4)]),
        case("diagonal", "offset-dims", lambda torch, x: x.diagonal(1, 1, 2), [x]),
        case(
            "diagonal",
            "neg-offset",
            lambda torch, x: x.diagonal(offset=-1),
            [randn(4, 3)],
            noncontig=True,
        ),
        case(
            "as_strided",
            "windows",
            lambda torch, x: torch.as_strided(x, (3, 2), (1, 1)),
            [randn(6)],
        ),
        case(
            "as_strided", "offset", lambda torch, x: x.as_strided((2, 2), (3, 1), 1), [randn(3, 3)]
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _view_cases())
def test_views(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _getitem_cases():
    x = randn(4, 5, 3)
    return [
        case("getitem", "int", lambda torch, x: x[1], [x], ops=("select_dyn",)),
        case("getitem", "neg-int", lambda torch, x: x[-1, 2], [x], ops=("select_dyn",)),
        case("getitem", "slice", lambda torch, x: x[1:3], [x], ops=("slice_dyn",)),
        case("getitem", "step", lambda torch, x: x[::2, 1::2], [x]),
        case("getitem", "ellipsis", lambda torch, x: x[..., 0], [x], ops=("select_dyn",)),
        case("getitem", "none", lambda torch, x: x[None, :, None, 1], [x]),
        case(
            "getitem",
            "neg-slice",
            lambda torch, x: x[-3:-1, :-2],
            [x],
            noncontig=True,
            ops=("slice_dyn",),
        ),
        case("getitem", "past-end-slice", lambda torch, x: x[2:100], [x], ops=("slice_dyn",)),
        case("getitem", "empty-slice", lambda torch, x: x[3:1], [x], ops=("slice_dyn",)),
        case("getitem", "0d-none", lambda torch, x: x[None], [np.float32(2)]),
        case("getitem", "0d-ellipsis", lambda torch, x: x[...] * 2, [np.float32(2)]),
        case(
            "getitem",
            "out-of-range",
            lambda torch, x: x[4],
            [x],
            match="index 4 is out of bounds for dimension 0 with size 4",
        ),
        case("getitem", "too-many", lambda torch, x: x[0, 0, 0, 0], [x], match="too many indices"),
        case("getitem", "chain", lambda torch, x: x[1][2][0], [x], ops=("select_dyn",)),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _getitem_cases())
def test_basic_indexing(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _split_cases():
    x = randn(5, 4)
    return [
        case("split", "size", lambda torch, x: torch.split(x, 2), [x]),
        case("split", "sections-dim1", lambda torch, x: x.split([1, 3], dim=1), [x]),
        case("split", "noncontig", lambda torch, x: x.split(3), [x], noncontig=True),
        case(
            "split",
            "bad-sections",
            lambda torch, x: x.split([1, 1]),
            [x],
            match="split_with_sizes expects",
        ),
        case("chunk", "uneven", lambda torch, x: torch.chunk(x, 2), [x]),
        case("chunk", "more-than-size", lambda torch, x: x.chunk(8, 1), [x]),
        case("chunk", "3-of-5", lambda torch, x: x.chunk(3), [x]),
        case("tensor_split", "sections", lambda torch, x: torch.tensor_split(x, 3), [x]),
        case("tensor_split", "indices", lambda torch, x: x.tensor_split((1, 3), dim=1), [x]),
        case("unbind", "dim0", lambda torch, x: torch.unbind(x), [x]),
        case("unbind", "dim1", lambda torch, x: x.unbind(1), [x], noncontig=True),
        case("unbind", "iter", lambda torch, x: tuple(r * 1 for r in x), [randn(3, 2)]),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _split_cases())
def test_split(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _join_cases():
    a, b = randn(2, 3), randn(2, 3)
    return [
        case("cat", "dim0", lambda torch, a, b: torch.cat([a, b]), [a, b]),
        case("cat", "dim1-tuple", lambda torch, a, b: torch.cat((a, b), dim=1), [a, b]),
        case(
            "cat", "neg-dim", lambda torch, a, b: torch.cat([a, b, a], -1), [a, b], noncontig=True
        ),
        case("cat", "promote", lambda torch, a, b: torch.cat([a, b]), [a, randint(0, 3, 2, 3)]),
        case("cat", "f32-f64", lambda torch, a, b: torch.cat([a, b]), [a, b.astype(np.float64)]),
        case("cat", "concat", lambda torch, a, b: torch.concat([a, b]), [a, b]),
        case("cat", "concatenate", lambda torch, a, b: torch.concatenate([a, b], 1), [a, b]),
        case("cat", "empty-1d-skipped", lambda torch, a, e: torch.cat([a, e]), [a, randn(0)]),
        case(
            "cat",
            "size-mismatch",
            lambda torch, a, b: torch.cat([a, b]),
            [a, randn(2, 4)],
            match="Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1",
        ),
        case(
            "cat",
            "ndim-mismatch",
            lambda torch, a, b: torch.cat([a, b]),
            [a, randn(3)],
            match="Tensors must have same number of dimensions",
        ),
        case("cat", "empty-list", lambda torch: torch.cat([]), [], match="non-empty"),
        case("stack", "dim0", lambda torch, a, b: torch.stack([a, b]), [a, b]),
        case(
            "stack", "dim-last", lambda torch, a, b: torch.stack((a, b), -1), [a, b], noncontig=True
        ),
        case(
            "stack", "promote", lambda torch, a, b: torch.stack([a, b], 1), [randint(0, 3, 2, 3), b]
        ),
        case(
            "stack",
            "mismatch",
            lambda torch, a, b: torch.stack([a, b]),
            [a, randn(3, 2)],
            match="stack expects each tensor to be equal size",
        ),
        case("hstack", "2d", lambda torch, a, b: torch.hstack([a, b]), [a, b]),
        case("hstack", "1d", lambda torch, a, b: torch.hstack([a, b]), [randn(2), randn(3)]),
        case("vstack", "2d", lambda torch, a, b: torch.vstack([a, b]), [a, b]),
        case("vstack", "1d", lambda torch, a, b: torch.vstack([a, b]), [randn(3), randn(3)]),
        case("vstack", "row_stack", lambda torch, a, b: torch.row_stack([a, b]), [a, b]),
        case("dstack", "2d", lambda torch, a, b: torch.dstack([a, b]), [a, b]),
        case(
            "column_stack", "1d-2d", lambda torch, a, b: torch.column_stack([a, b]), [randn(2), a]
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _join_cases())
def test_join(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _copy_shape_cases():
    x = randn(3, 4)
    return [
        case("flip", "method-varargs", lambda torch, x: x.flip(0, 1), [x]),
        case("flip", "function-list", lambda torch, x: torch.flip(x, [1]), [x], noncontig=True),
        case("flip", "neg", lambda torch, x: x.flip(-1), [randint(0, 9, 2, 3)]),
        case("fliplr", "default", lambda torch, x: torch.fliplr(x), [x]),
        case("flipud", "default", lambda torch, x: x.flipud(), [x]),
        case("roll", "flat", lambda torch, x: torch.roll(x, 2), [x]),
        case("roll", "dim", lambda torch, x: x.roll(-1, 1), [x], noncontig=True),
        case("roll", "multi", lambda torch, x: x.roll((1, 2), (0, 1)), [x]),
        case("rot90", "default", lambda torch, x: torch.rot90(x), [x]),
        case("rot90", "k2-dims", lambda torch, x: x.rot90(3, [1, 0]), [x]),
        case("repeat", "2d", lambda torch, x: x.repeat(2, 3), [x]),
        case("repeat", "new-dims", lambda torch, x: x.repeat(2, 1, 2), [x], noncontig=True),
        case("repeat", "tuple", lambda torch, x: x.repeat((1, 2)), [randint(0, 5, 2, 2)]),
        case("repeat", "too-few", lambda torch, x: x.repeat(2), [x], match="can not be smaller"),
        case("tile", "method", lambda torch, x: x.tile(2), [x]),
        case("tile", "function", lambda torch, x: torch.tile(x, (2, 1, 1)), [x]),
        case(
            "repeat_interleave",
            "int",
            lambda torch, x: x.repeat_interleave(2),
            [x],
            ops=("repeat_interleave_k",),
        ),
        case(
            "repeat_interleave",
            "dim",
            lambda torch, x: torch.repeat_interleave(x, 2, dim=1),
            [x],
            ops=("repeat_interleave_k",),
        ),
        case(
            "repeat_interleave",
            "tensor-repeats",
            lambda torch, x, r: x.repeat_interleave(r, dim=0),
            [x, np.array([1, 0, 2])],
            ops=("repeat_interleave_k",),
        ),
        case("tril", "default", lambda torch, x: torch.tril(x), [x]),
        case("tril", "diag-neg", lambda torch, x: x.tril(-1), [x], noncontig=True),
        case("triu", "default", lambda torch, x: torch.triu(x), [x]),
        case("triu", "diag", lambda torch, x: x.triu(diagonal=1), [randn(2, 3, 3)]),
        case("tril", "inplace", lambda torch, x: x.clone().tril_(), [x]),
        case("triu", "inplace", lambda torch, x: x.clone().triu_(1), [x]),
        case("diag", "vector", lambda torch, x: torch.diag(x), [randn(3)]),
        case("diag", "vector-offset", lambda torch, x: torch.diag(x, -1), [randn(3)]),
        case("diag", "matrix", lambda torch, x: x.diag(), [x]),
        case("diag", "matrix-offset", lambda torch, x: x.diag(1), [x], noncontig=True),
        case("diag_embed", "default", lambda torch, x: torch.diag_embed(x), [randn(2, 3)]),
        case("diag_embed", "offset", lambda torch, x: torch.diag_embed(x, 1), [randn(2, 3)]),
        case("trace", "f32", lambda torch, x: torch.trace(x), [x]),
        case("trace", "int", lambda torch, x: x.trace(), [randint(0, 5, 3, 3)]),
        case(
            "meshgrid",
            "ij",
            lambda torch, a, b: torch.meshgrid(a, b, indexing="ij"),
            [randn(3), randn(2)],
            ops=("meshgrid_k",),
        ),
        case(
            "meshgrid",
            "xy-list",
            lambda torch, a, b: torch.meshgrid([a, b], indexing="xy"),
            [randn(3), randn(2)],
            ops=("meshgrid_k",),
        ),
        case(
            "cartesian_prod",
            "two",
            lambda torch, a, b: torch.cartesian_prod(a, b),
            [randn(3), randn(2)],
        ),
        case("cdist", "p2", lambda torch, a, b: torch.cdist(a, b), [randn(3, 2), randn(4, 2)]),
        case(
            "cdist",
            "p1-batched",
            lambda torch, a, b: torch.cdist(a, b, p=1),
            [randn(2, 3, 2), randn(2, 4, 2)],
        ),
        case(
            "cdist", "p3", lambda torch, a, b: torch.cdist(a, b, p=3.0), [randn(3, 2), randn(4, 2)]
        ),
        case(
            "cdist",
            "pinf",
            lambda torch, a, b: torch.cdist(a, b, p=float("inf")),
            [randn(3, 2), randn(4, 2)],
        ),
        case(
            "cdist",
            "p0-counts-differing-coordinates",
            lambda torch, a, b: torch.cdist(a, b, p=0),
            [
                np.array([[0.0, 1.0], [2.0, 2.0]], np.float32),
                np.array([[0.0, 1.0], [2.0, 3.0]], np.float32),
            ],
        ),
        case("clone", "contiguous", lambda torch, x: x.contiguous() * 1, [x], noncontig=True),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _copy_shape_cases())
def test_copying_shape_ops(fn, inputs, kw):
    parity(fn, inputs, **kw)


def test_size_and_metadata_match_torch():
    import torch as pt

    import torchlike as tl

    a = randn(2, 3, 4)
    p, t = pt.tensor(a), tl.tensor(a)
    assert t.size() == p.size() and t.shape == tuple(p.shape) and t.size(-1) == p.size(-1)
    assert repr(t.size()) == repr(p.size()) == "torch.Size([2, 3, 4])"
    assert t.dim() == p.dim() and t.ndim == p.ndim and t.numel() == p.numel() and len(t) == len(p)
    assert (
        t.stride() == p.stride()
        and t.transpose(0, 1).contiguous().stride() == p.transpose(0, 1).contiguous().stride()
    )
    assert t.element_size() == p.element_size() and t.nelement() == p.nelement()
    assert isinstance(t.shape[0], int) and t.shape[1:] == p.shape[1:]
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.size(3)


@seeded
def _more_shape_cases():
    x = randn(4, 6)
    return [
        case("unfold", "windows", lambda torch, x: x.unfold(1, 3, 2), [x]),
        case("unfold", "dim0-step1", lambda torch, x: x.unfold(0, 2, 1), [x], noncontig=True),
        case("unfold", "1d", lambda torch, x: x.unfold(0, 2, 2), [randn(5)]),
        case(
            "block_diag",
            "mixed",
            lambda torch, a, b, c: torch.block_diag(a, b, c),
            [randn(2, 2), randn(1, 3), randn(2)],
            ops=("block_diag_k",),
        ),
        case("diagflat", "default", lambda torch, x: torch.diagflat(x), [randn(2, 2)]),
        case("diagflat", "offset", lambda torch, x: x.diagflat(1), [randn(3)]),
        case("vander", "default", lambda torch, x: torch.vander(x, N=3), [randn(4)], grad=False),
        case("trapezoid", "default", lambda torch, y: torch.trapezoid(y), [x]),
        case("trapezoid", "trapz-dx", lambda torch, y: torch.trapz(y, dx=0.5, dim=0), [x]),
        case("tensor_split", "hsplit", lambda torch, x: torch.hsplit(x, 3), [x]),
        case("tensor_split", "vsplit-indices", lambda torch, x: x.vsplit([1, 3]), [x]),
        case("tensor_split", "dsplit", lambda torch, x: torch.dsplit(x, 2), [randn(2, 2, 4)]),
        case(
            "tensor_split",
            "hsplit-indivisible",
            lambda torch, x: torch.hsplit(x, 4),
            [x],
            match="not divisible",
        ),
        case("reshape", "ravel", lambda torch, x: torch.ravel(x.t()), [x]),
        case("sort", "msort", lambda torch, x: torch.msort(x), [x], ops=("sort_k",)),
        case("squeeze", "inplace", lambda torch, x: (x * 1).squeeze_(0), [randn(1, 3)]),
        case("unsqueeze", "inplace", lambda torch, x: (x * 1).unsqueeze_(-1), [randn(3)]),
        case("t", "inplace", lambda torch, x: (x * 1).t_(), [randn(2, 3)]),
        case("transpose", "inplace", lambda torch, x: (x * 1).transpose_(0, 1), [randn(2, 3)]),
        case(
            "fill_diagonal", "square", lambda torch, x: (x * 1).fill_diagonal_(2.0), [randn(3, 3)]
        ),
        case(
            "fill_diagonal",
            "tall-wrap",
            lambda torch, x: (x * 1).fill_diagonal_(0, wrap=True),
            [randn(7, 3)],
        ),
        case(
            "tril_indices",
            "default",
            lambda torch: torch.tril_indices(3, 4),
            [],
            ops=("tril_indices_k",),
        ),
        case(
            "triu_indices",
            "offset",
            lambda torch: torch.triu_indices(4, 3, 1),
            [],
            ops=("triu_indices_k",),
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _more_shape_cases())
def test_more_shape_ops(fn, inputs, kw):
    parity(fn, inputs, **kw)
