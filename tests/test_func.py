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
