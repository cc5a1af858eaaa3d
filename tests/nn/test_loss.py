"""Losses against PyTorch: values and gradients for every reduction and option, errors, modules."""

import warnings

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl

# each parity call is a new program on purpose
pytestmark = pytest.mark.filterwarnings("ignore:torchlike. the code at")
RNG = np.random.default_rng(0)
REDUCTIONS = ("none", "mean", "sum")


def randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def rand(*shape, dtype=np.float32):
    return RNG.uniform(0.05, 0.95, shape).astype(dtype)


def classes(n_classes, *shape):
    return RNG.integers(0, n_classes, shape).astype(np.int64)


class G:
    """An input that requires grad in both libraries."""

    def __init__(self, a):
        self.a = a


def _to(lib, v, leaves):
    if isinstance(v, G):
        t = lib.tensor(v.a, requires_grad=True)
        leaves.append(t)
        return t
    if isinstance(v, np.ndarray):
        return lib.tensor(v)
    return v


def parity(name, *args, variants=({},), rtol=1e-5, atol=1e-6, module=None, ctor=None, **kwargs):
    """Run torch.nn.functional.<name> (or the module class <module>(**ctor)) in both libraries on the
    same inputs, once per dict of extra keyword arguments in ``variants``; compare the outputs and the
    gradients of every G(...) input. All variants are one torchlike program (one compile)."""
    results = []
    for lib, lib_nn in ((pt, pt.nn), (tl, tl.nn)):
        outs, leaves_per_variant, total = [], [], 0
        for variant in variants:
            leaves = []
            a = [_to(lib, v, leaves) for v in args]
            kw = {k: _to(lib, v, leaves) for k, v in {**kwargs, **variant}.items()}
            if module is not None:
                c = {k: _to(lib, v, []) for k, v in {**(ctor or {}), **kw}.items()}
                out = getattr(lib_nn, module)(**c)(*a)
            else:
                out = getattr(lib_nn.functional, name)(*a, **kw)
            cot = np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape))
            total = total + (out * lib.tensor(cot, dtype=out.dtype)).sum()
            outs.append(out)
            leaves_per_variant.append(leaves)
        if leaves_per_variant[0]:
            total.backward()
        results.append((outs, [[t.grad for t in leaves] for leaves in leaves_per_variant]))
    (ref_outs, ref_grads), (outs, grads) = results
    for variant, ref, got, gr, gg in zip(variants, ref_outs, outs, ref_grads, grads):
        msg = f"{name or module} {variant}"
        assert tuple(got.shape) == tuple(ref.shape), msg
        assert str(got.dtype) == str(ref.dtype), msg
        np.testing.assert_allclose(
            got.detach().numpy(), ref.detach().numpy(), rtol=rtol, atol=atol, err_msg=msg
        )
        for r, g in zip(gr, gg):
            np.testing.assert_allclose(g.numpy(), r.numpy(), rtol=rtol, atol=atol, err_msg=msg)
    return outs[0] if len(outs) == 1 else outs


def over(**options):
    """Every combination of the given options, as a list of keyword dicts."""
    import itertools

    keys = list(options)
    return [dict(zip(keys, vals)) for vals in itertools.product(*options.values())]


RED = over(reduction=REDUCTIONS)


# -- regression ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,options",
    [
        ("l1_loss", {}),
        ("mse_loss", {}),
        ("smooth_l1_loss", {"beta": [1.0, 0.5, 0.0]}),
        ("huber_loss", {"delta": [1.0, 0.3]}),
    ],
)
def test_regression_losses_match_torch(name, options):
    x, y = randn(4, 3), randn(4, 3)
    x[0, 0] = y[0, 0]  # |d| == 0: the subgradient torch uses
    parity(name, G(x), G(y), variants=over(reduction=REDUCTIONS, **options))


@pytest.mark.parametrize("name", ["l1_loss", "mse_loss", "huber_loss"])
def test_weighted_regression_losses_match_torch(name):
    parity(name, G(randn(4, 3)), G(randn(4, 3)), weight=G(rand(4, 3)), variants=RED)


def test_regression_float64_and_mixed_dtypes_promote_as_torch():
    parity("mse_loss", G(randn(3, 2, dtype=np.float64)), randn(3, 2, dtype=np.float64), rtol=1e-12)
    parity("mse_loss", G(randn(3, 2)), randn(3, 2, dtype=np.float64))
    parity("l1_loss", G(randn(3, 2)), classes(3, 3, 2))


def test_regression_modules_match_torch():
    x, y = randn(5, 2), randn(5, 2)
    parity(None, G(x), y, module="L1Loss", variants=RED)
    parity(None, G(x), y, module="MSELoss", variants=RED)
    parity(None, G(x), y, module="SmoothL1Loss", variants=over(beta=[0.7, 0.0]))
    parity(
        None, G(x), y, module="HuberLoss", variants=over(delta=[0.5, 2], reduction=["none", "sum"])
    )


def test_mse_target_size_mismatch_warns_then_broadcasts():
    x = tl.randn(3, 5)
    with pytest.warns(
        UserWarning,
        match=r"Using a target size \(torch.Size\(\[5\]\)\) that is different to "
        r"the input size \(torch.Size\(\[3, 5\]\)\)",
    ):
        tl.nn.MSELoss()(x, tl.zeros(5))
    with (
        pytest.warns(UserWarning),
        pytest.raises(
            RuntimeError,
            match=r"The size of tensor a \(5\) must match "
            r"the size of tensor b \(4\) at non-singleton",
        ),
    ):
        tl.nn.functional.mse_loss(x, tl.zeros(4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tl.nn.functional.mse_loss(x, tl.zeros(3, 5))  # same size: no warning


def test_mse_broadcast_target_matches_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parity("mse_loss", G(randn(3, 4)), G(randn(4)), variants=RED)


def test_regression_option_errors():
    x = tl.randn(2)
    with pytest.raises(
        RuntimeError, match="smooth_l1_loss does not support negative values for beta."
    ):
        tl.nn.functional.smooth_l1_loss(x, x, beta=-1.0)
    with pytest.raises(
        RuntimeError, match="huber_loss does not support non-positive values for delta."
    ):
        tl.nn.functional.huber_loss(x, x, delta=0.0)
    with pytest.raises(ValueError, match="Weights and input must have the same size."):
        tl.nn.functional.mse_loss(x, x, weight=tl.ones(3))
    with pytest.raises(TypeError, match="delta must be a float or int"):
        tl.nn.HuberLoss(delta="1")
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        tl.nn.functional.l1_loss(x, x, reduction="bad")
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        tl.nn.CrossEntropyLoss(reduction="bad")(tl.randn(2, 3), tl.tensor([0, 1]))


@pytest.mark.parametrize(
    "size_average,reduce,expected",
    [
        (None, None, "mean"),
        (True, None, "mean"),
        (False, None, "sum"),
        (None, False, "none"),
        (False, False, "none"),
        (True, True, "mean"),
        (False, True, "sum"),
    ],
)
def test_legacy_size_average_reduce_map_as_torch(size_average, reduce, expected):
    x, y = randn(3, 2), randn(3, 2)
    if size_average is None and reduce is None:
        module = tl.nn.MSELoss()
    else:
        with pytest.warns(UserWarning, match=f"please use reduction='{expected}' instead"):
            module = tl.nn.MSELoss(size_average=size_average, reduce=reduce)
    assert module.reduction == expected
    ref = pt.nn.functional.mse_loss(pt.tensor(x), pt.tensor(y), reduction=expected)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = tl.nn.functional.mse_loss(
            tl.tensor(x), tl.tensor(y), size_average=size_average, reduce=reduce
        )
        ce = tl.nn.CrossEntropyLoss(size_average=size_average, reduce=reduce)
    np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-6)
    assert ce.reduction == expected


# -- nll / cross entropy -------------------------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_class_indices_match_torch(weighted, ignore):
    x, t = randn(6, 4), classes(4, 6)
    kw = {}
    if ignore:
        t[[1, 4]] = 2
        kw["ignore_index"] = 2
    if weighted:
        kw["weight"] = rand(4)
    parity(
        "cross_entropy",
        G(x),
        t,
        variants=over(reduction=REDUCTIONS, label_smoothing=[0.0, 0.2]),
        **kw,
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss_matches_torch(weighted):
    x, t = randn(5, 3), classes(3, 5)
    t[0] = -100
    parity("nll_loss", G(x), t, weight=rand(3) if weighted else None, variants=RED)


@pytest.mark.parametrize("shape", [(2, 4, 3), (2, 4, 3, 2), (2, 3, 2, 2, 2)])
def test_nd_cross_entropy_and_nll_match_torch(shape):
    x = randn(*shape)
    t = classes(shape[1], shape[0], *shape[2:])
    t.flat[1] = 1
    w = rand(shape[1])
    parity("cross_entropy", G(x), t, weight=w, ignore_index=1, label_smoothing=0.1, variants=RED)
    parity("nll_loss", G(x), t, weight=w, ignore_index=1, variants=RED)


def test_unbatched_cross_entropy_and_nll_match_torch():
    parity("cross_entropy", G(randn(5)), np.array(3), label_smoothing=0.3, variants=RED)
    parity("nll_loss", G(randn(5)), np.array(2), weight=rand(5), variants=RED)


@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_class_probabilities_match_torch(weighted):
    p = rand(3, 4, 2)
    p /= p.sum(1, keepdims=True)
    parity(
        "cross_entropy",
        G(randn(3, 4, 2)),
        G(p),
        weight=G(rand(4))
        if weighted
        else None,  # torch differentiates this weight: compare its gradient
        variants=over(reduction=REDUCTIONS, label_smoothing=[0.0, 0.25]),
    )


def test_cross_entropy_float64_and_uint8_targets():
    x = randn(4, 3, dtype=np.float64)
    parity(
        "cross_entropy",
        G(x),
        classes(3, 4),
        weight=rand(3, dtype=np.float64),
        label_smoothing=0.1,
        rtol=1e-12,
        atol=1e-12,
    )
    parity("cross_entropy", G(randn(4, 3)), classes(3, 4).astype(np.uint8))


def test_cross_entropy_all_ignored_mean_is_nan_as_torch():
    out = tl.nn.functional.cross_entropy(tl.randn(2, 3), tl.tensor([1, 1]), ignore_index=1)
    assert np.isnan(out.item())


def test_cross_entropy_and_nll_modules_match_torch():
    w = rand(4)
    x, t = randn(5, 4), classes(4, 5)
    parity(
        None,
        G(x),
        t,
        module="CrossEntropyLoss",
        ctor={"weight": w, "ignore_index": int(t[0])},
        variants=over(label_smoothing=[0.0, 0.1], reduction=REDUCTIONS),
    )
    parity(
        None, G(x), t, module="NLLLoss", ctor={"weight": w, "ignore_index": int(t[1])}, variants=RED
    )


def test_class_target_errors_use_torch_words():
    F = tl.nn.functional
    x = tl.randn(3, 5)
    with pytest.raises(
        RuntimeError, match="expected target dtype to be Long or Byte, but got Float"
    ):
        F.cross_entropy(x, tl.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Int"):
        F.nll_loss(x, tl.tensor([1, 2, 3], dtype=tl.int32))
    with pytest.raises(
        ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(4\)\."
    ):
        F.cross_entropy(x, tl.tensor([1, 2, 3, 4]))
    with pytest.raises(
        ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(4\)\."
    ):
        tl.nn.CrossEntropyLoss()(x, tl.tensor([1, 2, 3, 4]))
    with pytest.raises(
        RuntimeError, match="0D or 1D target tensor expected, multi-target not supported"
    ):
        F.cross_entropy(tl.randn(3, 5), tl.zeros(3, 2, dtype=tl.int64))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 4\], got \[2, 3\]"):
        F.cross_entropy(tl.randn(2, 5, 4), tl.zeros(2, 3, dtype=tl.int64))
    with pytest.raises(
        RuntimeError, match=r"size mismatch \(got input: \[2, 5, 4, 3\] , target: \[2, 4, 2\]"
    ):
        F.nll_loss(tl.randn(2, 5, 4, 3), tl.zeros(2, 4, 2, dtype=tl.int64))
    with pytest.raises(RuntimeError, match="only batches of spatial targets supported"):
        F.nll_loss(tl.randn(2, 5, 4, 3), tl.zeros(2, 4, dtype=tl.int64))
    with pytest.raises(
        RuntimeError,
        match="weight tensor should be defined either for all 5 classes or no "
        r"classes but got weight tensor of shape: \[4\]",
    ):
        F.nll_loss(x, tl.tensor([1, 2, 3]), weight=tl.ones(4))
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        F.nll_loss(x, tl.tensor([1, 2, 3]), weight=tl.ones(5, dtype=tl.float64))
    with pytest.raises(
        RuntimeError,
        match="Expected floating point type for target with class probabilities, got Long",
    ):
        F.cross_entropy(x, tl.zeros(3, 5, dtype=tl.int64))
    with pytest.raises(
        RuntimeError, match="ignore_index is not supported for floating point target"
    ):
        F.cross_entropy(x, tl.rand(3, 5), ignore_index=1)
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(x, tl.tensor([1, 2, 3]), label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"Expected 1 or more dimensions \(got 0\)"):
        F.nll_loss(tl.tensor(5.0), tl.tensor(1))
    with pytest.raises(
        ValueError, match="For 1D input, 1D target must have size 1, but got target size: 2"
    ):
        F.nll_loss(tl.randn(5), tl.zeros(2, dtype=tl.int64))


def test_out_of_range_computed_class_index_gives_nan_without_a_host_sync(no_host_eval):
    # (targets whose values are on the host raise PyTorch's error: tests/test_index_bounds.py; with
    # the NumPy shortcut for small tensors, `* 1` leaves them there)
    before = tl.metrics.counters()["syncs"]
    out = tl.nn.functional.cross_entropy(tl.randn(2, 3), tl.tensor([0, 7]) * 1)
    out2 = tl.nn.functional.nll_loss(tl.randn(2, 3), tl.tensor([-1, 1]) * 1, reduction="none")
    assert tl.metrics.counters()["syncs"] == before  # recorded lazily: no value checks on the host
    assert np.isnan(out.item())
    assert np.isnan(out2.numpy()[0]) and not np.isnan(out2.numpy()[1])


# -- binary cross entropy ------------------------------------------------------------------------


def test_binary_cross_entropy_matches_torch():
    parity("binary_cross_entropy", G(rand(4, 3)), G(rand(4, 3)), variants=RED)
    parity("binary_cross_entropy", G(rand(4, 3)), rand(4, 3), weight=rand(3), variants=RED)


def test_binary_cross_entropy_at_zero_and_one_is_clamped_as_torch():
    x = np.array([0.0, 1.0, 0.0, 1.0, 0.5], np.float32)
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.3], np.float32)
    out = parity("binary_cross_entropy", G(x), t, reduction="none")
    assert out[2].item() == 100.0


def test_binary_cross_entropy_with_logits_matches_torch():
    x, t = randn(4, 3) * 3, rand(4, 3)
    parity("binary_cross_entropy_with_logits", G(x), G(t), variants=RED)
    parity(
        "binary_cross_entropy_with_logits",
        G(x),
        G(t),
        weight=rand(4, 1),
        pos_weight=rand(3) * 3,
        variants=RED,
    )


def test_bce_modules_match_torch():
    x, t = randn(4, 3) * 3, rand(4, 3)
    parity(
        None,
        G(x),
        t,
        module="BCEWithLogitsLoss",
        ctor={"pos_weight": rand(3), "weight": rand(3)},
        variants=RED,
    )
    parity(None, G(rand(4, 3)), t, module="BCELoss", ctor={"weight": rand(3)}, variants=RED)


def test_binary_cross_entropy_errors():
    F = tl.nn.functional
    with pytest.raises(
        ValueError,
        match=r"Using a target size \(torch.Size\(\[5\]\)\) that is different to the "
        r"input size \(torch.Size\(\[3, 5\]\)\) is deprecated",
    ):
        F.binary_cross_entropy(tl.rand(3, 5), tl.rand(5))
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        F.binary_cross_entropy(tl.rand(3, 5), tl.rand(3, 5, dtype=tl.float64))
    with pytest.raises(
        RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"
    ):
        F.binary_cross_entropy(tl.rand(3), tl.rand(3), weight=tl.rand(2, 3))
    with pytest.raises(
        ValueError, match=r"Target size \(torch.Size\(\[5\]\)\) must be the same as input size"
    ):
        F.binary_cross_entropy_with_logits(tl.rand(3, 5), tl.rand(5))


# -- divergences and likelihoods -----------------------------------------------------------------


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(log_target):
    x = np.log(rand(3, 4))
    t = rand(3, 4)
    t[0, 0] = 0.0
    t = np.log(t + 1e-3) if log_target else t
    variants = over(reduction=["none", "sum", "batchmean", "mean"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parity("kl_div", G(x), G(t), log_target=log_target, variants=variants)
        parity(
            None, G(x), t, module="KLDivLoss", ctor={"log_target": log_target}, variants=variants
        )


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_grad_fn_is_the_last_op_torch_runs(log_target):
    # torch.kl_div is composite (xlogy/exp, then the reduction; batchmean divides in Python)
    names = []
    for lib in (pt, tl):
        x = lib.tensor(np.log(rand(3, 4)), requires_grad=True)
        x0 = lib.tensor(-0.5, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outs = [
                lib.nn.functional.kl_div(x, x.detach().exp(), reduction=r, log_target=log_target)
                for r in ("none", "mean", "sum", "batchmean")
            ]
        outs.append(lib.nn.functional.kl_div(x0, lib.tensor(0.5), reduction="batchmean"))
        names.append([o.grad_fn.name() for o in outs])
    assert names[1] == names[0]


def test_kl_div_mean_warns_as_torch():
    x = tl.randn(2, 3)
    with pytest.warns(
        UserWarning, match="reduction: 'mean' divides the total loss by both the batch size"
    ):
        tl.nn.functional.kl_div(x, x.exp())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tl.nn.functional.kl_div(x, x.exp(), reduction="batchmean")


def test_poisson_nll_loss_matches_torch():
    t = (rand(4, 3) * 4).round()
    t[0, :2] = 0.0
    for log_input in (True, False):
        x = randn(4, 3) if log_input else rand(4, 3) * 3
        # torch's target gradient of the full loss is NaN at target == 0; compare it only without `full`
        parity("poisson_nll_loss", G(x), G(t), log_input=log_input, variants=RED)
        parity("poisson_nll_loss", G(x), t, log_input=log_input, full=True, variants=RED)
        parity(
            None,
            G(x),
            t,
            module="PoissonNLLLoss",
            ctor={"log_input": log_input, "eps": 1e-3},
            variants=over(full=[False, True]),
        )


@pytest.mark.parametrize("var_shape", [(4, 3), (4,), (4, 1), (1, 3)])
def test_gaussian_nll_loss_matches_torch(var_shape):
    var = rand(*var_shape)
    var.flat[0] = 1e-8  # clamped to eps, the gradient passing straight through as in torch
    parity(
        "gaussian_nll_loss",
        G(randn(4, 3)),
        G(randn(4, 3)),
        G(var),
        full=True,
        variants=RED,
        rtol=2e-5,
    )


def test_gaussian_nll_loss_module_and_float_var_match_torch():
    parity(
        None,
        G(randn(4, 3)),
        randn(4, 3),
        0.7,
        module="GaussianNLLLoss",
        variants=over(reduction=REDUCTIONS, full=[False, True]),
    )


def test_gaussian_nll_loss_errors():
    F = tl.nn.functional
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(tl.rand(3, 2), tl.rand(3, 2), tl.rand(3, 3))
    with pytest.raises(ValueError, match="var has negative entry/entries"):
        F.gaussian_nll_loss(tl.rand(3, 2), tl.rand(3, 2), -1.0)
    with pytest.raises(ValueError, match="x is not valid"):
        F.gaussian_nll_loss(tl.rand(3, 2), tl.rand(3, 2), 1.0, reduction="x")


# -- margin losses -------------------------------------------------------------------------------


def signs(*shape):
    return np.where(RNG.uniform(size=shape) > 0.5, 1.0, -1.0).astype(np.float32)


def test_margin_losses_match_torch():
    x1, x2 = randn(5, 4), randn(5, 4)
    parity("margin_ranking_loss", G(x1[:, 0]), G(x2[:, 0]), signs(5), margin=0.3, variants=RED)
    parity("hinge_embedding_loss", G(x1), signs(5, 4), margin=0.5, variants=RED)
    parity("soft_margin_loss", G(x1), signs(5, 4), variants=RED)
    parity(
        "multilabel_soft_margin_loss", G(x1), G(rand(5, 4).round()), weight=G(rand(4)), variants=RED
    )
    parity("cosine_embedding_loss", G(x1), G(x2), signs(5), margin=0.2, variants=RED)
    parity("cosine_embedding_loss", G(x1[0]), G(x2[0]), np.array(-1.0, np.float32), variants=RED)


def test_margin_modules_match_torch():
    x1, x2, y = randn(5, 4), randn(5, 4), signs(5)
    parity(
        None,
        G(x1[:, 0]),
        G(x2[:, 0]),
        y,
        module="MarginRankingLoss",
        variants=over(margin=[0.0, 0.5]),
    )
    parity(None, G(x1), signs(5, 4), module="HingeEmbeddingLoss", variants=over(margin=[1.0, 0.2]))
    parity(None, G(x1), signs(5, 4), module="SoftMarginLoss", variants=RED)
    parity(
        None,
        G(x1),
        rand(5, 4).round(),
        module="MultiLabelSoftMarginLoss",
        ctor={"weight": rand(4)},
        variants=RED,
    )
    parity(None, G(x1), G(x2), y, module="CosineEmbeddingLoss", variants=over(margin=[0.0, -0.3]))


@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin_loss_matches_torch(p):
    x, t = randn(5, 4), classes(4, 5)
    parity("multi_margin_loss", G(x), t, p=p, margin=0.8, weight=rand(4), variants=RED)
    parity("multi_margin_loss", G(x[0]), t[:1], p=p, variants=RED)
    parity(None, G(x), t, module="MultiMarginLoss", ctor={"p": p, "weight": rand(4)}, variants=RED)


def test_multilabel_margin_loss_matches_torch():
    x = randn(3, 5)
    t = np.array(
        [[3, 0, -1, 1, 2], [1, 2, 3, 4, 0], [-1, 1, 1, 1, 1]], np.int64
    )  # -1 ends the targets
    parity("multilabel_margin_loss", G(x), t, variants=RED)
    parity("multilabel_margin_loss", G(x[0]), t[0], variants=RED)
    parity(None, G(x), t, module="MultiLabelMarginLoss", variants=RED)


def test_margin_loss_errors():
    F = tl.nn.functional
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
        F.multi_margin_loss(tl.rand(2, 3), tl.rand(2))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2\], but got \[3\]"):
        F.multi_margin_loss(tl.rand(2, 3), tl.zeros(3, dtype=tl.int64))
    with pytest.raises(ValueError, match="only p == 1 and p == 2 supported"):
        tl.nn.MultiMarginLoss(p=3)
    with pytest.raises(RuntimeError, match=r"inconsistent weight size, expected 3 but got \[4\]"):
        F.multi_margin_loss(tl.rand(2, 3), tl.zeros(2, dtype=tl.int64), weight=tl.ones(4))
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
        F.multilabel_margin_loss(tl.rand(2, 3), tl.zeros(2, 3))
    with pytest.raises(
        RuntimeError, match=r"inconsistent target size: \[2, 4\] for input of size: \[2, 3\]"
    ):
        F.multilabel_margin_loss(tl.rand(2, 3), tl.zeros(2, 4, dtype=tl.int64))
    with pytest.raises(
        RuntimeError, match="margin_ranking_loss : All input tensors should have same dimension"
    ):
        F.margin_ranking_loss(tl.rand(3), tl.rand(3), tl.ones(2, 3))
    with pytest.raises(
        RuntimeError,
        match="0D target tensor expects 1D input tensors, but found inputs with "
        r"sizes \[2, 3\] and \[2, 3\]\.",
    ):
        F.cosine_embedding_loss(tl.rand(2, 3), tl.rand(2, 3), tl.ones(()))


# -- triplet -------------------------------------------------------------------------------------


def test_triplet_margin_loss_matches_torch():
    a, b, c = randn(6, 4), randn(6, 4), randn(6, 4)
    variants = over(p=[2.0, 1.0, 3.0, float("inf")], swap=[False, True])
    parity("triplet_margin_loss", G(a), G(b), G(c), margin=2.0, variants=variants)
    parity(None, G(a), G(b), G(c), module="TripletMarginLoss", variants=RED)


def test_triplet_margin_with_distance_loss_matches_torch():
    a, b, c = randn(6, 4), randn(6, 4), randn(6, 4)
    parity(
        "triplet_margin_with_distance_loss",
        G(a),
        G(b),
        G(c),
        margin=1.5,
        variants=over(swap=[False, True], reduction=REDUCTIONS),
    )
    outs = []
    for lib in (pt, tl):

        def dist(x, y, lib=lib):
            return 1.0 - lib.nn.functional.cosine_similarity(x, y)

        loss = lib.nn.TripletMarginWithDistanceLoss(
            distance_function=dist, swap=True, reduction="none"
        )
        outs.append(loss(lib.tensor(a), lib.tensor(b), lib.tensor(c)).numpy())
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-5, atol=1e-6)


def test_triplet_errors():
    x = tl.rand(3)
    with pytest.raises(ValueError, match="margin must be greater than 0, got 0"):
        tl.nn.functional.triplet_margin_loss(x, x, x, margin=0)
    with pytest.raises(
        ValueError, match="TripletMarginLoss: expected margin to be greater than 0, got -1"
    ):
        tl.nn.TripletMarginLoss(margin=-1)
    with pytest.raises(
        RuntimeError, match="but got: anchor 1D, positive 1D, and negative 2D inputs"
    ):
        tl.nn.functional.triplet_margin_loss(x, x, tl.ones(2, 3))


# -- CTC -----------------------------------------------------------------------------------------


def _ctc_case(normalised=True, t_len=7, batch=3, n_classes=5, s_len=3):
    lp = randn(t_len, batch, n_classes)
    if normalised:
        lp = lp - np.log(np.exp(lp).sum(-1, keepdims=True))
    targets = RNG.integers(1, n_classes, (batch, s_len)).astype(np.int64)
    targets[0, 1] = targets[0, 0]  # a repeated label needs a blank between
    input_lengths = np.array([t_len, t_len - 2, t_len - 1][:batch], np.int64)
    target_lengths = np.array([s_len, 1, 0][:batch], np.int64)
    return lp, targets, input_lengths, target_lengths


@pytest.mark.parametrize("normalised", [True, False])
def test_ctc_loss_matches_torch(normalised):
    lp, targets, il, tgl = _ctc_case(normalised)
    parity(
        "ctc_loss",
        G(lp),
        targets,
        il,
        tgl,
        variants=over(reduction=REDUCTIONS, blank=[0]),
        rtol=1e-4,
        atol=1e-5,
    )


def test_ctc_loss_concatenated_targets_list_lengths_and_blank():
    lp, targets, il, tgl = _ctc_case()
    concat = np.concatenate([row[:n] for row, n in zip(targets, tgl)])
    parity(
        "ctc_loss",
        G(lp),
        concat,
        tuple(il.tolist()),
        tuple(tgl.tolist()),
        variants=RED,
        rtol=1e-4,
        atol=1e-5,
    )
    targets = np.where(targets == 4, 0, targets)  # blank=4: no target may use it; 0 is a label now
    parity("ctc_loss", G(lp), targets, il, tgl, blank=4, variants=RED, rtol=1e-4, atol=1e-5)


def test_ctc_loss_unbatched_and_float64_match_torch():
    lp, targets, il, tgl = _ctc_case(batch=1)
    parity(
        "ctc_loss",
        G(lp[:, 0]),
        targets[0],
        np.array(il[0]),
        np.array(tgl[0]),
        variants=RED,
        rtol=1e-4,
        atol=1e-5,
    )
    parity(
        "ctc_loss", G(lp.astype(np.float64)), targets, il, tgl, variants=RED, rtol=1e-10, atol=1e-10
    )


def test_ctc_loss_impossible_alignment_is_inf_or_zeroed():
    lp, targets, _, tgl = _ctc_case()
    il = np.array([2, 5, 6], np.int64)  # 3 labels with a repeat cannot fit in 2 frames
    out = tl.nn.functional.ctc_loss(
        tl.tensor(lp), tl.tensor(targets), tl.tensor(il), tl.tensor(tgl), reduction="none"
    )
    assert np.isinf(out.numpy()[0]) and np.isfinite(out.numpy()[1:]).all()
    parity(
        None,
        G(lp),
        targets,
        il,
        tgl,
        module="CTCLoss",
        ctor={"zero_infinity": True},
        variants=RED,
        rtol=1e-4,
        atol=1e-5,
    )


def _grad_fn_chain(t):
    names, fn = [], t.grad_fn
    while fn is not None and type(fn).__name__ != "AccumulateGrad":
        names.append(fn.name())
        fn = fn.next_functions[0][0]
    return names


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss_graph_is_aten_composite(reduction, batched, zero_infinity):
    """ATen's ctc_loss: _ctc_loss per sample, then where (zero_infinity), / target lengths and
    mean, or sum, or squeeze of an unbatched input: `print(loss)` shows PyTorch's grad_fn."""
    lp, targets, il, tgl = _ctc_case(batch=2 if batched else 1)
    if not batched:
        lp, targets, il, tgl = lp[:, 0], targets[0], np.array(il[0]), np.array(tgl[0])
    chains = []
    for lib in (pt, tl):
        log_probs = lib.tensor(lp, requires_grad=True)
        loss = lib.nn.functional.ctc_loss(
            log_probs, lib.tensor(targets), lib.tensor(il), lib.tensor(tgl),
            reduction=reduction, zero_infinity=zero_infinity,
        )
        chains.append(_grad_fn_chain(loss))
    assert chains[1] == chains[0]


def test_ctc_loss_errors():
    F = tl.nn.functional
    lp = tl.randn(2, 2, 4).log_softmax(2)
    targets = tl.tensor([[1, 2, 1], [3, 3, 0]])
    with pytest.raises(RuntimeError, match="input_lengths must be integral"):
        F.ctc_loss(lp, targets, tl.tensor([2.0, 2.0]), tl.tensor([3, 2]))
    with pytest.raises(RuntimeError, match="input_lengths must be of size batch_size"):
        F.ctc_loss(lp, targets, tl.tensor([2, 2, 2]), tl.tensor([3, 2]))
    with pytest.raises(RuntimeError, match="target_lengths must be of size batch_size"):
        F.ctc_loss(lp, targets, tl.tensor([2, 2]), tl.tensor([3, 2, 2]))
    with pytest.raises(
        RuntimeError, match="Expected input_lengths to have value at most 2, but got value 3"
    ):
        F.ctc_loss(lp, targets, [3, 2], [3, 2])
    with pytest.raises(
        RuntimeError, match="Expected tensor to have size at least 4 at dimension 1, but got size 3"
    ):
        F.ctc_loss(lp, targets, [2, 2], [3, 4])


# -- modules: repr, state_dict, training ---------------------------------------------------------

MODULES = [
    ("L1Loss", {}),
    ("MSELoss", {}),
    ("SmoothL1Loss", {"beta": 0.5}),
    ("HuberLoss", {"delta": 2.0}),
    ("CrossEntropyLoss", {}),
    ("CrossEntropyLoss", {"weight": rand(3), "label_smoothing": 0.1}),
    ("NLLLoss", {"weight": rand(3)}),
    ("BCELoss", {}),
    ("BCEWithLogitsLoss", {"pos_weight": rand(3)}),
    ("KLDivLoss", {"reduction": "batchmean"}),
    ("PoissonNLLLoss", {}),
    ("GaussianNLLLoss", {}),
    ("HingeEmbeddingLoss", {}),
    ("MultiLabelMarginLoss", {}),
    ("SoftMarginLoss", {}),
    ("MultiLabelSoftMarginLoss", {"weight": rand(3)}),
    ("CosineEmbeddingLoss", {}),
    ("MarginRankingLoss", {}),
    ("MultiMarginLoss", {"weight": rand(3)}),
    ("TripletMarginLoss", {}),
    ("TripletMarginWithDistanceLoss", {}),
    ("CTCLoss", {"blank": 1}),
]


@pytest.mark.parametrize("name,ctor", MODULES, ids=[m[0] for m in MODULES])
def test_loss_module_repr_state_dict_and_load_match_torch(name, ctor):
    ref = getattr(pt.nn, name)(
        **{k: pt.tensor(v) if isinstance(v, np.ndarray) else v for k, v in ctor.items()}
    )
    got = getattr(tl.nn, name)(
        **{k: tl.tensor(v) if isinstance(v, np.ndarray) else v for k, v in ctor.items()}
    )
    assert repr(got) == repr(ref)
    assert list(got.state_dict().keys()) == list(ref.state_dict().keys())
    assert got.reduction == ref.reduction
    sd = {k: tl.tensor(v.numpy() * 2) for k, v in ref.state_dict().items()}
    got.load_state_dict(sd)
    for k, v in got.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), ref.state_dict()[k].numpy() * 2)


def test_nllloss2d_is_deprecated_alias():
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        m = tl.nn.NLLLoss2d()
    assert isinstance(m, tl.nn.NLLLoss) and repr(m) == "NLLLoss2d()"


def test_training_loop_compiles_once_even_when_hyperparameters_change():
    model = tl.nn.Linear(4, 3)
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    x, t = tl.tensor(randn(8, 4)), tl.tensor(classes(3, 8))
    t_bce = tl.tensor(rand(8, 3))
    for step in range(10):
        if step == 3:
            compiles = tl.metrics.counters()["compiles"]
        ce = tl.nn.CrossEntropyLoss(label_smoothing=0.05 * (step + 1), ignore_index=0)
        hinge = tl.nn.functional.huber_loss(model(x), t_bce, delta=1.0 + step)
        out = model(x)
        loss = ce(out, t) + tl.nn.functional.binary_cross_entropy_with_logits(out, t_bce) + hinge
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
    assert tl.metrics.counters()["compiles"] == compiles


def test_linear_cross_entropy_matches_torch():
    x, w, b, t = randn(5, 4), randn(3, 2, 4), randn(3, 2), classes(3, 5, 2)
    t[0, 0] = 1
    parity(
        "linear_cross_entropy",
        G(x),
        G(w),
        t,
        linear_bias=G(b),
        ignore_index=1,
        label_smoothing=0.1,
        variants=RED,
    )
    parity("linear_cross_entropy", G(x[0]), G(w[:, 0]), np.array(2), variants=RED)
    with pytest.raises(
        RuntimeError, match="ignore_index cannot be specified when target contains probabilities"
    ):
        tl.nn.functional.linear_cross_entropy(
            tl.randn(2, 4), tl.randn(3, 4), tl.rand(2, 3), ignore_index=0
        )


def test_linear_cross_entropy_loss_module_matches_torch():
    ref = pt.nn.LinearCrossEntropyLoss(4, 3, out_features=(2,), bias=True, label_smoothing=0.2)
    got = tl.nn.LinearCrossEntropyLoss(4, 3, out_features=(2,), bias=True, label_smoothing=0.2)
    assert repr(got) == repr(ref)
    got.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in ref.state_dict().items()})
    x, t = randn(5, 4), classes(3, 5, 2)
    out_ref = ref(pt.tensor(x), pt.tensor(t))
    out_ref.backward()
    out = got(tl.tensor(x), tl.tensor(t))
    out.backward()
    np.testing.assert_allclose(out.item(), out_ref.item(), rtol=1e-5)
    for (k, p_ref), (k2, p) in zip(ref.named_parameters(), got.named_parameters()):
        assert k == k2
        np.testing.assert_allclose(p.grad.numpy(), p_ref.grad.numpy(), rtol=1e-5, atol=1e-6)
    assert repr(tl.nn.LinearCrossEntropyLoss(4, 3)) == repr(pt.nn.LinearCrossEntropyLoss(4, 3))
