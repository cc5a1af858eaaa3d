"""Optimizer state_dict: PyTorch's structure, round trips within torchlike, to and from PyTorch."""

import copy

import numpy as np
import pytest

pt = pytest.importorskip("torch")
from test_optimizers import assert_params_match, assert_states_match, make_models, train_step  # noqa: E402

import torchlike as tl  # noqa: E402

CASES = [
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.01)),
    ("AdamW", dict(lr=0.01)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
    ("Adadelta", dict()),
    ("Adamax", dict()),
    ("NAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01)),
    ("ASGD", dict(lr=0.05, t0=2)),
    ("Rprop", dict(lr=0.001)),
]
IDS = [c[0] for c in CASES]


def to_tl(sd):
    """A PyTorch state_dict with every tensor as a torchlike tensor (what torch.load would give)."""

    def conv(v):
        if isinstance(v, pt.Tensor):
            return tl.tensor(v.detach().numpy())
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return type(v)(conv(x) for x in v)
        return v

    return conv(sd)


def to_pt(sd):
    def conv(v):
        if isinstance(v, tl.Tensor):
            return pt.tensor(v.detach().numpy())
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return type(v)(conv(x) for x in v)
        return v

    return conv(sd)


def test_structure_is_pytorchs():
    pm, tm = make_models()
    pp, tp = list(pm.parameters()), list(tm.parameters())
    po = pt.optim.Adam([{"params": pp[:2]}, {"params": pp[2:], "lr": 0.5}], lr=0.01)
    to = tl.optim.Adam([{"params": tp[:2]}, {"params": tp[2:], "lr": 0.5}], lr=0.01)
    assert to.state_dict() == {"state": {}, "param_groups": po.state_dict()["param_groups"]}
    train_step(pt, pm, po)
    train_step(tl, tm, to)
    ps, ts = po.state_dict(), to.state_dict()
    assert list(ts) == ["state", "param_groups"]
    assert ts["param_groups"] == ps["param_groups"]
    assert [g["params"] for g in ts["param_groups"]] == [[0, 1], [2, 3]]
    assert list(ts["state"]) == [0, 1, 2, 3]
    assert ts["state"][0]["step"].shape == () and ts["state"][0]["step"].dtype == tl.float32
    assert_states_match(po, to)


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_round_trip_within_torchlike_continues_identically(name, kwargs):
    _, tm = make_models()
    to = getattr(tl.optim, name)(tm.parameters(), **kwargs)
    for _ in range(4):
        train_step(tl, tm, to)
    tm2 = copy.deepcopy(tm)
    to2 = getattr(tl.optim, name)(
        tm2.parameters(), lr=0.123
    )  # hyper-parameters come from the state_dict
    to2.load_state_dict(to.state_dict())
    assert to2.param_groups[0]["lr"] == to.param_groups[0]["lr"]
    for _ in range(4):
        train_step(tl, tm, to)
        train_step(tl, tm2, to2)
    for a, b in zip(tm.parameters(), tm2.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_pytorch_state_dict_loads_and_continues_identically(name, kwargs):
    pm, tm = make_models()
    po = getattr(pt.optim, name)(pm.parameters(), **kwargs)
    for _ in range(5):
        train_step(pt, pm, po)
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    to = getattr(tl.optim, name)(tm.parameters(), lr=0.5)
    to.load_state_dict(to_tl(po.state_dict()))
    assert_states_match(po, to, rtol=0, atol=0)
    for _ in range(10):
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    tol = dict(rtol=1e-4, atol=1e-5) if name == "RMSprop" else {}
    assert_params_match(pm, tm, **tol)
    assert_states_match(po, to, **tol)


@pytest.mark.parametrize(
    "name,kwargs", CASES[:2] + CASES[4:5] + CASES[9:], ids=IDS[:2] + IDS[4:5] + IDS[9:]
)
def test_torchlike_state_dict_loads_into_pytorch(name, kwargs):
    pm, tm = make_models()
    to = getattr(tl.optim, name)(tm.parameters(), **kwargs)
    for _ in range(5):
        train_step(tl, tm, to)
    pm.load_state_dict({k: pt.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    po = getattr(pt.optim, name)(pm.parameters(), lr=0.5)
    po.load_state_dict(to_pt(to.state_dict()))
    for _ in range(10):
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    tol = dict(rtol=1e-4, atol=1e-5) if name == "RMSprop" else {}
    assert_params_match(pm, tm, **tol)
    assert_states_match(po, to, **tol)


def test_loaded_state_is_a_copy_and_step_keeps_its_dtype():
    _, tm = make_models()
    to = tl.optim.Adam(tm.parameters(), lr=0.01)
    train_step(tl, tm, to)
    sd = to_tl(to_pt(to.state_dict()))
    sd["state"][0]["exp_avg"] = sd["state"][0]["exp_avg"].double()
    saved = sd["state"][0]["exp_avg"].numpy().copy()
    to.load_state_dict(sd)
    assert to.state[tm[0].weight]["exp_avg"].dtype == tl.float32  # cast to the parameter's dtype
    assert to.state[tm[0].weight]["step"].dtype == tl.float32
    train_step(tl, tm, to)
    np.testing.assert_array_equal(sd["state"][0]["exp_avg"].numpy(), saved)


def test_load_rejects_mismatched_groups():
    _, tm = make_models()
    to = tl.optim.SGD(tm.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        to.load_state_dict({"state": {}, "param_groups": []})
    bad = {"state": {}, "param_groups": [dict(to.state_dict()["param_groups"][0], params=[0, 1])]}
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        to.load_state_dict(bad)


def test_adam_state_dict_without_newer_options_gets_their_defaults():
    _, tm = make_models()
    to = tl.optim.AdamW(tm.parameters(), lr=0.01)
    sd = to.state_dict()
    for g in sd["param_groups"]:
        del g["decoupled_weight_decay"], g["fused"]
    to.load_state_dict(sd)
    assert to.param_groups[0]["decoupled_weight_decay"] is True
    assert to.param_groups[0]["fused"] is None


def _lbfgs_pair():
    def closure_for(lib, x, opt):
        def closure():
            opt.zero_grad()
            f = (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
            f.backward()
            return f

        return closure

    start = np.array([-1.2, 1.0, 0.5, -0.5], np.float64)
    xp, xt = pt.tensor(start, requires_grad=True), tl.tensor(start, requires_grad=True)
    po = pt.optim.LBFGS([xp], max_iter=4, history_size=3, line_search_fn="strong_wolfe")
    to = tl.optim.LBFGS([xt], max_iter=4, history_size=3, line_search_fn="strong_wolfe")
    return (xp, po, closure_for(pt, xp, po)), (xt, to, closure_for(tl, xt, to))


def test_lbfgs_state_dict_from_pytorch_and_back():
    (xp, po, cp), (xt, to, ct) = _lbfgs_pair()
    for _ in range(3):
        po.step(cp)
    with pt.no_grad():
        xt_value = tl.tensor(xp.detach().numpy())
    xt.data = xt_value
    to.load_state_dict(to_tl(po.state_dict()))
    ts, ps = to.state_dict()["state"][0], po.state_dict()["state"][0]
    assert list(ts) == list(ps)
    assert len(ts["old_dirs"]) == len(ps["old_dirs"]) == 3
    for k in ("old_dirs", "old_stps", "ro"):
        for a, b in zip(ps[k], ts[k]):
            np.testing.assert_array_equal(b.numpy(), a.numpy())
    for _ in range(3):
        po.step(cp)
        to.step(ct)
    np.testing.assert_allclose(xt.detach().numpy(), xp.detach().numpy(), rtol=1e-9, atol=1e-10)
    assert to.state_dict()["state"][0]["func_evals"] == po.state_dict()["state"][0]["func_evals"]

    # and back into PyTorch
    po2 = pt.optim.LBFGS([xp], max_iter=4, history_size=3, line_search_fn="strong_wolfe")
    po2.load_state_dict(to_pt(to.state_dict()))
    po.step(cp)
    x_after_original = xp.detach().clone()
    with pt.no_grad():
        xp.copy_(pt.tensor(xt.detach().numpy()))
    po2.step(cp)
    np.testing.assert_allclose(xp.detach().numpy(), x_after_original.numpy(), rtol=1e-9, atol=1e-10)


def test_lbfgs_state_holds_pytorchs_history_lists():
    # optimizer.state[p] itself (not only state_dict()) has old_dirs/old_stps/ro/al, in PyTorch's
    # key order, with PyTorch's lengths and values, after each step
    (xp, po, cp), (xt, to, ct) = _lbfgs_pair()
    for _ in range(3):
        po.step(cp)
        to.step(ct)
        ps, ts = po.state[xp], to.state[xt]
        assert list(ts) == list(ps)
        for k in ("old_dirs", "old_stps", "ro", "al"):
            assert len(ts[k]) == len(ps[k]), k
            for a, b in zip(ps[k], ts[k]):
                assert (a is None) == (b is None), k
                if a is not None:
                    np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-7, atol=1e-12)


def test_lbfgs_single_iteration_step_has_no_al():
    # PyTorch creates `al` on the first iteration that computes a direction from the history
    xp = pt.tensor([1.0, -2.0], requires_grad=True)
    xt = tl.tensor([1.0, -2.0], requires_grad=True)
    states = []
    for lib, x in ((pt, xp), (tl, xt)):
        opt = lib.optim.LBFGS([x], max_iter=1)

        def closure(opt=opt, x=x):
            opt.zero_grad()
            loss = (x**2).sum()
            loss.backward()
            return loss

        opt.step(closure)
        states.append(list(opt.state[x]))
    assert states[0] == states[1]
    assert "al" not in states[1]
