"""``torch.overrides``: the ``__torch_function__`` protocol's helpers.

torchlike's own ops do not dispatch through ``__torch_function__`` (a Tensor subclass gets
torchlike's results, not its override's), so ``has_torch_function*`` answers for the objects it is
given and ``handle_torch_function`` runs the overrides for code that calls it itself (NEP-18's
order: subclasses before superclasses, then left to right). ``TorchFunctionMode`` cannot be
entered: no op would consult it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "get_ignored_functions", "get_overridable_functions", "handle_torch_function", "has_torch_function",
    "is_tensor_like", "is_tensor_method_or_property", "wrap_torch_function", "TorchFunctionMode",
]


def _default_impl():
    from ._tensor import Tensor

    return Tensor.__torch_function__


def _overrides(arg_type) -> bool:
    impl = getattr(arg_type, "__torch_function__", None)
    return impl is not None and getattr(impl, "__func__", impl) is not _default_impl()


def _get_overloaded_args(relevant_args: Iterable[Any], get_type_fn: Callable[[Any], type] | None = None) -> list:
    get_type_fn = get_type_fn or type
    seen: set = set()
    out: list = []
    for arg in relevant_args:
        arg_type = get_type_fn(arg)
        if arg_type in seen or not _overrides(arg_type):
            continue
        seen.add(arg_type)
        index = len(out)
        for i, old in enumerate(out):
            if issubclass(arg_type, get_type_fn(old)):
                index = i
                break
        out.insert(index, arg)
    return out


def has_torch_function(relevant_args: Iterable[Any]) -> bool:
    """Whether any of ``relevant_args`` overrides ``__torch_function__``."""
    return any(_overrides(type(a)) for a in relevant_args)


def has_torch_function_unary(arg: Any) -> bool:
    return _overrides(type(arg))


def has_torch_function_variadic(*args: Any) -> bool:
    return has_torch_function(args)


def handle_torch_function(public_api: Callable, relevant_args: Iterable[Any], *args, **kwargs):
    """Call the ``__torch_function__`` overrides of ``relevant_args`` for ``public_api``."""
    overloaded = _get_overloaded_args(relevant_args)
    types = tuple(map(type, overloaded))
    for arg in overloaded:
        result = arg.__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    func_name = f"{public_api.__module__}.{public_api.__name__}"
    raise TypeError(
        f"no implementation found for '{func_name}' on types that implement __torch_function__: "
        f"{[type(arg) for arg in overloaded]}"
    )


def is_tensor_like(inp: Any) -> bool:
    """A Tensor (or subclass), or an object whose type defines ``__torch_function__``."""
    from ._tensor import Tensor

    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def is_tensor_method_or_property(func: Callable) -> bool:
    from ._tensor import Tensor

    return func in _tensor_members() or getattr(func, "__name__", None) == "__get__" or any(
        getattr(Tensor, n, None) is func for n in ("__getitem__", "__setitem__")
    )


def _tensor_members() -> set:
    from ._tensor import Tensor

    return {v for k in dir(Tensor) if not k.startswith("_") for v in (getattr(Tensor, k, None),) if callable(v)}


def wrap_torch_function(dispatcher: Callable):
    """Decorate a function so that it honours the ``__torch_function__`` of ``dispatcher(*args)``."""

    def inner(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            relevant = dispatcher(*args, **kwargs)
            if has_torch_function(relevant):
                return handle_torch_function(wrapped, relevant, *args, **kwargs)
            return func(*args, **kwargs)

        return wrapped

    return inner


def get_ignored_functions() -> set:
    """The public torch functions that take no tensor (so no override applies to them)."""
    import torchlike

    names = (
        "typename", "is_tensor", "is_storage", "set_default_tensor_type", "set_default_device",
        "get_default_device", "set_rng_state", "get_rng_state", "manual_seed", "initial_seed", "seed",
        "save", "load", "set_printoptions", "set_default_dtype", "get_default_dtype", "set_grad_enabled",
        "is_grad_enabled", "compile", "arange", "empty", "eye", "full", "linspace", "logspace", "ones",
        "rand", "randint", "randn", "randperm", "range", "tensor", "zeros", "as_tensor", "from_numpy",
        "frombuffer", "empty_strided", "promote_types", "result_type", "can_cast", "broadcast_shapes",
        "hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window",
        "set_warn_always", "is_warn_always_enabled", "get_num_threads", "set_num_threads",
        "get_num_interop_threads", "set_num_interop_threads", "set_flush_denormal",
    )
    return {getattr(torchlike, n) for n in names if hasattr(torchlike, n)}


def get_overridable_functions() -> dict:
    """``{namespace: [functions]}`` for torch, torch.functional, torch.nn.functional and Tensor."""
    import collections

    import torchlike
    from torchlike import functional
    from torchlike.nn import functional as F

    from ._tensor import Tensor

    ignored = get_ignored_functions()
    out = collections.defaultdict(list)
    for space in (torchlike, functional, F, Tensor):
        for name in dir(space):
            if name.startswith("_") or (space is not Tensor and not callable(getattr(space, name, None))):
                continue
            fn = getattr(space, name, None)
            if fn is None or isinstance(fn, type) or fn in ignored or type(fn).__name__ == "module":
                continue
            out[space].append(fn)
    return out


class TorchFunctionMode:
    """PyTorch's base class of ``__torch_function__`` modes. torchlike's ops never consult a mode,
    so entering one raises rather than being silently ignored."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        raise NotImplementedError

    def __enter__(self):
        raise NotImplementedError(
            "torch.overrides.TorchFunctionMode is not supported by torchlike: its ops do not dispatch "
            "through __torch_function__"
        )

    def __exit__(self, exc_type, exc_value, traceback):
        return None

    @classmethod
    def push(cls, *args, **kwargs):
        return cls(*args, **kwargs).__enter__()
