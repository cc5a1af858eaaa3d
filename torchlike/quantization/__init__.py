"""``torch.quantization``: PyTorch's older name for ``torch.ao.quantization``."""

from ..ao.quantization import *  # noqa: F403
from ..ao.quantization import (  # noqa: F401
    DeQuantStub,
    MinMaxObserver,
    PerChannelMinMaxObserver,
    PlaceholderObserver,
    QConfig,
    QuantStub,
    convert,
    default_dynamic_qconfig,
    default_qconfig,
    float16_dynamic_qconfig,
    fuse_modules,
    observer,
    per_channel_dynamic_qconfig,
    prepare,
    prepare_qat,
    qconfig,
    quantize,
    quantize_dynamic,
)
