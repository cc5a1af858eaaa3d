"""Observers: modules that record a tensor's range and turn it into a scale and zero point.

The weight observers of the dynamic qconfigs run once per weight when a model is converted, so
they compute on the host in float32 NumPy, the same float32 arithmetic as PyTorch's
``_calculate_qparams``."""

from __future__ import annotations

import functools

import numpy as np

import torchlike as torch
from torchlike import _quantized as Q
from torchlike import nn

__all__ = [
    "ObserverBase", "MinMaxObserver", "PerChannelMinMaxObserver", "PlaceholderObserver",
    "default_observer", "default_weight_observer", "default_dynamic_quant_observer",
    "default_per_channel_weight_observer", "default_placeholder_observer",
    "default_float_qparams_observer",
]  # fmt: skip

_EPS = float(np.finfo(np.float32).eps)


class _PartialWrapper:
    """``Observer.with_args(...)``: a factory that prints as PyTorch's ``functools.partial``."""

    def __init__(self, p):
        self.p = p
        self.callable_args = {}

    def __call__(self, *args, **kwargs):
        return self.p(*args, **kwargs)

    def __repr__(self) -> str:
        cls = self.p.func
        mod = cls.__module__.replace("torchlike.", "torch.", 1)
        kw = ", ".join(f"{k}={v!r}" for k, v in self.p.keywords.items())
        return f"functools.partial(<class '{mod}.{cls.__qualname__}'>, {kw}){self.callable_args}"

    def with_args(self, **kwargs):
        return _PartialWrapper(functools.partial(self.p, **kwargs))


def _qrange(dtype, reduce_range, quant_min, quant_max):
    if quant_min is not None and quant_max is not None:
        return (quant_min // 2, quant_max // 2) if reduce_range else (quant_min, quant_max)
    if dtype is Q.qint8:
        return (-64, 63) if reduce_range else (-128, 127)
    if dtype is Q.qint32:
        return -(2**31), 2**31 - 1
    return (0, 127) if reduce_range else (0, 255)


class ObserverBase(nn.Module):
    def __init__(self, dtype, is_dynamic: bool = False):
        super().__init__()
        self.dtype = dtype
        self.is_dynamic = is_dynamic

    @classmethod
    def with_args(cls, **kwargs):
        return _PartialWrapper(functools.partial(cls, **kwargs))


class MinMaxObserver(ObserverBase):
    """The running min and max of what it sees; qparams that cover them."""

    def __init__(self, dtype=Q.quint8, qscheme=Q.per_tensor_affine, reduce_range=False,
                 quant_min=None, quant_max=None, factory_kwargs=None, eps=_EPS, is_dynamic=False):
        super().__init__(dtype, is_dynamic)
        self.qscheme = qscheme
        self.reduce_range = reduce_range
        self.has_customized_qrange = quant_min is not None and quant_max is not None
        self.quant_min, self.quant_max = _qrange(dtype, reduce_range, quant_min, quant_max)
        self.eps = torch.tensor([eps])
        self.register_buffer("min_val", torch.tensor(float("inf")))
        self.register_buffer("max_val", torch.tensor(float("-inf")))

    def _ranges(self, x):
        a = x.detach().to(torch.float32).numpy()
        return a.min(), a.max()

    def forward(self, x_orig):
        if x_orig.numel() == 0:
            return x_orig
        lo, hi = self._ranges(x_orig)
        self.min_val = torch.tensor(np.minimum(self.min_val.numpy(), lo))
        self.max_val = torch.tensor(np.maximum(self.max_val.numpy(), hi))
        return x_orig

    def _calculate_qparams(self, min_val, max_val):
        """PyTorch's ``_calculate_qparams`` in float32: (scale float32, zero point)."""
        f32 = np.float32
        lo, hi = np.asarray(min_val, f32), np.asarray(max_val, f32)
        neg, pos = np.minimum(lo, f32(0)), np.maximum(hi, f32(0))
        qmin, qmax = self.quant_min, self.quant_max
        eps = f32(self.eps.item())
        if self.qscheme in (Q.per_tensor_symmetric, Q.per_channel_symmetric):
            pos = np.maximum(-neg, pos)
            scale = np.maximum((pos / f32((qmax - qmin) / 2)).astype(f32), eps)
            mid = (qmin + qmax) // 2 if self.dtype is Q.quint8 else 0
            zp, zdt = np.full(scale.shape, mid, np.int64), torch.int64
        else:
            scale = np.maximum(((pos - neg) / f32(qmax - qmin)).astype(f32), eps)
            zp = qmin - np.round((neg / scale).astype(f32)).astype(np.int64)
            zp, zdt = np.clip(zp, qmin, qmax), torch.int32
        scale, zp = np.atleast_1d(scale), np.atleast_1d(zp)
        return torch.tensor(scale, dtype=torch.float32), torch.tensor(zp, dtype=zdt)

    def calculate_qparams(self):
        return self._calculate_qparams(self.min_val.numpy(), self.max_val.numpy())

    def extra_repr(self) -> str:
        return f"min_val={self.min_val.item()}, max_val={self.max_val.item()}"


class PerChannelMinMaxObserver(MinMaxObserver):
    """Min and max per slice along ``ch_axis``."""

    def __init__(self, ch_axis=0, dtype=Q.quint8, qscheme=Q.per_channel_affine, reduce_range=False,
                 quant_min=None, quant_max=None, factory_kwargs=None, eps=_EPS, is_dynamic=False):
        super().__init__(dtype, qscheme, reduce_range, quant_min, quant_max, factory_kwargs, eps, is_dynamic)
        self.ch_axis = ch_axis
        self.min_val = torch.tensor([])
        self.max_val = torch.tensor([])

    def _ranges(self, x):
        a = np.moveaxis(x.detach().to(torch.float32).numpy(), self.ch_axis, 0)
        a = a.reshape(a.shape[0], -1)
        return a.min(1), a.max(1)

    def forward(self, x_orig):
        if x_orig.numel() == 0:
            return x_orig
        lo, hi = self._ranges(x_orig)
        if self.min_val.numel():
            lo, hi = np.minimum(self.min_val.numpy(), lo), np.maximum(self.max_val.numpy(), hi)
        self.min_val, self.max_val = torch.tensor(lo), torch.tensor(hi)
        return x_orig

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class PlaceholderObserver(ObserverBase):
    """Records nothing: it names the dtype (and range) a dynamic quantization should use."""

    def __init__(self, dtype=torch.float32, custom_op_name="", compute_dtype=None,
                 quant_min=None, quant_max=None, qscheme=None, eps=None, is_dynamic=False):
        super().__init__(dtype, is_dynamic)
        self.qscheme = Q.per_tensor_affine if qscheme is None else qscheme
        self.quant_min, self.quant_max, self.eps = quant_min, quant_max, eps
        self.custom_op = custom_op_name

    def forward(self, x):
        return x

    def calculate_qparams(self):
        raise Exception("calculate_qparams should not be called for PlaceholderObserver")  # noqa: TRY002


default_observer = MinMaxObserver.with_args(quant_min=0, quant_max=127)
default_placeholder_observer = PlaceholderObserver
default_weight_observer = MinMaxObserver.with_args(dtype=Q.qint8, qscheme=Q.per_tensor_symmetric)
default_dynamic_quant_observer = PlaceholderObserver.with_args(
    dtype=Q.quint8, quant_min=0, quant_max=255, is_dynamic=True
)
default_per_channel_weight_observer = PerChannelMinMaxObserver.with_args(
    dtype=Q.qint8, qscheme=Q.per_channel_symmetric
)
default_float_qparams_observer = PerChannelMinMaxObserver.with_args(
    dtype=Q.quint8, qscheme=Q.per_channel_affine_float_qparams, ch_axis=0
)
