"""Hogwild: several spawned processes update one shared model; the parent sees the result."""

import os
import sys

import numpy as np

import torchlike as tl
import torchlike.multiprocessing as mp

sys.path.insert(0, os.path.dirname(__file__))
import _hogwild  # noqa: E402


def test_share_memory_and_hogwild_training():
    tl.manual_seed(0)
    model = tl.nn.Linear(4, 1)
    model.share_memory()
    assert all(p.is_shared() for p in model.parameters())
    before = model.weight.detach().numpy().copy()
    procs = []
    ctx = mp.get_context("spawn")
    for rank in range(2):
        p = ctx.Process(target=_hogwild.train, args=(rank, model, 30))
        p.start()
        procs.append(p)
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    after = model.weight.detach().numpy()
    assert not np.allclose(before, after)
    # the children learned y = sum(x): the shared weights moved towards 1
    assert np.abs(after - 1).mean() < np.abs(before - 1).mean()
    # and the parent's model computes with the shared (updated) weights
    np.testing.assert_allclose(
        model(tl.ones(1, 4)).item(), after.sum() + model.bias.item(), rtol=1e-5
    )
