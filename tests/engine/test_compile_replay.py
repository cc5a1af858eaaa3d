"""torchlike.compile(fn): a step recorded once per call signature, then replayed without its Python.

Every scenario runs the same loop plain and compiled and requires identical numbers (same RNG
stream, same optimizer trajectory); the metrics say whether the compiled loop replayed.
"""

import numpy as np
import pytest

import torchlike as tl
import torchlike.nn as nn


@pytest.fixture(autouse=True)
def _fresh_metrics():
    tl.metrics.reset()


def _mlp(dropout=0.0, batchnorm=False):
    layers = [nn.Linear(12, 16)]
    if batchnorm:
        layers.append(nn.BatchNorm1d(16))
    layers += [nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, 3)]
    return nn.Sequential(*layers)


def _data(n=8, seed=1):
    g = np.random.default_rng(seed)
    return tl.tensor(g.standard_normal((n, 12)), dtype=tl.float32), tl.tensor(g.integers(0, 3, n))


def _run(make_step, compiled, steps=10, between=None, **model_kw):
    """Losses and final parameters of ``steps`` calls of the step ``make_step(model, opt)`` returns."""
    tl.manual_seed(0)
    model = _mlp(**model_kw)
    opt = tl.optim.Adam(model.parameters(), lr=0.01)
    step = make_step(model, opt)
    if compiled:
        step = tl.compile(step)
    x, y = _data()
    tl.metrics.reset()
    losses = []
    for i in range(steps):
        if between is not None:
            between(i, model, opt)
        out = step(x, y)
        losses.append(out)
    losses = [np.asarray(v.detach().numpy() if isinstance(v, tl.Tensor) else v) for v in losses]
    params = [p.detach().numpy().copy() for p in model.parameters()]
    buffers = [b.numpy().copy() for b in model.buffers()]
    return losses, params, buffers, tl.metrics.counters()


def _same(a, b):
    for xs, ys in zip(a[:3], b[:3]):
        assert len(xs) == len(ys)
        for x, y in zip(xs, ys):
            np.testing.assert_array_equal(x, y)


def _standard(model, opt, loss_fn=None):
    loss_fn = loss_fn or nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def test_a_training_step_replays_with_the_plain_numbers():
    plain = _run(_standard, False, steps=12)
    comp = _run(_standard, True, steps=12)
    _same(plain, comp)
    c = comp[3]
    assert c["replays"] == 12 - 3  # call 1 initialises the optimizer state, calls 2-3 are recorded
    assert c["executions"] == 12  # one program per step


def test_a_step_with_dropout_replays_reproducibly():
    """Plain CPU dropout draws PyTorch's masks on the host; a recorded or replayed step draws its
    masks in the program (as torch.compile's own RNG differs from eager): the call that runs
    plainly matches the plain loop, and a compiled run is reproducible."""
    plain = _run(_standard, False, steps=12, dropout=0.2)
    comp = _run(_standard, True, steps=12, dropout=0.2)
    again = _run(_standard, True, steps=12, dropout=0.2)
    _same(comp, again)
    np.testing.assert_array_equal(plain[0][0], comp[0][0])  # call 1 runs plainly
    assert not np.array_equal(plain[0][-1], comp[0][-1])
    assert comp[3]["replays"] == 12 - 3 and comp[3]["executions"] == 12


def test_no_compile_after_the_third_call_and_one_program_per_replay():
    tl.manual_seed(0)
    model, x, y = _mlp(), *_data()
    opt = tl.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    step = tl.compile(_standard(model, opt))
    for _ in range(3):
        step(x, y)
    warm = tl.metrics.counters()
    for _ in range(20):
        step(x, y).item()
    end = tl.metrics.counters()
    assert end["compiles"] == warm["compiles"]
    assert end["replays"] - warm["replays"] == 20
    assert end["executions"] - warm["executions"] == 20


def test_lr_scheduler_and_param_group_edits_between_calls_take_effect():
    def between(i, model, opt):
        opt.param_groups[0]["lr"] = 0.05 / (1 + i)

    plain = _run(_standard, False, between=between)
    comp = _run(_standard, True, between=between)
    _same(plain, comp)
    assert comp[3]["replays"] > 0


def test_a_step_that_reads_the_loss_inside_is_not_replayed():
    def make(model, opt):
        loss_fn = nn.CrossEntropyLoss()

        def step(x, y):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss.item()

        return step

    plain = _run(make, False)
    comp = _run(make, True)
    _same(plain, comp)
    assert comp[3]["replays"] == 0
    assert "(item())" in tl.metrics.report()


def test_a_scheduler_stepped_inside_the_step_is_not_replayed():
    def make(model, opt):
        sched = tl.optim.lr_scheduler.StepLR(opt, 2, 0.5)
        inner = _standard(model, opt)

        def step(x, y):
            loss = inner(x, y)
            sched.step()
            return loss

        return step

    plain = _run(make, False)
    comp = _run(make, True)
    _same(plain, comp)
    assert comp[3]["replays"] == 0


def test_train_and_eval_calls_get_their_own_recordings():
    def between(i, model, opt):
        model.train(i % 2 == 0)

    plain = _run(_standard, False, steps=16, between=between, batchnorm=True)
    comp = _run(_standard, True, steps=16, between=between, batchnorm=True)
    _same(plain, comp)
    assert comp[3]["replays"] > 0


def test_batchnorm_running_statistics_follow_the_replays():
    plain = _run(_standard, False, batchnorm=True)
    comp = _run(_standard, True, batchnorm=True)
    _same(plain, comp)  # buffers include running_mean/var and num_batches_tracked
    assert comp[3]["replays"] > 0


def test_gradients_accumulated_over_calls_and_zeroed_outside():
    def make(model, opt):
        loss_fn = nn.CrossEntropyLoss()

        def step(x, y):
            loss = loss_fn(model(x), y) / 2
            loss.backward()
            return loss

        return step

    def between(i, model, opt):
        if i % 2 == 0 and i:
            opt.step()
            opt.zero_grad()

    plain = _run(make, False, steps=12, between=between)
    comp = _run(make, True, steps=12, between=between)
    _same(plain, comp)


def test_grad_is_a_fresh_tensor_with_the_new_values_after_each_replay():
    tl.manual_seed(0)
    model, (x, y) = _mlp(), _data()
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    step = tl.compile(_standard(model, opt))
    w = model[0].weight
    seen = []
    for _ in range(6):
        step(x, y)
        seen.append(w.grad)
    assert tl.metrics.counters()["replays"] >= 3
    assert seen[-1] is not seen[-2]
    assert not np.array_equal(seen[-1].numpy(), seen[-2].numpy())
    # the gradient of the current parameters, recomputed plainly
    loss = nn.CrossEntropyLoss()(model(x), y)
    before = w.detach().clone()
    opt.zero_grad()
    loss.backward()
    assert np.allclose(w.grad.numpy(), w.grad.numpy())
    assert np.array_equal(before.numpy(), w.detach().numpy())


def test_manual_sgd_under_no_grad_replays():
    def run(compiled):
        tl.manual_seed(0)
        w = tl.randn(12, 1, requires_grad=True)
        x, _ = _data()
        t = x.sum(1, keepdim=True)

        def step(lr):
            loss = ((x @ w - t) ** 2).mean()
            loss.backward()
            with tl.no_grad():
                w.sub_(lr * w.grad)
                w.grad.zero_()
            return loss

        if compiled:
            step = tl.compile(step)
        return [step(0.01).item() for _ in range(10)], w.detach().numpy()

    a, b = run(False), run(True)
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    assert tl.metrics.counters()["replays"] > 0


def test_returned_tuple_and_the_loss_grad_fn():
    def make(model, opt):
        loss_fn = nn.CrossEntropyLoss()

        def step(x, y):
            opt.zero_grad()
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            return loss, out.detach().argmax(1)

        return step

    tl.manual_seed(0)
    model, (x, y) = _mlp(), _data()
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    step = tl.compile(make(model, opt))
    for _ in range(5):
        loss, pred = step(x, y)
    assert tl.metrics.counters()["replays"] >= 2
    assert pred.dtype == tl.int64 and pred.shape == (8,)
    assert "grad_fn=<NllLossBackward0>" in repr(loss)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


def test_a_step_returning_a_live_graph_runs_plainly_and_backward_works():
    tl.manual_seed(0)
    model, (x, y) = _mlp(), _data()

    @tl.compile
    def forward(x, y):
        return nn.CrossEntropyLoss()(model(x), y)

    for _ in range(4):
        model.zero_grad()
        loss = forward(x, y)
        loss.backward()
    assert model[0].weight.grad is not None
    assert tl.metrics.counters()["replays"] == 0


def test_a_step_changing_a_global_is_not_replayed():
    calls = {"n": 0}

    def make(model, opt):
        inner = _standard(model, opt)

        def step(x, y):
            global _COUNTER
            _COUNTER += 1
            return inner(x, y)

        return step

    comp = _run(make, True, steps=6)
    assert comp[3]["replays"] == 0 and _COUNTER == 6
    assert calls["n"] == 0


_COUNTER = 0


def test_a_new_batch_shape_records_its_own_step():
    tl.manual_seed(0)
    model = _mlp()
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    step = tl.compile(_standard(model, opt))
    big, small = _data(8), _data(5)
    losses = [step(*(small if i % 4 == 3 else big)).item() for i in range(16)]

    tl.manual_seed(0)
    model = _mlp()
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    plain = _standard(model, opt)
    expect = [plain(*(small if i % 4 == 3 else big)).item() for i in range(16)]
    assert losses == expect


def test_matches_pytorch():
    torch = pytest.importorskip("torch")

    def run(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(12, 16), lib.nn.Tanh(), lib.nn.Linear(16, 3))
        with lib.no_grad():
            for i, p in enumerate(model.parameters()):
                p.copy_(
                    lib.tensor(
                        np.random.default_rng(i).standard_normal(tuple(p.shape)) * 0.3,
                        dtype=lib.float32,
                    )
                )
        opt = lib.optim.Adam(model.parameters(), lr=0.01)
        sched = lib.optim.lr_scheduler.StepLR(opt, 3, 0.5)
        step = _standard(model, opt, lib.nn.CrossEntropyLoss())
        if lib is tl:
            step = tl.compile(step)
        g = np.random.default_rng(1)
        x = lib.tensor(g.standard_normal((8, 12)), dtype=lib.float32)
        y = lib.tensor(g.integers(0, 3, 8))
        losses = []
        for _ in range(12):
            losses.append(step(x, y).item())
            sched.step()
        return losses

    np.testing.assert_allclose(run(tl), run(torch), rtol=1e-5, atol=1e-6)
    assert tl.metrics.counters()["replays"] > 0


def test_in_place_on_an_argument_and_gradients_of_an_argument():
    def run(compiled):
        tl.manual_seed(0)
        w = tl.randn(12, 3)
        xs = [_data(seed=i)[0] for i in range(8)]

        def step(x):
            x.mul_(0.5)  # in place on the argument: the caller's tensor changes
            x.requires_grad_(True)
            loss = (x @ w).pow(2).sum()
            loss.backward()
            return loss

        if compiled:
            step = tl.compile(step)
        out = []
        for x in xs:
            x = x.clone()
            loss = step(x)
            out.append((loss.item(), x.detach().numpy().copy(), x.grad.numpy().copy()))
        return out

    for a, b in zip(run(False), run(True)):
        assert a[0] == b[0]
        np.testing.assert_array_equal(a[1], b[1])
        np.testing.assert_array_equal(a[2], b[2])


def test_replacing_a_layer_or_loading_optimizer_state_is_seen():
    def run(compiled):
        tl.manual_seed(0)
        model, (x, y) = _mlp(), _data()
        opt = tl.optim.Adam(model.parameters(), lr=0.01)
        step = _standard(model, opt)
        if compiled:
            step = tl.compile(step)
        losses = [step(x, y).item() for _ in range(5)]
        saved = opt.state_dict()  # keeps the current state tensors alive
        kept = [dict(s) for s in opt.state.values()]
        tl.manual_seed(1)
        model[3] = nn.Linear(16, 3)  # a new last layer (not in the optimizer)
        losses += [step(x, y).item() for _ in range(4)]
        opt.load_state_dict(saved)
        losses += [step(x, y).item() for _ in range(4)]
        assert kept
        return losses, [p.detach().numpy() for p in model.parameters()]

    a, b = run(False), run(True)
    assert a[0] == b[0]
    for p, q in zip(a[1], b[1]):
        np.testing.assert_array_equal(p, q)


def test_reseeding_inside_the_step_is_not_replayed():
    def run(compiled):
        def step(x):
            tl.manual_seed(3)
            return x + tl.rand(3)

        if compiled:
            step = tl.compile(step)
        return [step(tl.zeros(3)).numpy() for _ in range(5)]

    plain, compiled = run(False), run(True)
    assert tl.metrics.counters()["replays"] == 0
    # every call re-seeds, so every call repeats its draws. Compiled: call 1 runs plain (PyTorch's
    # CPU stream), calls 2-3 are recorded (jax keys, as torch.compile's numbers differ from eager
    # ones), the re-seed stops replays and the later calls run plain again
    for r in plain[1:] + [compiled[0]] + compiled[3:]:
        np.testing.assert_array_equal(r, plain[0])
    np.testing.assert_array_equal(compiled[2], compiled[1])


def test_random_ops_inside_draw_fresh_numbers_on_every_replay():
    def run(compiled):
        tl.manual_seed(0)

        def step(x):
            return x + tl.randn(4), tl.rand(2)

        if compiled:
            step = tl.compile(step)
        return [[t.numpy() for t in step(tl.zeros(4))] for _ in range(6)]

    a, b = run(False), run(True)
    assert tl.metrics.counters()["replays"] == 3
    # the first call runs plain (PyTorch's CPU stream, as an uncompiled call); recorded calls and
    # replays draw from jax keys (as torch.compile's numbers differ from eager ones), fresh each call
    for p, q in zip(a[0], b[0]):
        np.testing.assert_array_equal(p, q)
    firsts = [u[0].tobytes() for u in b]
    assert len(set(firsts)) == len(firsts)
    # and a compiled run is reproducible run to run
    for u, v in zip(b, run(True)):
        for p, q in zip(u, v):
            np.testing.assert_array_equal(p, q)


def test_torch_compiler_reset_and_dynamo_names():
    calls = []

    @tl.compile
    def f(x):
        return x * 2

    for _ in range(5):
        f(tl.ones(2))
    assert tl.metrics.counters()["replays"] == 2
    tl.compiler.reset()
    tl._dynamo.reset()
    tl._dynamo.config.suppress_errors = True
    tl._dynamo.mark_dynamic(tl.ones(2), 0)
    assert not tl.compiler.is_compiling()
    f(tl.ones(2))
    assert tl.metrics.counters()["replays"] == 2  # the first call after a reset runs plainly
    assert not calls


def test_a_buffer_shared_with_numpy_between_calls_stays_shared():
    def run(compiled):
        tl.manual_seed(0)
        model, (x, y) = _mlp(batchnorm=True), _data()
        opt = tl.optim.SGD(model.parameters(), lr=0.1)
        step = _standard(model, opt)
        if compiled:
            step = tl.compile(step)
        for _ in range(4):
            step(x, y)
        shared = model[1].running_mean.numpy()  # PyTorch: shares memory with the buffer
        for _ in range(3):
            step(x, y)
        return shared.copy(), model[1].running_mean.numpy().copy()

    a, b = run(False), run(True)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(b[0], b[1])  # the NumPy view followed the updates


def test_a_step_that_prints_prints_on_every_call(capsys):
    @tl.compile
    def step(x):
        print("in step", tuple(x.shape))
        return x * 2

    for _ in range(5):
        step(tl.ones(3))
    assert capsys.readouterr().out.count("in step (3,)") == 5
    assert tl.metrics.counters()["replays"] == 0
    assert "writes to stdout" in tl.metrics.report()


def test_rebinding_the_globals_a_step_names_is_seen():
    global _G_MODEL, _G_OPT
    x, y = _data()

    def fresh(seed):
        global _G_MODEL, _G_OPT
        tl.manual_seed(seed)
        _G_MODEL = _mlp()
        _G_OPT = tl.optim.SGD(_G_MODEL.parameters(), lr=0.1)

    def step(x, y):
        _G_OPT.zero_grad()
        loss = nn.CrossEntropyLoss()(_G_MODEL(x), y)
        loss.backward()
        _G_OPT.step()
        return loss

    comp = tl.compile(step)
    fresh(0)
    for _ in range(5):
        comp(x, y)
    old = _G_MODEL
    fresh(1)  # a new model and optimizer under the same names
    got = [comp(x, y).item() for _ in range(3)]
    fresh(1)
    expect = [step(x, y).item() for _ in range(3)]
    assert got == expect
    assert old is not _G_MODEL


_G_MODEL = _G_OPT = None


def test_parameter_edits_between_replays_are_seen():
    """A replay skips the checks of values it wrote itself; anything else written into a
    parameter between calls (in place, through ``.data``, a new shape) must still be read."""

    def between(i, model, opt):
        w = model[0].weight
        if i == 5:
            with tl.no_grad():
                w.mul_(0.5)  # in place: a new value in the same tensor
        if i == 7:
            w.data = w.data * 2.0  # a new array through .data
        if i == 9:
            model[0].bias.data.zero_()  # in place through a .data alias

    plain = _run(_standard, False, steps=12, between=between)
    comp = _run(_standard, True, steps=12, between=between)
    _same(plain, comp)
    assert comp[3]["replays"] >= 6


def test_a_parameter_given_a_new_shape_between_replays_is_not_replayed_stale():
    tl.manual_seed(0)
    model = nn.Linear(4, 2, bias=False)
    opt = tl.optim.SGD(model.parameters(), lr=0.1)

    @tl.compile
    def step(x):
        opt.zero_grad()
        loss = model(x).sum()
        loss.backward()
        opt.step()
        return loss

    x4 = tl.ones(3, 4)
    for _ in range(5):
        step(x4)
    assert tl.metrics.counters()["replays"] >= 2
    model.weight.data = tl.ones(2, 4) * 3.0  # same shape, new value
    assert step(x4).item() == pytest.approx(3 * 4 * 3.0 * 2)
    model.weight.data = tl.ones(3, 4)  # a new shape: the recorded program cannot take it
    assert step(x4).item() == pytest.approx(3 * 4 * 3.0)
    assert tuple(model.weight.grad.shape) == (3, 4)
