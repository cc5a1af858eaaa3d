"""torch.Size against PyTorch: tuple arithmetic keeps the type, slicing, numel, repr."""

import pytest

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402

EXPRESSIONS = ["s * 2", "2 * s", "s * 0", "(1,) + s", "s + (4,)", "s + s", "s[1:]", "s[::-1]"]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_size_arithmetic_returns_a_size_as_pytorch(expr):
    ours = eval(expr, {"s": tl.Size([2, 3])})
    theirs = eval(expr, {"s": pt.Size([2, 3])})
    assert type(ours) is tl.Size and type(theirs) is pt.Size
    assert repr(ours) == repr(theirs) and ours.numel() == theirs.numel()


@pytest.mark.parametrize("expr", ["s + [4]", "s * 2.0"])
def test_size_arithmetic_errors_match_pytorch(expr):
    with pytest.raises(TypeError) as theirs:
        eval(expr, {"s": pt.Size([2, 3])})
    with pytest.raises(TypeError) as ours:
        eval(expr, {"s": tl.Size([2, 3])})
    assert str(ours.value) == str(theirs.value)
