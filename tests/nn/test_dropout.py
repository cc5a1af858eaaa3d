"""Dropout family: statistics (fraction zeroed ~ p, scale 1/(1-p)), eval is the identity, channel-wise
masks, alpha dropout's mean/variance, edge cases, repr, and a BatchNorm+Dropout training loop that
draws new masks every step with zero recompiles."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

F = tl.nn.functional


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_statistics_and_gradient(p):
    tl.manual_seed(0)
    x = tl.ones(200, 100, requires_grad=True)
    y = F.dropout(x, p)
    y.sum().backward()
    v = y.detach().numpy()
    assert abs((v == 0).mean() - p) < 0.02
    np.testing.assert_allclose(v[v != 0], 1 / (1 - p), rtol=1e-6)
    np.testing.assert_array_equal(x.grad.numpy(), v)  # the gradient goes through the same mask


def test_dropout_masks_differ_between_calls_and_follow_the_seed():
    x = tl.ones(1000)
    tl.manual_seed(3)
    a, b = F.dropout(x).numpy(), F.dropout(x).numpy()
    assert (a != b).any()
    tl.manual_seed(3)
    np.testing.assert_array_equal(F.dropout(x).numpy(), a)


def test_eval_and_edge_probabilities():
    x = tl.randn(5, 6)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    np.testing.assert_array_equal(F.dropout(x, 1.0).numpy(), np.zeros((5, 6)))
    m = tl.nn.Dropout(0.9)
    m.eval()
    np.testing.assert_array_equal(m(x).numpy(), x.numpy())
    for bad in (-0.1, 1.5):
        with pytest.raises(
            ValueError, match=f"dropout probability has to be between 0 and 1, but got {bad}"
        ):
            tl.nn.Dropout(bad)
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
            F.dropout(x, bad)


def test_inplace_dropout_rewrites_the_input():
    tl.manual_seed(0)
    x = tl.ones(50, 40)
    out = tl.nn.Dropout(0.5, inplace=True)(x)
    assert out is x
    v = x.numpy()
    assert 0.4 < (v == 0).mean() < 0.6 and set(np.unique(v)) == {0.0, 2.0}


@pytest.mark.parametrize(
    "fn,shape,lead",
    [
        (F.dropout1d, (8, 16, 5), 2),
        (F.dropout1d, (16, 5), 1),
        (F.dropout2d, (8, 16, 3, 4), 2),
        (F.dropout3d, (4, 16, 2, 3, 2), 2),
        (F.dropout3d, (16, 2, 3, 2), 1),
    ],
)
def test_feature_dropout_zeroes_whole_channels(fn, shape, lead):
    """``lead``: batch and channel dims (unbatched inputs have only the channel)."""
    tl.manual_seed(1)
    y = fn(tl.ones(*shape), 0.5).numpy()
    per_channel = y.reshape(shape[:lead] + (-1,))
    assert (per_channel == per_channel[..., :1]).all()
    assert set(np.unique(y)) == {0.0, 2.0}


def test_dropout1d_rejects_other_ranks():
    with pytest.raises(
        RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D input"
    ):
        F.dropout1d(tl.ones(2, 3, 4, 5))


def test_alpha_dropout_keeps_zero_mean_unit_variance():
    tl.manual_seed(0)
    x = tl.randn(200000)
    y = F.alpha_dropout(x, 0.3, training=True).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    # dropped units take the same value, SELU's saturation mapped by the affine correction
    p, alpha = 0.3, 1.7580993408473766
    a = ((1 - p) * (1 + p * alpha**2)) ** -0.5
    dropped = -alpha * a + alpha * a * p
    assert abs((np.isclose(y, dropped, atol=1e-6)).mean() - p) < 0.01
    assert F.alpha_dropout(x, 0.3) is x  # training=False by default, as torch
    z = F.feature_alpha_dropout(tl.zeros(64, 32, 3), 0.5, training=True).numpy()
    assert (z == z[..., :1]).all()  # one mask value per channel
    a = (0.5 * (1 + 0.5 * alpha**2)) ** -0.5
    values = sorted(np.unique(z))
    np.testing.assert_allclose(values, [-alpha * a + alpha * a * 0.5, alpha * a * 0.5], rtol=1e-5)


def test_reprs_match_torch():
    for name in (
        "Dropout",
        "Dropout1d",
        "Dropout2d",
        "Dropout3d",
        "AlphaDropout",
        "FeatureAlphaDropout",
    ):
        assert repr(getattr(tl.nn, name)()) == repr(getattr(pt.nn, name)())
        assert repr(getattr(tl.nn, name)(0.25, True)) == repr(getattr(pt.nn, name)(0.25, True))


def test_batchnorm_dropout_training_loop_has_zero_recompiles():
    tl.manual_seed(0)
    model = tl.nn.Sequential(
        tl.nn.Linear(6, 8),
        tl.nn.BatchNorm1d(8),
        tl.nn.ReLU(),
        tl.nn.Dropout(0.5),
        tl.nn.Linear(8, 1),
    )
    opt = tl.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rng = np.random.default_rng(0)
    x, t = (
        tl.tensor(rng.standard_normal((16, 6)).astype(np.float32)),
        tl.tensor(rng.standard_normal((16, 1)).astype(np.float32)),
    )
    masks, losses = [], []
    # the dropout's output, seen by a forward hook, shows the mask of each step
    model[3].register_forward_hook(lambda m, i, o: masks.append(o))
    for step in range(10):
        opt.zero_grad()
        loss = ((model(x) - t) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        masks[-1] = masks[-1].detach().numpy() == 0
        if step == 2:
            compiles = tl.metrics.counters()["compiles"]
    assert tl.metrics.counters()["compiles"] == compiles
    assert model[1].num_batches_tracked.item() == 10
    assert all((masks[i] != masks[i + 1]).any() for i in range(9))
    assert np.isfinite(losses).all()
    running = model[1].running_mean.numpy()
    assert np.abs(running).sum() > 0
