"""nn.utils.parametrize and nn.utils.parametrizations (orthogonal, weight_norm, spectral_norm)
against PyTorch: class swap and printing, state_dict keys, right_inverse, chaining, removal,
caching, gradients through a training step, and no recompiles once a loop is warm."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

W3 = [[0.3, -0.8, 0.5], [0.1, 0.9, -0.4], [-0.7, 0.2, 0.6]]


def _fixed(lib, module):
    """Deterministic full-rank weights, identical in both libraries."""
    with lib.no_grad():
        for p in module.parameters():
            k = np.arange(p.numel())
            values = np.cos(k * 1.7 + k**2 * 0.31).reshape(tuple(p.shape)).astype(np.float32)
            p.copy_(lib.tensor(values))
    return module


def _np(t):
    return t.detach().numpy()


def _symmetric(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, A):
            return A.triu()

    return Symmetric


def _both(build):
    return build(tl), build(pt)


def test_register_swaps_class_and_prints_like_pytorch():
    def build(lib):
        m = _fixed(lib, lib.nn.Linear(3, 3))
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric(lib)())
        return m

    ours, theirs = _both(build)
    assert type(ours).__name__ == type(theirs).__name__ == "ParametrizedLinear"
    assert repr(ours) == repr(theirs)
    assert repr(ours).startswith(
        "ParametrizedLinear(\n  in_features=3, out_features=3, bias=True\n  (parametrizations)"
    )
    assert (
        list(ours.state_dict())
        == list(theirs.state_dict())
        == ["bias", "parametrizations.weight.original"]
    )
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-6)
    np.testing.assert_allclose(
        _np(ours.parametrizations.weight.original), _np(theirs.parametrizations.weight.original)
    )
    P = tl.nn.utils.parametrize
    assert (
        P.is_parametrized(ours)
        and P.is_parametrized(ours, "weight")
        and not P.is_parametrized(ours, "bias")
    )
    assert P.type_before_parametrizations(ours) is tl.nn.Linear
    assert isinstance(ours, tl.nn.Linear)


def test_assignment_goes_through_right_inverse():
    A = [[1.0, 2.0, 3.0], [2.0, 5.0, 6.0], [3.0, 6.0, 9.0]]

    def build(lib):
        m = _fixed(lib, lib.nn.Linear(3, 3))
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric(lib)())
        original = m.parametrizations.weight.original
        m.weight = lib.tensor(A)
        assert m.parametrizations.weight.original is original  # updated in place
        return m

    ours, theirs = _both(build)
    np.testing.assert_allclose(_np(ours.weight), A)
    np.testing.assert_allclose(
        _np(ours.parametrizations.weight.original), _np(theirs.parametrizations.weight.original)
    )


def test_chained_parametrizations_and_several_originals():
    def build(lib):
        class Double(lib.nn.Module):
            def forward(self, X):
                return 2 * X

        class RankOne(lib.nn.Module):
            def forward(self, x, y):
                return x.unsqueeze(-1) @ y.unsqueeze(-2)

            def right_inverse(self, Z):
                return Z[:, 0], Z[0, :]

        m = _fixed(lib, lib.nn.Linear(3, 3))
        P = lib.nn.utils.parametrize
        P.register_parametrization(m, "weight", RankOne())
        P.register_parametrization(m, "weight", Double())
        return m

    ours, theirs = _both(build)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert "parametrizations.weight.original1" in ours.state_dict()
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-6)


def test_shape_change_is_refused_unless_unsafe():
    class Flatten(tl.nn.Module):
        def forward(self, X):
            return X.reshape(-1)

    m = tl.nn.Linear(3, 3)
    with pytest.raises(ValueError, match="may not change the shape"):
        tl.nn.utils.parametrize.register_parametrization(m, "weight", Flatten())
    assert type(m) is tl.nn.Linear and "weight" in m._parameters
    tl.nn.utils.parametrize.register_parametrization(m, "weight", Flatten(), unsafe=True)
    assert m.weight.shape == (9,)
    with pytest.raises(ValueError, match="does not have a parameter, a buffer"):
        tl.nn.utils.parametrize.register_parametrization(m, "nothing", Flatten())


@pytest.mark.parametrize("leave_parametrized", [True, False])
def test_remove_parametrizations_restores_the_class(leave_parametrized):
    def build(lib):
        m = _fixed(lib, lib.nn.Linear(3, 3))
        P = lib.nn.utils.parametrize
        P.register_parametrization(m, "weight", _symmetric(lib)())
        P.remove_parametrizations(m, "weight", leave_parametrized=leave_parametrized)
        return m

    ours, theirs = _both(build)
    assert type(ours) is tl.nn.Linear
    assert not hasattr(ours, "parametrizations")
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["bias", "weight"]
    assert isinstance(ours.weight, tl.nn.Parameter)
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-6)


def test_cached_computes_each_parametrized_tensor_once():
    calls = []

    class Counted(tl.nn.Module):
        def forward(self, X):
            calls.append(1)
            return X * 2

    m = tl.nn.Linear(3, 3)
    tl.nn.utils.parametrize.register_parametrization(m, "weight", Counted())
    calls.clear()
    with tl.nn.utils.parametrize.cached():
        a, b = m.weight, m.weight
    assert a is b and len(calls) == 1
    assert m.weight is not m.weight  # outside cached(): computed on every access
    assert len(calls) == 3


def test_state_dict_round_trip_between_libraries():
    def build(lib):
        m = lib.nn.Linear(3, 3)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric(lib)())
        return m

    ours, theirs = _both(build)
    _fixed(pt, theirs)
    ours.load_state_dict({k: tl.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-6)
    theirs2 = build(pt)
    theirs2.load_state_dict({k: pt.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    np.testing.assert_allclose(_np(theirs2.weight), _np(theirs.weight), rtol=1e-6)


def _train(lib, build, steps=3):
    model = build(lib)
    opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = lib.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, losses


PARAMETRIZED = {
    "symmetric": lambda lib: lib.nn.utils.parametrize.register_parametrization(
        _fixed(lib, lib.nn.Linear(3, 3)), "weight", _symmetric(lib)()
    ),
    "weight_norm": lambda lib: lib.nn.utils.parametrizations.weight_norm(
        _fixed(lib, lib.nn.Linear(3, 3))
    ),
    "orthogonal_matrix_exp": lambda lib: lib.nn.utils.parametrizations.orthogonal(
        _fixed(lib, lib.nn.Linear(3, 3))
    ),
    "orthogonal_cayley": lambda lib: lib.nn.utils.parametrizations.orthogonal(
        _fixed(lib, lib.nn.Linear(3, 3)), orthogonal_map="cayley"
    ),
    "orthogonal_householder": lambda lib: lib.nn.utils.parametrizations.orthogonal(
        _fixed(lib, lib.nn.Linear(3, 3)), orthogonal_map="householder"
    ),
}


@pytest.mark.parametrize("kind", sorted(PARAMETRIZED))
def test_training_step_updates_the_originals_like_pytorch(kind):
    ours, our_losses = _train(tl, PARAMETRIZED[kind])
    theirs, their_losses = _train(pt, PARAMETRIZED[kind])
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-4, atol=1e-6)
    for (name, p), (name2, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == name2
        np.testing.assert_allclose(_np(p), _np(q), rtol=1e-4, atol=1e-5, err_msg=name)
        np.testing.assert_allclose(_np(p.grad), _np(q.grad), rtol=1e-3, atol=1e-5, err_msg=name)
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", ["symmetric", "orthogonal_matrix_exp", "spectral_norm"])
def test_parametrized_training_loop_compiles_nothing_after_warm_up(kind):
    build = PARAMETRIZED.get(kind) or (
        lambda lib: lib.nn.utils.parametrizations.spectral_norm(_fixed(lib, lib.nn.Linear(3, 3)))
    )
    model = build(tl)
    opt = tl.optim.SGD(model.parameters(), lr=0.05)
    x = tl.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
    for step in range(6):
        if step == 3:
            compiles = tl.metrics.counters()["compiles"]
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        loss.item()
    assert tl.metrics.counters()["compiles"] == compiles


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
@pytest.mark.parametrize("orthogonal_map", [None, "matrix_exp", "cayley", "householder"])
def test_orthogonal_weight_matches_pytorch(shape, orthogonal_map):
    def build(lib):
        m = _fixed(lib, lib.nn.Linear(shape[1], shape[0]))
        return lib.nn.utils.parametrizations.orthogonal(m, orthogonal_map=orthogonal_map)

    ours, theirs = _both(build)
    W = _np(ours.weight)
    k = min(shape)
    gram = W.T @ W if shape[0] >= shape[1] else W @ W.T
    np.testing.assert_allclose(gram, np.eye(k), atol=1e-5)
    if shape[0] == shape[1]:  # rectangular weights are completed with random columns
        np.testing.assert_allclose(W, _np(theirs.weight), atol=1e-5)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)


def test_orthogonal_householder_without_trivialization_matches_pytorch():
    def build(lib):
        m = _fixed(lib, lib.nn.Linear(3, 5))
        return lib.nn.utils.parametrizations.orthogonal(
            m, orthogonal_map="householder", use_trivialization=False
        )

    ours, theirs = _both(build)
    np.testing.assert_allclose(
        _np(ours.parametrizations.weight.original),
        _np(theirs.parametrizations.weight.original),
        atol=1e-5,
    )
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), atol=1e-5)
    assert "base" not in ours.state_dict()


def test_weight_norm_parametrization_names_and_values():
    def build(lib):
        return lib.nn.utils.parametrizations.weight_norm(_fixed(lib, lib.nn.Conv1d(2, 3, 2)), dim=0)

    ours, theirs = _both(build)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict())[1:] == [
        "parametrizations.weight.original0",
        "parametrizations.weight.original1",
    ]
    assert ours.parametrizations.weight.original0.shape == (3, 1, 1)
    np.testing.assert_allclose(
        _np(ours.parametrizations.weight.original0),
        _np(theirs.parametrizations.weight.original0),
        rtol=1e-6,
    )
    np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-6)


def test_weight_norm_parametrization_loads_an_old_api_checkpoint():
    old = tl.nn.Linear(3, 4)
    with pytest.warns(FutureWarning):
        tl.nn.utils.weight_norm(old)
    new = tl.nn.utils.parametrizations.weight_norm(tl.nn.Linear(3, 4))
    new.load_state_dict(old.state_dict())
    np.testing.assert_allclose(_np(new.weight), _np(old.weight_v), rtol=1e-6)


def _set_uv(lib, m, u, v):
    with lib.no_grad():
        sn = m.parametrizations.weight[0]
        sn._u.copy_(lib.tensor(u))
        sn._v.copy_(lib.tensor(v))


def test_spectral_norm_parametrization_power_iteration_matches_pytorch():
    def build(lib):
        m = lib.nn.utils.parametrizations.spectral_norm(_fixed(lib, lib.nn.Linear(5, 4)))
        _set_uv(lib, m, [0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 0.0, 0.0, 0.0])
        return m

    ours, theirs = _both(build)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert "parametrizations.weight.0._u" in ours.state_dict()
    assert repr(ours) == repr(theirs)
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(
        _np(ours.weight), _np(theirs.weight), rtol=1e-5
    )  # no iteration in eval
    ours.train()
    theirs.train()
    for _ in range(2):
        np.testing.assert_allclose(_np(ours.weight), _np(theirs.weight), rtol=1e-4, atol=1e-6)
    sn, sn_pt = ours.parametrizations.weight[0], theirs.parametrizations.weight[0]
    np.testing.assert_allclose(_np(sn._u), _np(sn_pt._u), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(sn._v), _np(sn_pt._v), rtol=1e-4, atol=1e-6)


def test_spectral_norm_parametrization_converges_to_unit_spectral_norm():
    m = tl.nn.utils.parametrizations.spectral_norm(_fixed(tl, tl.nn.Conv2d(2, 3, 2)))
    for _ in range(20):
        m.weight.sum()  # each access runs one power iteration (training mode)
    W = _np(m.weight).reshape(3, -1)
    assert np.linalg.norm(W, 2) == pytest.approx(1.0, abs=1e-3)
