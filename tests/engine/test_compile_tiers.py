"""Quick compiles: a call site that keeps compiling the same kinds of ops for new shapes, each
program running once or twice (a generation loop growing its context), gets its later programs
compiled with execute.QUICK_COMPILE; a site whose programs run many times never does."""

import numpy as np
import pytest
import torch

import torchlike as tl
from torchlike._engine import execute, metrics

pytestmark = pytest.mark.skipif(
    not execute._quick_backend(), reason="quick compiles are for XLA:CPU"
)


def _models(lib, ref):
    emb = lib.nn.Embedding(13, 16)
    head = lib.nn.Linear(16, 13)
    if ref is not None:
        emb.load_state_dict({k: lib.tensor(v.numpy()) for k, v in ref[0].state_dict().items()})
        head.load_state_dict({k: lib.tensor(v.numpy()) for k, v in ref[1].state_dict().items()})
    return emb, head


def _generate(lib, emb, head, steps):
    """Greedy decoding that attends over the whole context: every step sees a longer input."""
    idx = lib.zeros((1, 1), dtype=lib.long)
    probs = []
    with lib.no_grad():
        for _ in range(steps):
            h = emb(idx)  # (1, T, 16)
            att = lib.softmax(h @ h.transpose(1, 2) / 4.0, dim=-1)  # (1, T, T)
            logits = head((att @ h)[:, -1, :])  # (1, 13)
            p = lib.softmax(logits, dim=-1)
            probs.append(p)
            next_word = p.argmax(-1).item()  # as greedy decoders do: the step syncs here
            idx = lib.cat((idx, lib.full((1, 1), next_word, dtype=lib.long)), dim=1)
    return idx, probs


def test_generation_loop_compiles_quickly_and_matches_pytorch():
    torch.manual_seed(0)
    ref = _models(torch, None)
    want_idx, want_probs = _generate(torch, *ref, steps=9)
    emb, head = _models(tl, ref)
    before = tl.metrics.counters()
    got_idx, got_probs = _generate(tl, emb, head, steps=9)
    mid = tl.metrics.counters()
    assert got_idx.tolist() == want_idx.tolist()
    for g, w in zip(got_probs, want_probs):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-5, atol=1e-6)
    # one program per context length; the first CHURN_AFTER are optimised, the rest quick
    assert mid["compiles"] - before["compiles"] == 9
    assert mid["quick_compiles"] - before["quick_compiles"] == 9 - metrics.CHURN_AFTER
    # a program keeps the options it was compiled with: the same lengths again give the same bits
    again_idx, again_probs = _generate(tl, emb, head, steps=9)
    end = tl.metrics.counters()
    assert end["compiles"] == mid["compiles"] and end["quick_compiles"] == mid["quick_compiles"]
    assert again_idx.tolist() == got_idx.tolist()
    for a, g in zip(again_probs, got_probs):
        assert np.array_equal(a.numpy(), g.numpy())


def _train(model, x, y, steps):
    opt = tl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(steps):
        opt.zero_grad()
        loss = tl.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()


def test_a_function_training_several_models_compiles_them_optimised():
    tl.manual_seed(0)
    x, y = tl.randn(32, 10), tl.randint(0, 3, (32,))
    before = tl.metrics.counters()
    for hidden in (8, 16, 24, 32):  # the same kinds of ops at the same lines, new shapes each time
        model = tl.nn.Sequential(tl.nn.Linear(10, hidden), tl.nn.ReLU(), tl.nn.Linear(hidden, 3))
        _train(model, x, y, steps=8)
    after = tl.metrics.counters()
    assert after["compiles"] - before["compiles"] >= 4
    assert after["quick_compiles"] == before["quick_compiles"]


def test_quick_compiles_are_reported():
    assert "QuickCompiles" in tl.metrics.report()
    assert "quick_compiles" in tl.metrics.counters()


def test_a_program_compiled_again_gets_the_options_it_had():
    """A program dropped from the cache (more than its 1024 programs) and compiled again keeps the
    options it was first compiled with, though its call site churns by then: the same bits."""
    torch.manual_seed(1)
    emb, head = _models(tl, _models(torch, None))
    first_idx, first_probs = _generate(tl, emb, head, steps=6)
    before = tl.metrics.counters()
    execute.programs.programs.clear()
    again_idx, again_probs = _generate(tl, emb, head, steps=6)
    after = tl.metrics.counters()
    assert after["compiles"] - before["compiles"] == 6
    assert after["quick_compiles"] - before["quick_compiles"] == 6 - metrics.CHURN_AFTER
    assert again_idx.tolist() == first_idx.tolist()
    for a, f in zip(again_probs, first_probs):
        assert np.array_equal(a.numpy(), f.numpy())


def test_a_compiled_step_over_several_batch_shapes_replays_optimised_programs(monkeypatch):
    """torch.compile'd steps replay their programs without a flush: those runs count, so the
    programs a step records for a few batch shapes (each then replayed) are compiled optimised;
    only each shape's first call, which runs once, may be compiled quickly."""
    tl.manual_seed(0)
    model = tl.nn.Sequential(tl.nn.Linear(6, 16), tl.nn.ReLU(), tl.nn.Linear(16, 3))
    opt = tl.optim.SGD(model.parameters(), lr=0.05)

    @tl.compile
    def step(x, y):
        opt.zero_grad()
        loss = tl.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    compiled = []  # (quick, program id) of each program compiled
    note = metrics.note_compile
    monkeypatch.setattr(
        metrics, "note_compile", lambda *a: (compiled.append((a[4], a[5])), note(*a))
    )
    before = tl.metrics.counters()
    for batch in (8, 12, 16, 20, 24):
        x, y = tl.randn(batch, 6), tl.randint(0, 3, (batch,))
        for _ in range(6):
            step(x, y)
    after = tl.metrics.counters()
    assert after["replays"] - before["replays"] >= 5 * 3
    runs = metrics.metrics.program_runs
    replayed = [quick for quick, program in compiled if runs[program] > 1]
    assert len(replayed) == 5 and not any(replayed)


def test_float8_programs_compile_optimised_at_a_churning_site():
    """Conversions from 8-bit floats in a loop over target dtypes (one program each, run once)
    give PyTorch's values: float8_e8m0fnu's smallest value 2**-127 survives as a float64."""
    values = [1.0, 0.0, -2.5, 448.0, 0.125]
    before = tl.metrics.counters()
    for dst in ("float16", "bfloat16", "float32", "float64", "int64", "int32", "bool"):
        for name in ("float8_e8m0fnu", "float8_e4m3fn", "float8_e5m2"):
            p = torch.tensor(values).to(getattr(torch, name)).to(getattr(torch, dst))
            t = tl.tensor(values).to(getattr(tl, name)).to(getattr(tl, dst))
            assert str(t) == str(p), (name, dst)
    after = tl.metrics.counters()
    assert after["compiles"] > before["compiles"]
    assert after["quick_compiles"] == before["quick_compiles"]
