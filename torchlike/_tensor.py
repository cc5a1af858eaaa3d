"""The Tensor: a concrete array or a pending lazy value, plus torch metadata and autograd state.

Views keep PyTorch semantics by functionalisation: a view remembers its root base and the chain
of view ops from it; an in-place op computes the new value out of place and rebinds the root (for
a view, through ``view_scatter``), bumping the version counter shared by the base and its views;
a view whose base moved on recomputes its value from the base when next read.
"""

from __future__ import annotations

import jax
import numpy as np

from . import _device, _dtype, _host_views
from ._context import state
from ._engine import metrics as _metrics
from ._engine.execute import flush
from ._engine.graph import Pending
from ._size import Size

_BY_NP = _dtype._BY_NP
_WARNED_SCALAR_OF_GRAD: set = set()


def _warn_scalar_of_grad_tensor() -> None:
    """``float(t)`` / ``complex(t)`` of a tensor requiring grad while grad mode is on: PyTorch's
    TORCH_WARN_ONCE (once per process for both; ``int``, ``bool`` and ``.item()`` do not warn)."""
    if not _WARNED_SCALAR_OF_GRAD and state.grad_enabled:
        _WARNED_SCALAR_OF_GRAD.add(True)
        import warnings

        warnings.warn(
            "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
            "Consider using tensor.detach() first.",
            UserWarning,
            stacklevel=3,
        )


class _TensorType(type):
    """Prints tensor classes by their torch names: ``type(x)`` is ``<class 'torch.Tensor'>``."""

    def __repr__(cls):
        mod = cls.__module__
        if mod == "torchlike._tensor":
            mod = "torch"
        elif mod == "torchlike" or mod.startswith("torchlike."):
            mod = "torch" + mod[len("torchlike"):]
        return f"<class '{mod}.{cls.__qualname__}'>"


class Tensor(metaclass=_TensorType):
    __slots__ = (
        "_data", "_dtype", "_device", "_base", "_chain", "_seen", "_vbox", "_requires_grad",
        "grad_fn", "_out_idx", "_grad", "_accum", "_hooks", "_retain", "__dict__", "__weakref__",
    )
    # as torch.Tensor's: NumPy scalars and arrays defer their operators to the tensor's reflected
    # ones, so ``np.float32(2) * t`` is a tensor (not an array built through __array__)
    __array_priority__ = 1000

    def __init__(self, *args, **kwargs):
        # torch.Tensor(2, 3) / torch.Tensor([1, 2]) are legacy constructors of float tensors
        from ._creation import legacy_tensor

        src = legacy_tensor(*args, **kwargs)
        if src._base is not None or (len(args) == 1 and src is args[0]):
            # torch.Tensor(tensor) / torch.Tensor(storage) alias their source, as in PyTorch
            src = src._alias(False)
            Tensor._init(self, src._data, src._dtype, src._device)
            self._base, self._chain, self._vbox, self._seen = src._base, src._chain, src._vbox, src._seen
            return
        Tensor._init(self, src._value(), src._dtype, src._device)

    def _init(self, data, dtype, device):
        self._data = data
        self._dtype = dtype
        self._device = device
        self._base = None
        self._chain = ()
        self._seen = 0
        self._vbox = [0]
        self._requires_grad = False
        self.grad_fn = None
        self._out_idx = 0
        self._grad = None
        self._accum = None
        self._hooks = None
        self._retain = False

    @classmethod
    def _make(cls, data, dtype, device):
        t = object.__new__(cls)
        t._init(data, dtype, device)
        return t

    # -- values --------------------------------------------------------------------------
    def _value(self):
        """The current value for an op input: a jax/NumPy array or a Pending."""
        if self._base is not None and self._seen != self._vbox[0]:
            self._refresh_view()
        d = self._data
        if type(d) is Pending and d.array is not None:
            self._data = d = d.array
        elif type(d) is np.ndarray:
            small = (
                d.nbytes <= _HOST_INPUT_MAX
                and state.capture is None
                and not state.direct
                and _host_inputs_ok(self._device)
            )
            if self.__dict__.get("_hostref"):  # the NumPy array is authoritative (shared memory, .numpy())
                if state.capture is not None:
                    state.capture.broken = "the step reads a tensor that shares memory with a NumPy array"
                return np.array(d) if small else _place(np.array(d), self._device)
            if small:
                g = state.graph
                if g is not None and id(d) in g.slot_of:
                    return d  # already an input of the pending graph: the same input again
                if "_host_once" not in self.__dict__ and not self._requires_grad:
                    # used once (a torch.tensor([...]) built in a loop): the program takes it as a
                    # NumPy input, cheaper than a device_put (~50 us); used again: placed. Not a
                    # parameter: autograd would save the NumPy array for the backward while the
                    # optimizer reads the placed one, two inputs where later steps have one
                    self.__dict__["_host_once"] = True
                    return d
            self._data = d = _place(d, self._device)
        return d

    def _concrete(self, cause: str):
        """The value as a concrete jax/NumPy array, flushing (and waiting) if it is pending."""
        d = self._value()
        if type(d) is Pending:
            flush(cause)
            d = self._data = d.array
        elif type(d) is np.ndarray and d is self._data and self._device is not _device.META:
            d = self._data = _place(d, self._device)  # (a small host array _value() left there)
        elif self._device is _device.META:
            from ._meta import no_data

            no_data()
        return d

    def _host(self, cause: str = "host transfer") -> np.ndarray:
        if state.jit_tracing:  # torch.jit.trace running the traced code: PyTorch's TracerWarning
            from .jit._trace import warn_host_read

            warn_host_read()
        d = self._data
        if type(d) is np.ndarray and (self._base is None or self._seen == self._vbox[0]):
            return d
        if self._base is not None and type(d) is Pending and d.array is None and state.capture is None:
            a = _host_views.read(self)  # a view of a computed CPU tensor: NumPy indexing, no program
            if a is not None:
                return a
        d = self._concrete(cause)
        _metrics.metrics.host_transfers += 1
        if state.capture is not None:  # the step's Python depends on a value: it cannot be replayed
            state.capture.broken = f"the step reads a value on the host ({cause})"
        with jax.enable_x64(True):
            return np.asarray(d)

    def _refresh_view(self):
        from ._ops.views import apply_view_chain

        with_grad = state.grad_enabled and (self._base.requires_grad)
        if "_deferred" in self.__dict__:  # a deferred piece (_ops/pieces.py): grad mode of its split
            del self.__dict__["_deferred"]
            prev, state.grad_enabled = state.grad_enabled, self._requires_grad
            try:
                fresh = apply_view_chain(self._base, self._chain, self._requires_grad)
            finally:
                state.grad_enabled = prev
        else:
            fresh = apply_view_chain(self._base, self._chain, with_grad)
        self._data = fresh._data
        if fresh.grad_fn is not None:
            self.grad_fn, self._out_idx = fresh.grad_fn, fresh._out_idx
        self._seen = self._vbox[0]

    # -- metadata --------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim=None):
        shape = self._data.shape
        if dim is None:
            return Size(shape)
        return shape[_wrap_dim(dim, len(shape))]

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self._device.type == "cpu"

    @property
    def ndim(self) -> int:
        return len(self._data.shape)

    def dim(self) -> int:
        return len(self._data.shape)

    ndimension = dim

    def numel(self) -> int:
        n = 1
        for s in self._data.shape:
            n *= s
        return n

    nelement = numel

    def element_size(self) -> int:
        return self._dtype.itemsize

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def is_complex(self) -> bool:
        return self._dtype.is_complex

    def is_contiguous(self, memory_format=None) -> bool:
        if "_memory_format" in self.__dict__ or memory_format is not None:
            from ._memory_format import is_contiguous_as

            return is_contiguous_as(self, memory_format)
        if self._base is None or not self._chain:
            return True
        from . import _view_strides

        found = _view_strides.view_layout(self)  # a view: contiguous when its strides are row-major
        return found is not None and _view_strides.is_contiguous(self._data.shape, found[1])

    def stride(self, dim=None):
        shape = self._data.shape
        if "_memory_format" in self.__dict__:  # channels-last (torchlike/_memory_format.py)
            from ._memory_format import strides as _fmt_strides

            strides = _fmt_strides(shape, self.__dict__["_memory_format"])
        elif self._base is not None and self._chain:
            # a view: its strides in the base's storage as PyTorch reports them, composed along
            # the view chain (torchlike/_view_strides.py)
            from ._view_strides import view_layout

            found = view_layout(self)
            strides = found[1] if found is not None else self._row_major_strides()
        else:
            strides = self._row_major_strides()
        return strides if dim is None else strides[_wrap_dim(dim, len(shape))]

    def _row_major_strides(self) -> tuple:
        strides, acc = [], 1
        for s in reversed(self._data.shape):
            strides.append(acc)
            acc *= max(s, 1)
        return tuple(reversed(strides))

    def _reorders_storage(self) -> bool:
        """Whether this view's chain transposes, permutes or expands its base (then a view of it
        may be impossible; slicing and reshaping views keep the order), or this tensor is stored in
        another order than row-major (channels-last, or an element-wise result of a permuted view)."""
        if "_memory_format" in self.__dict__:
            return True
        if self._base is None:
            return False
        return "_memory_format" in self._base.__dict__ or any(op.name in _REORDERING_VIEWS for op, _ in self._chain)

    def storage_offset(self) -> int:
        if self._base is None or not self._chain:
            return 0
        from ._view_strides import view_layout

        found = view_layout(self)
        return found[0] if found is not None else 0

    def _storage_info(self):
        """(root, offset, stride) as PyTorch would report them for this view of ``root``'s storage
        (the root is stored row-major or in its memory format's order), or None when the view is not
        strided in it (a copy in PyTorch, or no strided layout describes it)."""
        if self._base is None or not self._chain:
            root = self if self._base is None else self._base
            return root, 0, root.stride()  # (a root in another order: its storage strides)
        from ._view_strides import view_layout

        found = view_layout(self)
        if found is None or not found[2]:
            return None
        return self._base, found[0], found[1]

    def __len__(self):
        shape = self._data.shape
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    @property
    def _version(self) -> int:
        return self._vbox[0]

    # -- autograd state -----------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self._set_requires_grad(flag, "only Tensors of floating point and complex dtype can require gradients")

    def requires_grad_(self, requires_grad: bool = True):
        return self._set_requires_grad(requires_grad, "only Tensors of floating point dtype can require gradients")

    def _set_requires_grad(self, requires_grad, dtype_message):
        """requires_grad_, the attribute and the factories' requires_grad=True say different words
        for an integer tensor (PyTorch's three code paths)."""
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
            raise RuntimeError(dtype_message)
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        if self._requires_grad and "_deferred" in self.__dict__:
            return False  # a deferred piece (_ops/pieces.py) of a tensor with history
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad is None and self.grad_fn is not None and not self._retain:
            import warnings

            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
                "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access "
                "the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of size "
                    f"'{list(self.shape)}'. Please ensure that the gradient and the tensor are the same size"
                )
            if value._dtype != self._dtype:
                from ._ops.linalg import _C_NAMES
                from ._ops.pointwise import _TYPE_NAMES

                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_C_NAMES[value._dtype.name]}' to a tensor with "
                    f"grad_dtype '{_TYPE_NAMES[self._dtype.name]}'. The gradient must match the tensor's grad_dtype "
                    "(defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific "
                    "dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor "
                    "and its gradient may break downstream systems that assume they match."
                )
        self._grad = value

    @property
    def data(self):
        return self._detached_alias()

    @data.setter
    def data(self, other):
        if not isinstance(other, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(other).__name__}")
        if self._requires_grad and not (other._dtype.is_floating_point or other._dtype.is_complex):
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex dtype")
        self._data = other._value()
        self._dtype = other._dtype
        self._device = other._device
        if self._base is None:
            self._vbox[0] += 1

    def _alias(self, requires_grad: bool):
        """A tensor sharing this one's value and versions, with no autograd history (``.data``/``detach``)."""
        d = self._data
        fresh = self._base is None or self._seen == self._vbox[0]
        # a host (NumPy) value stays on the host: in-place initialisation through .data then
        # needs no program (see _tensor_methods._host_fillable)
        value = d if type(d) is np.ndarray and fresh and not self.__dict__.get("_hostref") else self._value()
        t = Tensor._make(value, self._dtype, self._device)
        t._base = self._base if self._base is not None else self
        t._chain = self._chain
        t._vbox = self._vbox
        t._seen = self._vbox[0]
        if "_memory_format" in self.__dict__:
            t.__dict__["_memory_format"] = self.__dict__["_memory_format"]
        return t

    def detach(self):
        return self._detached_alias()

    def _detached_alias(self):
        """``.data`` / ``detach()``: an alias outside autograd, whose views (marked, as the views
        of it are recorded against the same root) may be changed in place."""
        t = self._alias(False)
        t.__dict__["_detached"] = True
        return t

    def detach_(self):
        if self._base is not None and self.grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self):
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self._retain = True
            self.grad_fn._retain(self._out_idx, self)

    @property
    def retains_grad(self) -> bool:
        return self._retain

    def register_hook(self, hook):
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if state.capture is not None:  # a replay would not register it again
            state.capture.broken = "the step registers a tensor hook"
        from .autograd.graph import RemovableHandle

        if self.grad_fn is not None:
            return self.grad_fn._add_tensor_hook(self._out_idx, hook)
        if self._hooks is None:
            self._hooks = {}
        return RemovableHandle(self._hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` after the backward accumulated this leaf's ``.grad``."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        from .autograd.graph import RemovableHandle

        return RemovableHandle(self.__dict__.setdefault("_post_acc_hooks", {}), hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- in-place machinery ---------------------------------------------------------------------
    def _check_inplace(self):
        if state.grad_enabled and self._requires_grad and self.grad_fn is None:
            if self._base is None:
                raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        if (state.grad_enabled and self._base is not None and self._base._requires_grad and self._base.grad_fn is None
                and self._chain and "_detached" not in self.__dict__):
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )

    def _inplace_assign(self, new: Tensor):
        """Make ``new`` (computed out of place) this tensor's value, as an in-place op does."""
        self._check_inplace()
        if new._dtype is not self._dtype:
            new = new.to(self._dtype)
        if new._data.shape != self._data.shape:
            try:
                new = new.expand(self._data.shape)
            except RuntimeError:
                raise RuntimeError(
                    f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                    f"{list(new._data.shape)}"
                ) from None
        root = self._base
        if root is None:
            if self._requires_grad and self.grad_fn is None and not state.grad_enabled:
                state.leaf_update = True
            self._rebind(new)
            return self
        if self._chain:
            from ._ops.views import view_scatter

            if _host_eval.assign_view(self, new):  # a small host root: written by NumPy at once
                return self

            if "_detached" in self.__dict__ and state.grad_enabled:
                # a view of .data / detach(): its root's autograd never sees the write, as in PyTorch
                state.grad_enabled = False
                try:
                    new_root = view_scatter(root, new, self._chain)
                finally:
                    state.grad_enabled = True
            else:
                new_root = view_scatter(root, new, self._chain)
        else:
            new_root = new
        root._rebind(new_root)
        self._data = new._data
        if new.grad_fn is not None or self.grad_fn is not None:
            self.grad_fn, self._out_idx = new.grad_fn, new._out_idx
            self._requires_grad = new._requires_grad
        self._seen = self._vbox[0]
        return self

    def _rebind(self, new: Tensor):
        shared = self.__dict__.pop("_np_shared", None)
        if shared is not None:  # from_numpy's array: from now on it holds the value (as .numpy()'s)
            self._data = shared
            self._hostref = True
        if self.__dict__.get("_hostref"):
            np.copyto(self._data, np.asarray(new._concrete("write to a shared NumPy array")))
            self._vbox[0] += 1
            return
        self._data = new._data
        if new.grad_fn is not None:
            self.grad_fn, self._out_idx = new.grad_fn, new._out_idx
            self._requires_grad = True
        elif self.grad_fn is not None:
            # an in-place op under no_grad on a non-leaf keeps its history (as torch does)
            pass
        self._vbox[0] += 1

    # -- conversion to the host ---------------------------------------------------------------
    def item(self):
        if self.numel() != 1:
            raise RuntimeError(
                f"a Tensor with {self.numel()} elements cannot be converted to Scalar"
            )
        return self._host("item()").reshape(()).item()

    def tolist(self):
        return self._host("tolist()").tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        a = self._host("numpy()")
        if a.dtype == _dtype.bfloat16.np:
            raise TypeError("Got unsupported ScalarType BFloat16")
        if self.__dict__.get("_hostref"):
            return self._data
        if self._base is None and self._device.type == "cpu" and a.size <= _NUMPY_SHARE_LIMIT:
            # PyTorch's CPU tensor and its .numpy() share memory: keep this array as the tensor's
            # value (later in-place ops write into it, writes to it show in the tensor)
            if not (a is self._data and a.flags.writeable):
                a = np.array(a)
            self._data = a
            self._hostref = True
        return a

    def __array__(self, dtype=None, copy=None):
        a = self._host("__array__")
        return a.astype(dtype) if dtype is not None else a

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous"
                if self.numel()
                else "Boolean value of Tensor with no values is ambiguous"
            )
        return bool(self._host("bool(tensor)").reshape(()))

    def _scalar(self):
        if self.numel() != 1:  # Python's number conversions say this, item() says another thing
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self):
        if self._requires_grad:
            _warn_scalar_of_grad_tensor()
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __complex__(self):
        if self._requires_grad:
            _warn_scalar_of_grad_tensor()
        return complex(self._scalar())

    def __index__(self):
        if self._dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __repr__(self, *, tensor_contents=None):
        from ._printing import format_tensor

        suffixes = []
        if self._device.type != "cpu":
            suffixes.append(f"device='{self._device}'")
        if self.grad_fn is not None:
            suffixes.append(f"grad_fn=<{type(self.grad_fn).__name__}>")
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        if self._device is _device.META:  # no values: torch prints the size (and a dtype not the default)
            from ._printing import _add_suffixes

            dt = [f"dtype={self._dtype}"] if self._dtype is not state.default_dtype else []
            return _add_suffixes("tensor(...", [suffixes[0], f"size={tuple(self.shape)}", *dt, *suffixes[1:]],
                                 len("tensor("))
        values = self._host("print")
        return format_tensor(values, self._dtype, suffixes, default_dtype=state.default_dtype)

    def __format__(self, spec):
        if self.dim() == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __hash__(self):
        return id(self)

    def __iter__(self):
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reduce_ex__(self, protocol):
        from . import _creation

        shm = self.__dict__.get("_shm")
        if shm is not None:
            return (_creation._rebuild_shared, (type(self), shm, self._requires_grad))
        return (_creation._rebuild_from_numpy, (self.detach()._host("pickle"), self._requires_grad))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment."
            )
        new = type(self).__new__(type(self))
        Tensor._init(new, self._value(), self._dtype, self._device)
        new._requires_grad = self._requires_grad
        if type(self) is not Tensor:
            new.__dict__.update(self.__dict__)
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = new
        return new

    # -- devices and dtypes --------------------------------------------------------------------
    def to(self, *args, **kwargs):
        from ._creation import parse_to

        fmt = kwargs.pop("memory_format", None)
        dtype, dev, copy = parse_to(self, *args, **kwargs)
        t = self
        if dtype is not None and dtype is not t._dtype:
            t = t._cast(dtype)
        if dev is not None and dev != t._device:
            t = t._move(dev)
        if copy and t is self:
            t = self.clone()
        if fmt is not None or "_memory_format" in self.__dict__:
            from ._memory_format import to_after

            t = to_after(self, t, fmt)
        return t

    def _cast(self, dtype):
        from ._ops.pointwise import to_dtype

        return to_dtype.frontend(self, dtype=dtype)

    def _move(self, dev):
        dev = _device.canonical(dev)
        if dev is _device.META:
            from ._meta import to_meta

            return to_meta(self)
        if self.grad_fn is not None or self._requires_grad:
            from ._ops.pointwise import to_device

            return to_device.frontend(self, device=dev)
        arr = self._concrete("to(device)")
        t = Tensor._make(_put(arr, dev), self._dtype, dev)
        return t

    def cuda(self, device=None, non_blocking=False):
        return self.to(_device.device("cuda", device if isinstance(device, int) else None) if not isinstance(device, (str, _device.device)) else device)

    def cpu(self):
        return self.to(_device.CPU)

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return _TYPE_NAMES[self._dtype]
        if isinstance(dtype, str):
            dtype = {v: k for k, v in _TYPE_NAMES.items()}[dtype]
        elif isinstance(getattr(dtype, "dtype", None), _dtype.dtype):  # torch.IntTensor ...
            dtype = dtype.dtype
        return self.to(dtype)

    def type_as(self, other):
        return self.to(other._dtype)

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def half(self):
        return self.to(_dtype.float16)

    def bfloat16(self):
        return self.to(_dtype.bfloat16)

    def long(self):
        return self.to(_dtype.int64)

    def int(self):
        return self.to(_dtype.int32)

    def short(self):
        return self.to(_dtype.int16)

    def char(self):
        return self.to(_dtype.int8)

    def byte(self):
        return self.to(_dtype.uint8)

    def bool(self):
        return self.to(_dtype.bool_)

    def cfloat(self):
        return self.to(_dtype.complex64)

    def jax(self) -> jax.Array:
        """The value as a jax.Array (no copy once computed)."""
        d = self._concrete("jax()")
        return d if isinstance(d, jax.Array) else jax.device_put(d)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        d = self._concrete("__dlpack__")
        if isinstance(d, np.ndarray):
            return d.__dlpack__()
        try:
            return d.__dlpack__(stream=stream)
        except Exception:  # e.g. bool on some backends: export a host copy
            return np.array(d).__dlpack__()

    def __dlpack_device__(self):
        d = self._concrete("__dlpack_device__")
        if isinstance(d, np.ndarray) or next(iter(d.devices())).platform == "cpu":
            return (1, 0)
        return d.__dlpack_device__()

    def pin_memory(self):
        return self

    def share_memory_(self):
        """Move the value into shared host memory (see torchlike/_shared.py)."""
        if self.__dict__.get("_shm") is None:
            from . import _shared

            host = np.array(self._host("share_memory_"))
            name, view = _shared.share(host)
            self._shm = (name, host.shape, host.dtype.str)
            self._hostref = True
            self._data = view
        return self

    def is_shared(self) -> bool:
        return self.__dict__.get("_shm") is not None

    def is_pinned(self) -> bool:
        return False

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        return self._device.type == "meta"

    @property
    def layout(self):
        from ._layout import strided

        return strided

    def get_device(self) -> int:
        return -1 if self._device.type == "cpu" else (self._device.index or 0)

    def __torch_function__(self, *a, **k):  # pragma: no cover - compatibility marker only
        return NotImplemented


_NUMPY_SHARE_LIMIT = 1 << 16  # elements: larger tensors' .numpy() is a copy (see docs/differences.md)

_TYPE_NAMES = {
    _dtype.float32: "torch.FloatTensor", _dtype.float64: "torch.DoubleTensor",
    _dtype.float16: "torch.HalfTensor", _dtype.bfloat16: "torch.BFloat16Tensor",
    _dtype.int64: "torch.LongTensor", _dtype.int32: "torch.IntTensor", _dtype.int16: "torch.ShortTensor",
    _dtype.int8: "torch.CharTensor", _dtype.uint8: "torch.ByteTensor", _dtype.bool_: "torch.BoolTensor",
    _dtype.complex64: "torch.ComplexFloatTensor", _dtype.complex128: "torch.ComplexDoubleTensor",
}


# view ops that reorder the storage (see Tensor.view)
_REORDERING_VIEWS = frozenset(
    {"permute", "transpose", "t", "adjoint", "movedim", "expand", "diagonal", "as_strided", "unfold"}
)


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


# A small host array (a torch.tensor([...]) built inside a loop) enters programs as a NumPy input,
# transferred by the program call itself; a bigger one is placed on the device once, at first use.
_HOST_INPUT_MAX = 1 << 10


def _host_inputs_ok(dev) -> bool:
    return dev.type == "cpu" and not _device.accelerators()


def _place(host: np.ndarray, dev):
    # (evaluated now even while a JAX transformation traces: the tensor keeps a concrete array)
    with jax.enable_x64(True), jax.ensure_compile_time_eval():
        if dev.type == "cpu" and not _device.accelerators():
            return jax.device_put(host)
        return jax.device_put(host, _device.jax_device(dev))


def _put(arr, dev):
    with jax.enable_x64(True):
        return jax.device_put(arr, _device.jax_device(dev))


from . import _host_eval  # noqa: E402  (it names Tensor)
