"""``torch.ao.quantization`` (and its old name ``torch.quantization``): dynamic quantization.

``quantize_dynamic`` swaps Linear/LSTM/GRU layers for ``torch.ao.nn.quantized.dynamic`` ones with
int8 (or float16) weights; observers and qconfigs compute the weights' qparams as PyTorch's do.
Static quantization (``prepare``/``convert``/``fuse_modules``) raises NotImplementedError."""

from torchlike import _quantized as _Q

from . import observer, qconfig
from . import quantize as _quantize_mod
from .observer import (
    MinMaxObserver,
    ObserverBase,
    PerChannelMinMaxObserver,
    PlaceholderObserver,
    default_dynamic_quant_observer,
    default_float_qparams_observer,
    default_observer,
    default_per_channel_weight_observer,
    default_placeholder_observer,
    default_weight_observer,
)
from .qconfig import (
    QConfig,
    QConfigDynamic,
    default_dynamic_qconfig,
    default_qconfig,
    float16_dynamic_qconfig,
    float_qparams_weight_only_qconfig,
    per_channel_dynamic_qconfig,
)
from .quantize import (
    DeQuantStub,
    QuantStub,
    convert,
    fuse_modules,
    get_default_dynamic_quant_module_mappings,
    prepare,
    prepare_qat,
    propagate_qconfig_,
    quantize,
    quantize_dynamic,
    quantize_qat,
    swap_module,
)

quantize_per_tensor = _Q.quantize_per_tensor
del _quantize_mod
