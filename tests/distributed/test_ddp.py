"""DDP over 2 local processes (CPU gloo collectives), via torchlike.multiprocessing.spawn and via
the torchrun-style launcher; collectives; error propagation."""

import os
import socket
import subprocess
import sys

import numpy as np
import pytest

import torchlike.multiprocessing as mp

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
import _workers  # noqa: E402


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check(outdir):
    single = _workers.train_single()
    ranks = [dict(np.load(os.path.join(outdir, f"rank{r}.npz"))) for r in range(2)]
    for r in ranks:
        np.testing.assert_allclose(r["allreduce"], [3.0, 10.0])
        np.testing.assert_allclose(r["gathered"], [[0, 0], [1, 1]])
        np.testing.assert_allclose(r["broadcast"], [6.0])
        for k, v in single.items():
            np.testing.assert_allclose(r[k], v, rtol=1e-5, atol=1e-6, err_msg=k)
    for k in single:
        np.testing.assert_array_equal(ranks[0][k], ranks[1][k])


def test_ddp_with_spawn_matches_single_process_full_batch(tmp_path):
    mp.spawn(_workers.ddp_worker, args=(2, _port(), str(tmp_path)), nprocs=2)
    _check(str(tmp_path))


def test_ddp_with_launcher(tmp_path):
    script = os.path.join(HERE, "_workers.py")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "torchlike.distributed.run",
            "--nproc-per-node",
            "2",
            script,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    # JAX's gloo announces '[Gloo] Rank 0 is connected to 1 peer ranks' on stdout; PyTorch's does not
    assert "[Gloo]" not in r.stdout
    _check(str(tmp_path))


def test_a_failing_rank_fails_the_launcher_with_its_error(tmp_path):
    script = os.path.join(HERE, "_workers.py")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "torchlike.distributed.run",
            "--nproc-per-node",
            "2",
            script,
            str(tmp_path),
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert r.returncode != 0
    assert "rank 1 fails on purpose" in r.stderr


def _raise_in_child(i):
    if i == 1:
        raise KeyError("boom in child")


def test_spawn_reraises_child_error_with_traceback():
    with pytest.raises(mp.ProcessRaisedException, match="boom in child"):
        mp.spawn(_raise_in_child, nprocs=2)
