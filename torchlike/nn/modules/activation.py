"""Activation modules, generated from their functionals (MultiheadAttention is in activation_attention.py).

A module is described once by (functional, constructor arguments with defaults, extra_repr format);
``_activation`` builds the class: ``__init__`` storing the arguments as attributes, ``forward``
calling the functional with them, and PyTorch's ``extra_repr``.
"""

from __future__ import annotations

import inspect

from ... import _creation
from .. import init
from .._functional import activation as F
from ..parameter import Parameter
from .module import Module

__all__ = [
    "Threshold",
    "ReLU",
    "RReLU",
    "Hardtanh",
    "ReLU6",
    "Sigmoid",
    "Hardsigmoid",
    "Tanh",
    "SiLU",
    "Mish",
    "Hardswish",
    "ELU",
    "CELU",
    "SELU",
    "GLU",
    "GELU",
    "Hardshrink",
    "LeakyReLU",
    "LogSigmoid",
    "Softplus",
    "Softshrink",
    "PReLU",
    "Softsign",
    "Tanhshrink",
    "Softmin",
    "Softmax",
    "Softmax2d",
    "LogSoftmax",
]

_REQUIRED = inspect.Parameter.empty


def _activation(name, fn, args=(), fmt="", *, base=Module, training_arg=None):
    """A Module class calling ``fn(input, **args)``.

    ``args``: (name, default) pairs in PyTorch's constructor order (``_REQUIRED`` for none).
    ``fmt``: extra_repr as a format string over the arguments; ``{inplace}`` becomes
    ``inplace=True`` (after ``, `` when it follows other fields) or nothing.
    """
    names = tuple(a for a, _ in args)
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    params += [
        inspect.Parameter(a, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d) for a, d in args
    ]
    signature = inspect.Signature(params)

    def __init__(self, *a, **k):
        bound = signature.bind(self, *a, **k)
        bound.apply_defaults()
        Module.__init__(self)
        for n in names:
            setattr(self, n, bound.arguments[n])

    def forward(self, input):  # noqa: A002
        kwargs = {n: getattr(self, n) for n in names}
        if training_arg:
            kwargs[training_arg] = self.training
        return fn(input, **kwargs)

    def extra_repr(self):
        values = {n: getattr(self, n) for n in names}
        if "inplace" in values:
            values["inplace"] = (
                ("inplace=True" if fmt.startswith("{inplace}") else ", inplace=True")
                if self.inplace
                else ""
            )
        return fmt.format(**values)

    __init__.__signature__ = signature
    body = {
        "__init__": __init__,
        "forward": forward,
        "extra_repr": extra_repr,
        "__constants__": list(names),
        "__module__": __name__,
        "__qualname__": name,
    }
    return type(name, (base,), body)


_INPLACE = ("inplace", False)

Threshold = _activation(
    "Threshold",
    F.threshold,
    (("threshold", _REQUIRED), ("value", _REQUIRED), _INPLACE),
    "threshold={threshold}, value={value}{inplace}",
)
ReLU = _activation("ReLU", F.relu, (_INPLACE,), "{inplace}")
RReLU = _activation(
    "RReLU",
    F.rrelu,
    (("lower", 1.0 / 8), ("upper", 1.0 / 3), _INPLACE),
    "lower={lower}, upper={upper}{inplace}",
    training_arg="training",
)
Sigmoid = _activation("Sigmoid", F.sigmoid)
Hardsigmoid = _activation("Hardsigmoid", F.hardsigmoid, (_INPLACE,))
Tanh = _activation("Tanh", F.tanh)
SiLU = _activation("SiLU", F.silu, (_INPLACE,), "{inplace}")
Mish = _activation("Mish", F.mish, (_INPLACE,), "{inplace}")
Hardswish = _activation("Hardswish", F.hardswish, (_INPLACE,))
ELU = _activation("ELU", F.elu, (("alpha", 1.0), _INPLACE), "alpha={alpha}{inplace}")
CELU = _activation("CELU", F.celu, (("alpha", 1.0), _INPLACE), "alpha={alpha}{inplace}")
SELU = _activation("SELU", F.selu, (_INPLACE,), "{inplace}")
GLU = _activation("GLU", F.glu, (("dim", -1),), "dim={dim}")
GELU = _activation("GELU", F.gelu, (("approximate", "none"),), "approximate={approximate!r}")
Hardshrink = _activation("Hardshrink", F.hardshrink, (("lambd", 0.5),), "{lambd}")
LeakyReLU = _activation(
    "LeakyReLU",
    F.leaky_relu,
    (("negative_slope", 1e-2), _INPLACE),
    "negative_slope={negative_slope}{inplace}",
)
LogSigmoid = _activation("LogSigmoid", F.logsigmoid)
Softplus = _activation(
    "Softplus",
    F.softplus,
    (("beta", 1.0), ("threshold", 20.0)),
    "beta={beta}, threshold={threshold}",
)
Softshrink = _activation("Softshrink", F.softshrink, (("lambd", 0.5),), "{lambd}")
Softsign = _activation("Softsign", F.softsign)
Tanhshrink = _activation("Tanhshrink", F.tanhshrink)
Softmin = _activation("Softmin", F.softmin, (("dim", None),), "dim={dim}")
Softmax = _activation("Softmax", F.softmax, (("dim", None),), "dim={dim}")
LogSoftmax = _activation("LogSoftmax", F.log_softmax, (("dim", None),), "dim={dim}")

_Hardtanh = _activation(
    "Hardtanh",
    F.hardtanh,
    (("min_val", -1.0), ("max_val", 1.0), _INPLACE),
    "min_val={min_val}, max_val={max_val}{inplace}",
)


class Hardtanh(_Hardtanh):
    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
        if min_value is not None:
            import warnings

            warnings.warn(
                "keyword argument `min_value` is deprecated and renamed to `min_val`",
                FutureWarning,
                stacklevel=2,
            )
            min_val = min_value
        if max_value is not None:
            import warnings

            warnings.warn(
                "keyword argument `max_value` is deprecated and renamed to `max_val`",
                FutureWarning,
                stacklevel=2,
            )
            max_val = max_value
        super().__init__(min_val, max_val, inplace)
        if self.max_val <= self.min_val:
            raise AssertionError(
                f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})"
            )


class ReLU6(Hardtanh):
    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Softmax2d(Module):
    def forward(self, input):  # noqa: A002
        if input.dim() not in (3, 4):
            raise ValueError(
                f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead"
            )
        return F.softmax(input, -3, _stacklevel=5)


class PReLU(Module):
    __constants__ = ["num_parameters"]

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None):
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(_creation.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)

    def forward(self, input):  # noqa: A002
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"
