"""torch.fx._symbolic_trace: Tracer, symbolic_trace and wrap.

torchlike's ops do not dispatch through ``__torch_function__``, so while a trace runs (and only
then) the Tracer patches the places a Proxy can reach: the function namespaces ``torch``,
``torch.nn.functional``, ``torch.special``, ``torch.linalg``, ``torch.fft`` (and the traced
functions' globals bound to those functions), Tensor's binary operators, and
``nn.Module.__call__`` / ``__getattr__``. A patched function records a ``call_function`` node when
a Proxy is among its arguments and calls the real function otherwise; the normal op path never
sees any of it.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import inspect
import math
import types
from collections.abc import Callable
from typing import Any

from .graph import Graph
from .node import _PUBLIC_MODULES, Node, _public_name_table, map_aggregate
from .proxy import ParameterProxy, Proxy, TracerBase

__all__ = ["Tracer", "symbolic_trace", "wrap", "PH", "is_fx_tracing"]

_HAS_VARSTUFF = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
_is_fx_tracing_flag = False


def is_fx_tracing() -> bool:
    return _is_fx_tracing_flag


class PHBase:
    """A placeholder value for ``concrete_args`` that keeps the argument symbolic."""

    def __repr__(self) -> str:
        return "PH"


PH = PHBase()

# torch.nn.functional functions that are C++ builtins in PyTorch: traced calls record their
# arguments as given. The others (Python functions) hand ``__torch_function__`` their required
# arguments positionally and every defaulted one by keyword, so the recorded call does too.
_BUILTIN_FUNCTIONALS = frozenset({
    "adaptive_avg_pool1d", "avg_pool1d", "avg_pool2d", "avg_pool3d", "bilinear", "celu_", "channel_shuffle",
    "conv1d", "conv2d", "conv3d", "conv_tbc", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "cosine_similarity", "elu_", "gelu", "hardshrink", "hardtanh_", "leaky_relu_", "linear", "logsigmoid",
    "native_channel_shuffle", "one_hot", "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle",
    "prelu", "relu_", "rrelu_", "scaled_dot_product_attention", "selu_", "softplus", "softshrink", "threshold_",
})
# builtin functionals PyTorch keeps in ``torch`` itself, so their nodes print as ``torch.conv2d``
# (those PyTorch keeps in ``torch._C._nn`` print as ``torch.nn.functional.*``: torchlike has no ``torch._C``)
_TORCH_HOME_FUNCTIONALS = frozenset({
    "adaptive_avg_pool1d", "avg_pool1d", "bilinear", "celu_", "channel_shuffle", "conv1d", "conv2d", "conv3d",
    "conv_tbc", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "cosine_similarity", "hardshrink",
    "native_channel_shuffle", "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle", "prelu", "relu_",
    "rrelu_", "selu_", "threshold_",
})
# functionals PyTorch writes as a Tensor method call, so a trace records that method
_METHOD_FUNCTIONALS = {"sigmoid": "sigmoid", "tanh": "tanh"}
# torch functions that never look at ``__torch_function__``
_NOT_OVERRIDABLE = frozenset({"is_tensor", "is_storage", "typename", "compile", "get_default_dtype"})
_TENSOR_BINARY = (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor", "lshift", "rshift",
    "eq", "ne", "lt", "le", "gt", "ge",
)

_wrapped_fns_to_patch: dict[tuple[int, str], dict] = {}


def _find_proxy(*objects: Any) -> Proxy | None:
    found = []

    def visit(x: Any) -> None:
        if isinstance(x, Proxy):
            found.append(x)

    map_aggregate(objects, visit)
    return found[0] if found else None


def _normalize_functional(fn: Callable, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    try:
        sig = inspect.signature(fn)
        bound = sig.bind(*args, **kwargs)
    except (TypeError, ValueError):
        return args, kwargs
    bound.apply_defaults()
    pos, kw = [], {}
    for name, param in sig.parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            return args, kwargs
        value = bound.arguments[name]
        if param.default is param.empty and param.kind is not param.KEYWORD_ONLY:
            pos.append(value)
        else:
            kw[name] = value
    return tuple(pos), kw


_named_targets: dict[str, Callable] = {}  # cache: public path -> a callable printing as that path


def _node_target(orig: Callable, public: str, name: str) -> Callable:
    """What a node records for ``public`` (``torch.absolute``): ``orig`` itself when that is the
    name it prints as, else a forwarding function carrying the name (torchlike shares one function
    between aliases that PyTorch keeps apart)."""
    if _public_name_table().get(id(orig)) == public:
        return orig
    target = _named_targets.get(public)
    if target is None:
        @functools.wraps(orig)
        def target(*args, **kwargs):
            return orig(*args, **kwargs)

        target.__name__ = target.__qualname__ = name
        target._fx_public_name = public
        _named_targets[public] = target
    return target


def _torch_function_patch(orig: Callable, public: str, name: str) -> Callable:
    """A stand-in for ``orig`` while tracing: records a node when a Proxy is among the arguments."""
    is_functional = public == "torch.nn.functional"
    if is_functional and name in _TORCH_HOME_FUNCTIONALS:
        import torchlike

        if getattr(torchlike, name, None) is not None:
            public = "torch"
    target_public = f"{public}.{name}"
    method = _METHOD_FUNCTIONALS.get(name) if is_functional else None
    normalize = is_functional and name not in _BUILTIN_FUNCTIONALS

    def patched(*args, **kwargs):
        proxy = _find_proxy(args, kwargs)
        if proxy is None:
            return orig(*args, **kwargs)
        tracer = proxy.tracer
        if method is not None:
            return tracer.create_proxy("call_method", method, args, kwargs)
        if normalize:
            args, kwargs = _normalize_functional(orig, args, kwargs)
        return tracer.create_proxy("call_function", _node_target(orig, target_public, name), args, kwargs,
                                   name=tracer.graph._target_to_str(name))

    return _TracePatch(orig, patched)


class _TracePatch:
    """A patched torch function: calls go to the tracing stand-in, while ``==`` and ``hash`` answer
    as the original function does, so ``node.target == torch.sigmoid`` holds inside a Transformer."""

    __slots__ = ("__wrapped__", "_call")

    def __init__(self, orig: Callable, call: Callable) -> None:
        self.__wrapped__ = orig
        self._call = call

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return other is self or other is self.__wrapped__ or (
            isinstance(other, _TracePatch) and other.__wrapped__ is self.__wrapped__)

    def __hash__(self) -> int:
        return hash(self.__wrapped__)

    def __getattr__(self, name: str):
        return getattr(self.__wrapped__, name)

    def __repr__(self) -> str:
        return repr(self.__wrapped__)


def _create_wrapped_func(orig_fn: Callable) -> Callable:
    @functools.wraps(orig_fn)
    def wrapped(*args, **kwargs):
        proxy = _find_proxy(args, kwargs)
        if proxy is not None:
            return_proxy = proxy.tracer.create_proxy("call_function", orig_fn, args, kwargs)
            return_proxy.node.meta["is_wrapped"] = True
            return return_proxy
        return orig_fn(*args, **kwargs)

    return wrapped


def _tensor_binary_patch(orig: Callable) -> Callable:
    @functools.wraps(orig)
    def patched(self, other):
        if isinstance(other, Proxy):
            return NotImplemented
        return orig(self, other)

    return patched


class _Patcher:
    """Sets attributes and dict entries for the length of a trace, and puts them back."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self._visited: set[int] = set()

    def setattr(self, obj: Any, name: str, value: Any) -> None:
        if name in vars(obj):
            old = vars(obj)[name]
            self._undo.append(lambda: setattr(obj, name, old))
        else:
            self._undo.append(lambda: delattr(obj, name))
        setattr(obj, name, value)

    def setitem(self, d: dict, name: str, value: Any) -> None:
        if name in d:
            old = d[name]
            self._undo.append(lambda: d.__setitem__(name, old))
        else:
            self._undo.append(lambda: d.pop(name, None))
        d[name] = value

    def visit_once(self, thing: Any) -> bool:
        if id(thing) in self._visited:
            return False
        self._visited.add(id(thing))
        return True

    def __enter__(self) -> _Patcher:
        return self

    def __exit__(self, *exc: object) -> None:
        while self._undo:
            self._undo.pop()()


class Tracer(TracerBase):
    """Traces a Module's ``forward`` (or a function) into a :class:`Graph`, calling leaf modules opaquely."""

    def __init__(self, autowrap_modules: tuple = (math,), autowrap_functions: tuple = (),
                 param_shapes_constant: bool = False) -> None:
        super().__init__()
        self._autowrap_function_ids = {
            id(value) for mod in autowrap_modules for name, value in mod.__dict__.items()
            if not name.startswith("_") and callable(value)
        }
        self._autowrap_function_ids.update(id(f) for f in autowrap_functions)
        self._autowrap_search = list(autowrap_modules)
        self.param_shapes_constant = param_shapes_constant
        self.submodule_paths: dict | None = None
        self.root_module_name = ""
        self.scope = None
        self.module_stack: dict = {}
        self.num_calls: dict[str, int] = {}
        self.node_name_to_scope: dict = {}

    # -- arguments ---------------------------------------------------------------------------------------
    def create_arg(self, a: Any) -> Any:
        from .._tensor import Tensor
        from ..nn import Module, Parameter

        if isinstance(a, Parameter):
            for n, p in self.root.named_parameters():
                if a is p:
                    return self.create_node("get_attr", n, (), {})
            raise NameError("parameter is not a member of this module")
        if isinstance(a, Tensor):
            for n_, p_ in self.root.named_buffers():
                if a is p_:
                    return self.create_node("get_attr", n_, (), {})
        elif isinstance(a, Module):
            for n_, p_ in self.root.named_modules():
                if a is p_:
                    return self.create_node("get_attr", n_, (), {})
        if isinstance(a, Tensor):
            qualname = next((q for t, q in self.tensor_attrs if t is a), None)
            if qualname is None:
                qualname = self.get_fresh_qualname("_tensor_constant")
                self.tensor_attrs.append((a, qualname))
                setattr(self.root, qualname, a)
            return self.create_node("get_attr", qualname, (), {})
        return super().create_arg(a)

    def get_fresh_qualname(self, prefix: str) -> str:
        i = 0
        while True:
            qualname = f"{prefix}{i}"
            if not hasattr(self.root, qualname):
                return qualname
            i += 1

    # -- modules -----------------------------------------------------------------------------------------
    def is_leaf_module(self, m, module_qualified_name: str) -> bool:
        """torch.nn's own modules (not Sequential) are leaves; user modules are traced through."""
        from ..nn import Sequential

        module = type(m).__module__ or ""
        from_nn = module.startswith(("torch.nn", "torch.ao.nn", "torchlike.nn", "torchlike.ao.nn"))
        return from_nn and not isinstance(m, Sequential)

    def path_of_module(self, mod) -> str:
        if self.submodule_paths:
            path = self.submodule_paths.get(id(mod))
            if path is None:
                raise NameError("module is not installed as a submodule")
            return path
        for n, p in self.root.named_modules():
            if mod is p:
                return n
        raise NameError("module is not installed as a submodule")

    def call_module(self, m, forward: Callable, args: tuple, kwargs: dict) -> Any:
        module_qualified_name = self.path_of_module(m)
        self.num_calls[module_qualified_name] = self.num_calls.get(module_qualified_name, 0) + 1
        if not self.is_leaf_module(m, module_qualified_name):
            return forward(*args, **kwargs)
        return self.create_proxy("call_module", module_qualified_name, args, kwargs)

    def getattr(self, attr: str, attr_val: Any, parameter_proxy_cache: dict) -> Any:
        from .._tensor import Tensor
        from ..nn import Parameter

        def proxy_for(collection) -> Proxy | None:
            for n, p in collection:
                if attr_val is p:
                    if n not in parameter_proxy_cache:
                        factory = None
                        if self.param_shapes_constant:
                            def factory(node, n=n):
                                return ParameterProxy(self, node, n, attr_val)
                        parameter_proxy_cache[n] = self.create_proxy("get_attr", n, (), {}, proxy_factory_fn=factory)
                    return parameter_proxy_cache[n]
            return None

        if isinstance(attr_val, Parameter):
            proxy = proxy_for(self.root.named_parameters())
            if proxy is not None:
                return proxy
        if self.proxy_buffer_attributes and isinstance(attr_val, Tensor):
            proxy = proxy_for(self.root.named_buffers())
            if proxy is not None:
                return proxy
        return attr_val

    # -- the root's arguments ----------------------------------------------------------------------------
    def create_args_for_root(self, root_fn: Callable, is_module: bool, concrete_args=None):
        fn = inspect.unwrap(root_fn)
        co = fn.__code__
        total_args = co.co_argcount + co.co_kwonlyargcount
        names_iter = iter(co.co_varnames)
        args: list[Any] = []
        skip = 0
        if is_module:
            if total_args == 0:
                raise RuntimeError("``self`` argument cannot be part of *args expansion!")
            skip = 1
            next(names_iter)
            args.append(self.root)
        sig = inspect.signature(fn)
        arg_names = [next(names_iter) for _ in range(skip, total_args)]
        if isinstance(concrete_args, tuple):
            if len(arg_names) != len(concrete_args):
                raise RuntimeError(f"Tracing expected {len(arg_names)} arguments but got "
                                   f"{len(concrete_args)} concrete arguments")
            concrete_args = dict(zip(arg_names, concrete_args))
        args.extend(self._proxy_placeholder(name, concrete_args, sig, fn) for name in arg_names)
        if co.co_kwonlyargcount > 0 or co.co_flags & _HAS_VARSTUFF:
            if co.co_flags & inspect.CO_VARARGS:
                args.append(self._proxy_placeholder("*" + next(names_iter), concrete_args, sig, fn))
            if co.co_flags & inspect.CO_VARKEYWORDS:
                args.append(self._proxy_placeholder("**" + next(names_iter), concrete_args, sig, fn))
            root_fn = _patch_function(root_fn, len(args))
        return root_fn, args

    def _proxy_placeholder(self, name: str, concrete_args, sig: inspect.Signature, fn: Callable) -> Any:
        if concrete_args is not None and name in concrete_args:
            value = concrete_args[name]
            param = sig.parameters[name]
            default = () if param.default is inspect.Parameter.empty else (param.default,)
            out = self.create_proxy("placeholder", f"{name}_1", default, {})
            if isinstance(value, PHBase):
                return out
            if type(value) in (bool, int, float, str, complex):
                msg = f"{name} has been specialized to have value {value} but got another value"
                self.create_proxy("call_function", _assert, (out == value, msg), {})
            elif value is None:
                msg = f"{name} has been specialized to have value None but got another value"
                self.create_proxy("call_function", _assert_is_none, (out, msg), {})
            else:
                import warnings

                warnings.warn(f"Was not able to add assertion to guarantee correct input {name} to specialized "
                              f"function. It is up to the user to make sure that your inputs match the inputs you "
                              f"specialized the function with.", stacklevel=2)
            return value
        if name[0] == "*":
            default = ()
        else:
            param = sig.parameters[name]
            default = () if param.default is inspect.Parameter.empty else (param.default,)
        return self.create_proxy("placeholder", name, default, {}, type_expr=fn.__annotations__.get(name, None))

    # -- tracing -----------------------------------------------------------------------------------------
    def trace(self, root, concrete_args: dict[str, Any] | None = None) -> Graph:
        """Trace ``root`` (a Module or a function) and return its Graph."""
        global _is_fx_tracing_flag
        from ..nn import Module

        old_flag, _is_fx_tracing_flag = _is_fx_tracing_flag, True
        try:
            if isinstance(root, Module):
                self.root = root
                if not hasattr(type(root), self.traced_func_name):
                    raise AssertionError(f"traced_func_name={self.traced_func_name} doesn't exist in "
                                         f"{type(root).__name__}")
                fn = getattr(type(root), self.traced_func_name)
                self.root_module_name = root._get_name()
                self.submodule_paths = {id(mod): name for name, mod in root.named_modules()}
            else:
                self.root = Module()
                fn = root
            self.graph = Graph(tracer_cls=getattr(self, "__class__", None))
            if hasattr(fn, "__code__"):
                code = fn.__code__
                self.graph._co_fields = {"co_name": code.co_name, "co_filename": code.co_filename,
                                         "co_firstlineno": code.co_firstlineno}
            self.tensor_attrs: list[tuple[Any, str]] = []
            self._collect_tensor_attrs(self.root, [])
            if not isinstance(fn, types.FunctionType):
                raise AssertionError(f"Expected FunctionType, got {type(fn)}")
            fn_globals = fn.__globals__
            fn, args = self.create_args_for_root(fn, isinstance(root, Module), concrete_args)
            with _Patcher() as patcher:
                self._patch_for_trace(patcher, fn_globals)
                ann = inspect.get_annotations(inspect.unwrap(fn))
                self.create_node("output", "output", (self.create_arg(fn(*args)),), {},
                                 type_expr=ann.get("return", None))
            self.submodule_paths = None
        finally:
            _is_fx_tracing_flag = old_flag
        return self.graph

    def _collect_tensor_attrs(self, m, prefix: list[str]) -> None:
        from .._tensor import Tensor

        for k, v in m.__dict__.items():
            if isinstance(v, Tensor):
                self.tensor_attrs.append((v, ".".join(prefix + [k])))
        for k, v in m.named_children():
            self._collect_tensor_attrs(v, prefix + [k])

    def _patch_for_trace(self, patcher: _Patcher, fn_globals: dict) -> None:
        from ..nn import Module

        parameter_proxy_cache: dict[str, Proxy] = {}
        orig_getattr = Module.__getattr__
        orig_call = Module.__call__
        tracer = self

        @functools.wraps(orig_getattr)
        def module_getattr_wrapper(mod, attr):
            return tracer.getattr(attr, orig_getattr(mod, attr), parameter_proxy_cache)

        @functools.wraps(orig_call)
        def module_call_wrapper(mod, *args, **kwargs):
            def forward(*args, **kwargs):
                return orig_call(mod, *args, **kwargs)

            tracer._patch_globals(patcher, getattr(getattr(mod, "forward", mod), "__globals__", {}))
            return tracer.call_module(mod, forward, args, kwargs)

        patcher.setattr(Module, "__getattr__", module_getattr_wrapper)
        patcher.setattr(Module, "__call__", module_call_wrapper)
        self._patch_torch_functions(patcher)
        for (_, name), frame_dict in list(_wrapped_fns_to_patch.items()):
            orig_fn = frame_dict[name] if name in frame_dict else getattr(builtins, name)
            patcher.setitem(frame_dict, name, _create_wrapped_func(orig_fn))
        self._patch_globals(patcher, fn_globals)
        for module in self._autowrap_search:
            self._patch_globals(patcher, module.__dict__)

    def _patch_torch_functions(self, patcher: _Patcher) -> None:
        """torch functions and Tensor's binary operators: a Proxy argument records a node."""
        from .._tensor import Tensor

        _public_name_table()  # built from the unpatched namespaces

        for op in _TENSOR_BINARY:
            for name in (f"__{op}__", f"__r{op}__"):
                if name in vars(Tensor):
                    patcher.setattr(Tensor, name, _tensor_binary_patch(vars(Tensor)[name]))
        self._patches: dict[int, Callable] = {}
        for public, real in _PUBLIC_MODULES:
            mod = importlib.import_module(real)
            for name, value in list(vars(mod).items()):
                if (name.startswith("__") or name in _NOT_OVERRIDABLE or isinstance(value, (type, types.ModuleType, _TracePatch))
                        or not callable(value) or getattr(value, "_fx_no_patch", False)):
                    continue
                patched = _torch_function_patch(value, public, name)
                self._patches.setdefault(id(value), patched)
                patcher.setattr(mod, name, patched)

    def _patch_globals(self, patcher: _Patcher, frame_dict: dict) -> None:
        """Names in a traced function's globals that are bound to torch functions or autowrapped ones."""
        if not patcher.visit_once(frame_dict):
            return
        for name, value in list(frame_dict.items()):
            if name.startswith("_") or not callable(value):
                continue
            if id(value) in self._autowrap_function_ids:
                patcher.setitem(frame_dict, name, _create_wrapped_func(value))
            elif id(value) in self._patches and frame_dict.get(name) is value:
                patcher.setitem(frame_dict, name, self._patches[id(value)])


def _assert(condition, message: str) -> None:
    """torch._assert: ``assert condition, message`` (recorded as a node by a trace)."""
    assert condition, message


_assert._fx_public_name = "torch._assert"


def _assert_is_none(value: Any, msg: str) -> None:
    assert value is None, msg


def _patch_function(fn: types.FunctionType, nargs: int) -> types.FunctionType:
    """``fn`` with its ``*args``/``**kwargs``/keyword-only parameters turned into plain positional ones."""
    co = fn.__code__
    new_code = co.replace(co_flags=co.co_flags & ~_HAS_VARSTUFF, co_argcount=nargs, co_kwonlyargcount=0)
    return types.FunctionType(new_code, fn.__globals__, fn.__name__, None, fn.__closure__)


def wrap(fn_or_name: str | Callable) -> str | Callable:
    """Register a global function (or its name) as a leaf: traced as one ``call_function`` node.

    Must be called at module scope."""
    if not callable(fn_or_name) and not isinstance(fn_or_name, str):
        raise RuntimeError("Unsupported type for global function! Must be either a callable or string name")
    if callable(fn_or_name):
        if isinstance(fn_or_name, str):
            raise AssertionError("fn_or_name must be a global function or string name")
        fn_name = fn_or_name.__name__
    else:
        fn_name = fn_or_name
    frame = inspect.currentframe().f_back
    if frame.f_code.co_name != "<module>":
        raise NotImplementedError("wrap must be called at the top level of a module")
    _wrapped_fns_to_patch[(id(frame.f_globals), fn_name)] = frame.f_globals
    return fn_or_name


def symbolic_trace(root, concrete_args: dict[str, Any] | None = None):
    """Trace ``root`` (an nn.Module or a function) and return a :class:`GraphModule` of it."""
    from ..nn import Module
    from .graph_module import GraphModule

    tracer = Tracer()
    graph = tracer.trace(root, concrete_args)
    name = root.__class__.__name__ if isinstance(root, Module) else root.__name__
    return GraphModule(tracer.root, graph, name)


Node = Node  # re-exported: passes import it from here in PyTorch's tree too
