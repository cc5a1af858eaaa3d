"""torch.jit: script/trace wrappers, torchlike's jit archives, and the utilities, against real PyTorch."""

from __future__ import annotations

import io
import pickle
import warnings

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _models(lib):
    class MyDecisionGate(lib.nn.Module):
        def forward(self, x):
            if x.sum() > 0:
                return x
            return -x

    class MyCell(lib.nn.Module):
        def __init__(self, dg):
            super().__init__()
            self.dg = dg
            self.linear = lib.nn.Linear(4, 4)

        def forward(self, x, h):
            new_h = lib.tanh(self.dg(self.linear(x)) + h)
            return new_h, new_h

    return MyDecisionGate, MyCell


def _same_weights(src, dst):
    dst.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in src.state_dict().items()})


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def _both(fn):
    """Run ``fn(lib)`` under real PyTorch and torchlike."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(torch), fn(tl)


def test_trace_and_script_repr_and_class_names_match_pytorch():
    def build(lib):
        gate_cls, cell_cls = _models(lib)
        x, h = lib.ones(3, 4), lib.zeros(3, 4)
        traced = lib.jit.trace(cell_cls(gate_cls()), (x, h))
        scripted_gate = lib.jit.script(gate_cls())
        scripted = lib.jit.script(cell_cls(scripted_gate))
        mixed = lib.jit.trace(cell_cls(scripted_gate), (x, h))
        names = [type(m).__name__ for m in (traced, traced.linear, scripted, scripted.linear, mixed.dg)]
        return [repr(traced), repr(scripted), repr(mixed), names, traced.original_name, scripted.dg is scripted_gate]

    expected, got = _both(build)
    assert got == expected


def test_sequential_and_module_list_wrappers_print_and_run_like_pytorch():
    def build(lib):
        class W(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.seq = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU())
                self.ml = lib.nn.ModuleList([lib.nn.Linear(3, 3), lib.nn.Tanh()])

            def forward(self, x):
                x = self.seq(x)
                for layer in self.ml:
                    x = layer(x)
                return x

        w = W()
        return w, lib.jit.script(w), lib.jit.trace(w, lib.ones(1, 2))

    (w_pt, s_pt, t_pt), (w_tl, s_tl, t_tl) = _both(build)
    assert repr(s_tl) == repr(s_pt) and repr(t_tl) == repr(t_pt)
    _same_weights(w_pt, w_tl)
    x = np.random.default_rng(0).standard_normal((5, 2)).astype(np.float32)
    for mod_pt, mod_tl in ((s_pt, s_tl), (t_pt, t_tl)):
        np.testing.assert_allclose(_np(mod_tl(tl.tensor(x))), _np(mod_pt(torch.tensor(x))), rtol=1e-5, atol=1e-6)


def test_traced_module_shares_parameters_but_not_training_flags():
    def build(lib):
        _, cell_cls = _models(lib)
        gate_cls, _ = _models(lib)
        cell = cell_cls(gate_cls())
        traced = lib.jit.trace(cell, (lib.ones(3, 4), lib.ones(3, 4)))
        shared = traced.linear.weight is cell.linear.weight
        traced.eval()
        flags = [traced.training, traced.linear.training, cell.training, cell.linear.training]
        traced.double()
        return [shared, flags, str(cell.linear.weight.dtype), list(traced.state_dict())]

    expected, got = _both(build)
    assert got == expected


def test_traced_outputs_match_pytorch_and_follow_the_original_parameters():
    gate_pt, cell_pt = _models(torch)
    gate_tl, cell_tl = _models(tl)
    m_pt, m_tl = cell_pt(gate_pt()), cell_tl(gate_tl())
    _same_weights(m_pt, m_tl)
    x = np.random.default_rng(1).random((3, 4), dtype=np.float32)
    h = np.random.default_rng(2).random((3, 4), dtype=np.float32)
    t_pt, t_tl = _both(
        lambda lib: lib.jit.trace(m_pt if lib is torch else m_tl, (lib.tensor(x), lib.tensor(h)))
    )
    np.testing.assert_allclose(
        _np(t_tl(tl.tensor(x), tl.tensor(h))[0]), _np(t_pt(torch.tensor(x), torch.tensor(h))[0]), rtol=1e-5
    )
    with tl.no_grad():
        m_tl.linear.bias.fill_(3.0)
    assert np.allclose(_np(t_tl.linear.bias), 3.0)


def test_tracer_warning_at_the_users_line_and_not_inside_scripted_code():
    gate_cls, cell_cls = _models(tl)
    x, h = tl.ones(3, 4), tl.ones(3, 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tl.jit.trace(cell_cls(gate_cls()), (x, h))
    tracer = [w for w in caught if w.category is tl.jit.TracerWarning]
    assert len(tracer) == 2  # the trace and check_trace's re-trace, as PyTorch
    assert str(tracer[0].message).startswith("Converting a tensor to a Python boolean might cause the trace")
    assert tracer[0].filename == __file__
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tl.jit.trace(cell_cls(tl.jit.script(gate_cls())), (x, h))
        tl.jit.trace(cell_cls(gate_cls()), (x, h), check_trace=False)
    assert len([w for w in caught if w.category is tl.jit.TracerWarning]) == 1


def test_tracer_warning_names_the_conversion_like_pytorch():
    def fn(lib):
        def f(x):
            return x * float(x.sum()) + x.sum().item() + int(x.sum()) + len(x.tolist())

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.jit.trace(f, lib.ones(2), check_trace=False)
        return [str(w.message).split(" might")[0] for w in caught if w.category is lib.jit.TracerWarning]

    expected, got = fn(torch), fn(tl)
    assert got == expected


def test_is_tracing_only_while_the_trace_runs():
    seen = []

    class M(tl.nn.Module):
        def forward(self, x):
            seen.append(tl.jit.is_tracing())
            return x + 1

    traced = tl.jit.trace(M(), tl.ones(1))
    traced(tl.ones(1))
    assert seen == [True, True, False, False]
    assert tl.jit.is_scripting() is False


def test_traced_subclass_forward_can_call_super():
    class Scaled(tl.nn.Linear):
        def forward(self, x):
            return super().forward(x) * 2

    m = Scaled(2, 2)
    traced = tl.jit.trace(m, tl.ones(1, 2))
    np.testing.assert_allclose(_np(traced(tl.ones(1, 2))), _np(m(tl.ones(1, 2))))


@pytest.mark.parametrize("target", ["path", "buffer"])
def test_save_load_round_trip(tmp_path, target):
    gate_cls, cell_cls = _models(tl)
    # classes defined inside a test function are not importable: use module-level ones
    model = tl.jit.script(_Net())
    model.eval()
    x = tl.randn(2, 3)
    extra = {"meta.txt": "hello"}
    if target == "path":
        f = tmp_path / "net.pt"
        tl.jit.save(model, f, _extra_files=extra)
        source = str(f)
    else:
        buffer = io.BytesIO()
        model.save(buffer, _extra_files=extra)
        buffer.seek(0)
        source = buffer
    wanted = {"meta.txt": ""}
    loaded = tl.jit.load(source, map_location="cpu", _extra_files=wanted)
    assert wanted == {"meta.txt": b"hello"}
    assert type(loaded).__name__ == "RecursiveScriptModule"
    assert repr(loaded) == repr(model)
    assert loaded.training is False and loaded.fc.training is False
    assert loaded.scale == 0.5 and loaded.act is tl.relu
    assert list(loaded.state_dict()) == list(model.state_dict())
    for a, b in zip(loaded.state_dict().values(), model.state_dict().values()):
        assert tl.equal(a, b)
    assert tl.equal(loaded(x), model(x))
    assert loaded.fc.weight.requires_grad


def test_save_load_keeps_shared_submodules_and_tied_weights():
    m = _Tied()
    buffer = io.BytesIO()
    tl.jit.save(tl.jit.script(m), buffer)
    buffer.seek(0)
    loaded = tl.jit.load(buffer)
    assert loaded.a is loaded.b
    assert loaded.head.weight is loaded.a.weight


def test_torch_load_of_a_jit_archive_dispatches_like_pytorch():
    buffer = io.BytesIO()
    tl.jit.save(tl.jit.script(_Net()), buffer)
    for lib, buf in ((tl, io.BytesIO(buffer.getvalue())), (torch, _torch_archive())):
        with pytest.warns(UserWarning, match="looks like a TorchScript archive"):
            with pytest.raises(RuntimeError, match="Cannot use ``weights_only=True`` with TorchScript"):
                lib.load(buf)
        buf.seek(0)
        with pytest.warns(UserWarning, match="looks like a TorchScript archive"):
            assert type(lib.load(buf, weights_only=False)).__name__ == "RecursiveScriptModule"


def test_real_pytorch_reads_the_weights_of_a_torchlike_archive():
    model = tl.jit.script(_Net())
    buffer = io.BytesIO()
    tl.jit.save(model, buffer)
    buffer.seek(0)
    payload = torch.load(buffer, weights_only=True)
    weight = payload["root"]["modules"]["fc"]["parameters"]["weight"]
    np.testing.assert_array_equal(weight.detach().numpy(), _np(model.fc.weight))


def test_loading_a_pytorch_torchscript_archive_says_it_cannot_run():
    with pytest.raises(RuntimeError, match="TorchScript archive written by PyTorch. torchlike cannot run it"):
        tl.jit.load(_torch_archive())


def test_load_errors_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        tl.jit.load(str(tmp_path / "missing.pt"))
    plain = io.BytesIO()
    tl.save({"a": tl.ones(1)}, plain)
    plain.seek(0)
    with pytest.raises(RuntimeError, match="not an archive written by torch.jit.save"):
        tl.jit.load(plain)


def test_save_refuses_classes_that_cannot_be_found_by_name():
    class Local(tl.nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(RuntimeError, match="not reachable by name"):
        tl.jit.save(tl.jit.script(Local()), io.BytesIO())


def test_load_explains_a_class_that_is_not_defined(monkeypatch):
    buffer = io.BytesIO()
    tl.jit.save(tl.jit.script(_Net()), buffer)
    buffer.seek(0)
    monkeypatch.delattr(__import__(__name__), "_Net")
    with pytest.raises(RuntimeError, match="must be importable, or defined in the running script"):
        tl.jit.load(buffer)


def test_script_function_and_its_save():
    def add(a, b):
        return a + b

    fn_pt, fn_tl = _both(lambda lib: lib.jit.script(add))
    assert (type(fn_tl).__name__, fn_tl.name) == ("ScriptFunction", fn_pt.name)
    assert repr(fn_tl).startswith("<torch.jit.ScriptFunction object at 0x")
    assert tl.equal(fn_tl(tl.ones(2), b=tl.ones(2)), tl.full((2,), 2.0))
    buffer = io.BytesIO(tl.jit.script(_module_level_fn).save_to_buffer())
    loaded = tl.jit.load(buffer)
    assert repr(loaded) == "RecursiveScriptModule(original_name=PlaceholderModule)"
    assert tl.equal(loaded(tl.ones(2)), tl.full((2,), 3.0))


def test_pickling_a_script_module_fails_like_pytorch():
    for lib in (torch, tl):
        with pytest.raises(RuntimeError, match="which does not have a __getstate__ method defined"):
            pickle.dumps(lib.jit.script(lib.nn.Linear(2, 2)))


def test_freeze_and_optimize_for_inference_like_pytorch():
    def build(lib):
        out = []
        scripted = lib.jit.script(lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU()))
        for bad in (scripted, lib.nn.Linear(1, 1).eval()):
            try:
                lib.jit.freeze(bad)
            except RuntimeError as e:
                out.append(str(e))
        frozen = lib.jit.freeze(scripted.eval())
        out += [repr(frozen), list(frozen.state_dict()), len(list(frozen.parameters()))]
        optimized = lib.jit.optimize_for_inference(lib.jit.script(lib.nn.Linear(3, 2)).eval())
        out += [type(optimized).__name__, list(optimized.state_dict())]
        return out

    expected, got = _both(build)
    assert got == expected
    scripted = tl.jit.script(tl.nn.Sequential(tl.nn.Linear(3, 2), tl.nn.ReLU())).eval()
    x = tl.randn(4, 3)
    assert tl.equal(tl.jit.freeze(scripted)(x), scripted(x))


def test_script_module_subclass_with_script_method():
    def build(lib):
        class M(lib.jit.ScriptModule):
            def __init__(self):
                super().__init__()
                self.lin = lib.nn.Linear(2, 2)
                self.k = lib.jit.Attribute(0.5, float)

            @lib.jit.script_method
            def forward(self, x):
                return self.lin(x) * self.k

        m = M()
        return [repr(m), type(m).__name__, type(m.lin).__name__, m.k, m.original_name, tuple(m(lib.ones(1, 2)).shape)]

    expected, got = _both(build)
    assert got == expected


def test_utilities_match_pytorch():
    def build(lib):
        fut = lib.jit.fork(lambda a: a * 2, lib.ones(2))
        out = [lib.jit.wait(fut).tolist(), fut.done(), lib.jit.annotate(int, 3)]
        out.append(lib.jit.set_fusion_strategy([("STATIC", 3)]))
        out.append(lib.jit.set_fusion_strategy([("STATIC", 2), ("DYNAMIC", 10)]))
        try:
            lib.jit.set_fusion_strategy([("FOO", 1)])
        except ValueError as e:
            out.append(str(e))
        lib.jit.enable_onednn_fusion(True)
        out.append(lib.jit.onednn_fusion_enabled())
        lib.jit.enable_onednn_fusion(False)
        out.append(lib.jit.Attribute(1, int))
        out.append(lib.jit.Final)

        def f():
            pass

        out.append([lib.jit.ignore(f) is f, lib.jit.unused(f) is f, lib.jit.export(f) is f, lib.jit.ignore(drop=True)(f) is f])
        out.append([lib.jit.isinstance([1], list[int]), lib.jit.isinstance([1.0], list[int])])
        out.append(lib.jit.trace(lib.jit.script(lib.nn.ReLU()), lib.ones(1)).original_name)
        return out

    expected, got = _both(build)
    assert got == expected


def test_code_and_graph_say_there_is_no_torchscript_ir():
    traced = tl.jit.trace(_Net(), tl.ones(2, 3))
    assert traced.code.startswith("# torchlike has no TorchScript code")
    assert "def forward" in traced.code
    assert "has no TorchScript IR" in str(traced.graph)
    with pytest.raises(NotImplementedError, match="no TorchScript IR"):
        traced.inlined_graph.nodes()


def test_jit_is_a_submodule_under_the_import_hook():
    import importlib

    assert importlib.import_module("torchlike.jit") is tl.jit
    assert tl.jit.ScriptModule.__name__ == "ScriptModule"


# -- module-level definitions (archives store classes by module and name) ----------------------------


class _Net(tl.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = tl.nn.Linear(3, 2)
        self.bn = tl.nn.BatchNorm1d(2)
        self.scale = 0.5
        self.act = tl.relu
        self.sizes = {"in": (3,), "dtype": tl.float32}

    def forward(self, x):
        return self.act(self.bn(self.fc(x))) * self.scale


class _Tied(tl.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = tl.nn.Linear(2, 2)
        self.b = self.a
        self.head = tl.nn.Linear(2, 2)
        self.head.weight = self.a.weight

    def forward(self, x):
        return self.head(self.b(self.a(x)))


def _module_level_fn(x):
    return x + 2


def _torch_archive() -> io.BytesIO:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), buffer)
    buffer.seek(0)
    return buffer
