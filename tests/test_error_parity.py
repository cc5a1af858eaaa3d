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
        "where_float_condition": lambda: lib.where(a, a, a),
        "where_uint8_condition": lambda: lib.where(
            lib.ones(2, dtype=lib.uint8), lib.ones(2), lib.zeros(2)
        ),
        "allclose_dtypes": lambda: lib.allclose(a, lng),
        "argmax_bool": lambda: lib.tensor([True, False]).argmax(),
        "argmin_bool": lambda: lib.tensor([True, False]).argmin(dim=0),
        "repeat_negative": lambda: a.repeat(-1, 1),
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
