"""torch-namespace names added from the coverage report: the nn ops torch also exports
(torch.conv2d, torch.dropout, torch.batch_norm ... with ATen's signatures), everyday functions
(atleast_*, windows, view_as_complex, combinations, ...), torch.<op>_ in-place functions and the
Tensor methods' second names — each against PyTorch."""

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def run(fn, inputs, grad=True):
    """fn(lib, *tensors) under both libraries: outputs and input gradients."""
    outs = {}
    for name, lib in (("pt", pt), ("tl", tl)):
        ts = [lib.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in inputs]
        out = fn(lib, *ts)
        res = out if isinstance(out, tuple) else (out,)
        grads = []
        if grad:
            total = sum(
                (r.float() * (i + 1)).sum() for i, r in enumerate(res) if r.dtype.is_floating_point
            )
            total.backward()
            grads = [t.grad for t in ts if t.requires_grad]
        outs[name] = (
            [np.asarray(r.detach().numpy()) for r in res],
            [np.asarray(g.numpy()) for g in grads],
        )
    return outs["pt"], outs["tl"]


def check(fn, inputs, grad=True, rtol=1e-5, atol=1e-5):
    (po, pg), (to, tg) = run(fn, inputs, grad)
    assert len(po) == len(to)
    for a, b in zip(po, to):
        assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
        np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)
    for a, b in zip(pg, tg):
        np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)


W = randn(4, 3, 3, 3)
W1 = randn(4, 3, 3)
WT = randn(3, 2, 3, 3)
W3 = randn(2, 3, 2, 2, 2)
WT1 = randn(3, 2, 3)
WT3 = randn(3, 2, 2, 2, 2)

NN_CASES = {
    "conv1d": (lambda L, x: L.conv1d(x, L.tensor(W1), None, 2, 1), [randn(2, 3, 9)]),
    "conv2d": (
        lambda L, x: L.conv2d(x, L.tensor(W), L.tensor(np.ones(4, np.float32)), 1, 1),
        [randn(2, 3, 6, 6)],
    ),
    "conv3d": (lambda L, x: L.conv3d(x, L.tensor(W3)), [randn(1, 3, 4, 4, 4)]),
    "conv_transpose1d": (
        lambda L, x: L.conv_transpose1d(x, L.tensor(WT1), None, 2),
        [randn(2, 3, 5)],
    ),
    "conv_transpose2d": (
        lambda L, x: L.conv_transpose2d(x, L.tensor(WT), None, 2, 1, 1),
        [randn(2, 3, 4, 4)],
    ),
    "conv_transpose3d": (lambda L, x: L.conv_transpose3d(x, L.tensor(WT3)), [randn(1, 3, 3, 3, 3)]),
    "max_pool1d": (lambda L, x: L.max_pool1d(x, 2), [randn(2, 3, 8)]),
    "max_pool2d": (lambda L, x: L.max_pool2d(x, 3, 2, 1), [randn(2, 3, 7, 7)]),
    "max_pool3d": (lambda L, x: L.max_pool3d(x, 2), [randn(1, 2, 4, 4, 4)]),
    "max_pool1d_with_indices": (lambda L, x: L.max_pool1d_with_indices(x, 2, 1), [randn(2, 3, 6)]),
    "avg_pool1d": (lambda L, x: L.avg_pool1d(x, 3, 2, 1), [randn(2, 3, 8)]),
    "adaptive_avg_pool1d": (lambda L, x: L.adaptive_avg_pool1d(x, 3), [randn(2, 3, 7)]),
    "adaptive_max_pool1d": (lambda L, x: L.adaptive_max_pool1d(x, 3), [randn(2, 3, 7)]),
    "selu": (lambda L, x: L.selu(x), [randn(3, 4)]),
    "celu": (lambda L, x: L.celu(x, 0.7), [randn(3, 4)]),
    "threshold": (lambda L, x: L.threshold(x, 0.1, -2.0), [randn(3, 4)]),
    "rrelu_eval": (lambda L, x: L.rrelu(x), [randn(3, 4)]),
    "hardshrink": (lambda L, x: L.hardshrink(x, 0.3), [randn(3, 4)]),
    "prelu": (
        lambda L, x, w: L.prelu(x, w),
        [randn(2, 3, 4), np.array([0.1, 0.2, 0.3], np.float32)],
    ),
    "dropout_eval": (lambda L, x: L.dropout(x, 0.5, False), [randn(3, 4)]),
    "alpha_dropout_eval": (lambda L, x: L.alpha_dropout(x, 0.5, False), [randn(3, 4)]),
    "feature_dropout_eval": (lambda L, x: L.feature_dropout(x, 0.5, False), [randn(2, 3, 4)]),
    "layer_norm": (
        lambda L, x, w, b: L.layer_norm(x, (4,), w, b, 1e-5),
        [randn(2, 3, 4), randn(4), randn(4)],
    ),
    "group_norm": (
        lambda L, x, w, b: L.group_norm(x, 2, w, b),
        [randn(2, 4, 3), randn(4), randn(4)],
    ),
    "rms_norm": (lambda L, x, w: L.rms_norm(x, [4], w, 1e-6), [randn(2, 3, 4), randn(4)]),
    "batch_norm_train": (
        lambda L, x, w, b: L.batch_norm(x, w, b, L.zeros(3), L.ones(3), True, 0.1, 1e-5, False),
        [randn(4, 3, 2), randn(3), randn(3)],
    ),
    "batch_norm_eval": (
        lambda L, x, w, b: L.batch_norm(
            x, w, b, L.tensor([0.1, 0.2, 0.3]), L.tensor([1.0, 2.0, 0.5]), False, 0.1, 1e-5, False
        ),
        [randn(4, 3, 2), randn(3), randn(3)],
    ),
    "instance_norm": (
        lambda L, x, w, b: L.instance_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
        [randn(2, 3, 5), randn(3), randn(3)],
    ),
    "embedding": (lambda L, w: L.embedding(w, L.tensor([[0, 2], [4, 2]])), [randn(5, 3)]),
    "embedding_padding_idx": (
        lambda L, w: L.embedding(w, L.tensor([0, 1, 1, 3]), 1),
        [randn(5, 3)],
    ),
    "pixel_shuffle": (lambda L, x: L.pixel_shuffle(x, 2), [randn(1, 8, 2, 3)]),
    "pixel_unshuffle": (lambda L, x: L.pixel_unshuffle(x, 2), [randn(1, 2, 4, 6)]),
    "channel_shuffle": (lambda L, x: L.channel_shuffle(x, 2), [randn(1, 4, 2, 2)]),
    "native_channel_shuffle": (
        lambda L, x: L.native_channel_shuffle(x, 2),
        [randn(1, 4, 2, 2)],
        False,
    ),
    "cosine_similarity": (lambda L, a, b: L.cosine_similarity(a, b), [randn(3, 4), randn(3, 4)]),
    "pairwise_distance": (
        lambda L, a, b: L.pairwise_distance(a, b, 1.5),
        [randn(3, 4), randn(3, 4)],
    ),
    "pdist": (lambda L, x: L.pdist(x), [randn(4, 3)]),
    "bilinear": (
        lambda L, a, b, w: L.bilinear(a, b, w),
        [randn(2, 3), randn(2, 4), randn(5, 3, 4)],
    ),
    "constant_pad_nd": (lambda L, x: L.constant_pad_nd(x, [1, 2, 0, 1], 0.5), [randn(2, 3, 3)]),
    "grid_sampler": (
        lambda L, x, g: L.grid_sampler(x, g, 0, 1, False),
        [randn(1, 2, 4, 4), (RNG.random((1, 3, 3, 2)) * 2 - 1).astype(np.float32)],
    ),
    "affine_grid_generator": (
        lambda L, t: L.affine_grid_generator(t, [1, 1, 3, 4], False),
        [randn(1, 2, 3)],
    ),
    "kl_div_mean": (
        lambda L, a, b: L.kl_div(a, b),
        [randn(3, 4), RNG.random((3, 4)).astype(np.float32)],
    ),
    "kl_div_sum_log_target": (
        lambda L, a, b: L.kl_div(a, b, 2, log_target=True),
        [randn(3, 4), randn(3, 4)],
    ),
    "kl_div_default_is_elementwise": (
        lambda L, a, b: L.kl_div(a, b),
        [randn(3, 4), RNG.random((3, 4)).astype(np.float32)],
    ),
    "kl_div_mean_int": (
        lambda L, a, b: L.kl_div(a, b, 1),
        [randn(3, 4), RNG.random((3, 4)).astype(np.float32)],
    ),
    "cosine_embedding_loss_mean": (
        lambda L, a, b: L.cosine_embedding_loss(a, b, L.tensor([1, -1, 1]), 0.2, 1),
        [randn(3, 4), randn(3, 4)],
    ),
    "ctc_loss_mean": (
        lambda L, lp: L.ctc_loss(
            lp.log_softmax(2), L.tensor([[1, 2], [2, 2]]), [6, 5], [2, 2], 0, 1
        ),
        [randn(6, 2, 4)],
    ),
    "bce_with_logits": (
        lambda L, a, b: L.binary_cross_entropy_with_logits(
            a, b, None, L.tensor([1.0, 2.0, 0.5]), 2
        ),
        [randn(4, 3), RNG.random((4, 3)).astype(np.float32)],
    ),
    "cosine_embedding_loss": (
        lambda L, a, b: L.cosine_embedding_loss(a, b, L.tensor([1, -1, 1]), 0.2),
        [randn(3, 4), randn(3, 4)],
    ),
    "hinge_embedding_loss": (
        lambda L, a: L.hinge_embedding_loss(a, L.tensor([1, -1, 1, -1]), 0.5, 0),
        [randn(4)],
    ),
    "margin_ranking_loss": (
        lambda L, a, b: L.margin_ranking_loss(a, b, L.tensor([1, -1, 1]), 0.1),
        [randn(3), randn(3)],
    ),
    "poisson_nll_loss": (
        lambda L, a, b: L.poisson_nll_loss(a, b, True, False, 1e-8, 1),
        [randn(5), RNG.random(5).astype(np.float32)],
    ),
    "triplet_margin_loss": (
        lambda L, a, p, n: L.triplet_margin_loss(a, p, n),
        [randn(3, 4), randn(3, 4), randn(3, 4)],
    ),
    "ctc_loss": (
        lambda L, lp: L.ctc_loss(lp.log_softmax(2), L.tensor([[1, 2], [2, 2]]), [6, 5], [2, 2]),
        [randn(6, 2, 4)],
    ),
}


@pytest.mark.parametrize("name", sorted(NN_CASES))
def test_nn_op_in_torch_namespace(name):
    fn, inputs, *grad = NN_CASES[name]
    check(fn, inputs, grad=grad[0] if grad else True)


def test_torch_dropout_trains_and_has_no_defaults():
    x = tl.ones(2000)
    y = tl.dropout(x, 0.25, True)
    kept = (y != 0).float().mean().item()
    assert 0.7 < kept < 0.8
    np.testing.assert_allclose(y[y != 0].numpy(), 1 / 0.75, rtol=1e-6)
    with pytest.raises(TypeError):
        tl.dropout(x, 0.5)  # torch.dropout(input, p, train): all three required
    f = tl.feature_dropout(tl.ones(50, 40, 3), 0.5, True)
    per_channel = f.numpy().reshape(2000, 3)
    assert set(np.unique(per_channel.std(1))) == {0.0}  # a channel is kept or dropped whole


def test_torch_inplace_nn_functions_write_their_input():
    for name, args in (
        ("selu_", ()),
        ("celu_", (0.5,)),
        ("threshold_", (0.0, 9.0)),
        ("rrelu_", ()),
    ):
        a = randn(3, 4)
        x, ref = tl.tensor(a), pt.tensor(a)
        out = getattr(tl, name)(x, *args)
        getattr(pt, name)(ref, *args)
        assert out is x
        np.testing.assert_allclose(x.numpy(), ref.numpy(), rtol=1e-6, atol=1e-6)
    x = tl.ones(3)
    assert tl.dropout_(x, 0.5, False) is x


def test_torch_batch_norm_updates_running_stats():
    a = randn(6, 3)
    rm_t, rv_t = tl.zeros(3), tl.ones(3)
    rm_p, rv_p = pt.zeros(3), pt.ones(3)
    tl.batch_norm(tl.tensor(a), None, None, rm_t, rv_t, True, 0.3, 1e-5, False)
    pt.batch_norm(pt.tensor(a), None, None, rm_p, rv_p, True, 0.3, 1e-5, False)
    np.testing.assert_allclose(rm_t.numpy(), rm_p.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rv_t.numpy(), rv_p.numpy(), rtol=1e-5, atol=1e-6)


def test_int_reduction_is_validated():
    with pytest.raises(RuntimeError):
        tl.kl_div(tl.zeros(2), tl.zeros(2), 3)
    with pytest.raises(TypeError):
        tl.kl_div(tl.zeros(2), tl.zeros(2), 1, True)  # log_target is keyword-only, as in torch


EVERYDAY_CASES = {
    "atleast_1d": (lambda L, x: L.atleast_1d(x[0, 0]), [randn(2, 2)]),
    "atleast_2d": (lambda L, x: L.atleast_2d(x[0]), [randn(2, 3)]),
    "atleast_3d_1d": (lambda L, x: L.atleast_3d(x[0]), [randn(2, 3)]),
    "atleast_3d_2d": (lambda L, x: L.atleast_3d(x), [randn(2, 3)]),
    "atleast_2d_many": (lambda L, x, y: L.atleast_2d(x, y), [randn(3), randn(2, 2)]),
    "fill": (lambda L, x: L.fill(x, 2.5), [randn(2, 3)]),
    "split_with_sizes": (lambda L, x: tuple(L.split_with_sizes(x, [1, 3], 1)), [randn(2, 4)]),
    "unsafe_chunk": (lambda L, x: tuple(L.unsafe_chunk(x, 2)), [randn(4, 2)]),
    "unsafe_split": (lambda L, x: tuple(L.unsafe_split(x, 3)), [randn(5, 2)]),
    "index_put": (
        lambda L, x, v: L.index_put(x, (L.tensor([0, 2]),), v, True),
        [randn(3, 2), randn(2, 2)],
    ),
    "select_scatter": (lambda L, x, s: L.select_scatter(x, s, 1, 2), [randn(3, 4), randn(3)]),
    "slice_scatter": (
        lambda L, x, s: L.slice_scatter(x, s, 0, 1, 5, 2),
        [randn(6, 2), randn(2, 2)],
    ),
    "diagonal_scatter": (lambda L, x, s: L.diagonal_scatter(x, s, 1), [randn(3, 4), randn(3)]),
    "renorm": (lambda L, x: L.renorm(x, 2, 0, 1.0), [randn(4, 3) * 2]),
    "renorm_p1_dim1": (lambda L, x: x.renorm(1, 1, 2.0), [randn(4, 3) * 2]),
    "view_as_real": (lambda L, x: L.view_as_real(L.view_as_complex(x)) * 2, [randn(3, 2)]),
    "view_as_complex": (lambda L, x: L.view_as_complex(x).abs(), [randn(4, 2)]),
    "combinations": (lambda L, x: L.combinations(x), [randn(4)]),
    "combinations_r3_repl": (lambda L, x: L.combinations(x, 3, True), [randn(3)]),
    "cumulative_trapezoid": (lambda L, y: L.cumulative_trapezoid(y), [randn(2, 5)]),
    "cumulative_trapezoid_x": (
        lambda L, y, x: L.cumulative_trapezoid(y, x, dim=0),
        [randn(4, 2), randn(4)],
    ),
    "cumulative_trapezoid_dx": (lambda L, y: L.cumulative_trapezoid(y, dx=0.5), [randn(5)]),
    "chain_matmul": (
        lambda L, a, b, c: L.chain_matmul(a, b, c),
        [randn(2, 3), randn(3, 4), randn(4, 2)],
    ),
}


@pytest.mark.parametrize("name", sorted(EVERYDAY_CASES))
def test_everyday_function(name):
    fn, inputs = EVERYDAY_CASES[name]
    check(fn, inputs)


def test_unravel_index():
    for idx, shape in (([0, 5, 11, 7], (3, 4)), (13, (2, 3, 4)), ([[1, 2], [3, 23]], (2, 3, 4))):
        ref = pt.unravel_index(pt.tensor(idx), shape)
        got = tl.unravel_index(tl.tensor(idx), shape)
        assert len(ref) == len(got)
        for r, g in zip(ref, got):
            assert g.dtype == tl.int64
            np.testing.assert_array_equal(g.numpy(), r.numpy())
    with pytest.raises(TypeError):
        tl.unravel_index(tl.tensor([1.0]), (2, 2))


@pytest.mark.parametrize(
    "name", ["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"]
)
@pytest.mark.parametrize("n", [0, 1, 2, 7, 16])
@pytest.mark.parametrize("periodic", [True, False])
def test_window(name, n, periodic):
    ref = getattr(pt, name)(n, periodic)
    got = getattr(tl, name)(n, periodic)
    assert got.dtype == tl.float32 and tuple(got.shape) == tuple(ref.shape)
    np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)
    assert getattr(tl, name)(5, dtype=tl.float64).dtype == tl.float64


def test_predicates():
    x, y = tl.zeros(2, 3), tl.zeros(2, 3, dtype=tl.int64)
    assert tl.is_same_size(x, y) and not tl.is_same_size(x, tl.zeros(3, 2))
    assert x.is_same_size(y)
    for dt, signed in ((tl.float32, True), (tl.int8, True), (tl.uint8, False), (tl.bool, False)):
        assert tl.zeros(1, dtype=dt).is_signed() is signed
        assert pt.zeros(1, dtype=getattr(pt, str(dt).split(".")[1])).is_signed() is signed
    assert tl.is_conj(x) is False and tl.is_neg(x) is False


UNARY_INPLACE = [
    "acos_",
    "acosh_",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "ceil_",
    "cos_",
    "cosh_",
    "deg2rad_",
    "erf_",
    "erfc_",
    "exp2_",
    "expm1_",
    "fix_",
    "floor_",
    "frac_",
    "log10_",
    "log1p_",
    "log2_",
    "log_",
    "logit_",
    "nan_to_num_",
    "negative_",
    "rad2deg_",
    "reciprocal_",
    "round_",
    "rsqrt_",
    "sin_",
    "sinc_",
    "sinh_",
    "square_",
    "tan_",
    "trunc_",
    "zero_",
    "detach_",
]


@pytest.mark.parametrize("name", UNARY_INPLACE)
def test_torch_inplace_function(name):
    a = (RNG.random(5) * 0.8 + 0.1).astype(np.float32)
    if name == "acosh_" or name == "arccosh_":
        a = a + 1.5
    x, ref = tl.tensor(a), pt.tensor(a)
    out = getattr(tl, name)(x)
    getattr(pt, name)(ref)
    assert out is x
    np.testing.assert_allclose(x.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "name,args",
    [
        ("clamp_max_", (0.5,)),
        ("clamp_min_", (0.5,)),
        ("clip_", (0.2, 0.6)),
        ("fill_", (3.0,)),
        ("ldexp_", "t"),
        ("xlogy_", "t"),
        ("gcd_", "i"),
        ("lcm_", "i"),
    ],
)
def test_torch_inplace_function_with_arguments(name, args):
    if args == "i":
        a, b = np.array([4, 6, 9]), np.array([6, 4, 3])
        x, ref = tl.tensor(a), pt.tensor(a)
        getattr(tl, name)(x, tl.tensor(b))
        getattr(pt, name)(ref, pt.tensor(b))
    else:
        a, b = RNG.random(4).astype(np.float32), RNG.random(4).astype(np.float32)
        x, ref = tl.tensor(a), pt.tensor(a)
        getattr(tl, name)(x, *((tl.tensor(b),) if args == "t" else args))
        getattr(pt, name)(ref, *((pt.tensor(b),) if args == "t" else args))
    np.testing.assert_allclose(x.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


METHOD_ALIASES = {
    "absolute_": (),
    "arccos_": (),
    "arcsin_": (),
    "arctan_": (),
    "arctanh_": (),
    "negative_": (),
    "arctan2_": ("t",),
    "greater_": ("t",),
    "greater_equal_": ("t",),
    "less_": ("t",),
    "less_equal_": ("t",),
    "not_equal_": ("t",),
    "multiply_": ("t",),
    "subtract_": ("t",),
    "true_divide_": ("t",),
    "copysign_": ("t",),
    "hypot_": ("t",),
    "xlogy_": ("t",),
    "sgn_": (),
}


@pytest.mark.parametrize("name", sorted(METHOD_ALIASES))
def test_tensor_inplace_second_names(name):
    a = (RNG.random(5) * 0.8 + 0.1).astype(np.float32)
    b = (RNG.random(5) - 0.5).astype(np.float32)
    x, ref = tl.tensor(a), pt.tensor(a)
    extra = [tl.tensor(b)] if METHOD_ALIASES[name] else []
    out = getattr(x, name)(*extra)
    getattr(ref, name)(*([pt.tensor(b)] if extra else []))
    assert out is x
    np.testing.assert_allclose(x.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


def test_swapdims_inplace_and_addmv_():
    a = randn(2, 3)
    x, ref = tl.tensor(a), pt.tensor(a)
    x.swapdims_(0, 1)
    ref.swapdims_(0, 1)
    assert tuple(x.shape) == tuple(ref.shape)
    np.testing.assert_allclose(x.numpy(), ref.numpy())
    m, v, b = randn(3, 4), randn(4), randn(3)
    x, ref = tl.tensor(b), pt.tensor(b)
    x.addmv_(tl.tensor(m), tl.tensor(v), beta=0.5, alpha=2.0)
    ref.addmv_(pt.tensor(m), pt.tensor(v), beta=0.5, alpha=2.0)
    np.testing.assert_allclose(x.numpy(), ref.numpy(), rtol=1e-5, atol=1e-5)
    x = tl.tensor(b)
    tl.addmv_(x, tl.tensor(m), tl.tensor(v))
    np.testing.assert_allclose(
        x.numpy(), pt.addmv(pt.tensor(b), pt.tensor(m), pt.tensor(v)).numpy(), rtol=1e-5
    )


def test_inplace_int_refuses_float_result():
    with pytest.raises(RuntimeError, match="can't be cast"):
        tl.tensor([1, 2]).true_divide_(tl.tensor([2, 2]))


def test_no_recompiles_in_a_loop_using_torch_level_nn_ops():
    w = tl.randn(4, 3, 3, 3, requires_grad=True)
    g = tl.ones(4, requires_grad=True)
    opt = tl.optim.SGD([w, g], lr=0.01)
    for step in range(10):
        if step == 3:
            before = tl.metrics.counters()["compiles"]
        opt.zero_grad()
        x = tl.randn(2, 3, 8, 8)
        h = tl.conv2d(x, w, None, 1, 1)
        h = tl.group_norm(h, 2, g)
        h = tl.dropout(tl.selu(tl.max_pool2d(h, 2)), 0.1, True)
        loss = tl.kl_div(h.log_softmax(1), tl.full(h.shape, 0.25), 1) + h.pow(2).mean()
        loss.backward()
        opt.step()
        loss.item()
    assert tl.metrics.counters()["compiles"] == before
