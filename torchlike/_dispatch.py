"""dispatch(op, inputs, attrs): torch type promotion, lazy recording, autograd bookkeeping.

Every torch op goes through here once; this is the per-op hot path, so it stays flat.
"""

from __future__ import annotations

import numpy as np

from . import _debug_checks, _dtype, _host_eval, _memory_format, _meta
from ._context import state
from ._device import CPU, META
from ._engine.graph import Scalar, record
from ._engine.trace import infer
from ._tensor import Tensor

_BY_NP = _dtype._BY_NP
_NUMBERS = (int, float, bool, complex)
_NP_SCALARS = (np.number, np.bool_)
_PERMUTING_VIEWS = _memory_format._PERMUTING_VIEWS
_CHECKED = _debug_checks.CHECKED
_HOST_KERNELS = _host_eval.KERNELS
_FILL_OPS = _host_eval.FILL_OPS
_number_dtype = _host_eval.number_dtype


def result_type(args, default_float) -> _dtype.dtype | None:
    """torch.result_type over tensors and Python numbers (dim tensors > 0-d tensors > numbers)."""
    dim_r = zero_r = wrap_r = None
    promote = _dtype.promote_types
    for a in args:
        if isinstance(a, Tensor):
            d = a._dtype
            if a._data.shape:
                dim_r = d if dim_r is None else promote(dim_r, d)
            else:
                zero_r = d if zero_r is None else promote(zero_r, d)
        elif isinstance(a, _NUMBERS):
            d = _dtype.scalar_dtype(a, default_float)
            wrap_r = d if wrap_r is None else promote(wrap_r, d)
    return _dtype.combine_categories(dim_r, _dtype.combine_categories(zero_r, wrap_r))


def _value_of(a, dt, default_float):
    if isinstance(a, Tensor):
        return a._value()
    if isinstance(a, _NUMBERS):
        if dt is None:
            dt = _dtype.scalar_dtype(a, default_float)
        return Scalar(a, dt.np)
    if type(a) is list or type(a) is tuple:
        return [_value_of(x, dt, default_float) for x in a]
    return a


def _promote(op, args: list, default_float):
    """The computation dtype of a promoting op; casts the tensor arguments to it (in ``args``)."""
    idx = op.promote_args
    dt = None
    if len(idx) == 2 and op.promote != "list":
        a, b = args[idx[0]], args[idx[1]]
        if isinstance(a, Tensor):
            if isinstance(b, Tensor):
                if a._dtype is b._dtype:
                    dt = a._dtype
            elif type(b) is float or type(b) is int:
                if a._dtype.is_floating_point:
                    dt = a._dtype
    if dt is None:
        pargs = [args[i] for i in idx]
        if op.promote == "list":
            pargs = [x for a in pargs for x in a]
        dt = result_type(pargs, default_float) or default_float
    if op.promote == "float" and not (dt.is_floating_point or dt.is_complex):
        dt = default_float
    for i in idx:
        a = args[i]
        if isinstance(a, Tensor):
            if a._dtype is not dt:
                args[i] = a._cast(dt)
        elif op.promote == "list" and type(a) in (list, tuple):
            args[i] = [x._cast(dt) if isinstance(x, Tensor) and x._dtype is not dt else x for x in a]
    return dt


def dispatch(op, args: list, attrs: tuple):
    ctx = state
    if ctx.profile_ops is not None:  # torch.profiler is recording: it times this call
        return ctx.profile_ops.dispatch(op, args, attrs)
    default_float = ctx.default_dtype
    dt = None
    if ctx.eager and op.name in _CHECKED:
        _debug_checks.run(op, args, attrs)
    if ctx.matmul_precision is not None and "precision" in op.attr_names:
        attrs = tuple((k, ctx.matmul_precision if k == "precision" else v) for k, v in attrs)
    if ctx.autocast is not None:
        from .amp import autocast_args

        args = autocast_args(op, args)
    for i, a in enumerate(args):
        # NumPy scalars promote as Python numbers do (np.bool_ as a float), as in PyTorch
        if type(a) is not Tensor and isinstance(a, _NP_SCALARS):
            args[i] = float(a) if isinstance(a, np.bool_) else a.item()
    if op.promote is not None:
        dt = _promote(op, args, default_float)
    if op.check is not None:
        op.check(args, attrs)
    if op.intercept is not None:
        res = op.intercept(op, args, attrs)
        if res is not None:
            return res
    if op.name in _HOST_KERNELS and _on_host(args):  # small CPU tensors on the host: NumPy, now
        host = _host_eval.run(op, args, attrs, dt, default_float)
        if host is not None:
            outs, multi = host
            results = [Tensor._make(a, _BY_NP[a.dtype], CPU) for a in outs]
            if ctx.memory_formats:
                _memory_format.propagate(op, args, results)
            if op.view and not multi:
                _make_view(results[0], args[0], op, attrs + ((("_inputs", tuple(args[1:])),) if len(args) > 1 else ()))
            elif op.view:
                for i, r in enumerate(results):
                    _make_view(r, args[0], op, attrs, multi_index=i)
            return tuple(results) if multi else results[0]
    values = []
    device = None
    needs_grad = False
    for a in args:
        if isinstance(a, Tensor):
            values.append(a._value())
            if device is None:
                device = a._device
            elif a._device is not device and (device is META or a._device is META):
                device = _meta_with(device, a, args)
            if a._requires_grad:
                needs_grad = True
        elif type(a) is list or type(a) is tuple:
            sub = []
            for x in a:
                if isinstance(x, Tensor):
                    sub.append(x._value())
                    if device is None:
                        device = x._device
                    if x._requires_grad:
                        needs_grad = True
                else:
                    sub.append(_value_of(x, dt, default_float))
            values.append(sub)
        elif isinstance(a, _NUMBERS):
            values.append(Scalar(a, _number_dtype(a, dt, default_float, op.name in _FILL_OPS)))
        else:
            values.append(a)
    if device is None:
        device = _default_device(attrs)
    if device is META:  # shapes and dtypes only (torchlike._meta)
        outs, multi = _meta.record(op, attrs, values)
    else:
        if ctx.direct:  # (kernels take JAX arrays: a host tensor's value may be a NumPy array)
            values = _direct_values(values)
        outs, multi = record(op, attrs, values, infer)
    results = [Tensor._make(p, _BY_NP[p.dtype], device) for p in outs]
    if needs_grad and op.differentiable and ctx.grad_enabled:
        node = _autograd_graph.OpNode(op, attrs, args, values, outs, multi)
        for i, t in enumerate(results):
            if t._dtype.is_floating_point or t._dtype.is_complex:
                t._requires_grad = True
                t.grad_fn = node
                t._out_idx = i
        if ctx.saved_hooks is not None:  # torch.autograd.graph.saved_tensors_hooks
            _autograd_graph.pack_saved(node, args, results)
    if ctx.dual_level is not None and op.differentiable:  # forward AD: the outputs' tangents
        _forward_ad.propagate(op, attrs, args, values, results)
    if ctx.memory_formats:  # torch.channels_last flags (torchlike/_memory_format.py)
        _memory_format.propagate(op, args, results)
    if op.view and not multi:
        _make_view(results[0], args[0], op, attrs + ((("_inputs", tuple(args[1:])),) if len(args) > 1 else ()))
    elif op.view:
        for r in results:
            _make_view(r, args[0], op, attrs, multi_index=r._data.index)
    return tuple(results) if multi else results[0]


def _on_host(args) -> bool:
    """No tensor argument holds a device or pending value (the per-op path: a training step's ops
    on device values skip the NumPy shortcut's checks at once)."""
    for a in args:
        if isinstance(a, Tensor) and type(a._data) is not np.ndarray:
            return False
    return True


def _direct_values(values: list) -> list:
    """NumPy values as JAX arrays, for kernels applied at once (torchlike.func's direct mode):
    NumPy would run ``x.T`` of a constant itself, and the traced program would differ."""
    import jax.numpy as jnp

    out = []
    for v in values:
        if type(v) is np.ndarray:
            v = jnp.asarray(v)
        elif type(v) is list:
            v = [jnp.asarray(x) if type(x) is np.ndarray else x for x in v]
        out.append(v)
    return out


def _make_view(out: Tensor, src: Tensor, op, attrs, multi_index=None):
    root = src._base if src._base is not None else src
    out._base = root
    link = (op, attrs) if multi_index is None else (op, attrs + (("_index", multi_index),))
    out._chain = src._chain + (link,)
    out._vbox = root._vbox
    out._seen = root._vbox[0]
    if "_detached" in src.__dict__:  # a view of .data / detach() (see Tensor._detached_alias)
        out.__dict__["_detached"] = True
    if op.name in _PERMUTING_VIEWS:  # results of element-wise ops on it follow its order
        state.memory_formats = True


def _meta_with(device, t, args):
    """The device of an op mixing meta and other tensors: meta where the others are 0-d CPU
    tensors (which any device's ops take, as scalars), else PyTorch's error."""
    first = next(a for a in args if isinstance(a, Tensor))
    odd = first if t._device is META else t
    if odd._device is CPU and odd.dim() == 0:
        return META
    raise RuntimeError(f"Tensor on device {t._device} is not on the expected device {device}!")


def _default_device(attrs):
    for k, v in attrs:
        if k == "device" and v is not None:
            return v
    return CPU


# at the end: autograd.graph imports the ops, whose frontends need dispatch() defined above
from .autograd import forward_ad as _forward_ad  # noqa: E402
from .autograd import graph as _autograd_graph  # noqa: E402
