"""Parity of tensor creation (from data, by shape, *_like, new_*) against PyTorch; random creation
checked on shape, dtype and distribution (streams differ from PyTorch's by design)."""

import re

import numpy as np
import pytest
from parity import case, parity, randint, randn, seeded

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402


@seeded
def _by_shape_cases():
    return [
        case("zeros", "varargs", lambda torch: torch.zeros(2, 3), [], ops=("zeros_k",)),
        case(
            "zeros",
            "tuple-dtype",
            lambda torch: torch.zeros((2, 3), dtype=torch.int64),
            [],
            ops=("zeros_k",),
        ),
        case("zeros", "0d", lambda torch: torch.zeros(()), [], ops=("zeros_k",)),
        case(
            "zeros",
            "size-obj",
            lambda torch, x: torch.zeros(x.shape),
            [randn(2, 1)],
            ops=("zeros_k",),
        ),
        case(
            "zeros",
            "negative",
            lambda torch: torch.zeros(2, -1),
            [],
            match="Dimension size must be non-negative",
        ),
        case("ones", "bool", lambda torch: torch.ones(3, dtype=torch.bool), [], ops=("ones_k",)),
        case(
            "ones",
            "f64",
            lambda torch: torch.ones([2, 2], dtype=torch.float64),
            [],
            ops=("ones_k",),
        ),
        case("full", "float", lambda torch: torch.full((2, 2), 1.5), [], ops=("full_k",)),
        case("full", "int-infers-long", lambda torch: torch.full((2,), 7), [], ops=("full_k",)),
        case("full", "bool-infers-bool", lambda torch: torch.full((2,), True), [], ops=("full_k",)),
        case(
            "full",
            "dtype",
            lambda torch: torch.full([3], 2, dtype=torch.float32),
            [],
            ops=("full_k",),
        ),
        case("empty", "shape-dtype", lambda torch: torch.empty(2, 3).shape, []),
        case("eye", "square", lambda torch: torch.eye(3), [], ops=("eye_k",)),
        case(
            "eye", "rect-int", lambda torch: torch.eye(2, 4, dtype=torch.int64), [], ops=("eye_k",)
        ),
        case("arange", "int", lambda torch: torch.arange(5), [], ops=("arange_k",)),
        case(
            "arange", "start-end-step", lambda torch: torch.arange(1, 10, 3), [], ops=("arange_k",)
        ),
        case(
            "arange", "negative-step", lambda torch: torch.arange(5, -3, -2), [], ops=("arange_k",)
        ),
        case("arange", "float", lambda torch: torch.arange(0, 1, 0.1), [], ops=("arange_k",)),
        case("arange", "float-end", lambda torch: torch.arange(2.5), [], ops=("arange_k",)),
        case(
            "arange",
            "dtype",
            lambda torch: torch.arange(4, dtype=torch.float64),
            [],
            ops=("arange_k",),
        ),
        case("arange", "empty", lambda torch: torch.arange(3, 3), [], ops=("arange_k",)),
        case(
            "arange",
            "bad-sign",
            lambda torch: torch.arange(0, 5, -1),
            [],
            match="upper bound and lower bound inconsistent with step sign",
        ),
        case("arange", "range-inclusive", lambda torch: torch.range(0, 4), [], ops=("arange_k",)),
        case("linspace", "default", lambda torch: torch.linspace(0, 1, 5), [], ops=("linspace_k",)),
        case(
            "linspace",
            "f64-negative",
            lambda torch: torch.linspace(-2, 3, 7, dtype=torch.float64),
            [],
            ops=("linspace_k",),
        ),
        case(
            "linspace", "one-step", lambda torch: torch.linspace(3, 9, 1), [], ops=("linspace_k",)
        ),
        case(
            "linspace",
            "int",
            lambda torch: torch.linspace(0, 10, 4, dtype=torch.int64),
            [],
            ops=("linspace_k",),
        ),
        case("logspace", "default", lambda torch: torch.logspace(0, 2, 3), [], ops=("logspace_k",)),
        case(
            "logspace",
            "base2",
            lambda torch: torch.logspace(-1, 3, 5, base=2.0),
            [],
            ops=("logspace_k",),
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _by_shape_cases())
def test_by_shape(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _like_cases():
    x = randn(2, 3)
    i = randint(0, 5, 2, 3)
    return [
        case("zeros_like", "f32", lambda torch, x: torch.zeros_like(x), [x], ops=("zeros_like_k",)),
        case(
            "zeros_like",
            "dtype",
            lambda torch, x: torch.zeros_like(x, dtype=torch.int64),
            [x],
            ops=("zeros_like_k",),
        ),
        case("ones_like", "int", lambda torch, x: torch.ones_like(x), [i], ops=("ones_like_k",)),
        case(
            "full_like",
            "float-into-int",
            lambda torch, x: torch.full_like(x, 2.7),
            [i],
            ops=("full_like_k",),
        ),
        case(
            "full_like", "f32", lambda torch, x: torch.full_like(x, -1), [x], ops=("full_like_k",)
        ),
        case("empty_like", "shape", lambda torch, x: torch.empty_like(x).shape, [x]),
        case(
            "zeros_like",
            "noncontig",
            lambda torch, x: torch.zeros_like(x),
            [x],
            noncontig=True,
            ops=("zeros_like_k",),
        ),
        case(
            "zeros_like",
            "requires-grad",
            lambda torch, x: torch.zeros_like(x, requires_grad=True).requires_grad,
            [x],
        ),
        case("zeros", "new-zeros", lambda torch, x: x.new_zeros(4), [i], ops=("zeros_k",)),
        case("ones", "new-ones-tuple", lambda torch, x: x.new_ones((2, 2)), [x], ops=("ones_k",)),
        case("full", "new-full", lambda torch, x: x.new_full((2,), 3), [x], ops=("full_k",)),
        case("empty", "new-empty", lambda torch, x: x.new_empty(3).dtype, [i]),
        case("new_tensor", "keeps-dtype", lambda torch, x: x.new_tensor([1, 2]), [x]),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _like_cases())
def test_like_and_new(fn, inputs, kw):
    parity(fn, inputs, **kw)


@seeded
def _from_data_cases():
    return [
        case("tensor", "int-list", lambda torch: torch.tensor([1, 2]), []),
        case("tensor", "float-list", lambda torch: torch.tensor([[1.0, 2], [3, 4]]), []),
        case("tensor", "bool", lambda torch: torch.tensor([True, False]), []),
        case("tensor", "mixed-bool-int", lambda torch: torch.tensor([True, 2]), []),
        case("tensor", "scalar", lambda torch: torch.tensor(3.5), []),
        case("tensor", "dtype", lambda torch: torch.tensor([1.7, -1.7], dtype=torch.int64), []),
        case("tensor", "complex", lambda torch: torch.tensor([1 + 2j]).dtype, []),
        case("tensor", "empty", lambda torch: torch.tensor([]), []),
        case(
            "tensor", "numpy-f64", lambda torch, a: torch.tensor(a), [randn(3).astype(np.float64)]
        ),
        case(
            "tensor",
            "numpy-int32",
            lambda torch, a: torch.tensor(a.astype(np.int32)),
            [randint(0, 9, 3)],
        ),
        case(
            "tensor",
            "list-of-0d-tensors",
            lambda torch, a: torch.tensor([a[0].item(), a[1].item()]),
            [randn(2)],
        ),
        case("tensor", "ragged", lambda torch: torch.tensor([[1, 2], [3]]), []),
        case(
            "as_tensor",
            "list-dtype",
            lambda torch: torch.as_tensor([1, 2], dtype=torch.float32),
            [],
        ),
        case("as_tensor", "tensor-same", lambda torch, x: torch.as_tensor(x) is x, [randn(2)]),
        case(
            "from_numpy", "f32", lambda torch, a: torch.from_numpy(a) * 2, [randn(2, 2)], grad=False
        ),
        case("from_numpy", "int64", lambda torch, a: torch.from_numpy(a), [randint(0, 5, 3)]),
        case(
            "from_numpy",
            "uint8",
            lambda torch, a: torch.from_numpy(a.astype(np.uint8)),
            [randint(0, 5, 3)],
        ),
        case("scalar_tensor", "default", lambda torch: torch.scalar_tensor(3), []),
        case("tensor", "legacy-constructor", lambda torch: torch.Tensor([1, 2]), []),
        case("tensor", "legacy-shape", lambda torch: torch.Tensor(2, 3).shape, []),
        case(
            "tensor",
            "set-default-dtype",
            lambda torch: (torch.get_default_dtype(), torch.tensor([1.0]).dtype),
            [],
        ),
    ]


@pytest.mark.parametrize("fn,inputs,kw", _from_data_cases())
def test_from_data(fn, inputs, kw):
    parity(fn, inputs, **kw)


def test_default_dtype_changes_float_creation():
    prev = tl.get_default_dtype()
    try:
        tl.set_default_dtype(tl.float64)
        assert tl.tensor([1.5]).dtype == tl.float64 and tl.zeros(2).dtype == tl.float64
        assert tl.arange(0, 1, 0.5).dtype == tl.float64 and tl.tensor([1]).dtype == tl.int64
        assert (tl.ones(2) + 1.5).dtype == tl.float64
        with pytest.raises(TypeError, match="only floating-point types"):
            tl.set_default_dtype(tl.int64)
    finally:
        tl.set_default_dtype(prev)


def test_set_default_device_cpu_matches_torch():
    for lib in (pt, tl):
        assert repr(lib.get_default_device()) == "device(type='cpu')"
        try:
            lib.set_default_device(lib.device("cpu"))
            assert repr(lib.get_default_device()) == "device(type='cpu')"
            assert lib.zeros(2).device == lib.device("cpu") and lib.tensor([1]).device.type == "cpu"
            lib.set_default_device("cpu")
            assert str(lib.randn(2).device) == "cpu"
        finally:
            lib.set_default_device(None)
        assert repr(lib.get_default_device()) == "device(type='cpu')"


def test_random_creation_shapes_dtypes_and_distributions():
    tl.manual_seed(0)
    n = 20000
    u = tl.rand(n)
    assert u.shape == (n,) and u.dtype == tl.float32
    a = u.numpy()
    assert a.min() >= 0 and a.max() < 1 and abs(a.mean() - 0.5) < 0.02
    z = tl.randn(n, dtype=tl.float64).numpy()
    assert z.dtype == np.float64 and abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    r = tl.randint(3, 7, (n,))
    assert r.dtype == tl.int64 and set(np.unique(r.numpy())) == {3, 4, 5, 6}
    assert tl.randint(5, (2, 3)).shape == (2, 3)
    p = tl.randperm(10)
    assert p.dtype == tl.int64 and sorted(p.tolist()) == list(range(10))
    g = tl.normal(2.0, 3.0, size=(n,)).numpy()
    assert abs(g.mean() - 2) < 0.1 and abs(g.std() - 3) < 0.1
    b = tl.bernoulli(tl.full((n,), 0.3)).numpy()
    assert set(np.unique(b)) == {0.0, 1.0} and abs(b.mean() - 0.3) < 0.02
    m = tl.multinomial(tl.tensor([0.0, 1.0, 3.0]), n, replacement=True).numpy()
    assert m.shape == (n,) and (m != 0).all() and abs((m == 2).mean() - 0.75) < 0.02
    assert tl.rand_like(tl.zeros(2, 3, dtype=tl.float64)).dtype == tl.float64
    assert tl.randn_like(tl.zeros(4)).shape == (4,)
    assert tl.randint_like(tl.zeros(4, dtype=tl.int64), 10).dtype == tl.int64
    tl.manual_seed(1)
    first = tl.rand(3).tolist()
    tl.manual_seed(1)
    assert tl.rand(3).tolist() == first


def test_randint_errors_like_torch():
    with pytest.raises(RuntimeError) as p_err:
        pt.randint(5, 3, (2,))
    with pytest.raises(RuntimeError) as t_err:
        tl.randint(5, 3, (2,))
    assert str(t_err.value) == str(p_err.value)


@pytest.mark.parametrize(
    "data",
    [
        "[np.float64(1.5), 2]",
        "[[1.0], [np.float64(2)]]",
        "[np.int32(1), 2]",
        "[[np.int32(1)]]",
        "[np.int16(1), np.int32(2)]",
        "[np.uint8(200), np.int8(1)]",
        "[np.uint8(1), True]",
        "[np.float16(1)]",
        "[np.float16(1), 2]",
        "[np.float32(1), 1j]",
        "[np.array([1, 2], dtype=np.int32)]",
        "[TENSOR(1, dtype=LIB.int32)]",
        "[TENSOR(1.0, dtype=LIB.float16), 2.5]",
    ],
)
def test_tensor_of_a_list_promotes_numpy_scalar_and_tensor_dtypes_as_torch(data):
    """torch.tensor infers each leaf's dtype (NumPy scalars and tensors keep theirs) and promotes."""

    def infer(lib):
        expr = data.replace("TENSOR", "lib.tensor").replace("LIB", "lib")
        return str(lib.tensor(eval(expr)).dtype), str(lib.as_tensor(eval(expr)).dtype)

    assert infer(tl) == infer(pt)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize(
    "start, end, steps",
    [(-3.141592653589793, 3.141592653589793, 2000), (0.1, 3.7, 1001), (-3, 3, 50)],
)
def test_linspace_rounds_in_the_dtype_bit_for_bit_like_atens_cpu_kernel(start, end, steps, dtype):
    """ATen divides the step in the dtype and forms each point with one fma (float32), or op by
    op in the dtype (half types); float64 arithmetic is off by an ulp at about a third of the
    points (the polynomial-fit tutorial's losses then drift)."""
    want = pt.linspace(start, end, steps, dtype=getattr(pt, dtype)).float().numpy()
    got = tl.linspace(start, end, steps, dtype=getattr(tl, dtype)).float().numpy()
    assert np.array_equal(got, want)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("n", [3, 8, 40])
def test_complex_rand_and_randn_fill_the_real_view_like_pytorch(dtype, n):
    """ATen draws a complex tensor as its view_as_real, a normal with std/sqrt(2) per part, so the
    values and the draws left for the next call are PyTorch's."""
    out = []
    for lib in (tl, pt):
        lib.manual_seed(5)
        d = getattr(lib, dtype)
        out.append(
            [
                lib.randn(n, dtype=d),
                lib.rand(n, dtype=d),
                lib.randn_like(lib.zeros(2, 2, dtype=d)),
                lib.randn(3),
            ]
        )
    for got, want in zip(*out):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        assert got.numpy().dtype == want.numpy().dtype


_ADDRESS = re.compile(r"0x[0-9a-f]+")  # (ids equal in every xdist worker)
_BAD_DATA = [
    [1, "a"],
    ["a", 1],
    [1, None],
    [None],
    [object()],
    [1, [2]],
    [[1, 2], [3]],
    [[1], 2],
    [1, 2**70],
    [1, 1 + 2j],
    [1, b"x"],
    [np.str_("a")],
    [1, {}],
]


@pytest.mark.parametrize("dtype", [None, "float64", "int64"])
@pytest.mark.parametrize("data", _BAD_DATA, ids=[_ADDRESS.sub("0x", repr(d)) for d in _BAD_DATA])
def test_tensor_from_bad_python_data_raises_or_reads_like_torch(data, dtype):
    """torch.tensor reads shape, then dtype, then stores: the same error type and message (or
    the same value: [1, 2**70] as float64, [1, 1+2j] as complex64)."""
    kwargs = {} if dtype is None else {"dtype": getattr(pt, dtype)}
    try:
        expected = pt.tensor(data, **kwargs)
    except Exception as error:  # noqa: BLE001
        with pytest.raises(type(error)) as ours:
            tl.tensor(data, **({} if dtype is None else {"dtype": getattr(tl, dtype)}))
        assert str(ours.value).split(" at 0x")[0] == str(error).split(" at 0x")[0]
        return
    got = tl.tensor(data, **({} if dtype is None else {"dtype": getattr(tl, dtype)}))
    assert str(got.dtype) == str(expected.dtype)
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


@pytest.mark.parametrize(
    "args, kwargs",
    [((5, (2,)), {}), ((5,), {"size": (3,)}), ((2, 5, (3,)), {}), ((), {"high": 5, "size": (2,)})],
)
def test_randint_overloads_draw_what_torch_draws(args, kwargs):
    """``torch.randint(len(data), size=(1,))`` (the Datasets & DataLoaders tutorial) is
    randint(high, size)."""
    pt.manual_seed(3)
    tl.manual_seed(3)
    assert tl.randint(*args, **kwargs).tolist() == pt.randint(*args, **kwargs).tolist()


_ARANGE_CASES = [(-8.0, 8.0, 0.1), (-3.3, 7.1, 0.037), (0.3, 9.9, 0.123), (-1, 1.03, 0.01), (10, -2.5, -0.7),
                 (0, 5, 0.1)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("start, end, step", _ARANGE_CASES)
def test_float_arange_is_bit_for_bit_atens_cpu_kernel(start, end, step, dtype):
    """ATen computes in double from the unrounded start, two 32-byte vectors at a time as
    float(base) + k * step with fma contraction, and the tail one fma each: -8 + 80 * 0.1 is
    4.4e-16 (so d2l's ``relu(arange(-8., 8., 0.1))`` prints in scientific notation), and about a
    fifth of the points of arange(-3.3, 7.1, 0.037) differ from start + i * step."""
    want = pt.arange(start, end, step, dtype=getattr(pt, dtype)).numpy()
    got = tl.arange(start, end, step, dtype=getattr(tl, dtype)).numpy()
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_long_float_arange_follows_atens_parallel_chunks():
    """Beyond GRAIN_SIZE (32768) each thread's chunk has its own vectors and tail."""
    if pt.get_num_threads() != tl.get_num_threads():
        pytest.skip("the chunks depend on the thread count")
    want = pt.arange(-5, 5, 0.00029).numpy()
    got = tl.arange(-5, 5, 0.00029).numpy()
    assert len(want) > 32768 and np.array_equal(got, want)
