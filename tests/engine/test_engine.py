"""The lazy engine through torchlike.metrics: programs per step, recompiles, live buffers."""

import gc

import jax
import numpy as np
import pytest

import torchlike as tl
from torchlike._engine import execute


def _manual_sgd_loop(steps, record_at=3, eager=False):
    tl.manual_seed(0)
    x = tl.randn(32, 8)
    t = tl.randn(32, 1)
    w = tl.randn(8, 1, requires_grad=True)
    b = tl.zeros(1, requires_grad=True)
    losses, snapshots, live = [], {}, []
    tl.set_eager(eager)
    try:
        for i in range(steps):
            lr = 0.05 / (1 + 0.01 * i)  # a hyper-parameter changing every step: must not recompile
            loss = ((x @ w + b - t) ** 2).mean()
            loss.backward()
            with tl.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
            losses.append(loss.item())
            if i == record_at:
                snapshots["warm"] = tl.metrics.counters()
            if i in (10, steps - 1):
                gc.collect()
                # (less the bounded cache of Python-number vectors kept on the device: a vector
                # seen twice, as a second run of this loop repeats its learning rates, is kept)
                live.append(len(jax.live_arrays()) - len(execute._SCALAR_VECTORS))
    finally:
        tl.set_eager(False)
    return losses, snapshots, tl.metrics.counters(), live


def test_manual_sgd_loop_compiles_nothing_after_warmup():
    tl.metrics.reset()
    losses, snaps, end, _ = _manual_sgd_loop(200)
    warm = snaps["warm"]
    assert end["compiles"] == warm["compiles"], "recompiled after step 3"
    assert warm["compiles"] <= 4
    # one program execution per step (the .item() flush), nothing else
    assert end["executions"] - warm["executions"] == 200 - 4
    assert losses[-1] < losses[0] * 0.5


def test_live_device_buffers_stay_flat_over_1000_steps():
    _, _, _, live = _manual_sgd_loop(1000)
    # a per-step leak would show ~990 more; the slack of 2 is for the rest of the process (the
    # count is process-wide: under xdist another test's background thread, or a cache filled once,
    # may add an array between the two counts: 210 against 209 in one full run)
    assert live[1] <= live[0] + 2


def test_eager_mode_gives_the_same_numbers():
    lazy, _, _, _ = _manual_sgd_loop(30)
    tl.metrics.reset()
    eager, snaps, end, _ = _manual_sgd_loop(30, eager=True)
    np.testing.assert_allclose(lazy, eager, rtol=1e-5, atol=1e-6)
    # eager flushes after every op, and still compiles nothing new once warm
    assert end["executions"] > 30 * 5
    assert end["compiles"] == snaps["warm"]["compiles"]


def test_counters_are_ints_that_only_grow_and_reset():
    tl.metrics.reset()
    c0 = tl.metrics.counters()
    assert {"compiles", "cache_hits", "executions", "syncs"} <= set(c0)
    (tl.ones(3) * 2).sum().item()
    c1 = tl.metrics.counters()
    for k in ("compiles", "cache_hits", "executions", "syncs"):
        assert isinstance(c1[k], int) and c1[k] >= c0[k]
    assert c1["executions"] == c0["executions"] + 1
    tl.metrics.reset()
    assert tl.metrics.counters()["executions"] == 0


def test_report_names_sync_causes_and_recompiles():
    tl.metrics.reset()
    for n in (3, 4, 5, 6):  # (large: a small CPU tensor of ones is made by NumPy, _host_eval.py)
        tl.ones(n, 1 << 16).sum().item()
    report = tl.metrics.report()
    assert "CompileTime" in report and "ExecuteCount" in report
    assert "item()" in report
    assert "Recompile causes" in report
    assert "attribute size of ones_k changed from (5, 65536) to (6, 65536)" in report


def test_repeated_recompiles_warn_once_naming_the_change():
    tl.metrics.reset()
    with pytest.warns(UserWarning, match="keeps compiling"):
        for n in range(2, 12):
            (tl.ones(n) + 1).sum().item()


def test_same_structure_hits_the_cache():
    tl.metrics.reset()
    for _ in range(5):
        (tl.ones(7) * 3).sum().item()
    c = tl.metrics.counters()
    assert c["compiles"] <= 1 and c["cache_hits"] >= 4


def test_python_scalars_are_inputs_not_constants():
    x = tl.ones(4)
    tl.sync()
    tl.metrics.reset()
    vals = [(x * s).sum().item() for s in (1.5, 2.5, 3.5, 4.5)]
    assert vals == [6.0, 10.0, 14.0, 18.0]
    assert tl.metrics.counters()["compiles"] <= 1


def test_dead_intermediates_are_not_outputs(no_host_eval):
    from torchlike._context import state

    x = tl.ones(5)
    y = x * 2
    z = (y + 1).sum()
    del y
    g = state.graph
    assert g is not None and len(g.nodes) >= 3
    tl.sync()
    assert z.item() == 15.0


def test_graph_size_is_bounded(monkeypatch, no_host_eval):
    from torchlike._engine import graph

    monkeypatch.setattr(graph, "MAX_NODES", 50)
    tl.metrics.reset()
    x = tl.zeros(3)
    for _ in range(graph.MAX_NODES + 10):
        x = x + 1
    assert tl.metrics.counters()["syncs"] >= 1
    assert x[0].item() == graph.MAX_NODES + 10


def test_a_long_loop_of_small_ops_is_cut_into_equal_cached_pieces():
    from torchlike._engine import metrics

    tl.metrics.reset()
    x = tl.zeros(3)
    w = tl.tensor([0.1, 0.2, 0.3])
    ref = np.zeros(3, np.float32)
    for _ in range(400):  # 1200 ops, a period of 3
        x = (x * 0.5 + w).tanh()
        ref = np.tanh(ref * np.float32(0.5) + np.array([0.1, 0.2, 0.3], np.float32))
    np.testing.assert_allclose(x.numpy(), ref, rtol=1e-6)
    assert metrics.metrics.sync_causes["repeating graph cut"] >= 15
    # the first piece, the repeating pieces, the last partial one
    assert tl.metrics.counters()["compiles"] <= 4


def test_an_unrolled_lstm_cell_trains_like_pytorch_in_few_programs():
    import torch as pt

    from torchlike._engine import metrics

    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 80)).astype(np.float32)
    grads, ref_params = [], []
    for lib in (pt, tl):
        lib.manual_seed(0)
        cell, lin = lib.nn.LSTMCell(1, 6), lib.nn.Linear(6, 1)
        if lib is tl:  # the same weights
            for a, b in zip(list(cell.parameters()) + list(lin.parameters()), ref_params):
                a.data = tl.tensor(b.detach().numpy())
            tl.metrics.reset()
        else:
            ref_params += list(cell.parameters()) + list(lin.parameters())
        h = c = lib.zeros(4, 6)
        outs = []
        for xt in lib.tensor(x).split(1, dim=1):  # as pytorch/examples' time_sequence_prediction
            h, c = cell(xt, (h, c))
            outs.append(lin(h))
        loss = ((lib.cat(outs, 1) - lib.tensor(x)) ** 2).mean()
        loss.backward()
        grads.append([p.grad.numpy() for p in list(cell.parameters()) + list(lin.parameters())])
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)
    assert metrics.metrics.sync_causes["repeating graph cut"] >= 4
    assert tl.metrics.counters()["compiles"] <= 8


def test_a_sampling_loop_of_whole_model_calls_is_cut_into_equal_pieces():
    """A DDPM-style reverse loop under no_grad with no host read inside: each step is a whole
    model call (well over 64 nodes), the timestep a tensor. The graph is cut at step boundaries
    and the steps share one program, instead of ever-new 4000-node programs."""
    import torch as pt

    from torchlike._engine import metrics

    def run(lib):
        lib.manual_seed(0)
        nn = lib.nn
        widths = [*range(4, 17), *range(15, 3, -1)]  # 24 blocks: ~84 nodes, no shorter period
        blocks = nn.ModuleList(
            [
                nn.Sequential(nn.Conv2d(c, d, 3, padding=1), nn.GroupNorm(1, d), nn.SiLU())
                for c, d in zip(widths, widths[1:])
            ]
        )
        head, emb = nn.Conv2d(4, 1, 1), nn.Embedding(30, 4)
        steps = 30
        betas = lib.linspace(1e-4, 0.02, steps)
        x = lib.randn(2, 1, 6, 6)
        if lib is tl:
            tl.sync()
            tl.metrics.reset()
        with lib.no_grad():
            for i in reversed(range(steps)):
                t = lib.full((2,), i, dtype=lib.long)
                h = x.expand(2, 4, 6, 6) + emb(t)[:, :, None, None]
                for b in blocks:
                    h = b(h)
                h = h + (h.flatten(2).softmax(-1) * 0.1).reshape(h.shape)
                beta = betas.gather(0, t).reshape(2, 1, 1, 1)
                x = (x - beta * head(h)) / (1 - beta).sqrt()
        return x.numpy()

    want = run(pt)
    np.testing.assert_allclose(run(tl), want, rtol=2e-5, atol=2e-6)
    assert metrics.metrics.sync_causes["repeating graph cut"] >= 10
    # the first piece (several steps), the step's program, the last partial piece
    assert tl.metrics.counters()["compiles"] <= 4


def test_a_pattern_whose_shapes_change_is_not_cut_into_pieces():
    """The same ops on tensors of different shapes (a network's layers, or its parameters being
    initialised) make pieces that are all different programs: the graph is not cut for them."""
    from torchlike._engine import metrics

    xs = [tl.tensor(np.arange(i + 1, dtype=np.float32)) for i in range(40)]
    tl.sync()
    tl.metrics.reset()
    ys = [(x * 2 + 1).relu().neg() for x in xs]
    total = tl.cat(ys).sum().item()
    assert total == -sum(2 * k + 1 for i in range(40) for k in range(i + 1))
    assert metrics.metrics.sync_causes["repeating graph cut"] == 0
    assert tl.metrics.counters()["compiles"] == 1


def test_sync_runs_pending_work_without_host_transfer(no_host_eval):
    tl.metrics.reset()
    x = tl.ones(3) * 5
    tl.sync()
    c = tl.metrics.counters()
    assert c["executions"] == 1 and c["host_transfers"] == 0
    assert x.tolist() == [5.0, 5.0, 5.0]


def test_step_program_donates_replaced_parameters(no_host_eval):
    # after an in-place update, the old parameter buffer is donated to the program
    w = tl.randn(64, 64)
    tl.sync()
    with tl.no_grad():
        w.mul_(0.5)
    before = tl.metrics.counters()["donated_buffers"]
    tl.sync()
    assert tl.metrics.counters()["donated_buffers"] == before + 1
    # a buffer someone else still holds is not donated
    kept = w._value()
    with tl.no_grad():
        w.mul_(2.0)
    before = tl.metrics.counters()["donated_buffers"]
    tl.sync()
    assert tl.metrics.counters()["donated_buffers"] == before
    assert not kept.is_deleted()
    np.testing.assert_allclose(np.asarray(kept), w.numpy() / 2)


def test_training_loop_donates_parameters_and_optimizer_state():
    tl.manual_seed(0)
    model = tl.nn.Linear(8, 4)
    opt = tl.optim.Adam(model.parameters())
    x = tl.randn(16, 8)
    for _ in range(4):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        before = tl.metrics.counters()["donated_buffers"]
        opt.step()
    # weight, bias and their exp_avg, exp_avg_sq and step tensors
    assert tl.metrics.counters()["donated_buffers"] - before == 2 + 2 * 3


def test_int64_and_float64_are_real():
    big = tl.tensor([2**40 + 1])
    assert big.dtype == tl.int64 and (big + 1).item() == 2**40 + 2
    d = tl.tensor([1e-300], dtype=tl.float64)
    assert (d * 1e-5).item() == pytest.approx(1e-305)
    # plain JAX in the same process keeps its own defaults
    assert jax.numpy.arange(3).dtype == jax.numpy.int32


def test_compile_records_a_step_once_and_replays_it():
    def run(compiled):
        tl.metrics.reset()
        w = tl.zeros(3, requires_grad=True)

        def step(x):
            loss = ((w - x) ** 2).sum()
            loss.backward()
            with tl.no_grad():
                w.sub_(0.1 * w.grad)
                w.grad.zero_()
            return loss

        if compiled:
            step = tl.compile(step)
        losses = [step(tl.ones(3) * i).item() for i in range(6)]
        return losses, w.detach().numpy(), tl.metrics.counters()

    plain, comp = run(False), run(True)
    assert plain[0] == comp[0]
    np.testing.assert_array_equal(plain[1], comp[1])
    c = comp[2]
    assert c["replays"] == 3  # call 1 plain, calls 2-3 recorded, then replayed
    # each call: the step, one program (the argument, a small CPU tensor, is computed by NumPy)
    assert c["executions"] == 6
    assert tl.compile is tl.compile and callable(tl.compile(lambda: 1))


def test_slicing_at_changing_offsets_compiles_once():
    # truncated-BPTT style loops (data[i:i + n], x[i]) must not compile a program per offset
    data = tl.arange(64.0).view(16, 4)
    tl.sync()
    tl.metrics.reset()
    for i in range(1, 12, 2):
        data[i : i + 3].sum().item()
    for i in range(1, 8):
        data[i].mul(2).sum().item()
    assert tl.metrics.counters()["compiles"] == 2


def test_writes_at_changing_positions_compile_once():
    # building a one-hot tensor in a Python loop (the char-RNN tutorial) must not compile per index
    t = tl.zeros(6, 1, 5)
    tl.sync()
    tl.metrics.reset()
    for li in range(1, 6):
        t[li][0][(li * 3) % 5] = 1
        t.sum().item()
    assert tl.metrics.counters()["compiles"] <= 2
    assert t.sum().item() == 5.0


def test_program_memory_counts_donated_buffers_once(no_host_eval):
    a = tl.zeros(256, 256)
    tl.sync()
    a.add_(1.0)  # the old buffer is donated: the update needs one 256x256 buffer
    tl.sync()
    m = tl.metrics.program_memory()
    assert m["outputs"] == 256 * 256 * 4
    assert m["aliased"] == 256 * 256 * 4
    assert m["peak"] == m["arguments"] + m["outputs"] - m["aliased"] + m["temporaries"]
    assert 256 * 256 * 4 <= m["peak"] < 2 * 256 * 256 * 4
    b = a + 1  # `a` stays alive: input and output are two buffers
    tl.sync()
    m = tl.metrics.program_memory()
    assert m["aliased"] == 0 and m["peak"] >= 2 * 256 * 256 * 4
    assert b.sum().item() == 2 * 256 * 256


def test_program_memory_of_a_replayed_step():
    tl.manual_seed(0)
    model = tl.nn.Linear(64, 32)
    opt = tl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = tl.randn(16, 64)

    @tl.compile
    def step(x):
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        return loss

    for _ in range(5):
        step(x)
    assert tl.metrics.counters()["replays"] >= 1
    m = tl.metrics.program_memory()
    params = (64 * 32 + 32) * 4
    # in: x, parameters, momentum buffers; out: parameters, momentum, .grad, loss; the
    # parameters and momentum buffers are updated in place (donated)
    assert m["arguments"] >= 16 * 64 * 4 + 2 * params
    assert m["outputs"] >= 3 * params
    assert m["aliased"] == 2 * params


def test_step_program_is_traced_once_while_its_numbers_move_to_the_device(monkeypatch):
    """A step's vector of Python numbers is a NumPy input on first use and a device array from
    its second (_scalar_vector), and the first step finds small parameters and fresh optimizer
    state on the host: the jitted program must not be traced or compiled again for that (a
    retrace inside jax.jit would be a compile torchlike.metrics does not see). jax.jit's C++
    dispatch cache keeps one entry per kind of argument (NumPy or device array): that is no trace."""
    from torchlike._engine import execute

    traces = []
    build = execute.build_function

    def counting_build(*args, **kwargs):
        fn = build(*args, **kwargs)

        def run(*a):
            traces.append(1)
            return fn(*a)

        return run

    monkeypatch.setattr(execute, "build_function", counting_build)
    tl.manual_seed(0)
    model = tl.nn.Linear(4, 2)
    opt = tl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = tl.randn(8, 4), tl.randn(8, 2)
    tl.sync()
    before = tl.metrics.counters()
    for _ in range(6):
        opt.zero_grad()
        loss = tl.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
    after = tl.metrics.counters()
    assert len(traces) == 1
    assert after["compiles"] - before["compiles"] == 1
    assert after["backend_compiles"] - before["backend_compiles"] == 1


def test_a_donated_numpy_input_leaves_the_numpy_memory_alone():
    """A host tensor whose data views a larger NumPy array, replaced by an in-place update (its
    buffer is donated to the program): the program gives up its device copy, the array it
    views keeps its values."""
    base = np.arange(12, dtype=np.float32).reshape(3, 4)
    t = tl.Tensor._make(base[1], tl.float32, tl.device("cpu"))
    t.mul_(2.0)
    tl.sync()
    assert t.tolist() == [8.0, 10.0, 12.0, 14.0]
    np.testing.assert_array_equal(base, np.arange(12, dtype=np.float32).reshape(3, 4))
