"""Adafactor and Muon against PyTorch's: trajectories, state names, state_dict round trips, errors,
and no recompiles in a training loop."""

import io

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl  # noqa: E402

STEPS = 20
RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 4)).astype(np.float32)
Y = RNG.standard_normal((8, 3)).astype(np.float32)
# a matrix (factored moments), a vector (a full variance), a 3-D tensor (batched factors)
SHAPES = [(5, 4), (5,), (3, 5, 3)]
W0 = [RNG.standard_normal(s) for s in SHAPES]


def _params(lib, dtype="float32", shapes=SHAPES, init=W0):
    return [lib.nn.Parameter(lib.tensor(w, dtype=getattr(lib, dtype))) for w in init[: len(shapes)]]


def _loss(lib, ps):
    x = lib.tensor(X, dtype=ps[0].dtype)
    h = (x @ ps[0].t()).tanh()
    if len(ps) > 1 and ps[1].dim() == 1:
        h = h + ps[1]
    out = h @ ps[-1].reshape(-1, 3)[:5] if ps[-1].dim() == 3 else h @ ps[-1][:, :3]
    return ((out - lib.tensor(Y, dtype=ps[0].dtype)) ** 2).mean()


def _run(lib, name, kw, dtype="float32", shapes=SHAPES, steps=STEPS):
    ps = _params(lib, dtype, shapes)
    opt = getattr(lib.optim, name)(ps, **kw)
    for _ in range(steps):
        opt.zero_grad()
        _loss(lib, ps).backward()
        opt.step()
    return ps, opt


def _assert_same(pps, tps, po, to, rtol, atol):
    for a, b in zip(pps, tps):
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=rtol, atol=atol)
    ps, ts = po.state_dict(), to.state_dict()
    assert ps["param_groups"] == ts["param_groups"]
    assert sorted(ps["state"]) == sorted(ts["state"])
    for i, pst in ps["state"].items():
        tst = ts["state"][i]
        assert list(pst) == list(tst)
        for k, a in pst.items():
            assert str(tst[k].dtype).replace("torchlike", "torch") == str(a.dtype), k
            assert tuple(tst[k].shape) == tuple(a.shape), k
            np.testing.assert_allclose(tst[k].numpy(), a.numpy(), rtol=rtol, atol=atol, err_msg=k)


ADAFACTOR = [
    {},
    {"lr": 0.1, "weight_decay": 0.1},
    {"maximize": True},
    {"eps": (1e-20, 1e-2), "d": 2.0, "beta2_decay": -0.5},
    {"lr": 0.3, "foreach": True},
]


@pytest.mark.parametrize("kw", ADAFACTOR, ids=[str(i) for i in range(len(ADAFACTOR))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_adafactor_trajectory_matches_pytorch(kw, dtype):
    pps, po = _run(pt, "Adafactor", kw, dtype)
    tps, to = _run(tl, "Adafactor", kw, dtype)
    tol = 1e-5 if dtype == "float32" else 1e-12
    _assert_same(pps, tps, po, to, tol, tol)


def test_adafactor_state_names_and_shapes():
    _, po = _run(pt, "Adafactor", {}, steps=1)
    _, to = _run(tl, "Adafactor", {}, steps=1)
    assert [list(s) for s in po.state_dict()["state"].values()] == [
        list(s) for s in to.state_dict()["state"].values()
    ]
    assert list(to.state_dict()["state"][0]) == ["step", "row_var", "col_var"]
    assert list(to.state_dict()["state"][1]) == ["step", "variance"]
    assert to.state_dict()["state"][2]["row_var"].shape == (3, 5, 1)
    assert to.state_dict()["state"][2]["col_var"].shape == (3, 1, 3)


MUON = [
    {"lr": 0.02},
    {"lr": 0.02, "nesterov": False, "adjust_lr_fn": "match_rms_adamw", "weight_decay": 0.0},
    {"lr": 0.05, "momentum": 0.5, "ns_steps": 3, "adjust_lr_fn": "original"},
]


@pytest.mark.parametrize("kw", MUON, ids=[str(i) for i in range(len(MUON))])
def test_muon_trajectory_matches_pytorch(kw):
    shapes = [(5, 4), (4, 3)]  # a wide and a tall matrix (the iteration transposes the tall one)
    init = [W0[0], RNG.standard_normal((4, 3))]

    def run(lib):
        ps = [lib.nn.Parameter(lib.tensor(w, dtype=lib.float32)) for w in init]
        opt = lib.optim.Muon(ps, **kw)
        for _ in range(STEPS):
            opt.zero_grad()
            x = lib.tensor(X)
            loss = (((x @ ps[0].t()).tanh()[:, :4] @ ps[1]) - lib.tensor(Y)).pow(2).mean()
            loss.backward()
            opt.step()
        return ps, opt

    pps, po = run(pt)
    tps, to = run(tl)
    assert shapes == [tuple(p.shape) for p in tps]
    # bfloat16 iterations: the update's rounding differs only where float32 sums differ in order
    _assert_same(pps, tps, po, to, 1e-4, 1e-4)


def test_muon_rejects_non_2d_parameters_with_pytorch_message():
    msgs = []
    for lib in (pt, tl):
        with pytest.raises(ValueError) as e:
            lib.optim.Muon([lib.nn.Parameter(lib.zeros(3))])
        msgs.append(str(e.value).replace("torchlike", "torch"))
    assert msgs[0] == msgs[1]


@pytest.mark.parametrize(
    "name,kw",
    [
        ("Adafactor", {"lr": -1.0}),
        ("Adafactor", {"beta2_decay": 0.5}),
        ("Adafactor", {"eps": (-1.0, 1e-3)}),
        ("Adafactor", {"d": 0.5}),
        ("Adafactor", {"weight_decay": -0.1}),
        ("Muon", {"momentum": -0.1}),
        ("Muon", {"adjust_lr_fn": "other"}),
    ],
)
def test_argument_errors_match_pytorch(name, kw):
    msgs = []
    for lib in (pt, tl):
        with pytest.raises(ValueError) as e:
            getattr(lib.optim, name)([lib.nn.Parameter(lib.zeros(2, 2))], **kw)
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


def test_muon_step_errors_match_pytorch():
    msgs = []
    for lib in (pt, tl):
        p = lib.nn.Parameter(lib.ones(2, 2))
        opt = lib.optim.Muon([p], ns_steps=100)
        p.grad = lib.ones(2, 2)
        with pytest.raises(ValueError) as e:
            opt.step()
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


@pytest.mark.parametrize("name,kw", [("Adafactor", {"lr": 0.05}), ("Muon", {"lr": 0.02})])
def test_state_dict_round_trips_with_pytorch(name, kw):
    shapes = [(5, 4)] if name == "Muon" else SHAPES

    def sd_bytes(opt, lib):
        buf = io.BytesIO()
        lib.save(opt.state_dict(), buf)
        return buf.getvalue()

    # PyTorch's state continues in torchlike exactly as it continues in PyTorch
    pps, po = _run(pt, name, kw, shapes=shapes, steps=5)
    tps = [tl.nn.Parameter(tl.tensor(p.detach().numpy())) for p in pps]
    to = getattr(tl.optim, name)(tps, **kw)
    to.load_state_dict(tl.load(io.BytesIO(sd_bytes(po, pt))))
    for _ in range(5):
        for lib, ps, opt in ((pt, pps, po), (tl, tps, to)):
            opt.zero_grad()
            _loss(lib, ps).backward()
            opt.step()
    _assert_same(pps, tps, po, to, 1e-4, 1e-5)
    # and torchlike's state loads back into PyTorch
    back = pt.load(io.BytesIO(sd_bytes(to, tl)))
    po2 = getattr(pt.optim, name)([pt.nn.Parameter(p.detach().clone()) for p in pps], **kw)
    po2.load_state_dict(back)
    assert list(po2.state_dict()["state"][0]) == list(po.state_dict()["state"][0])
    assert po2.state_dict()["state"][0]["momentum_buffer" if name == "Muon" else "step"].dtype == pt.float32


@pytest.mark.parametrize("name,kw", [("Adafactor", {"lr": 0.05}), ("Muon", {"lr": 0.02})])
def test_training_loop_does_not_recompile_after_warm_up(name, kw):
    model = tl.nn.Linear(4, 3, bias=False)
    opt = getattr(tl.optim, name)(model.parameters(), **kw)
    x, y = tl.tensor(X), tl.tensor(Y)

    def step():
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(3):
        step()
    before = tl.metrics.counters()["compiles"]
    for i in range(5):
        opt.param_groups[0]["lr"] = kw["lr"] * (0.9**i)  # a schedule: inputs, not constants
        step()
    assert tl.metrics.counters()["compiles"] == before
