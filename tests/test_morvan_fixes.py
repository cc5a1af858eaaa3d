"""Fixes found running the MorvanZhou PyTorch tutorials (tests/tutorials/scripts/t150-t159),
each checked against real PyTorch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")


def _variable_facts(mod):
    from_t = mod.ones(2, 2)
    v = mod.autograd.Variable(from_t, requires_grad=True)
    out = (v * v).mean()
    v2 = mod.autograd.Variable(out)
    v.data.add_(1)  # shares the tensor's data
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        mod.autograd.Variable(from_t, volatile=True)
    try:
        mod.autograd.Variable([1.0])
        err = None
    except TypeError as e:
        err = str(e)
    return (
        from_t.requires_grad, v.requires_grad, v.is_leaf, v is from_t, from_t.tolist(),
        v2.requires_grad, v2.grad_fn is None, isinstance(from_t, mod.autograd.Variable),
        [str(x.message) for x in w], err, tuple(mod.autograd.Variable().shape),
    )


def test_variable_is_a_detached_alias():
    assert _variable_facts(torchlike) == _variable_facts(torch)


def test_variable_module_name():
    assert torchlike.autograd.Variable.__module__ == torch.autograd.Variable.__module__
    np.testing.assert_array_equal(
        torchlike.autograd.Variable(torchlike.arange(3)).numpy(), np.arange(3)
    )
