"""Tensor methods that need Python-level argument handling (varargs shapes, indexing,
in-place fills), and the attachment of registered ops as methods."""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import _creation, _device, _dtype, _host_eval, _memory_format
from . import _random_host as H
from ._ops import indexing as I
from ._ops import pointwise as P
from ._ops import random as R
from ._ops import views as V
from ._ops.registry import METHODS
from ._tensor import Tensor


def _shape_args(args, name="view"):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    out = []
    for a in args:
        if isinstance(a, Tensor):
            a = int(a)
        if not isinstance(a, numbers.Integral):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, but found element of type {type(a).__name__}")
        out.append(int(a))
    return tuple(out)


def view(self, *shape, dtype=None):
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        return V.view_as_dtype.frontend(self, dtype=shape[0])
    shape = _shape_args(shape)
    if self._base is not None or self._reorders_storage():  # (a view's strides: _view_strides.py)
        _check_viewable(self, shape)
    return V.view.frontend(self, shape=shape)


def _check_viewable(self, shape):
    """PyTorch's view of a transposed or expanded tensor: possible only where each run of new
    dimensions splits or merges dimensions that are contiguous with each other in the storage
    (ATen's computeStride)."""
    old_shape = tuple(self.shape)
    numel = math.prod(old_shape)
    if not old_shape or numel == 0:
        return
    shape = list(shape)
    if -1 in shape:
        known = math.prod(s for s in shape if s != -1)
        if not known or numel % known:
            return  # the view kernel raises torch's shape error
        shape[shape.index(-1)] = numel // known
    if math.prod(shape) != numel:
        return
    stride = self.stride()
    view_d = len(shape) - 1
    chunk_base = stride[-1]
    tensor_numel = view_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1 and stride[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or shape[view_d] == 1):
                view_numel *= shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                break
            if d > 0:
                chunk_base = stride[d - 1]
                tensor_numel = view_numel = 1
    else:
        if view_d == -1:
            return
    raise RuntimeError(
        "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
        "two contiguous subspaces). Use .reshape(...) instead."
    )


def reshape(self, *shape):
    return V.reshape.frontend(self, shape=_shape_args(shape, "reshape"))


def view_as(self, other):
    return view(self, *other.shape)


def reshape_as(self, other):
    return reshape(self, *other.shape)


def permute(self, *dims):
    return V.permute.frontend(self, dims=_shape_args(dims, "permute"))


def expand(self, *sizes):
    return V.expand.frontend(self, size=_shape_args(sizes, "expand"))


def expand_as(self, other):
    return expand(self, *other.shape)


def repeat(self, *sizes):
    from ._ops.shape import repeat as rep

    return rep.frontend(self, repeats=_shape_args(sizes, "repeat"))


def tile(self, *dims):
    from ._ops.shape import tile as til

    return til.frontend(self, dims=_shape_args(dims, "tile"))


def flip(self, *dims):
    from ._ops.shape import flip as fl

    return fl.frontend(self, dims=_shape_args(dims, "flip"))


def contiguous(self, memory_format=None):
    if memory_format is not None or "_memory_format" in self.__dict__:
        return _memory_format.contiguous(self, memory_format)
    if self._base is not None and self._chain:  # (clone keeps a permuted view's order: not here)
        return _memory_format._set(self.clone(), None)
    return self


def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    return _creation.tensor(data, dtype=dtype or self._dtype, device=device or self._device, requires_grad=requires_grad)


def _new_factory(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **kw):
        return fn(*size, dtype=dtype or self._dtype, device=device or self._device, requires_grad=requires_grad)

    method.__name__ = "new_" + fn.__name__
    return method


def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    return _creation.full(size, fill_value, dtype=dtype or self._dtype, device=device or self._device,
                          requires_grad=requires_grad)


def sum_to_size(self, *size):
    size = _shape_args(size, "sum_to_size")
    lead = self.dim() - len(size)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(size) if s == 1 and self.shape[i + lead] != 1)
    out = self.sum(dim=dims, keepdim=True) if dims else self
    return out.reshape(size) if lead else out


def where(self, condition, other):
    return P.where.frontend(condition, self, other)


def type_promote_fill(self, value):
    return value


# -- in-place fills -----------------------------------------------------------------------------------


def copy_(self, src, non_blocking=False):
    from ._context import state

    if not isinstance(src, Tensor):
        src = _creation.tensor(src)
    _check_copy_shapes(tuple(self.shape), tuple(src.shape))
    if state.grad_enabled and (self._requires_grad or src._requires_grad):
        # a copy of its own in the history (CopyBackwards): src gets the gradient, not the value
        # self held before (nor src's own last node)
        if src._device != self._device:
            src = src.to(self._device)
        return self._inplace_assign(P.copy_from.frontend(self, src, dtype=self._dtype))
    new = src
    if new._dtype is not self._dtype:
        new = new.to(self._dtype)
    if tuple(new.shape) != tuple(self.shape):
        new = new.expand(self.shape)
    if new._device != self._device:
        new = new.to(self._device)
    if new is src and not src._requires_grad:
        new = P.clone.frontend(src) if src._base is not None else src
    return self._inplace_assign(new)


def _check_copy_shapes(dst: tuple, src: tuple):
    """PyTorch's words for a copy_ source that does not broadcast to the destination."""
    if _broadcasts_to(src, dst):
        return
    from ._engine.trace import broadcast_clash

    clash = broadcast_clash(dst, src)
    if clash:
        raise RuntimeError(clash)
    raise RuntimeError(f"output with shape {list(dst)} doesn't match the broadcast shape {list(np.broadcast_shapes(dst, src))}")


def _host_target(self):
    """The tensor whose host value an in-place initialisation replaces: the tensor itself, or the
    root of a ``.data`` / ``detach()`` alias (``nn.init.normal_(m.weight.data, ...)``)."""
    if self._base is None:
        return self
    if self._chain or self._seen != self._vbox[0]:
        return None
    return self._base


def _host_fillable(self) -> bool:
    """Parameter initialisation: a plain tensor whose value is on the host and whose write records
    no autograd history is filled with NumPy (no program to compile, one transfer at first use)."""
    from ._context import state

    t = _host_target(self)
    return (
        t is not None
        and type(t._data) is np.ndarray
        and t.grad_fn is None
        and not t.__dict__.get("_hostref")
        and not (state.grad_enabled and self._requires_grad)
    )


def _host_assign(self, host: np.ndarray):
    t = _host_target(self)
    arr = np.ascontiguousarray(host.astype(self._dtype.np, copy=False)).reshape(self._data.shape)
    t._data = arr
    t._vbox[0] += 1
    if t is not self:
        self._data = arr
        self._seen = t._vbox[0]
    return self


def zero_(self):
    from ._ops.creation import zeros_like_k

    if _host_fillable(self):
        return _host_assign(self, np.zeros(self._data.shape, self._dtype.np))
    if _records_history(self):
        return self._inplace_assign(I.masked_fill_where.frontend(self, True, 0, node="ZeroBackward0"))
    return self._inplace_assign(zeros_like_k.frontend(self.detach(), dtype=self._dtype))


def fill_(self, value):
    from ._ops.creation import full_like_k

    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions."
        )
    if _host_fillable(self) and not isinstance(value, Tensor):
        return _host_assign(self, np.full(self._data.shape, value, self._dtype.np))
    if _records_history(self) or (isinstance(value, Tensor) and _records_history(value)):
        # a fill with history: the old value gets a zero gradient, a value tensor the sum
        node = "FillBackward3" if isinstance(value, Tensor) else "FillBackward2"
        return self._inplace_assign(I.masked_fill_where.frontend(self, True, value, node=node))
    return self._inplace_assign(full_like_k.frontend(self.detach(), value, dtype=self._dtype))


def _records_history(self) -> bool:
    from ._context import state

    return state.grad_enabled and self._requires_grad


def _host_rng(generator):
    from .random import next_key

    seed, counter = next_key(generator)
    return np.random.Generator(np.random.Philox(key=[seed & 0xFFFFFFFFFFFFFFFF, counter]))


def _host_float(self):
    return np.float64 if self._dtype is _dtype.float64 else np.float32


def _random_fill(self, kernel, *params, generator=None, host=None):
    """Fill ``self`` with random values: drawn on the host from PyTorch's CPU generator stream
    where that applies (``host`` samples them), else by the jax-key ``kernel``."""
    from .random import next_key

    if self._device is _device.META:  # no values to draw (the generator does not advance)
        return self
    if host is not None:
        done = _host_sample(self, host, *params, generator=generator)
        if done is not None:
            return done
    seed, counter = next_key(generator)
    with _no_grad():
        new = kernel.frontend(seed, counter, *params, size=tuple(self.shape), dtype=self._dtype)
    return self._inplace_assign(new)


def _no_grad():
    from .autograd.grad_mode import no_grad

    return no_grad()


def _host_or_kernel_fill(self, kernel, host, philox, a, b, generator):
    from .random import host_rng

    if self._device is _device.META:
        return self
    if host_rng(generator, self._device) is None and _host_fillable(self) and self._dtype.is_floating_point:
        # no mt19937 stream here (an accelerator tensor): a host fill still spares a program
        return _host_assign(self, a + philox(_host_rng(generator)) * (b - a))
    return _random_fill(self, kernel, a, b, generator=generator, host=host)


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}")
    return _host_or_kernel_fill(self, R.uniform_k, H.uniform, lambda g: g.random(self._data.shape, dtype=_host_float(self)),
                                float(a), float(b), generator)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    return _host_or_kernel_fill(self, R.normal_k, H.normal,
                                lambda g: g.standard_normal(self._data.shape, dtype=_host_float(self)),
                                float(mean), float(std), generator)


def bernoulli_(self, p=0.5, *, generator=None):
    from .random import host_rng

    if self._device is _device.META:
        return self
    mt = host_rng(generator, self._device)
    if mt is not None and isinstance(p, Tensor):
        values = H.bernoulli_tensor(mt, np.broadcast_to(p.detach().numpy(), tuple(self.shape)), self._dtype.np)
        return self._inplace_assign(Tensor._make(values, self._dtype, self._device))
    if mt is not None and H.mkl_bernoulli():
        mt.skip(1)  # MKL's stream, seeded by one random(): its values are not replayed (jax key below)
    elif mt is not None:
        return _random_fill(self, R.bernoulli_k, float(p), generator=generator, host=H.bernoulli_scalar)
    return _random_fill(self, R.bernoulli_k, p, generator=generator)


def bernoulli(self, p=None, *, generator=None):
    return _creation.bernoulli(self, p, generator=generator)


def random_(self, from_=None, to=None, *, generator=None, **kwargs):
    from_ = kwargs.pop("from", from_)
    if from_ is None and to is None:  # the dtype's full range (uniform_int_distribution)
        hi = 2**63 - 1 if self._dtype.name == "int64" else 2**24 if self._dtype.is_floating_point else 2**31
        return _random_fill(self, R.randint_k, 0, hi, generator=generator,
                            host=lambda mt, shape, dt, *_: H.random_full(mt, shape, dt))
    if to is None:
        from_, to = 0, from_
    if from_ >= to:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}")
    return _random_fill(self, R.randint_k, int(from_), int(to), generator=generator, host=H.random_from_to)


def exponential_(self, lambd=1.0, *, generator=None):
    return _random_fill(self, R.exponential_k, float(lambd), generator=generator, host=H.exponential)


def _host_sample(self, host, *params, generator=None):
    """PyTorch's own CPU draws for ``self``'s shape (then assigned), or None off the host stream."""
    from .random import host_rng

    if self._device is _device.META:
        return self
    mt = host_rng(generator, self._device) if not self._dtype.is_complex else None
    if mt is None:
        return None
    values = host(mt, tuple(self.shape), self._dtype.np, *params)
    if _host_fillable(self):
        return _host_assign(self, values)
    return self._inplace_assign(Tensor._make(values, self._dtype, self._device))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    done = _host_sample(self, H.cauchy, float(median), float(sigma), generator=generator)
    if done is not None:
        return done
    u = _creation.rand(*self.shape, dtype=_dtype.float64, generator=generator)
    return self._inplace_assign((median + sigma * ((u - 0.5) * np.pi).tan()).to(self._dtype))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    done = _host_sample(self, H.log_normal, float(mean), float(std), generator=generator)
    if done is not None:
        return done
    z = _creation.randn(*self.shape, dtype=_dtype.float64, generator=generator)
    return self._inplace_assign((z * std + mean).exp().to(self._dtype))


def geometric_(self, p, *, generator=None):
    done = _host_sample(self, H.geometric, float(p), generator=generator)
    if done is not None:
        return done
    u = _creation.rand(*self.shape, dtype=_dtype.float64, generator=generator)
    return self._inplace_assign((u.log() / np.log1p(-p)).ceil().to(self._dtype))


# -- indexing ---------------------------------------------------------------------------------------

_BASIC = (int, slice, type(None), type(Ellipsis))


def _is_basic(items):
    for it in items:
        if isinstance(it, bool) or not isinstance(it, _BASIC):
            return False
    return True


def _index_tensor(it):
    if isinstance(it, Tensor):
        return it
    if isinstance(it, bool):
        return _creation.tensor(it)
    if isinstance(it, np.ndarray):
        return _creation.from_numpy(it.astype(np.int64) if it.dtype.kind in "iu" else it)
    if isinstance(it, range):
        it = list(it)
    return _creation.tensor(it, dtype=_dtype.bool_ if _all_bool(it) else _dtype.int64)


def _all_bool(seq):
    flat = np.asarray(seq, dtype=object).reshape(-1)
    return len(flat) > 0 and all(isinstance(v, (bool, np.bool_)) for v in flat)


def _check_basic_bounds(self, items):
    dim = 0
    shape = self.shape
    n_real = sum(1 for it in items if it is not None and it is not Ellipsis)
    if n_real > len(shape):
        if n_real == 1 and not shape:
            if any(isinstance(it, slice) for it in items):
                raise IndexError("slice() cannot be applied to a 0-dim tensor.")
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ "
                "to convert a 0-dim tensor to a number"
            )
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    for it in items:
        if it is Ellipsis:
            dim = len(shape) - sum(1 for j in items[items.index(it) + 1 :] if j is not None)
            continue
        if it is None:
            continue
        if isinstance(it, int) and not isinstance(it, bool):
            if not -shape[dim] <= it < shape[dim]:
                raise IndexError(f"index {it} is out of bounds for dimension {dim} with size {shape[dim]}")
        elif isinstance(it, slice) and it.step is not None and it.step <= 0:
            raise ValueError("slice step cannot be zero" if it.step == 0 else "step must be greater than zero")
        dim += 1


def _check_mask_shape(shape, mask_shape, dim):
    if dim + len(mask_shape) > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    for j, n in enumerate(mask_shape):
        if n != shape[dim + j]:
            raise IndexError(
                f"The shape of the mask {list(mask_shape)} at index {j} does not match the shape of the indexed "
                f"tensor {list(shape)} at index {dim + j}"
            )


def _advanced_spec(self, items):
    """Encode items into a static spec plus index tensors; boolean masks become int indices (a sync)."""
    spec, tensors = [], []
    dim = 0  # the indexed dimension an item starts at (None once past an Ellipsis)
    for it in items:
        if isinstance(it, _BASIC) and not isinstance(it, bool):
            spec.append(("slice", it.start, it.stop, it.step) if isinstance(it, slice) else it)
            dim = None if it is Ellipsis or dim is None else dim + (it is not None)
            continue
        t = _index_tensor(it)
        if t._dtype is _dtype.bool_ or t._dtype is _dtype.uint8:
            if dim is not None:
                _check_mask_shape(self.shape, t.shape, dim)
                dim += t.dim()
            nz = np.nonzero(t._host("boolean mask index"))
            for _k, arr in enumerate(nz):
                spec.append(("tensor", len(tensors)))
                tensors.append(_creation.from_numpy(arr.astype(np.int64)))
            if t.dim() == 0:
                spec.pop() if nz else None
                spec.append(None)
            continue
        if t._dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        dim = None if dim is None else dim + 1
        spec.append(("tensor", len(tensors)))
        tensors.append(t)
    try:
        np.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    except ValueError:
        shapes = ", ".join(str(list(t.shape)) for t in tensors)
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}") from None
    return tuple(spec), tensors


def _index_items(item) -> tuple:
    """The index as a tuple of items. A short list holding a sequence, tensor, slice, ``...`` or
    None is read as a tuple, with PyTorch's deprecation warning (NumPy's old heuristic)."""
    if isinstance(item, tuple):
        return item
    if type(item) is list and len(item) < 32:
        for x in item:
            if isinstance(x, (Tensor, list, tuple, slice, str)) or x is Ellipsis or x is None:
                import warnings

                warnings.warn(
                    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be "
                    "changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will "
                    "be interpreted as tensor index, x[torch.tensor(seq)], which will result either in an "
                    "error or a different result",
                    UserWarning,
                    stacklevel=3,
                )
                return tuple(item)
    return (item,)


def _plain_items(items) -> tuple:
    """PyTorch's item checks before indexing: a float index is refused; an Ellipsis after the first
    one takes no dimension (the first has taken them all)."""
    for it in items:
        if isinstance(it, float):
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                "indices (got float)"
            )
    ellipses = [k for k, it in enumerate(items) if it is Ellipsis]  # (by identity: no tensor ==)
    if len(ellipses) > 1:
        first = ellipses[0]
        items = items[: first + 1] + tuple(it for it in items[first + 1 :] if it is not Ellipsis)
    return items


def __getitem__(self, item):
    items = _plain_items(_index_items(item))
    view = _host_eval.getitem(self, items)  # a small host tensor: NumPy indexing at once
    if view is not None:
        return view
    if _is_basic(items):
        _check_basic_bounds(self, items)
        dynamic = _dynamic_getitem(self, items)
        if dynamic is not None:
            return dynamic
        return V.getitem.frontend(self, index=V.encode_index(items))
    if any(_is_bool_scalar(it) for it in items):
        return _getitem_bool_scalars(self, items)
    spec, tensors = _advanced_spec(self, items)
    return I.index.frontend(self, tensors, spec=spec)


def _is_bool_scalar(it) -> bool:
    return isinstance(it, bool) or (isinstance(it, Tensor) and it._dtype is _dtype.bool_ and it.dim() == 0)


def _getitem_bool_scalars(self, items):
    """x[True], x[..., False, 1]: PyTorch inserts a dimension where the bool stands and indexes
    it with [0] (True) or [] (False), an advanced index (a copy)."""
    items = [it if it is None or it is Ellipsis or isinstance(it, (int, slice)) or _is_bool_scalar(it)
             else _index_tensor(it) for it in items]
    first, second = [], []
    for it in items:
        if _is_bool_scalar(it):
            first.append(None)
            keep = bool(it) if isinstance(it, bool) else bool(it.item())
            second.append(_creation.arange(1 if keep else 0))
        elif it is None:
            first.append(None)
            second.append(slice(None))
        elif isinstance(it, Tensor):
            first.extend([slice(None)] * (it.dim() if it._dtype in (_dtype.bool_, _dtype.uint8) else 1))
            second.append(it)
        else:
            first.append(it if it is Ellipsis else slice(None))
            second.append(it)
    return __getitem__(__getitem__(self, tuple(first)), tuple(second))


def _dynamic_getitem(self, items):
    """x[i], x[i:j], x[:, i:j] with offsets as program inputs (so a loop over offsets compiles
    once); None when the index has no varying offset or a form this path does not cover."""
    if any(it is None for it in items):
        return None
    shape = self._data.shape
    if any(it is Ellipsis for it in items):
        if sum(1 for it in items if it is Ellipsis) > 1:
            return None
        k = items.index(Ellipsis)
        items = items[:k] + (slice(None),) * (len(shape) - len(items) + 1) + items[k + 1:]
    plan = []
    for dim, it in enumerate(items):
        if isinstance(it, int):
            plan.append(("select", it % shape[dim]))
        else:
            start, stop, step = it.indices(shape[dim])
            if step != 1:
                return None
            plan.append(("slice", start, max(stop - start, 0)))
    if not any(isinstance(it, int) or (isinstance(it, slice) and it.start is not None) for it in items):
        return None  # no offset given (x[:, :n]): nothing can vary between steps
    out, axis = self, 0
    for dim, p in enumerate(plan):
        if p[0] == "select":
            out = V.select_dyn.frontend(out, p[1], axis=axis)
        else:
            if p[1] != 0 or p[2] != shape[dim]:
                out = V.slice_dyn.frontend(out, p[1], axis=axis, size=p[2])
            axis += 1
    return out


def __setitem__(self, item, value):
    items = _index_items(item)
    if _host_eval.setitem(self, items, value):  # a small host tensor: written by NumPy at once
        return
    if isinstance(value, Tensor) and value.dim() and value.shape[0] == 1:
        # PyTorch drops a value's leading size-1 dims before broadcasting it to the target
        shape = tuple(value.shape)
        while shape and shape[0] == 1:
            shape = shape[1:]
        value = value.reshape(shape)
    if len(items) == 1 and isinstance(items[0], Tensor) and items[0]._dtype is _dtype.bool_:
        mask = items[0]
        if (not isinstance(value, Tensor) or value.numel() == 1) and tuple(mask.shape) == tuple(self.shape[: mask.dim()]):
            m = mask.reshape(tuple(mask.shape) + (1,) * (self.dim() - mask.dim()))
            # (a Python float for a float64 tensor enters as float64, not as a float32 number)
            v = value.reshape(()) if isinstance(value, Tensor) else _creation._exact(value, self._dtype)
            self._inplace_assign(I.masked_fill_where.frontend(self, m, v, node="IndexPutBackward0"))
            return
    basic = _is_basic(items)
    if basic:
        _check_basic_bounds(self, items)
        if isinstance(value, Tensor):
            # the view's shape, from a zero-stride array (nothing allocated)
            target = np.broadcast_to(np.empty((), np.bool_), tuple(self.shape))[items].shape
            if not _broadcasts_to(tuple(value.shape), target):
                value.expand(target)  # raises PyTorch's error (x[i] = v is a copy_ into x[i])
        if not any(_narrows(it) for it in items):  # x[...] = v, x[:] = v
            copy_(self, value if isinstance(value, Tensor) else _creation.tensor(value, dtype=self._dtype))
            return
        # integer positions become 0-d index arrays: program inputs, so x[i] = v in a loop over i
        # compiles once (the placement is the same as with Python ints)
        tensors = []
        enc = []
        for it in items:
            if isinstance(it, int) and not isinstance(it, bool):
                enc.append(("tensor", len(tensors)))
                tensors.append(_creation.from_numpy(np.asarray(it, np.int64)))
            else:
                enc.append(it)
        spec = V.encode_index(tuple(enc))
        node = "CopySlices"
    else:
        spec, tensors = _advanced_spec(self, items)
        # ints, slices or None first make a view (x[0, idx] = v writes into x[0]): a CopySlices
        node = "CopySlices" if any(_narrows(it) for it in items) else None
    if not isinstance(value, Tensor):
        value = _creation.tensor(value, dtype=self._dtype)
    elif value._dtype is not self._dtype:
        value = value.to(self._dtype)
    if not basic and value.dim():
        zeros = [np.zeros(tuple(t.shape), np.int64) for t in tensors]
        target = np.broadcast_to(np.empty((), np.bool_), tuple(self.shape))[V.decode_index(spec, zeros)].shape
        if not _broadcasts_to(tuple(value.shape), target):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(value.shape)} cannot be broadcast to "
                f"indexing result of shape {list(target)}"
            )
    self._inplace_assign(I.index_put.frontend(self, value, tensors, spec=spec, node=node))


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    if len(shape) > len(target):
        return False
    return all(a == 1 or a == b for a, b in zip(reversed(shape), reversed(target)))


def _narrows(it) -> bool:
    """Whether a basic index item makes a view other than the whole tensor (``:`` and ``...`` do not)."""
    if isinstance(it, bool) or not isinstance(it, _BASIC) or it is Ellipsis:
        return False
    return not (isinstance(it, slice) and it == slice(None))


def index_put_(self, indices, values, accumulate=False):
    spec, tensors = _advanced_spec(self, tuple(indices))
    return self._inplace_assign(I.index_put.frontend(self, values, tensors, spec=spec, accumulate=accumulate))


def index_put(self, indices, values, accumulate=False):
    spec, tensors = _advanced_spec(self, tuple(indices))
    return I.index_put.frontend(self, values, tensors, spec=spec, accumulate=accumulate)


def masked_select(self, mask):
    return __getitem__(self.expand(np.broadcast_shapes(tuple(self.shape), tuple(mask.shape))),
                       mask.expand(np.broadcast_shapes(tuple(self.shape), tuple(mask.shape))))


def masked_scatter(self, mask, source):
    shape = np.broadcast_shapes(tuple(self.shape), tuple(mask.shape))  # (self broadcasts too)
    m = mask.expand(shape)._host("masked_scatter")
    n = int(m.sum())
    out = self.expand(shape).clone()
    out[_creation.from_numpy(m)] = source.reshape(-1)[:n]
    return out


def nonzero(self, *, as_tuple=False):
    if self.dim() == 0:
        if as_tuple:
            return (_creation.from_numpy(np.zeros(int(bool(self.item())), np.int64)),)
        return _creation.from_numpy(np.zeros((int(bool(self.item())), 0), np.int64))
    nz = np.nonzero(self._host("nonzero()"))
    if as_tuple:
        return tuple(_creation.from_numpy(a.astype(np.int64)) for a in nz)
    return _creation.from_numpy(np.stack(nz, axis=1).astype(np.int64) if nz else np.zeros((0, 0), np.int64))


def argwhere(self):
    return nonzero(self)


def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    a = self._host("unique()")
    vals, inv, counts = np.unique(a, return_inverse=True, return_counts=True, axis=dim)
    out = [_creation.from_numpy(vals.astype(a.dtype))]
    if return_inverse:
        out.append(_creation.from_numpy(inv.reshape(a.shape if dim is None else -1).astype(np.int64)))
    if return_counts:
        out.append(_creation.from_numpy(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
    a = self._host("unique_consecutive()").reshape(-1)
    if a.size == 0:
        keep = np.zeros(0, bool)
    else:
        keep = np.concatenate([[True], a[1:] != a[:-1]])
    vals = a[keep]
    out = [_creation.from_numpy(vals)]
    if return_inverse:
        out.append(_creation.from_numpy((np.cumsum(keep) - 1).astype(np.int64).reshape(self.shape)))
    if return_counts:
        idx = np.flatnonzero(keep)
        out.append(_creation.from_numpy(np.diff(np.append(idx, a.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def split(self, split_size_or_sections, dim=0):
    return V.split.frontend(self, split_size_or_sections=_split_arg(split_size_or_sections), dim=dim)


def _split_arg(s):
    return int(s) if isinstance(s, (numbers.Integral, Tensor)) else tuple(int(x) for x in s)


def apply_(self, fn):
    a = np.vectorize(fn)(self._host("apply_")).astype(self._dtype.np)
    return self._inplace_assign(_creation.from_numpy(a))


def map_(self, other, fn):
    a = np.vectorize(fn)(self._host("map_"), other._host("map_")).astype(self._dtype.np)
    return self._inplace_assign(_creation.from_numpy(a))


_T_WARNED: set = set()


def _T(self):
    n = self.dim()
    if n != 2:  # PyTorch's TORCH_WARN_ONCEs (once per process for each)
        key = "0-d" if n == 0 else "other"
        if key not in _T_WARNED:
            _T_WARNED.add(key)
            import warnings

            warnings.warn(
                "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."
                if n == 0
                else "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                UserWarning,
                stacklevel=2,
            )
    return V.permute.frontend(self, dims=tuple(range(self.dim() - 1, -1, -1)))


def _mT(self):
    if self.dim() < 2:
        raise RuntimeError(
            f"tensor.mT is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor."
        )
    return V.transpose.frontend(self, dim0=-2, dim1=-1)


def _repeat_interleave(self, repeats, dim=None, *, output_size=None):
    from ._ops.shape import repeat_interleave_k

    if isinstance(repeats, Tensor):
        repeats = tuple(repeats.tolist()) if repeats.dim() else int(repeats)
    return repeat_interleave_k.frontend(self, repeats=repeats, dim=dim)


def _install():
    for name, fn in METHODS.items():
        setattr(Tensor, name, fn)
    local = dict(
        view=view, reshape=reshape, view_as=view_as, reshape_as=reshape_as, permute=permute, expand=expand,
        expand_as=expand_as, repeat=repeat, tile=tile, flip=flip, contiguous=contiguous,
        new_tensor=new_tensor, new_full=new_full, sum_to_size=sum_to_size, where=where, copy_=copy_,
        zero_=zero_, fill_=fill_, uniform_=uniform_, normal_=normal_, bernoulli_=bernoulli_,
        bernoulli=bernoulli, random_=random_, exponential_=exponential_, cauchy_=cauchy_,
        log_normal_=log_normal_, geometric_=geometric_, __getitem__=__getitem__, __setitem__=__setitem__,
        index_put_=index_put_, index_put=index_put, masked_select=masked_select,
        masked_scatter=masked_scatter, nonzero=nonzero, argwhere=argwhere, unique=unique,
        unique_consecutive=unique_consecutive, split=split, apply_=apply_, map_=map_,
        repeat_interleave=_repeat_interleave,
    )
    for name, fn in local.items():
        setattr(Tensor, name, fn)
    Tensor.new_zeros = _new_factory(_creation.zeros)
    Tensor.new_ones = _new_factory(_creation.ones)
    Tensor.new_empty = _new_factory(_creation.empty)
    Tensor.T = property(_T)
    Tensor.mT = property(_mT)
    Tensor.H = property(lambda self: _T(self).conj())
    Tensor.mH = property(lambda self: _mT(self).conj())
    Tensor.real = property(lambda self: P.real.frontend(self))
    Tensor.imag = property(lambda self: P.imag.frontend(self))
    for name in ("add", "sub", "mul", "div", "floor_divide", "remainder", "pow", "bitwise_and",
                 "bitwise_or", "bitwise_xor", "matmul"):
        inplace = getattr(Tensor, name + "_", None)
        if inplace is not None:
            setattr(Tensor, _IDUNDER[name], inplace)
    Tensor.__imatmul__ = lambda self, other: self._inplace_assign(self @ other)
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        kinds = _COMPARABLE + (np.ndarray,) if name == "eq" else _COMPARABLE
        setattr(Tensor, f"__{name}__", _comparison_dunder(METHODS[name], kinds))
    Tensor.__hash__ = lambda self: id(self)


_COMPARABLE = (Tensor, int, float, complex, np.generic)


def _comparison_dunder(front, kinds):
    """``x == other``: NotImplemented for an operand PyTorch does not compare with (a string,
    None, a list; a NumPy array except for ==), so Python falls back (``x == None`` is
    False, ``x < "a"`` a TypeError, as in PyTorch)."""

    def dunder(self, other):
        if not isinstance(other, kinds):
            return NotImplemented
        return front(self, other)

    dunder.__name__ = front.__name__
    return dunder


_IDUNDER = {
    "add": "__iadd__", "sub": "__isub__", "mul": "__imul__", "div": "__itruediv__",
    "floor_divide": "__ifloordiv__", "remainder": "__imod__", "pow": "__ipow__",
    "bitwise_and": "__iand__", "bitwise_or": "__ior__", "bitwise_xor": "__ixor__", "matmul": "__imatmul__",
}


# in-place aliases PyTorch has under a second name, and the everyday methods written in Python
_INPLACE_ALIASES = {
    "absolute_": "abs_", "arccos_": "acos_", "arccosh_": "acosh_", "arcsin_": "asin_", "arcsinh_": "asinh_",
    "arctan_": "atan_", "arctanh_": "atanh_", "arctan2_": "atan2_", "greater_": "gt_", "greater_equal_": "ge_",
    "less_": "lt_", "less_equal_": "le_", "not_equal_": "ne_", "multiply_": "mul_", "subtract_": "sub_",
    "true_divide_": "div_", "negative_": "neg_", "swapaxes_": "transpose_", "swapdims_": "transpose_",
}
# in-place variants of out-of-place methods: result written back through the usual in-place path
_INPLACE_OF = ("copysign", "hypot", "xlogy", "sgn", "addmv", "addbmm", "renorm")


def module_load(self, other, assign=False):
    """What ``nn.Module.load_state_dict`` swaps into the parameter ``self`` for ``other`` when
    ``torch.__future__.set_swap_module_params_on_conversion(True)`` (a Tensor subclass may
    override it through ``__torch_function__``)."""
    from .overrides import handle_torch_function, has_torch_function_variadic

    if has_torch_function_variadic(self, other):
        return handle_torch_function(Tensor.module_load, (self, other), self, other, assign=assign)
    if assign:
        return other.detach()
    return self.copy_(other).detach()


def _install_extra():
    from . import _functions as Fn
    from ._ops.registry import _inplace_method

    for alias, base in _INPLACE_ALIASES.items():
        if not hasattr(Tensor, alias) and hasattr(Tensor, base):
            setattr(Tensor, alias, getattr(Tensor, base))
    local = dict(
        is_same_size=Fn.is_same_size, is_signed=Fn.is_signed, is_conj=Fn.is_conj, is_neg=Fn.is_neg,
        select_scatter=Fn.select_scatter, slice_scatter=Fn.slice_scatter, diagonal_scatter=Fn.diagonal_scatter,
        renorm=Fn.renorm, split_with_sizes=Fn.split_with_sizes, unsafe_chunk=Tensor.chunk,
        unsafe_split=Tensor.split, unsafe_split_with_sizes=Fn.split_with_sizes, module_load=module_load,
    )
    for name, fn in local.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    for base in _INPLACE_OF:
        if hasattr(Tensor, base) and not hasattr(Tensor, base + "_"):
            setattr(Tensor, base + "_", _inplace_method(getattr(Tensor, base), base + "_"))
