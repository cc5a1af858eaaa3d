"""Optimizer: param_groups and state exactly as PyTorch shows them; one fused update per group.

A subclass declares its hyper-parameters (``_hyper``: the numeric group entries, fed to the
program as inputs, so changing ``group['lr']`` never recompiles), its static options (``_static``:
part of the program's identity), the names of its per-parameter state tensors, and a pure JAX
``_update(params, grads, states, hyper, static) -> (new_params, new_states)`` written to
PyTorch's formulas. ``step()`` records that update as ONE node over all parameters of a group,
rebinds the parameters and state tensors to its outputs, and ends the step (a flush that does
not wait for the device).
"""

from __future__ import annotations

import functools
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

import jax.numpy as jnp
import numpy as np

from .. import _creation, _device, _dtype
from .._context import state as _state
from .._engine.execute import flush
from .._engine.graph import Pending, Scalar, record
from .._engine.trace import infer
from .._ops.registry import OpDef
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad
from ..utils.hooks import RemovableHandle


class _RequiredParameter:
    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def _check_lr_eps(lr, eps) -> None:
    """The argument checks (and PyTorch's messages) most optimizers start with."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")

_global_pre_hooks: OrderedDict = OrderedDict()
_global_post_hooks: OrderedDict = OrderedDict()


_Handle = RemovableHandle


def register_optimizer_step_pre_hook(hook):
    h = _Handle(_global_pre_hooks)
    _global_pre_hooks[h.id] = hook
    return h


def register_optimizer_step_post_hook(hook):
    h = _Handle(_global_post_hooks)
    _global_post_hooks[h.id] = hook
    return h


_UPDATE_OPS: dict = {}


def _update_op(cls) -> OpDef:
    op = _UPDATE_OPS.get(cls)
    if op is None:

        def kernel(params, grads, states, hyper, *, static, layout_in, layout_out):
            st = [dict(zip(names, vals)) for names, vals in zip(layout_in, states)]
            # a hyper-parameter given as a tensor arrives in its own dtype; the formulas use float64
            hyper = [jnp.asarray(h).astype(jnp.float64) for h in hyper]
            new_params, new_states = cls._update(params, grads, st, hyper, dict(static))
            return tuple(new_params) + tuple(
                d[n] for d, names in zip(new_states, layout_out) for n in names
            )

        op = OpDef(cls.__name__.lower() + "_step", kernel, differentiable=False)
        _UPDATE_OPS[cls] = op
    return op


def _assign(t: Tensor, new: Pending) -> None:
    """``t``'s value becomes the update's output: in place, as PyTorch's optimizers write (its
    aliases and views see it). A plain tensor of the output's dtype and shape is rebound here;
    anything else (a view, a NumPy-shared tensor, another dtype) takes ``_inplace_assign``."""
    if t._base is None and new.dtype == t._dtype.np and new.shape == t._data.shape and not t.__dict__.get("_hostref"):
        t._data = new
        t._vbox[0] += 1
    else:
        t._inplace_assign(Tensor._make(new, _dtype._BY_NP[new.dtype], t._device))


class Optimizer:
    _hyper: tuple = ("lr",)  # numeric group entries that enter the program as inputs
    _static: tuple = ()  # group entries that are part of the program's identity
    _state_names: tuple = ()  # per-parameter state tensors, in torch's names
    # state the first step makes from the gradient; when declared, ``_update`` gets one more
    # hyper value, 1.0 on the step that finds zeros standing in for it
    _lazy_state: tuple = ()

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                + params.type()
            )
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for group in self.param_groups:  # a state saved by an older version may lack newer options
            for k, v in self.defaults.items():
                group.setdefault(k, v)
        for name in (
            "_optimizer_step_pre_hooks",
            "_optimizer_step_post_hooks",
            "_optimizer_state_dict_pre_hooks",
            "_optimizer_state_dict_post_hooks",
            "_optimizer_load_state_dict_pre_hooks",
            "_optimizer_load_state_dict_post_hooks",
        ):
            self.__dict__.setdefault(name, OrderedDict())

    def __repr__(self):
        format_string = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            format_string += "\n"
            format_string += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    format_string += f"    {key}: {group[key]}\n"
        format_string += ")"
        return format_string

    def add_param_group(self, param_group: dict) -> None:
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in "
                "sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        for p in param_group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + type(p).__name__
                )
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization parameter {name}"
                )
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            import warnings

            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an "
                "error; see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )
        param_set = set()
        for group in self.param_groups:
            param_set.update(id(p) for p in group["params"])
        if not param_set.isdisjoint(id(p) for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- zero_grad / step ------------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    if set_to_none:
                        p._grad = None
                    else:
                        g = p._grad.detach()
                        g.zero_()
                        p._grad = g

    def _init_state(self, p, group) -> dict:
        """Fresh per-parameter state (PyTorch's lazy init on first step)."""
        return {name: state_full(p) for name in self._state_names}

    def _static_of(self, group, states) -> tuple:
        return tuple((k, _freeze(group[k])) for k in self._static)

    def _hyper_values(self, group) -> list:
        """Program inputs, one per hyper-parameter: Python numbers (float64 scalars) or tensor values
        (a tensor ``lr`` enters as it is, so neither kind ever recompiles or syncs)."""
        f64 = np.dtype(np.float64)
        cap = _state.capture  # torchlike.compile recording: the replay re-reads group[k]
        vals = []
        for k in self._hyper:
            v = group[k]
            seq = isinstance(v, (tuple, list))
            for j, x in enumerate(v if seq else (v,)):
                if isinstance(x, Tensor):
                    vals.append(x.detach()._value())
                else:
                    x = float(x) if cap is None else cap.hyper(float(x), group, k, j if seq else None)
                    vals.append(Scalar(x, f64))
        return vals

    @staticmethod
    def _update(params, grads, states, hyper, static):
        raise NotImplementedError

    def _out_names(self, group, st) -> tuple:
        """The state tensors the update produces for one parameter (default: those it has)."""
        return tuple(n for n in self._state_names if n in st)

    def _step_group(self, group):
        params = [p for p in group["params"] if p._grad is not None]
        if not params:
            return
        for p in params:
            st = self.state[p]
            if not st:
                st.update(self._init_state(p, group))
        # state the first step creates from the gradient (SGD's momentum buffer): zeros stand in
        # for it, with a flag that tells the update, so the first step has the program of every
        # later one (one compile, not two); not in a recorded step, whose replay would keep the flag
        stand_in = ()
        if self._lazy_state and _state.capture is None:
            have = {n for p in params for n in self._lazy_state if n in self.state[p]}
            if not have and self._out_names(group, self.state[params[0]]):
                stand_in = self._lazy_state
        grads, states, layout_in, layout_out = [], [], [], []
        for p in params:
            st = self.state[p]
            grads.append(p._grad._value())
            names = tuple(n for n in self._state_names if n in st or n in stand_in)
            layout_in.append(names)
            layout_out.append(tuple(self._out_names(group, st)))
            states.append([st[n]._value() if n in st else state_full(p)._value() for n in names])
        static = self._static_of(group, [self.state[p] for p in params])
        hyper = self._hyper_values(group)
        if self._lazy_state:
            hyper.append(Scalar(1.0 if stand_in else 0.0, np.dtype(np.float64)))
        attrs = (
            ("static", static),
            ("layout_in", tuple(layout_in)),
            ("layout_out", tuple(layout_out)),
        )
        # recorded directly (the values need no promotion, and nothing here requires grad)
        outs, _ = record(_update_op(type(self)), attrs, [[p._value() for p in params], grads, states, hyper], infer)
        n = len(params)
        # in place, as PyTorch updates: aliases of a parameter or a state tensor (views, detached
        # copies, state_dict() entries) see the new value
        for p, new in zip(params, outs[:n]):
            _assign(p, new)
        k = n
        for p, names in zip(params, layout_out):
            st = self.state[p]
            for name in names:
                new = outs[k]
                k += 1
                t = st.get(name)
                if isinstance(t, Tensor):
                    _assign(t, new)
                else:
                    st[name] = Tensor._make(new, _dtype._BY_NP[new.dtype], p._device)

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for hook in chain(_global_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
            r = hook(self, (), {})
            if r is not None:
                raise RuntimeError(
                    f"{hook} must return None or a tuple of (new_args, new_kwargs), but got {r}."
                )
        with no_grad():
            for group in self.param_groups:
                self._step_group(group)
            _state.leaf_update = False  # this step flushes below, after the post hooks
        for hook in chain(_global_post_hooks.values(), self._optimizer_step_post_hooks.values()):
            hook(self, (), {})
        flush("optimizer.step()")
        return loss

    def register_step_pre_hook(self, hook):
        h = _Handle(self._optimizer_step_pre_hooks)
        self._optimizer_step_pre_hooks[h.id] = hook
        return h

    def register_step_post_hook(self, hook):
        h = _Handle(self._optimizer_step_post_hooks)
        self._optimizer_step_post_hooks[h.id] = hook
        return h

    def register_state_dict_pre_hook(self, hook, prepend=False):
        h = _Handle(self._optimizer_state_dict_pre_hooks)
        self._optimizer_state_dict_pre_hooks[h.id] = hook
        return h

    def register_state_dict_post_hook(self, hook, prepend=False):
        h = _Handle(self._optimizer_state_dict_post_hooks)
        self._optimizer_state_dict_post_hooks[h.id] = hook
        return h

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        h = _Handle(self._optimizer_load_state_dict_pre_hooks)
        self._optimizer_load_state_dict_pre_hooks[h.id] = hook
        return h

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        h = _Handle(self._optimizer_load_state_dict_post_hooks)
        self._optimizer_load_state_dict_post_hooks[h.id] = hook
        return h

    # -- state dict ------------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        mapping = {}
        start = 0

        def pack_group(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        by_id = {id(p): p for g in self.param_groups for p in g["params"]}
        packed_state = {}
        for pid, idx in mapping.items():
            p = by_id[pid]
            if p in self.state and self.state[p]:
                packed_state[idx] = {
                    k: (v.detach() if isinstance(v, Tensor) else v)
                    for k, v in self.state[p].items()
                }
        sd = {"state": packed_state, "param_groups": param_groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            r = hook(self, sd)
            if r is not None:
                sd = r
        return sd

    def load_state_dict(self, state_dict: dict) -> None:
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            r = hook(self, state_dict)
            if r is not None:
                state_dict = r
        state_dict = _shallow_copy(state_dict)
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        param_lens = (len(g["params"]) for g in groups)
        saved_lens = (len(g["params"]) for g in saved_groups)
        if any(p_len != s_len for p_len, s_len in zip(param_lens, saved_lens)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        id_map = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = {
                    name: self._load_state_value(param, name, val) for name, val in v.items()
                }
            else:
                state[k] = v
        new_groups = []
        for group, new_group in zip(groups, saved_groups):
            new_group["params"] = group["params"]
            new_groups.append(new_group)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    def _load_state_value(self, param, name, value):
        """PyTorch's cast policy: a deep copy; floating state takes the parameter's dtype, except
        ``step``, which keeps its own; containers recurse; Python numbers stay numbers."""
        if isinstance(value, np.ndarray):
            value = _creation.tensor(value)
        if isinstance(value, Tensor):
            value = value.detach().clone()
            if name == "step":
                return value
            if (
                param.is_floating_point()
                and value.is_floating_point()
                and value.dtype != param.dtype
            ):
                value = value.to(param.dtype)
            return value
        if name == "step" and isinstance(value, (int, float)):
            return _creation.tensor(float(value), dtype=_scalar_dtype())
        if isinstance(value, dict):
            return {k: self._load_state_value(param, k, v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self._load_state_value(param, None, v) for v in value)
        return value


def _lerp(start, end, weight):
    """``start.lerp_(end, weight)`` with PyTorch's two-sided formula (weight a float64 scalar)."""
    w = weight.astype(start.dtype)
    return jnp.where(weight < 0.5, start + w * (end - start), end - (end - start) * (1 - w))


def state_full(p: Tensor, value: float = 0.0) -> Tensor:
    """Fresh per-parameter state like ``p`` filled with ``value`` (``zeros_like``/``full_like``),
    held on the host: the first step's program then takes it as an input, as every later step
    takes the state it carries, and the two share one compiled program (state made by a recorded
    zeros op would be part of the first step's graph: the whole step would compile twice)."""
    if p._device is _device.META or "_memory_format" in p.__dict__:
        return _creation.full_like(p, value).detach()
    return Tensor._make(np.full(p.shape, value, p._dtype.np), p._dtype, p._device)


def state_scalar(value: float = 0.0) -> Tensor:
    """Fresh 0-d state such as ``step`` (a host value, for the reason ``state_full`` gives)."""
    dt = _scalar_dtype()
    return Tensor._make(np.array(value, dt.np), dt, _device.CPU)


def _scalar_dtype():
    """The dtype of 0-d state such as ``step`` (PyTorch: float64 only under a float64 default)."""
    from .._context import state

    return _dtype.float64 if state.default_dtype is _dtype.float64 else _dtype.float32


def _freeze(v):
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    return v


def _shallow_copy(sd):
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in sd.items()}


def _use_grad_for_differentiable(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return fn(*a, **k)

    return wrapper
