"""Full backward hooks (register_full_backward_hook / register_full_backward_pre_hook) against PyTorch:
what the hooks receive, replacing grad_input/grad_output, None positions, firing order, removal."""

import warnings

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _show(grads):
    return [
        None if g is None else np.round(np.asarray(g.detach().numpy(), np.float64), 5).tolist()
        for g in grads
    ]


def _linear(lib, seed=0):
    m = lib.nn.Linear(3, 2)
    rng = np.random.default_rng(seed)
    m.load_state_dict(
        {
            "weight": lib.tensor(rng.standard_normal((2, 3)).astype(np.float32)),
            "bias": lib.tensor(rng.standard_normal(2).astype(np.float32)),
        }
    )
    return m


X = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]], np.float32)
UP = np.array([[1.0, -1.0], [2.0, 0.5]], np.float32)


def _both(scenario):
    a, b = scenario(tl), scenario(pt)
    assert a == b
    return a


def test_hook_sees_grad_input_and_grad_output():
    def scenario(lib):
        m, seen = _linear(lib), []
        m.register_full_backward_hook(
            lambda mod, gi, go: seen.append((mod is m, _show(gi), _show(go)))
        )
        x = lib.tensor(X, requires_grad=True)
        (m(x) * lib.tensor(UP)).sum().backward()
        return seen, _show([x.grad, m.weight.grad])

    seen, _ = _both(scenario)
    assert len(seen) == 1 and seen[0][0]


def test_hooks_replace_gradients():
    def scenario(lib):
        m, seen = _linear(lib), []

        def pre(mod, grad_output):
            seen.append(("pre", _show(grad_output)))
            return (grad_output[0] * 2,)

        def hook(mod, grad_input, grad_output):
            seen.append(("hook", _show(grad_input), _show(grad_output)))
            return (grad_input[0] + 1,)

        m.register_full_backward_pre_hook(pre)
        m.register_full_backward_hook(hook)
        x = lib.tensor(X, requires_grad=True)
        (m(x) * lib.tensor(UP)).sum().backward()
        # the pre-hook's doubled grad_output reaches the parameters; the hook's grad_input reaches x
        return seen, _show([x.grad, m.weight.grad, m.bias.grad])

    _both(scenario)


class TwoInTwoOut:
    """(tensor, flag, tensor) -> (a, b): exercises non-tensor and no-grad positions."""

    @staticmethod
    def make(lib):
        class M(lib.nn.Module):
            def forward(self, x, flag, y):
                return x * y if flag else x, (x + y).sum(1)

        return M()


def test_non_tensor_inputs_read_none_and_inputs_without_grad_read_zeros():
    def scenario(lib):
        m, seen = TwoInTwoOut.make(lib), []
        m.register_full_backward_hook(
            lambda mod, gi, go: seen.append((_show(gi[::2]), gi[1], _show(go)))
        )
        x = lib.tensor(X, requires_grad=True)
        y = lib.tensor(X + 1)  # needs no gradient
        a, b = m(x, True, y)
        (a.sum() + 3 * b.sum()).backward()
        return seen, _show([x.grad])

    seen, _ = _both(scenario)
    assert seen[0][1] is None  # the non-tensor argument
    assert (
        seen[0][0][1] == np.zeros_like(X).tolist()
    )  # an input without grad: zeros, as torch's identity node gives


def test_unused_output_reads_none():
    def scenario(lib):
        m, seen = TwoInTwoOut.make(lib), []
        m.register_full_backward_hook(lambda mod, gi, go: seen.append(_show(go)))
        x = lib.tensor(X, requires_grad=True)
        a, _ = m(x, False, lib.tensor(X))
        a.sum().backward()
        return seen

    _both(scenario)


def test_no_input_requires_grad_fires_with_none_and_warns():
    def scenario(lib):
        m, seen = _linear(lib), []
        m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, _show(go))))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m(lib.tensor(X)).sum().backward()
        assert any("Full backward hook is firing" in str(x.message) for x in w)
        return seen, _show([m.bias.grad])

    _both(scenario)


def test_firing_order_across_a_sequential_and_removal():
    def scenario(lib):
        lib.manual_seed(0)
        net = lib.nn.Sequential(_linear(lib), lib.nn.Tanh(), lib.nn.Linear(2, 2))
        order = []
        handles = [
            mod.register_full_backward_hook(lambda mod, gi, go, i=i: order.append(i))
            for i, mod in enumerate(net)
        ]
        handles.append(net.register_full_backward_pre_hook(lambda mod, go: order.append("pre")))
        net(lib.tensor(X, requires_grad=True)).sum().backward()
        handles[1].remove()
        net(lib.tensor(X, requires_grad=True)).sum().backward()
        return order

    assert _both(scenario) == ["pre", 2, 1, 0, "pre", 2, 0]


def test_prepend_puts_a_hook_first():
    def scenario(lib):
        m, order = _linear(lib), []
        m.register_full_backward_hook(lambda mod, gi, go: order.append("a"))
        m.register_full_backward_hook(lambda mod, gi, go: order.append("b"), prepend=True)
        m.register_full_backward_pre_hook(lambda mod, go: order.append("pre-a"))
        m.register_full_backward_pre_hook(lambda mod, go: order.append("pre-b"), prepend=True)
        m(lib.tensor(X, requires_grad=True)).sum().backward()
        return order

    assert _both(scenario) == ["pre-b", "pre-a", "b", "a"]


def test_wrong_number_of_gradients_raises():
    m = _linear(tl)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(
        RuntimeError,
        match="Backward hook returned an invalid number of grad_input, got 2, but expected 1",
    ):
        m(tl.tensor(X, requires_grad=True)).sum().backward()
    m = _linear(tl)
    m.register_full_backward_pre_hook(lambda mod, go: ())
    with pytest.raises(
        RuntimeError, match="Backward pre hook returned an invalid number of grad_output"
    ):
        m(tl.tensor(X, requires_grad=True)).sum().backward()


def test_hooks_in_a_training_loop_do_not_recompile():
    tl.manual_seed(0)
    net = tl.nn.Sequential(tl.nn.Linear(3, 4), tl.nn.ReLU(), tl.nn.Linear(4, 1))
    net[0].register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0.5,))
    net[2].register_full_backward_pre_hook(lambda mod, go: (go[0].clamp(-1, 1),))
    opt = tl.optim.SGD(net.parameters(), lr=0.01)
    x = tl.tensor(
        np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32), requires_grad=True
    )
    for step in range(10):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
        x.grad = None
        if step == 2:
            compiles = tl.metrics.counters()["compiles"]
    assert tl.metrics.counters()["compiles"] == compiles


def test_module_hook_handles_are_torch_utils_hooks_removable_handles():
    """The fine-tuning tutorials display ``register_forward_hook``'s result: it is a
    torch.utils.hooks.RemovableHandle in PyTorch (the class itself, not a subclass)."""

    def kinds(lib):
        m = lib.nn.Linear(2, 2)
        handles = [
            m.register_forward_hook(lambda *a: None),
            m.register_forward_pre_hook(lambda *a: None),
            m.register_full_backward_hook(lambda *a: None),
            m.register_forward_hook(lambda *a, **k: None, with_kwargs=True),
        ]
        # (torchlike's classes live in torchlike.*, which the import hook shows as torch.*)
        out = [(type(h).__module__.split(".", 1)[1], type(h).__qualname__) for h in handles]
        for h in handles:
            h.remove()
        return out, len(m._forward_hooks), len(m._forward_pre_hooks)

    ours, theirs = kinds(tl), kinds(pt)
    assert ours[0][0] == ("utils.hooks", "RemovableHandle")
    assert ours == theirs
