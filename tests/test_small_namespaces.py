"""torch.signal.windows, torch.mps, torch.xpu, torch.backends.mps, torch.futures, torch.utils.hooks."""

import pickle
import threading
from collections import OrderedDict

import numpy as np
import pytest

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402

_WINDOWS = ["hann", "hamming", "gaussian", "cosine", "exponential", "bartlett", "blackman", "kaiser",
            "general_hamming", "nuttall"]


@pytest.mark.parametrize("name", _WINDOWS)
@pytest.mark.parametrize("sym", [True, False], ids=["sym", "periodic"])
def test_windows_match_pytorch(name, sym):
    for M in (0, 1, 2, 5, 16):
        for dtype in (None, "float64"):
            ours = getattr(tl.signal.windows, name)(M, sym=sym, dtype=getattr(tl, dtype) if dtype else None)
            theirs = getattr(pt.signal.windows, name)(M, sym=sym, dtype=getattr(pt, dtype) if dtype else None)
            assert str(ours.dtype) == str(theirs.dtype)
            assert tuple(ours.shape) == tuple(theirs.shape)
            tol = 1e-12 if dtype else 2e-6
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=tol, atol=tol)


def test_window_parameters_match_pytorch():
    cases = [("gaussian", dict(std=2.5)), ("exponential", dict(tau=3.0)),
             ("exponential", dict(center=2.0, tau=0.5, sym=False)), ("kaiser", dict(beta=5.0)),
             ("general_hamming", dict(alpha=0.6)), ("general_cosine", dict(a=[0.46, 0.23, 0.31]))]
    for name, kw in cases:
        ours = getattr(tl.signal.windows, name)(9, **kw)
        theirs = getattr(pt.signal.windows, name)(9, **kw)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-6, atol=2e-6, err_msg=name)


def test_window_errors_match_pytorch():
    bad = [("hann", (-1,), {}), ("hann", (4,), {"dtype": "int64"}), ("gaussian", (4,), {"std": 0}),
           ("exponential", (4,), {"center": 1.0}), ("kaiser", (4,), {"beta": -1.0}),
           ("general_cosine", (4,), {"a": []})]
    for name, args, kw in bad:
        messages = []
        for torch in (pt, tl):
            kw2 = {k: getattr(torch, v) if k == "dtype" else v for k, v in kw.items()}
            with pytest.raises(ValueError) as info:
                getattr(torch.signal.windows, name)(*args, **kw2)
            messages.append(str(info.value))
        assert messages[0] == messages[1]


def test_window_functions_exist_top_level():
    for name in ("hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"):
        np.testing.assert_allclose(getattr(tl, name)(10).numpy(), getattr(pt, name)(10).numpy(), atol=1e-6)


def test_mps_and_xpu_report_what_pytorch_reports_here():
    assert tl.mps.is_available() == pt.mps.is_available()
    assert tl.mps.device_count() == pt.mps.device_count()
    assert tl.backends.mps.is_available() == pt.backends.mps.is_available()
    assert tl.backends.mps.is_built() == pt.backends.mps.is_built()
    assert tl.xpu.is_available() == pt.xpu.is_available()
    assert tl.xpu.device_count() == pt.xpu.device_count()
    assert tl.xpu.is_initialized() == pt.xpu.is_initialized()
    assert tl.xpu.memory_allocated() == pt.xpu.memory_allocated()


def test_mps_and_xpu_calls_fail_as_in_pytorch():
    if pt.mps.is_available() or pt.xpu.is_available():
        pytest.skip("an MPS/XPU host")
    for call, exc in [(lambda t: t.mps.synchronize(), RuntimeError), (lambda t: t.mps.empty_cache(), RuntimeError),
                      (lambda t: t.mps.current_allocated_memory(), RuntimeError),
                      (lambda t: t.xpu.current_device(), AssertionError),
                      (lambda t: t.xpu.get_device_name(), AssertionError)]:
        messages = []
        for torch in (pt, tl):
            with pytest.raises(exc) as info:
                call(torch)
            messages.append(str(info.value))
        assert messages[0] == messages[1]
    for torch in (pt, tl):
        torch.mps.manual_seed(0)
        torch.xpu.manual_seed(0)


def _future_story(torch):
    f = torch.futures.Future()
    log = [f.done()]
    chained = f.then(lambda fut: fut.wait() * 10)
    f.add_done_callback(lambda fut: log.append(("cb", fut.value())))
    f.set_result(3)
    log += [f.done(), f.wait(), f.value(), chained.wait()]
    with pytest.raises(RuntimeError) as info:
        f.set_result(4)
    log.append(str(info.value))
    g = torch.futures.Future()
    g.set_exception(ValueError("bad"))
    with pytest.raises(ValueError, match="bad"):
        g.wait()
    failing = torch.futures.Future()
    after = failing.then(lambda fut: {}["missing"])
    failing.set_result(1)
    with pytest.raises(RuntimeError) as info:
        after.wait()
    log.append(str(info.value).splitlines()[0])
    a, b = torch.futures.Future(), torch.futures.Future()
    both = torch.futures.collect_all([a, b])
    a.set_result("a")
    log.append(both.done())
    b.set_result("b")
    log += [both.done(), [x.wait() for x in both.wait()], torch.futures.wait_all([a, b])]
    return log


def test_futures_behave_as_pytorch():
    assert _future_story(tl) == _future_story(pt)


def test_future_wait_blocks_until_another_thread_sets_it():
    f = tl.futures.Future()
    threading.Timer(0.05, f.set_result, args=(7,)).start()
    assert f.wait() == 7


def test_removable_handle_is_pytorchs():
    for torch in (pt, tl):
        hooks, extra = OrderedDict(), OrderedDict()
        h = torch.utils.hooks.RemovableHandle(hooks, extra_dict=extra)
        h2 = torch.utils.hooks.RemovableHandle(hooks)
        assert h2.id == h.id + 1
        hooks[h.id] = extra[h.id] = "hook"
        with h:
            assert h.id in hooks
        assert h.id not in hooks and h.id not in extra
        h.remove()  # twice is fine
        restored = pickle.loads(pickle.dumps(h2))
        assert restored.id == h2.id


def test_every_register_hook_returns_a_removable_handle():
    lin = tl.nn.Linear(2, 2)
    t = tl.ones(2, requires_grad=True)
    opt = tl.optim.SGD(lin.parameters(), lr=0.1)
    handles = [lin.register_forward_hook(lambda *a: None), lin.register_forward_pre_hook(lambda *a: None),
               lin.register_full_backward_hook(lambda *a: None), t.register_hook(lambda g: g),
               opt.register_step_pre_hook(lambda *a: None)]
    for h in handles:
        assert isinstance(h, tl.utils.hooks.RemovableHandle)
        assert repr(h).startswith("<torch.utils.hooks.RemovableHandle object at 0x")
        h.remove()
    assert not lin._forward_hooks and not lin._forward_pre_hooks and not t._hooks
