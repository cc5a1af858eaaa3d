"""torchlike: the PyTorch programming model on JAX/XLA.

``import torchlike as torch``: tensors, autograd, nn, optim, data, checkpoints — captured lazily and
run as jit-compiled XLA programs (one program per training step).
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import _dtype
from ._dtype import dtype
from ._dtype import (
    bool_ as bool,
    uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128,
)

float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
cfloat = complex64
cdouble = complex128

from ._context import state as _state
from ._device import device
from ._size import Size
from ._tensor import Tensor
from . import _dispatch
from . import _ops
from ._ops.registry import FUNCTIONS as _FUNCTIONS
from . import _tensor_methods

_tensor_methods._install()
globals().update({k: v for k, v in _FUNCTIONS.items() if not k.endswith("_k")})

from ._creation import (
    tensor, as_tensor, asarray, from_numpy, zeros, ones, empty, full, eye, arange, linspace, logspace,
    zeros_like, ones_like, empty_like, full_like, rand, randn, randint, randperm, rand_like, randn_like,
    randint_like, normal, bernoulli, multinomial, poisson,
)
from ._functions import (
    is_tensor, is_floating_point, is_complex, numel, set_default_dtype, get_default_dtype,
    set_default_tensor_type, result_type, promote_types, can_cast, where, einsum, tensordot, meshgrid,
    split, chunk, broadcast_tensors, broadcast_shapes, flatten, reshape, permute, squeeze, transpose, cat,
    stack, clone,
)
from ._tensor_methods import nonzero, unique, masked_select, argwhere, unique_consecutive
from ._creation import range_ as range  # noqa: A001
concat = concatenate = cat
from .random import manual_seed, seed, initial_seed, get_rng_state, set_rng_state, Generator, default_generator
from .autograd.grad_mode import (
    no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled, is_inference_mode_enabled,
)
from . import autograd
from ._engine import metrics
from ._engine.execute import sync
from ._engine.cache import enable_persistent_cache as _enable_persistent_cache
from . import _runtime
from ._runtime import set_eager, is_eager, compile, cuda, backends, jit, Storage
from ._printing import set_printoptions, get_printoptions

_enable_persistent_cache()
from .amp import autocast
from .func import from_jax
from .utils.dlpack import from_dlpack
cuda.amp = _runtime._cuda_amp()

from . import _module_aliases  # noqa: E402  (nn, optim, utils, ... lazily importable)

_module_aliases.install(globals())

newaxis = None
pi = 3.141592653589793
e = 2.718281828459045
inf = __builtins__["float"]("inf") if isinstance(__builtins__, dict) else __import__("math").inf
nan = __import__("math").nan

# everyday torch names written in Python, torch's nn ops in the torch namespace (torch.conv2d,
# torch.dropout, torch.layer_norm ... with ATen's signatures), and torch.<op>_ in-place functions;
# a name some other module already defines keeps that definition
from . import _functions, _functions_nn  # noqa: E402

_tensor_methods._install_extra()
for _name in (
    "atleast_1d", "atleast_2d", "atleast_3d", "is_same_size", "is_signed", "is_conj", "is_neg", "fill",
    "split_with_sizes", "index_put", "select_scatter", "slice_scatter", "diagonal_scatter", "renorm",
    "view_as_real", "view_as_complex", "combinations", "unravel_index", "cumulative_trapezoid",
    "chain_matmul", "hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window",
):
    globals().setdefault(_name, getattr(_functions, _name))
globals().setdefault("unsafe_chunk", chunk)
globals().setdefault("unsafe_split", split)
globals().setdefault("unsafe_split_with_sizes", _functions.split_with_sizes)
for _name in _functions_nn.__all__:
    globals().setdefault(_name, getattr(_functions_nn, _name))
for _name, _fn in _functions.inplace_functions().items():
    globals().setdefault(_name, _fn)
del _name, _fn
