"""The hook-based nn.utils.weight_norm / spectral_norm (and their remove_*) against PyTorch:
parameter and buffer names, the deprecation warning, values, gradients through a training step,
state_dict round trips and metadata."""

import warnings

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _fixed(lib, module):
    with lib.no_grad():
        for p in module.parameters():
            k = np.arange(p.numel())
            p.copy_(
                lib.tensor(np.cos(k * 1.7 + k**2 * 0.31).reshape(tuple(p.shape)).astype(np.float32))
            )
    return module


def _np(t):
    return t.detach().numpy()


def _weight_norm(lib, module, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return lib.nn.utils.weight_norm(module, **kw)


def test_weight_norm_warns_like_pytorch():
    caught = {}
    for lib in (tl, pt):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.utils.weight_norm(lib.nn.Linear(2, 2))
        caught[lib] = [(x.category, str(x.message)) for x in w]
    assert caught[tl] == caught[pt]
    assert caught[tl] == [
        (
            FutureWarning,
            "`torch.nn.utils.weight_norm` is deprecated in favor of `torch.nn.utils.parametrizations.weight_norm`.",
        )
    ]


@pytest.mark.parametrize(
    "make, dim",
    [
        (lambda lib: lib.nn.Linear(3, 4), 0),
        (lambda lib: lib.nn.Conv1d(2, 3, 2), 1),
        (lambda lib: lib.nn.Conv2d(2, 3, 2), None),
        (lambda lib: lib.nn.Conv2d(2, 3, 2), -1),
        (lambda lib: lib.nn.Conv2d(2, 3, 2), 3),
    ],
)
def test_weight_norm_names_shapes_values(make, dim):
    ours = _weight_norm(tl, _fixed(tl, make(tl)), dim=dim)
    theirs = _weight_norm(pt, _fixed(pt, make(pt)), dim=dim)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.weight_g.shape == theirs.weight_g.shape
    np.testing.assert_allclose(_np(ours.weight_g), _np(theirs.weight_g), rtol=1e-6)
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-5, atol=1e-7)
    assert repr(ours) == repr(theirs)
    assert [type(h).__name__ for h in ours._forward_pre_hooks.values()] == ["WeightNorm"]


def _train(lib, module, steps=3, warm_up=None):
    """``steps`` SGD steps; with ``warm_up``, returns the programs compiled after that many."""
    opt = lib.optim.SGD(module.parameters(), lr=0.1, momentum=0.9)
    x = lib.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
    losses = []
    for step in range(steps):
        if step == warm_up:
            compiles = tl.metrics.counters()["compiles"]
        opt.zero_grad()
        loss = module(x).pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses if warm_up is None else tl.metrics.counters()["compiles"] - compiles


def test_weight_norm_training_step_matches_pytorch():
    ours = _weight_norm(tl, _fixed(tl, tl.nn.Linear(3, 4)))
    theirs = _weight_norm(pt, _fixed(pt, pt.nn.Linear(3, 4)))
    np.testing.assert_allclose(_train(tl, ours), _train(pt, theirs), rtol=1e-5)
    for name in ("weight_g", "weight_v", "bias"):
        np.testing.assert_allclose(
            _np(getattr(ours, name)), _np(getattr(theirs, name)), rtol=1e-4, atol=1e-6
        )
        np.testing.assert_allclose(
            _np(getattr(ours, name).grad), _np(getattr(theirs, name).grad), rtol=1e-4, atol=1e-6
        )


def test_weight_norm_loop_compiles_nothing_after_warm_up():
    model = _weight_norm(tl, _fixed(tl, tl.nn.Linear(3, 4)))
    assert _train(tl, model, steps=7, warm_up=3) == 0


def test_remove_weight_norm():
    ours = _weight_norm(tl, _fixed(tl, tl.nn.Linear(3, 4)))
    theirs = _weight_norm(pt, _fixed(pt, pt.nn.Linear(3, 4)))
    _train(tl, ours)
    _train(pt, theirs)
    tl.nn.utils.remove_weight_norm(ours)
    pt.nn.utils.remove_weight_norm(theirs)
    assert (
        [n for n, _ in ours.named_parameters()]
        == [n for n, _ in theirs.named_parameters()]
        == ["bias", "weight"]
    )
    assert not ours._forward_pre_hooks
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found in"):
        tl.nn.utils.remove_weight_norm(ours)


def test_weight_norm_twice_is_an_error():
    m = _weight_norm(tl, tl.nn.Linear(2, 2))
    with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks"):
        _weight_norm(tl, m)


def _spectral(lib, module):
    m = lib.nn.utils.spectral_norm(module)
    with lib.no_grad():
        m.weight_u.copy_(lib.tensor(np.linspace(0.2, 0.8, m.weight_u.numel(), dtype=np.float32)))
        m.weight_v.copy_(
            lib.tensor(np.linspace(-0.5, 0.5, m.weight_v.numel(), dtype=np.float32) + 0.1)
        )
    return m


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.nn.Linear(5, 4),
        lambda lib: lib.nn.Conv2d(2, 3, 2),
        lambda lib: lib.nn.ConvTranspose2d(2, 3, 2),
    ],
    ids=["linear", "conv", "conv_transpose"],
)
def test_spectral_norm_names_and_power_iteration_match_pytorch(make):
    ours = _spectral(tl, _fixed(tl, make(tl)))
    theirs = _spectral(pt, _fixed(pt, make(pt)))
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert (
        [n for n, _ in ours.named_buffers()]
        == [n for n, _ in theirs.named_buffers()]
        == ["weight_u", "weight_v"]
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert (
        ours.weight_u.shape == theirs.weight_u.shape
        and ours.weight_v.shape == theirs.weight_v.shape
    )
    shape = (1, 2, 4, 4) if ours.weight.dim() == 4 else (1, 5)
    x = np.linspace(-1, 1, int(np.prod(shape)), dtype=np.float32).reshape(shape)
    for _ in range(3):
        a = ours(tl.tensor(x))
        b = theirs(pt.tensor(x))
    np.testing.assert_allclose(_np(a), _np(b), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(ours.weight_u), _np(theirs.weight_u), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(ours.weight_v), _np(theirs.weight_v), rtol=1e-4, atol=1e-6)
    ours.eval()
    theirs.eval()
    u = _np(ours.weight_u).copy()
    np.testing.assert_allclose(
        _np(ours(tl.tensor(x))), _np(theirs(pt.tensor(x))), rtol=1e-4, atol=1e-5
    )
    np.testing.assert_array_equal(_np(ours.weight_u), u)  # no power iteration in eval mode


def test_spectral_norm_training_step_and_metadata():
    ours = _spectral(tl, _fixed(tl, tl.nn.Linear(3, 4)))
    theirs = _spectral(pt, _fixed(pt, pt.nn.Linear(3, 4)))
    np.testing.assert_allclose(_train(tl, ours), _train(pt, theirs), rtol=1e-4)
    np.testing.assert_allclose(
        _np(ours.weight_orig.grad), _np(theirs.weight_orig.grad), rtol=1e-3, atol=1e-6
    )
    np.testing.assert_allclose(_np(ours.weight_orig), _np(theirs.weight_orig), rtol=1e-4, atol=1e-6)
    assert ours.state_dict()._metadata[""]["spectral_norm"] == {"weight.version": 1}
    # a torchlike checkpoint loads into PyTorch and back
    theirs2 = pt.nn.utils.spectral_norm(pt.nn.Linear(3, 4))
    theirs2.load_state_dict({k: pt.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    np.testing.assert_allclose(_np(theirs2.weight_u), _np(ours.weight_u))
    ours2 = tl.nn.utils.spectral_norm(tl.nn.Linear(3, 4))
    ours2.load_state_dict({k: tl.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(_np(ours2.weight_orig), _np(theirs.weight_orig))


def test_spectral_norm_loop_compiles_nothing_after_warm_up():
    model = _spectral(tl, _fixed(tl, tl.nn.Linear(3, 4)))
    assert _train(tl, model, steps=7, warm_up=3) == 0


def test_remove_spectral_norm():
    ours = _spectral(tl, _fixed(tl, tl.nn.Linear(3, 4)))
    theirs = _spectral(pt, _fixed(pt, pt.nn.Linear(3, 4)))
    ours(tl.ones(1, 3))
    theirs(pt.ones(1, 3))
    tl.nn.utils.remove_spectral_norm(ours)
    pt.nn.utils.remove_spectral_norm(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert not list(ours.named_buffers())
    assert (
        not ours._forward_pre_hooks
        and not ours._state_dict_hooks
        and not ours._load_state_dict_pre_hooks
    )
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-5)
