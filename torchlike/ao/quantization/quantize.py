"""Eager-mode quantization entry points: ``quantize_dynamic`` (weights int8 or float16,
activations quantized on the fly). Static quantization (``prepare``/``convert`` with observers,
quantized tensors flowing between quantized modules) is not provided: those raise
NotImplementedError naming what is missing."""

from __future__ import annotations

import copy
import itertools
import warnings

import torchlike as torch
from torchlike import _quantized as Q
from torchlike import nn

from ..nn.quantized import dynamic as nnqd
from .qconfig import default_dynamic_qconfig, float16_dynamic_qconfig

__all__ = [
    "quantize_dynamic", "propagate_qconfig_", "swap_module", "prepare", "convert", "quantize",
    "prepare_qat", "quantize_qat", "get_default_dynamic_quant_module_mappings",
]  # fmt: skip

DEPRECATION_WARNING = (
    "torch.ao.quantization is deprecated and will be removed in 2.10. \n"
    "For migrations of users: \n"
    "1. Eager mode quantization (torch.ao.quantization.quantize, "
    "torch.ao.quantization.quantize_dynamic), please migrate to use torchao eager mode "
    "quantize_ API instead \n"
    "2. FX graph mode quantization (torch.ao.quantization.quantize_fx.prepare_fx,"
    "torch.ao.quantization.quantize_fx.convert_fx, please migrate to use torchao pt2e quantization "
    "API instead (prepare_pt2e, convert_pt2e) \n"
    "3. pt2e quantization has been migrated to torchao (https://github.com/pytorch/ao/tree/main/torchao/quantization/pt2e) \n"
    "see https://github.com/pytorch/ao/issues/2259 for more details"
)

_CELLS = (nn.LSTMCell, nn.GRUCell, nn.RNNCell)


def _not_provided(what: str):
    raise NotImplementedError(
        f"torchlike does not implement {what}: static (post-training or quantization-aware) "
        "quantization with observers and quantized modules is not provided; "
        "torch.ao.quantization.quantize_dynamic is"
    )


class _CellNotProvided:
    """Stands for torch.ao.nn.quantized.dynamic.{LSTMCell,GRUCell,RNNCell} in the mapping."""

    @staticmethod
    def from_float(mod, use_precomputed_fake_quant=False):
        raise NotImplementedError(
            f"torchlike has no dynamic quantized {type(mod).__name__}; pass a qconfig_spec without it "
            "(dynamic quantized Linear, LSTM and GRU are provided)"
        )


def get_default_dynamic_quant_module_mappings() -> dict:
    mapping = {nn.Linear: nnqd.Linear, nn.LSTM: nnqd.LSTM, nn.GRU: nnqd.GRU}
    mapping.update(dict.fromkeys(_CELLS, _CellNotProvided))
    return mapping


def propagate_qconfig_(module, qconfig_dict=None, prepare_custom_config_dict=None) -> None:
    """Give every submodule a ``qconfig``: its type's or name's entry, else its parent's."""
    qconfig_dict = qconfig_dict or {}

    def walk(mod, parent_qconfig, prefix):
        qconfig = qconfig_dict.get(type(mod), parent_qconfig)
        qconfig = qconfig_dict.get(prefix, qconfig)
        mod.qconfig = qconfig
        for name, child in mod.named_children():
            walk(child, qconfig, prefix + "." + name if prefix else name)

    walk(module, qconfig_dict.get("", None), "")


def swap_module(mod, mapping, custom_module_class_mapping=None, use_precomputed_fake_quant=False):
    """``mapping[type(mod)].from_float(mod)`` when ``mod`` has a qconfig, else ``mod``."""
    if getattr(mod, "qconfig", None) is not None and type(mod) in mapping:
        return mapping[type(mod)].from_float(mod)
    return mod


def _convert_dynamic(module, mapping) -> None:
    for name, child in list(module.named_children()):
        if type(child) not in mapping:
            _convert_dynamic(child, mapping)
        new = swap_module(child, mapping)
        if new is not child:
            setattr(module, name, new)


def quantize_dynamic(model, qconfig_spec=None, dtype=Q.qint8, mapping=None, inplace=False):
    """Replace the model's Linear/LSTM/GRU layers (those ``qconfig_spec`` names: a set of types,
    or a dict of types/names to QConfigs) by dynamic quantized ones."""
    warnings.warn(DEPRECATION_WARNING, DeprecationWarning, stacklevel=2)
    if qconfig_spec is None:
        if dtype is Q.qint8:
            qconfig = default_dynamic_qconfig
        elif dtype is torch.float16:
            qconfig = float16_dynamic_qconfig
        else:
            raise ValueError(
                f"Don't know how to quantize with default settings for {dtype}. Provide full qconfig please"
            )
        qconfig_spec = dict.fromkeys((nn.Linear, nn.LSTM, nn.GRU, *_CELLS), qconfig)
    elif isinstance(qconfig_spec, set):
        if dtype is Q.qint8:
            qconfig = default_dynamic_qconfig
        elif dtype is torch.float16:
            qconfig = float16_dynamic_qconfig
        elif dtype is Q.quint8:
            raise NotImplementedError("torchlike has no weight-only quantized Embedding/EmbeddingBag")
        else:
            raise RuntimeError("Unknown dtype specified for quantize_dynamic: ", str(dtype))
        qconfig_spec = dict(zip(qconfig_spec, itertools.repeat(qconfig)))
    if mapping is None:
        mapping = get_default_dynamic_quant_module_mappings()
    if not inplace:
        model = copy.deepcopy(model)
    model.eval()
    propagate_qconfig_(model, qconfig_spec)
    _convert_dynamic(model, mapping)
    return model


def prepare(model, inplace=False, allow_list=None, observer_non_leaf_module_list=None,
            prepare_custom_config_dict=None):
    _not_provided("torch.ao.quantization.prepare")


def convert(module, mapping=None, inplace=False, remove_qconfig=True, is_reference=False,
            convert_custom_config_dict=None, use_precomputed_fake_quant=False):
    _not_provided("torch.ao.quantization.convert")


def quantize(model, run_fn, run_args, mapping=None, inplace=False):
    _not_provided("torch.ao.quantization.quantize")


def prepare_qat(model, mapping=None, inplace=False):
    _not_provided("torch.ao.quantization.prepare_qat")


def quantize_qat(model, run_fn, run_args, inplace=False):
    _not_provided("torch.ao.quantization.quantize_qat")


def fuse_modules(model, modules_to_fuse, inplace=False, fuser_func=None, fuse_custom_config_dict=None):
    _not_provided("torch.ao.quantization.fuse_modules")


class QuantStub(nn.Module):
    """Marks where a static quantized model quantizes its input; identity until converted."""

    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class DeQuantStub(QuantStub):
    """Marks where a static quantized model dequantizes; identity until converted."""
