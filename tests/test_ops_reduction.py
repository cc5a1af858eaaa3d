"""Parity sweep of reductions, scans, sorting and the softmax family against PyTorch."""

import numpy as np
import pytest
from parity import case, parity, rand, randint, randn, seeded

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402

F64 = np.float64


def _dim_variants(name, fn_all, fn_dim, x, *, ints=True, bools=False, **kw):
    out = [
        case(name, "all", fn_all, [x], **kw),
        case(name, "dim1", lambda torch, x: fn_dim(torch, x, 1, False), [x], **kw),
        case(name, "dim-neg-keepdim", lambda torch, x: fn_dim(torch, x, -1, True), [x], **kw),
        case(
            name,
            "noncontig",
            lambda torch, x: fn_dim(torch, x, 0, False),
            [x],
            noncontig=True,
            **kw,
        ),
        case(name, "0d", fn_all, [np.asarray(x.reshape(-1)[0])], **kw),
        case(name, "f64-dim0", lambda torch, x: fn_dim(torch, x, 0, True), [x.astype(F64)], **kw),
    ]
    if ints:
        out.append(
            case(
                name,
                "int64",
                lambda torch, x: fn_dim(torch, x, 1, False),
                [randint(-3, 4, 2, 3)],
                **kw,
            )
        )
    if bools:
        out.append(case(name, "bool", fn_all, [randint(0, 2, 2, 3).astype(bool)], **kw))
    return out


def _reduce(name):
    return (
        lambda torch, x: getattr(torch, name)(x),
        lambda torch, x, d, k: getattr(torch, name)(x, dim=d, keepdim=k),
    )


@seeded
def _reduction_cases():
    x = randn(3, 4)
    out = []
    for name in (
        "sum",
        "nansum",
        "prod",
        "amax",
        "amin",
        "logsumexp",
        "all",
        "any",
        "count_nonzero",
    ):
        fa, fd = _reduce(name)
        if name == "logsumexp":
            fa = lambda torch, x: torch.logsumexp(x, dim=0)  # noqa: E731 - dim is required
        if name == "count_nonzero":
            fd = lambda torch, x, d, k: torch.count_nonzero(x, dim=d)  # noqa: E731 - no keepdim
        out += _dim_variants(
            name, fa, fd, x, bools=name in ("sum", "prod", "all", "any", "count_nonzero")
        )
    for name in ("mean", "nanmean", "var", "std"):
        fa, fd = _reduce(name)
        out += _dim_variants(name, fa, fd, x, ints=False)
        out.append(case(name, "int-raises", fa, [randint(0, 3, 4)]))
    out += [
        case("sum", "tuple-dims", lambda torch, x: x.sum((0, 2)), [randn(2, 3, 4)]),
        case("sum", "dtype", lambda torch, x: x.sum(dtype=torch.float64), [randn(3, 4)]),
        case("sum", "int32-acc", lambda torch, x: x.int().sum(), [randint(0, 9, 5)]),
        case("sum", "empty", lambda torch, x: x.sum(0), [randn(0, 3)]),
        case(
            "sum",
            "dim-out-of-range",
            lambda torch, x: x.sum(2),
            [randn(3, 4)],
            match="out of range",
        ),
        case(
            "mean",
            "tuple-dims-keepdim",
            lambda torch, x: x.mean((-1, 0), keepdim=True),
            [randn(2, 3, 4)],
        ),
        case("mean", "dtype-int", lambda torch, x: x.mean(dtype=torch.float32), [randint(0, 9, 5)]),
        case(
            "prod",
            "with-zero",
            lambda torch, x: x.prod(1),
            [np.array([[1.5, 0.0, 2.0], [1.0, 2.0, 3.0]], np.float32)],
        ),
        case(
            "nansum", "nan", lambda torch, x: x.nansum(), [np.array([1.0, np.nan, 2.0], np.float32)]
        ),
        case(
            "nanmean",
            "nan",
            lambda torch, x: x.nanmean(0),
            [np.array([[1.0, np.nan], [3.0, 4.0]], np.float32)],
        ),
        case("var", "unbiased-false", lambda torch, x: x.var(1, unbiased=False), [randn(3, 4)]),
        case(
            "var", "correction0", lambda torch, x: torch.var(x, dim=0, correction=0), [randn(3, 4)]
        ),
        case("std", "unbiased-positional", lambda torch, x: x.std(0, False), [randn(3, 4)]),
        case("std", "correction2", lambda torch, x: x.std(correction=2), [randn(3, 4)]),
        case("var_mean", "dim", lambda torch, x: torch.var_mean(x, 1), [randn(3, 4)]),
        case("var_mean", "all", lambda torch, x: torch.var_mean(x, unbiased=False), [randn(3, 4)]),
        case(
            "std_mean",
            "dim-keepdim",
            lambda torch, x: torch.std_mean(x, dim=0, keepdim=True),
            [randn(3, 4)],
        ),
        case(
            "aminmax",
            "all",
            lambda torch, x: torch.aminmax(x),
            [randn(3, 4)],
            grad=False,
            ops=("aminmax_k",),
        ),
        case(
            "aminmax",
            "dim",
            lambda torch, x: x.aminmax(dim=1, keepdim=True).max,
            [randn(3, 4)],
            grad=False,
            ops=("aminmax_k",),
        ),
        case("amax", "tuple-dims", lambda torch, x: x.amax((0, 1)), [randn(2, 3, 2)]),
        case(
            "all",
            "float",
            lambda torch, x: x.all(1),
            [np.array([[1.0, 0.0], [2.0, 3.0]], np.float32)],
        ),
        case(
            "any",
            "dim-keepdim",
            lambda torch, x: torch.any(x, 0, keepdim=True),
            [randint(0, 2, 3, 2)],
        ),
        case("logsumexp", "tuple-dims", lambda torch, x: x.logsumexp((0, 1)), [randn(2, 3)]),
        case("logsumexp", "int", lambda torch, x: torch.logsumexp(x, 0), [randint(0, 3, 4)]),
    ]
    return out


@pytest.mark.parametrize("fn,inputs,kw", _reduction_cases())
def test_reductions(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _extreme_cases():
    ties = np.array([[1, 3, 3], [2, 2, 0]])
    out = []
    for name in ("max", "min"):
        out += [
            case(
                name,
                "all",
                lambda torch, x, n=name: getattr(torch, n)(x),
                [randn(3, 4)],
                ops=(f"{name}_all",),
            ),
            case(
                name,
                "dim",
                lambda torch, x, n=name: getattr(torch, n)(x, 1),
                [randn(3, 4)],
                ops=(f"{name}_dim",),
            ),
            case(
                name,
                "dim-keepdim-method",
                lambda torch, x, n=name: getattr(x, n)(dim=0, keepdim=True),
                [randn(3, 4)],
                ops=(f"{name}_dim",),
            ),
            case(
                name,
                "fields",
                lambda torch, x, n=name: getattr(x, n)(-1).indices * 1,
                [randn(2, 3)],
                ops=(f"{name}_dim",),
            ),
            case(
                name,
                "noncontig",
                lambda torch, x, n=name: getattr(torch, n)(x, 0),
                [randn(3, 4)],
                noncontig=True,
            ),
            case(
                name,
                "binary",
                lambda torch, x, y, n=name: getattr(torch, n)(x, y),
                [randn(3, 4), randn(4)],
                ops=("maximum" if name == "max" else "minimum",),
            ),
            case(
                name,
                "int-ties",
                lambda torch, x, n=name: getattr(torch, n)(x, 1),
                [ties],
                ops=(f"{name}_dim",),
            ),
            case(name, "0d", lambda torch, x, n=name: getattr(torch, n)(x, 0), [np.float32(2.5)]),
            case(
                name,
                "empty-raises",
                lambda torch, x, n=name: getattr(torch, n)(x),
                [randn(0, 2)],
                match="numel\\(\\) == 0",
            ),
            case(
                name,
                "nan",
                lambda torch, x, n=name: getattr(torch, n)(x, 0),
                [np.array([1.0, np.nan, 3.0], np.float32)],
                grad=False,
            ),
        ]
    for name in ("argmax", "argmin"):
        out += [
            case(name, "all", lambda torch, x, n=name: getattr(torch, n)(x), [randn(3, 4)]),
            case(
                name,
                "dim-keepdim",
                lambda torch, x, n=name: getattr(x, n)(1, keepdim=True),
                [randn(3, 4)],
            ),
            case(
                name,
                "all-keepdim",
                lambda torch, x, n=name: getattr(x, n)(keepdim=True),
                [randn(3, 4)],
            ),
            case(name, "int-ties", lambda torch, x, n=name: getattr(torch, n)(x, dim=1), [ties]),
            case(
                name,
                "noncontig",
                lambda torch, x, n=name: getattr(torch, n)(x, 0),
                [randn(3, 4)],
                noncontig=True,
            ),
        ]
    return out


@pytest.mark.parametrize("fn,inputs,kw", _extreme_cases())
def test_max_min_arg(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _norm_cases():
    x = randn(3, 4)
    return [
        case("norm", "fro", lambda torch, x: torch.norm(x), [x], ops=("norm_p",)),
        case("norm", "p1-dim", lambda torch, x: x.norm(1, dim=1), [x], ops=("norm_p",)),
        case(
            "norm",
            "p3-keepdim",
            lambda torch, x: x.norm(p=3, dim=0, keepdim=True),
            [x],
            ops=("norm_p",),
        ),
        case("norm", "inf", lambda torch, x: x.norm(float("inf")), [x], ops=("norm_p",)),
        case(
            "norm",
            "noncontig",
            lambda torch, x: x.norm(dim=0),
            [x],
            noncontig=True,
            ops=("norm_p",),
        ),
        case(
            "norm",
            "f64-tuple",
            lambda torch, x: x.norm(2, dim=(0, 1)),
            [x.astype(F64)],
            ops=("norm_p",),
        ),
        case("norm", "int-raises", lambda torch, x: x.norm(), [randint(0, 3, 4)]),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _norm_cases())
def test_norm(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _scan_cases():
    x = randn(3, 4)
    out = []
    for name in ("cumsum", "cumprod", "logcumsumexp"):
        out += [
            case(name, "dim1", lambda torch, x, n=name: getattr(torch, n)(x, 1), [x]),
            case(name, "dim0-method", lambda torch, x, n=name: getattr(x, n)(dim=0), [x]),
            case(
                name,
                "noncontig",
                lambda torch, x, n=name: getattr(torch, n)(x, -1),
                [randn(2, 3)],
                noncontig=True,
            ),
            case(name, "0d", lambda torch, x, n=name: getattr(torch, n)(x, 0), [np.float32(1.5)]),
        ]
    out += [
        case("cumsum", "int", lambda torch, x: torch.cumsum(x, 0), [randint(-3, 4, 5)]),
        case(
            "cumsum", "bool", lambda torch, x: torch.cumsum(x, 0), [randint(0, 2, 5).astype(bool)]
        ),
        case(
            "cumsum", "dtype", lambda torch, x: torch.cumsum(x, 0, dtype=torch.float64), [randn(4)]
        ),
        case("cumprod", "int", lambda torch, x: x.cumprod(0), [randint(-3, 4, 5)]),
        case("cumsum", "inplace", lambda torch, x: x.clone().cumsum_(0), [randn(4)]),
        case("cummax", "dim", lambda torch, x: torch.cummax(x, 1), [x], ops=("cummax_k",)),
        case("cummin", "dim", lambda torch, x: torch.cummin(x, 0), [x], ops=("cummin_k",)),
        case(
            "cummax",
            "int-ties",
            lambda torch, x: x.cummax(0),
            [np.array([1, 3, 3, 2, 5])],
            ops=("cummax_k",),
        ),
        case(
            "cummin",
            "int-ties",
            lambda torch, x: x.cummin(0),
            [np.array([3, 1, 1, 2, 0])],
            ops=("cummin_k",),
        ),
        case("diff", "default", lambda torch, x: torch.diff(x), [x]),
        case("diff", "n2-dim0", lambda torch, x: x.diff(n=2, dim=0), [randn(4, 3)]),
        case("diff", "int", lambda torch, x: torch.diff(x), [randint(0, 9, 5)]),
    ]
    return out


@pytest.mark.parametrize("fn,inputs,kw", _scan_cases())
def test_scans(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _sort_cases():
    x = randn(3, 5)
    return [
        case("sort", "default", lambda torch, x: torch.sort(x), [x], ops=("sort_k",)),
        case(
            "sort",
            "dim0-descending",
            lambda torch, x: x.sort(0, descending=True),
            [x],
            ops=("sort_k",),
        ),
        case(
            "sort",
            "stable-int-ties",
            lambda torch, x: torch.sort(x, stable=True),
            [np.array([3, 1, 3, 1, 2])],
            ops=("sort_k",),
        ),
        case(
            "sort",
            "stable-desc-ties",
            lambda torch, x: torch.sort(x, descending=True, stable=True),
            [np.array([3, 1, 3, 1, 2])],
            ops=("sort_k",),
        ),
        case(
            "sort",
            "noncontig",
            lambda torch, x: torch.sort(x, dim=-1),
            [x],
            noncontig=True,
            ops=("sort_k",),
        ),
        case(
            "sort",
            "nan",
            lambda torch, x: torch.sort(x),
            [np.array([2.0, np.nan, 1.0], np.float32)],
            grad=False,
        ),
        case(
            "sort",
            "nan-desc",
            lambda torch, x: torch.sort(x, descending=True),
            [np.array([2.0, np.nan, 1.0], np.float32)],
            grad=False,
        ),
        case(
            "sort",
            "bool",
            lambda torch, x: torch.sort(x, stable=True).values,
            [np.array([True, False, True])],
        ),
        case("argsort", "default", lambda torch, x: torch.argsort(x), [x]),
        case("argsort", "descending", lambda torch, x: x.argsort(dim=0, descending=True), [x]),
        case(
            "argsort", "stable", lambda torch, x: x.argsort(stable=True), [np.array([2, 1, 2, 1])]
        ),
        case("topk", "default", lambda torch, x: torch.topk(x, 2), [x], ops=("topk_k",)),
        case(
            "topk",
            "smallest-dim0",
            lambda torch, x: x.topk(2, dim=0, largest=False),
            [x],
            ops=("topk_k",),
        ),
        case("topk", "noncontig", lambda torch, x: x.topk(1), [x], noncontig=True),
        case("topk", "k-too-big", lambda torch, x: x.topk(9), [x], match="out of range"),
        case(
            "kthvalue", "default", lambda torch, x: torch.kthvalue(x, 2), [x], ops=("kthvalue_k",)
        ),
        case(
            "kthvalue",
            "dim0-keepdim",
            lambda torch, x: x.kthvalue(3, 0, True),
            [x],
            ops=("kthvalue_k",),
        ),
        case("median", "all", lambda torch, x: torch.median(x), [x], ops=("median_all",)),
        case("median", "even-all", lambda torch, x: x.median(), [randn(4)], ops=("median_all",)),
        case("median", "dim", lambda torch, x: torch.median(x, 1), [x], ops=("median_dim",)),
        case(
            "median", "dim-keepdim-even", lambda torch, x: x.median(0, keepdim=True), [randn(4, 3)]
        ),
        case("quantile", "scalar-q", lambda torch, x: torch.quantile(x, 0.3), [x]),
        case(
            "quantile",
            "tensor-q-dim",
            lambda torch, x, q: torch.quantile(x, q, dim=1, keepdim=True),
            [x, np.array([0.25, 0.5], np.float32)],
            grad=False,
        ),
        case(
            "quantile",
            "interpolation",
            lambda torch, x: x.quantile(0.4, dim=0, interpolation="nearest"),
            [x],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _sort_cases())
def test_sorting(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _softmax_cases():
    x = randn(3, 4)
    return [
        case("softmax", "dim1", lambda torch, x: torch.softmax(x, 1), [x]),
        case("softmax", "dim0-method", lambda torch, x: x.softmax(dim=0), [x]),
        case("softmax", "dtype", lambda torch, x: torch.softmax(x, -1, dtype=torch.float64), [x]),
        case("softmax", "noncontig", lambda torch, x: torch.softmax(x, -1), [x], noncontig=True),
        case("softmax", "0d", lambda torch, x: torch.softmax(x, 0), [np.float32(3.0)]),
        case(
            "softmax",
            "functional",
            lambda torch, x: torch.nn.functional.softmax(x, dim=-1),
            [randn(2, 3, 4)],
        ),
        case("log_softmax", "dim1", lambda torch, x: torch.log_softmax(x, 1), [x]),
        case("log_softmax", "method", lambda torch, x: x.log_softmax(-1), [randn(2, 3, 4)]),
        case(
            "log_softmax",
            "noncontig",
            lambda torch, x: torch.log_softmax(x, 0),
            [x],
            noncontig=True,
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _softmax_cases())
def test_softmax(fn, inputs, kw):
    parity(fn, inputs, **kw)


def test_return_type_fields_are_named_like_torch():
    import torch as pt

    import torchlike as tl

    x = rand(3, 4)
    for name, args in (
        ("max", (1,)),
        ("min", (0,)),
        ("sort", ()),
        ("topk", (2,)),
        ("kthvalue", (1,)),
        ("median", (0,)),
        ("cummax", (0,)),
        ("mode", (0,)) if hasattr(tl, "mode") else ("max", (0,)),
    ):
        p = getattr(pt, name)(pt.tensor(x), *args)
        t = getattr(tl, name)(tl.tensor(x), *args)
        assert type(t).__name__ == type(p).__name__ and type(t).__module__ == "torch.return_types"
        np.testing.assert_allclose(t.values.numpy(), p.values.numpy(), rtol=1e-6)
        np.testing.assert_array_equal(t.indices.numpy(), p.indices.numpy())
        vals, idx = t
        assert vals.shape == p[0].shape and idx.dtype == tl.int64


@seeded
def _statistics_cases():
    x = randn(3, 5)
    v = np.array([[1, 2, 2, 3, 3], [0, 0, 5, 5, 1], [4, 4, 4, 1, 1]])
    return [
        case(
            "bincount",
            "default",
            lambda torch, a: torch.bincount(a),
            [np.array([0, 3, 3, 1])],
            ops=("bincount_k",),
        ),
        case(
            "bincount",
            "weights-minlength",
            lambda torch, a, w: a.bincount(w, minlength=6),
            [np.array([0, 3, 3, 1]), rand(4)],
            grad=False,
            ops=("bincount_k",),
        ),
        case("histc", "range", lambda torch, x: torch.histc(x, bins=4, min=-1, max=1), [x]),
        case("histc", "auto-range", lambda torch, x: x.histc(5), [x]),
        case("mode", "dim", lambda torch, a: torch.mode(a, 1), [v], ops=("mode_k",)),
        case(
            "mode", "keepdim-method", lambda torch, a: a.mode(0, keepdim=True), [v], ops=("mode_k",)
        ),
        case(
            "nanmedian",
            "all",
            lambda torch, x: torch.nanmedian(x),
            [np.array([1.0, np.nan, 3.0, 2.0], np.float32)],
            grad=False,
        ),
        case(
            "nanmedian",
            "dim",
            lambda torch, x: x.nanmedian(1),
            [np.array([[1.0, np.nan, 3.0], [4.0, 2.0, 0.0]], np.float32)],
            grad=False,
        ),
        case(
            "nanquantile",
            "default",
            lambda torch, x: torch.nanquantile(x, 0.5, dim=0),
            [np.array([[1.0, np.nan], [3.0, 4.0], [5.0, 6.0]], np.float32)],
            grad=False,
            ops=("nanquantile_k",),
        ),
        case("cov", "default", lambda torch, x: torch.cov(x), [x]),
        case("corrcoef", "default", lambda torch, x: x.corrcoef(), [x]),
        case("isin", "default", lambda torch, a, b: torch.isin(a, b), [v, np.array([1, 4])]),
        case(
            "isin",
            "invert",
            lambda torch, a, b: torch.isin(a, b, invert=True),
            [v, np.array([1, 4])],
        ),
        case("isclose", "allclose", lambda torch, a, b: torch.allclose(a, a + b * 1e-9), [x, x]),
        case("isclose", "allclose-false", lambda torch, a, b: a.allclose(b), [x, x + 1]),
        case(
            "eq",
            "equal",
            lambda torch, a, b: (torch.equal(a, a), a.equal(b), torch.equal(a, a[:1])),
            [x, x + 1],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _statistics_cases())
def test_statistics(fn, inputs, kw):
    parity(fn, inputs, **kw)


@pytest.mark.parametrize(
    "name, dtype",
    [
        ("cumsum", "float32"),
        ("cumsum", "float16"),
        ("cumsum", "complex64"),
        ("cumprod", "float32"),
        ("cumprod", "float16"),
    ],
)
def test_cumulative_ops_carry_a_wider_running_value_like_atens_cpu_kernel(name, dtype):
    """A float32 cumsum/cumprod is a float64 running value rounded at each output on PyTorch's CPU
    (a float32 scan differs in the last bit at most positions of a 4096-long cumsum)."""
    x = np.random.default_rng(0).standard_normal((3, 700)).astype(np.float32)
    if name == "cumprod":
        x = 1 + x / 64
    if dtype == "complex64":
        x = x + 1j * x[::-1]
    results = []
    for lib in (tl, pt):
        t = lib.from_numpy(x).to(getattr(lib, dtype))
        results.append([getattr(t, name)(1).numpy(), getattr(t, name)(0).numpy()])
    for got, want in zip(*results):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("reduction", ["mean-all", "mean-dim", "mean-grad", "mse-loss", "l1-loss"])
def test_mean_divides_the_sum_by_the_count_correctly_rounded(reduction):
    """PyTorch's CPU mean is the sum divided by the count; XLA turns a division by a constant into
    a product with its reciprocal (20 ones among 200 gave 0.099999994, not 0.1)."""
    counts = np.arange(1, 201, dtype=np.float32)
    x = (np.arange(200)[None, :] < counts[:, None]).astype(np.float32)  # row i: i+1 ones of 200
    results = []
    for lib in (tl, pt):
        t = lib.from_numpy(x)
        if reduction == "mean-all":
            out = lib.stack([t[i].mean() for i in range(0, 200, 7)])
        elif reduction == "mean-dim":
            out = t.mean(1)
        elif reduction == "mean-grad":
            w = lib.from_numpy(counts[:7]).requires_grad_()
            w.mean().backward()
            w2 = lib.from_numpy(counts[:200]).requires_grad_()
            (w2 * 3).mean().backward()
            out = lib.cat([w.grad, w2.grad])
        else:
            fn = lib.nn.functional.mse_loss if reduction == "mse-loss" else lib.nn.functional.l1_loss
            out = lib.stack([fn(t[i], lib.zeros(200)) for i in range(0, 200, 7)])
        results.append(out.detach().numpy())
    np.testing.assert_array_equal(*results)
