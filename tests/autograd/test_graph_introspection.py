"""grad_fn introspection and autograd hooks, side by side with PyTorch."""

import warnings

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

rng = np.random.default_rng(5)
X = rng.standard_normal((2, 3)).astype(np.float32)
W = rng.standard_normal((4, 3)).astype(np.float32)
Bias = rng.standard_normal(4).astype(np.float32)


def both(fn):
    return fn(tl), fn(pt)


def _walk(fn, depth=0, out=None, index=0):
    """The graph below fn as (depth, node type name, name()) lines, AccumulateGrad naming its leaf."""
    out = [] if out is None else out
    if fn is None:
        out.append((depth, None, index))
        return out
    extra = tuple(fn.variable.shape) if type(fn).__name__ == "AccumulateGrad" else None
    out.append((depth, type(fn).__name__, fn.name(), extra, index))
    for nxt, idx in fn.next_functions:
        _walk(nxt, depth + 1, out, idx)
    return out


GRAPHS = {
    "linear_relu_sum": lambda lib, x, w, b: lib.nn.functional.linear(x, w, b).relu().sum(),
    "linear_no_bias": lambda lib, x, w, b: lib.nn.functional.linear(x, w).mean(),
    "mul_scalar": lambda lib, x, w, b: (x * 2).sum(),
    "pow_exp": lambda lib, x, w, b: x.pow(2).exp().sum(),
    "add_tensor_without_grad": lambda lib, x, w, b: (x + lib.ones(2, 3)).sin(),
    "matmul_t": lambda lib, x, w, b: (x @ w.t()).sigmoid(),
    "view_tanh": lambda lib, x, w, b: x.view(6).tanh(),
}


@pytest.mark.parametrize("case", sorted(GRAPHS))
def test_next_functions_walk_matches_pytorch(case):
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        w = lib.tensor(W, requires_grad=True)
        b = lib.tensor(Bias, requires_grad=True)
        return _walk(GRAPHS[case](lib, x, w, b).grad_fn)

    ours, theirs = both(run)
    assert ours == theirs


def test_accumulate_grad_variable_node_isinstance_and_metadata():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        y = x * 3
        acc = y.grad_fn.next_functions[0][0]
        Node = lib.autograd.graph.Node
        y.grad_fn.metadata["tag"] = 1
        return [
            acc.variable is x, acc.name(), isinstance(y.grad_fn, Node), isinstance(acc, Node),
            y.grad_fn.metadata, y.grad_fn.metadata is y.grad_fn.metadata, y.grad_fn.next_functions[1],
            x.grad_fn is None, y.is_leaf, x.is_leaf,
        ]

    ours, theirs = both(run)
    assert ours == theirs


def test_hook_order_and_values():
    def run(lib):
        log = []
        x = lib.tensor(X, requires_grad=True)
        q = x * 3
        q.retain_grad()
        q.register_hook(lambda g: log.append(("tensor", g.sum().item())) or g * 2)
        q.grad_fn.register_prehook(lambda go: log.append(("pre", len(go))))
        h = q.grad_fn.register_hook(lambda gi, go: log.append(("post", len(gi), len(go))))
        x.register_hook(lambda g: log.append(("leaf", round(g.sum().item(), 4))))
        x.register_post_accumulate_grad_hook(lambda p: log.append(("acc", round(p.grad.sum().item(), 4))))
        q.sum().backward(retain_graph=True)
        h.remove()
        q.sum().backward()
        log.append((round(x.grad.sum().item(), 4), q.grad.sum().item(), q.retains_grad))
        return log

    ours, theirs = both(run)
    assert ours == theirs


def test_node_hook_replaces_grad_inputs():
    def run(lib):
        a = lib.tensor([0.0, 0.0, 0.0], requires_grad=True)
        b = a.clone()
        handle = b.grad_fn.register_hook(lambda gI, gO: (gO[0] * 2,))
        b.sum().backward(retain_graph=True)
        first = a.grad.tolist()
        handle.remove()
        a.grad = None
        b.sum().backward()
        return first, a.grad.tolist()

    ours, theirs = both(run)
    assert ours == theirs


def test_register_multi_grad_hook_all_and_any():
    def run(lib):
        log = []
        a = lib.tensor(X, requires_grad=True)
        b = lib.tensor(X * 2, requires_grad=True)
        c = lib.tensor(X * 3, requires_grad=True)
        lib.autograd.graph.register_multi_grad_hook(
            (a, b, c), lambda grads: log.append(["all"] + [None if g is None else round(g.sum().item(), 4) for g in grads])
        )
        h = lib.autograd.graph.register_multi_grad_hook((a, b), lambda g: log.append("any"), mode="any")
        (a * b).sum().backward()
        (a * c).sum().backward()
        h.remove()
        (b * c).sum().backward()
        try:
            lib.autograd.graph.register_multi_grad_hook((a,), print, mode="some")
        except ValueError as e:
            log.append(str(e))
        return log

    ours, theirs = both(run)
    assert ours == theirs


def test_increment_version_bumps_version():
    def run(lib):
        x = lib.zeros(3)
        y = lib.zeros(3)
        v0 = x._version
        lib.autograd.graph.increment_version(x)
        lib.autograd.graph.increment_version([x, y])
        return v0, x._version, y._version

    ours, theirs = both(run)
    assert ours == theirs


def test_post_accumulate_grad_hook_errors():
    def run(lib):
        out = []
        for t in (lib.tensor(X, requires_grad=True) * 2, lib.tensor(X)):
            try:
                t.register_post_accumulate_grad_hook(print)
            except RuntimeError as e:
                out.append(str(e))
        return out

    ours, theirs = both(run)
    assert ours == theirs


def test_grad_allow_unused_and_materialize_grads():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        u = lib.tensor([1.0, 2.0], requires_grad=True)
        out = [lib.autograd.grad((x * 2).sum(), [x, u], allow_unused=True)[1]]
        out.append(lib.autograd.grad((x * 2).sum(), [x, u], materialize_grads=True)[1].tolist())
        try:
            lib.autograd.grad((x * 2).sum(), [x, u])
        except RuntimeError as e:
            out.append(str(e))
        return out

    ours, theirs = both(run)
    assert ours == theirs


def test_double_backward_values():
    def run(lib):
        s = lib.tensor(3.0, requires_grad=True)
        (g,) = lib.autograd.grad(s**3, s, create_graph=True)
        (g2,) = lib.autograd.grad(g, s)
        return g.item(), g.requires_grad, g2.item()

    ours, theirs = both(run)
    assert ours == theirs


def test_errors_backward_twice_no_grad_fn_and_non_leaf_grad_warning():
    def run(lib):
        out = []
        x = lib.tensor(X, requires_grad=True)
        loss = x.exp().sum()
        loss.backward()
        for f in (loss.backward, lib.zeros(2).sum().backward):
            try:
                f()
            except RuntimeError as e:
                out.append(str(e))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            _ = (x * 2).grad
        # (PyTorch's message ends with where in its C++ sources it was triggered)
        out.append([str(m.message).split(" (Triggered internally")[0] for m in w])
        return out

    ours, theirs = both(run)
    assert ours == theirs


def test_custom_function_ctx_features():
    def run(lib):
        out = []

        class Double(lib.autograd.Function):
            @staticmethod
            def forward(x):
                return x * 2, (x > 0).float()

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.mark_non_differentiable(output[1])
                ctx.set_materialize_grads(False)

            @staticmethod
            def backward(ctx, g, g_mask):
                out.append(("mask grad", g_mask))
                return g * 2

        class AddOneInPlace(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.mark_dirty(x)
                return x.add_(1)

            @staticmethod
            @lib.autograd.function.once_differentiable
            def backward(ctx, g):
                return g

        x = lib.tensor(X, requires_grad=True)
        y, mask = Double.apply(x)
        out.append((type(y.grad_fn).__name__, mask.requires_grad))
        y.sum().backward()
        out.append(x.grad.sum().item())
        z = x.clone()
        r = AddOneInPlace.apply(z)
        out.append((r is z, z._version, type(z.grad_fn).__name__))
        return out

    ours, theirs = both(run)
    assert ours == theirs


def test_next_functions_after_backward_hide_python_numbers():
    """x**2 + y**3 has two edges in PyTorch (the exponents and add's alpha are not edges) also
    when next_functions is first read after backward has freed the saved inputs."""

    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        y = lib.tensor(X * 2, requires_grad=True)
        z = x**2 + y**3
        z.backward(lib.ones_like(x))
        add = z.grad_fn
        pows = [fn for fn, _ in add.next_functions]
        return (
            [(type(fn).__name__, i) for fn, i in add.next_functions],
            [[(type(f).__name__, i) for f, i in p.next_functions] for p in pows],
            [(type(fn).__name__, i) for fn, i in (x + 2).grad_fn.next_functions],
        )

    ours, theirs = both(run)
    assert ours == theirs


INDEXED = {
    "gather": lambda lib, x, t: lib.gather(x, 1, t[:, None]),
    "embedding": lambda lib, x, t: lib.nn.functional.embedding(t, x),
    "where": lambda lib, x, t: lib.where(x > 0, x, x * 2),
    "masked_fill": lambda lib, x, t: x.masked_fill(x > 0, 0.0),
    "index_select": lambda lib, x, t: x.index_select(0, t),
    "take": lambda lib, x, t: x.take(t),
    "nll_loss": lambda lib, x, t: lib.nn.functional.nll_loss(x.log_softmax(1), t),
    "nll_loss-weight": lambda lib, x, t: lib.nn.functional.nll_loss(x.log_softmax(1), t, weight=lib.ones(4)),
    "add-int": lambda lib, x, t: x[:, :3] + t,
}


@pytest.mark.parametrize("name", list(INDEXED))
def test_index_mask_and_target_inputs_have_no_edge(name):
    """PyTorch's derivative formulas give indices, masks, conditions and class targets no edge;
    an integer operand of add keeps its (None, 0)."""

    def run(lib):
        x = lib.tensor(np.arange(12, dtype=np.float32).reshape(3, 4) - 5, requires_grad=True)
        t = lib.tensor([0, 2, 1])
        return [(type(fn).__name__, i) for fn, i in INDEXED[name](lib, x, t).grad_fn.next_functions]

    ours, theirs = both(run)
    assert ours == theirs


def test_grad_fn_dir_shows_pytorch_api_and_accumulate_grad_is_a_builtins_class():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        z = (x**2).sum()
        acc = z.grad_fn.next_functions[0][0].next_functions[0][0]
        public = [n for n in dir(z.grad_fn) if not n.startswith("_")]
        return (
            public,
            [n for n in dir(acc) if not n.startswith("_")],
            z.grad_fn.requires_grad,
            repr(type(acc)),
            type(acc).__module__,
        )

    ours, theirs = both(run)
    assert ours == theirs


@pytest.mark.parametrize("bias", ["none", "frozen", "trained"])
def test_linear_next_functions_after_backward(bias):
    """MmBackward0 of a bias-free linear lists (input, TBackward0) also after backward; a bias
    that needs no gradient is a (None, 0) edge of AddmmBackward0."""

    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        m = lib.nn.Linear(3, 4, bias=bias != "none")
        if bias == "frozen":
            m.bias.requires_grad_(False)
        y = m(x).sum()
        fn = y.grad_fn.next_functions[0][0]
        before = [(type(f).__name__, i) for f, i in fn.next_functions]
        y.backward()
        after = [(type(f).__name__, i) for f, i in fn.next_functions]
        return type(fn).__name__, before, after

    ours, theirs = both(run)
    assert ours == theirs
