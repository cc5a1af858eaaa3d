"""Tensor creation: from data (tensor, as_tensor, from_numpy) and by shape (zeros, ones, rand...)."""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from . import _barebones, _device, _dtype, _memory_format, _meta, _tensor_data
from . import _random_host as H
from ._context import state
from ._ops import creation as K
from ._ops import random as R
from ._ops.registry import accepts_out
from ._tensor import _NUMPY_SHARE_LIMIT, Tensor


def _sized(fn: str, args: tuple, size) -> tuple:
    """The size of ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``."""
    if size is None:
        return _size(args, fn)
    if args:
        raise TypeError(f"{fn}() got multiple values for argument 'size'")
    return _size((size,), fn)


def _size(size, fn: str = "") -> tuple:
    name = fn or "zeros"
    if len(size) == 1 and not isinstance(size[0], (tuple, list, Tensor, numbers.Integral)):
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, not {type(size[0]).__name__}")
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    elif len(size) == 1 and isinstance(size[0], Tensor):
        size = size[0].tolist()
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, numbers.Integral):
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {len(out) + 1} with error "
                f'"type must be tuple of ints,but got {type(s).__name__}"'
            )
        out.append(int(s))
    if any(s < 0 for s in out):
        if fn == "zeros":  # (zeros checks its sizes itself; the other factories leave it to empty)
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        bad = next(s for s in out if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {out}")
    return tuple(out)


def _dt(dtype, default=None):
    if dtype is None:
        return default or state.default_dtype
    return _dtype.to_dtype(dtype)


def _dev(device):
    return _device.canonical(_device.to_device(device)) if device is not None else _device.default_device()


def _finish(t: Tensor, requires_grad: bool, device=None) -> Tensor:
    if device is not None:
        t._device = device
    if requires_grad:
        t._set_requires_grad(True, "Only Tensors of floating point and complex dtype can require gradients")
    return t


# -- from data -------------------------------------------------------------------------------------


def _infer_dtype(data):
    """The torch dtype of nested Python data, as ``torch.tensor`` infers it: Python bools, ints,
    floats and complexes are bool, int64, the default float and complex; NumPy scalars/arrays and
    tensors keep their dtype; the leaves' dtypes promote (``[np.float64(1.5), 2]`` is float64)."""
    default_float = state.default_dtype
    inferred = None
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
            continue
        if isinstance(x, Tensor):
            d = x._dtype
        elif isinstance(x, (np.generic, np.ndarray)):  # before the numbers: np.float64 is a float
            d = _dtype.from_np(x.dtype)
        elif isinstance(x, bool):
            d = _dtype.bool_
        elif isinstance(x, numbers.Integral):
            d = _dtype.int64
        elif isinstance(x, numbers.Real):
            d = default_float
        elif isinstance(x, numbers.Complex):
            d = default_float.to_complex()
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
        inferred = d if inferred is None else _dtype.promote_types(inferred, d)
    return default_float if inferred is None else inferred  # torch.tensor([]) is a float tensor


def _to_host(data, nested=False):
    if isinstance(data, Tensor):
        host = data.detach()._host("tensor(tensor)")
        if nested:  # a tensor inside a list is read as one number
            if data.numel() != 1:
                raise _NotAScalar("only one element tensors can be converted to Python scalars")
            return np.asarray(host).reshape(())
        return host
    if isinstance(data, (list, tuple)):
        return [_to_host(x, True) for x in data]
    return data


class _NotAScalar(ValueError):
    """(PyTorch's error for a multi-element tensor inside a list: raised as it is)"""


def host_data(data, dtype=None) -> tuple:
    """Nested Python data (lists, tuples, numbers, tensors, arrays) as ``(host array, dtype)``, read
    as ``torch.tensor`` reads it, with its errors (``_tensor_data``). No device op: DataLoader
    workers collate Python numbers with it."""
    try:
        dt = _dt(dtype) if dtype is not None else _infer_dtype(data)
        host = _to_host(data)
        arr = np.asarray(host)
        if dt is _dtype.uint64 and arr.dtype.kind in "fO":  # ints past int64 read exactly
            arr = _exact_uint64(host, arr)
        readable = arr.dtype.kind in "biuf" or (arr.dtype.kind == "c" and dt.is_complex)
    except _NotAScalar as e:
        raise ValueError(str(e)) from None
    except (TypeError, ValueError, OverflowError):
        readable = False
    if not readable:
        kind = None if dtype is None else _dt(dtype).np.kind
        _tensor_data.raise_data_error(
            data, kind, lambda x: isinstance(x, Tensor), lambda: _infer_dtype(data).np.kind
        )
        if not (dt.is_floating_point or dt.is_complex):
            raise TypeError("new(): invalid data type 'object'")  # (PyTorch reads it, NumPy not)
        # ints past int64 stored as floats
        arr = np.asarray(host, dtype=np.complex128 if dt.is_complex else np.float64)
    return _cast_host(arr, dt), dt


def _exact_uint64(host, arr: np.ndarray) -> np.ndarray:
    try:
        return np.asarray(host, dtype=np.uint64)
    except (TypeError, ValueError, OverflowError):
        return arr


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    if dtype is not None and not isinstance(dtype, _dtype.dtype):
        raise TypeError(f"tensor(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
            "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        src = data.detach()
        t = src.clone() if dtype is None else src.to(dtype).clone()
        return _finish(t if device is None else t.to(device), requires_grad)
    if isinstance(data, np.ndarray):
        arr = np.array(data, copy=True)
        dt = _dt(dtype, _dtype.from_np(arr.dtype))
    elif isinstance(data, np.generic):
        arr = np.asarray(data)
        dt = _dt(dtype, _dtype.from_np(arr.dtype))
    else:
        if hasattr(data, "__array__") and not isinstance(data, (list, tuple, numbers.Number)):
            arr = np.asarray(data)
            dt = _dt(dtype, _dtype.from_np(arr.dtype))
        else:
            arr, dt = host_data(data, dtype)
    arr = _cast_host(arr, dt)
    dev = _dev(device)
    return _finish(Tensor._make(arr, dt, dev), requires_grad)


def _cast_host(arr: np.ndarray, dt) -> np.ndarray:
    if dt in _dtype.FLOAT8 and arr.dtype != dt.np:
        arr = _barebones.to_float8(arr.astype(np.float32) if _barebones.is_float8_np(arr.dtype) else arr, dt)
    if arr.dtype != dt.np:
        if dt.is_integral and arr.dtype.kind in "fc":
            arr = np.trunc(arr.real if arr.dtype.kind == "c" else arr)
        arr = arr.astype(dt.np)
    return arr if arr.flags.c_contiguous else arr.copy(order="C")


def as_tensor(data, dtype=None, device=None) -> Tensor:
    if isinstance(data, Tensor):
        t = data
        if dtype is not None and _dtype.to_dtype(dtype) is not t._dtype:
            t = t.to(dtype)
        if device is not None:
            t = t.to(device)
        return t
    if isinstance(data, np.ndarray) and (dtype is None or _dtype.to_dtype(dtype).np == data.dtype) and device is None:
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=None) -> Tensor:
    """as_tensor with PyTorch's copy= and requires_grad= controls: a tensor keeps its autograd
    history unless requires_grad=False (then it is detached); copy=True never shares memory."""
    if isinstance(obj, Tensor) and requires_grad is False:
        obj = obj.detach()
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy and (t is obj or getattr(t, "_np_shared", None) is obj or (isinstance(obj, Tensor) and t._data is obj._data)):
        t = t.clone() if isinstance(obj, Tensor) else tensor(np.array(obj, copy=True), dtype=dtype, device=device)
    if requires_grad and not t.requires_grad:
        t = t.detach().requires_grad_() if t is obj else t.requires_grad_()
    return t


def from_numpy(arr: np.ndarray) -> Tensor:
    t = _from_numpy_unshared(arr)
    if t._data is arr and arr.flags.writeable and arr.size <= _NUMPY_SHARE_LIMIT:
        # PyTorch's tensor shares the array's memory: the array is the tensor's value until its
        # first use on the device, and an in-place op on the tensor writes into it (Tensor._rebind)
        t._np_shared = arr
    return t


def _from_numpy_unshared(arr: np.ndarray) -> Tensor:
    """The tensor of a host array nobody else writes to (a collated batch, a loaded checkpoint)."""
    if not isinstance(arr, np.ndarray):
        mod = type(arr).__module__
        name = type(arr).__name__ if mod == "builtins" else f"{mod}.{type(arr).__name__}"
        raise TypeError(f"expected np.ndarray (got {name})")
    dt = _dtype.from_np(arr.dtype)
    return Tensor._make(arr if arr.flags.c_contiguous else arr.copy(order="C"), dt, _device.CPU)


def _rebuild_from_numpy(arr, requires_grad):
    t = from_numpy(np.array(arr))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_shared(cls, shm, requires_grad):
    """Unpickle a shared-memory tensor (or Parameter) in another process: attach, don't copy."""
    from . import _shared

    name, shape, dt = shm
    view = _shared.attach(name, shape, dt)
    t = object.__new__(cls)
    Tensor._init(t, view, _dtype.from_np(view.dtype), _device.CPU)
    t._shm = shm
    t._hostref = True
    if requires_grad:
        t.requires_grad_(True)
    return t


def legacy_tensor(*args, **kwargs):
    """``torch.Tensor(...)``: a tensor of the default tensor type (``torch.set_default_dtype`` /
    ``set_default_tensor_type`` change it) built from sizes, a ``torch.Size``, data or a storage."""
    from ._size import Size

    device = kwargs.get("device")
    dt = state.default_dtype
    if not args:
        return tensor([], dtype=dt, device=device)
    if len(args) == 1 and isinstance(args[0], Size):  # a Size is a shape, a plain tuple is data
        return empty(tuple(args[0]), dtype=dt, device=device)
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)):
        return tensor(args[0], dtype=dt, device=device)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]
    if len(args) == 1 and hasattr(args[0], "_storage_tensor"):
        return args[0]._storage_tensor(dt)
    return empty(*args, dtype=dt, device=device)


# -- by shape ---------------------------------------------------------------------------------------


def _creation_op(kernel, requires_grad, **attrs):
    t = kernel.frontend(**attrs)
    return _finish(t, requires_grad, attrs.get("device"))


@accepts_out(factory=True)
def zeros(*args, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False):
    return _creation_op(K.zeros_k, requires_grad, size=_sized("zeros", args, size), dtype=_dt(dtype),
                        device=_dev(device))


@accepts_out(factory=True)
def ones(*args, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
         pin_memory=False):
    return _creation_op(K.ones_k, requires_grad, size=_sized("ones", args, size), dtype=_dt(dtype),
                        device=_dev(device))


@accepts_out(factory=True)
def empty(*args, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False, memory_format=None):
    # host memory (zeros, for determinism): layers create parameters with empty() and initialise
    # them in place, which then happens in NumPy with nothing to compile (see _tensor_methods)
    dt, dev, shape = _dt(dtype), _dev(device), _sized("empty", args, size)
    data = _meta.MetaValue(shape, dt.np) if dev is _device.META else np.zeros(shape, dt.np)
    t = _finish(Tensor._make(data, dt, dev), requires_grad)
    return t if memory_format is None else _memory_format.new_with(t, memory_format)


@accepts_out(factory=True)
def full(size, fill_value, dtype=None, device=None, requires_grad=False, out=None, layout=None, pin_memory=False):
    if dtype is None:
        if isinstance(fill_value, Tensor):
            dt = fill_value._dtype
        else:
            dt = _dtype.scalar_dtype(fill_value, state.default_dtype)
    else:
        dt = _dtype.to_dtype(dtype)
    t = K.full_k.frontend(_exact(fill_value, dt), size=_size((size,)), dtype=dt, device=_dev(device))
    return _finish(t, requires_grad, _dev(device))


@accepts_out(factory=True)
def eye(n, m=None, dtype=None, device=None, requires_grad=False, out=None, layout=None, pin_memory=False):
    for name, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    return _creation_op(K.eye_k, requires_grad, n=int(n), m=int(m if m is not None else n), dtype=_dt(dtype),
                        device=_dev(device))


@accepts_out(factory=True)
def arange(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False, out=None, layout=None,
           pin_memory=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        is_int = all(isinstance(v, numbers.Integral) for v in vals)
        dt = _dtype.int64 if is_int else state.default_dtype
    else:
        dt = _dtype.to_dtype(dtype)
    length = max(0, math.ceil((end - start) / step))
    if dt.is_floating_point:  # ATen computes in double (in float for half types)
        start, step = _exact(float(start), _dtype.float64), float(step)
    return _finish(K.arange_k.frontend(start, length=length, step=step, dtype=dt, device=_dev(device),
                                       chunk=_parallel_chunk(length)),
                   requires_grad, _dev(device))


def _parallel_chunk(n: int, grain: int = 32768) -> int | None:
    """The range each thread of ATen's ``at::parallel_for(0, n, GRAIN_SIZE)`` takes (None: one)."""
    if n < grain:
        return None
    import torchlike

    threads = min(torchlike.get_num_threads(), -(-n // grain))
    return -(-n // threads)


def range_(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    n = int(math.floor((end - start) / step)) + 1
    return arange(start, start + n * step - step / 2 if step > 0 else start + n * step - step / 2, step,
                  dtype=dtype or state.default_dtype, device=device, requires_grad=requires_grad)


@accepts_out(factory=True)
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False):
    start = start.item() if isinstance(start, Tensor) else start
    end = end.item() if isinstance(end, Tensor) else end
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _dt(dtype)
    start, end = _exact(float(start), _dtype.float64), _exact(float(end), _dtype.float64)
    return _finish(K.linspace_k.frontend(start, end, steps=int(steps), dtype=dt, device=_dev(device)),
                   requires_grad, _dev(device))


@accepts_out(factory=True)
def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False, out=None):
    dt = _dt(dtype)
    return _finish(
        K.logspace_k.frontend(_exact(float(start), _dtype.float64), _exact(float(end), _dtype.float64),
                              steps=int(steps), base=float(base), dtype=dt,
                              device=_dev(device)),
        requires_grad, _dev(device))


def _exact(value, dt):
    """A Python float for a double-precision op, as a float64 program input (a bare Python float
    enters programs as float32)."""
    if isinstance(value, float) and dt in (_dtype.float64, _dtype.complex128):
        return Tensor._make(np.asarray(value, np.float64), _dtype.float64, _device.CPU)
    return value


META = _device.META


def _like(kernel, x, dtype, device, requires_grad, *extra, memory_format=None, fname="empty_like"):
    dt = _dt(dtype, x._dtype)
    src = x.detach()
    if device is not None and META in (_dev(device), x._device) and _dev(device) is not x._device:
        src = empty(x.shape, dtype=x._dtype, device=device)  # (no values to move to or from meta)
    t = kernel.frontend(src, *(_exact(e, dt) for e in extra), dtype=dt)
    if device is not None:
        t = t.to(device)
    if memory_format is not None or "_memory_format" in x.__dict__:
        _memory_format.like(t, x, memory_format, fname)
    return _finish(t, requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):  # noqa: A002
    return _like(K.zeros_like_k, input, dtype, device, requires_grad, memory_format=memory_format, fname="zeros_like")


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):  # noqa: A002
    return _like(K.ones_like_k, input, dtype, device, requires_grad, memory_format=memory_format, fname="ones_like")


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):  # noqa: A002
    return _like(K.zeros_like_k, input, dtype, device, requires_grad, memory_format=memory_format)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):  # noqa: A002
    return _like(K.full_like_k, input, dtype, device, requires_grad, fill_value, memory_format=memory_format,
                 fname="full_like")


# -- random ---------------------------------------------------------------------------------------


_COMPLEX_VIA_REAL = (H.normal, H.uniform)


def _rand_op(kernel, size, dtype, device, requires_grad, generator, *params, host=None, **attrs):
    """A random tensor: drawn on the host from PyTorch's CPU generator stream where that applies
    (``host`` samples it), else by the jax-key ``kernel``."""
    from .random import host_rng, next_key

    dev = _dev(device)
    _barebones.check_created(kernel.opdef.name, dtype)
    if dev is _device.META:  # shapes only: nothing is drawn, the generator does not advance
        return _finish(_meta.empty(size, dtype), requires_grad)
    complex_ok = not dtype.is_complex or host in _COMPLEX_VIA_REAL
    mt = host_rng(generator, dev) if host is not None and complex_ok else None
    if mt is not None and dtype.is_complex:
        # ATen fills view_as_real(self); a normal's std is split evenly between the two parts
        if host is H.normal:
            params = (params[0], params[1] / math.sqrt(2))
        pairs = host(mt, tuple(size) + (2,), dtype.to_real().np, *params)
        z = np.ascontiguousarray(pairs).view(dtype.np)[..., 0]
        return _finish(Tensor._make(z, dtype, dev), requires_grad)
    if mt is not None:
        return _finish(Tensor._make(host(mt, size, dtype.np, *params), dtype, dev), requires_grad)
    seed, counter = next_key(generator)
    t = kernel.frontend(seed, counter, *params, size=size, dtype=dtype, **attrs)
    return _finish(t, requires_grad, dev)


def _floating_only(kernel, dtype):
    """rand/randn of an integer or bool dtype: ATen's kernel has no such instance."""
    if dtype is not None:
        dt = _dtype.to_dtype(dtype)
        if not (dt.is_floating_point or dt.is_complex):
            raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.SCALAR_NAMES[dt.name]}\'')


@accepts_out(factory=True)
def rand(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None,
         layout=None, pin_memory=False):
    _floating_only("check_uniform_bounds", dtype)
    return _rand_op(R.uniform_k, _sized("rand", args, size), _dt(dtype), device, requires_grad, generator, 0.0,
                    1.0, host=H.uniform)


@accepts_out(factory=True)
def randn(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None, pin_memory=False):
    _floating_only("normal_kernel_cpu", dtype)
    return _rand_op(R.normal_k, _sized("randn", args, size), _dt(dtype), device, requires_grad, generator, 0.0,
                    1.0, host=H.normal)


_RANDINT_COMBINATION = (
    "randint() received an invalid combination of arguments - got ({}), but expected one of:\n"
    + "".join(
        f" * ({args}tuple of ints size, *, {gen}Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
        "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
        for args in ("int high, ", "int low, int high, ")
        for gen in ("torch.Generator generator, ", "")
    )
)


@accepts_out(factory=True)
def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
            out=None, layout=None, pin_memory=False):
    explicit_low = size is not None and high is not None
    if size is None:
        # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=...), as the Datasets & DataLoaders tutorial calls it
        low, high = 0, low
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    if isinstance(size, numbers.Integral):  # randint(0, 10, 3) or randint(0, 10): ints where a size goes
        if explicit_low:
            raise TypeError(_RANDINT_COMBINATION.format(", ".join(["int"] * 3)))
        raise TypeError("randint(): argument 'size' (position 2) must be tuple of ints, not int")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return _rand_op(R.randint_k, _size((size,), "randint"), _dt(dtype, _dtype.int64), device, requires_grad, generator,
                    int(low), int(high), host=H.random_from_to)


# randperm_cpu switches to a random64() Fisher-Yates from this size on (not replayed here)
_RANDPERM_HOST_LIMIT = 0xFFFFFFFF // 20


@accepts_out(factory=True)
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False):
    from .random import host_rng, next_key

    n, dt, dev = int(n), _dt(dtype, _dtype.int64), _dev(device)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    _barebones.check_created("randperm", dt)
    if dev is _device.META:
        return _finish(_meta.empty((n,), dt), requires_grad)
    mt = host_rng(generator, dev) if n < _RANDPERM_HOST_LIMIT else None
    if mt is not None:
        return _finish(Tensor._make(H.randperm(mt, n, dt.np), dt, dev), requires_grad)
    seed, counter = next_key(generator)
    t = R.randperm_k.frontend(seed, counter, n=n, dtype=dt)
    return _finish(t, requires_grad, dev)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, generator=None):  # noqa: A002
    t = rand(*input.shape, dtype=dtype or input._dtype, device=device or input.device,
             requires_grad=requires_grad, generator=generator)
    return _memory_format.like(t, input, memory_format, "rand_like")


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, generator=None):  # noqa: A002
    t = randn(*input.shape, dtype=dtype or input._dtype, device=device or input.device,
              requires_grad=requires_grad, generator=generator)
    return _memory_format.like(t, input, memory_format, "randn_like")


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False, memory_format=None,  # noqa: A002
                 generator=None):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input._dtype, device=device or input.device,
                   generator=generator)


def _check_std(std):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


@accepts_out
def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
           out=None):
    from .random import host_rng, next_key

    if not isinstance(std, Tensor):
        _check_std(std)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        shape = tuple(np.broadcast_shapes(tuple(mean.shape) if isinstance(mean, Tensor) else (),
                                          tuple(std.shape) if isinstance(std, Tensor) else ()))
        ref = mean if isinstance(mean, Tensor) else std
        mt = host_rng(generator, ref._device)
        if mt is None:
            seed, counter = next_key(generator)
            return R.normal_tensor_k.frontend(seed, counter, mean, std, size=shape, dtype=ref._dtype)
        # as ATen: standard normals (scaled by a float std) into the output, then mul_(std) and
        # add_(mean) rounded one by one (on the host: XLA would fuse them into one fma)
        dt = ref._dtype.np
        scale = 1.0 if isinstance(std, Tensor) else float(std)
        z = H.normal(mt, shape, dt, 0.0, scale)
        if isinstance(std, Tensor):
            z = z * std.detach().numpy().astype(dt)
        z = z + (mean.detach().numpy() if isinstance(mean, Tensor) else np.asarray(mean)).astype(dt)
        return Tensor._make(np.ascontiguousarray(z, dt), ref._dtype, ref._device)
    if size is None:
        raise TypeError("normal() received an invalid combination of arguments")
    _check_std(std)
    return _rand_op(R.normal_k, _size((size,)), _dt(dtype), device, requires_grad, generator, float(mean),
                    float(std), host=H.normal)


@accepts_out
def bernoulli(input, p=None, *, generator=None, out=None):  # noqa: A002
    from .random import host_rng, next_key

    if p is not None and not isinstance(p, Tensor):
        return input.new_empty(tuple(input.shape)).bernoulli_(float(p), generator=generator)
    prob = input if p is None else p
    mt = host_rng(generator, input._device)
    if mt is not None:
        drawn = H.bernoulli_tensor(mt, prob._host("bernoulli()"), input._dtype.np)
        return Tensor._make(drawn, input._dtype, input._device)
    seed, counter = next_key(generator)
    return R.bernoulli_k.frontend(seed, counter, prob, size=tuple(input.shape), dtype=input._dtype)


@accepts_out
def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):  # noqa: A002
    from ._ops.reduction import _torch_type_name
    from .random import host_rng, next_key

    n, replacement = int(num_samples), bool(replacement)
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input._dtype.is_floating_point:
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {_torch_type_name(input._dtype)}"
        )
    if n <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = input.shape[-1]
    if not replacement and n > categories:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if categories > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    if math.prod(input.shape[:-1]) == 0:
        return zeros(*input.shape[:-1], n, dtype=_dtype.int64, device=input._device)
    mt = host_rng(generator, input._device)
    if mt is not None:
        drawn = H.multinomial(mt, input._host("multinomial()"), n, replacement)
        return Tensor._make(drawn, _dtype.int64, input._device)
    seed, counter = next_key(generator)
    return R.multinomial_k.frontend(seed, counter, input, num_samples=n, replacement=replacement)


def binomial(count, prob, generator=None):
    """torch.binomial (its sampler lives with torch.distributions' Binomial)."""
    from .distributions._binomial import binomial as draw

    return draw(count, prob, generator=generator)


def poisson(input, generator=None):  # noqa: A002
    from .random import host_rng, next_key

    mt = host_rng(generator, input._device)
    if mt is not None:  # PyTorch's CPU draws
        return Tensor._make(H.poisson(mt, input._host("poisson")), input._dtype, input._device)
    seed, counter = next_key(generator)
    return R.poisson_k.frontend(seed, counter, input)


# -- .to() argument parsing ---------------------------------------------------------------------------


def parse_to(t, *args, **kwargs):
    dtype = kwargs.pop("dtype", None)
    dev = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    for a in args:
        if isinstance(a, _dtype.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype, dev = a._dtype, a._device
        elif isinstance(a, (str, _device.device, int)):
            dev = a
        elif isinstance(a, bool):
            pass
        elif a is None:
            pass
        else:
            dtype = _dtype.to_dtype(a)
    if kwargs:
        raise TypeError(f"to() received an invalid combination of arguments - got unexpected {list(kwargs)}")
    if dev is not None:
        dev = _device.canonical(_device.to_device(dev if not isinstance(dev, int) else _device.device("cuda", dev)))
    return (_dtype.to_dtype(dtype) if dtype is not None else None), dev, copy
