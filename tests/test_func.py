"""JAX interop: functional_call under jax.grad/jit, a plain optax loop, torch.func, DLPack."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import torchlike as tl
from torchlike.func import functional_call


def _model():
    tl.manual_seed(0)
    return tl.nn.Sequential(tl.nn.Linear(5, 8), tl.nn.Linear(8, 2))


def test_functional_call_grad_matches_backward():
    m = _model()
    x = np.random.default_rng(0).standard_normal((6, 5)).astype(np.float32)
    params = {k: v.jax() for k, v in m.named_parameters()}
    g = jax.jit(jax.grad(lambda p, x: (functional_call(m, p, (x,)) ** 2).mean()))(
        params, jnp.asarray(x)
    )
    loss = (m(tl.tensor(x)) ** 2).mean()
    loss.backward()
    for k, p in m.named_parameters():
        np.testing.assert_allclose(np.asarray(g[k]), p.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_plain_jax_optax_loop_matches_torchlike_loop():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((16, 5)).astype(np.float32)
    y = rng.standard_normal((16, 2)).astype(np.float32)
    m = _model()
    params = {k: v.jax() for k, v in m.named_parameters()}
    opt = optax.sgd(0.05)
    state = opt.init(params)

    @jax.jit
    def step(p, s):
        loss, g = jax.value_and_grad(lambda p: ((functional_call(m, p, (x,)) - y) ** 2).mean())(p)
        upd, s = opt.update(g, s, p)
        return optax.apply_updates(p, upd), s, loss

    for _ in range(50):
        params, state, _ = step(params, state)

    sgd = tl.optim.SGD(m.parameters(), lr=0.05)
    xt, yt = tl.tensor(x), tl.tensor(y)
    for _ in range(50):
        sgd.zero_grad()
        ((m(xt) - yt) ** 2).mean().backward()
        sgd.step()
    for k, p in m.named_parameters():
        np.testing.assert_allclose(np.asarray(params[k]), p.detach().numpy(), rtol=1e-4, atol=1e-5)


def test_torch_func_grad_and_vmap():
    g = tl.func.grad(lambda t: (t**3).sum())(tl.tensor([1.0, 2.0]))
    np.testing.assert_allclose(g.numpy(), [3.0, 12.0])
    v = tl.func.vmap(lambda t: t.sum())(tl.ones(3, 4))
    assert v.tolist() == [4.0, 4.0, 4.0]


def test_from_jax_and_jax_round_trip():
    a = jnp.arange(6.0).reshape(2, 3)
    t = tl.from_jax(a)
    assert t.shape == (2, 3) and t.dtype == tl.float32
    assert (t * 2).jax().tolist() == (a * 2).tolist()


@pytest.mark.parametrize("dt", ["float32", "float64", "int64", "int32", "uint8", "bool", "float16"])
def test_dlpack_round_trip_with_pytorch(dt):
    pt = pytest.importorskip("torch")
    src = pt.arange(6).reshape(2, 3).to(getattr(pt, dt))
    t = tl.from_dlpack(src)
    assert str(t.dtype) == str(src.dtype) and t.tolist() == src.tolist()
    back = pt.from_dlpack(t * 1 if dt != "bool" else t)
    assert str(back.dtype) == str(src.dtype) and back.tolist() == src.tolist()


def test_flax_module_inside_a_torchlike_model_trains():
    import flax.linen as fnn

    class Block(fnn.Module):
        @fnn.compact
        def __call__(self, x):
            return fnn.Dense(4)(jnp.tanh(fnn.Dense(8)(x)))

    tl.manual_seed(0)
    block = tl.nn.FlaxModule(Block(), tl.zeros(2, 5))
    model = tl.nn.Sequential(tl.nn.Linear(3, 5), block, tl.nn.Linear(4, 1))
    names = [k for k, _ in model.named_parameters()]
    assert any("Dense_0" in n for n in names) and any("Dense_1" in n for n in names)
    x = tl.randn(16, 3)
    y = x.sum(1, keepdim=True)
    opt = tl.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.2
    # the flax parameters got gradients and moved
    flax_params = dict(model[1].named_parameters())
    assert all(p.grad is not None for p in flax_params.values())


def test_tf32_switches_map_to_jax_matmul_precision():
    from torchlike._context import state

    x = tl.randn(4, 4)
    try:
        tl.backends.cuda.matmul.allow_tf32 = True
        y = x @ x
        node = state.graph.nodes[-1]
        assert dict(node.attrs)["precision"] == jax.lax.Precision.DEFAULT
        tl.set_float32_matmul_precision("highest")
        assert not tl.backends.cuda.matmul.allow_tf32
        z = x @ x
        assert dict(state.graph.nodes[-1].attrs)["precision"] == jax.lax.Precision.HIGHEST
        np.testing.assert_allclose(y.numpy(), z.numpy(), rtol=1e-2, atol=1e-2)
    finally:
        tl.set_float32_matmul_precision("highest")


# -- torch.func transforms against PyTorch ----------------------------------------------------------


def _both(fn):
    """fn(lib) under PyTorch and torchlike; returns both results."""
    pt = pytest.importorskip("torch")
    return fn(pt), fn(tl)


def _close(a, b, rtol=1e-5, atol=1e-6):
    if isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b), (type(a), type(b))
        for x, y in zip(a, b):
            _close(x, y, rtol, atol)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _close(a[k], b[k], rtol, atol)
    else:
        assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=rtol, atol=atol)


_X = np.random.default_rng(3).standard_normal((4, 3)).astype(np.float32)
_W = np.random.default_rng(4).standard_normal((2, 3)).astype(np.float32)


def test_vjp_returns_output_and_pullback_like_pytorch():
    def run(lib):
        x, w = lib.tensor(_X), lib.tensor(_W)
        out, vjp_fn, aux = lib.func.vjp(
            lambda a, b: ((a @ b.T).tanh(), a.sum()), x, w, has_aux=True
        )
        return out, vjp_fn(lib.ones(4, 2)), aux

    _close(*_both(run))


def test_jvp_and_linearize_match_pytorch():
    def run(lib):
        x, w = lib.tensor(_X), lib.tensor(_W)
        f = lambda a, b: ((a @ b.T).sin(), b.exp())
        out, tangent = lib.func.jvp(f, (x, w), (lib.ones(4, 3), lib.full((2, 3), 0.5)))
        lin_out, jvp_fn = lib.func.linearize(lambda a: a.sin() * a, x)
        return out, tangent, lin_out, jvp_fn(lib.ones(4, 3))

    _close(*_both(run))


def test_hessian_and_jacobians_with_argnums_tuples_match_pytorch():
    def run(lib):
        x, w = lib.tensor(_X[0]), lib.tensor(_W)
        f = lambda w, x: (w @ x).tanh().sum() * (x * x).sum()
        h = lib.func.hessian(f, argnums=(0, 1))(w, x)
        jr = lib.func.jacrev(lambda w, x: (w @ x).tanh(), argnums=(0, 1))(w, x)
        jf = lib.func.jacfwd(lambda w, x: ((w @ x).tanh(), x.sum()), argnums=1)(w, x)
        ja, aux = lib.func.jacrev(lambda x: (x.exp(), x.max()), has_aux=True)(x)
        return h, jr, jf, ja, aux

    _close(*_both(run), rtol=1e-4, atol=1e-5)


def test_grad_over_dicts_keeps_their_order_and_grad_and_value_has_aux():
    def run(lib):
        params = {"w": lib.tensor(_W), "b": lib.zeros(2), "a": lib.ones(())}
        loss = lambda p, x: (((x @ p["w"].T + p["b"]) * p["a"]) ** 2).mean()
        g = lib.func.grad(loss)(params, lib.tensor(_X))
        g2, (value, aux) = lib.func.grad_and_value(
            lambda p: (loss(p, lib.tensor(_X)), 3 * p["a"]), has_aux=True
        )(params)
        return g, g2, value, aux

    p, t = _both(run)
    assert list(t[0]) == ["w", "b", "a"] and type(t[0]) is dict
    _close(p, t)


def test_vmap_in_dims_out_dims_and_per_sample_grads_match_pytorch():
    def run(lib):
        x, w = lib.tensor(_X), lib.tensor(_W)
        per_row = lib.func.vmap(lambda r, w: w @ r, in_dims=(0, None), out_dims=1)(x, w)
        per_sample = lib.vmap(lib.func.grad(lambda w, r: (w @ r).sin().sum()), in_dims=(None, 0))(
            w, x
        )
        nested = lib.func.vmap(lib.func.vmap(lambda a, b: a * b), in_dims=(0, None))(x, x[0])
        return per_row, per_sample, nested

    _close(*_both(run))


def test_transforms_are_compiled_like_lazy_ops():
    """A Jacobian from vmap(vjp_fn) equals the autograd loop's bit for bit (the tutorial's
    allclose with default tolerances), as in PyTorch: both run as compiled XLA programs."""
    tl.manual_seed(0)
    w, b, x = tl.randn(16, 16), tl.randn(16), tl.randn(16)
    f = lambda x: tl.nn.functional.linear(x, w, b).tanh()
    xp = x.clone().requires_grad_()
    rows = [tl.autograd.grad(f(xp), xp, v)[0] for v in tl.eye(16)]
    _, vjp_fn = tl.func.vjp(f, x)
    (jac,) = tl.func.vmap(vjp_fn)(tl.eye(16))
    assert tl.equal(jac, tl.stack(rows))
    assert tl.equal(tl.func.jacrev(f)(x), jac)


def test_transformed_call_reuses_its_program_and_rereads_closures():
    from torchlike import _func_bridge

    scale = tl.ones(3)
    g = tl.func.grad(lambda x: (x * scale).sum())
    first = g(tl.ones(3))
    n = len(_func_bridge._PROGRAMS)
    with tl.no_grad():
        scale.mul_(2.0)  # a closure's new value is seen: nothing is baked into the program
    second = g(tl.ones(3))
    assert len(_func_bridge._PROGRAMS) == n
    assert first.tolist() == [1.0, 1.0, 1.0] and second.tolist() == [2.0, 2.0, 2.0]


def test_transform_errors_match_pytorch():
    pt = pytest.importorskip("torch")

    def message(lib, fn):
        with pytest.raises((RuntimeError, ValueError)) as info:
            fn(lib)
        return type(info.value), str(info.value)

    cases = [
        lambda lib: lib.func.grad(lambda a, b: (a * b).sum(), argnums=2)(lib.ones(2), lib.ones(2)),
        lambda lib: lib.func.grad(lambda a: a * 2)(lib.ones(2)),
        lambda lib: lib.func.jvp(lib.sin, lib.ones(2), lib.ones(2)),
        lambda lib: lib.func.jacrev(lambda a: a, argnums=(0, 0))(lib.ones(2)),
        lambda lib: lib.func.vmap(lambda a, b: a + b)(lib.ones(2, 3), lib.ones(3, 3)),
        lambda lib: lib.func.vmap(lambda a: a, in_dims=2)(lib.ones(2, 3)),
        lambda lib: lib.func.vmap(lambda a: a, randomness="x"),
        lambda lib: lib.func.stack_module_state([]),
        lambda lib: lib.func.functional_call(
            lib.nn.Linear(2, 2), ({"weight": lib.ones(2, 2)},) * 2, lib.ones(2)
        ),
        lambda lib: lib.func.functional_call(
            lib.nn.Linear(2, 2),
            {"weight": lib.ones(2, 2), "foo": lib.ones(1)},
            lib.ones(2),
            strict=True,
        ),
    ]
    for fn in cases:
        assert message(tl, fn) == message(pt, fn)


def test_stack_module_state_ensemble_trains_through_vmap():
    """Stacked parameters are new leaves; vmap over functional_call on a 'meta' copy computes each
    model's output, and backward reaches the stacked parameters with each model's gradients."""
    import copy

    tl.manual_seed(0)
    models = [
        tl.nn.Sequential(tl.nn.Linear(3, 4), tl.nn.Tanh(), tl.nn.Linear(4, 2)) for _ in range(3)
    ]
    params, buffers = tl.func.stack_module_state(models)
    assert list(params) == ["0.weight", "0.bias", "2.weight", "2.bias"] and buffers == {}
    assert all(p.is_leaf and p.requires_grad and p.shape[0] == 3 for p in params.values())
    base = copy.deepcopy(models[0]).to("meta")
    x = tl.tensor(_X)
    out = tl.vmap(
        lambda p, b, x: tl.func.functional_call(base, (p, b), (x,)), in_dims=(0, 0, None)
    )(params, buffers, x)
    assert out.shape == (3, 4, 2) and base[0].weight.is_meta
    (out**2).sum().backward()
    for i, m in enumerate(models):
        (m(x) ** 2).sum().backward()
        for k, p in m.named_parameters():
            np.testing.assert_allclose(
                params[k].grad[i].numpy(), p.grad.numpy(), rtol=1e-5, atol=1e-6
            )
            np.testing.assert_allclose(
                out[i].detach().numpy(), m(x).detach().numpy(), rtol=1e-5, atol=1e-6
            )


def test_vmap_over_batch_norm_after_replace_all_batch_norm_modules_():
    def run(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Conv2d(1, 2, 3), lib.nn.BatchNorm2d(2), lib.nn.Flatten())
        lib.func.replace_all_batch_norm_modules_(model)
        bn = model[1]
        state = (bn.running_mean, bn.running_var, bn.num_batches_tracked, bn.track_running_stats)
        params = {k: v.detach() for k, v in model.named_parameters()}
        x = lib.tensor(np.random.default_rng(8).standard_normal((3, 1, 5, 5)).astype(np.float32))
        loss = lambda p, s: lib.func.functional_call(model, p, (s.unsqueeze(0),)).pow(2).sum()
        grads = lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0))(params, x)
        assert lib.func.debug_unwrap(grads["0.bias"]) is grads["0.bias"]
        return state, grads

    (p_state, p_grads), (t_state, t_grads) = _both(run)
    assert t_state == p_state == (None, None, None, False)
    _close(p_grads, t_grads, rtol=1e-4, atol=1e-5)
