"""Engine switches (eager mode, compile), and the torch.cuda / torch.backends namespaces."""

from __future__ import annotations

import functools
import types

import jax

from . import _device
from ._context import state
from ._engine.execute import flush


def set_eager(flag: bool = True) -> None:
    """Debug mode: run every op as it is recorded (same code path, one program per op)."""
    flush("set_eager")
    state.eager = bool(flag)


def is_eager() -> bool:
    return state.eager


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
            disable=False):
    """torch.compile / torchlike.compile: the wrapped callable runs and then flushes, so each call
    is one compiled XLA program (cached by structure: later calls only replay)."""
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    if disable:
        return model
    from .nn.modules.module import Module

    if isinstance(model, Module):
        model._compiled_call = True
        return model

    @functools.wraps(model)
    def compiled(*args, **kwargs):
        out = model(*args, **kwargs)
        flush("torchlike.compile step")
        return out

    return compiled


# -- torch.cuda -------------------------------------------------------------------------------------


def _is_available() -> bool:
    return bool(_device.accelerators())


def _device_count() -> int:
    return len(_device.accelerators())


def _synchronize(device=None):
    flush("cuda.synchronize()")
    for d in _device.accelerators() or jax.devices():
        pass
    (jax.device_put(0) + 0).block_until_ready()


def _memory_stat(key):
    def fn(device=None):
        accs = _device.accelerators()
        if not accs:
            return 0
        idx = device.index if isinstance(device, _device.device) else (device or 0)
        stats = accs[idx or 0].memory_stats() or {}
        return int(stats.get(key, 0))

    return fn


def _get_device_name(device=None):
    accs = _device.accelerators()
    if not accs:
        raise AssertionError("Torch not compiled with CUDA enabled")
    return accs[0].device_kind


class _DeviceCtx:
    def __init__(self, device):
        self.device = device

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _manual_seed_all(seed):
    from .random import manual_seed

    manual_seed(seed)


def _cuda_amp():
    from . import amp

    def _autocast(enabled=True, dtype=None, cache_enabled=True):
        from ._dtype import float16

        return amp.autocast("cuda", dtype=dtype or float16, enabled=enabled)

    def _scaler(init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000, enabled=True):
        return amp.GradScaler("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)

    return types.SimpleNamespace(autocast=_autocast, GradScaler=_scaler)


cuda = types.SimpleNamespace(
    is_available=_is_available,
    device_count=_device_count,
    synchronize=_synchronize,
    current_device=lambda: 0,
    set_device=lambda d: None,
    device=_DeviceCtx,
    get_device_name=_get_device_name,
    get_device_properties=lambda d=None: types.SimpleNamespace(name=_get_device_name(d), total_memory=_memory_stat("bytes_limit")(d)),
    memory_allocated=_memory_stat("bytes_in_use"),
    max_memory_allocated=_memory_stat("peak_bytes_in_use"),
    memory_reserved=_memory_stat("bytes_reserved"),
    max_memory_reserved=_memory_stat("peak_bytes_reserved"),
    reset_peak_memory_stats=lambda device=None: None,
    empty_cache=lambda: None,
    manual_seed=_manual_seed_all,
    manual_seed_all=_manual_seed_all,
    is_initialized=_is_available,
    init=lambda: None,
)


# -- torch.backends ----------------------------------------------------------------------------------

backends = types.SimpleNamespace(
    cudnn=types.SimpleNamespace(benchmark=False, deterministic=False, enabled=True, allow_tf32=True,
                                is_available=_is_available, version=lambda: None),
    cuda=types.SimpleNamespace(matmul=types.SimpleNamespace(allow_tf32=False), is_built=_is_available),
    mps=types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False),
    mkldnn=types.SimpleNamespace(enabled=True, is_available=lambda: False),
    openmp=types.SimpleNamespace(is_available=lambda: True),
)


# -- torch.jit: accepted as pass-through where harmless -------------------------------------------------


def _jit_script(obj=None, *args, **kwargs):
    return obj


jit = types.SimpleNamespace(script=_jit_script, trace=lambda fn, *a, **k: fn, ignore=lambda fn=None, **k: fn,
                            unused=lambda fn: fn, export=lambda fn: fn, is_scripting=lambda: False,
                            is_tracing=lambda: False)


class Storage:
    """Placeholder type for isinstance checks; torchlike tensors own no separate storage objects."""
