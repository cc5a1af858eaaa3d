"""nn.utils: gradient clipping, parameter vectors, weight/spectral norm (old hook-based API), and the
submodules rnn (packing), parametrize / parametrizations and prune."""

import importlib

from . import fusion, init, memory_format, parametrizations, parametrize, prune, stateless  # noqa: F401,E402
from .clip_grad import (  # noqa: F401
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from .fusion import (  # noqa: F401
    fuse_conv_bn_eval,
    fuse_conv_bn_weights,
    fuse_linear_bn_eval,
    fuse_linear_bn_weights,
)
from .init import skip_init  # noqa: F401
from .memory_format import convert_conv2d_weight_memory_format, convert_conv3d_weight_memory_format  # noqa: F401
from .spectral_norm import remove_spectral_norm, spectral_norm  # noqa: F401,E402
from .weight_norm import remove_weight_norm, weight_norm  # noqa: F401,E402


def __getattr__(name):
    if name == "rnn":
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(name)
