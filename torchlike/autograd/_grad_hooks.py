"""torch.autograd.graph's hook helpers: register_multi_grad_hook, increment_version,
get_gradient_edge (re-exported by graph.py)."""

from __future__ import annotations

from typing import NamedTuple

from .._context import state
from .._tensor import Tensor


class GradientEdge(NamedTuple):
    """An edge of the autograd graph: a node and which of its outputs."""

    node: object
    output_nr: int
    ownership_token: object = None


GradientEdge.__module__ = "torch.autograd.graph"


def _grad_fn_or_acc(t: Tensor):
    from .graph import grad_edge

    e = grad_edge(t)
    return e[0] if e is not None else None


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require gradients"
        )
    return GradientEdge(_grad_fn_or_acc(tensor), tensor._out_idx if tensor.grad_fn is not None else 0)


def increment_version(tensor) -> None:
    """Mark a tensor (or each of several) as modified in place."""
    if isinstance(tensor, Tensor):
        tensor = (tensor,)
    for t in tensor:
        t._vbox[0] += 1


def _will_execute(node) -> bool:
    task = state.backward_task
    if task is None:
        raise AssertionError("expected this hook to be called inside a backward call")
    deps, roots, is_grad = task
    if is_grad and type(node).__name__ == "AccumulateGrad":
        raise RuntimeError(
            "A leaf node was passed to _will_engine_execute_node but we are currently running "
            "autograd.grad(). This is currently not supported."
        )
    return node in deps or node in roots


class _MultiHandle:
    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for h in self.handles:
            h.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_multi_grad_hook(tensors, fn, *, mode: str = "all"):
    """``fn`` once per backward: with every tensor's gradient (None for those this backward does not
    compute) when the last one is ready (``mode="all"``), or with the first one (``mode="any"``)."""
    supported_modes = ("all", "any")
    if mode not in supported_modes:
        raise ValueError(f"Expects mode to be one of {supported_modes} but got {mode}")
    tensors = list(tensors)
    grad_fns = [_grad_fn_or_acc(t) for t in tensors]
    runs: dict = {}  # id of the running backward -> [calls so far, expected calls, gradients]

    def inner(idx):
        def hook(grad):
            task = state.backward_task
            if task is None:
                raise AssertionError("expected this hook to be called inside a backward call")
            key = id(task)
            run = runs.get(key)
            if run is None:
                run = runs[key] = [0, sum(map(_will_execute, grad_fns)), [None] * len(tensors)]
            if mode == "any":
                if run[0] == 0:
                    fn(grad)
                run[0] += 1
                if run[0] == run[1]:
                    del runs[key]
                return None
            run[2][idx] = grad
            run[0] += 1
            if run[0] == run[1]:
                del runs[key]
                fn(run[2])
            return None

        return hook

    return _MultiHandle(tuple(t.register_hook(inner(i)) for i, t in enumerate(tensors)))
