"""torchlike: the PyTorch programming model on JAX/XLA.

``import torchlike as torch``: tensors, autograd, nn, optim, data, checkpoints — captured lazily and
run as jit-compiled XLA programs (one program per training step).
"""

from __future__ import annotations

from .torch_version import TorchVersion as _TorchVersion

# the PyTorch release whose API torchlike follows, as that CPU build spells it: scripts print it
# and gate features on it (``torch.__version__ >= "2.0"``); torchlike's own release is
# ``torchlike.version.torchlike_version``
__version__ = _TorchVersion("2.13.0+cpu")

from . import _dtype
from ._dtype import (  # (uint16/32/64 and float8: PyTorch's barebones dtypes; see _barebones.py)
    bfloat16,
    complex64,
    complex128,
    dtype,
    float8_e4m3fn,
    float8_e4m3fnuz,
    float8_e5m2,
    float8_e5m2fnuz,
    float8_e8m0fnu,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._dtype import (
    bool_ as bool,
)

float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
cfloat = complex64
cdouble = complex128

from . import _dispatch, _ops, _tensor_methods
from ._context import state as _state
from ._device import device
from ._ops.registry import FUNCTIONS as _FUNCTIONS
from ._size import Size
from ._tensor import Tensor

_tensor_methods._install()
_dispatch._debug_checks.install()
globals().update({k: v for k, v in _FUNCTIONS.items() if not k.endswith("_k")})

from ._creation import (
    arange,
    as_tensor,
    asarray,
    bernoulli,
    binomial,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    multinomial,
    normal,
    ones,
    ones_like,
    poisson,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from ._creation import range_ as range  # noqa: A001
from ._functions import (
    broadcast_shapes,
    broadcast_tensors,
    can_cast,
    cat,
    chunk,
    clone,
    einsum,
    flatten,
    get_default_device,
    get_default_dtype,
    is_complex,
    is_floating_point,
    is_tensor,
    meshgrid,
    numel,
    permute,
    promote_types,
    reshape,
    result_type,
    set_default_device,
    set_default_dtype,
    set_default_tensor_type,
    split,
    squeeze,
    stack,
    tensordot,
    transpose,
    where,
)
from ._tensor_methods import argwhere, masked_select, nonzero, unique, unique_consecutive

concat = concatenate = cat
from . import _runtime, autograd
from ._engine import metrics
from ._engine.cache import enable_persistent_cache as _enable_persistent_cache
from ._engine.execute import sync
from ._printing import get_printoptions, set_printoptions
from ._runtime import Storage, backends, compile, cuda, is_eager, set_auto_compile, set_eager
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

_enable_persistent_cache()
from ._layout import (
    _mkldnn,
    jagged,
    layout,
    sparse_bsc,
    sparse_bsr,
    sparse_coo,
    sparse_csc,
    sparse_csr,
    strided,
)
from .amp import (
    autocast,
    get_autocast_cpu_dtype,
    get_autocast_dtype,
    is_autocast_cache_enabled,
    is_autocast_cpu_enabled,
    is_autocast_enabled,
    set_autocast_dtype,
    set_autocast_enabled,
)
from .func import from_jax, vmap
from .utils.dlpack import from_dlpack

cuda.amp = _runtime._cuda_amp()

from . import _module_aliases  # noqa: E402  (nn, optim, utils, ... lazily importable)
from ._legacy_types import LEGACY_TYPES as _LEGACY_TYPES  # noqa: E402  (torch.FloatTensor ...)

globals().update(_LEGACY_TYPES)

_module_aliases.install(globals())

from . import _sparse  # noqa: E402

_sparse._install(globals())

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

# functions and Tensor methods written in Python around the ops (stft, histogram, lu, x.new,
# resize_ ...) and torch.memory_format's values, where nothing above defines the name
from . import _tensor_legacy  # noqa: E402

_tensor_legacy.install(globals())
