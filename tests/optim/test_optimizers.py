"""Trajectory parity: each optimizer and option against PyTorch's, 20+ steps on the same model and data."""

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torchlike as tl  # noqa: E402

STEPS = 22
RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 4)).astype(np.float32)
Y = RNG.standard_normal((8, 2)).astype(np.float32)


def make_models():
    pt.manual_seed(0)  # a fixed start (an unseeded one made a rare case flaky)
    pm = pt.nn.Sequential(pt.nn.Linear(4, 5), pt.nn.Linear(5, 2))
    tm = tl.nn.Sequential(tl.nn.Linear(4, 5), tl.nn.Linear(5, 2))
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    return pm, tm


def train_step(lib, model, opt):
    opt.zero_grad()
    loss = ((model(lib.tensor(X)).tanh() - lib.tensor(Y)) ** 2).mean()
    loss.backward()
    opt.step()


def assert_states_match(po, to, rtol=1e-5, atol=1e-6):
    ps, ts = po.state_dict(), to.state_dict()
    assert ps["param_groups"] == ts["param_groups"]
    assert sorted(ps["state"]) == sorted(ts["state"])
    for i, pst in ps["state"].items():
        tst = ts["state"][i]
        assert list(pst) == list(tst), i
        for k, a in pst.items():
            b = tst[k]
            assert str(a.dtype) == str(b.dtype).replace("torchlike", "torch"), (k, a.dtype, b.dtype)
            np.testing.assert_allclose(
                b.numpy(), a.numpy(), rtol=rtol, atol=atol, err_msg=f"state {i}/{k}"
            )


def assert_params_match(pm, tm, rtol=1e-5, atol=1e-6):
    for (k, a), (k2, b) in zip(pm.state_dict().items(), tm.state_dict().items()):
        assert k == k2
        np.testing.assert_allclose(b.numpy(), a.detach().numpy(), rtol=rtol, atol=atol, err_msg=k)


CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True, betas=(0.8, 0.99))),
    ("Adam", dict(lr=0.01, maximize=True, eps=1e-6)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.3, amsgrad=True)),
    ("Adagrad", dict(lr=0.1)),
    (
        "Adagrad",
        dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.1, eps=1e-6, weight_decay=0.01),
    ),
    ("Adagrad", dict(lr=0.1, maximize=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-4, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5)),
    ("RMSprop", dict(lr=0.005, centered=True, momentum=0.5, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.01)),
    ("Adadelta", dict(maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01, maximize=True)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, momentum_decay=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, betas=(0.9, 0.9))),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=1e-3, alpha=0.5, t0=5, weight_decay=0.01)),
    ("ASGD", dict(lr=0.05, t0=3, maximize=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.001, etas=(0.3, 1.5), step_sizes=(1e-4, 0.01))),
    ("Rprop", dict(lr=0.001, maximize=True)),
]


@pytest.mark.parametrize(
    "name,kwargs", CASES, ids=[f"{n}-{'-'.join(k) or 'default'}" for n, k in CASES]
)
def test_trajectory_matches_pytorch(name, kwargs):
    pm, tm = make_models()
    po = getattr(pt.optim, name)(pm.parameters(), **kwargs)
    to = getattr(tl.optim, name)(tm.parameters(), **kwargs)
    for _ in range(STEPS):
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    # RMSprop's first steps divide by sqrt of a tiny running average (and centered RMSprop by a
    # difference of two): float32 rounding grows faster there; float64 agrees to 1e-15 (below)
    tol = dict(rtol=1e-4, atol=1e-5) if name == "RMSprop" else {}
    assert_params_match(pm, tm, **tol)
    assert_states_match(po, to, **tol)


FLOAT64_CASES = [c for c in CASES if c[0] in ("RMSprop", "NAdam", "RAdam", "ASGD", "Rprop")][::2]


@pytest.mark.parametrize(
    "name,kwargs", FLOAT64_CASES, ids=[f"{n}-{'-'.join(k) or 'default'}" for n, k in FLOAT64_CASES]
)
def test_float64_trajectory_is_exact(name, kwargs):
    pt_default, tl_default = pt.get_default_dtype(), tl.get_default_dtype()
    pt.set_default_dtype(pt.float64)
    tl.set_default_dtype(tl.float64)
    try:
        pm, tm = make_models()
        po = getattr(pt.optim, name)(pm.parameters(), **kwargs)
        to = getattr(tl.optim, name)(tm.parameters(), **kwargs)
        for _ in range(STEPS):
            for lib, m, o in ((pt, pm, po), (tl, tm, to)):
                o.zero_grad()
                x, y = lib.tensor(X.astype(np.float64)), lib.tensor(Y.astype(np.float64))
                ((m(x).tanh() - y) ** 2).mean().backward()
                o.step()
        assert_params_match(pm, tm, rtol=1e-12, atol=1e-13)
        assert_states_match(po, to, rtol=1e-12, atol=1e-13)
    finally:
        pt.set_default_dtype(pt_default)
        tl.set_default_dtype(tl_default)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "RAdam", "ASGD"])
def test_lr_changed_by_hand_and_by_scheduler_follows_pytorch_without_recompiles(name):
    kwargs = {"SGD": dict(lr=0.1, momentum=0.9), "RMSprop": dict(lr=0.01, momentum=0.3)}.get(
        name, dict(lr=0.01)
    )
    pm, tm = make_models()
    po = getattr(pt.optim, name)(pm.parameters(), **kwargs)
    to = getattr(tl.optim, name)(tm.parameters(), **kwargs)
    ps = pt.optim.lr_scheduler.StepLR(po, step_size=3, gamma=0.5)
    ts = tl.optim.lr_scheduler.StepLR(to, step_size=3, gamma=0.5)
    for step in range(STEPS):
        if step == 3:
            compiles = tl.metrics.counters()["compiles"]
        if step == 11:  # by hand, as users do
            for g in po.param_groups + to.param_groups:
                g["lr"] = 0.003
        train_step(pt, pm, po)
        train_step(tl, tm, to)
        ps.step()
        ts.step()
    assert tl.metrics.counters()["compiles"] == compiles
    assert ts.get_last_lr() == ps.get_last_lr()
    # RMSprop divides by sqrt of a tiny running average early on: float32 rounding shows (see above)
    tol = dict(rtol=1e-4, atol=1e-5) if name == "RMSprop" else {}
    assert_params_match(pm, tm, **tol)
    assert_states_match(po, to, **tol)


def test_param_groups_with_their_own_options():
    pm, tm = make_models()
    pp, tp = list(pm.parameters()), list(tm.parameters())
    po = pt.optim.SGD([{"params": pp[:2]}, {"params": pp[2:], "lr": 0.01, "momentum": 0.5}], lr=0.1)
    to = tl.optim.SGD([{"params": tp[:2]}, {"params": tp[2:], "lr": 0.01, "momentum": 0.5}], lr=0.1)
    for _ in range(STEPS):
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    assert_params_match(pm, tm)
    assert_states_match(po, to)
    assert repr(to) == repr(po)


def test_frozen_and_gradless_parameters_are_untouched_and_get_no_state():
    pm, tm = make_models()
    for m in (pm, tm):
        m[0].weight.requires_grad_(False)
    extra_p, extra_t = (
        pt.nn.Parameter(pt.ones(3)),
        tl.nn.Parameter(tl.ones(3)),
    )  # never receives a gradient
    po = pt.optim.Adam(list(pm.parameters()) + [extra_p], lr=0.01)
    to = tl.optim.Adam(list(tm.parameters()) + [extra_t], lr=0.01)
    frozen = tm[0].weight.detach().numpy().copy()
    for _ in range(5):
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    np.testing.assert_array_equal(tm[0].weight.detach().numpy(), frozen)
    np.testing.assert_array_equal(extra_t.detach().numpy(), np.ones(3, np.float32))
    assert sorted(to.state_dict()["state"]) == sorted(po.state_dict()["state"]) == [1, 2, 3]
    assert_params_match(pm, tm)


def test_tensor_lr_is_a_program_input():
    pm, tm = make_models()
    po = pt.optim.Adam(pm.parameters(), lr=pt.tensor(0.01))
    to = tl.optim.Adam(tm.parameters(), lr=tl.tensor(0.01))
    for step in range(8):
        if step == 3:
            compiles = tl.metrics.counters()["compiles"]
        po.param_groups[0]["lr"].fill_(0.01 / (step + 1))  # a schedule kept in a tensor
        to.param_groups[0]["lr"].fill_(0.01 / (step + 1))
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    assert tl.metrics.counters()["compiles"] == compiles
    assert_params_match(pm, tm)


def test_closure_is_called_with_grad_and_its_loss_returned():
    pm, tm = make_models()
    to = tl.optim.SGD(tm.parameters(), lr=0.1)

    def closure():
        to.zero_grad()
        loss = ((tm(tl.tensor(X)) - tl.tensor(Y)) ** 2).mean()
        loss.backward()
        return loss

    with tl.no_grad():
        loss = to.step(closure)
    assert isinstance(loss, tl.Tensor) and loss.requires_grad


@pytest.mark.parametrize(
    "name,kwargs,message",
    [
        ("SGD", dict(lr=-1), "Invalid learning rate: -1"),
        (
            "SGD",
            dict(momentum=0.9, dampening=0.1, nesterov=True),
            "Nesterov momentum requires a momentum",
        ),
        ("Adam", dict(betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
        ("Adam", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
        ("Adagrad", dict(lr_decay=-1), "Invalid lr_decay value: -1"),
        ("RMSprop", dict(alpha=-1), "Invalid alpha value: -1"),
        ("Adadelta", dict(rho=2), "Invalid rho value: 2"),
        ("NAdam", dict(momentum_decay=-1), "Invalid momentum_decay value: -1"),
        ("Rprop", dict(etas=(1.5, 1.2)), "Invalid eta values: 1.5, 1.2"),
    ],
)
def test_invalid_arguments_raise_pytorchs_errors(name, kwargs, message):
    with pytest.raises(ValueError, match=message) as theirs:
        getattr(pt.optim, name)([pt.nn.Parameter(pt.zeros(2))], **kwargs)
    with pytest.raises(ValueError) as ours:
        getattr(tl.optim, name)([tl.nn.Parameter(tl.zeros(2))], **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_sparse_adam_refuses_dense_gradients_clearly():
    w = tl.nn.Parameter(tl.ones(3))
    opt = tl.optim.SparseAdam([w], lr=0.1)
    (w * 2).sum().backward()
    with pytest.raises(RuntimeError, match="SparseAdam does not support dense gradients"):
        opt.step()
    with pytest.raises(ValueError, match="Invalid learning rate"):
        tl.optim.SparseAdam([w], lr=0.0)


def test_foreach_capturable_differentiable_fused_are_accepted():
    pm, tm = make_models()
    po = pt.optim.Adam(
        pm.parameters(), lr=0.01, foreach=False, capturable=False, differentiable=False
    )
    to = tl.optim.Adam(
        tm.parameters(), lr=0.01, foreach=True, capturable=True, differentiable=False, fused=None
    )
    for _ in range(5):
        train_step(pt, pm, po)
        train_step(tl, tm, to)
    assert_params_match(pm, tm)
    with pytest.raises(RuntimeError, match="`fused` does not support `differentiable`"):
        tl.optim.Adam(tm.parameters(), fused=True, differentiable=True)


def _lbfgs_run(lib, fn, dtype, steps, **kwargs):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((5, 5))
    a = (a @ a.T + np.eye(5)).astype(dtype)
    b = rng.standard_normal(5).astype(dtype)
    x = lib.tensor(np.array([-1.2, 1.0, 0.5, -0.5, 0.3], dtype), requires_grad=True)
    at, bt = lib.tensor(a), lib.tensor(b)
    opt = lib.optim.LBFGS([x], **kwargs)

    def closure():
        opt.zero_grad()
        if fn == "quadratic":
            f = 0.5 * (x * (at @ x)).sum() - (bt * x).sum()
        else:
            f = (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
        f.backward()
        return f

    losses, trajectory = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure).detach()))
        trajectory.append(x.detach().numpy().copy())
    st = opt.state_dict()["state"][0]
    return np.array(losses), np.array(trajectory), st


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lbfgs_step_length_state_has_the_parameters_dtype(dtype):
    """After a first iteration, PyTorch's ``state['t']`` is a 0-d tensor of the parameters' dtype."""
    _, _, pst = _lbfgs_run(pt, "quadratic", dtype, 1, max_iter=1)
    _, _, tst = _lbfgs_run(tl, "quadratic", dtype, 1, max_iter=1)
    assert isinstance(tst["t"], tl.Tensor) and tst["t"].shape == ()
    assert str(tst["t"].dtype) == str(pst["t"].dtype)
    np.testing.assert_allclose(tst["t"].item(), pst["t"].item(), rtol=1e-6)


@pytest.mark.parametrize(
    "fn,dtype,kwargs,tol",
    [
        (
            "quadratic",
            np.float64,
            dict(line_search_fn="strong_wolfe", max_iter=10, history_size=3),
            1e-9,
        ),
        ("quadratic", np.float32, dict(lr=0.05, max_iter=10, history_size=4), 1e-5),
        (
            "rosenbrock",
            np.float64,
            dict(line_search_fn="strong_wolfe", max_iter=20, history_size=4),
            1e-6,
        ),
        (
            "rosenbrock",
            np.float64,
            dict(lr=0.01, max_iter=15, history_size=10, tolerance_change=1e-12),
            1e-9,
        ),
    ],
    ids=[
        "quadratic-strong_wolfe",
        "quadratic-fixed_step",
        "rosenbrock-strong_wolfe",
        "rosenbrock-fixed_step",
    ],
)
def test_lbfgs_matches_pytorch(fn, dtype, kwargs, tol):
    pl, ptraj, pst = _lbfgs_run(pt, fn, dtype, 4, **kwargs)
    tl_, ttraj, tst = _lbfgs_run(tl, fn, dtype, 4, **kwargs)
    assert (tst["func_evals"], tst["n_iter"]) == (pst["func_evals"], pst["n_iter"])
    assert list(tst) == list(pst)
    np.testing.assert_allclose(tl_, pl, rtol=tol, atol=tol)
    np.testing.assert_allclose(ttraj, ptraj, rtol=tol, atol=tol)
    for k in ("d", "prev_flat_grad"):
        np.testing.assert_allclose(tst[k].numpy(), pst[k].numpy(), rtol=tol * 10, atol=tol * 10)
    assert len(tst["old_dirs"]) == len(pst["old_dirs"])
    assert [a is None for a in tst["al"]] == [a is None for a in pst["al"]]
