"""torch.autocast / torch.amp: mixed precision (bf16/fp16) by op category, and GradScaler."""

from __future__ import annotations

import functools
import warnings

from . import _dtype
from ._context import state

# op-name fragments in PyTorch's autocast categories (CPU lists; CUDA adds softmax & co. to fp32)
_LOWER = (
    "matmul",
    "mm",
    "bmm",
    "addmm",
    "baddbmm",
    "addbmm",
    "linear",
    "bilinear",
    "conv",
    "einsum",
    "prelu",
    "scaled_dot_product_attention",
    "multi_head_attention",
    "tensordot",
    "mv",
    "dot",
)
_FP32 = (
    "loss",
    "cross_entropy",
    "nll",
    "kl_div",
    "cdist",
    "prod",
    "trace",
    "inverse",
    "pinv",
    "cholesky",
    "quantile",
    "grid_sample",
    "max_unpool",
    "reflection_pad",
    "replication_pad",
    "avg_pool3d",
    "max_pool3d",
    "adaptive_avg_pool3d",
    "binary_cross_entropy",
    "linalg",
    "fft",
)
_FP32_CUDA = (
    "softmax",
    "log_softmax",
    "layer_norm",
    "group_norm",
    "norm",
    "exp",
    "log",
    "pow",
    "sum",
    "cumsum",
    "cumprod",
    "erfinv",
    "acos",
    "asin",
    "cosh",
    "sinh",
    "tan",
    "reciprocal",
    "rsqrt",
    "softplus",
)


@functools.cache
def _category(name: str, device_type: str) -> str | None:
    base = name.removesuffix("_k")
    if (
        any(
            base == f or base.startswith(f + "_") or base.endswith("_" + f) or base == "_" + f
            for f in _LOWER
        )
        or "conv" in base
    ):
        return "lower"
    fp32 = _FP32 + (_FP32_CUDA if device_type == "cuda" else ())
    if any(f in base for f in fp32):
        return "fp32"
    return None


def autocast_args(op, args):
    from ._tensor import Tensor

    device_type, dt = state.autocast
    cat = _category(op.name, device_type)
    if cat is None:
        return args
    target = dt if cat == "lower" else _dtype.float32

    def cast(a):
        if (
            isinstance(a, Tensor)
            and a._dtype.is_floating_point
            and a._dtype is not target
            and a._dtype is not _dtype.float64
        ):
            return a._cast(target)
        if type(a) is list:
            return [cast(x) for x in a]
        return a

    prev = state.autocast
    state.autocast = None  # the casts themselves are not autocast
    try:
        return [cast(a) for a in args]
    finally:
        state.autocast = prev


# -- the autocast state, as torch.is_autocast_enabled & co. read and set it ---------------------------


def _device_type(device_type: str) -> str:
    from ._device import device

    return device(device_type).type  # PyTorch's error for an unknown device type


def is_autocast_enabled(device_type: str = "cuda") -> bool:
    """Whether ops on ``device_type`` (default: CUDA, as torch's no-argument form) autocast."""
    device_type = _device_type(device_type)
    return state.autocast is not None and state.autocast[0] == device_type


def get_autocast_dtype(device_type: str):
    """The dtype autocast lowers to on ``device_type``: bfloat16 on the CPU (and XLA), float16
    elsewhere, unless set."""
    device_type = _device_type(device_type)
    default = _dtype.bfloat16 if device_type in ("cpu", "xla", "hpu", "mtia") else _dtype.float16
    return state.autocast_dtypes.get(device_type, default)


def set_autocast_enabled(device_type: str, enabled: bool) -> None:
    device_type = _device_type(device_type)
    if enabled:
        state.autocast = (device_type, get_autocast_dtype(device_type))
    elif is_autocast_enabled(device_type):
        state.autocast = None


def set_autocast_dtype(device_type: str, dtype) -> None:
    device_type = _device_type(device_type)
    state.autocast_dtypes[device_type] = _dtype.to_dtype(dtype)
    if is_autocast_enabled(device_type):
        state.autocast = (device_type, state.autocast_dtypes[device_type])


def is_autocast_cpu_enabled() -> bool:
    warnings.warn(
        "torch.is_autocast_cpu_enabled() is deprecated. Please use torch.is_autocast_enabled('cpu') "
        "instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    return is_autocast_enabled("cpu")


def get_autocast_cpu_dtype():
    warnings.warn(
        "torch.get_autocast_cpu_dtype() is deprecated. Please use torch.get_autocast_dtype('cpu') "
        "instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    return get_autocast_dtype("cpu")


def is_autocast_cache_enabled() -> bool:
    # casts are ops in the traced program; XLA shares them, which is what the cache is for
    return True


class autocast:
    def __init__(
        self, device_type: str = "cuda", dtype=None, enabled: bool = True, cache_enabled=None
    ):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device_type = device_type
        if dtype is None:  # the dtype autocast on this device uses now (an outer block's, if any)
            dtype = get_autocast_dtype(device_type)
        self.fast_dtype = _dtype.to_dtype(dtype)
        if enabled and device_type == "cuda":
            from ._device import accelerators

            # 'cuda' names whatever accelerator JAX has; with none it is off, as PyTorch's
            # autocast is on a CUDA-less machine
            if not accelerators():
                warnings.warn(
                    "CUDA is not available or torch_xla is imported. Disabling autocast.",
                    stacklevel=2,
                )
                enabled = False
        elif enabled and self.fast_dtype not in (_dtype.bfloat16, _dtype.float16):
            name = device_type.upper()
            warnings.warn(
                f"In {name} autocast, but the target dtype is not supported. Disabling autocast.\n"
                f"{name} Autocast only supports dtypes of torch.bfloat16, torch.float16 currently.",
                stacklevel=2,
            )
            enabled = False
        self.enabled = enabled

    def __enter__(self):
        self.prev = state.autocast
        self.prev_dtypes = dict(state.autocast_dtypes)
        state.autocast_dtypes[self.device_type] = self.fast_dtype
        if self.enabled:
            state.autocast = (self.device_type, self.fast_dtype)
        elif state.autocast is not None and state.autocast[0] == self.device_type:
            state.autocast = None  # a disabled block for another device leaves this one's on
        return self

    def __exit__(self, *exc):
        state.autocast = self.prev
        state.autocast_dtypes = self.prev_dtypes
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            with autocast(self.device_type, self.fast_dtype, self.enabled):
                return fn(*a, **k)

        return wrapper


def is_autocast_available(device_type: str) -> bool:
    return _device_type(device_type) in ("cpu", "cuda", "xla")


class GradScaler:
    """Dynamic loss scaling: scale, unscale_, step (skipped on inf/NaN), update — PyTorch's rules."""

    def __init__(
        self,
        device="cuda",
        init_scale=2.0**16,
        growth_factor=2.0,
        backoff_factor=0.5,
        growth_interval=2000,
        enabled=True,
    ):
        from ._device import accelerators

        self._device = device
        self._enabled = enabled
        if enabled and device == "cuda" and not accelerators():
            warnings.warn(
                "torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                stacklevel=2,
            )
            self._enabled = False
        self._scale_value = float(init_scale)
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._growth_tracker = 0
        self._per_optimizer = {}

    def is_enabled(self) -> bool:
        return self._enabled

    def get_scale(self) -> float:
        return self._scale_value if self._enabled else 1.0

    def get_growth_factor(self):
        return self._growth_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def get_growth_interval(self):
        return self._growth_interval

    def set_growth_factor(self, v):
        self._growth_factor = v

    def set_backoff_factor(self, v):
        self._backoff_factor = v

    def set_growth_interval(self, v):
        self._growth_interval = v

    def scale(self, outputs):
        if not self._enabled:
            return outputs
        from ._tensor import Tensor

        if isinstance(outputs, Tensor):
            return outputs * self._scale_value
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        return outputs

    def unscale_(self, optimizer):
        if not self._enabled:
            return
        st = self._per_optimizer.setdefault(id(optimizer), {"unscaled": False, "found_inf": None})
        if st["unscaled"]:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        from .autograd.grad_mode import no_grad

        inv = 1.0 / self._scale_value
        found = None
        with no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad
                    bad = (~g.isfinite()).any()
                    found = bad if found is None else (found | bad)
                    g.mul_(inv)
        st["unscaled"] = True
        st["found_inf"] = found

    def step(self, optimizer, *args, **kwargs):
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        st = self._per_optimizer.setdefault(id(optimizer), {"unscaled": False, "found_inf": None})
        if not st["unscaled"]:
            self.unscale_(optimizer)
        found = st["found_inf"]
        st["skipped"] = found is not None and bool(found.item())
        if st["skipped"]:
            return None
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale_value = float(new_scale.item() if hasattr(new_scale, "item") else new_scale)
        else:
            found_any = any(
                st.get("skipped")
                or (st.get("found_inf") is not None and bool(st["found_inf"].item()))
                for st in self._per_optimizer.values()
            )
            if found_any:
                self._scale_value *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale_value *= self._growth_factor
                    self._growth_tracker = 0
        self._per_optimizer = {}

    def state_dict(self):
        if not self._enabled:
            return {}
        return {
            "scale": self._scale_value,
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._growth_tracker,
        }

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler."
            )
        self._scale_value = float(state_dict["scale"])
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._growth_tracker = int(state_dict["_growth_tracker"])
