"""The op registry: one ``@op`` registration gives a torch function, method, in-place variant,
dunders, shape inference and autograd (jax.vjp of the kernel).

A kernel is a pure function of jax arrays. Its positional(-or-keyword) parameters are the op's
inputs (tensors, Python numbers, None or lists of tensors; numbers become program inputs, never
constants); its keyword-only parameters are static attributes (part of the program's identity).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import warnings

OPS: dict[str, OpDef] = {}
FUNCTIONS: dict[str, object] = {}  # torch-level functions, exported from torchlike
METHODS: dict[str, object] = {}  # Tensor methods


class OpDef:
    __slots__ = (
        "name", "kernel", "promote", "promote_args", "differentiable", "grad_name", "view",
        "infer_cache", "vjp", "n_inputs", "input_names", "input_defaults", "attr_defaults",
        "attr_names", "order", "grad_name_of", "intercept", "check", "__weakref__",
    )

    def __init__(self, name, kernel, *, promote=None, promote_args=None, differentiable=True,
                 grad_name=None, view=False, vjp=None, order=None, grad_name_of=None):
        self.name = name
        # (args, attrs) -> the grad_fn name where torch's overloads differ (sum vs sum.dim_IntList), or None
        self.grad_name_of = grad_name_of
        # (op, args, attrs) -> a result that replaces recording the op, or None (see _ops/pieces.py)
        self.intercept = None
        # (args, attrs) -> None: torch's errors that depend on a Python number argument's value
        # (run by dispatch after type promotion)
        self.check = None
        self.order = order
        self.kernel = kernel
        self.promote = promote
        self.differentiable = differentiable
        self.grad_name = grad_name or "".join(p.capitalize() for p in name.split("_")) + "Backward0"
        self.view = view
        self.infer_cache = {}
        self.vjp = vjp
        params = inspect.signature(kernel).parameters.values()
        inputs = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        attrs = [p for p in params if p.kind is p.KEYWORD_ONLY]
        self.input_names = tuple(p.name for p in inputs)
        self.n_inputs = len(inputs)
        self.input_defaults = tuple(p.default for p in inputs)
        self.attr_names = tuple(p.name for p in attrs)
        self.attr_defaults = tuple((p.name, p.default) for p in attrs)
        if promote_args is None:
            promote_args = tuple(range(self.n_inputs))
        else:
            promote_args = tuple(self.input_names.index(a) if isinstance(a, str) else a for a in promote_args)
        self.promote_args = promote_args

    def __repr__(self):
        return f"<op {self.name}>"


_PLAIN = frozenset({int, float, bool, str, type(None)})
_NUMPY_NAMES = {"axis": "dim", "keepdims": "keepdim"}  # the NumPy spellings torch's arg parser accepts


def hashable(v):
    t = type(v)
    if t in _PLAIN:
        return v
    if t is tuple:
        for x in v:
            if type(x) not in _PLAIN:
                break
        else:
            return v
    if hasattr(v, "_data") and hasattr(v, "tolist"):  # a Tensor given for a static attribute
        return hashable(v.tolist())
    if isinstance(v, list):
        return tuple(hashable(x) for x in v)
    if isinstance(v, tuple):
        return tuple(hashable(x) for x in v)
    return v


# ops whose first argument may be a Python number: PyTorch's should_allow_numbers_as_tensors list
# and the ops with a (Scalar self, Tensor other) overload
_NUMBER_FIRST_OK = frozenset({
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "pow",
    "float_power", "remainder", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
    "bitwise_right_shift", "xlogy", "xlog1py", "zeta", "isin", "bucketize", "result_type",
})
_TENSOR_FIRST_NAMES = frozenset({"x", "input", "a", "x1", "input1"})
_NUMBERS = frozenset({int, float, bool, complex})


_PUBLIC_NAMES = {"max_all": "max", "min_all": "min"}


def _number_for_tensor(name: str, value):
    name = _PUBLIC_NAMES.get(name, name)
    return TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(value).__name__}")


def make_frontend(opdef: OpDef):
    from .. import _dispatch

    dispatch = _dispatch.dispatch
    n_in = opdef.n_inputs
    in_names = opdef.input_names
    in_defaults = opdef.input_defaults
    attr_defaults = opdef.attr_defaults
    attr_names = set(opdef.attr_names)
    attr_order = opdef.attr_names
    required = sum(1 for d in in_defaults if d is inspect.Parameter.empty)
    name = opdef.name
    order = opdef.order
    base = name[8:] if name.startswith("special_") else name
    tensor_first = (
        bool(in_names)
        and in_names[0] in _TENSOR_FIRST_NAMES
        and base not in _NUMBER_FIRST_OK
        and "polynomial" not in base
    )

    def frontend(*args, **kwargs):
        if order is not None and args:
            # torch's positional order interleaves inputs and attributes (gather(input, dim, index))
            if len(args) > len(order):
                raise TypeError(f"{name}() takes {len(order)} positional arguments but {len(args)} were given")
            for k, v in zip(order, args):
                if k in kwargs:
                    raise TypeError(f"{name}() got multiple values for argument '{k}'")
                kwargs[k] = v
            args = ()
        if not kwargs and required <= len(args) <= n_in:
            inputs = list(args)
            if tensor_first and type(args[0]) in _NUMBERS:
                raise _number_for_tensor(name, args[0])
            if len(args) < n_in:
                inputs.extend(in_defaults[len(args):])
            return dispatch(opdef, inputs, attr_defaults)
        attrs = dict(attr_defaults)
        if len(args) > n_in:
            extra = args[n_in:]
            if len(extra) > len(attr_order):
                raise TypeError(f"{name}() takes {n_in + len(attr_order)} positional arguments but {len(args)} were given")
            for k, v in zip(attr_order, extra):
                attrs[k] = hashable(v)
            args = args[:n_in]
        inputs = list(args) + list(in_defaults[len(args):])
        for k, v in kwargs.items():
            if k in ("input", "self") and k not in in_names and in_names:
                k = in_names[0]
            elif k in _NUMPY_NAMES and _NUMPY_NAMES[k] in attr_names:  # x.sum(axis=1, keepdims=True)
                k = _NUMPY_NAMES[k]
            if k in attr_names:
                attrs[k] = hashable(v)
            elif k in in_names:
                i = in_names.index(k)
                if i < len(args):
                    raise TypeError(f"{name}() got multiple values for argument '{k}'")
                if i < len(inputs):
                    inputs[i] = v
            elif k == "out":
                continue
            else:
                raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")
        for i, v in enumerate(inputs):
            if v is inspect.Parameter.empty:
                raise TypeError(f"{name}() missing required argument '{in_names[i]}'")
        if tensor_first and type(inputs[0]) in _NUMBERS:
            raise _number_for_tensor(name, inputs[0])
        result = dispatch(opdef, inputs, tuple(attrs.items()))
        out = kwargs.get("out")
        if out is not None:
            return write_out(out, result, name)
        return result

    frontend.__name__ = name
    frontend.__qualname__ = name
    frontend.__doc__ = opdef.kernel.__doc__
    frontend.tensor_first = tensor_first
    return frontend


def op(name: str, *, function=True, method=None, inplace=None, dunder=(), rdunder=(), promote=None,
       promote_args=None, differentiable=True, grad_name=None, view=False, vjp=None, aliases=(), order=None,
       grad_name_of=None):
    """Register a kernel as a torch op. See the module docstring."""

    if method is None:
        method = function and not name.startswith("_")

    def register(kernel):
        opdef = OpDef(name, kernel, promote=promote, promote_args=promote_args,
                      differentiable=differentiable, grad_name=grad_name, view=view, vjp=vjp, order=order,
                      grad_name_of=grad_name_of)
        if name in OPS:
            raise RuntimeError(f"op {name!r} is registered twice ({OPS[name].kernel.__module__} and {kernel.__module__})")
        OPS[name] = opdef
        front = make_frontend(opdef)
        if function:
            FUNCTIONS[name] = front
            for a in aliases:
                FUNCTIONS[a] = front
        if method:
            METHODS[name] = front
            for a in aliases:
                METHODS[a] = front
        if inplace:
            METHODS[inplace] = _inplace_method(front, inplace)
        for d in dunder:
            METHODS[d] = front
        for d in rdunder:
            METHODS[d] = _reflected(front, d)
        kernel.opdef = opdef
        kernel.frontend = front
        return kernel

    return register


def check_inplace_cast(self, result):
    """torch refuses an in-place op whose result category is above the destination's (float into long)."""
    from .._dtype import _category
    from .pointwise import _TYPE_NAMES

    src, dst = result._dtype, self._dtype
    if src is not dst and _category(src) > _category(dst):
        raise RuntimeError(
            f"result type {_TYPE_NAMES.get(src.name, src.name)} can't be cast to the desired output type "
            f"{_TYPE_NAMES.get(dst.name, dst.name)}"
        )
    return result


def write_out(out, result, name="", *, warn=True):
    """``out=``: PyTorch refuses it when the result needs a gradient, resizes an ``out`` of another
    shape (with a deprecation warning when it held elements), refuses a result it cannot cast down
    to ``out``'s dtype, then copies."""
    if out is None:
        return result
    if isinstance(result, (tuple, list)):
        for o, r in zip(out, result):
            write_out(o, r, name, warn=warn)
        if hasattr(result, "_fields"):  # torch.return_types.max -> torch.return_types.max_out
            from .reduction import _rt

            return _rt(type(result).__name__ + "_out", result._fields)(*out)
        return out
    from .._context import state

    if state.grad_enabled and result.requires_grad:
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad."
        )
    shape = tuple(result.shape)
    if tuple(out.shape) != shape:
        if warn and out.numel():
            warnings.warn(
                f"An output with one or more elements was resized since it had shape {list(out.shape)}, which does "
                f"not match the required output shape {list(shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. You can explicitly "
                "reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
                UserWarning,
                stacklevel=_user_stacklevel(),
            )
        out.resize_(shape)
    out.copy_(check_inplace_cast(out, result))
    return out


def _user_stacklevel() -> int:
    """The ``stacklevel`` of a warning raised by the caller that points at the user's line (the
    first frame outside torchlike), as PyTorch's C++ warnings do."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def accepts_out(fn=None, *, factory=False):
    """``out=`` for a torch function written in Python (its body computes a new result): the
    result is written into ``out`` as ATen's ``*_out`` kernels do. A factory (``zeros``,
    ``arange``, ``rand``, ...) takes ``out``'s dtype when none is given and resizes it silently."""

    def wrap(f):
        name = f.__name__

        @functools.wraps(f)
        def with_out(*args, **kwargs):
            out = kwargs.pop("out", None)
            if out is None:
                return f(*args, **kwargs)
            if factory and kwargs.get("dtype") is None:
                kwargs["dtype"] = out.dtype
            return write_out(out, f(*args, **kwargs), name, warn=not factory)

        return with_out

    return wrap if fn is None else wrap(fn)


def _inplace_method(front, name):
    def method(self, *args, **kwargs):
        return self._inplace_assign(check_inplace_cast(self, front(self, *args, **kwargs)))

    method.__name__ = name
    return method


def _reflected(front, name):
    # PyTorch's Tensor.__radd__ / __rmul__ are self.add(other) / self.mul(other), __rsub__ is
    # rsub(self, other) and __rtruediv__ is self.reciprocal() * other: the same grad_fn
    # (AddBackward0, RsubBackward1, MulBackward0 <- ReciprocalBackward0) and the same values
    if name in ("__radd__", "__rmul__"):
        def method(self, other):
            return front(self, other)
    elif name == "__rsub__":
        def method(self, other):
            return FUNCTIONS["rsub"](self, other)
    elif name == "__rtruediv__":
        def method(self, other):
            return METHODS["mul"](FUNCTIONS["reciprocal"](self), other)
    else:
        def method(self, other):
            return front(other, self)

    method.__name__ = name
    return method
