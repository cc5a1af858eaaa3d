"""Views and in-place semantics against PyTorch: writes through views reach the base and every alias,
_version counts writes, autograd through in-place ops on non-leaves, and PyTorch's errors for
in-place ops on leaves that require grad."""

import numpy as np
import pytest
from parity import case, parity, randn, seeded

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402


def _both(fn, *arrays):
    """Run fn(lib, *tensors) on fresh copies for torch and torchlike; return both results as numpy."""
    out = []
    for lib in (pt, tl):
        ts = [lib.tensor(a) for a in arrays]
        r = fn(lib, *ts)
        out.append(
            [
                np.asarray(x.detach().numpy() if hasattr(x, "detach") else x)
                for x in (r if isinstance(r, tuple) else (r,))
            ]
        )
    for p, t in zip(*out):
        np.testing.assert_allclose(t, p, rtol=1e-6, atol=1e-6)
    return out


def _write_through_views():
    def row_add(lib, a):
        a[1].add_(1)
        return a

    def flat_set(lib, a):
        v = a.view(-1)
        v[0] = 5
        return a, v

    def t_set(lib, a):
        a.t()[0] = lib.tensor([7.0, 8.0, 9.0])
        return a

    def mask_zero(lib, a):
        a[a > 0] = 0
        return a

    def data_copy(lib, a):
        w = lib.zeros(3, 4)
        w.data.copy_(a)
        return w

    def chain(lib, a):
        b = a[:, 1:]
        c = b.transpose(0, 1)
        c[0, 0] = -1
        c.mul_(2)
        return a, b, c

    def alias_sees_write(lib, a):
        v1, v2 = a[0], a.view(12)
        a.zero_()
        return v1, v2

    def slice_step(lib, a):
        a[:, ::2] = lib.tensor(3.0)
        return a

    def narrow_fill(lib, a):
        a.narrow(1, 1, 2).fill_(4)
        return a

    def unsqueeze_then_write(lib, a):
        u = a.unsqueeze(0)
        u[0, 2, 3] = 11
        return a

    def diagonal_write(lib, a):
        a[:, :3].diagonal().copy_(lib.tensor([1.0, 2.0, 3.0]))
        return a

    def expand_clone(lib, a):
        e = a[:1].expand(3, 4).clone()
        e[0, 0] = 100
        return a, e

    def select_then_index_put(lib, a):
        r = a.select(1, 2)
        r[lib.tensor([0, 2])] = lib.tensor([5.0, 6.0])
        return a

    def clamp_view(lib, a):
        a[1:].clamp_(-0.1, 0.1)
        return a

    def detach_shares(lib, a):
        d = a.detach()
        d[0, 0] = 42
        return a

    def reshape_view(lib, a):
        r = a.reshape(4, 3)
        r[3].fill_(1)
        return a

    return [
        row_add,
        flat_set,
        t_set,
        mask_zero,
        data_copy,
        chain,
        alias_sees_write,
        slice_step,
        narrow_fill,
        unsqueeze_then_write,
        diagonal_write,
        expand_clone,
        select_then_index_put,
        clamp_view,
        detach_shares,
        reshape_view,
    ]


@pytest.mark.parametrize("fn", _write_through_views(), ids=lambda f: f.__name__)
def test_writes_through_views_reach_base_and_aliases(fn):
    _both(fn, randn(3, 4))


def test_version_counter_counts_writes_like_torch():
    versions = []
    for lib in (pt, tl):
        a = lib.zeros(3, 4)
        v = a[0]
        seq = [a._version]
        a.add_(1)
        seq.append(a._version)
        v.mul_(2)
        seq += [a._version, v._version]
        a[1] = 3
        seq += [a._version, v._version]
        a.fill_(0)
        seq.append(a._version)
        b = a + 1  # out of place: no bump
        seq += [a._version, b._version]
        versions.append(seq)
    assert versions[1] == versions[0]


def test_inplace_on_leaf_requiring_grad_raises_torch_error():
    for lib in (pt, tl):
        w = lib.ones(3, requires_grad=True)
        with pytest.raises(
            RuntimeError,
            match="a leaf Variable that requires grad is being used in an in-place operation",
        ):
            w.add_(1)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            w[0] = 2.0
        with pytest.raises(
            RuntimeError,
            match="a view of a leaf Variable that requires grad is being used in an in-place",
        ):
            w[1:].mul_(2)
        with lib.no_grad():
            w.add_(1)  # allowed under no_grad
            w[0] = 5.0
        assert w.requires_grad and w.is_leaf
        np.testing.assert_allclose(w.detach().numpy(), [5.0, 2.0, 2.0])


def _autograd_through_inplace():
    return [
        case("mul", "inplace-non-leaf", lambda torch, x: (x * 1).mul_(3), [randn(3, 4)]),
        case(
            "add", "inplace-chain", lambda torch, x, y: (x * 2).add_(y).exp_(), [randn(3), randn(3)]
        ),
        case(
            "index_put",
            "setitem-non-leaf",
            lambda torch, x, v: _setitem(x * 1, 1, v),
            [randn(3, 4), randn(4)],
        ),
        case("mul", "view-of-non-leaf", lambda torch, x: _view_mul(x * 1), [randn(3, 4)]),
        case(
            "clamp",
            "inplace-then-use",
            lambda torch, x: (lambda y: y.clamp_(-0.5, 0.5) * y)(x * 1),
            [randn(5)],
        ),
        case(
            "masked_fill",
            "masked-fill-inplace",
            lambda torch, x: (x * 1).masked_fill_(x > 0, 0.0),
            [randn(6)],
        ),
        case(
            "copy",
            "copy-into-slice",
            lambda torch, x, y: _copy_slice(torch, x, y),
            [randn(3, 4), randn(4)],
            ops=(),
        ),
        case("sigmoid", "inplace", lambda torch, x: (x + 0).sigmoid_(), [randn(4)]),
        case("relu", "inplace-view", lambda torch, x: _relu_view(x * 1), [randn(3, 4)]),
    ]


def _setitem(y, i, v):
    y[i] = v
    return y


def _view_mul(y):
    y[:, 1].mul_(5)
    return y


def _copy_slice(torch, x, y):
    z = torch.zeros(3, 4)
    z[1].copy_(y)
    return z * x


def _relu_view(y):
    y[1:].relu_()
    return y


@pytest.mark.parametrize("fn,inputs,kw", _autograd_through_inplace())
def test_autograd_through_inplace_ops(fn, inputs, kw):
    parity(fn, inputs, **kw)


def test_inplace_on_view_of_leaf_under_no_grad_updates_leaf_and_grad_still_works():
    grads = []
    for lib in (pt, tl):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with lib.no_grad():
            w[1:].mul_(10)
        (w * w).sum().backward()
        grads.append((w.detach().numpy().copy(), w.grad.numpy().copy()))
    np.testing.assert_allclose(grads[1][0], grads[0][0])
    np.testing.assert_allclose(grads[1][1], grads[0][1])


def test_manual_sgd_step_in_place_matches_torch_and_does_not_recompile():
    x_np, y_np = randn(8, 3), randn(8, 1)
    w0 = randn(3, 1)
    results = []
    for lib in (pt, tl):
        x, y = lib.tensor(x_np), lib.tensor(y_np)
        w = lib.tensor(w0, requires_grad=True)
        counts = []
        for step in range(10):
            loss = ((x @ w - y) ** 2).mean()
            loss.backward()
            with lib.no_grad():
                w -= (0.1 / (step + 1)) * w.grad
                w.grad.zero_()
            loss.item()
            if lib is tl and step in (2, 9):
                counts.append(tl.metrics.counters()["compiles"])
        results.append(w.detach().numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5, atol=1e-6)
    assert counts[0] == counts[1], f"recompiled after warm-up: {counts}"


@seeded
def _error_cases():
    return [
        case(
            "view",
            "invalid-shape",
            lambda torch, x: x.view(4, 4),
            [randn(3, 5)],
            match=r"shape '\[4, 4\]' is invalid for input of size 15",
        ),
        case(
            "index",
            "index-out-of-range",
            lambda torch, x: x[3],
            [randn(3, 5)],
            match="index 3 is out of bounds for dimension 0 with size 3",
        ),
        case(
            "select",
            "select-out-of-range",
            lambda torch, x: x.select(1, 5),
            [randn(3, 5)],
            match=r"select\(\): index 5 out of range for tensor of size \[3, 5\] at dimension 1",
        ),
        case(
            "cat",
            "cat-mismatch",
            lambda torch, a, b: torch.cat([a, b], dim=1),
            [randn(2, 3), randn(3, 3)],
            match="Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1",
        ),
        case(
            "matmul",
            "matmul-mismatch",
            lambda torch, a, b: a @ b,
            [randn(4, 3), randn(5, 2)],
            match=r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 5x2\)",
        ),
        case("add", "broadcast-mismatch", lambda torch, a, b: a + b, [randn(2, 3), randn(4)]),
        case(
            "add",
            "inplace-broadcast-output",
            lambda torch, a, b: (a * 1).add_(b),
            [randn(3), randn(2, 3)],
            match="doesn't match the broadcast shape",
        ),
        case(
            "sum",
            "dim-out-of-range",
            lambda torch, x: x.sum(dim=3),
            [randn(2, 2)],
            match="Dimension out of range",
        ),
        case(
            "transpose", "transpose-out-of-range", lambda torch, x: x.transpose(0, 2), [randn(2, 2)]
        ),
        case(
            "item",
            "item-of-many",
            lambda torch, x: x.item(),
            [randn(3)],
            match="a Tensor with 3 elements cannot be converted to Scalar",
        ),
        case("bool", "ambiguous-bool", lambda torch, x: bool(x), [randn(3)], match="ambiguous"),
        case(
            "numpy",
            "numpy-requires-grad",
            lambda torch, x: x.numpy(),
            [randn(3)],
            match="Use tensor.detach",
        ),
        case(
            "backward",
            "nonscalar-backward",
            lambda torch, x: (x * 2).backward(),
            [randn(3)],
            match="grad can be implicitly created only for scalar outputs",
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _error_cases())
def test_common_mistakes_raise_torch_errors(fn, inputs, kw):
    parity(fn, inputs, **kw)
