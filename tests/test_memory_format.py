"""torch.memory_format: reported strides and contiguity of channels-last tensors, as PyTorch's."""

import pytest

torch = pytest.importorskip("torch")
import torchlike  # noqa: E402

CASES = {
    "to": lambda t, x, y: (y.stride(), y.is_contiguous(), y.is_contiguous(memory_format=t.channels_last)),
    "pointwise": lambda t, x, y: [(y + 1).stride(), (1 + y).stride(), (x + y).stride(), (y + x).stride(),
                                  y.relu().stride(), y.double().stride(), y.float().stride()],
    "clone_like": lambda t, x, y: [y.clone().stride(), t.empty_like(y).stride(), t.rand_like(y).stride(),
                                   t.zeros_like(y, memory_format=t.contiguous_format).stride(),
                                   y.clone(memory_format=t.contiguous_format).stride(),
                                   x.clone(memory_format=t.channels_last).stride()],
    "reductions_views": lambda t, x, y: [y.sum(1, keepdim=True).stride(), y.contiguous().stride(),
                                         y.mean((2, 3)).stride(), y.flatten(1).stride()],
    "identity": lambda t, x, y: [y.contiguous() is y, x.contiguous() is x, y.to(memory_format=t.channels_last) is y,
                                 x.to(memory_format=t.contiguous_format) is x],
    "alias": lambda t, x, y: [y.detach().stride(), y.data.stride(), t.nn.Parameter(y).stride(),
                              y.to(memory_format=t.preserve_format).stride()],
    "nn": lambda t, x, y: [t.nn.Conv2d(3, 4, 3)(y).stride(), t.nn.Conv2d(3, 4, 3)(x).stride(),
                           t.nn.BatchNorm2d(3)(y).stride(), t.nn.functional.max_pool2d(y, 2).stride(),
                           t.nn.functional.adaptive_avg_pool2d(y, 1).stride()],
    "module_to": lambda t, x, y: [(lambda c: (c.weight.stride(), c.bias.stride(), c(x).stride()))(
        t.nn.Conv2d(3, 4, 3).to(memory_format=t.channels_last))],
    "factories": lambda t, x, y: [t.randn(2, 3, 1, 1).to(memory_format=t.channels_last).stride(),
                                  t.empty(2, 3, 4, 5, memory_format=t.channels_last).stride(),
                                  t.randn(2, 3, 4, 5, 6).to(memory_format=t.channels_last_3d).stride(),
                                  y.is_contiguous(memory_format=t.channels_last_3d)],
    "views": lambda t, x, y: [x.transpose(1, 2).is_contiguous(), x[:, :, ::2].is_contiguous(memory_format=t.channels_last),
                              x.permute(0, 2, 3, 1).permute(0, 3, 1, 2).is_contiguous(memory_format=t.channels_last),
                              x.is_contiguous(memory_format=t.preserve_format), y.is_contiguous(memory_format=t.preserve_format)],
    "reprs": lambda t, x, y: [repr(t.channels_last), str(t.preserve_format), repr(type(t.channels_last)),
                              repr(t.contiguous_format), repr(t.channels_last_3d)],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_channels_last_strides_match_pytorch(case):
    def run(t):
        t.manual_seed(0)
        x = t.randn(2, 3, 4, 5)
        return CASES[case](t, x, x.to(memory_format=t.channels_last))

    assert run(torchlike) == run(torch)


ERRORS = {
    "to_rank": lambda t: t.randn(2, 3, 4).to(memory_format=t.channels_last),
    "contiguous_rank": lambda t: t.randn(2, 3, 4).contiguous(memory_format=t.channels_last),
    "to_rank_3d": lambda t: t.randn(2, 3, 4, 5).to(memory_format=t.channels_last_3d),
    "contiguous_preserve": lambda t: t.randn(2, 3, 4, 5).to(memory_format=t.channels_last).contiguous(
        memory_format=t.preserve_format),
    "contiguous_type": lambda t: t.randn(2, 3).contiguous(memory_format=3),
    "is_contiguous_type": lambda t: t.randn(2, 3).is_contiguous(memory_format="a"),
    "empty_rank": lambda t: t.empty(2, 3, 4, memory_format=t.channels_last),
    "module_conv3d": lambda t: t.nn.Conv3d(1, 1, 1).to(memory_format=t.channels_last),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_memory_format_errors_match_pytorch(case):
    with pytest.raises(Exception) as ours:
        ERRORS[case](torchlike)
    with pytest.raises(Exception) as theirs:
        ERRORS[case](torch)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert str(ours.value) == str(theirs.value)


def test_contiguous_preserve_of_contiguous_tensor_is_itself():
    x = torchlike.randn(2, 3, 4, 5)
    assert x.contiguous(memory_format=torchlike.preserve_format) is x


def test_channels_last_model_computes_the_same_values():
    torchlike.manual_seed(0)
    model = torchlike.nn.Sequential(torchlike.nn.Conv2d(3, 4, 3), torchlike.nn.ReLU())
    x = torchlike.randn(2, 3, 8, 8)
    ref = model(x)
    model.to(memory_format=torchlike.channels_last)
    out = model(x.to(memory_format=torchlike.channels_last))
    assert out.stride() == (144, 1, 24, 4)
    assert torchlike.equal(out, ref)
    out.sum().backward()
    assert model[0].weight.grad.shape == (4, 3, 3, 3)


def test_sdpa_output_follows_the_query_layout_so_transpose_view_works():
    """PyTorch's fused CPU attention allocates its output in the query's dimension order: the
    usual ``y.transpose(1, 2).view(B, L, H * E)`` after heads split off a projection works."""
    def run(lib):
        lib.manual_seed(0)
        x = lib.randn(2, 5, 96)
        q, k, v = (t.view(2, -1, 4, 8).transpose(1, 2) for t in x.chunk(3, -1))
        out = []
        for args in ((q, k, v), (q.contiguous(), k, v)):
            y = lib.nn.functional.scaled_dot_product_attention(*args)
            out.append((y.stride(), y.is_contiguous(), y.transpose(1, 2).is_contiguous()))
        y = lib.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        out.append(tuple(y.transpose(1, 2).view(2, 5, 32).shape))
        return out

    assert run(torchlike) == run(torch)


PERMUTED = [
    "z.transpose(1, 2) + 1", "z.permute(2, 0, 1).float()", "torch.relu(z.permute(2, 0, 1))",
    "z.transpose(0, 2) + z.transpose(0, 2)", "z.transpose(0, 2) + torch.ones(4, 3, 2)",
    "torch.ones(4, 3, 2) + z.transpose(0, 2)", "z.transpose(1, 2) * torch.ones(1, 4, 1)",
    "z.transpose(1, 2).clone()", "z.transpose(1, 2).contiguous()", "z.permute(1, 2, 0).sigmoid().exp()",
    "torch.where(z.transpose(1, 2) > 0, z.transpose(1, 2), 0.0)", "z.movedim(0, -1) - 1", "z.mT.double()",
    "z.movedim((0, 1), (2, 0)) * 3", "z.adjoint().neg()", "x.T.abs()", "x.t().t() + 0",
    "(z.transpose(1, 2) * 2).transpose(1, 2)", "(z.transpose(1, 2) * 2)[0]", "(z.transpose(1, 2) * 2)[:, 1:]",
    "torch.ones(4, 1) + x.t()[:, :1]", "x.t()[:, :1] + torch.ones(1, 3)", "x.t()[::2] * 2",
    "torch.nn.functional.dropout(z.transpose(1, 2), 0.0)", "torch.nn.functional.gelu(z.transpose(1, 2))",
    "z.transpose(1, 2).to(torch.float64)", "z.transpose(1, 2).sum(0)", "z.transpose(1, 2) @ z",
    "torch.ones(1, 1, 3) * z.transpose(1, 2)", "z.transpose(1, 2) > 0",
    "torch.tanh(z[:, :1].transpose(1, 2))",
]


@pytest.mark.parametrize("expr", PERMUTED)
def test_elementwise_results_follow_a_permuted_operand_as_pytorch(expr):
    """PyTorch's element-wise kernels allocate their output in their operands' dimension order
    (TensorIterator), so strides, contiguity and what can be viewed afterwards follow it."""
    def run(lib):
        lib.manual_seed(0)
        x, z = lib.randn(3, 4), lib.randn(2, 3, 4)
        r = eval(expr, {"torch": lib, "x": x, "z": z})
        back = r.transpose(-1, -2) if r.dim() >= 2 else r
        try:
            viewed = tuple(back.view(-1).shape)
        except RuntimeError as e:
            viewed = str(e)
        return tuple(r.shape), r.stride(), r.is_contiguous(), back.is_contiguous(), viewed

    assert run(torchlike) == run(torch)


def test_view_of_a_permuted_result_raises_pytorchs_error():
    for lib in (torchlike, torch):
        z = lib.randn(2, 3, 4)
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            (z.transpose(1, 2) * 2).view(-1)
        assert (z.transpose(1, 2) * 2).transpose(1, 2).view(-1).shape == (24,)
        assert (z.transpose(1, 2) * 2).reshape(-1).shape == (24,)


def test_in_place_transpose_of_a_tensor_keeps_its_storage_strides():
    def run(lib):
        x = lib.arange(6.0).view(2, 3)
        out = [(tuple(x.t_().shape), x.stride(), x.is_contiguous())]
        out.append((tuple(x.t_().shape), x.stride(), x.is_contiguous()))
        y = lib.zeros(2, 3, 4).transpose_(0, 2)
        out.append((y.stride(), (y + 1).stride(), y.contiguous().stride(), y.transpose(0, 2).view(-1).shape[0]))
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            y.view(-1)
        return out

    assert run(torchlike) == run(torch)
