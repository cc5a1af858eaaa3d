"""Autograd semantics against PyTorch."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

rng = np.random.default_rng(0)
A = rng.standard_normal((3, 4)).astype(np.float32)
B = rng.standard_normal((4, 2)).astype(np.float32)


def both(fn):
    """Run fn(module, leaf_a, leaf_b) on both libraries; return (tl grads, pt grads) of the leaves."""
    out = []
    for lib in (tl, pt):
        a = lib.tensor(A, requires_grad=True)
        b = lib.tensor(B, requires_grad=True)
        fn(lib, a, b)
        out.append([None if g is None else g.detach().numpy() for g in (a.grad, b.grad)])
    return out


def test_backward_accumulates_until_zeroed():
    def fn(lib, a, b):
        for _ in range(3):
            (a @ b).tanh().sum().backward()

    ours, theirs = both(fn)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-5, atol=1e-6)


def test_backward_with_gradient_argument_for_non_scalar():
    g = rng.standard_normal((3, 2)).astype(np.float32)

    def fn(lib, a, b):
        (a @ b).sigmoid().backward(lib.tensor(g))

    ours, theirs = both(fn)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, atol=1e-6)


def test_non_scalar_backward_without_gradient_raises():
    a = tl.tensor(A, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (a * 2).backward()


def test_backward_twice_without_retain_graph_raises():
    a = tl.tensor(A, requires_grad=True)
    y = (a.exp() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_second_backward():
    a = tl.tensor(A, requires_grad=True)
    y = (a.exp() * 2).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(a.grad.numpy(), 4 * np.exp(A), rtol=1e-5)


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        tl.ones(2).sum().backward()


def test_autograd_grad_and_higher_order():
    for lib in (tl, pt):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = (x**3).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        if lib is tl:
            ours = (g.detach().numpy(), h.numpy())
        else:
            theirs = (g.detach().numpy(), h.numpy())
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)


def test_backward_create_graph_gives_differentiable_grad():
    x = tl.tensor([1.0, 2.0], requires_grad=True)
    (x**2).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    (gg,) = tl.autograd.grad(x.grad.sum(), x)
    np.testing.assert_allclose(gg.numpy(), [2.0, 2.0])


def test_autograd_grad_unused_input():
    x = tl.tensor([1.0], requires_grad=True)
    z = tl.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        tl.autograd.grad((x * 2).sum(), [x, z])
    gx, gz = tl.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
    assert gz is None and gx.item() == 2.0


def test_retain_grad_and_hooks():
    for lib in (tl, pt):
        x = lib.tensor(A, requires_grad=True)
        h = x * 3
        h.retain_grad()
        seen = []
        h.register_hook(lambda g, seen=seen: seen.append(g.sum().item()))
        x.register_hook(lambda g: g * 2)
        (h**2).sum().backward()
        if lib is tl:
            ours = (h.grad.numpy(), x.grad.numpy(), seen)
        else:
            theirs = (h.grad.numpy(), x.grad.numpy(), seen)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)


def test_set_grad_enabled_repr_is_pytorchs():
    pt = pytest.importorskip("torch")
    previous = tl.set_grad_enabled(False)
    tl.set_grad_enabled(True)
    assert repr(previous) == repr(pt.set_grad_enabled(False))
    pt.set_grad_enabled(True)
    assert str(tl.set_grad_enabled(True)) == str(pt.set_grad_enabled(True))


def test_grad_modes():
    x = tl.ones(2, requires_grad=True)
    with tl.no_grad():
        assert not (x * 2).requires_grad
        with tl.enable_grad():
            assert (x * 2).requires_grad
    with tl.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert tl.is_grad_enabled()
    with tl.inference_mode():
        assert not (x * 2).requires_grad

    @tl.no_grad()
    def f():
        return x * 2

    assert not f().requires_grad
    assert (x * 2).requires_grad


def test_detach_shares_data_and_stops_grad():
    x = tl.ones(3, requires_grad=True)
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None
    d.zero_()
    assert y.tolist() == [0.0, 0.0, 0.0]  # detach aliases, as in PyTorch


def test_grad_fn_names_match_pytorch():
    for name, fn in [
        ("add", lambda lib, a: a + 1),
        ("mul", lambda lib, a: a * a),
        ("sum", lambda lib, a: a.sum()),
        ("mean", lambda lib, a: a.mean()),
        ("view", lambda lib, a: a.view(-1)),
        ("t", lambda lib, a: a.t()),
        ("mm", lambda lib, a: a.mm(a.t())),
        ("relu", lambda lib, a: lib.relu(a)),
    ]:
        t_out = fn(tl, tl.tensor(A, requires_grad=True))
        p_out = fn(pt, pt.tensor(A, requires_grad=True))
        assert t_out.grad_fn.name() == p_out.grad_fn.name(), name
        assert f"grad_fn=<{p_out.grad_fn.name()}>" in repr(t_out)


def test_requires_grad_flags():
    x = tl.ones(2)
    assert x.is_leaf and not x.requires_grad
    x.requires_grad_()
    y = x * 2
    assert not y.is_leaf and y.requires_grad
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="floating point"):
        tl.ones(2, dtype=tl.int64).requires_grad_()


class _Exp(tl.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        y = x.exp() * scale
        ctx.save_for_backward(y)
        ctx.scale = scale
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        assert ctx.needs_input_grad == (True, False)
        return grad * y, None


def test_custom_function():
    x = tl.tensor([0.0, 1.0], requires_grad=True)
    y = _Exp.apply(x, 2.0)
    assert y.grad_fn is not None and "Backward" in type(y.grad_fn).__name__
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([0.0, 1.0]), rtol=1e-6)


def test_inplace_on_non_leaf_keeps_autograd_correct():
    for lib in (tl, pt):
        x = lib.tensor(A, requires_grad=True)
        y = x * 2
        y.add_(1).mul_(3)
        z = y * 2 + 1
        y[0] = 0.0
        (y.sum() + z.sum()).backward()
        if lib is tl:
            ours = x.grad.numpy()
        else:
            theirs = x.grad.numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def test_training_step_is_one_program_with_item_after_step():
    w = tl.randn(5, 1, requires_grad=True)
    x = tl.randn(16, 5)
    opt = tl.optim.SGD([w], lr=0.1)
    for i in range(4):
        if i == 2:
            tl.metrics.reset()
        opt.zero_grad()
        loss = (x @ w).pow(2).mean()
        loss.backward()
        opt.step()
        loss.item()
    assert tl.metrics.counters()["executions"] == 2


def test_detect_anomaly_names_the_backward_that_made_nan():
    for lib in (tl, pt):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        with lib.autograd.detect_anomaly():
            y = (x.sqrt() * 0).sum()  # d sqrt at 0 is inf, times 0 -> nan in SqrtBackward0's output
            with pytest.raises(RuntimeError) as err:
                y.backward()
        if lib is tl:
            ours = str(err.value)
        else:
            theirs = str(err.value)
    assert ours == theirs


def test_grad_modes_as_bare_decorators():
    x = tl.ones(2, requires_grad=True)

    @tl.no_grad
    def f(t):
        return t * 2

    @tl.inference_mode
    def g(t):
        return t * 2

    @tl.enable_grad
    def h(t):
        return t * 2

    assert not f(x).requires_grad and f.__name__ == "f"
    assert not g(x).requires_grad
    with tl.no_grad():
        assert h(x).requires_grad


def test_grad_fn_names_follow_torchs_overloads():
    """sum/mean over dims, squeeze(dim), clamp with numbers and linear without bias or on other
    ranks end in the nodes PyTorch names (printed in every tutorial's tensor reprs)."""
    import torch as pt

    def names(lib):
        F = lib.nn.functional
        x = lib.ones(1, 3, 1, requires_grad=True)
        w = lib.ones(2, 4, requires_grad=True)
        b = lib.ones(2, requires_grad=True)
        m = lib.ones(3, 4, requires_grad=True)
        ts = [x.sum(), x.sum(0), x.sum((0, 1)), x.mean(), x.mean(1, keepdim=True), x.squeeze(),
              x.squeeze(0), x.squeeze((0, 2)), x.clamp(0, 1), x.clamp(max=lib.ones(1)),
              F.linear(m, w), F.linear(m, w, b), F.linear(m[None], w), F.linear(m[None], w, b),
              F.linear(m[0], w), F.linear(m[0], w, b)]
        return [type(t.grad_fn).__name__ for t in ts]

    assert names(tl) == names(pt)


class _WrongGrad(tl.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return t * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


def test_gradcheck_is_a_function_and_a_module_as_in_torch():
    import importlib

    mod = importlib.import_module("torchlike.autograd.gradcheck")
    assert mod.gradcheck is tl.autograd.gradcheck  # the attribute stays the function
    assert issubclass(mod.GradcheckError, RuntimeError)
    x = tl.randn(3, dtype=tl.double, requires_grad=True)
    assert mod.gradcheck(tl.sin, (x,)) and tl.autograd.gradgradcheck(tl.sin, (x,))
    with pytest.raises(mod.GradcheckError):
        mod.gradcheck(_WrongGrad.apply, (x,))
