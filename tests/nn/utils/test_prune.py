"""nn.utils.prune against PyTorch: exact masks for the deterministic methods, amounts and shapes
for the random ones, the weight_orig/weight_mask re-parametrisation (parameters, buffers, hooks,
state_dict), iterative pruning through PruningContainer, remove, and training with a pruned
module (gradients reach weight_orig, masked entries stay zero, no recompiles after warm-up)."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")
pytest.importorskip("torch.nn.utils.prune")  # PyTorch does not import it with torch.nn.utils


def _fixed(lib, module):
    """Distinct magnitudes (no ties for topk), identical in both libraries."""
    with lib.no_grad():
        for p in module.parameters():
            k = np.arange(p.numel())
            p.copy_(
                lib.tensor(np.cos(k * 1.7 + k**2 * 0.31).reshape(tuple(p.shape)).astype(np.float32))
            )
    return module


def _np(t):
    return t.detach().numpy()


def _conv(lib):
    return _fixed(lib, lib.nn.Conv2d(2, 4, 3))


def _both(prune_fn, make=_conv):
    ours, theirs = make(tl), make(pt)
    prune_fn(tl, ours)
    prune_fn(pt, theirs)
    return ours, theirs


def _same_reparametrisation(ours, theirs):
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [type(h).__name__ for h in ours._forward_pre_hooks.values()] == [
        type(h).__name__ for h in theirs._forward_pre_hooks.values()
    ]


DETERMINISTIC = {
    "l1_fraction": lambda lib, m: lib.nn.utils.prune.l1_unstructured(m, "weight", amount=0.3),
    "l1_count": lambda lib, m: lib.nn.utils.prune.l1_unstructured(m, "bias", amount=2),
    "ln_structured_dim0": lambda lib, m: lib.nn.utils.prune.ln_structured(
        m, "weight", amount=0.5, n=2, dim=0
    ),
    "ln_structured_l1_dim1": lambda lib, m: lib.nn.utils.prune.ln_structured(
        m, "weight", amount=1, n=1, dim=1
    ),
    "ln_structured_inf_last": lambda lib, m: lib.nn.utils.prune.ln_structured(
        m, "weight", amount=0.34, n=float("inf"), dim=-1
    ),
    "identity": lambda lib, m: lib.nn.utils.prune.identity(m, "weight"),
    "custom_from_mask": lambda lib, m: lib.nn.utils.prune.custom_from_mask(
        m, "bias", mask=lib.tensor([1.0, 0.0, 0.0, 1.0])
    ),
    "l1_importance_scores": lambda lib, m: lib.nn.utils.prune.l1_unstructured(
        m,
        "weight",
        amount=5,
        importance_scores=lib.arange(72, dtype=lib.float32).reshape(4, 2, 3, 3),
    ),
}


@pytest.mark.parametrize("kind", sorted(DETERMINISTIC))
def test_deterministic_pruning_masks_match_pytorch(kind):
    ours, theirs = _both(DETERMINISTIC[kind])
    _same_reparametrisation(ours, theirs)
    name = "bias" if hasattr(ours, "bias_mask") else "weight"
    np.testing.assert_array_equal(
        _np(getattr(ours, name + "_mask")), _np(getattr(theirs, name + "_mask"))
    )
    np.testing.assert_allclose(_np(getattr(ours, name)), _np(getattr(theirs, name)))
    assert isinstance(getattr(ours, name + "_orig"), tl.nn.Parameter)
    assert tl.nn.utils.prune.is_pruned(ours)


def test_iterative_pruning_builds_a_container_like_pytorch():
    def prune(lib, m):
        P = lib.nn.utils.prune
        P.l1_unstructured(m, "weight", amount=0.25)
        P.ln_structured(m, "weight", amount=0.5, n=2, dim=0)
        P.l1_unstructured(m, "weight", amount=3)

    ours, theirs = _both(prune)
    _same_reparametrisation(ours, theirs)
    (container,) = ours._forward_pre_hooks.values()
    assert isinstance(container, tl.nn.utils.prune.PruningContainer)
    assert [type(m).__name__ for m in container] == [
        "L1Unstructured",
        "LnStructured",
        "L1Unstructured",
    ]
    np.testing.assert_array_equal(_np(ours.weight_mask), _np(theirs.weight_mask))


def test_global_unstructured_matches_pytorch():
    def make(lib):
        return _fixed(
            lib, lib.nn.Sequential(lib.nn.Conv2d(1, 3, 2), lib.nn.Flatten(), lib.nn.Linear(12, 5))
        )

    def prune(lib, m):
        lib.nn.utils.prune.l1_unstructured(
            m[2], "weight", amount=0.2
        )  # a mask already there is respected
        lib.nn.utils.prune.global_unstructured(
            [(m[0], "weight"), (m[2], "weight"), (m[2], "bias")],
            pruning_method=lib.nn.utils.prune.L1Unstructured,
            amount=0.4,
        )

    ours, theirs = _both(prune, make)
    _same_reparametrisation(ours, theirs)
    for a, b in zip(ours.buffers(), theirs.buffers()):
        np.testing.assert_array_equal(_np(a), _np(b))
    pruned = sum(float((b == 0).sum()) for b in ours.buffers())
    already = 12  # 20% of the linear weight: the 40% are taken from the 65 entries left
    assert pruned == already + round(0.4 * (12 + 60 + 5 - already))


@pytest.mark.parametrize("amount, expected", [(0.3, 22), (5, 5), (0.0, 0)])
def test_random_unstructured_prunes_the_amount(amount, expected):
    m = tl.nn.utils.prune.random_unstructured(_conv(tl), "weight", amount=amount)
    mask = _np(m.weight_mask)
    assert mask.shape == (4, 2, 3, 3) and set(np.unique(mask)) <= {0.0, 1.0}
    assert int((mask == 0).sum()) == expected
    np.testing.assert_array_equal(_np(m.weight) == 0, mask == 0)


@pytest.mark.parametrize("dim, amount, pruned_channels", [(0, 0.5, 2), (1, 1, 1), (-1, 2, 2)])
def test_random_structured_prunes_whole_channels(dim, amount, pruned_channels):
    m = tl.nn.utils.prune.random_structured(_conv(tl), "weight", amount=amount, dim=dim)
    mask = np.moveaxis(_np(m.weight_mask), dim, 0)
    per_channel = mask.reshape(mask.shape[0], -1)
    assert all(row.min() == row.max() for row in per_channel)  # each channel kept or dropped whole
    assert int((per_channel[:, 0] == 0).sum()) == pruned_channels


def test_random_pruning_after_l1_keeps_earlier_zeros():
    m = _conv(tl)
    tl.nn.utils.prune.l1_unstructured(m, "weight", amount=10)
    first = _np(m.weight_mask).copy()
    tl.nn.utils.prune.random_unstructured(m, "weight", amount=10)
    second = _np(m.weight_mask)
    assert np.all(second[first == 0] == 0)
    assert int((second == 0).sum()) == 20


def test_remove_makes_pruning_permanent():
    def prune(lib, m):
        P = lib.nn.utils.prune
        P.l1_unstructured(m, "weight", amount=0.5)
        P.l1_unstructured(m, "bias", amount=1)
        P.remove(m, "weight")

    ours, theirs = _both(prune)
    _same_reparametrisation(ours, theirs)
    assert [n for n, _ in ours.named_parameters()] == ["bias_orig", "weight"]
    assert isinstance(ours.weight, tl.nn.Parameter)
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight))
    tl.nn.utils.prune.remove(ours, "bias")
    assert not tl.nn.utils.prune.is_pruned(ours)
    with pytest.raises(ValueError, match="has to be pruned before pruning can be removed"):
        tl.nn.utils.prune.remove(ours, "bias")


def test_custom_pruning_method_subclass():
    def prune(lib, m):
        class EveryOther(lib.nn.utils.prune.BasePruningMethod):
            PRUNING_TYPE = "unstructured"

            def compute_mask(self, t, default_mask):
                mask = default_mask.clone()
                mask.view(-1)[::2] = 0
                return mask

        EveryOther.apply(m, "bias")

    ours, theirs = _both(prune)
    _same_reparametrisation(ours, theirs)
    np.testing.assert_array_equal(_np(ours.bias_mask), [0.0, 1.0, 0.0, 1.0])


def test_prune_method_without_a_module():
    t = np.arange(1, 7, dtype=np.float32).reshape(2, 3) - 3.5
    ours = tl.nn.utils.prune.L1Unstructured(amount=2).prune(tl.tensor(t))
    theirs = pt.nn.utils.prune.L1Unstructured(amount=2).prune(pt.tensor(t))
    np.testing.assert_array_equal(_np(ours), _np(theirs))


def test_invalid_amounts_raise_like_pytorch():
    P = tl.nn.utils.prune
    with pytest.raises(
        ValueError, match=r"amount=1.5 should either be a float in the range \[0, 1\]"
    ):
        P.l1_unstructured(tl.nn.Linear(2, 2), "weight", amount=1.5)
    with pytest.raises(
        ValueError, match="amount=9 should be smaller than the number of parameters to prune=4"
    ):
        P.l1_unstructured(tl.nn.Linear(2, 2), "weight", amount=9)
    with pytest.raises(
        ValueError, match="Structured pruning can only be applied to multidimensional tensors"
    ):
        P.ln_structured(tl.nn.Linear(2, 2), "bias", amount=1, n=2, dim=0)
    m = tl.nn.Linear(2, 2)
    with pytest.raises(TypeError, match="Invalid type for amount"):
        P.l1_unstructured(m, "weight", amount="half")
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]


def _train(lib, model, steps, warm_up=None):
    opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = lib.tensor(np.linspace(-1, 1, 2 * 2 * 5 * 5, dtype=np.float32).reshape(2, 2, 5, 5))
    losses = []
    for step in range(steps):
        if step == warm_up:
            compiles = tl.metrics.counters()["compiles"]
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses if warm_up is None else tl.metrics.counters()["compiles"] - compiles


def test_training_a_pruned_module_matches_pytorch():
    ours, theirs = _both(DETERMINISTIC["l1_fraction"])
    np.testing.assert_allclose(_train(tl, ours, 3), _train(pt, theirs, 3), rtol=1e-5)
    np.testing.assert_allclose(
        _np(ours.weight_orig.grad), _np(theirs.weight_orig.grad), rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(_np(ours.weight_orig), _np(theirs.weight_orig), rtol=1e-5, atol=1e-6)
    assert np.all(_np(ours.weight_orig.grad)[_np(ours.weight_mask) == 0] == 0)
    ours(tl.zeros(1, 2, 5, 5))
    assert np.all(_np(ours.weight)[_np(ours.weight_mask) == 0] == 0)


def test_pruned_training_loop_compiles_nothing_after_warm_up():
    m = _conv(tl)
    tl.nn.utils.prune.l1_unstructured(m, "weight", amount=0.3)
    tl.nn.utils.prune.ln_structured(m, "weight", amount=1, n=2, dim=0)
    assert _train(tl, m, steps=7, warm_up=3) == 0


def test_pruned_state_dict_round_trip_between_libraries():
    ours, theirs = _both(DETERMINISTIC["ln_structured_dim0"])
    fresh_pt = pt.nn.utils.prune.identity(pt.nn.Conv2d(2, 4, 3), "weight")
    fresh_pt.load_state_dict({k: pt.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    fresh_pt(pt.zeros(1, 2, 5, 5))
    np.testing.assert_allclose(_np(fresh_pt.weight), _np(theirs.weight))
    fresh = tl.nn.utils.prune.identity(tl.nn.Conv2d(2, 4, 3), "weight")
    fresh.load_state_dict({k: tl.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    fresh(tl.zeros(1, 2, 5, 5))
    np.testing.assert_allclose(_np(fresh.weight), _np(theirs.weight))
