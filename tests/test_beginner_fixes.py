"""Fixes found running L1aoXingyu/pytorch-beginner (tests/tutorials/scripts/t220-t227), each
checked against real PyTorch: item assignment (value's leading size-1 dims, CopySlices /
CopyBackwards / IndexPutBackward0 nodes, PyTorch's shape errors), copy_ recording its own
history, and fill_ / zero_ node names."""

from __future__ import annotations

import re

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")

_ADDR = re.compile(r"0x[0-9a-f]+")


def _assign(mod, index, value_shape, target_shape=(2, 3)):
    """x[index] = v for a zeros x and an arange v; the values, or the error's type and words."""
    x = mod.zeros(*target_shape)
    v = mod.arange(1, 1 + int(np.prod(value_shape)), dtype=mod.float32).reshape(value_shape)
    idx = index(mod) if callable(index) else index
    try:
        x[idx] = v
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, str(e)
    return x.tolist()


_INDEXES = {
    "col": (slice(None), 0),
    "row": 0,
    "elem": (0, 1),
    "ellipsis": Ellipsis,
    "full-slice": slice(None),
    "none": None,
    "rows-tensor": lambda mod: mod.tensor([0, 1]),
    "int-and-tensor": lambda mod: (0, mod.tensor([1, 2])),
    "mask": lambda mod: mod.tensor([[True, False, True], [False, False, False]]),
}

_VALUE_SHAPES = [(1, 2), (1, 1, 3), (2, 1), (2, 3), (1, 1, 2, 3), (2, 1, 3), (2,), (3,), (1, 1)]


@pytest.mark.parametrize("index", list(_INDEXES), ids=list(_INDEXES))
@pytest.mark.parametrize("shape", _VALUE_SHAPES, ids=["x".join(map(str, s)) for s in _VALUE_SHAPES])
def test_setitem_value_broadcast_and_errors_match_pytorch(index, shape):
    expected = _assign(torch, _INDEXES[index], shape)
    got = _assign(torchlike, _INDEXES[index], shape)
    assert got == expected


def test_setitem_empty_mask_rejects_a_value_that_does_not_broadcast():
    def run(mod):
        x = mod.zeros(2, 3)
        try:
            x[x > 1] = mod.ones(1, 4)
        except RuntimeError as e:
            return str(e)
        return None

    assert run(torchlike) == run(torch) is not None


def _node_names(mod):
    w = mod.ones(3, requires_grad=True)
    out = []
    for index, value in [
        ((0, 0), lambda: w[0] * 2),
        (0, lambda: w * 2),
        ((slice(None), 1), lambda: w[:2] * 2),
        ((slice(1, None), 1), lambda: w[:1] * 2),
        (Ellipsis, lambda: w * 2),
        (slice(None), lambda: w * 2),
        ((), lambda: w * 2),
        ((0, mod.tensor([1, 2])), lambda: w[:2] * 2),
        ((slice(None), mod.tensor([1, 2])), lambda: w[:2] * 2),
        (mod.tensor([0]), lambda: w * 2),
        ([0, 1], lambda: w * 2),
        (mod.tensor([True, False]), lambda: w * 2),
        (None, lambda: w * 2),
    ]:
        x = mod.zeros(2, 3)
        x[index] = value()
        out.append((x.grad_fn.name(), type(x.grad_fn).__name__, _ADDR.sub("0x", repr(x))))
    y = w * 1
    y[y > 0.5] = 0.0
    out.append(y.grad_fn.name())
    y = w * 1
    y[:2].add_(1)
    out.append((y.grad_fn.name(), _ADDR.sub("0x", repr(y.grad_fn))))
    return out


def test_setitem_grad_fn_names_match_pytorch():
    assert _node_names(torchlike) == _node_names(torch)


def test_setitem_through_a_view_backpropagates_as_pytorch():
    def run(mod):
        m = mod.tensor([[2.0, 3.0]], requires_grad=True)
        n = mod.zeros(1, 2)
        n[0, 0] = m[0, 0] ** 2
        n[0, 1] = m[0, 1] ** 3
        n.backward(mod.tensor([[1.0, 1.0]]))
        j = mod.zeros(2, 2)
        j[:, 0] = m.grad.data  # (1, 2) into (2,)
        k = mod.zeros(1, 2)
        m.grad.data.zero_()
        k[0, 0] = m[0, 0] ** 2 + 3 * m[0, 1]
        k[0, 1] = m[0, 1] ** 2 + 2 * m[0, 0]
        k.backward(mod.tensor([[0.0, 1.0]]))
        j[:, 1] = m.grad.data
        return j.tolist(), k.grad_fn.name()

    assert run(torchlike) == run(torch)


def _copy_facts(mod):
    w = mod.tensor([1.0, 2.0, 3.0], requires_grad=True)
    facts = []
    z = mod.zeros(3)
    z.copy_(w)  # a leaf source: z now has a history of its own
    facts.append((z.requires_grad, z.grad_fn.name()))
    (z * z).sum().backward()
    facts.append(w.grad.tolist())
    w.grad = None
    y = w * 2
    y.copy_(mod.ones(3))  # the old value (and its history) gets no gradient
    y.sum().backward()
    facts.append(w.grad.tolist())
    w.grad = None
    x = mod.zeros(2, 3, dtype=mod.float64)
    x.copy_(w)  # cast and broadcast: the gradient is summed back and cast to w's dtype
    facts.append((str(x.dtype), x.grad_fn.name(), [type(f).__name__ for f, _ in x.grad_fn.next_functions if f]))
    (x * mod.arange(6, dtype=mod.float64).reshape(2, 3)).sum().backward()
    facts.append((str(w.grad.dtype), w.grad.tolist()))
    v = mod.zeros(4)
    v[1:].copy_(w * 3)
    facts.append((v.grad_fn.name(), v.tolist()))
    with mod.no_grad():
        q = mod.zeros(3)
        q.copy_(w)
        facts.append((q.requires_grad, q.grad_fn))
    try:
        mod.zeros(2, 3).copy_(w[:2])
    except RuntimeError as e:
        facts.append(str(e))
    return facts


def test_copy_records_copy_backwards_as_pytorch():
    assert _copy_facts(torchlike) == _copy_facts(torch)


def _fill_facts(mod):
    w = mod.ones(3, requires_grad=True)
    out = []
    y = w * 1
    y.fill_(0)
    out.append(y.grad_fn.name())
    y = w * 1
    y.zero_()
    out.append(y.grad_fn.name())
    y = w * 1
    y.fill_(w[1] * 2)
    out.append(y.grad_fn.name())
    y.sum().backward()
    out.append(w.grad.tolist())
    w.grad = None
    x = mod.zeros(3)
    x.fill_(w[0] * 3)  # only the value has a history
    out.append((x.grad_fn.name(), x.requires_grad))
    x.sum().backward()
    out.append(w.grad.tolist())
    return out


@pytest.mark.parametrize(
    "shapes", [((2, 3), (2,)), ((3,), (2, 3)), ((2, 3), (3, 2)), ((1, 3), (2, 3)), ((4, 3), (2, 1, 3))],
    ids=["clash", "fewer-dims", "transposed", "leading-one", "more-dims"],
)
@pytest.mark.parametrize("grad", [False, True], ids=["plain", "with-grad"])
def test_copy_shape_errors_match_pytorch(shapes, grad):
    def run(mod):
        try:
            mod.zeros(*shapes[0]).copy_(mod.ones(*shapes[1], requires_grad=grad))
        except RuntimeError as e:
            return str(e)
        return None

    assert run(torchlike) == run(torch) is not None


def test_fill_and_zero_node_names_and_gradients_match_pytorch():
    assert _fill_facts(torchlike) == _fill_facts(torch)


@pytest.mark.parametrize(
    "inp, tgt", [([1.5], [1.0]), ([0.5], [1.5]), ([-0.1], [0.0]), ([float("nan")], [1.0]), ([0.3, 1.0], [0.0, 1.0])]
)
def test_binary_cross_entropy_checks_its_range_as_pytorch(inp, tgt):
    """A forgotten sigmoid before BCELoss: PyTorch's error, not a NaN loss (values on the host)."""

    def outcome(lib):
        try:
            return float(lib.nn.BCELoss()(lib.tensor(inp), lib.tensor(tgt)))
        except RuntimeError as e:
            return str(e)

    want, got = outcome(torch), outcome(torchlike)
    assert got == pytest.approx(want) if isinstance(want, float) else got == want
