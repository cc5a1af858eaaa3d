"""DataParallel over 4 forced host devices: same losses/parameters as single-device training,
and the step program's inputs are sharded over the 4 devices."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import numpy as np, jax
    import torchlike as tl
    assert jax.device_count() == 4
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((5, 8, 6)).astype(np.float32)
    ys = rng.standard_normal((5, 8, 1)).astype(np.float32)

    def run(parallel):
        tl.manual_seed(0)
        model = tl.nn.Sequential(tl.nn.Linear(6, 16), tl.nn.Linear(16, 1))
        if parallel:
            model = tl.nn.DataParallel(model)
        opt = tl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        losses = []
        for x, y in zip(xs, ys):
            opt.zero_grad()
            loss = ((model(tl.tensor(x)) - tl.tensor(y)) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        params = [p.detach().numpy() for p in model.parameters()]
        return losses, params, model

    l1, p1, _ = run(False)
    l4, p4, dp = run(True)
    np.testing.assert_allclose(l1, l4, rtol=1e-5, atol=1e-6)
    for a, b in zip(p1, p4):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert list(dp.state_dict())[0].startswith("module.")
    w = next(dp.module.parameters())._value()
    assert len(w.sharding.device_set) == 4
    print("OK")
""")


def test_data_parallel_matches_single_device():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=240
    )
    assert r.returncode == 0 and "OK" in r.stdout, r.stderr[-3000:]


def test_data_parallel_without_accelerator_is_a_plain_wrapper():
    """On one CPU device PyTorch's DataParallel only wraps the module: device_ids == [], no
    output_device, 'module.' keys, forward unchanged (thorough-pytorch 5.4's save/load code)."""
    import jax
    import numpy as np
    import pytest

    import torchlike as tl

    torch = pytest.importorskip("torch")
    if len(jax.local_devices()) != 1 or tl.cuda.is_available():
        pytest.skip("needs a host with one device and no accelerator")
    seen = []
    for lib in (torch, tl):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 2))
        dp = lib.nn.DataParallel(model)
        out = dp(lib.ones(4, 3))
        seen.append(
            (dp.device_ids, hasattr(dp, "output_device"), list(dp.state_dict()), repr(dp),
             dp.module is model, out.detach().numpy())
        )
    for got, want in zip(seen[1][:-1], seen[0][:-1]):
        assert got == want
    np.testing.assert_allclose(seen[1][-1], seen[0][-1], rtol=1e-6)
