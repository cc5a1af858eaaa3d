"""``y.grad_fn.apply(grad)`` of a custom Function (pytorch-book chapter 3) and the names of the
nodes that a create_graph backward makes, compared with PyTorch."""

import pytest

import torchlike as tl

torch = pytest.importorskip("torch")


def _multiply_add(mod):
    class MultiplyAdd(mod.autograd.Function):
        @staticmethod
        def forward(ctx, w, x, b):
            ctx.save_for_backward(w, x)
            return w * x + b

        @staticmethod
        def backward(ctx, grad_output):
            w, x = ctx.saved_tensors
            return grad_output * x, grad_output * w, grad_output * 1

    return MultiplyAdd


@pytest.mark.parametrize("mod", [torch, tl], ids=["torch", "torchlike"])
def test_custom_function_node_apply_returns_the_backward_result(mod):
    fn = _multiply_add(mod)
    x = mod.ones(1)
    w = mod.tensor([0.25], requires_grad=True)
    b = mod.tensor([0.5], requires_grad=True)
    z = fn.apply(w, x, b)
    out = z.grad_fn.apply(mod.ones(1))
    assert type(out) is tuple and len(out) == 3
    assert [tuple(g.shape) for g in out] == [(1,), (1,), (1,)]
    assert [g.tolist() for g in out] == [[1.0], [0.25], [1.0]]
    assert type(z.grad_fn).__name__ == "MultiplyAddBackward"
    z.backward()  # the engine's own call still works afterwards
    assert w.grad.tolist() == [1.0] and b.grad.tolist() == [1.0]


CASES = {
    "pow_scalar": lambda m, x, w: x ** 2,
    "pow_tensor": lambda m, x, w: x ** w,
    "rpow": lambda m, x, w: 2 ** x,
    "exp": lambda m, x, w: x.exp(),
    "sin": lambda m, x, w: x.sin(),
    "mul": lambda m, x, w: x * w,
    "div": lambda m, x, w: x / w,
    "log": lambda m, x, w: x.log(),
    "sqrt": lambda m, x, w: x.sqrt(),
    "square": lambda m, x, w: x.square(),
    "relu": lambda m, x, w: x.relu(),
    "tanh": lambda m, x, w: x.tanh(),
    "mm": lambda m, x, w: x.view(1, 2).mm(w.view(2, 1)),
    "linear": lambda m, x, w: m.nn.functional.linear(x.view(1, 2), w.view(1, 2), w[:1]),
    "log_softmax": lambda m, x, w: x.log_softmax(0),
    "mean_of_pow": lambda m, x, w: (x ** 2).mean(),
}


@pytest.mark.parametrize("case", list(CASES))
def test_create_graph_gradient_names_its_node_as_pytorch(case):
    names = []
    for mod in (torch, tl):
        x = mod.tensor([0.5, 1.5], requires_grad=True)
        w = mod.tensor([2.0, 3.0], requires_grad=True)
        y = CASES[case](mod, x, w)
        (g,) = mod.autograd.grad(y.sum(), x, create_graph=True)
        names.append((type(y.grad_fn).__name__, g.grad_fn.name(), round(g.sum().item(), 5)))
    assert names[1] == names[0]
