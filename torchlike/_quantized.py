"""Quantized tensors: ``torch.quint8``/``qint8``/``qint32``, the qschemes, ``quantize_per_tensor``,
``quantize_per_channel`` and the tensor they make.

A quantized tensor is a Tensor whose array is its integer representation (uint8/int8/int32) and
whose dtype is the quantized dtype, plus its quantizer (scale and zero point, or per-channel
scales, zero points and axis). ``dequantize()``, ``int_repr()`` and printing read it; the kernels
(fbgemm's rounding) are in ``_ops/quantized.py``. As in PyTorch, arithmetic on a quantized
tensor is not supported: the quantized modules (``torchlike.ao.nn.quantized.dynamic``) take and
return float tensors. Imported on first use (``torch.qint8``, ``torch.quantize_per_tensor`` ...).
"""

from __future__ import annotations

import threading
import warnings

import numpy as np

from . import _dtype
from ._ops import quantized as K
from ._tensor import Tensor

__all__ = [
    "quint8", "qint8", "qint32", "qscheme", "per_tensor_affine", "per_channel_affine",
    "per_tensor_symmetric", "per_channel_symmetric", "per_channel_affine_float_qparams",
    "quantize_per_tensor", "quantize_per_channel", "dequantize", "QuantizedTensor",
]  # fmt: skip


def _qdtype(name: str, np_dtype, rank: int, signed: bool) -> _dtype.dtype:
    d = _dtype.dtype(name, np_dtype, rank)
    d.is_signed = signed  # torch.quint8 is unsigned; the base class only knows uint8 and bool
    return d


quint8 = _qdtype("quint8", np.uint8, 1, False)
qint8 = _qdtype("qint8", np.int8, 1, True)
qint32 = _qdtype("qint32", np.int32, 3, True)
# the integer range each quantized dtype holds
RANGES = {quint8: (0, 255), qint8: (-128, 127), qint32: (-(2**31), 2**31 - 1)}


class qscheme:
    """``torch.per_tensor_affine`` and its siblings."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self):
        return (_qscheme_by_name, (self.name,))


per_tensor_affine = qscheme("per_tensor_affine")
per_channel_affine = qscheme("per_channel_affine")
per_tensor_symmetric = qscheme("per_tensor_symmetric")
per_channel_symmetric = qscheme("per_channel_symmetric")
per_channel_affine_float_qparams = qscheme("per_channel_affine_float_qparams")
_QSCHEMES = {
    q.name: q
    for q in (
        per_tensor_affine,
        per_channel_affine,
        per_tensor_symmetric,
        per_channel_symmetric,
        per_channel_affine_float_qparams,
    )
}


def _qscheme_by_name(name: str) -> qscheme:
    return _QSCHEMES[name]


_CREATION_WARNING = (
    "torch.quantize_per_tensor, torch.quantize_per_channel and other quantized tensor creation "
    "functions that produce tensors with dtype torch.quint8, torch.qint8, and torch.qint32 are "
    "deprecated and will be removed in a future PyTorch release. Please see "
    "https://github.com/pytorch/pytorch/issues/184982 for more information."
)


def _warn_creation() -> None:
    warnings.warn(_CREATION_WARNING, UserWarning, stacklevel=3)


_RAW = threading.local()  # .depth > 0: a quantized kernel's frontend is reading the integer values


def raw_access(frontend):
    """``frontend`` of a quantized kernel (_ops/quantized.py), allowed to read quantized tensors'
    integer values; every other op refuses them (QuantizedTensor._value)."""

    def run(*args, **kwargs):
        _RAW.depth = getattr(_RAW, "depth", 0) + 1
        try:
            return frontend(*args, **kwargs)
        finally:
            _RAW.depth -= 1

    run.__name__ = frontend.__name__
    return run


class QuantizedTensor(Tensor):
    """A quantized tensor (``x.is_quantized``); its array holds the integer values."""

    def _value(self):
        # an ordinary op would compute on the integers as if they were the values: silently wrong
        if not getattr(_RAW, "depth", 0):
            raise NotImplementedError(
                "Could not run this operation with arguments from the 'QuantizedCPU' backend: torchlike "
                "reads a quantized tensor only through dequantize(), int_repr(), q_scale()/q_zero_point() "
                "and the dynamic quantized modules (call .dequantize() first)"
            )
        return Tensor._value(self)

    @property
    def is_quantized(self) -> bool:
        return True

    def qscheme(self) -> qscheme:
        return per_tensor_affine if self._q[2] is None else per_channel_affine

    def _per_tensor(self, what: str):
        if self._q[2] is not None:
            raise RuntimeError(
                "Expected quantizer->qscheme() == kPerTensorAffine to be true, but got false.  "
                "(Could this error message be improved?  If so, please report an enhancement "
                "request to PyTorch.)"
            )
        return self._q[0] if what == "scale" else self._q[1]

    def q_scale(self) -> float:
        return self._per_tensor("scale")

    def q_zero_point(self) -> int:
        return self._per_tensor("zero_point")

    def q_per_channel_scales(self) -> Tensor:
        return self._q[0]

    def q_per_channel_zero_points(self) -> Tensor:
        return self._q[1]

    def q_per_channel_axis(self) -> int:
        return self._q[2]

    def int_repr(self) -> Tensor:
        return K.int_repr_k.frontend(self)

    def dequantize(self) -> Tensor:
        scale, zero_point, axis = self._q
        return K.dequantize_k.frontend(self, scale, zero_point, axis=axis)

    @property
    def requires_grad(self) -> bool:
        return False

    def __repr__(self, *, tensor_contents=None):
        from ._context import state
        from ._printing import format_tensor

        scale, zero_point, axis = self._q
        suffixes = [f"size={tuple(self.shape)}", f"dtype={self._dtype!r}"]
        suffixes.append(f"quantization_scheme={self.qscheme()!r}")
        suffixes += [f"scale={scale!r}", f"zero_point={zero_point!r}"]
        if axis is not None:
            suffixes.append(f"axis={axis}")
        if self._device.type != "cpu":
            suffixes.insert(0, f"device='{self._device}'")
        values = self.dequantize()._host("print")
        return format_tensor(values, _dtype.float32, suffixes, default_dtype=state.default_dtype)

    def __reduce_ex__(self, protocol):
        scale, zero_point, axis = self._q
        ints = self.int_repr()._host("pickle").copy()
        return (_rebuild_quantized, (ints, self._dtype.name, scale, zero_point, axis))


def _rebuild_quantized(ints, dtype_name, scale, zero_point, axis):
    dtype = {"quint8": quint8, "qint8": qint8, "qint32": qint32}[dtype_name]
    return _wrap(Tensor._make(ints, _dtype.from_np(ints.dtype), _device_of(None)), dtype, scale, zero_point, axis)


def _device_of(t):
    from ._device import device

    return t._device if t is not None else device("cpu")


def _wrap(ints: Tensor, dtype, scale, zero_point, axis=None) -> QuantizedTensor:
    """The quantized tensor whose integer values are ``ints``."""
    ints.__class__ = QuantizedTensor
    ints._dtype = dtype
    ints.__dict__["_q"] = (scale, zero_point, axis)
    return ints


def from_int(ints: Tensor, scale: float, zero_point: int, dtype) -> QuantizedTensor:
    """A per-tensor quantized tensor of the given integer values (no rounding)."""
    return _wrap(ints.to(_dtype.from_np(dtype.np)), dtype, float(scale), int(zero_point))


def _check(input, dtype, what: str) -> None:  # noqa: A002
    if not isinstance(input, Tensor):
        raise TypeError(f"{what}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if dtype not in RANGES:
        names = {"int8": "Char", "uint8": "Byte", "int32": "Int", "int64": "Long", "float32": "Float"}
        name = names.get(getattr(dtype, "name", ""), str(dtype))
        raise RuntimeError(f"ScalarType {name} is not supported in new_qtensor.")
    if not input.is_floating_point():
        names = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
        raise RuntimeError(f"Quantize only works on Float Tensor, got {names.get(input.dtype.name, input.dtype.name)}")


def _as_number(v, kind):
    return kind(v.item()) if isinstance(v, Tensor) else kind(v)


def quantize_per_tensor(input, scale, zero_point, dtype) -> QuantizedTensor:  # noqa: A002
    """``torch.quantize_per_tensor``: round(x / scale) + zero_point, clamped to the dtype's range
    (fbgemm's rounding). A list of tensors gives a list."""
    if isinstance(input, (list, tuple)):
        return [
            quantize_per_tensor(t, s, z, dtype)
            for t, s, z in zip(input, scale.tolist(), zero_point.tolist())
        ]
    _check(input, dtype, "quantize_per_tensor")
    _warn_creation()
    scale, zero_point = _as_number(scale, float), _as_number(zero_point, int)
    qmin, qmax = RANGES[dtype]
    if zero_point > qmax:
        raise RuntimeError(f"quantize_tensor_per_tensor_affine zero_point {zero_point} is above upper bound.")
    if zero_point < qmin:
        raise RuntimeError(f"quantize_tensor_per_tensor_affine zero_point {zero_point} is below lower bound.")
    ints = K.quantize_per_tensor_k.frontend(
        input.detach(), scale, zero_point, qmin=qmin, qmax=qmax, np_dtype=dtype.np.name
    )
    return _wrap(ints, dtype, scale, zero_point)


def quantize_per_channel(input, scales, zero_points, axis, dtype) -> QuantizedTensor:  # noqa: A002
    """``torch.quantize_per_channel``: one scale and zero point per slice along ``axis``."""
    from ._creation import tensor

    _check(input, dtype, "quantize_per_channel")
    _warn_creation()
    axis = axis + input.dim() if axis < 0 else axis
    scales = (scales if isinstance(scales, Tensor) else tensor(scales)).to(_dtype.float64)
    zero_points = (zero_points if isinstance(zero_points, Tensor) else tensor(zero_points)).to(_dtype.int64)
    qmin, qmax = RANGES[dtype]
    ints = K.quantize_per_channel_k.frontend(
        input.detach(), scales, zero_points, axis=axis, qmin=qmin, qmax=qmax, np_dtype=dtype.np.name
    )
    return _wrap(ints, dtype, scales, zero_points, axis)


def dequantize(tensor):
    """``torch.dequantize``: a quantized tensor's float values (a list of them for a list)."""
    if isinstance(tensor, (list, tuple)):
        return [dequantize(t) for t in tensor]
    return tensor.dequantize() if tensor.is_quantized else tensor.to(_dtype.float32)


K._raw_frontends()  # (at the end: raw_access is defined above)
