"""torch.jit.trace / trace_module: TracedModule wrappers that run the traced Python again at each call.

PyTorch records one graph from the example inputs and replays it; torchlike already records every
call lazily and compiles it with XLA, so a traced module runs its ``forward`` as Python each time.
The trace itself still runs the function on the example inputs as PyTorch does (once, plus twice per
check input when ``check_trace``), with ``torch.jit.is_tracing()`` true, and the host reads that
PyTorch warns about (``bool(tensor)``, ``.item()``, ``float()``, ``int()``, ``.tolist()``,
``.numpy()``) give the same ``TracerWarning`` at the user's line. The difference: a data-dependent
branch is re-taken on each call instead of being frozen into the trace.
"""

from __future__ import annotations

import os
import sys
import warnings

from .._context import state
from ..nn.modules.module import Module
from ._script import RecursiveScriptModule, ScriptFunction, ScriptModule, _wrap

__all__ = [
    "TracerWarning",
    "TracedModule",
    "TopLevelTracedModule",
    "trace",
    "trace_module",
    "is_tracing",
]


class TracerWarning(Warning):
    @staticmethod
    def ignore_lib_warnings():
        warnings.filterwarnings("ignore", category=TracerWarning, module="torch.(?!jit)")
        warnings.filterwarnings("ignore", "torch::jit::fuser::cuda")


class TracedModule(ScriptModule):
    """A submodule of a traced module; prints under its original class name."""

    def extra_repr(self) -> str:
        return f"original_name={self.original_name}"

    def _get_name(self):
        return self.original_name


class TopLevelTracedModule(TracedModule):
    """What ``torch.jit.trace(module, ...)`` returns."""


_TRACE_DEPRECATED = (
    "`torch.jit.trace` is deprecated. Please switch to `torch.compile` or `torch.export`."
)
_TRACE_MODULE_DEPRECATED = (
    "`torch.jit.trace_method` is deprecated. Please switch to `torch.compile` or `torch.export`."
)


def is_tracing() -> bool:
    """True while torch.jit.trace runs the traced function on its example inputs."""
    return state.jit_tracing > 0


# the conversions PyTorch's tracer warns about, by the torchlike function the user called
_HOST_READS = {
    "__bool__": "Python boolean",
    "__float__": "Python float",
    "__int__": "Python integer",
    "item": "Python number",
    "tolist": "Python list",
    "numpy": "NumPy array",
}
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def warn_host_read() -> None:
    """Called by Tensor._host while tracing: PyTorch's TracerWarning at the user's line."""
    frame = sys._getframe(1)
    outermost = None
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        outermost = frame.f_code.co_name
        frame = frame.f_back
    what = _HOST_READS.get(outermost)
    if what is None or frame is None:
        return  # a read inside torchlike on the user's behalf, not a conversion the user wrote
    caller = frame
    while caller is not None:  # scripted code called from the traced code is compiled in PyTorch
        if isinstance(caller.f_locals.get("self"), (RecursiveScriptModule, ScriptFunction)):
            return
        caller = caller.f_back
    g = frame.f_globals
    warnings.warn_explicit(
        f"Converting a tensor to a {what} might cause the trace to be "
        "incorrect. We can't record the data flow of Python values, so this value will be treated as a "
        "constant in the future. This means that the trace might not generalize to other inputs!",
        TracerWarning,
        frame.f_code.co_filename,
        frame.f_lineno,
        g.get("__name__", "<string>"),
        g.setdefault("__warningregistry__", {}),
    )


def _as_tuple(example_inputs) -> tuple:
    from .._tensor import Tensor

    if isinstance(example_inputs, (Tensor, dict)):
        return (example_inputs,)
    return example_inputs if isinstance(example_inputs, tuple) else tuple(example_inputs)


def _run_traced(fn, inputs, as_kwargs: bool, tracing: bool):
    state.jit_tracing += tracing
    try:
        return fn(**inputs) if as_kwargs else fn(*inputs)
    finally:
        state.jit_tracing -= tracing


def _trace_runs(
    fn, inputs, check_trace: bool, check_inputs, as_kwargs: bool, deprecation: str
) -> None:
    """Run ``fn`` as PyTorch's tracer does: once to trace; with ``check_trace``, for each check input
    once more traced (PyTorch's check re-traces, warning ``deprecation`` again) and once as Python."""
    _run_traced(fn, inputs, as_kwargs, True)
    if not check_trace:
        return
    for check in check_inputs if check_inputs is not None else [inputs]:
        check = check if as_kwargs else _as_tuple(check)
        warnings.warn(deprecation, DeprecationWarning, stacklevel=1)
        _run_traced(fn, check, as_kwargs, True)
        _run_traced(fn, check, as_kwargs, False)


def trace(
    func,
    example_inputs=None,
    optimize=None,
    check_trace=True,
    check_inputs=None,
    check_tolerance=1e-05,
    strict=True,
    _force_outplace=False,
    _module_class=None,
    _compilation_unit=None,
    example_kwarg_inputs=None,
    _store_inputs=True,
):
    """torch.jit.trace: a module becomes a TopLevelTracedModule tree, a function a ScriptFunction."""
    warnings.warn(
        _TRACE_DEPRECATED, DeprecationWarning, stacklevel=1
    )  # attributed to torch.jit, as in PyTorch
    if isinstance(func, ScriptModule):
        warnings.warn(
            "The input to trace is already a ScriptModule, tracing it is a no-op. Returning the object as is.",
            stacklevel=2,
        )
        return func
    module = func if isinstance(func, Module) else None
    if (
        module is None
        and isinstance(getattr(func, "__self__", None), Module)
        and func.__name__ == "forward"
    ):
        module = func.__self__
    if module is not None:
        if example_inputs is None:
            if not isinstance(example_kwarg_inputs, dict):
                raise RuntimeError("example_kwarg_inputs should be a dict")
            example_inputs = example_kwarg_inputs
        return trace_module(
            module,
            {"forward": example_inputs},
            None,
            check_trace,
            check_inputs,
            check_tolerance,
            strict,
            example_inputs_is_kwarg=isinstance(example_kwarg_inputs, dict),
        )
    if isinstance(func, ScriptFunction):
        return func
    as_kwargs = isinstance(example_kwarg_inputs, dict)
    inputs = example_kwarg_inputs if as_kwargs else _as_tuple(example_inputs)
    if isinstance(getattr(func, "__self__", None), Module):
        raise AttributeError(
            "trace doesn't support compiling individual module's functions.\nPlease use trace_module"
        )
    _trace_runs(func, inputs, check_trace, check_inputs, as_kwargs, _TRACE_DEPRECATED)
    return ScriptFunction(func)


def trace_module(
    mod,
    inputs,
    optimize=None,
    check_trace=True,
    check_inputs=None,
    check_tolerance=1e-05,
    strict=True,
    _force_outplace=False,
    _module_class=None,
    _compilation_unit=None,
    example_inputs_is_kwarg=False,
    _store_inputs=True,
):
    """torch.jit.trace_module: trace the methods named in ``inputs`` ({name: example inputs})."""
    warnings.warn(_TRACE_MODULE_DEPRECATED, DeprecationWarning, stacklevel=1)
    if optimize is not None:
        warnings.warn(
            "`optimize` is deprecated and has no effect. Use `with torch.jit.optimized_execution()` instead",
            FutureWarning,
            stacklevel=2,
        )
    if not isinstance(mod, Module):
        raise AttributeError("expected torch.nn.Module as the first argument")
    if not isinstance(inputs, dict):
        raise AttributeError("expected a dictionary of (method_name, input) pairs")
    traced = _wrap(mod, TopLevelTracedModule, TracedModule, {})
    for method_name, example in inputs.items():
        as_kwargs = isinstance(example, dict) and example_inputs_is_kwarg
        method = traced if method_name == "forward" else getattr(traced, method_name)
        if as_kwargs:
            names = list(_argument_names(getattr(traced, method_name)))
            for key in example:
                if key not in names:
                    raise NameError(
                        f"'{key}' is not in forward() method's arguments,\n"
                        f"                         valid arguments name are [{','.join(names)}]"
                    )
        else:
            example = _as_tuple(example)
        _trace_runs(method, example, check_trace, check_inputs, as_kwargs, _TRACE_MODULE_DEPRECATED)
    return traced


def _argument_names(fn):
    import inspect

    return inspect.signature(fn).parameters
