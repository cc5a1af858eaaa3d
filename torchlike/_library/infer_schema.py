"""``torch.library.infer_schema``: an operator schema from a function's type hints."""

from __future__ import annotations

import collections.abc
import inspect
import typing
from types import GenericAlias

_UNKNOWN = "unknown"


def _derived(base, name: str, lists: bool, optional_items: bool, optional_list: bool) -> list:
    """The annotations that spell ``base`` and its optional and list forms, with their schema
    types, in PyTorch's order (the order its error message lists them in)."""

    def sequences(t):
        return (typing.Sequence[t], typing.List[t], GenericAlias(collections.abc.Sequence, (t,)),  # noqa: UP006
                GenericAlias(list, (t,)))

    out = [(base, name), (typing.Optional[base], name + "?")]  # noqa: UP045
    if lists:
        out += [(s, name + "[]") for s in sequences(base)]
    if optional_items:
        out += [(s, name + "?[]") for s in sequences(typing.Optional[base])]  # noqa: UP045
    if optional_list:
        out += [(typing.Optional[s], name + "[]?") for s in sequences(base)]  # noqa: UP045
    return out


def _param_types() -> dict:
    from .. import _device, _dtype, types
    from .._tensor import Tensor

    table = []
    for row in ((Tensor, "Tensor", True, True, False), (int, "SymInt", True, False, True),
                (float, "float", True, False, True), (bool, "bool", True, False, True),
                (str, "str", False, False, False), (types.Number, "Scalar", True, False, False),
                (_dtype.dtype, "ScalarType", False, False, False),
                (_device.device, "Device", False, False, False)):
        table += _derived(*row)
    return dict(table)


def _return_types() -> dict:
    from .. import types
    from .._tensor import Tensor

    return {Tensor: "Tensor", typing.List[Tensor]: "Tensor[]", list[Tensor]: "Tensor[]",  # noqa: UP006
            int: "SymInt", float: "float", bool: "bool", types.Number: "Scalar"}


def _default_repr(value, fail) -> str:
    from .. import _device, _dtype

    if value is None or isinstance(value, (int, float, bool)):
        return str(value)
    if isinstance(value, (str, _device.device)):
        return f'"{value}"'
    if isinstance(value, _dtype.dtype):
        return str(value)[len("torch."):]
    fail(f"Parameter has an unsupported default value type {type(value)}. "
         f"Please file an issue on GitHub so we can prioritize this.")


def infer_schema(prototype_function: typing.Callable, /, *, mutates_args, op_name: str | None = None,
                 tags=()) -> str:
    """The schema of ``prototype_function`` from its type hints (``(Tensor x) -> Tensor``)."""
    sig = inspect.signature(prototype_function)
    if type(mutates_args) is not str:
        mutates_args = tuple(mutates_args)
    hints_globals = getattr(prototype_function, "__globals__", {})

    def fail(what):
        raise ValueError(f"infer_schema(func): {what} Got func with signature {sig})")

    def resolve(annotation):
        if isinstance(annotation, str):
            try:
                return eval(annotation, hints_globals)
            except Exception as e:
                fail(f"Unsupported type annotation {annotation}. It is not a type. ({type(e).__name__}: {e})")
        return annotation

    param_types = _param_types()
    params, seen, kwarg_only = [], set(), False
    for idx, (name, p) in enumerate(sig.parameters.items()):
        if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            fail("We do not support positional-only args, varargs, or varkwargs.")
        if p.kind is p.KEYWORD_ONLY and not kwarg_only:
            params.append("*")
            kwarg_only = True
        if p.annotation is p.empty:
            fail(f"Parameter {name} must have a type annotation.")
        annotation = resolve(p.annotation)
        schema_type = param_types.get(annotation)
        if schema_type is None:
            if typing.get_origin(annotation) is tuple:
                fail(f"Parameter {name} has unsupported type {p.annotation}. We do not support Tuple inputs "
                     f"in schema. As a workaround, please try to use List instead. \n\n"
                     f"The valid types are: {param_types.keys()}.")
            fail(f"Parameter {name} has unsupported type {p.annotation}. "
                 f"The valid types are: {param_types.keys()}.")
        mutated = False
        if type(mutates_args) is str:
            if mutates_args != _UNKNOWN:
                raise ValueError("mutates_args must either be a sequence of the names of the arguments that "
                                 "are mutated or the string 'unknown'. ")
            mutated = schema_type.startswith("Tensor")
        elif name in mutates_args:
            if not schema_type.startswith("Tensor"):
                fail(f"Parameter {name} is in mutable_args but only Tensors or collections of Tensors can "
                     f"be mutated")
            mutated = True
        if mutated:
            schema_type = f"Tensor(a{idx}!){schema_type[len('Tensor'):]}"
        seen.add(name)
        if p.default is p.empty:
            params.append(f"{schema_type} {name}")
        else:
            default = _default_repr(p.default, lambda what, name=name: fail(what.replace(
                "Parameter has", f"Parameter {name} has")))
            params.append(f"{schema_type} {name}={default}")
    if mutates_args != _UNKNOWN:
        missing = set(mutates_args) - seen
        if missing:
            fail(f"{missing} in mutates_args were not found in the custom op's signature. mutates_args "
                 f"should contain the names of all args that the custom op mutates, or just the string "
                 f"'unknown' if you don't know.")
    ret = _parse_return(resolve(sig.return_annotation), fail)
    return f"{op_name or ''}({', '.join(params)}) -> {ret}"


def _parse_return(annotation, fail) -> str:
    if annotation is None:
        return "()"
    if annotation is inspect.Parameter.empty:
        fail("No return type annotation was provided. Please add one.")
    returns = _return_types()
    if typing.get_origin(annotation) is not tuple:
        if annotation not in returns:
            fail(f"Return has unsupported type {annotation}. The valid types are: {returns}.")
        return returns[annotation]
    args = typing.get_args(annotation)
    for a in args:
        if a not in returns:
            fail(f"Return has unsupported type {annotation}. The valid types are: {returns}.")
    text = ", ".join(returns[a] for a in args)
    return f"(({text}))" if len(args) == 1 else f"({text})"
