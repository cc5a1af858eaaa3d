"""``functorch`` (what ``import functorch`` gives under ``python -m torchlike``): torch.func's
transforms, and the older module utilities make_functional, make_functional_with_buffers and
combine_state_for_ensemble (PyTorch deprecates them in favour of torch.func; tutorials still use
them)."""

from __future__ import annotations

import copy

from . import nn
from .func import (  # noqa: F401
    functional_call,
    functionalize,
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    linearize,
    vjp,
    vmap,
)

__all__ = [
    "FunctionalModule",
    "FunctionalModuleWithBuffers",
    "combine_state_for_ensemble",
    "functionalize",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "make_functional",
    "make_functional_with_buffers",
    "vjp",
    "vmap",
]


def _extract(module, named, kind):
    """A module's parameters (or buffers), tied ones once, as ``(tensors, names)``; in the module
    they become meta tensors (shapes only), as in PyTorch, so the module holds no state."""
    tensors, names, metas = [], [], {}
    for name, t in named(remove_duplicate=False):
        owner, attr = _owner(module, name)
        if id(t) not in metas:
            tensors.append(t)
            names.append(name)
            meta = t.detach().to("meta")
            metas[id(t)] = nn.Parameter(meta, t.requires_grad) if kind == "parameter" else meta
        getattr(owner, f"_{kind}s")[attr] = metas[id(t)]
    return tuple(tensors), tuple(names)


def _owner(module, path):
    *parents, attr = path.split(".")
    for p in parents:
        module = getattr(module, p)
    return module, attr


class FunctionalModule(nn.Module):
    """What :func:`make_functional` returns: ``func(params, *args, **kwargs)``."""

    def __init__(self, stateless_model, param_names):
        super().__init__()
        self.stateless_model = stateless_model
        self.param_names = param_names

    def forward(self, params, *args, **kwargs):
        return functional_call(
            self.stateless_model, dict(zip(self.param_names, params)), args, kwargs
        )


class FunctionalModuleWithBuffers(nn.Module):
    """What :func:`make_functional_with_buffers` returns: ``func(params, buffers, *args)``."""

    def __init__(self, stateless_model, param_names, buffer_names):
        super().__init__()
        self.stateless_model = stateless_model
        self.param_names = param_names
        self.buffer_names = buffer_names

    def forward(self, params, buffers, *args, **kwargs):
        values = dict(zip(self.param_names, params))
        values.update(zip(self.buffer_names, buffers))
        return functional_call(self.stateless_model, values, args, kwargs)


def make_functional(model, disable_autograd_tracking: bool = False):
    """``(func, params)``: a copy of ``model`` without its parameters, called as
    ``func(params, *inputs)``, and those parameters (new leaves)."""
    if len(list(model.buffers())) > 0:
        raise RuntimeError(
            "make_functional(model): `model` has buffers. Please use "
            "make_functional_with_buffers(model) instead."
        )
    model = copy.deepcopy(model)
    params, names = _extract(model, model.named_parameters, "parameter")
    if disable_autograd_tracking:
        for p in params:
            p.requires_grad_(False)
    return FunctionalModule(model, names), params


def make_functional_with_buffers(model, disable_autograd_tracking: bool = False):
    """``(func, params, buffers)``: ``func(params, buffers, *inputs)`` runs a copy of ``model``."""
    model = copy.deepcopy(model)
    params, pnames = _extract(model, model.named_parameters, "parameter")
    buffers, bnames = _extract(model, model.named_buffers, "buffer")
    if disable_autograd_tracking:
        for p in params:
            p.requires_grad_(False)
    return FunctionalModuleWithBuffers(model, pnames, bnames), params, buffers


def combine_state_for_ensemble(models):
    """``(func, params, buffers)`` for ``vmap``: one model's function, and every parameter and
    buffer stacked over the models along a new first dimension (detached)."""
    from . import _functions

    if len(models) == 0:
        raise RuntimeError("combine_state_for_ensemble: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError(
            "combine_state_for_ensemble: Expected all models to have the same training/eval mode."
        )
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError(
            "combine_state_for_ensemble: Expected all models to be of the same class."
        )
    funcs, params, buffers = zip(*[make_functional_with_buffers(m) for m in models])

    def stack(groups):
        return tuple(_functions.stack(list(shards)).detach() for shards in zip(*groups))

    return funcs[0], stack(params), stack(buffers)
