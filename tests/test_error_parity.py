"""Bad input gets PyTorch's exception and words; valid edge cases are accepted as PyTorch accepts
them (found by session 14's error-path sweeps)."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")


def _cases(lib):
    a = lib.zeros(2, 3)
    lng = lib.zeros(2, 3, dtype=lib.long)
    return {
        "tensor_dtype_str": lambda: lib.tensor([1], dtype="float32"),
        "tensor_dtype_np": lambda: lib.tensor([1], dtype=np.float32),
        "tensor_of_vectors": lambda: lib.tensor([lib.ones(2), lib.ones(2)]),
        "tensor_of_ragged_vectors": lambda: lib.tensor([lib.ones(2), lib.ones(3)]),
        "tensor_of_one_element_tensors": lambda: lib.tensor(
            [lib.ones(1), lib.tensor(2.0), lib.ones(1, 1)]
        ),
        "randn_long": lambda: lib.randn(2, dtype=lib.long),
        "rand_int": lambda: lib.rand(2, dtype=lib.int32),
        "rand_bool": lambda: lib.rand(2, dtype=lib.bool),
        "randperm_negative": lambda: lib.randperm(-1),
        "linspace_negative_steps": lambda: lib.linspace(0, 1, -1),
        "narrow_negative_length": lambda: a.narrow(1, 0, -1),
        "split_zero": lambda: a.split(0, 1),
        "split_zero_of_empty": lambda: lib.zeros(2, 0).split(0, 1),
        "split_negative": lambda: a.split(-1, 1),
        "chunk_zero": lambda: a.chunk(0),
        "chunk_negative": lambda: a.chunk(-1),
        "outer_matrix_self": lambda: lib.outer(a, lib.ones(2)),
        "outer_matrix_vec2": lambda: lib.outer(lib.ones(2), a),
        "float_index": lambda: a[1.0],
        "two_ellipses": lambda: a[..., ...],
        "ellipsis_int_ellipsis": lambda: a[..., 0, ...],
        "ellipsis_none_ellipsis": lambda: a[..., None, ...],
        "tensor_then_two_ellipses": lambda: a[lib.tensor([1]), ..., ...],
        "where_float_condition": lambda: lib.where(a, a, a),
        "where_uint8_condition": lambda: lib.where(
            lib.ones(2, dtype=lib.uint8), lib.ones(2), lib.zeros(2)
        ),
        "allclose_dtypes": lambda: lib.allclose(a, lng),
        "argmax_bool": lambda: lib.tensor([True, False]).argmax(),
        "argmin_bool": lambda: lib.tensor([True, False]).argmin(dim=0),
        "repeat_negative": lambda: a.repeat(-1, 1),
        "add_float_alpha_to_integers": lambda: lib.add(lng, lng, alpha=0.5),
        "sub_float_alpha_to_integers": lambda: lib.sub(lng, lng, alpha=0.5),
        "add_float_alpha_int_and_float": lambda: lib.add(lng, a, alpha=0.5),
        "add_int_alpha_to_integers": lambda: lib.add(lng, lng, alpha=2),
        "zeros_of_a_float": lambda: lib.zeros(2.0),
        "zeros_with_a_float_size": lambda: lib.zeros(2, 3.0),
        "randn_of_a_float": lambda: lib.randn(2.0),
        "ones_of_a_string": lambda: lib.ones("a"),
        "rand_of_a_float_list": lambda: lib.rand([2, 3.0]),
        "randint_int_size": lambda: lib.randint(0, 10, 3),
        "randint_without_size": lambda: lib.randint(0, 10),
        "to_a_dtype_string": lambda: a.to("float32"),
        "to_an_unknown_device": lambda: a.to("cpux"),
        "device_with_a_bad_index": lambda: lib.device("cuda:01"),
        "device_with_an_index": lambda: lib.device("cpu:1").index,
        "var_of_integers": lambda: lng.var(),
        "std_of_integers": lambda: lng.std(0),
        "var_mean_of_integers": lambda: lib.var_mean(lng),
        "std_mean_of_integers": lambda: lib.std_mean(lng),
        "view_with_minus_two": lambda: a.view(-2, 3),
        "reshape_with_minus_three": lambda: a.reshape(2, -3),
        "broadcast_tensors_clash": lambda: lib.broadcast_tensors(a, lib.ones(3, 2)),
        "broadcast_tensors_three": lambda: lib.broadcast_tensors(a, lib.ones(2), lib.ones(3)),
        "broadcast_tensors_ok": lambda: [
            tuple(t.shape) for t in lib.broadcast_tensors(a, lib.ones(3), lib.ones(1, 1))
        ],
        "broadcast_shapes_clash": lambda: lib.broadcast_shapes((2, 3), (3, 2)),
        "broadcast_shapes_third": lambda: lib.broadcast_shapes((2, 3), (3,), (4,)),
        "broadcast_shapes_ok": lambda: list(lib.broadcast_shapes((2, 1), (3,), 1, (5, 1, 1))),
        "argmax_of_empty": lambda: lib.zeros(0).argmax(),
        "argmax_over_empty_dim": lambda: lib.zeros(2, 0).argmax(1),
        "argmax_over_nonempty_dim": lambda: lib.zeros(2, 0).argmax(0),
        "min_over_empty_dim": lambda: lib.zeros(2, 0).min(1),
        "sum_repeated_dim": lambda: a.sum((0, 0)),
        "mean_repeated_dim": lambda: a.mean((1, -1)),
        "mT_of_vector": lambda: lib.zeros(3).mT,
        "index_shapes_not_broadcasting": lambda: a[lib.tensor([0, 1]), lib.tensor([0, 1, 2])],
        "index_select_float_index": lambda: a.index_select(0, lib.tensor([0.0])),
        "softmax_long_last_dim": lambda: lib.softmax(lib.ones(3, dtype=lib.long), 0),
        "log_softmax_long_first_dim": lambda: lib.log_softmax(lib.ones(2, 3, dtype=lib.long), 0),
        "bool_of_empty": lambda: bool(lib.zeros(0)),
        "bool_of_two": lambda: bool(lib.zeros(2)),
        "slice_step_zero": lambda: a[:, ::0],
        "slice_step_negative": lambda: a[::-1],
        "softmax_long_with_dtype": lambda: lib.softmax(
            lib.ones(2, 3, dtype=lib.long), 0, dtype=lib.float32
        ),
    }


def _outcome(lib, name):
    try:
        r = _cases(lib)[name]()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e).split(" (Triggered internally")[0]
    if isinstance(r, tuple):
        return [tuple(x.shape) for x in r]
    return np.asarray(r.numpy() if hasattr(r, "numpy") else r).tolist()


@pytest.mark.parametrize("name", list(_cases(torch)))
def test_errors_and_edge_cases_match_pytorch(name):
    assert _outcome(torchlike, name) == _outcome(torch, name)


def _nn_cases(lib):
    nn, F = lib.nn, lib.nn.functional
    xd = lib.randn(4, 3, dtype=lib.float64)
    return {
        "batchnorm_double_input": lambda: nn.BatchNorm1d(3)(xd),
        "batchnorm_eval_double_input": lambda: nn.BatchNorm1d(3).eval()(xd),
        "batchnorm_no_affine_double_input": lambda: nn.BatchNorm1d(3, affine=False)(xd),
        "batchnorm_bf16_input": lambda: nn.BatchNorm1d(3)(xd.bfloat16()).float(),
        "batchnorm_long_input": lambda: nn.BatchNorm2d(3)(lib.ones(2, 3, 4, 4, dtype=lib.long)),
        "layernorm_double_input": lambda: nn.LayerNorm(3)(xd),
        "layernorm_no_affine_double_input": lambda: nn.LayerNorm(3, elementwise_affine=False)(xd),
        "layernorm_long_input": lambda: nn.LayerNorm(3)(lib.ones(4, 3, dtype=lib.long)),
        "groupnorm_double_input": lambda: nn.GroupNorm(1, 3)(xd),
        "multihead_double_input": lambda: nn.MultiheadAttention(4, 2)(
            *(lib.randn(3, 2, 4, dtype=lib.float64),) * 3
        )[0],
        "batch_norm_eval_without_mean": lambda: F.batch_norm(
            xd, None, lib.ones(3, dtype=lib.float64)
        ),
        "batch_norm_eval_without_var": lambda: F.batch_norm(
            xd, lib.zeros(3, dtype=lib.float64), None
        ),
        "pad_with_float_pads": lambda: F.pad(xd, (1.0, 1.0)),
        "pad_with_int_pads": lambda: F.pad(xd, (1, 2)),
        "layer_norm_with_an_int_shape": lambda: F.layer_norm(xd, 3),
        "layer_norm_with_a_list_shape": lambda: F.layer_norm(xd, [3]),
        "dropout_of_integers": lambda: F.dropout(lib.ones(3, dtype=lib.long), 0.5, True),
        "dropout_of_integers_p0": lambda: F.dropout(lib.ones(3, dtype=lib.long), 0.0, True),
        "dropout_of_integers_eval": lambda: F.dropout(lib.ones(3, dtype=lib.long), 0.5, False),
        "embedding_1d_weight": lambda: F.embedding(lib.tensor([0]), lib.randn(5)),
        "ctc_input_length_too_long": lambda: nn.CTCLoss()(
            lib.randn(5, 2, 4).log_softmax(2),
            lib.tensor([[1, 2], [1, 1]]),
            lib.tensor([6, 5]),
            lib.tensor([2, 2]),
        ),
        "gaussian_nll_negative_var": lambda: nn.GaussianNLLLoss()(
            lib.zeros(2), lib.zeros(2), lib.tensor([1.0, -1.0])
        ),
    }


@pytest.mark.parametrize("name", list(_nn_cases(torch)))
def test_nn_input_checks_match_pytorch(name):
    def outcome(lib):
        lib.manual_seed(0)
        try:
            return tuple(_nn_cases(lib)[name]().shape)
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, str(e).split(" (Triggered internally")[0]

    assert outcome(torchlike) == outcome(torch)


_EINSUM = [
    ("ij,jk->ik", [(2, 3), (2, 2)]),
    ("ij,jk->ik", [(2, 3)]),
    ("ij->ij", [(2, 3), (2, 3)]),
    ("ijk->i", [(2, 3)]),
    ("i->i", [(2, 3)]),
    ("ij->ik", [(2, 3)]),
    ("ij->ii", [(2, 3)]),
    ("i1->i", [(2, 3)]),
    ("ij->i->j", [(2, 3)]),
    ("i j , j k -> i k", [(2, 3), (3, 2)]),
    ("...ij,...jk->...ik", [(4, 2, 3), (3, 5)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]),
    ("ij,jk", [(2, 3), (3, 2)]),
    ("ii->i", [(2, 2)]),
    ("iJ,Jk->ik", [(2, 3), (3, 2)]),
    ("i,i->", [(3,), (3,)]),
    ("i...->...", [(3, 4)]),
]


@pytest.mark.parametrize("equation, shapes", _EINSUM)
def test_einsum_checks_match_pytorch(equation, shapes):
    def outcome(lib):
        ops = [lib.ones(s) for s in shapes]
        try:
            return tuple(lib.einsum(equation, *ops).shape)
        except RuntimeError as e:
            return str(e)

    assert outcome(torchlike) == outcome(torch)


@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("ij,kj->ik", [(2, 3), (2, 3)]),
        ("i,i->", [(2,), (2,)]),
        ("i,i", [(2,), (2,)]),
        ("i,j->ij", [(2,), (3,)]),
        ("i,i->i", [(2,), (2,)]),
        ("i,j", [(2,), (3,)]),
    ],
)
@pytest.mark.parametrize("other", ["long", "float64"])
def test_einsum_of_mixed_dtypes_as_pytorch(equation, shapes, other):
    """A contraction (bmm) refuses two dtypes; a product with nothing summed promotes."""

    def outcome(lib):
        try:
            return str(
                lib.einsum(
                    equation, lib.ones(shapes[0]), lib.ones(shapes[1], dtype=getattr(lib, other))
                ).dtype
            )
        except RuntimeError as e:
            return str(e)

    assert outcome(torchlike) == outcome(torch)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, x: lib.nn.AdaptiveAvgPool2d(1)(x),
        # (channels-last: PyTorch's node is AsStridedBackward1 there; strides and values compared)
        lambda lib, x: lib.nn.AdaptiveAvgPool2d((1, 1))(
            x.contiguous(memory_format=lib.channels_last)
        ),
        lambda lib, x: lib.nn.AdaptiveAvgPool2d((1, None))(x),
        lambda lib, x: lib.nn.AdaptiveAvgPool2d(1)(
            x[0, 0]
        ),  # 2-d input: ATen's mean shortcut takes it
        lambda lib, x: lib.nn.AdaptiveAvgPool1d(1)(x[0]),
        lambda lib, x: lib.nn.AdaptiveAvgPool3d(1)(x),
    ],
)
def test_adaptive_average_pool_to_one_is_a_mean_as_in_aten(make):
    rng = np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype(np.float32)
    out = []
    for lib in (torch, torchlike):
        x = lib.tensor(rng, requires_grad=True)
        y = make(lib, x)
        y.sum().backward()
        out.append(
            (
                type(y.grad_fn).__name__,
                tuple(y.shape),
                y.stride(),
                y.detach().numpy(),
                x.grad.numpy(),
            )
        )
    (pn, ps, pst, pv, pg), (tn, ts, tst, tv, tg) = out
    assert (tn if pn != "AsStridedBackward1" else pn, ts, tst) == (pn, ps, pst)
    np.testing.assert_allclose(tv, pv, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tg, pg, rtol=1e-6)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize(
    "kind, args",
    [
        ("max", dict(kernel_size=0)),
        ("max", dict(kernel_size=2, stride=0)),
        ("max", dict(kernel_size=2, dilation=0)),
        ("max", dict(kernel_size=2, padding=2)),
        ("max", dict(kernel_size=9)),
        ("max", dict(kernel_size=2)),
        ("avg", dict(kernel_size=0)),
        ("avg", dict(kernel_size=2, stride=0)),
        ("avg", dict(kernel_size=2, padding=2)),
        ("avg", dict(kernel_size=9)),
        ("avg", dict(kernel_size=3, stride=2)),
    ],
)
def test_pooling_argument_checks_match_pytorch(nd, kind, args):
    def outcome(lib):
        pool = getattr(lib.nn, f"{'Max' if kind == 'max' else 'Avg'}Pool{nd}d")(**args)
        try:
            return tuple(pool(lib.zeros((1, 2) + (8,) * nd)).shape)
        except RuntimeError as e:
            return str(e)

    assert outcome(torchlike) == outcome(torch)
