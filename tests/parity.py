"""Run one function on real PyTorch and on torchlike; compare values, shapes, dtypes and gradients.

    parity(lambda torch, x, y: torch.add(x, y, alpha=2), inputs=[randn(2, 3), randn(3)])

``fn(torch_module, *inputs)`` is called twice: once with ``torch`` and tensors built from the NumPy
``inputs``, once with ``torchlike``. Non-array inputs (numbers, tuples, None) are passed unchanged.
Outputs may be tensors, Python numbers, ``Size``s or (named) tuples/lists of them. With
``grad=True`` every floating input requires grad and the gradients of all of them with respect to
a random projection ``sum_i <out_i, w_i>`` of the floating outputs are compared as well.

``noncontig=True`` feeds every input of rank >= 1 as a non-contiguous view: a transposed
(``permute`` of a reversed-layout base) tensor for rank >= 2, a strided slice for rank 1; the
gradients are then taken with respect to the underlying bases.

``ops=("name", ...)`` asserts that torchlike dispatched each named registered op during the run,
so a sweep table can claim which ops it covers (see ``DISPATCHED``).

If PyTorch raises, torchlike must raise the same exception type (message checked with
``match`` when given).
"""

from __future__ import annotations

import contextlib
import re

import numpy as np

__all__ = [
    "parity",
    "case",
    "randn",
    "rand",
    "randint",
    "rng",
    "CLAIMED",
    "DISPATCHED",
    "recording_dispatch",
]

rng = np.random.default_rng(0)

# op names torchlike dispatched inside parity runs, and the op names sweep tables claim to cover
DISPATCHED: set[str] = set()
CLAIMED: set[str] = set()

_TOL = {
    "float16": (1e-3, 1e-3),
    "bfloat16": (1e-2, 1e-2),
    "float32": (1e-5, 1e-5),
    "float64": (1e-10, 1e-10),
    "complex64": (1e-5, 1e-5),
    "complex128": (1e-10, 1e-10),
}

# gradients sum many products: a little more rounding
_GRAD_TOL = {
    "float16": (1e-2, 1e-2),
    "bfloat16": (5e-2, 5e-2),
    "float32": (1e-4, 1e-5),
    "complex64": (1e-4, 1e-5),
    "float64": (1e-9, 1e-10),
    "complex128": (1e-9, 1e-10),
}


def seeded(builder):
    """Reseed the input generator before a table builder runs, so a table's inputs do not depend on
    which other test files were collected first."""
    import functools
    import zlib

    @functools.wraps(builder)
    def run(*args, **kwargs):
        global rng
        rng = np.random.default_rng(zlib.crc32(builder.__qualname__.encode()))
        return builder(*args, **kwargs)

    return run


def randn(*shape, dtype=np.float32) -> np.ndarray:
    return np.asarray(rng.standard_normal(shape)).astype(dtype)


def rand(*shape, low=0.0, high=1.0, dtype=np.float32) -> np.ndarray:
    return np.asarray(rng.uniform(low, high, shape)).astype(dtype)


def randint(low, high, *shape, dtype=np.int64) -> np.ndarray:
    return np.asarray(rng.integers(low, high, shape)).astype(dtype)


def case(name, variant, fn, inputs=(), *, ops=None, marks=(), **kw):
    """A sweep-table row: ``pytest.param(fn, inputs, kw, id="name-variant")``.

    ``ops`` (default: ``(name,)``) are the registered ops the row claims to exercise; ``parity``
    checks that they were dispatched, and the coverage test checks every op is claimed somewhere.
    """
    import pytest

    from torchlike._ops.registry import OPS

    if ops is None:
        ops = (name,) if name in OPS else ()
    CLAIMED.update(ops)
    return pytest.param(
        fn, list(inputs), dict(kw, ops=tuple(ops)), id=f"{name}-{variant}", marks=marks
    )


@contextlib.contextmanager
def recording_dispatch(names: set):
    """Record the name of every op torchlike dispatches while active. Every op is recorded (small
    host tensors' NumPy shortcut, torchlike/_host_eval.py, is off: these tests check the kernels;
    tests/test_host_eval.py checks the shortcut)."""
    from torchlike import _dispatch, _host_eval

    original, host = _dispatch.record, _host_eval.ENABLED

    def record(op, attrs, values, infer):
        names.add(op.name)
        return original(op, attrs, values, infer)

    _dispatch.record = record
    _host_eval.set_enabled(False)
    try:
        yield names
    finally:
        _dispatch.record = original
        _host_eval.set_enabled(host)


def _is_float(a: np.ndarray) -> bool:
    return a.dtype.kind in "fc"


def _make_inputs(lib, inputs, grad, noncontig):
    """(arguments for fn, leaves whose gradients are compared, positions of those leaves)."""
    args, leaves = [], []
    for i, a in enumerate(inputs):
        if not isinstance(a, (np.ndarray, np.generic)):
            args.append(a)
            continue
        a = np.asarray(a)
        wants_grad = grad and _is_float(a)
        if noncontig and a.ndim >= 2:
            rev = tuple(range(a.ndim - 1, -1, -1))
            base = lib.tensor(np.ascontiguousarray(a.transpose(rev)), requires_grad=wants_grad)
            arg = base.permute(rev)
        elif noncontig and a.ndim == 1:
            padded = np.stack([a, np.zeros_like(a)], axis=1).reshape(-1)
            base = lib.tensor(padded, requires_grad=wants_grad)
            arg = base[::2]
        else:
            base = arg = lib.tensor(a, requires_grad=wants_grad)
        args.append(arg)
        if wants_grad:
            leaves.append((i, base))
    return args, leaves


def _flatten(out, path="out"):
    """[(path, value)] for the tensors and plain values of a (nested) output."""
    if isinstance(out, (tuple, list)):
        items = []
        for k, o in enumerate(out):
            items.extend(_flatten(o, f"{path}[{k}]"))
        return items
    return [(path, out)]


def _structure(out):
    if isinstance(out, tuple) and (hasattr(out, "_fields") or hasattr(out, "n_fields")):
        # torch.return_types.* (structseq in torch, namedtuple in torchlike): same name, same order
        return (type(out).__module__, type(out).__name__, tuple(_structure(o) for o in out))
    if isinstance(out, (tuple, list)):
        return (
            type(out).__name__ if type(out) in (tuple, list) else "tuple",
            tuple(_structure(o) for o in out),
        )
    return "leaf"


def _loosest(dtypes, table):
    """The least precise floating dtype name among ``dtypes`` (a float32 input limits a float64 result)."""
    names = [str(d).replace("torch.", "") for d in dtypes]
    names = [n for n in names if n in table] or ["float64"]
    return max(names, key=lambda n: table[n][0])


def _tol(dtype_name, rtol, atol):
    r, a = _TOL.get(dtype_name, (0, 0))
    return (r if rtol is None else rtol), (a if atol is None else atol)


def _compare_tensor(where, p, t, rtol, atol, check_dtype, pt, equal_nan=True, floor="float64"):
    assert tuple(p.shape) == tuple(t.shape), (
        f"{where}: shape {tuple(t.shape)} != torch {tuple(p.shape)}"
    )
    pd, td = str(p.dtype), str(t.dtype)
    if check_dtype:
        assert pd == td, f"{where}: dtype {td} != torch {pd}"
    pv = p.detach().numpy(force=True) if p.dtype != pt.bfloat16 else p.detach().float().numpy()
    tv = t.detach().float().numpy() if td == "torch.bfloat16" else t.detach().numpy()
    tv = np.asarray(tv)
    r, a = _tol(floor, rtol, atol)
    if pv.dtype.kind in "fc" or tv.dtype.kind in "fc":
        np.testing.assert_allclose(tv, pv, rtol=r, atol=a, equal_nan=equal_nan, err_msg=where)
    else:
        np.testing.assert_array_equal(tv, pv, err_msg=where)


def _compare_plain(where, p, t):
    if hasattr(p, "__iter__") and type(p).__name__ == "Size":
        p = tuple(p)
        t = tuple(t)
    if isinstance(p, float) and isinstance(t, float) and (np.isnan(p) or np.isnan(t)):
        assert np.isnan(p) and np.isnan(t), f"{where}: {t!r} != torch {p!r}"
        return
    if isinstance(p, float):
        assert isinstance(t, float), f"{where}: {type(t).__name__} != torch float"
        np.testing.assert_allclose(t, p, rtol=1e-6, err_msg=where)
        return
    assert type(p) is type(t) or (str(p) == str(t)), (
        f"{where}: {type(t).__name__} != torch {type(p).__name__}"
    )
    assert p == t or str(p) == str(t), f"{where}: {t!r} != torch {p!r}"


def _run(lib, fn, inputs, grad, noncontig):
    args, leaves = _make_inputs(lib, inputs, grad, noncontig)
    return fn(lib, *args), leaves


def parity(
    fn,
    inputs=(),
    *,
    grad=True,
    rtol=None,
    atol=None,
    grad_rtol=None,
    grad_atol=None,
    noncontig=False,
    check_dtype=True,
    ops=(),
    match=None,
    equal_nan=True,
):
    """Compare ``fn(torch, *inputs)`` with ``fn(torchlike, *inputs)``; return both outputs."""
    import pytest

    pt = pytest.importorskip("torch")
    import torchlike as tl

    inputs = list(inputs)
    seen: set[str] = set()
    try:
        p_out, p_leaves = _run(pt, fn, inputs, grad, noncontig)
    except Exception as e:  # torch rejects the call: torchlike must too
        with recording_dispatch(seen), pytest.raises(type(e)) as info:
            _run(tl, fn, inputs, grad, noncontig)
        if match is not None:
            assert re.search(match, str(e)), f"torch's message {str(e)!r} does not match {match!r}"
            assert re.search(match, str(info.value)), (
                f"torchlike's message {str(info.value)!r} ≠ {match!r}"
            )
        return e, info.value
    with recording_dispatch(seen):
        t_out, t_leaves = _run(tl, fn, inputs, grad, noncontig)
        DISPATCHED.update(seen)
        assert _structure(t_out) == _structure(p_out), (
            f"output structure {_structure(t_out)} != torch {_structure(p_out)}"
        )
        p_items, t_items = _flatten(p_out), _flatten(t_out)
        p_float, t_float = [], []
        for (where, p), (_, t) in zip(p_items, t_items):
            if isinstance(p, pt.Tensor):
                assert isinstance(t, tl.Tensor), f"{where}: {type(t).__name__} is not a Tensor"
                if grad:
                    assert t.requires_grad == p.requires_grad, (
                        f"{where}: requires_grad {t.requires_grad} != torch {p.requires_grad}"
                    )
                if p.requires_grad and grad:
                    p_float.append(p)
                    t_float.append(t)
            else:
                assert not isinstance(t, tl.Tensor), (
                    f"{where}: a Tensor where torch returns {type(p).__name__}"
                )
        p_grads = t_grads = ()
        if p_float and p_leaves:
            weights = [randn(*p.shape, dtype=np.float64) for p in p_float]
            p_loss = sum((p * pt.tensor(w, dtype=p.dtype)).sum() for p, w in zip(p_float, weights))
            t_loss = sum((t * tl.tensor(w, dtype=t.dtype)).sum() for t, w in zip(t_float, weights))
            p_grads = pt.autograd.grad(p_loss, [b for _, b in p_leaves], allow_unused=True)
            t_grads = tl.autograd.grad(t_loss, [b for _, b in t_leaves], allow_unused=True)
    floor = _loosest(
        [a.dtype for a in inputs if isinstance(a, np.ndarray)]
        + [p.dtype for _, p in p_items if isinstance(p, pt.Tensor)],
        _TOL,
    )
    for name in ops:
        assert name in seen, f"op {name!r} was not dispatched (dispatched: {sorted(seen)})"
    for (where, p), (_, t) in zip(p_items, t_items):
        if isinstance(p, pt.Tensor):
            _compare_tensor(where, p, t, rtol, atol, check_dtype, pt, equal_nan, floor)
        else:
            _compare_plain(where, p, t)
    for (i, pb), pg, tg in zip(p_leaves, p_grads, t_grads):
        where = f"grad of input {i}"
        if pg is None:
            pg = pt.zeros_like(pb)
        if tg is None:
            np.testing.assert_array_equal(pg.numpy(), 0, err_msg=f"{where}: torchlike gives None")
            continue
        gr, ga = _GRAD_TOL.get(floor, (None, None))
        gr = grad_rtol if grad_rtol is not None else rtol if rtol is not None else gr
        ga = grad_atol if grad_atol is not None else atol if atol is not None else ga
        _compare_tensor(where, pg, tg, gr, ga, check_dtype, pt, equal_nan, floor)
    return p_out, t_out
