"""Type promotion against torch.result_type: tensor/tensor, tensor/0-d tensor, tensor/Python scalar,
across the bool < integer < floating < complex categories, and the dtypes real ops produce."""

import itertools

import numpy as np
import pytest

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402

# torchlike has no complex32 (chalf): float16 with complex promotes to complex64 there (documented)
NO_COMPLEX32 = "torch.complex32"
NAMES = [
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
]
SCALARS = [True, 3, -2.5, 1 + 2j]


def _pair(name, dim):
    p = pt.ones(2, dtype=getattr(pt, name)) if dim else pt.ones((), dtype=getattr(pt, name))
    t = tl.ones(2, dtype=getattr(tl, name)) if dim else tl.ones((), dtype=getattr(tl, name))
    return p, t


@pytest.mark.parametrize("kind", ["tensor-tensor", "tensor-0d", "0d-0d", "0d-tensor"])
def test_result_type_of_tensor_pairs(kind):
    dims = {"tensor-tensor": (1, 1), "tensor-0d": (1, 0), "0d-0d": (0, 0), "0d-tensor": (0, 1)}[
        kind
    ]
    bad = []
    for a, b in itertools.product(NAMES, NAMES):
        pa, ta = _pair(a, dims[0])
        pb, tb = _pair(b, dims[1])
        want = str(pt.result_type(pa, pb))
        got = str(tl.result_type(ta, tb))
        if got != want and want != NO_COMPLEX32:
            bad.append((a, b, got, want))
    assert not bad, f"(lhs, rhs, torchlike, torch): {bad}"


def test_result_type_of_tensor_and_python_scalar():
    bad = []
    for name, s in itertools.product(NAMES, SCALARS):
        for dim in (1, 0):
            pa, ta = _pair(name, dim)
            want, got = str(pt.result_type(pa, s)), str(tl.result_type(ta, s))
            if got != want and want != NO_COMPLEX32:
                bad.append((name, dim, s, got, want))
    assert not bad, f"(dtype, dim, scalar, torchlike, torch): {bad}"


def test_promote_types_and_can_cast():
    for a, b in itertools.product(NAMES, NAMES):
        assert str(tl.promote_types(getattr(tl, a), getattr(tl, b))) == str(
            pt.promote_types(getattr(pt, a), getattr(pt, b))
        )
        assert tl.can_cast(getattr(tl, a), getattr(tl, b)) == pt.can_cast(
            getattr(pt, a), getattr(pt, b)
        ), (a, b)


OPS = {
    "add": lambda m, a, b: a + b,
    "mul": lambda m, a, b: m.mul(a, b),
    "div": lambda m, a, b: a / b,
    "floor_divide": lambda m, a, b: a // b,
    "pow": lambda m, a, b: a**b,
    "eq": lambda m, a, b: a == b,
    "maximum": lambda m, a, b: m.maximum(a, b),
    "where": lambda m, a, b: m.where(a > 0, a, b),
    "cat": lambda m, a, b: m.cat([a, b.reshape(-1) if b.dim() else b.reshape(1)]),
    "atan2": lambda m, a, b: m.atan2(a, b),
}
OP_DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("op", sorted(OPS))
def test_op_result_dtypes_match_torch(op):
    fn = OPS[op]
    bad = []
    for a, b in itertools.product(OP_DTYPES, OP_DTYPES):
        for dims in ((1, 1), (1, 0)):
            pa, ta = _pair(a, dims[0])
            pb, tb = _pair(b, dims[1])
            try:
                want = str(fn(pt, pa, pb).dtype)
            except Exception:
                continue  # torch refuses the combination (e.g. bool ** bool); not a promotion question
            try:
                got = str(fn(tl, ta, tb).dtype)
            except Exception as e:  # noqa: BLE001
                got = f"raised {type(e).__name__}"
            if got != want:
                bad.append((a, dims[0], b, dims[1], got, want))
    assert not bad, f"(lhs, lhs-dim, rhs, rhs-dim, torchlike, torch): {bad}"


@pytest.mark.parametrize("scalar", SCALARS[:3], ids=["bool", "int", "float"])
def test_scalar_ops_keep_tensor_dtype_where_torch_does(scalar):
    bad = []
    for name in OP_DTYPES:
        pa, ta = _pair(name, 1)
        for label, fn in (
            ("add", lambda x, s: x + s),
            ("rsub", lambda x, s: s - x),
            ("mul", lambda x, s: x * s),
            ("div", lambda x, s: x / s),
            ("lt", lambda x, s: x < s),
            ("pow", lambda x, s: x**s),
        ):
            try:
                want = str(fn(pa, scalar).dtype)
            except Exception:
                continue
            try:
                got = str(fn(ta, scalar).dtype)
            except Exception as e:  # noqa: BLE001
                got = f"raised {type(e).__name__}"
            if got != want:
                bad.append((label, name, got, want))
    assert not bad, f"(op, dtype, torchlike, torch): {bad}"


def test_promoted_values_are_computed_in_the_wider_type():
    a = np.array([16777217], np.int64)  # not representable in float32
    p = (pt.tensor(a) + pt.tensor(0.5, dtype=pt.float64)).item()
    t = (tl.tensor(a) + tl.tensor(0.5, dtype=tl.float64)).item()
    assert p == t == 16777217.5
    assert (tl.tensor([2**40]) * 2).item() == 2**41  # int64 is really 64-bit
    assert (tl.tensor([1.0], dtype=tl.float64) + 1e-12).item() == 1.0 + 1e-12


def test_inplace_op_keeps_destination_dtype_or_raises_like_torch():
    x = tl.zeros(3, dtype=tl.int64)
    x += 2
    assert x.dtype == tl.int64 and x.tolist() == [2, 2, 2]
    f = tl.zeros(3)
    f += tl.tensor([1, 2, 3])
    assert f.dtype == tl.float32 and f.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(RuntimeError) as p_err:
        pt.zeros(3, dtype=pt.int64).add_(1.5)
    with pytest.raises(RuntimeError) as t_err:
        tl.zeros(3, dtype=tl.int64).add_(1.5)
    assert str(t_err.value) == str(p_err.value)


NUMPY_SCALAR_EXPRESSIONS = [
    "i32 * np.int64(3)",
    "np.int64(3) * i32",
    "np.uint8(3) * i32",
    "i32 + np.int8(1)",
    "i32 * np.float32(1.5)",
    "f16 * np.float64(2)",
    "np.float64(2) * f16",
    "f16 + np.float32(1)",
    "np.float32(1) - f16",
    "np.float32(2) ** f16",
    "np.float32(6) / i32",
    "i32 * np.bool_(True)",
    "np.bool_(True) * i32",
    "b * np.bool_(True)",
]


@pytest.mark.parametrize("expr", NUMPY_SCALAR_EXPRESSIONS)
def test_numpy_scalars_act_as_python_numbers_on_either_side(expr):
    """A NumPy scalar on the left defers to the tensor (a tensor, not an ndarray, comes back) and
    promotes as a wrapped Python number (int32 * np.int64 stays int32)."""

    def run(lib):
        env = {
            "np": np,
            "i32": lib.tensor([1, 2], dtype=lib.int32),
            "f16": lib.tensor([1.0, 2.0], dtype=lib.float16),
            "b": lib.tensor([True, False]),
        }
        r = eval(expr, env)
        assert isinstance(r, lib.Tensor), type(r)
        return str(r.dtype), r.tolist()

    assert run(tl) == run(pt)
