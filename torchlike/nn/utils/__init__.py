"""nn.utils: gradient clipping, parameter vectors (rnn packing utilities live in nn.utils.rnn)."""

import importlib

from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401


def __getattr__(name):
    if name in ("rnn", "parametrize", "parametrizations", "weight_norm", "spectral_norm", "prune", "stateless"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(name)
