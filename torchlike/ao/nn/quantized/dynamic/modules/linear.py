"""``torch.ao.nn.quantized.dynamic.Linear``: int8 weights, float input and output; the input is
quantized on every call from its own min/max (fbgemm's arithmetic, ``_ops/quantized.py``)."""

from __future__ import annotations

import torchlike as torch
from torchlike import _quantized as Q
from torchlike import nn
from torchlike._ops import quantized as K
from torchlike.nn.modules.activation_attention import NonDynamicallyQuantizableLinear

__all__ = ["Linear", "LinearPackedParams"]


def quantize_weight(weight, observer):
    """A float weight quantized with the qparams its observer computes (``_quantize_weight``)."""
    observer(weight)
    scale, zero_point = observer.calculate_qparams()
    w = weight.detach().float()
    if observer.qscheme in (Q.per_channel_affine, Q.per_channel_symmetric):
        return Q.quantize_per_channel(
            w, scale.double(), zero_point.long(), observer.ch_axis, observer.dtype
        )
    if observer.qscheme in (Q.per_tensor_affine, Q.per_tensor_symmetric):
        return Q.quantize_per_tensor(w, float(scale), int(zero_point), observer.dtype)
    raise NotImplementedError(f"torchlike cannot quantize weights with qscheme {observer.qscheme}")


class LinearPackedParams(nn.Module):
    """Holds (weight, bias); its state_dict entries are ``dtype`` and ``_packed_params``."""

    _version = 3

    def __init__(self, dtype=Q.qint8):
        super().__init__()
        self.dtype = dtype
        self._packed_params = (None, None)

    def set_weight_bias(self, weight, bias) -> None:
        self._packed_params = (weight, bias)

    def _weight_bias(self):
        return self._packed_params

    def forward(self, x):
        return x

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        destination[prefix + "dtype"] = self.dtype
        destination[prefix + "_packed_params"] = self._weight_bias()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        self.dtype = state_dict.pop(prefix + "dtype")
        self.set_weight_bias(*state_dict.pop(prefix + "_packed_params"))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, False, missing_keys,
                                      unexpected_keys, error_msgs)

    def __repr__(self) -> str:
        return repr(self._weight_bias())


class Linear(nn.Module):
    """A dynamic quantized linear layer (``DynamicQuantizedLinear``)."""

    _version = 4

    def __init__(self, in_features, out_features, bias_=True, dtype=Q.qint8):
        super().__init__()
        if dtype not in (Q.qint8, torch.float16):
            raise RuntimeError("Unsupported dtype specified for quantized Linear!")
        self.in_features, self.out_features = in_features, out_features
        bias = torch.zeros(out_features, dtype=torch.float) if bias_ else None
        if dtype is Q.qint8:
            weight = Q.from_int(torch.zeros(out_features, in_features, dtype=torch.int8), 1.0, 0, Q.qint8)
        else:
            weight = torch.zeros(out_features, in_features, dtype=torch.float)
        self._packed_params = LinearPackedParams(dtype)
        self._packed_params.set_weight_bias(weight, bias)
        self.scale = 1.0
        self.zero_point = 0
        self.version = 4

    def _get_name(self) -> str:
        return "DynamicQuantizedLinear"

    def extra_repr(self) -> str:
        s = f"in_features={self.in_features}, out_features={self.out_features}, dtype={self._packed_params.dtype}"
        if self._packed_params.dtype is Q.qint8:
            s += f", qscheme={self.weight().qscheme()}"
        return s

    def __repr__(self) -> str:  # the packed params are not shown, as in PyTorch
        return f"{self._get_name()}({self.extra_repr()})"

    def forward(self, x):
        weight, bias = self._packed_params._packed_params
        if self._packed_params.dtype is torch.float16:
            return K.linear_dynamic_fp16_k.frontend(x, weight, bias)
        scale, zero_point, axis = weight._q
        reduce_range = self.version is None or self.version >= 4
        if axis is not None:
            zero_point = zero_point if zero_point.abs().sum().item() else None
        elif zero_point == 0:
            zero_point = None
        return K.linear_dynamic_k.frontend(x, weight, scale, zero_point, bias, reduce_range=reduce_range)

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        destination[prefix + "scale"] = torch.tensor(self.scale)
        destination[prefix + "zero_point"] = torch.tensor(self.zero_point)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        self.scale = float(state_dict.pop(prefix + "scale"))
        self.zero_point = int(state_dict.pop(prefix + "zero_point"))
        self.version = local_metadata.get("version", None)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, False, missing_keys,
                                      unexpected_keys, error_msgs)

    def _weight_bias(self):
        return self._packed_params._weight_bias()

    def weight(self):
        return self._weight_bias()[0]

    def bias(self):
        return self._weight_bias()[1]

    def set_weight_bias(self, w, b) -> None:
        self._packed_params.set_weight_bias(w, b)

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        """The dynamic quantized version of a float ``nn.Linear`` (its ``qconfig``'s weight
        observer, or the default dynamic qconfig's)."""
        if type(mod) not in (nn.Linear, NonDynamicallyQuantizableLinear):
            raise AssertionError(
                "nn.quantized.dynamic.Linear.from_float only works for one of['Linear', "
                f"'NonDynamicallyQuantizableLinear', 'LinearReLU', 'Linear'], got {type(mod)}"
            )
        if not hasattr(mod, "qconfig"):
            raise AssertionError("Input float module must have qconfig defined")
        from torchlike.ao.quantization.qconfig import default_dynamic_qconfig

        qconfig = mod.qconfig if mod.qconfig is not None and mod.qconfig.weight is not None else default_dynamic_qconfig
        observer = qconfig.weight()
        dtype = observer.dtype
        if dtype not in (Q.qint8, torch.float16):
            raise AssertionError(
                f"The only supported dtypes for dynamic quantized linear are qint8 and float16, got: {dtype}"
            )
        if dtype is Q.qint8:
            weight = quantize_weight(mod.weight.float(), observer)
        else:
            weight = mod.weight.detach().float()
        qlinear = cls(mod.in_features, mod.out_features, dtype=dtype)
        qlinear.set_weight_bias(weight, mod.bias)
        return qlinear
