"""The first optimizer step runs the program of every later step: fresh state enters as host
values (not as recorded zeros ops), SGD's momentum buffer has zeros standing in for it with a flag,
and small host parameters are one input each. A training loop compiles its step once."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

from test_optimizers import assert_params_match, assert_states_match  # noqa: E402

X = np.random.RandomState(3).randn(6, 4).astype(np.float32)
Y = np.random.RandomState(4).randn(6, 2).astype(np.float32)

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.2)),
    ("Adadelta", dict(lr=1.0)),
    ("Adamax", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01)),
    ("ASGD", dict(lr=0.01)),
    ("Rprop", dict(lr=0.01)),
]


def _models():
    pt.manual_seed(0)
    pm = pt.nn.Sequential(pt.nn.Linear(4, 5), pt.nn.Tanh(), pt.nn.Linear(5, 2))
    tm = tl.nn.Sequential(tl.nn.Linear(4, 5), tl.nn.Tanh(), tl.nn.Linear(5, 2))
    tm.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in pm.state_dict().items()})
    return pm, tm


def _step(lib, model, opt):
    opt.zero_grad()
    loss = ((model(lib.tensor(X)) - lib.tensor(Y)) ** 2).mean()
    loss.backward()
    opt.step()
    return loss


@pytest.mark.parametrize("name,kw", CASES, ids=[f"{n}-{'-'.join(k)}" for n, k in CASES])
def test_the_first_step_compiles_the_program_of_every_later_step(name, kw):
    pm, tm = _models()
    po, to = getattr(pt.optim, name)(pm.parameters(), **kw), getattr(tl.optim, name)(tm.parameters(), **kw)
    compiles = []
    for _ in range(4):
        before = tl.metrics.counters()["compiles"]
        _step(tl, tm, to)
        _step(pt, pm, po)
        compiles.append(tl.metrics.counters()["compiles"] - before)
    assert compiles[1:] == [0, 0, 0]
    assert_params_match(pm, tm)
    assert_states_match(po, to)


def test_sgd_state_before_and_after_the_first_step():
    _, tm = _models()
    to = tl.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9)
    assert to.state_dict()["state"] == {}
    _step(tl, tm, to)
    assert sorted(to.state_dict()["state"][0]) == ["momentum_buffer"]


def test_sgd_momentum_group_where_a_parameter_gets_its_first_gradient_later():
    """A group whose parameters found their buffers at different steps (one had no gradient at
    first) takes the per-parameter path; the trajectory is PyTorch's."""
    pm, tm = _models()
    kw = dict(lr=0.1, momentum=0.9, dampening=0.2)
    po, to = pt.optim.SGD(pm.parameters(), **kw), tl.optim.SGD(tm.parameters(), **kw)
    for step in range(4):
        for lib, model, opt in ((pt, pm, po), (tl, tm, to)):
            opt.zero_grad()
            head = model[0](lib.tensor(X)).tanh()
            out = model[2](head) if step else head.sum(1, keepdim=True).expand(-1, 2)
            ((out - lib.tensor(Y)) ** 2).mean().backward()
            opt.step()
        assert_params_match(pm, tm)
    assert_states_match(po, to)


def test_sgd_first_step_keeps_the_sign_of_a_zero_gradient():
    """PyTorch's first momentum step takes the gradient as the buffer (not 0 * momentum + grad),
    and adds no weight decay when it is 0: a -0.0 gradient stays -0.0."""
    w = tl.tensor([1.0, -2.0], requires_grad=True)
    opt = tl.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * tl.tensor([-0.0, 1.0])).sum().backward()
    opt.step()
    buf = opt.state[w]["momentum_buffer"].numpy()
    assert np.signbit(buf[0]) and buf[1] == 1.0


def test_a_parameter_used_twice_is_one_program_input():
    """A small parameter still on the host (as created) that two ops read enters the program
    once, as it does on the steps after (where it is the array the last step returned)."""
    lin = tl.nn.Linear(3, 3)
    x = tl.tensor(np.ones((2, 3), np.float32))  # (a ones() op would be part of the first graph)
    before = tl.metrics.counters()["compiles"]
    for _ in range(3):
        with tl.no_grad():
            lin(lin(x)).sum().item()
            lin.weight.mul_(0.5)
    assert tl.metrics.counters()["compiles"] - before == 2  # the forward, the update


def test_a_network_with_batch_norm_compiles_its_step_once():
    """BatchNorm's running statistics are made in host memory (as parameters are): the first
    step's graph holds no creation ops that later steps lack."""
    tl.manual_seed(0)
    net = tl.nn.Sequential(tl.nn.Conv2d(2, 4, 3), tl.nn.BatchNorm2d(4), tl.nn.ReLU(), tl.nn.Flatten(),
                           tl.nn.Linear(64, 3), tl.nn.BatchNorm1d(3))
    opt = tl.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    x = tl.tensor(np.random.RandomState(0).randn(5, 2, 6, 6).astype(np.float32))
    compiles = []
    for _ in range(3):
        before = tl.metrics.counters()["compiles"]
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
        compiles.append(tl.metrics.counters()["compiles"] - before)
    assert compiles == [1, 0, 0]
    assert net[1].running_var.shape == (4,) and net[1].num_batches_tracked.item() == 3


def test_a_forward_synced_before_backward_compiles_the_step_once():
    """A forward flushed piece by piece (an ``.item()`` per time step, as Liu Er's "hello" RNN
    prints its predictions) leaves the backward and the update to the step's program: the
    parameters are placed at their first use, so the saved values and the optimizer read one
    array (a NumPy copy saved for the backward made the first step's program differ)."""
    tl.manual_seed(0)
    cell = tl.nn.RNNCell(3, 4)
    opt = tl.optim.Adam(cell.parameters(), lr=0.1)
    xs = np.random.RandomState(0).randn(3, 2, 3).astype(np.float32)
    compiles = []
    for _ in range(3):
        opt.zero_grad()
        h = tl.tensor(np.zeros((2, 4), np.float32))
        loss = 0
        for x in xs:
            h = cell(tl.tensor(x), h)
            loss = loss + h.pow(2).mean()
            h.max().item()
        loss.backward()
        before = tl.metrics.counters()["compiles"]
        opt.step()
        compiles.append(tl.metrics.counters()["compiles"] - before)
    assert compiles == [1, 0, 0]
