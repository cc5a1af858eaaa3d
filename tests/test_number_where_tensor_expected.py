"""A Python number where a torch function expects a Tensor: PyTorch's TypeError (``sin(): argument
'input' (position 1) must be Tensor, not int``) or, for the functionals that call a method on their
input (F.softmax), its AttributeError; the ops whose first argument may be a number still take
one."""

import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _outcome(fn):
    try:
        out = fn()
    except (TypeError, AttributeError) as e:
        return type(e).__name__, str(e)
    return "ok", str(out.dtype), out.tolist()


REJECTED = {
    "sin": lambda m: m.sin(1),
    "exp_float": lambda m: m.exp(1.5),
    "sum": lambda m: m.sum(1),
    "abs": lambda m: m.abs(-1),
    "max": lambda m: m.max(1),
    "mean": lambda m: m.mean(1.0),
    "relu": lambda m: m.relu(1),
    "sigmoid_bool": lambda m: m.sigmoid(True),
    "softmax_fn": lambda m: m.softmax(1, 1),
    "log_softmax_fn": lambda m: m.log_softmax(1, 0),
    "ldexp": lambda m: m.ldexp(2, m.tensor([1.0])),
    "F_relu": lambda m: m.nn.functional.relu(1),
    "F_gelu": lambda m: m.nn.functional.gelu(1),
    "F_silu": lambda m: m.nn.functional.silu(1),
    "F_linear": lambda m: m.nn.functional.linear(1, m.ones(1, 1)),
    "F_softmax": lambda m: m.nn.functional.softmax(1, dim=1),
    "F_log_softmax": lambda m: m.nn.functional.log_softmax(2.0, dim=0),
    "F_softmin": lambda m: m.nn.functional.softmin(1, 1),
    "F_softmax_no_dim": lambda m: m.nn.functional.softmax(1),
    "Softmax_module": lambda m: m.nn.Softmax(dim=1)(1),
    "LogSoftmax_module": lambda m: m.nn.LogSoftmax(1)(1),
    "ReLU_module": lambda m: m.nn.ReLU()(1),
    "Tanh_module": lambda m: m.nn.Tanh()(1),
}

ACCEPTED = {
    "add": lambda m: m.add(1, m.tensor([1.0, 2.0])),
    "mul_numbers": lambda m: m.mul(2, 3),
    "sub": lambda m: m.sub(5, m.tensor([1, 2])),
    "div": lambda m: m.div(1, m.tensor([2.0, 4.0])),
    "true_divide": lambda m: m.true_divide(1, m.tensor([2, 4])),
    "floor_divide": lambda m: m.floor_divide(7, m.tensor([2, 4])),
    "pow": lambda m: m.pow(2, m.tensor([1.0, 2.0])),
    "float_power": lambda m: m.float_power(2, m.tensor([1.0, 2.0])),
    "remainder": lambda m: m.remainder(5, m.tensor([2, 3])),
    "xlogy": lambda m: m.xlogy(2, m.tensor([1.0, 2.0])),
    "bitwise_and": lambda m: m.bitwise_and(6, m.tensor([3, 5])),
    "isin": lambda m: m.isin(2, m.tensor([1, 2])),
    "polygamma": lambda m: m.polygamma(1, m.tensor([1.0, 2.0])),
    "rsub_dunder": lambda m: 2 - m.tensor([1.0]),
    "rpow_dunder": lambda m: 2 ** m.tensor([1.0, 3.0]),
    "rmod_dunder": lambda m: 5 % m.tensor([2, 3]),
    "where_scalars": lambda m: m.where(m.tensor([True, False]), 1.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_number_for_tensor_raises_like_pytorch(name):
    got, want = _outcome(lambda: REJECTED[name](tl)), _outcome(lambda: REJECTED[name](pt))
    assert want[0] != "ok"
    assert got == want


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_ops_that_take_a_number_first_still_do(name):
    got, want = _outcome(lambda: ACCEPTED[name](tl)), _outcome(lambda: ACCEPTED[name](pt))
    assert want[0] == "ok"
    assert got[0] == "ok" and got[1] == want[1]
    assert got[2] == pytest.approx(want[2], rel=1e-6)
