"""``torch.ao.nn.quantized.dynamic.LSTM``/``GRU``: int8 weights per layer and direction, float
input, states and output; every matmul is fbgemm's dynamic quantized linear
(``_ops/quantized.py``)."""

from __future__ import annotations

import torchlike as torch
from torchlike import _quantized as Q
from torchlike import nn
from torchlike._ops import quantized as K

from .linear import quantize_weight

__all__ = ["LSTM", "GRU", "PackedParameter"]


class _CellParams:
    """One layer-direction's packed weights: (w_ih, w_hh, b_ih, b_hh), int8 weights."""

    __slots__ = ("w_ih", "w_hh", "b_ih", "b_hh")

    def __init__(self, w_ih, w_hh, b_ih, b_hh):
        self.w_ih, self.w_hh, self.b_ih, self.b_hh = w_ih, w_hh, b_ih, b_hh

    def __reduce__(self):
        return (_CellParams, (self.w_ih, self.w_hh, self.b_ih, self.b_hh))

    def __repr__(self) -> str:
        return "ScriptObject <__torch__.torch.classes.rnn.CellParamsBase>"


class PackedParameter(nn.Module):
    def __init__(self, param):
        super().__init__()
        self.param = param

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        destination[prefix + "param"] = self.param

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        self.param = state_dict.pop(prefix + "param")
        super()._load_from_state_dict(state_dict, prefix, local_metadata, False, missing_keys,
                                      unexpected_keys, error_msgs)


class RNNBase(nn.Module):
    _FLOAT_MODULE = nn.RNNBase
    _version = 2

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, dtype=Q.qint8):
        super().__init__()
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.dtype = float(dropout), bidirectional, dtype
        self.version = 2
        self.training = False
        self._all_weight_values = nn.ModuleList()

    def _get_name(self) -> str:
        return "DynamicQuantizedRNN"

    def extra_repr(self) -> str:
        return nn.RNNBase.extra_repr(self) if self.__dict__.get("proj_size") else _rnn_repr(self)

    def __repr__(self) -> str:  # the packed weights are not shown, as in PyTorch
        return f"{self._get_name()}({self.extra_repr()})"

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        if type(mod) not in (nn.LSTM, nn.GRU):
            raise AssertionError("nn.quantized.dynamic.RNNBase.from_float only works for nn.LSTM and nn.GRU")
        if not hasattr(mod, "qconfig"):
            raise AssertionError("Input float module must have qconfig defined")
        from torchlike.ao.quantization.qconfig import default_dynamic_qconfig

        qconfig = mod.qconfig if mod.qconfig is not None and mod.qconfig.weight is not None else default_dynamic_qconfig
        dtype = qconfig.weight().dtype
        if dtype is not Q.qint8:
            raise NotImplementedError(
                f"torchlike's dynamic quantized {mod.mode} supports qint8 weights, not {dtype}"
            )
        if getattr(mod, "proj_size", 0):
            raise AssertionError("proj_size is not supported")
        if not mod.bias:
            raise AssertionError("mod.bias must be True")
        qmod = cls(mod.input_size, mod.hidden_size, mod.num_layers, mod.bias, mod.batch_first,
                   mod.dropout, mod.bidirectional, dtype)
        for layer in range(mod.num_layers):
            for suffix in ("", "_reverse")[: 1 + bool(mod.bidirectional)]:
                names = [f"{p}_l{layer}{suffix}" for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
                weight_ih, weight_hh, bias_ih, bias_hh = (getattr(mod, n) for n in names)
                w_ih = quantize_weight(weight_ih.float(), qconfig.weight())
                w_hh = quantize_weight(weight_hh.float(), qconfig.weight())
                if w_ih.qscheme() is not Q.per_tensor_affine:
                    raise NotImplementedError("torchlike's dynamic quantized RNNs take per-tensor weights")
                cell = _CellParams(w_ih, w_hh, bias_ih, bias_hh)
                qmod._all_weight_values.append(PackedParameter(cell))
        return qmod

    def _run(self, input, hx):  # noqa: A002
        if isinstance(input, nn.utils.rnn.PackedSequence):
            raise NotImplementedError(
                "torchlike's dynamic quantized LSTM/GRU take padded tensors, not PackedSequence"
            )
        batched = input.dim() == 3
        if not batched:
            input = input.unsqueeze(1)  # noqa: A001
        dirs = 2 if self.bidirectional else 1
        batch = input.shape[0] if self.batch_first else input.shape[1]
        zeros = torch.zeros(self.num_layers * dirs, batch, self.hidden_size, dtype=input.dtype)
        if hx is None:
            hx = (zeros, zeros) if self.mode == "LSTM" else zeros
        elif not batched:
            hx = tuple(h.unsqueeze(1) for h in hx) if self.mode == "LSTM" else hx.unsqueeze(1)
        h0, c0 = hx if self.mode == "LSTM" else (hx, None)
        weights, scales = [], []
        for packed in self._all_weight_values:
            p = packed.param
            weights += [p.w_ih, p.w_hh, p.b_ih, p.b_hh]
            scales.append([p.w_ih.q_scale(), p.w_hh.q_scale()])
        out = K.quantized_rnn_k.frontend(
            input, h0, c0, weights, torch.tensor(scales, dtype=torch.float64), mode=self.mode,
            num_layers=self.num_layers, bidirectional=self.bidirectional, batch_first=self.batch_first,
        )
        if not batched:
            out = tuple(o.squeeze(1) for o in out)
        return out


def _rnn_repr(self) -> str:
    s = f"{self.input_size}, {self.hidden_size}"
    if self.num_layers != 1:
        s += f", num_layers={self.num_layers}"
    if self.bias is not True:
        s += f", bias={self.bias}"
    if self.batch_first is not False:
        s += f", batch_first={self.batch_first}"
    if self.dropout != 0:
        s += f", dropout={self.dropout}"
    if self.bidirectional is not False:
        s += f", bidirectional={self.bidirectional}"
    return s


class LSTM(RNNBase):
    """A dynamic quantized LSTM (``DynamicQuantizedLSTM``): returns (output, (h_n, c_n))."""

    _FLOAT_MODULE = nn.LSTM

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def _get_name(self) -> str:
        return "DynamicQuantizedLSTM"

    def forward(self, input, hx=None):  # noqa: A002
        out, h, c = self._run(input, hx)
        return out, (h, c)


class GRU(RNNBase):
    """A dynamic quantized GRU (``DynamicQuantizedGRU``): returns (output, h_n)."""

    _FLOAT_MODULE = nn.GRU

    def __init__(self, *args, **kwargs):
        super().__init__("GRU", *args, **kwargs)

    def _get_name(self) -> str:
        return "DynamicQuantizedGRU"

    def forward(self, input, hx=None):  # noqa: A002
        out, h = self._run(input, hx)
        return out, h
