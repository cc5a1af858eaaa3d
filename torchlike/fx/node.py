"""torch.fx.node: one operation of a Graph (placeholder, get_attr, call_*, output) and its printed forms."""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable
from typing import Any

__all__ = ["Node", "map_arg", "map_aggregate", "has_side_effect"]

_LEGAL_OPS = ("placeholder", "call_method", "call_module", "call_function", "get_attr", "output", "root")
_side_effectful_functions: set = set()


def has_side_effect(fn):
    """Mark ``fn`` so that dead-code elimination keeps its calls."""
    _side_effectful_functions.add(fn)
    return fn


# -- names of call targets, as PyTorch prints them ------------------------------------------------------
_PUBLIC_MODULES = (
    ("torch.nn.functional", "torchlike.nn.functional"),
    ("torch.special", "torchlike.special"),
    ("torch.linalg", "torchlike.linalg"),
    ("torch.fft", "torchlike.fft"),
    ("torch", "torchlike"),
)
_public_names: dict[int, str] = {}


def _public_name_table() -> dict[int, str]:
    """id(callable) -> its public ``torch.*`` path, over torchlike's function namespaces."""
    if not _public_names:
        import importlib

        for public, real in _PUBLIC_MODULES:
            mod = importlib.import_module(real)
            for name, value in vars(mod).items():
                if name.startswith("__") or isinstance(value, (type, types.ModuleType)) or not callable(value):
                    continue
                key = id(value)
                # prefer the name the function itself carries (torch.abs over its alias torch.absolute)
                if key not in _public_names or getattr(value, "__name__", None) == name:
                    _public_names[key] = f"{public}.{name}"
    return _public_names


def _torch_path(module: str | None) -> str | None:
    if module and (module == "torchlike" or module.startswith("torchlike.")):
        return "torch" + module[len("torchlike"):]
    return module


def _get_qualified_name(func: Callable) -> str:
    name = func.__name__
    if getattr(builtins, name, None) is func:
        return name
    public = getattr(func, "_fx_public_name", None) or _public_name_table().get(id(func))
    if public is not None:
        return public
    from .._tensor import Tensor

    if getattr(Tensor, name, None) is func:
        return f"torch.Tensor.{name}"
    if name == "<lambda>":
        import inspect

        try:
            name = inspect.getsource(func).split("=")[0].strip()
        except Exception as e:
            raise RuntimeError("Unable to represent lambda") from e
    module = _torch_path(getattr(func, "__module__", None))
    if module is None:
        raise RuntimeError(f"cannot find module for {func}")
    return f"{module}.{name}"


def _type_repr(obj: object) -> str:
    if isinstance(obj, type) and not isinstance(obj, types.GenericAlias):
        if obj.__module__ == "builtins":
            return obj.__qualname__
        return f"{_torch_path(obj.__module__)}.{obj.__qualname__}"
    if obj is ...:
        return "..."
    if isinstance(obj, types.FunctionType):
        return obj.__name__
    return repr(obj)


def _format_arg(arg: object) -> str:
    if isinstance(arg, list):
        return "[" + ", ".join(_format_arg(a) for a in arg) + "]"
    if isinstance(arg, tuple):
        return "(" + ", ".join(_format_arg(a) for a in arg) + ("," if len(arg) == 1 else "") + ")"
    if isinstance(arg, dict):
        return "{" + ", ".join(f"{k}: {_format_arg(v)}" for k, v in arg.items()) + "}"
    if isinstance(arg, Node):
        return "%" + str(arg)
    return str(arg)


def _pretty_print_target(target: object) -> str:
    if isinstance(target, str):
        return target
    module = getattr(target, "__module__", None)
    name = getattr(target, "__name__", None)
    if module == "builtins" and name is not None:
        return f"builtins.{name}"
    if module == "_operator" and name is not None:
        return f"operator.{name}"
    return _get_qualified_name(target)


# -- argument trees -----------------------------------------------------------------------------------
def map_aggregate(a: Any, fn: Callable[[Any], Any]) -> Any:
    """Apply ``fn`` to each leaf of ``a`` (tuples, lists, dicts, slices are walked)."""
    if isinstance(a, tuple):
        t = tuple(map_aggregate(elem, fn) for elem in a)
        return t if not hasattr(a, "_fields") else type(a)(*t)
    if isinstance(a, list):
        return [map_aggregate(elem, fn) for elem in a]
    if isinstance(a, dict):
        return {k: map_aggregate(v, fn) for k, v in a.items()}
    if isinstance(a, slice):
        return slice(map_aggregate(a.start, fn), map_aggregate(a.stop, fn), map_aggregate(a.step, fn))
    return fn(a)


def map_arg(a: Any, fn: Callable[[Node], Any]) -> Any:
    """Apply ``fn`` to each Node appearing in ``a``."""
    if not callable(fn):
        raise AssertionError("torch.fx.map_arg(a, fn): fn must be a callable")
    return map_aggregate(a, lambda x: fn(x) if isinstance(x, Node) else x)


class Node:
    """One operation of a :class:`Graph`; ``op`` says which kind (see PyTorch's ``torch.fx.Node``)."""

    def __init__(self, graph, name: str, op: str, target, args: tuple, kwargs: dict,
                 return_type: Any | None = None) -> None:
        if op not in _LEGAL_OPS:
            raise AssertionError(f"Unsupported op {op}")
        if op in ("call_function",) and not callable(target):
            raise ValueError(f"Node [graph = {graph}, name = '{name}'] target {target} has type "
                             f"{type(target)} but a Callable is expected")
        if op in ("call_method", "call_module", "get_attr", "placeholder", "output") and not isinstance(target, str):
            raise ValueError(f"Node [graph = {graph}, name = '{name}'] target {target} has type "
                             f"{type(target)} but a str is expected")
        self.graph = graph
        self.name = name
        self.op = op
        self.target = target
        self._input_nodes: dict[Node, None] = {}
        self._args: tuple = ()
        self._kwargs: dict = {}
        self.__update_args_kwargs(args, kwargs)
        self.users: dict[Node, None] = {}
        self.type = return_type
        self._prev = self
        self._next = self
        self._erased = False
        self._repr_fn = None
        self.meta: dict[str, Any] = {}

    # -- the doubly linked list of a graph's nodes ----------------------------------------------------
    @property
    def next(self) -> Node:
        return self._next

    @property
    def prev(self) -> Node:
        return self._prev

    def prepend(self, x: Node) -> None:
        """Insert ``x`` before this node (moving it if it is already in the list)."""
        if x is self:
            return
        x._remove_from_list()
        p = self._prev
        p._next, x._prev = x, p
        x._next, self._prev = self, x

    def append(self, x: Node) -> None:
        """Insert ``x`` after this node."""
        self._next.prepend(x)

    def _remove_from_list(self) -> None:
        p, n = self._prev, self._next
        p._next, n._prev = n, p
        self._prev = self._next = self

    # -- arguments -------------------------------------------------------------------------------------
    @property
    def args(self) -> tuple:
        return self._args

    @args.setter
    def args(self, a: tuple) -> None:
        self.__update_args_kwargs(a, self._kwargs)

    @property
    def kwargs(self) -> dict:
        return self._kwargs

    @kwargs.setter
    def kwargs(self, k: dict) -> None:
        self.__update_args_kwargs(self._args, k)

    @property
    def all_input_nodes(self) -> list[Node]:
        return list(self._input_nodes)

    def update_arg(self, idx: int, arg: Any) -> None:
        args = list(self.args)
        args[idx] = arg
        self.args = tuple(args)

    def insert_arg(self, idx: int, arg: Any) -> None:
        args = list(self.args)
        args.insert(idx, arg)
        self.args = tuple(args)

    def update_kwarg(self, key: str, arg: Any) -> None:
        self.kwargs = {**self.kwargs, key: arg}

    def __update_args_kwargs(self, new_args: tuple, new_kwargs: dict) -> None:
        for old in self._input_nodes:
            old.users.pop(self, None)
        self._input_nodes = {}
        self._args = map_arg(tuple(new_args), self._collect_input)
        self._kwargs = map_arg(dict(new_kwargs), self._collect_input)
        for n in self._input_nodes:
            n.users.setdefault(self)

    def _collect_input(self, n: Node) -> Node:
        if getattr(n, "graph", None) is not self.graph:
            raise AssertionError(f"Node {n} is not in the same graph as {self}")
        self._input_nodes.setdefault(n)
        return n

    @property
    def stack_trace(self) -> str | None:
        return self.meta.get("stack_trace")

    @stack_trace.setter
    def stack_trace(self, trace: str | None) -> None:
        self.meta["stack_trace"] = trace

    # -- printing ----------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        if self._repr_fn:
            return self._repr_fn(self)
        return self.name

    def format_node(self, placeholder_names: list[str] | None = None,
                    maybe_return_typename: list[str] | None = None) -> str | None:
        """A descriptive one-line string for this node (``Graph.__str__`` prints these)."""
        typename = f"{_type_repr(self.type)} " if self.type is not None else ""
        users = f"[num_users={len(self.users)}]"
        if self.op == "placeholder":
            arg_str = self.target
            if self.type:
                arg_str += arg_str + f": {_type_repr(self.type)}"
            if placeholder_names:
                placeholder_names.append(arg_str)
                return None
            default = "(default=" + str(self.args[0]) + ")" if self.args else ""
            return f"%{self.name} : {typename}{users} = {self.op}[target={self.target}]{default}"
        if self.op == "get_attr":
            return f"%{self.name} : {typename}{users} = {self.op}[target={_pretty_print_target(self.target)}]"
        if self.op == "output":
            if self.type and maybe_return_typename:
                maybe_return_typename[0] = f" -> {_type_repr(self.type)}"
            return f"return {self.args[0]}"
        return (f"%{self.name} : {typename}{users} = {self.op}[target={_pretty_print_target(self.target)}]("
                f"args = {_format_arg(self.args)}, kwargs = {_format_arg(self.kwargs)})")

    # -- rewriting ---------------------------------------------------------------------------------------
    def replace_all_uses_with(self, replace_with: Node, delete_user_cb: Callable[[Node], bool] = lambda user: True,
                              *, propagate_meta: bool = False) -> list[Node]:
        """Make every user of this node use ``replace_with`` instead; returns the users changed."""
        if propagate_meta:
            if replace_with.meta:
                raise AssertionError("Called node.replace_all_uses_with(replace_with, propagate_meta=True), "
                                     "but replace_with already has .meta keys")
            replace_with.meta.update(self.meta)
        to_process = list(self.users)
        skipped = []
        for user in to_process:
            if not delete_user_cb(user):
                skipped.append(user)
                continue
            user._replace_input(self, replace_with)
        if len(self.users) - len(skipped) != 0:
            raise AssertionError(f"expected {self} to have no users left")
        return [n for n in to_process if n not in skipped]

    def replace_input_with(self, old_input: Node, new_input: Node) -> None:
        """Use ``new_input`` wherever this node's arguments hold ``old_input``."""
        self._replace_input(old_input, new_input)

    def _replace_input(self, old: Node, new: Node) -> None:
        def swap(n: Node) -> Node:
            return new if n is old else n

        self.__update_args_kwargs(map_arg(self._args, swap), map_arg(self._kwargs, swap))

    def is_impure(self, impure_random: bool = True) -> bool:
        """Whether this node must be kept even when unused (inputs, outputs, in-place calls)."""
        if self.op in ("placeholder", "output"):
            return True
        if self.op == "call_function":
            return self.target in _side_effectful_functions
        if self.op == "call_method":
            return isinstance(self.target, str) and self.target.endswith("_") and not self.target.endswith("__")
        if self.op == "call_module":
            root = self.graph.owning_module
            if root is None:
                return False
            mod = root.get_submodule(self.target)
            return getattr(mod, "_is_impure", False)
        return False

