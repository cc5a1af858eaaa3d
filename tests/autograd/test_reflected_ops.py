"""A Python number on the left (``1 - t``, ``1 + t``, ``2 * t``, ``3 / t``): PyTorch's Tensor
``__r*__`` methods are ``self.add(other)``, ``self.mul(other)``, ``rsub(self, other)`` and
``self.reciprocal() * other``; the grad_fn, its edges and the values follow them."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

CASES = {
    "rsub": lambda lib, t: 1 - t,
    "radd": lambda lib, t: 1 + t,
    "rmul": lambda lib, t: 2 * t,
    "rtruediv": lambda lib, t: 3 / t,
    "rsub_function_scalar": lambda lib, t: lib.rsub(t, 1),
    "rsub_function_alpha": lambda lib, t: lib.rsub(t, 2.5, alpha=3),
    "rsub_function_tensor": lambda lib, t: lib.rsub(t, t * 2),
}


def _edges(fn):
    return [type(n).__name__ if n is not None else None for n, _ in fn.next_functions]


@pytest.mark.parametrize("case", sorted(CASES))
def test_reflected_op_graph_values_and_gradient_match_pytorch(case):
    data = np.random.default_rng(0).uniform(0.5, 3.0, 7).astype(np.float32)
    seen = []
    for lib in (torch, tl):
        t = lib.tensor(data, requires_grad=True)
        out = CASES[case](lib, t)
        out.sum().backward()
        seen.append((out.grad_fn.name(), _edges(out.grad_fn), out.detach().numpy(), t.grad.numpy()))
    (pt_name, pt_edges, pt_out, pt_grad), (tl_name, tl_edges, tl_out, tl_grad) = seen
    assert (tl_name, tl_edges) == (pt_name, pt_edges)
    np.testing.assert_array_equal(tl_out, pt_out)  # 3 / t is reciprocal(t) * 3 in both
    np.testing.assert_allclose(tl_grad, pt_grad, rtol=1e-6)


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
def test_reflected_ops_on_integer_tensors_promote_as_pytorch(dtype):
    def run(lib):
        t = lib.tensor([1, 2, 4], dtype=getattr(lib, dtype)) if dtype != "bool" else lib.tensor([True, False, True])
        results = []
        for f in (lambda: 1 + t, lambda: 2 * t, lambda: 3 / t, lambda: 1.5 * t):
            r = f()
            results.append((str(r.dtype), r.tolist()))
        return results

    assert run(tl) == run(torch)
