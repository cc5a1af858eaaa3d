"""CUDA autocast and GradScaler on a machine without an accelerator, against PyTorch's CPU wheel:
both switch themselves off (with PyTorch's warnings), torch.cuda.amp's spellings warn that they
are deprecated, and a disabled block for one device leaves another device's autocast on."""

import warnings

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

pytestmark = pytest.mark.skipif(
    tl.cuda.is_available() or pt.cuda.is_available(), reason="needs a machine without CUDA"
)

X = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)


def _messages(record):
    return [(w.category.__name__, str(w.message)) for w in record]


def _cuda_autocast_run(lib, make):
    lin = lib.nn.Linear(4, 2)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ctx = make(lib)
        with ctx:
            y = lin(lib.tensor(X))
            enabled = lib.is_autocast_enabled("cuda")
    return str(y.dtype), enabled, _messages(record)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.cuda.amp.autocast(),
        lambda lib: lib.autocast("cuda"),
        lambda lib: lib.amp.autocast("cuda", dtype=lib.float16),
        lambda lib: lib.autocast(device_type="cuda", enabled=False),
    ],
    ids=["cuda_amp_autocast", "autocast_cuda", "amp_autocast_cuda_fp16", "autocast_cuda_disabled"],
)
def test_cuda_autocast_without_cuda_is_disabled_with_pytorchs_warnings(make):
    assert _cuda_autocast_run(tl, make) == _cuda_autocast_run(pt, make)


def test_cuda_amp_autocast_keeps_float32_through_a_training_step():
    def run(lib):
        lib.manual_seed(0)
        model = lib.nn.Linear(4, 2)
        opt = lib.optim.SGD(model.parameters(), lr=0.1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scaler = lib.cuda.amp.GradScaler()
            with lib.cuda.amp.autocast():
                loss = model(lib.tensor(X)).pow(2).mean()
        scaled = scaler.scale(loss)
        scaled.backward()
        scaler.step(opt)
        scaler.update()
        return str(loss.dtype), scaled is loss, scaler.is_enabled(), model.weight.detach().numpy()

    got, want = run(tl), run(pt)
    assert got[:3] == want[:3]
    np.testing.assert_allclose(got[3], want[3], rtol=1e-6, atol=1e-7)


def test_cuda_grad_scaler_warns_deprecated_and_disabled_like_pytorch():
    def run(lib):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            scaler = lib.cuda.amp.GradScaler()
        return scaler.is_enabled(), scaler.get_scale(), _messages(record)

    assert run(tl) == run(pt)


def test_disabled_cuda_block_leaves_cpu_autocast_on():
    def run(lib):
        a = lib.tensor(X[:, :3])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autocast("cpu", dtype=lib.bfloat16):
                with lib.autocast("cuda", enabled=False):
                    inner = (str((a @ a).dtype), lib.is_autocast_enabled("cpu"))
                with lib.cuda.amp.autocast():
                    inner_cuda = str((a @ a).dtype)
                after = str((a @ a).dtype)
        return inner, inner_cuda, after

    assert run(tl) == run(pt)


def test_unsupported_cpu_autocast_dtype_message_matches_pytorch():
    def run(lib):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            ctx = lib.autocast("cpu", dtype=lib.float32)
        return ctx.__dict__.get("_enabled", ctx.__dict__.get("enabled")), _messages(record)

    assert run(tl) == run(pt)
