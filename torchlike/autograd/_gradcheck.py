"""torch.autograd.gradcheck: analytical gradients (backward) against central finite differences."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    pass


def _outputs(out):
    return (out,) if isinstance(out, Tensor) else tuple(o for o in out if isinstance(o, Tensor))


def _numerical(func, inputs, i, eps):
    from .. import _creation

    x = inputs[i]
    base = x.detach().numpy().astype(np.float64)
    cols = []
    for j in range(base.size):
        vals = []
        for sign in (1.0, -1.0):
            pert = base.copy().reshape(-1)
            pert[j] += sign * eps
            args = list(inputs)
            args[i] = _creation.tensor(
                pert.reshape(base.shape), dtype=x.dtype, requires_grad=x.requires_grad
            )
            vals.append(
                [o.detach().numpy().astype(np.float64).reshape(-1) for o in _outputs(func(*args))]
            )
        cols.append([(p - m) / (2 * eps) for p, m in zip(*vals)])
    return cols  # [input element][output index] -> d out / d x_j


def _forward_jacobians(func, inputs, diff):
    """Forward AD: per output, per input, the Jacobian built column by column from dual inputs."""
    from .. import _creation
    from . import forward_ad as fwAD

    jac = {}
    for i in diff:
        x = inputs[i]
        for j in range(x.numel()):
            basis = np.zeros(x.numel())
            basis[j] = 1.0
            with fwAD.dual_level():
                tangent = _creation.tensor(basis.reshape(tuple(x.shape)), dtype=x.dtype)
                args = list(inputs)
                args[i] = fwAD.make_dual(x.detach(), tangent)
                outs = _outputs(func(*args))
                for oi, o in enumerate(outs):
                    t = fwAD.unpack_dual(o).tangent
                    col = (
                        np.zeros(o.numel())
                        if t is None
                        else t.numpy().astype(np.float64).reshape(-1)
                    )
                    jac.setdefault((oi, i), np.zeros((o.numel(), x.numel())))[:, j] = col
    return jac


def gradcheck(
    func,
    inputs,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    check_forward_ad=False,
    check_backward_ad=True,
    **kwargs,
):
    from . import grad as _grad

    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    outs = _outputs(func(*inputs))
    if check_forward_ad:
        forward = _forward_jacobians(func, inputs, diff)
        for (oi, i), analytic in forward.items():
            numeric = np.stack([col[oi] for col in _numerical(func, inputs, i, eps)], axis=1)
            if not np.allclose(analytic, numeric, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian computed with forward mode mismatch for output {oi} with "
                        f"respect to input {i},\nnumerical:{numeric}\nanalytical:{analytic}\n"
                    )
                return False
    if not check_backward_ad:
        return True
    for oi, out in enumerate(outs):
        flat = out.reshape(-1)
        analytic = {i: np.zeros((flat.numel(), inputs[i].numel())) for i in diff}
        if out.requires_grad:
            for k in range(flat.numel()):
                gs = _grad(flat[k], [inputs[i] for i in diff], retain_graph=True, allow_unused=True)
                for i, g in zip(diff, gs):
                    if g is not None:
                        analytic[i][k] = g.numpy().astype(np.float64).reshape(-1)
        for i in diff:
            numeric = np.stack([col[oi] for col in _numerical(func, inputs, i, eps)], axis=1)
            if not np.allclose(analytic[i], numeric, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {oi} with respect to input {i},\n"
                        f"numerical:{numeric}\nanalytical:{analytic[i]}\n"
                    )
                return False
    return True


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    **kwargs,
):
    from . import grad as _grad

    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]

    def first_grads(*args):
        outs = _outputs(func(*args))
        total = sum(o.sum() for o in outs)
        gs = _grad(total, [args[i] for i in diff], create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(
        first_grads, inputs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception
    )
