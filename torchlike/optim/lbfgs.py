"""L-BFGS with an optional strong-Wolfe line search, following PyTorch's algorithm step for step.

L-BFGS is driven from the host: every closure evaluation, every convergence test and every
line-search decision needs a value, so those are host syncs (as in PyTorch, where they are
``.item()`` calls). Vectors stay on the device. A 0-d float32 tensor that PyTorch keeps for a
scalar (a dot product, a step length derived from one) is a ``numpy.float32`` here, which
follows the same promotion rules against Python floats, so the line search takes the same
branches.

The curvature history lives in fixed-size buffers (``history_size`` rows, oldest first, unused
rows zero, which the two-loop recursion passes through unchanged), so a growing history never
changes a program's shape and L-BFGS compiles a fixed handful of programs. The state shows the
history as PyTorch's lists (``old_dirs``, ``old_stps``, ``ro``, ``al``: views of the buffers' used
rows, rebuilt at the end of each step), and ``load_state_dict()`` fills the buffers from them.
"""

from __future__ import annotations

import numpy as np

from .. import _creation, _dtype, _functions
from .._ops.registry import OpDef
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad
from .optimizer import Optimizer

__all__ = ["LBFGS"]


def _two_loop_kernel(grad, dirs, stps, ro, h_diag):
    import jax.numpy as jnp
    from jax import lax

    dt = grad.dtype
    n = dirs.shape[0]
    ro = ro.astype(dt)

    def backward(k, carry):
        q, al = carry
        i = n - 1 - k
        a = jnp.dot(stps[i], q) * ro[i]
        return q - a * dirs[i], al.at[i].set(a)

    q, al = lax.fori_loop(0, n, backward, (-grad, jnp.zeros((n,), dt)))

    def forward(i, r):
        be = jnp.dot(dirs[i], r) * ro[i]
        return r + (al[i] - be) * stps[i]

    return lax.fori_loop(0, n, forward, q * jnp.asarray(h_diag).astype(dt)), al


def _push_kernel(buffer, row):
    import jax.numpy as jnp

    return jnp.concatenate([buffer[1:], row.reshape((1,) + row.shape).astype(buffer.dtype)])


_TWO_LOOP = OpDef("lbfgs_two_loop", _two_loop_kernel, differentiable=False)
_PUSH = OpDef("lbfgs_push", _push_kernel, differentiable=False)
_HISTORY_KEYS = ("old_dirs", "old_stps", "ro")


def _host(t: Tensor):
    """A 0-d tensor's value as the numpy scalar of its dtype (PyTorch's promotion rules)."""
    return t.detach()._host("LBFGS").reshape(())[()]


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    # the minimiser of the cubic through two points with their derivatives, clamped to bounds
    if bounds is None:
        bounds = (x1, x2) if x1 <= x2 else (x2, x1)
    lo, hi = bounds
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, lo), hi)


def _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    d_norm = _host(d.abs().max())
    f_new, g_new = obj_func(x, t, d)
    evals = 1
    gtd_new = _host(g_new.dot(d))
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    bracket_gtd = None
    # bracketing phase: grow the step until an interval must contain a Wolfe point
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f, bracket_g = [t_prev, t], [f_prev, f_new], [g_prev, g_new]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f, bracket_g = [t_prev, t], [f_prev, f_new], [g_prev, g_new]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        lo, hi = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = (
            t,
            _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(lo, hi)),
        )
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = _host(g_new.dot(d))
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # zoom phase: shrink the bracket until its low end satisfies the strong Wolfe conditions
    insuf_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        top, bottom = max(bracket), min(bracket)
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:
            if insuf_progress or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = _host(g_new.dot(d))
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high], bracket_g[high], bracket_gtd[high] = (
                t,
                f_new,
                g_new,
                gtd_new,
            )
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low], bracket_g[low], bracket_gtd[low] = (
                t,
                f_new,
                g_new,
                gtd_new,
            )
    return bracket_f[low], bracket_g[low], bracket[low], evals


class LBFGS(Optimizer):
    def __init__(
        self,
        params,
        lr=1,
        max_iter=20,
        max_eval=None,
        tolerance_grad=1e-7,
        tolerance_change=1e-9,
        history_size=100,
        line_search_fn=None,
    ):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        self._numel_cache = None
        self._history = None  # (dirs, stps, ro, count): the curvature pairs in fixed-size buffers
        self._al = None  # the two-loop coefficients of the last direction, one per buffer row

    def _numel(self) -> int:
        if self._numel_cache is None:
            self._numel_cache = sum(p.numel() for p in self._params)
        return self._numel_cache

    def _gather_flat_grad(self) -> Tensor:
        views = [
            p.new_zeros(p.numel()) if p.grad is None else p.grad.reshape(-1) for p in self._params
        ]
        return _functions.cat(views, 0)

    def _add_grad(self, step_size, update: Tensor) -> None:
        offset = 0
        for p in self._params:
            n = p.numel()
            p.add_(update[offset : offset + n].view_as(p), alpha=float(step_size))
            offset += n

    def _clone_param(self):
        return [p.clone() for p in self._params]

    def _set_param(self, params_data) -> None:
        for p, v in zip(self._params, params_data):
            p.copy_(v)

    def _directional_evaluate(self, closure, x, t, d):
        self._add_grad(t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    def _push(self, y, s, ro) -> None:
        """Append a curvature pair; the oldest falls off once ``history_size`` pairs are kept."""
        from .._dispatch import dispatch

        dirs, stps, ros, count = self._history
        self._history = (
            dispatch(_PUSH, [dirs, y], ()),
            dispatch(_PUSH, [stps, s], ()),
            dispatch(_PUSH, [ros, ro], ()),
            min(count + 1, dirs.shape[0]),
        )

    def _direction(self, flat_grad, h_diag):
        """The two-loop recursion: -H g for the L-BFGS inverse-Hessian estimate H."""
        from .._dispatch import dispatch

        dirs, stps, ros, _ = self._history
        d, self._al = dispatch(_TWO_LOOP, [flat_grad, dirs, stps, ros, h_diag], ())
        return d

    def _empty_history(self, flat_grad, history_size):
        n = flat_grad.shape[0]
        return (
            flat_grad.new_zeros((history_size, n)),
            flat_grad.new_zeros((history_size, n)),
            flat_grad.new_zeros((history_size,)),
            0,
        )

    def _publish_history(self, state) -> None:
        """PyTorch's history lists in ``state``: views of the buffers' used rows (no copies)."""
        dirs, stps, ros, count = self._history
        rows = slice(dirs.shape[0] - count, None)
        state["old_dirs"] = list(dirs[rows].unbind(0))
        state["old_stps"] = list(stps[rows].unbind(0))
        state["ro"] = list(ros[rows].unbind(0))
        if "al" in state and self._al is not None:
            state["al"] = list(self._al[rows].unbind(0)) + [None] * (dirs.shape[0] - count)

    def load_state_dict(self, state_dict: dict) -> None:
        super().load_state_dict(state_dict)
        self._history, self._al = None, None
        st = self.state.get(self._params[0])
        if not st or "old_dirs" not in st:
            return
        from .. import _functions

        dirs, stps, ros = (st[k] for k in _HISTORY_KEYS)
        al = st.get("al")
        hs = self.param_groups[0]["history_size"]
        flat = st["prev_flat_grad"]
        self._history = self._empty_history(flat, hs)
        for y, s, r in zip(dirs, stps, ros):
            self._push(
                y.to(flat.dtype),
                s.to(flat.dtype),
                _creation.as_tensor(r).to(flat.dtype).reshape(()),
            )
        if al is not None:
            known = [a if a is not None else flat.new_zeros(()) for a in al[: len(dirs)]]
            pad = [flat.new_zeros(())] * (hs - len(known))
            self._al = _functions.stack(
                [_creation.as_tensor(a).to(flat.dtype).reshape(()) for a in pad + known]
            )

    @no_grad()
    def step(self, closure):
        group = self.param_groups[0]
        lr = group["lr"]
        lr = lr.item() if isinstance(lr, Tensor) else lr
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        def evaluate():
            with enable_grad():
                return closure()

        # LBFGS keeps one global state; PyTorch files it under the first parameter
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = evaluate()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if _host(flat_grad.abs().max()) <= tolerance_grad:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        h_diag, prev_flat_grad, prev_loss = (
            state.get("H_diag"),
            state.get("prev_flat_grad"),
            state.get("prev_loss"),
        )
        if isinstance(t, Tensor):
            t = _host(t)

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            # the search direction
            if state["n_iter"] == 1:
                d = flat_grad.neg()
                self._history, h_diag = self._empty_history(flat_grad, history_size), 1
            else:
                y = flat_grad.sub(prev_flat_grad)
                s = d.mul(float(t))
                ys = y.dot(s)
                if _host(ys) > 1e-10:
                    self._push(y, s, 1.0 / ys)
                    h_diag = ys / y.dot(y)
                state.setdefault("al", [None] * history_size)
                d = self._direction(flat_grad, h_diag)
            prev_flat_grad = flat_grad.clone()
            prev_loss = loss

            # the step length
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / _host(flat_grad.abs().sum())) * lr
            else:
                t = lr
            gtd = _host(flat_grad.dot(d))
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = self._clone_param()

                def obj_func(x, t, d):
                    return self._directional_evaluate(evaluate, x, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = _host(flat_grad.abs().max()) <= tolerance_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    # no re-evaluation after the last iteration (its value would go unused)
                    loss = float(evaluate())
                    flat_grad = self._gather_flat_grad()
                    opt_cond = _host(flat_grad.abs().max()) <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if _host(d.mul(float(t)).abs().max()) <= tolerance_change:
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        state["d"] = d
        # a step length derived from a dot product is a 0-d tensor of the parameters' dtype
        state["t"] = (
            _creation.tensor(float(t), dtype=_dtype.from_np(t.dtype))
            if isinstance(t, np.floating)
            else t
        )
        self._publish_history(state)
        state["H_diag"] = h_diag
        state["prev_flat_grad"] = prev_flat_grad
        state["prev_loss"] = prev_loss
        return orig_loss
