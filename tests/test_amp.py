"""Autocast output dtypes against PyTorch's CPU autocast; GradScaler's skip/backoff/growth rules."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

X = np.random.default_rng(0).standard_normal((4, 4)).astype(np.float32)

CASES = {
    "matmul": lambda m, a: a @ a,
    "mm": lambda m, a: m.mm(a, a),
    "linear": lambda m, a: m.nn.functional.linear(a, a),
    "add": lambda m, a: a + a,
    "relu": lambda m, a: m.relu(a),
    "sum_of_matmul": lambda m, a: (a @ a).sum(),
    "mixed_add": lambda m, a: (a @ a) + a,
}


@pytest.mark.parametrize("name", list(CASES))
def test_autocast_dtypes_match_pytorch_cpu_bf16(name):
    fn = CASES[name]
    with pt.autocast("cpu", dtype=pt.bfloat16):
        expected = fn(pt, pt.tensor(X)).dtype
    with tl.autocast("cpu", dtype=tl.bfloat16):
        got = fn(tl, tl.tensor(X)).dtype
    assert str(got) == str(expected)


def test_autocast_disabled_outside_and_nested_disable():
    a = tl.tensor(X)
    with tl.autocast("cpu", dtype=tl.bfloat16):
        with tl.autocast("cpu", enabled=False):
            assert (a @ a).dtype == tl.float32
        assert (a @ a).dtype == tl.bfloat16
    assert (a @ a).dtype == tl.float32


def _scaler_run(lib, grads_seq):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    opt = lib.optim.SGD([w], lr=0.1)
    scaler = lib.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
    scales, weights = [], []
    for g in grads_seq:
        opt.zero_grad()
        loss = (w * lib.tensor(g)).sum()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
        weights.append(w.detach().numpy().copy())
    return scales, weights


def test_grad_scaler_skips_inf_steps_and_adjusts_scale_like_pytorch():
    seq = [[1.0, 1.0], [float("inf"), 1.0], [1.0, 2.0], [0.5, 0.5], [1.0, 1.0], [float("nan"), 0.0]]
    ours = _scaler_run(tl, seq)
    theirs = _scaler_run(pt, seq)
    assert ours[0] == theirs[0]
    np.testing.assert_allclose(np.array(ours[1]), np.array(theirs[1]), rtol=1e-6)


def test_cuda_grad_scaler_without_gpu_disables_itself():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        s = tl.cuda.amp.GradScaler()
    assert not s.is_enabled() and s.get_scale() == 1.0


def _autocast_state(lib):
    a = lib.tensor(X)
    seen = [lib.is_autocast_enabled(), lib.is_autocast_enabled("cpu"),
            str(lib.get_autocast_dtype("cpu")), str(lib.get_autocast_dtype("cuda"))]  # fmt: skip
    with lib.autocast("cpu", dtype=lib.float16):
        seen += [str(lib.get_autocast_dtype("cpu")), lib.is_autocast_enabled("cpu")]
        with lib.autocast("cpu"):  # no dtype: the enclosing block's
            seen += [str(lib.get_autocast_dtype("cpu")), str((a @ a).dtype)]
        with lib.autocast("cpu", enabled=False):
            seen += [str(lib.get_autocast_dtype("cpu")), lib.is_autocast_enabled("cpu")]
    seen.append(str(lib.get_autocast_dtype("cpu")))
    lib.set_autocast_dtype("cpu", lib.float16)
    with lib.autocast("cpu"):
        seen.append(str((a @ a).dtype))
    lib.set_autocast_dtype("cpu", lib.bfloat16)
    lib.set_autocast_enabled("cpu", True)
    seen += [str((a @ a).dtype), lib.is_autocast_enabled("cpu")]
    lib.set_autocast_enabled("cpu", False)
    seen += [str((a @ a).dtype), lib.is_autocast_enabled("cpu")]
    with pytest.raises(RuntimeError) as info:
        lib.get_autocast_dtype("foo")
    return seen + [str(info.value)]


def test_autocast_state_functions_match_pytorch():
    assert _autocast_state(tl) == _autocast_state(pt)
    with pytest.warns(DeprecationWarning, match="is_autocast_enabled\\('cpu'\\)"):
        assert tl.is_autocast_cpu_enabled() is False
