"""torch.utils.checkpoint against PyTorch: outputs and gradients equal a direct call, warnings and
argument errors are PyTorch's, and the reentrant variant's requires_grad rule holds."""

import importlib
import warnings

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl

X = np.array([[0.1, -0.2, 0.3, 0.4], [1.0, 2.0, -1.0, 0.5], [0.0, 0.7, -0.3, -2.0]], np.float32)


def model(L):
    L.manual_seed(0)
    m = L.nn.Sequential(L.nn.Linear(4, 8), L.nn.Tanh(), L.nn.Linear(8, 8), L.nn.ReLU(), L.nn.Linear(8, 2))
    with L.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(L.linspace(-1, 1, p.numel()).reshape(p.shape) * (0.5 + 0.1 * i))
    return m


def run(L, how, **kw):
    cp = importlib.import_module(f"{L.__name__}.utils.checkpoint")
    m = model(L)
    x = L.tensor(X, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if how == "direct":
            y = m(x)
        elif how == "checkpoint":
            y = cp.checkpoint(m, x, **kw)
        else:
            y = cp.checkpoint_sequential(m, 2, x, **kw)
    (y ** 2).sum().backward()
    grads = [x.grad.numpy()] + [p.grad.numpy() for p in m.parameters()]
    return y.detach().numpy(), grads, [(w.category.__name__, str(w.message)) for w in caught]


@pytest.mark.parametrize("how", ["checkpoint", "sequential"])
@pytest.mark.parametrize("reentrant", [True, False, None])
def test_results_and_gradients_equal_a_direct_call(how, reentrant):
    kw = {} if reentrant is None else {"use_reentrant": reentrant}
    y, grads, warned = run(tl, how, **kw)
    y_direct, grads_direct, _ = run(tl, "direct")
    np.testing.assert_array_equal(y, y_direct)
    for g, gd in zip(grads, grads_direct):
        np.testing.assert_array_equal(g, gd)
    py, pgrads, pwarned = run(pt, how, **kw)
    np.testing.assert_allclose(y, py, rtol=1e-5, atol=1e-6)
    for g, pg in zip(grads, pgrads):
        np.testing.assert_allclose(g, pg, rtol=1e-4, atol=1e-5)
    assert warned == pwarned


def test_reentrant_outputs_need_an_input_that_requires_grad():
    for L in (pt, tl):
        cp = importlib.import_module(f"{L.__name__}.utils.checkpoint")
        m = model(L)
        x = L.tensor(X)
        with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True. Gradients will be None"):
            y = cp.checkpoint(m, x, use_reentrant=True)
        assert not y.requires_grad, L.__name__
        assert cp.checkpoint(m, x, use_reentrant=False).requires_grad, L.__name__


def test_keyword_arguments_only_without_reentrant():
    for L in (pt, tl):
        cp = importlib.import_module(f"{L.__name__}.utils.checkpoint")
        x = L.tensor(X, requires_grad=True)
        with pytest.raises(ValueError, match="Unexpected keyword arguments: scale"):
            cp.checkpoint(lambda a, scale: a * scale, x, scale=2.0, use_reentrant=True)
        out = cp.checkpoint(lambda a, scale: a * scale, x, scale=2.0, use_reentrant=False)
        np.testing.assert_allclose(out.detach().numpy(), X * 2)
        with pytest.raises(ValueError, match="Unexpected keyword arguments: extra"):
            cp.checkpoint_sequential([L.nn.Tanh()], 1, x, use_reentrant=False, extra=1)


def test_dropout_inside_checkpoint_gives_consistent_gradients():
    cp = tl.utils.checkpoint
    tl.manual_seed(3)
    x = tl.ones(64, requires_grad=True)
    y = cp.checkpoint(tl.nn.functional.dropout, x, 0.5, True, use_reentrant=False, preserve_rng_state=True)
    y.sum().backward()
    # the gradient is the mask the forward drew (scaled by 1 / (1 - p))
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
