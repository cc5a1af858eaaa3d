"""torch.autograd.graph.saved_tensors_hooks, save_on_cpu, disable_saved_tensors_hooks and
grad_fn._saved_* / _raw_saved_*, side by side with PyTorch."""

import os
import tempfile
import uuid

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

rng = np.random.default_rng(3)
A = rng.standard_normal((2, 3)).astype(np.float32)
B = rng.standard_normal((3, 4)).astype(np.float32)
W = rng.standard_normal((4, 3)).astype(np.float32)
V = rng.standard_normal(3).astype(np.float32)


def both(fn):
    return fn(tl), fn(pt)


def _trace(lib, f, shapes, requires):
    """The pack / unpack calls of f's recording and backward, naming inputs by position."""
    ins = [lib.tensor(rng_arrays[s]) for s in shapes]
    for t, r in zip(ins, requires):
        t.requires_grad_(r)
    names = {id(t): f"in{i}" for i, t in enumerate(ins)}
    log = []

    def name(t):
        return names.get(id(t), f"other{tuple(t.shape)}")

    def pack(t):
        log.append("pack " + name(t))
        return t

    def unpack(t):
        log.append("unpack " + name(t))
        return t

    with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = f(lib, *ins)
    log.append(type(y.grad_fn).__name__)
    y.sum().backward()
    log.append([None if t.grad is None else np.round(t.grad.numpy(), 4).tolist() for t in ins])
    return log


rng_arrays = {"A": A, "B": B, "W": W, "V": V, "bias": V[:1].repeat(4), "A3": A[:, :3]}

OPS = {
    "mul": (lambda lib, a, b: a * b, ("A", "A"), (True, True)),
    "mul_other_no_grad": (lambda lib, a, b: a * b, ("A", "A"), (True, False)),
    "mul_scalar": (lambda lib, a: a * 2, ("A",), (True,)),
    "div": (lambda lib, a, b: a / (b.abs() + 1), ("A", "A"), (True, True)),
    "pow_scalar": (lambda lib, a: a.pow(2), ("A",), (True,)),
    "exp": (lambda lib, a: a.exp(), ("A",), (True,)),
    "sin": (lambda lib, a: a.sin(), ("A",), (True,)),
    "tanh": (lambda lib, a: a.tanh(), ("A",), (True,)),
    "sigmoid": (lambda lib, a: a.sigmoid(), ("A",), (True,)),
    "relu": (lambda lib, a: a.relu(), ("A",), (True,)),
    "sum": (lambda lib, a: a.sum(), ("A",), (True,)),
    "add": (lambda lib, a, b: a + b, ("A", "A"), (True, True)),
    "matmul": (lambda lib, a, b: a @ b, ("A", "B"), (True, True)),
    "matmul_first_no_grad": (lambda lib, a, b: a @ b, ("A", "B"), (False, True)),
    "dot": (lambda lib, a, b: a @ b, ("V", "V"), (True, True)),
    "mv": (lambda lib, a, b: a @ b, ("A", "V"), (True, True)),
    "linear": (lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), ("A", "W", "bias"), (True, True, True)),
    "linear_input_no_grad": (lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), ("A", "W", "bias"),
                             (False, True, True)),
    "linear_no_bias": (lambda lib, x, w: lib.nn.functional.linear(x, w), ("A", "W"), (True, True)),
    "softmax": (lambda lib, a: a.softmax(-1), ("A",), (True,)),
    "log_softmax": (lambda lib, a: a.log_softmax(-1), ("A",), (True,)),
    "chain": (lambda lib, a, b: ((a * b).sin().exp() * 3).relu(), ("A", "A"), (True, True)),
}


@pytest.mark.parametrize("case", sorted(OPS))
def test_pack_and_unpack_calls_match_pytorch(case):
    f, shapes, requires = OPS[case]
    ours, theirs = both(lambda lib: _trace(lib, f, shapes, requires))
    assert ours[:-1] == theirs[:-1]
    for o, t in zip(ours[-1], theirs[-1]):
        assert (o is None) == (t is None)
        if t is not None:
            np.testing.assert_allclose(np.array(o), np.array(t), atol=2e-4)


def test_tutorial_packing_prints_the_saved_tensors():
    def run(lib):
        log = []
        a = lib.ones(5, requires_grad=True)
        b = lib.ones(5, requires_grad=True) * 2

        def pack_hook(x):
            log.append(f"Packing {x}")
            return x

        def unpack_hook(x):
            log.append(f"Unpacking {x}")
            return x

        with lib.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
            y = a * b
        y.sum().backward()
        log.append(str(a.grad))
        return log

    ours, theirs = both(run)
    assert ours == theirs
    assert len(theirs) == 5


def test_saved_self_is_the_input_and_saved_result_is_not_the_output():
    def run(lib):
        x = lib.tensor(V, requires_grad=True)
        y = x.pow(2)
        e = x.exp()
        m = x * lib.tensor(V)
        return [
            y.grad_fn._saved_self is x, y.grad_fn._saved_exponent, x.equal(y.grad_fn._saved_self),
            e.grad_fn._saved_result is e, e.grad_fn._saved_result.equal(e),
            e.grad_fn._saved_result.grad_fn is e.grad_fn, str(m.grad_fn._saved_other),
            sorted(a for a in dir(y.grad_fn) if a.startswith("_saved_self") or a.startswith("_raw_saved_self")),
            type(y.grad_fn._raw_saved_self).__name__,
        ]

    ours, theirs = both(run)
    assert ours == theirs


def test_unsaved_input_reads_as_none():
    def run(lib):
        a = lib.tensor(V, requires_grad=True)
        y = a * lib.tensor(V)  # self's gradient needs other only: self is not saved
        return [y.grad_fn._saved_self is None, y.grad_fn._saved_other is None]

    ours, theirs = both(run)
    assert ours == theirs == [True, False]


def test_raw_saved_register_hooks_counts_calls():
    def run(lib):
        calls = []
        x = lib.tensor(V, requires_grad=True)
        y = x.pow(2)
        raw = y.grad_fn._raw_saved_self
        raw.register_hooks(lambda t: calls.append("pack") or t * 1, lambda t: calls.append("unpack") or t)
        errors = []
        try:
            raw.register_hooks(lambda t: t, lambda t: t)
        except RuntimeError as e:
            errors.append(str(e))
        same = y.grad_fn._saved_self is x
        y.sum().backward()
        try:
            _ = y.grad_fn._saved_self
        except RuntimeError as e:
            errors.append(str(e))
        try:
            y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)
        except RuntimeError as e:
            errors.append(str(e))
        return calls, same, errors, np.round(x.grad.numpy(), 5).tolist()

    ours, theirs = both(run)
    assert ours == theirs
    assert theirs[0] == ["pack", "unpack", "unpack"]


def test_unpack_hook_must_return_a_tensor():
    def run(lib):
        x = lib.tensor(V, requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 3):
            y = x.sin()
        with pytest.raises(TypeError) as e:
            y.sum().backward()
        return str(e.value)

    ours, theirs = both(run)
    assert ours == theirs


def test_disable_saved_tensors_hooks_raises_the_given_message():
    def run(lib):
        graph = lib.autograd.graph
        out = []
        with graph.disable_saved_tensors_hooks("no saved tensors hooks here"):
            try:
                with graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                    pass
            except RuntimeError as e:
                out.append(str(e))
        with graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            try:
                with graph.disable_saved_tensors_hooks("inside hooks"):
                    pass
            except RuntimeError as e:
                out.append(str(e))
        with graph.saved_tensors_hooks(lambda t: t, lambda t: t):  # enabled again afterwards
            out.append("ok")
        return out

    ours, theirs = both(run)
    assert ours == theirs == ["no saved tensors hooks here", "inside hooks", "ok"]


def test_nested_hooks_use_the_innermost_pair_and_pack_runs_without_grad():
    def run(lib):
        log = []
        x = lib.tensor(V, requires_grad=True)

        def pack(tag):
            return lambda t: log.append((tag, lib.is_grad_enabled())) or t

        with lib.autograd.graph.saved_tensors_hooks(pack("outer"), lambda t: t):
            with lib.autograd.graph.saved_tensors_hooks(pack("inner"), lambda t: t):
                x.sin()
            x.sin()
        with lib.no_grad(), lib.autograd.graph.saved_tensors_hooks(pack("no_grad"), lambda t: t):
            x.sin()
        return log

    ours, theirs = both(run)
    assert ours == theirs == [("inner", False), ("outer", False)]


def test_lossy_pack_changes_the_gradient_as_in_pytorch():
    def run(lib):
        a = lib.tensor(A, requires_grad=True)
        b = lib.tensor(A * 3, requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t.detach().round(), lambda t: t):
            y = a * b
        y.sum().backward()
        return a.grad.numpy(), b.grad.numpy()

    (ga, gb), (ta, tb) = both(run)
    np.testing.assert_allclose(ga, ta)
    np.testing.assert_allclose(gb, tb)


def test_save_on_cpu_and_to_disk_give_pytorch_gradients():
    tmp = tempfile.mkdtemp()

    def run(lib):
        class SelfDeletingTempFile:
            def __init__(self):
                self.name = os.path.join(tmp, str(uuid.uuid4()))

            def __del__(self):
                os.remove(self.name)

        def pack_hook(tensor):
            f = SelfDeletingTempFile()
            lib.save(tensor, f.name)
            return f

        def unpack_hook(f):
            return lib.load(f.name, weights_only=True)

        x = lib.tensor(A, requires_grad=True)
        w = lib.tensor(W, requires_grad=True)
        with lib.autograd.graph.save_on_cpu(pin_memory=False):
            h = lib.nn.functional.linear(x, w).relu()
        with lib.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
            y = (h * h).sin()
        y.sum().backward()
        return x.grad.numpy(), w.grad.numpy()

    (gx, gw), (tx, tw) = both(run)
    np.testing.assert_allclose(gx, tx, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gw, tw, rtol=1e-5, atol=1e-6)
    assert os.listdir(tmp) == []


def test_custom_function_saved_tensors_are_packed_and_unpacked_on_each_access():
    def run(lib):
        log = []
        x = lib.tensor(V, requires_grad=True)
        b = lib.ones(3)

        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, c):
                out = a * c
                ctx.save_for_backward(a, out, c)
                return out

            @staticmethod
            def backward(ctx, g):
                a, out, c = ctx.saved_tensors
                log.append(("backward", out.grad_fn is ctx, a.requires_grad, c.requires_grad))
                return g * c * 2, None

        def pack(t):
            log.append(("pack", t is x, t is b))
            return t

        with lib.autograd.graph.saved_tensors_hooks(pack, lambda t: log.append("unpack") or t):
            o = F.apply(x, b)
        log.append(o.grad_fn.saved_tensors[0] is x)
        o.sum().backward()
        log.append(x.grad.tolist())
        return log

    ours, theirs = both(run)
    assert ours == theirs


def test_create_graph_through_unpacked_tensors():
    def run(lib):
        x = lib.tensor(V, requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            y = (x * x * x).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        g.sum().backward()
        return np.round(g.detach().numpy(), 4).tolist(), np.round(x.grad.numpy(), 4).tolist()

    ours, theirs = both(run)
    assert ours == theirs
