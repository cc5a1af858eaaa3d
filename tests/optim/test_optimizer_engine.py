"""The optimizer inside the engine: one fused update node per group, one program per step,
no recompiles when hyper-parameters change, in-place updates visible through aliases."""

import numpy as np
import pytest

import torchlike as tl
from torchlike._context import state as _state

pt = pytest.importorskip("torch")

from test_optimizers import make_models, train_step  # noqa: E402


def pending_update_nodes(opt):
    """Names of the fused update ops pending when step() is about to flush."""
    seen = []

    def hook(optimizer, args, kwargs):
        g = _state.graph
        seen.append(
            [n.op.name for n in g.nodes if n.op.name.endswith("_step")] if g is not None else []
        )

    opt.register_step_post_hook(hook)
    return seen


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "NAdam", "Rprop", "ASGD"])
def test_one_fused_update_node_per_param_group(name):
    _, tm = make_models()
    params = list(tm.parameters())
    to = getattr(tl.optim, name)([{"params": params[:3]}, {"params": params[3:]}], lr=0.01)
    seen = pending_update_nodes(to)
    train_step(tl, tm, to)
    train_step(tl, tm, to)
    expected = name.lower() + "_step"
    assert seen == [[expected, expected], [expected, expected]]


def test_a_training_step_is_one_program_and_changing_hyper_parameters_never_recompiles():
    _, tm = make_models()
    to = tl.optim.Adam(tm.parameters(), lr=0.01)
    for _ in range(3):
        train_step(tl, tm, to)
    before = tl.metrics.counters()
    for step in range(7):
        to.param_groups[0]["lr"] = 0.01 / (step + 2)
        to.param_groups[0]["betas"] = (0.9 - 0.01 * step, 0.999)
        to.param_groups[0]["weight_decay"] = 0.001 * step
        train_step(tl, tm, to)
    after = tl.metrics.counters()
    assert after["compiles"] == before["compiles"]
    assert after["executions"] - before["executions"] == 7


def test_switching_a_structural_option_compiles_once_then_is_cached():
    _, tm = make_models()
    to = tl.optim.Adam(tm.parameters(), lr=0.01)
    for _ in range(3):
        train_step(tl, tm, to)
    to.param_groups[0]["maximize"] = True
    train_step(tl, tm, to)
    train_step(tl, tm, to)
    compiles = tl.metrics.counters()["compiles"]
    for _ in range(3):
        train_step(tl, tm, to)
    assert tl.metrics.counters()["compiles"] == compiles


def test_aliases_of_parameters_and_state_see_the_update():
    _, tm = make_models()
    to = tl.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9)
    weight = tm[0].weight
    row = weight[0]  # a view
    sd_entry = tm.state_dict()["0.weight"]
    train_step(tl, tm, to)
    buf = to.state[weight]["momentum_buffer"]
    opt_sd_buf = to.state_dict()["state"][0]["momentum_buffer"]
    train_step(tl, tm, to)
    now = weight.detach().numpy()
    np.testing.assert_array_equal(row.detach().numpy(), now[0])
    np.testing.assert_array_equal(sd_entry.numpy(), now)
    np.testing.assert_array_equal(opt_sd_buf.numpy(), buf.numpy())
    assert to.state[weight]["momentum_buffer"] is buf


def test_lbfgs_compiles_a_bounded_number_of_programs_as_its_history_grows():
    x = tl.tensor(np.array([-1.2, 1.0, 0.5, -0.5, 0.2, 0.3], np.float32), requires_grad=True)
    opt = tl.optim.LBFGS([x], max_iter=5, history_size=8, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        f = (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
        f.backward()
        return f

    opt.step(closure)
    opt.step(closure)
    compiles = tl.metrics.counters()["compiles"]
    for _ in range(4):  # the history fills up (8 pairs) and then rolls
        opt.step(closure)
    assert tl.metrics.counters()["compiles"] - compiles <= 2
    assert len(opt.state_dict()["state"][0]["old_dirs"]) == 8
