"""The one thread-local context: grad mode, default dtype, RNG state, eager flag, pending graph.

No other module of torchlike keeps mutable module-level state (caches of pure functions aside).
"""

from __future__ import annotations

import os
import threading
import weakref

from . import _dtype


class Context(threading.local):
    def __init__(self):
        self.grad_enabled = True
        self.inference_mode = False
        self.default_dtype = _dtype.float32
        self.default_device = None  # torch.set_default_device; None: the CPU
        self.module_conversion = {"overwrite": False, "swap": False}  # torch.__future__'s switches
        self.device_contexts = []  # the default devices that open `with torch.device(...)` blocks replaced
        self.eager = os.environ.get("TORCHLIKE_EAGER", "0") not in ("", "0", "false", "False")
        self.anomaly = False
        self.memory_formats = False  # a channels-last tensor has existed: dispatch passes formats on
        self.graph = (
            None  # the pending lazy graph (torchlike._engine.graph.Graph), made on first use
        )
        self.seed = 67280421310721  # torch's default initial seed
        self.rng_counter = 0
        self.cpu_rng = (
            None  # the default generator's mt19937 state (torchlike._random_host.MTState)
        )
        # TORCHLIKE_RNG=jax: every draw from jax.random keys in the program (faster, not PyTorch's numbers)
        self.pytorch_streams = os.environ.get("TORCHLIKE_RNG", "pytorch").lower() != "jax"
        self.autocast = None  # (device_type, dtype) while torch.autocast is active
        self.autocast_dtypes = {}  # device type -> torch.set_autocast_dtype's dtype (else the default)
        # torch.autograd.graph.saved_tensors_hooks: the innermost (pack, unpack) pair, or None; and
        # disable_saved_tensors_hooks' error message (autograd/saved_tensors.py)
        self.saved_hooks = None
        self.saved_hooks_disabled = None
        self.backward_task = None  # the running backward: (dependency counts, roots, is autograd.grad)
        self.backward_callbacks = {}  # run once at the end of the next backward (DDP's gradient sync)
        self.matmul_precision = None  # None: full fp32 (torch's default); else a jax.lax.Precision
        # scaled_dot_product_attention backends (torch.backends.cuda.enable_*_sdp, sdpa_kernel):
        # XLA picks its own kernel; the switches are kept so that turning all off fails as in torch
        self.sdp_enabled = dict.fromkeys(
            ("cudnn", "flash", "mem_efficient", "math", "overrideable"), True
        )
        self.sdp_priority = [1, 2, 0, 3, 4]  # FLASH, EFFICIENT, MATH, CUDNN, OVERRIDEABLE
        self.sdp_fp16_bf16_reduction = False
        self.dual_level = None  # forward AD: id(tensor) -> (weakref, tangent) inside dual_level()
        self.direct = (
            False  # ops apply their kernels immediately (torchlike.func under JAX transforms)
        )
        self.leaf_update = (
            False  # a no_grad block wrote a leaf that requires grad (a hand-written SGD step)
        )
        self.capture = (
            None  # while torchlike.compile records a step (torchlike._engine.capture.Capture)
        )
        # every top-level module call compiled as with torch.compile(module) (TORCHLIKE_AUTO_COMPILE=1)
        self.auto_compile = os.environ.get("TORCHLIKE_AUTO_COMPILE", "0") not in (
            "",
            "0",
            "false",
            "False",
        )
        self.in_forward = False  # inside a module call that auto_compile routed
        self.auto_forwards = (
            weakref.WeakKeyDictionary()
        )  # module -> its CompiledForward (auto_compile)
        self.parametrize_cached = 0  # depth of nn.utils.parametrize.cached() blocks
        self.parametrize_cache = {}  # (id(module), tensor name) -> its parametrized value inside cached()
        self.profiler = None  # the recording torch.profiler session (autograd/profiler.py's _Recorder)
        self.profile_ops = None  # the same, checked by dispatch; None while a profiled op's own recording runs
        self.jit_tracing = 0  # depth of torch.jit.trace runs of the traced code (is_tracing, TracerWarning)
        self.jit_settings = {}  # torch.jit's fusion switches: kept and returned, XLA fuses on its own


state = Context()
