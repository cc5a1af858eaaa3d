"""Operator schemas: ``"crop(Tensor pic, int[] box) -> Tensor"`` parsed into a FunctionSchema
that prints in PyTorch's canonical form, binds call arguments, and raises PyTorch's errors for a
malformed schema (``expected arrow but found 'ident' here:`` with the offending token marked).
"""

from __future__ import annotations

import re

_BASE_TYPES = frozenset({
    "Tensor", "int", "SymInt", "float", "bool", "str", "Scalar", "ScalarType", "Device", "Layout",
    "MemoryFormat", "Generator", "complex", "t", "Any", "Storage", "Stream", "QScheme",
    "DeviceIndex", "SymBool", "GraphModule", "Dimname",
})
_UNKNOWN_TYPE = (
    "\nunknown type specifier. Common valid schema types include Tensor, SymInt, int, float, bool, "
    "Scalar; for a full list, please see "
    "https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/README.md#func :\n"
)
# c10::ScalarType's numbering, which a ScalarType default prints as
SCALAR_TYPES = {
    "uint8": 0, "int8": 1, "int16": 2, "int32": 3, "int64": 4, "float16": 5, "float32": 6,
    "float64": 7, "complex32": 8, "complex64": 9, "complex128": 10, "bool": 11, "bfloat16": 15,
    "long": 4, "int": 3, "float": 6, "double": 7, "half": 5,
}
# Layout and MemoryFormat defaults print as their enum values
_ENUM_DEFAULTS = {"strided": 0, "sparse_coo": 1, "contiguous_format": 0, "preserve_format": 1,
                  "channels_last": 2, "channels_last_3d": 3}
_TOKEN = re.compile(
    r"\s*(?:(?P<arrow>->)|(?P<number>-?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?))|"
    r"(?P<ident>[A-Za-z_][A-Za-z_0-9]*(?:::[A-Za-z_][A-Za-z_0-9]*)?)|"
    r"(?P<string>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?P<punct>[()\[\],*?!=.|]))"
)


class AliasInfo:
    def __init__(self, before_set: set, is_write: bool):
        self.before_set = before_set
        self.after_set = before_set
        self.is_write = is_write

    def __str__(self):
        return f"({'|'.join(sorted(self.before_set))}{'!' if self.is_write else ''})"


class Argument:
    def __init__(self, name, type_str, default, has_default, kwarg_only, alias_info, N=None):
        self.name = name
        self.type = type_str  # the schema's spelling without the alias annotation ("int[]")
        self.default_value = default
        self.has_default_value = has_default
        self.kwarg_only = kwarg_only
        self.alias_info = alias_info
        self.N = N
        self._default_str = None

    @property
    def is_tensor(self) -> bool:
        return self.type.startswith("Tensor")

    def _type_str(self) -> str:
        if self.alias_info is None or not self.type.startswith("Tensor"):
            return self.type
        return "Tensor" + str(self.alias_info) + self.type[len("Tensor"):]

    def __str__(self):
        s = self._type_str()
        if self.name:
            s += " " + self.name
        if self.has_default_value:
            s += "=" + self._default_str
        return s


class FunctionSchema:
    def __init__(self, name, overload_name, arguments, returns, tuple_returns):
        self.name = name
        self.overload_name = overload_name
        self.arguments = arguments
        self.returns = returns
        self._tuple_returns = tuple_returns

    @property
    def is_mutable(self) -> bool:
        return any(a.alias_info is not None and a.alias_info.is_write for a in self.arguments)

    def _is_view_op(self) -> bool:
        return any(a.alias_info is not None and not a.alias_info.is_write for a in self.arguments)

    def __str__(self):
        parts, star = [], False
        for a in self.arguments:
            if a.kwarg_only and not star:
                parts.append("*")
                star = True
            parts.append(str(a))
        name = self.name + (f".{self.overload_name}" if self.overload_name else "")
        rets = ", ".join(str(r) for r in self.returns)
        if self._tuple_returns or len(self.returns) != 1:
            rets = f"({rets})"
        return f"{name}({', '.join(parts)}) -> {rets}"

    __repr__ = __str__

    def qualified(self) -> str:
        return self.name + (f".{self.overload_name}" if self.overload_name else "")

    # -- calls -------------------------------------------------------------------------------------
    def bind(self, args: tuple, kwargs: dict) -> tuple[list, dict]:
        """The call's values in schema order (defaults filled): positional arguments as a list,
        keyword-only ones as a dict. Raises PyTorch's errors for a call that does not fit."""
        from .._tensor import Tensor

        decl = f"Declaration: {self}"
        if len(args) + len(kwargs) > len(self.arguments):
            raise RuntimeError(
                f"{self.qualified()}() expected at most {len(self.arguments)} argument(s) but received "
                f"{len(args) + len(kwargs)} argument(s). {decl}"
            )
        positional, keywords = [], {}
        for i, a in enumerate(self.arguments):
            if i < len(args) and not a.kwarg_only:
                value = args[i]
            elif a.name in kwargs:
                value = kwargs[a.name]
            elif a.has_default_value:
                value = a.default_value
            else:
                raise RuntimeError(f"{self.qualified()}() is missing value for argument '{a.name}'. {decl}")
            if a.type == "Tensor" and not isinstance(value, Tensor) or (
                    a.type == "Tensor?" and value is not None and not isinstance(value, Tensor)):
                raise RuntimeError(
                    f"{self.qualified()}() Expected a value of type 'Tensor' for argument '{a.name}' but "
                    f"instead found type '{type(value).__name__}'.\nPosition: {i}\nValue: {value}\n{decl}\n"
                    f"Cast error details: Unable to cast {value} to Tensor"
                )
            if isinstance(value, tuple) and a.type.endswith("]"):
                value = list(value)  # (a list argument reaches the kernel as a list, as through IValue)
            (keywords.__setitem__(a.name, value) if a.kwarg_only else positional.append(value))
        unknown = set(kwargs) - {a.name for a in self.arguments}
        if unknown:
            raise RuntimeError(f"Unknown keyword argument '{sorted(unknown)[0]}' for operator "
                               f"'{self.qualified()}'. Schema: {self}")
        return positional, keywords


# -- parsing ---------------------------------------------------------------------------------------
class _Tokens:
    def __init__(self, text: str):
        self.text = text
        self.items = []  # (kind, value, start, end)
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise RuntimeError(f"invalid token in schema here:\n{text}\n{' ' * pos}~ <--- HERE\n")
            kind = m.lastgroup
            value = m.group(kind)
            start = m.start(kind)
            self.items.append((value if kind == "punct" else kind, value, start, m.end()))
            pos = m.end()
        self.items.append(("eof", "", len(text), len(text)))
        self.i = 0

    def peek(self):
        return self.items[self.i]

    def next(self):
        tok = self.items[self.i]
        self.i += 1
        return tok

    def accept(self, kind):
        if self.peek()[0] == kind:
            return self.next()
        return None

    def error(self, expected, tok):
        kind, _, start, end = tok
        if kind == "eof":
            raise RuntimeError(f"expected {expected} but found 'eof' here:\n{self.text}")
        raise RuntimeError(f"expected {expected} but found '{kind}' here:\n{self.text}\n"
                           f"{' ' * start}{'~' * (end - start)} <--- HERE\n")

    def expect(self, kind):
        tok = self.next()
        if tok[0] != kind:
            self.error(kind, tok)
        return tok

    def mark(self, message, tok):
        _, _, start, end = tok
        return RuntimeError(f"{message}{self.text}\n{' ' * start}{'~' * (end - start)} <--- HERE\n")


def _parse_type(tk: _Tokens):
    tok = tk.expect("ident")
    base = tok[1]
    if base not in _BASE_TYPES:
        raise tk.mark(_UNKNOWN_TYPE, tok)
    alias = None
    if base == "Tensor" and tk.accept("("):
        names = [tk.expect("ident")[1]]
        while tk.accept("|"):
            names.append(tk.expect("ident")[1])
        alias = AliasInfo(set(names), bool(tk.accept("!")))
        tk.expect(")")
    type_str, N = base, None
    while True:
        if tk.accept("["):
            size = tk.accept("number")
            if size is not None:
                N = int(size[1])
            tk.expect("]")
            type_str += f"[{size[1] if size else ''}]"
        elif tk.accept("?"):
            type_str += "?"
        else:
            return type_str, alias, N


def _format_float(v: float) -> str:
    s = f"{v:.17g}"
    return s if any(c in s for c in ".en") else s + "."


def _parse_default(tk: _Tokens, type_str: str):
    """(value, printed form) of a default value."""
    tok = tk.peek()
    if type_str.startswith("Tensor") and tok[1] != "None":
        tk.error("None", tok)
    if tk.accept("["):
        items = []
        while not tk.accept("]"):
            items.append(_parse_default(tk, type_str.split("[")[0]))
            tk.accept(",")
        return [v for v, _ in items], "[" + ", ".join(s for _, s in items) + "]"
    kind, value = tk.next()[:2]
    if kind == "number":
        base = type_str.rstrip("?")
        if base == "float" or "." in value or "e" in value:
            return float(value), _format_float(float(value))
        return int(value), value
    if kind == "string":
        text = value[1:-1]
        return text, f'"{text}"'
    if kind == "ident":
        if value in ("True", "False"):
            return value == "True", value
        if value == "None":
            return None, "None"
        if type_str.startswith("ScalarType") and value in SCALAR_TYPES:
            return SCALAR_TYPES[value], str(SCALAR_TYPES[value])
        if value in _ENUM_DEFAULTS:
            return _ENUM_DEFAULTS[value], str(_ENUM_DEFAULTS[value])
        return value, value
    tk.error("default value", (kind, value) + tk.items[tk.i - 1][2:])


def _parse_argument(tk: _Tokens, kwarg_only: bool, is_return: bool) -> Argument:
    type_str, alias, N = _parse_type(tk)
    name = ""
    if is_return:
        tok = tk.accept("ident")
        name = tok[1] if tok else ""
    else:
        name = tk.expect("ident")[1]
    arg = Argument(name, type_str, None, False, kwarg_only, alias, N)
    if not is_return and tk.accept("="):
        if type_str.startswith("Device") and tk.peek()[0] == "string":
            value = tk.next()[1][1:-1]
            arg.default_value, arg._default_str = value, value
        else:
            arg.default_value, arg._default_str = _parse_default(tk, type_str)
        arg.has_default_value = True
    return arg


def parse_schema(text: str, *, allow_nameless: bool = False) -> FunctionSchema:
    tk = _Tokens(text)
    name, overload = "", ""
    if not (allow_nameless and tk.peek()[0] == "("):
        name = tk.expect("ident")[1]
        if tk.accept("."):
            overload = tk.expect("ident")[1]
    tk.expect("(")
    args, kwarg_only = [], False
    if not tk.accept(")"):
        while True:
            if tk.accept("*"):
                kwarg_only = True
            else:
                args.append(_parse_argument(tk, kwarg_only, False))
            tok = tk.next()
            if tok[0] == ")":
                break
            if tok[0] != ",":
                tk.error(")", tok)
    tk.expect("arrow")
    returns = []
    if tk.accept("("):
        if not tk.accept(")"):
            while True:
                returns.append(_parse_argument(tk, False, True))
                tok = tk.next()
                if tok[0] == ")":
                    break
                if tok[0] != ",":
                    tk.error(")", tok)
    else:
        returns.append(_parse_argument(tk, False, True))
    tk.expect("eof")
    seen_default = False
    schema = FunctionSchema(name, overload, args, returns, False)
    for a in args:
        if a.has_default_value and not a.kwarg_only:
            seen_default = True
        elif seen_default and not a.kwarg_only:
            raise RuntimeError(
                "!seen_default_arg || arg.kwarg_only() INTERNAL ASSERT FAILED at "
                '"/__w/pytorch/pytorch/aten/src/ATen/core/function_schema.h":342, please report a bug to '
                "PyTorch. Non-default positional argument follows default argument. "
                f"Parameter {a.name} in {schema}"
            )
    return schema
