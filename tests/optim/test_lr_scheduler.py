"""Learning-rate schedulers against PyTorch's, stepped side by side.

The real scheduler runs over a real ``torch.optim`` optimizer; ours over a
duck-typed stand-in holding the same hyper-parameters, as a ``torchlike.optim``
optimizer will. Both see ``optimizer.step()`` then ``scheduler.step()``.
"""

import copy
import gc
import math
import pickle
import types
import warnings
import weakref

import numpy as np
import pytest
import torch

from torchlike.optim import lr_scheduler as tl_sched
from torchlike.optim import swa_utils as tl_swa

THEIRS = types.SimpleNamespace(**vars(torch.optim.lr_scheduler), SWALR=torch.optim.swa_utils.SWALR)
OURS = types.SimpleNamespace(**vars(tl_sched), SWALR=tl_swa.SWALR)
REL = 1e-12


class StandInOptimizer:
    """Hyper-parameter dicts copied from a torch optimizer; ``step`` does nothing."""

    def __init__(self, torch_opt=None, groups=None):
        if groups is None:
            groups = [{k: v for k, v in g.items() if k != "params"} for g in torch_opt.param_groups]
        self.param_groups = groups

    def step(self, closure=None):
        return None


def torch_optimizer(kind="sgd", lrs=(0.1, 0.05)):
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    return torch.optim.Adam(groups, lr=0.1, betas=(0.9, 0.999))


class Warmup:
    """A callable object: LambdaLR saves its __dict__ in state_dict."""

    def __init__(self, steps):
        self.steps = steps

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.steps)


class ScaleByCycle:
    def __init__(self, decay):
        self.decay = decay

    def __call__(self, cycle):
        return self.decay ** (cycle - 1)


# (id, optimizer kind, factory(M, optimizer))
CASES = [
    ("lambda", "sgd", lambda M, o: M.LambdaLR(o, lambda e: 0.95**e)),
    ("lambda_per_group", "adam", lambda M, o: M.LambdaLR(o, [Warmup(7), lambda e: 1 / (e + 1)])),
    ("multiplicative", "sgd", lambda M, o: M.MultiplicativeLR(o, lambda e: 0.97)),
    ("step", "sgd", lambda M, o: M.StepLR(o, step_size=7, gamma=0.5)),
    ("multistep_repeated", "sgd", lambda M, o: M.MultiStepLR(o, [10, 30, 30, 60], gamma=0.3)),
    ("exponential", "adam", lambda M, o: M.ExponentialLR(o, gamma=0.96)),
    ("constant", "sgd", lambda M, o: M.ConstantLR(o, factor=0.25, total_iters=8)),
    ("linear_warmup", "sgd", lambda M, o: M.LinearLR(o, start_factor=0.1, total_iters=20)),
    (
        "linear_decay",
        "sgd",
        lambda M, o: M.LinearLR(o, start_factor=1.0, end_factor=0.05, total_iters=60),
    ),
    ("polynomial", "sgd", lambda M, o: M.PolynomialLR(o, total_iters=70, power=2.0)),
    ("cosine", "sgd", lambda M, o: M.CosineAnnealingLR(o, T_max=30, eta_min=1e-3)),
    ("cosine_short_period", "adam", lambda M, o: M.CosineAnnealingLR(o, T_max=10)),
    ("warm_restarts", "sgd", lambda M, o: M.CosineAnnealingWarmRestarts(o, T_0=10)),
    (
        "warm_restarts_tmult",
        "sgd",
        lambda M, o: M.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=1e-4),
    ),
    ("onecycle_cos_sgd", "sgd", lambda M, o: M.OneCycleLR(o, max_lr=1.0, total_steps=100)),
    (
        "onecycle_linear_adam",
        "adam",
        lambda M, o: M.OneCycleLR(
            o, max_lr=[0.5, 0.2], epochs=10, steps_per_epoch=10, anneal_strategy="linear"
        ),
    ),
    (
        "onecycle_three_phase",
        "sgd",
        lambda M, o: M.OneCycleLR(
            o, max_lr=0.8, total_steps=120, pct_start=0.25, three_phase=True, base_momentum=0.8
        ),
    ),
    (
        "onecycle_no_momentum",
        "sgd",
        lambda M, o: M.OneCycleLR(
            o,
            max_lr=0.3,
            total_steps=100,
            cycle_momentum=False,
            div_factor=10.0,
            final_div_factor=100.0,
        ),
    ),
    ("cyclic_triangular", "sgd", lambda M, o: M.CyclicLR(o, 0.01, 0.1, step_size_up=7)),
    (
        "cyclic_triangular2_adam",
        "adam",
        lambda M, o: M.CyclicLR(
            o, [1e-3, 2e-3], [1e-2, 2e-2], step_size_up=5, step_size_down=10, mode="triangular2"
        ),
    ),
    (
        "cyclic_exp_range",
        "sgd",
        lambda M, o: M.CyclicLR(o, 0.01, 0.1, step_size_up=6, mode="exp_range", gamma=0.98),
    ),
    (
        "cyclic_scale_fn_iterations",
        "sgd",
        lambda M, o: M.CyclicLR(
            o,
            0.01,
            0.1,
            step_size_up=4,
            scale_fn=lambda x: 1 / (1 + 0.01 * x),
            scale_mode="iterations",
            cycle_momentum=False,
        ),
    ),
    (
        "cyclic_scale_fn_object",
        "sgd",
        lambda M, o: M.CyclicLR(o, 0.02, 0.2, step_size_up=8, scale_fn=ScaleByCycle(0.7)),
    ),
    (
        "sequential",
        "sgd",
        lambda M, o: M.SequentialLR(
            o, [M.LinearLR(o, 0.1, total_iters=10), M.ExponentialLR(o, 0.95)], milestones=[10]
        ),
    ),
    (
        "sequential_three",
        "adam",
        lambda M, o: M.SequentialLR(
            o,
            [
                M.ConstantLR(o, 0.5, total_iters=5),
                M.CosineAnnealingLR(o, T_max=20),
                M.StepLR(o, 10, 0.5),
            ],
            milestones=[15, 50],
        ),
    ),
    (
        "chained",
        "sgd",
        lambda M, o: M.ChainedScheduler(
            [M.ConstantLR(o, 0.1, total_iters=10), M.ExponentialLR(o, 0.97)]
        ),
    ),
    (
        "chained_with_optimizer",
        "sgd",
        lambda M, o: M.ChainedScheduler(
            [M.LinearLR(o, 0.5, total_iters=20), M.CosineAnnealingLR(o, T_max=25)], optimizer=o
        ),
    ),
    ("swalr_cos", "sgd", lambda M, o: M.SWALR(o, swa_lr=0.01, anneal_epochs=15)),
    (
        "swalr_linear_per_group",
        "adam",
        lambda M, o: M.SWALR(o, swa_lr=[0.01, 0.02], anneal_epochs=5, anneal_strategy="linear"),
    ),
    ("swalr_no_annealing", "sgd", lambda M, o: M.SWALR(o, swa_lr=0.03, anneal_epochs=0)),
]
CASE_IDS = [c[0] for c in CASES]


def build(kind, factory):
    topt = torch_optimizer(kind)
    fopt = StandInOptimizer(topt)
    return topt, fopt, factory(THEIRS, topt), factory(OURS, fopt)


def assert_same(topt, fopt, theirs, ours):
    assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=REL, abs=0)
    assert getattr(ours, "last_epoch", None) == getattr(theirs, "last_epoch", None)
    for tg, fg in zip(topt.param_groups, fopt.param_groups):
        assert type(fg["lr"]) is float
        assert fg["lr"] == pytest.approx(tg["lr"], rel=REL, abs=0)
        for key in ("momentum", "betas"):
            if key in tg:
                assert fg[key] == pytest.approx(tg[key], rel=REL, abs=0)


def advance(topt, fopt, theirs, ours, steps):
    for _ in range(steps):
        topt.step()
        fopt.step()
        theirs.step()
        ours.step()
        assert_same(topt, fopt, theirs, ours)


def state_keys(state):
    """Key structure of a state_dict, descending into composed schedulers."""
    children = state.get("_schedulers")
    return (frozenset(state), tuple(state_keys(c) for c in children) if children else ())


@pytest.mark.parametrize("name,kind,factory", CASES, ids=CASE_IDS)
def test_schedule_matches_pytorch_for_100_steps(name, kind, factory):
    topt, fopt, theirs, ours = build(kind, factory)
    assert_same(topt, fopt, theirs, ours)
    advance(topt, fopt, theirs, ours, 100)
    assert state_keys(ours.state_dict()) == state_keys(theirs.state_dict())


@pytest.mark.parametrize("source", ["ours", "pytorch"])
@pytest.mark.parametrize("name,kind,factory", CASES, ids=CASE_IDS)
def test_state_dict_resumes_the_schedule(name, kind, factory, source):
    topt, fopt, theirs, ours = build(kind, factory)
    advance(topt, fopt, theirs, ours, 40)
    saved = (ours if source == "ours" else theirs).state_dict()
    saved = pickle.loads(pickle.dumps(saved))  # as torch.save / torch.load would
    fresh_opt = StandInOptimizer(torch_optimizer(kind))
    resumed = factory(OURS, fresh_opt)
    fresh_opt.param_groups = copy.deepcopy(fopt.param_groups)  # optimizer.load_state_dict
    resumed.load_state_dict(saved)
    assert_same(topt, fresh_opt, theirs, resumed)
    advance(topt, fresh_opt, theirs, resumed, 60)


def test_lambda_state_dict_saves_callable_objects_not_functions():
    opt = StandInOptimizer(groups=[{"lr": 0.1}, {"lr": 0.2}])
    sched = tl_sched.LambdaLR(opt, [Warmup(3), lambda e: 1.0])
    assert sched.state_dict()["lr_lambdas"] == [{"steps": 3}, None]
    other = tl_sched.LambdaLR(StandInOptimizer(groups=[{"lr": 0.1}, {"lr": 0.2}]), [Warmup(9), abs])
    other.load_state_dict(sched.state_dict())
    assert other.lr_lambdas[0].steps == 3


# -- ReduceLROnPlateau -------------------------------------------------------------------


def metric_sequence(n=100):
    """Improves, stalls, wobbles: enough plateaus to trigger every branch."""
    return [max(0.3, 1.0 - 0.04 * i) + 0.02 * math.sin(1.7 * i) for i in range(n)]


PLATEAU_CASES = [
    ("defaults", {}),
    ("max_abs", dict(mode="max", threshold_mode="abs", threshold=0.01, patience=2)),
    ("min_rel_cooldown", dict(patience=1, cooldown=3, factor=0.5, min_lr=[1e-3, 5e-3])),
    ("large_eps", dict(patience=0, factor=0.5, eps=5e-3)),
    ("max_rel_cooldown", dict(mode="max", threshold=0.05, cooldown=2, patience=3, min_lr=0.01)),
    ("min_abs", dict(threshold_mode="abs", threshold=0.02, patience=4, factor=0.3)),
]


def plateau_metrics(kwargs):
    if kwargs.get("mode") == "max":
        return [2.0 - m for m in metric_sequence()]
    return metric_sequence()


@pytest.mark.parametrize("kwargs", [c[1] for c in PLATEAU_CASES], ids=[c[0] for c in PLATEAU_CASES])
def test_reduce_on_plateau_matches_pytorch(kwargs):
    topt = torch_optimizer("sgd")
    fopt = StandInOptimizer(topt)
    theirs = THEIRS.ReduceLROnPlateau(topt, **kwargs)
    ours = OURS.ReduceLROnPlateau(fopt, **kwargs)
    lrs_seen = set()
    for i, metric in enumerate(plateau_metrics(kwargs)):
        theirs.step(metric)
        ours.step(np.float64(metric) if i % 2 else metric)
        assert_same(topt, fopt, theirs, ours)
        assert (ours.best, ours.num_bad_epochs, ours.cooldown_counter) == (
            theirs.best,
            theirs.num_bad_epochs,
            theirs.cooldown_counter,
        )
        lrs_seen.add(ours.get_last_lr()[0])
    assert len(lrs_seen) > 1  # the sequence did trigger reductions
    assert set(ours.state_dict()) == set(theirs.state_dict())


@pytest.mark.parametrize("kwargs", [c[1] for c in PLATEAU_CASES], ids=[c[0] for c in PLATEAU_CASES])
def test_reduce_on_plateau_state_dict_resumes(kwargs):
    topt = torch_optimizer("sgd")
    fopt = StandInOptimizer(topt)
    theirs = THEIRS.ReduceLROnPlateau(topt, **kwargs)
    ours = OURS.ReduceLROnPlateau(fopt, **kwargs)
    metrics = plateau_metrics(kwargs)
    for metric in metrics[:50]:
        theirs.step(metric)
        ours.step(metric)
    fresh_opt = StandInOptimizer(groups=copy.deepcopy(fopt.param_groups))
    resumed = OURS.ReduceLROnPlateau(fresh_opt)  # defaults: everything comes from the state
    resumed.load_state_dict(pickle.loads(pickle.dumps(ours.state_dict())))
    for metric in metrics[50:]:
        theirs.step(metric)
        resumed.step(metric)
        assert_same(topt, fresh_opt, theirs, resumed)


def test_reduce_on_plateau_rejects_bad_arguments():
    opt = StandInOptimizer(groups=[{"lr": 0.1}, {"lr": 0.2}])
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        tl_sched.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 3"):
        tl_sched.ReduceLROnPlateau(opt, min_lr=[0, 0, 0])
    with pytest.raises(ValueError, match="mode middle is unknown!"):
        tl_sched.ReduceLROnPlateau(opt, mode="middle")


# -- warnings ----------------------------------------------------------------------------


def fresh_pair():
    opt = StandInOptimizer(groups=[{"lr": 0.1, "momentum": 0.9}])
    return opt, tl_sched.StepLR(opt, step_size=2)


def test_scheduler_step_before_optimizer_step_warns():
    opt, sched = fresh_pair()
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before"):
        sched.step()


def test_optimizer_step_first_is_silent():
    opt, sched = fresh_pair()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            opt.step()
            sched.step()


def test_optimizer_step_replaced_after_scheduler_warns():
    opt, sched = fresh_pair()
    opt.step = lambda: None
    with pytest.warns(UserWarning, match=r"Seems like `optimizer.step\(\)` has been overridden"):
        sched.step()


def test_step_tracking_works_with_a_plain_function_step():
    calls = []
    opt = StandInOptimizer(groups=[{"lr": 0.1}])
    opt.step = lambda: calls.append(1)
    sched = tl_sched.ExponentialLR(opt, 0.5)
    assert opt.step() is None and calls == [1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step()


def test_step_is_wrapped_once_and_does_not_keep_optimizer_alive():
    opt, sched = fresh_pair()
    wrapped = opt.step
    tl_sched.ExponentialLR(opt, 0.9)
    assert opt.step is wrapped
    ref = weakref.ref(opt)
    del opt, sched, wrapped
    gc.collect()
    assert ref() is None


def test_epoch_argument_warns():
    opt, sched = fresh_pair()
    opt.step()
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)`"):
        sched.step(3)


def test_get_lr_outside_step_warns():
    opt, sched = fresh_pair()
    with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
        sched.get_lr()


CLOSED_FORM_CASES = [c for c in CASES if c[0] in {
    "lambda", "step", "multistep_repeated", "exponential", "constant", "linear_warmup",
    "linear_decay", "polynomial", "cosine",
}]  # fmt: skip


@pytest.mark.parametrize(
    "name,kind,factory", CLOSED_FORM_CASES, ids=[c[0] for c in CLOSED_FORM_CASES]
)
def test_explicit_epoch_uses_closed_form_like_pytorch(name, kind, factory):
    topt, fopt, theirs, ours = build(kind, factory)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in [1, 3, 7, 2, 20, 15, 40, 41, 90]:
            topt.step()
            fopt.step()
            theirs.step(epoch)
            ours.step(epoch)
            assert_same(topt, fopt, theirs, ours)


# -- resuming with last_epoch ---------------------------------------------------------


def test_resume_without_initial_lr_raises_pytorch_keyerror():
    with pytest.raises(KeyError) as theirs:
        THEIRS.StepLR(torch_optimizer(), step_size=3, last_epoch=4)
    with pytest.raises(KeyError) as ours:
        OURS.StepLR(StandInOptimizer(torch_optimizer()), step_size=3, last_epoch=4)
    assert ours.value.args == theirs.value.args


RESUME_CASES = [
    ("cosine", lambda M, o: M.CosineAnnealingLR(o, T_max=20, eta_min=0.001, last_epoch=7)),
    ("step", lambda M, o: M.StepLR(o, step_size=5, gamma=0.5, last_epoch=7)),
    ("lambda", lambda M, o: M.LambdaLR(o, lambda e: 0.9**e, last_epoch=7)),
    ("warm_restarts", lambda M, o: M.CosineAnnealingWarmRestarts(o, 5, T_mult=2, last_epoch=7)),
]


@pytest.mark.parametrize("factory", [c[1] for c in RESUME_CASES], ids=[c[0] for c in RESUME_CASES])
def test_resume_with_last_epoch_matches_pytorch(factory):
    topt = torch_optimizer()
    for group in topt.param_groups:
        group["initial_lr"] = group["lr"] * 2
    fopt = StandInOptimizer(topt)
    theirs, ours = factory(THEIRS, topt), factory(OURS, fopt)
    assert_same(topt, fopt, theirs, ours)
    advance(topt, fopt, theirs, ours, 30)


# -- special stepping -----------------------------------------------------------------


@pytest.mark.parametrize("T_mult", [1, 2])
def test_warm_restarts_fractional_epochs_match_pytorch(T_mult):
    topt = torch_optimizer()
    fopt = StandInOptimizer(topt)
    theirs = THEIRS.CosineAnnealingWarmRestarts(topt, T_0=3, T_mult=T_mult, eta_min=1e-3)
    ours = OURS.CosineAnnealingWarmRestarts(fopt, T_0=3, T_mult=T_mult, eta_min=1e-3)
    iters = 7
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fractional epochs are documented use: no warning
        for epoch in range(12):
            for i in range(iters):
                topt.step()
                fopt.step()
                theirs.step(epoch + i / iters)
                ours.step(epoch + i / iters)
                assert_same(topt, fopt, theirs, ours)
                assert ours.T_cur == pytest.approx(theirs.T_cur, rel=REL, abs=1e-12)
        for epoch in [None, 26, None, None, 2, None]:  # interleaved, as PyTorch documents
            theirs.step(epoch)
            ours.step(epoch)
            assert_same(topt, fopt, theirs, ours)


def test_custom_scheduler_subclass_overrides_get_lr():
    def make(M, opt):
        class Halving(M.LRScheduler):
            def get_lr(self):
                return [base * 0.5**self.last_epoch for base in self.base_lrs]

        return Halving(opt)

    topt, fopt, theirs, ours = build("sgd", make)
    advance(topt, fopt, theirs, ours, 10)
    assert issubclass(tl_sched._LRScheduler, tl_sched.LRScheduler)


def test_lr_is_written_as_python_float():
    opt = StandInOptimizer(groups=[{"lr": 1}])
    sched = tl_sched.LambdaLR(opt, lambda e: np.float32(0.5) ** e)
    opt.step()
    sched.step()
    assert type(opt.param_groups[0]["lr"]) is float
    assert type(opt.param_groups[0]["initial_lr"]) is float


# -- argument errors in PyTorch's words -------------------------------------------------


def same_error(make):
    """Both raise the same exception type with the same message."""
    with pytest.raises(Exception) as theirs:
        make(THEIRS, torch_optimizer())
    with pytest.raises(Exception) as ours:
        make(OURS, StandInOptimizer(torch_optimizer()))
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda M, o: M.OneCycleLR(o, max_lr=[1.0, 2.0, 3.0], total_steps=10),
        lambda M, o: M.OneCycleLR(o, max_lr=1.0),
        lambda M, o: M.OneCycleLR(o, max_lr=1.0, total_steps=10, pct_start=1),
        lambda M, o: M.CyclicLR(o, 0.1, 1.0, mode="square"),
        lambda M, o: M.LinearLR(o, start_factor=0),
        lambda M, o: M.ConstantLR(o, factor=2),
        lambda M, o: M.CosineAnnealingWarmRestarts(o, T_0=0),
        lambda M, o: M.LambdaLR(o, [abs]),
        lambda M, o: M.SequentialLR(o, [M.StepLR(o, 2)], milestones=[3]),
        lambda M, o: M.SequentialLR(o, [M.ReduceLROnPlateau(o)], milestones=[]),
        lambda M, o: M.ChainedScheduler([]),
        lambda M, o: M.SequentialLR(o, [], milestones=[]),
        lambda M, o: M.SWALR(o, swa_lr=0.1, anneal_epochs=-1),
    ],
)
def test_argument_errors_match_pytorch(make):
    same_error(make)


def test_onecycle_past_total_steps_raises():
    opt = StandInOptimizer(groups=[{"lr": 0.1, "momentum": 0.9}])
    sched = tl_sched.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total"):
        sched.step()


def test_cycle_momentum_needs_momentum_or_betas():
    opt = StandInOptimizer(groups=[{"lr": 0.1}])
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        tl_sched.CyclicLR(opt, 0.01, 0.1)
    tl_sched.CyclicLR(opt, 0.01, 0.1, cycle_momentum=False)  # fine without momentum


def test_composed_schedulers_must_share_the_optimizer():
    opt = StandInOptimizer(groups=[{"lr": 0.1}])
    other = StandInOptimizer(groups=[{"lr": 0.1}])
    scheds = [tl_sched.StepLR(opt, 2), tl_sched.StepLR(other, 2)]
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        tl_sched.ChainedScheduler(scheds)


def test_non_optimizer_is_rejected():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        tl_sched.StepLR([], step_size=1)
