"""The scheduler base class and the helpers every scheduler shares.

A scheduler works on any object with ``param_groups`` (a list of dicts holding
at least ``'lr'``) and a ``step`` method. Every value written into a group is a
plain Python float: the engine feeds hyper-parameters to compiled programs as
inputs, so a schedule never causes a recompile.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)
_ORDER_DOCS = (
    "See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
)


def _per_group(name: str, optimizer: Any, value: Any) -> list:
    """One value per param group: broadcast a scalar, check a list's length."""
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(value)} values, param_groups has {n}."
            )
        return list(value)
    return [value] * n


def _group_values(optimizer: Any, key: str = "lr") -> list:
    return [group[key] for group in optimizer.param_groups]


def _number(v):
    """A Python float, or the int PyTorch would keep (``SGD(lr=5)`` reports ``[5]``)."""
    return v if type(v) is int else float(v)


def _write_lrs(optimizer: Any, lrs: Iterable) -> None:
    for group, lr in zip(optimizer.param_groups, lrs, strict=True):
        group["lr"] = _number(lr)


def _uses_betas(optimizer: Any) -> bool:
    """Whether momentum is cycled through ``betas[0]`` (Adam-like) or ``momentum`` (SGD-like)."""
    defaults = getattr(optimizer, "defaults", None) or optimizer.param_groups[0]
    if "momentum" not in defaults and "betas" not in defaults:
        raise ValueError(
            "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"
        )
    return "betas" in defaults


def _write_momentum(group: dict, use_beta1: bool, value: float) -> None:
    if use_beta1:
        group["betas"] = (float(value), *group["betas"][1:])
    else:
        group["momentum"] = float(value)


def _track_optimizer_step(optimizer: Any) -> None:
    """Wrap ``optimizer.step`` so the scheduler can tell whether it ran before its own step."""
    step = optimizer.step
    if getattr(step, "_wrapped_by_lr_sched", False):
        return
    # A bound method is re-bound on each call through a weak reference, so the
    # optimizer does not keep itself alive through its own attribute.
    func = getattr(step, "__func__", None) if getattr(step, "__self__", None) is optimizer else None
    opt_ref = weakref.ref(optimizer)

    @wraps(step)
    def wrapper(*args, **kwargs):
        opt = opt_ref()
        opt._opt_called = True
        return func(opt, *args, **kwargs) if func is not None else step(*args, **kwargs)

    wrapper._wrapped_by_lr_sched = True
    optimizer.step = wrapper


# -- base class ----------------------------------------------------------------------------


class LRScheduler:
    """Base class: subclasses implement ``get_lr()`` (chainable form, reading the
    groups' current ``lr``) and optionally ``_get_closed_form_lr()`` (used when
    ``step(epoch)`` is given an explicit epoch)."""

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Any, last_epoch: int = -1) -> None:
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", float(group["lr"]))
            elif "initial_lr" not in group:
                raise KeyError(
                    f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                    "scheduler with last_epoch >= 0.\n"
                    "This typically happens when:\n"
                    "1. You're trying to resume training from a checkpoint but haven't properly "
                    "loaded the optimizer state\n"
                    "2. You're using last_epoch >= 0 for a fresh training run (not recommended)"
                )
        self.base_lrs: list[float] = _group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _track_optimizer_step(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` left in the param groups."""
        return self._last_lr

    def get_lr(self) -> list[float]:
        raise NotImplementedError

    def step(self, epoch: int | None = None) -> None:
        if self._step_count == 1:
            self._warn_if_optimizer_not_stepped()
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _warn_if_optimizer_not_stepped(self) -> None:
        if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
            warnings.warn(
                "Seems like `optimizer.step()` has been overridden after learning rate "
                "scheduler initialization. Please, make sure to call `optimizer.step()` before "
                f"`lr_scheduler.step()`. {_ORDER_DOCS}",
                UserWarning,
                stacklevel=3,
            )
        elif not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
                "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
                "will result in PyTorch skipping the first value of the learning rate schedule. "
                f"{_ORDER_DOCS}",
                UserWarning,
                stacklevel=3,
            )

    def _update_lr(self, epoch: float | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            self._apply(self.get_lr)
        else:
            self.last_epoch = epoch
            self._apply(getattr(self, "_get_closed_form_lr", self.get_lr))

    def _apply(self, compute_lrs: Callable[[], list[float]]) -> None:
        """Write the learning rates ``compute_lrs`` returns into the param groups."""
        self._get_lr_called_within_step = True
        try:
            lrs = compute_lrs()
        finally:
            self._get_lr_called_within_step = False
        _write_lrs(self.optimizer, lrs)
        self._last_lr = _group_values(self.optimizer)

    def _warn_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                UserWarning,
                stacklevel=3,
            )


class _LRScheduler(LRScheduler):
    """Old name of :class:`LRScheduler`, kept as a subclass (as PyTorch does)."""
