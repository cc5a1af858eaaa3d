"""A pickle interpreter that only builds data: the engine of ``torch.load(weights_only=True)``.

The standard unpickler calls whatever a file names. This one runs the opcodes itself and
resolves every global through an allowlist (tensors, storages, dtypes, containers, plus what
the user allowlisted with ``add_safe_globals``), so a checkpoint cannot reach ``os.system``.
Calls (REDUCE/NEWOBJ) are only made on allowlisted objects, state is only set (BUILD) on
tensors, ordered dicts and allowlisted types, and APPEND/SETITEM only touch real lists and
dicts — the same contract as PyTorch's weights-only unpickler, so the same files load or
fail in both.
"""

from __future__ import annotations

import _compat_pickle
import codecs
import collections
import pickle
import struct
from collections.abc import Callable
from pickle import UnpicklingError
from typing import Any

# Never allowlisted, whatever the user asks: calling into these is running a program.
BLOCKED_MODULES = ("sys", "os", "posix", "nt")


class _SafeGlobals:
    """The user's allowlist. Process-wide on purpose: PyTorch's is, and a checkpoint loaded in
    a worker thread must see what the main thread allowed."""

    def __init__(self):
        self.entries: set = set()

    def by_name(self) -> dict[str, Any]:
        table = {}
        for entry in self.entries:
            if isinstance(entry, tuple):
                if len(entry) != 2:
                    raise ValueError(
                        f"Expected tuple of length 2 (global, str of callable full path), but got tuple of length: {len(entry)}"
                    )
                obj, path = entry
                if not isinstance(path, str):
                    raise TypeError(
                        f"Expected second item in tuple to be str of callable full path, but got: {type(path)}"
                    )
                table[path] = obj
            else:
                table[f"{entry.__module__}.{entry.__qualname__}"] = entry
        return table


SAFE_GLOBALS = _SafeGlobals()


def add_safe_globals(safe_globals: list) -> None:
    """Allow these classes/functions (or ``(obj, "module.name")`` pairs) in weights-only loads."""
    SAFE_GLOBALS.entries |= set(safe_globals)


def get_safe_globals() -> list:
    return list(SAFE_GLOBALS.entries)


def clear_safe_globals() -> None:
    SAFE_GLOBALS.entries = set()


class safe_globals:
    """Context manager: ``with torch.serialization.safe_globals([MyClass]): torch.load(...)``."""

    def __init__(self, safe_globals: list):
        self.safe_globals = list(safe_globals)
        self._added: set = set()

    def __enter__(self):
        self._added = set(self.safe_globals) - SAFE_GLOBALS.entries
        SAFE_GLOBALS.entries |= self._added

    def __exit__(self, *exc):
        SAFE_GLOBALS.entries -= self._added


def read_global_name(module: str, name: str) -> tuple[str, str]:
    """Undo Python 2 names (``__builtin__`` ...) the way pickle's own fix_imports does."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def _display_path(full: str) -> str:
    # PyTorch shows builtins without their module (`set`), so the suggested fix is runnable.
    return full[len("builtins.") :] if full.startswith("builtins.") else full


def unsupported_global_error(full: str) -> UnpicklingError:
    shown = _display_path(full)
    return UnpicklingError(
        f"Unsupported global: GLOBAL {shown} was not an allowed global by default. "
        f"Please use `torch.serialization.add_safe_globals([{shown}])` or the "
        f"`torch.serialization.safe_globals([{shown}])` context manager to allowlist this global "
        "if you trust this class/function."
    )


def _torchlike_equivalent(module: str, name: str):
    """What a ``torch.*`` name means in torchlike, or None (only imports torchlike modules)."""
    from ._serialization_tensors import resolve_torch_name

    try:
        return resolve_torch_name(module, name)
    except (ImportError, AttributeError):
        return None


class Unpickler:
    """Interprets one pickle from ``file``; ``allowed`` maps ``"module.name"`` to objects."""

    def __init__(
        self,
        file,
        allowed: dict[str, Any],
        persistent_load: Callable[[Any], Any],
        *,
        encoding: str = "bytes",
        build_hooks: dict[type, Callable[[Any, Any], None]] | None = None,
        new_hooks: dict[Any, Callable[..., Any]] | None = None,
    ):
        self._read = file.read
        self._readline = file.readline
        self._allowed = allowed
        self._user = SAFE_GLOBALS.by_name()
        self._allowed_ids = {id(v) for v in allowed.values()} | {id(v) for v in self._user.values()}
        self._persistent_load = persistent_load
        self._encoding = encoding
        self._build_hooks = build_hooks or {}
        self._new_hooks = new_hooks or {}
        self.memo: dict[int, Any] = {}

    # -- input ------------------------------------------------------------------------------
    def _take(self, n: int) -> bytes:
        data = self._read(n)
        if len(data) != n:
            raise UnpicklingError("pickle data was truncated")
        return data

    def _line(self) -> str:
        line = self._readline()
        if not line.endswith(b"\n"):
            raise UnpicklingError("pickle data was truncated")
        return line[:-1].decode("utf-8")

    # -- globals ----------------------------------------------------------------------------
    def _find_global(self, module: str, name: str):
        module, name = read_global_name(module, name)
        full = f"{module}.{name}"
        if module.split(".")[0] in BLOCKED_MODULES:
            raise UnpicklingError(
                f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked."
            )
        if full in self._allowed:
            return self._allowed[full]
        if full in self._user:
            return self._user[full]
        if module == "torch" or module.startswith(("torch.", "torchvision")):
            # A PyTorch-written file names torch.nn.modules.linear.Linear; the user allowlisted
            # torchlike.nn.Linear, which is what that name loads as.
            obj = _torchlike_equivalent(module, name)
            if obj is not None and id(obj) in self._allowed_ids:
                return obj
        raise unsupported_global_error(full)

    def _is_allowed(self, obj) -> bool:
        return id(obj) in self._allowed_ids

    # -- the interpreter --------------------------------------------------------------------
    def load(self):
        self._stack: list[Any] = []
        self._marks: list[list[Any]] = []
        ops = _OPS
        while True:
            key = self._read(1)
            if not key:
                raise EOFError("Ran out of input")
            handler = ops.get(key[0])
            if handler is None:
                raise UnpicklingError(f"Unsupported operand {key[0]}")
            if handler is _stop:
                if not self._stack:
                    raise UnpicklingError("unpickling stack underflow")
                return self._stack.pop()
            try:
                handler(self)
            except IndexError:
                raise UnpicklingError("unpickling stack underflow") from None

    def _pop_mark(self) -> list[Any]:
        if not self._marks:
            raise UnpicklingError("could not find MARK")
        items = self._stack
        self._stack = self._marks.pop()
        return items

    def _push(self, value) -> None:
        self._stack.append(value)

    def _op_global(self):
        module = self._line()
        name = self._line()
        self._push(self._find_global(module, name))

    def _op_stack_global(self):
        name = self._stack.pop()
        module = self._stack.pop()
        if not (isinstance(module, str) and isinstance(name, str)):
            raise UnpicklingError("STACK_GLOBAL requires str")
        self._push(self._find_global(module, name))

    def _op_reduce(self):
        args = self._stack.pop()
        func = self._stack[-1]
        if not self._is_allowed(func):
            msg = f"Trying to call reduce for unrecognized function {func}"
            if hasattr(func, "__self__"):
                msg += f" which belongs to {func.__self__}"
            raise UnpicklingError(msg)
        if not isinstance(args, tuple):
            raise UnpicklingError(f"REDUCE arguments must be a tuple, got {type(args)}")
        self._stack[-1] = func(*args)

    def _new(self, cls, args, kwargs):
        if cls in self._new_hooks:
            return self._new_hooks[cls](*args, **kwargs)
        if not (self._is_allowed(cls) and isinstance(cls, type)):
            raise UnpicklingError(
                "Can only create new object for nn.Parameter or classes allowlisted "
                f"via `add_safe_globals` but got {cls}"
            )
        return cls.__new__(cls, *args, **kwargs)

    def _op_newobj(self):
        args = self._stack.pop()
        cls = self._stack.pop()
        self._push(self._new(cls, args, {}))

    def _op_newobj_ex(self):
        kwargs = self._stack.pop()
        args = self._stack.pop()
        cls = self._stack.pop()
        self._push(self._new(cls, args, kwargs))

    def _op_build(self):
        state = self._stack.pop()
        inst = self._stack[-1]
        kind = type(inst)
        for hook_type, hook in self._build_hooks.items():
            if kind is hook_type:
                hook(inst, state)
                return
        if kind is collections.OrderedDict:
            inst.__dict__.update(state)
        elif self._is_allowed(kind):
            setstate = getattr(inst, "__setstate__", None)
            if setstate is not None:
                setstate(state)
                return
            slots = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slots = state
            if state:
                inst.__dict__.update(state)
            for k, v in (slots or {}).items():
                setattr(inst, k, v)
        else:
            raise UnpicklingError(
                "Can only build Tensor, Parameter, OrderedDict or types allowlisted "
                f"via `add_safe_globals`, but got {kind}"
            )

    def _op_append(self):
        item = self._stack.pop()
        target = self._stack[-1]
        if type(target) is not list:
            raise UnpicklingError(f"Can only append to lists, but got {type(target)}")
        target.append(item)

    def _op_appends(self):
        items = self._pop_mark()
        target = self._stack[-1]
        if type(target) is not list:
            raise UnpicklingError(f"Can only extend lists, but got {type(target)}")
        target.extend(items)

    def _dict_target(self, opcode: str):
        target = self._stack[-1]
        if type(target) not in (dict, collections.OrderedDict, collections.Counter):
            raise UnpicklingError(
                f"Can only {opcode} for dict, collections.OrderedDict, "
                f"collections.Counter, but got {type(target)}"
            )
        return target

    def _op_setitem(self):
        value = self._stack.pop()
        key = self._stack.pop()
        self._dict_target("SETITEM")[key] = value

    def _op_setitems(self):
        items = self._pop_mark()
        target = self._dict_target("SETITEMS")
        for i in range(0, len(items) - 1, 2):
            target[items[i]] = items[i + 1]

    def _op_additems(self):
        items = self._pop_mark()
        target = self._stack[-1]
        if type(target) is not set:
            raise UnpicklingError(f"Can only add items to sets, but got {type(target)}")
        target.update(items)

    def _op_frozenset(self):
        self._push(frozenset(self._pop_mark()))

    def _op_mark(self):
        self._marks.append(self._stack)
        self._stack = []

    def _op_pop(self):
        if self._stack:
            self._stack.pop()
        else:
            self._pop_mark()

    def _op_pop_mark(self):
        self._pop_mark()

    def _op_dup(self):
        self._push(self._stack[-1])

    def _op_tuple(self):
        self._push(tuple(self._pop_mark()))

    def _op_tuple_n(self, n: int):
        items = tuple(self._stack[len(self._stack) - n :]) if n else ()
        if len(items) != n:
            raise UnpicklingError("unpickling stack underflow")
        del self._stack[len(self._stack) - n :]
        self._push(items)

    def _op_persid(self):
        pid = self._stack.pop()
        if type(pid) is not tuple and type(pid) is not int:
            raise UnpicklingError(f"persistent_load id must be tuple or int, but got {type(pid)}")
        if type(pid) is tuple and pid and tag_of(pid) != "storage":
            raise UnpicklingError(
                f"Only persistent_load of storage is allowed, but got {type(pid[0])}"
            )
        self._push(self._persistent_load(pid))

    def _op_get(self, idx: int):
        if idx not in self.memo:
            raise UnpicklingError(f"Memo value not found at index {idx}")
        self._push(self.memo[idx])

    def _op_put(self, idx: int):
        self.memo[idx] = self._stack[-1]

    def _op_memoize(self):
        self.memo[len(self.memo)] = self._stack[-1]

    def _op_short_binstring(self):
        data = self._take(self._take(1)[0])
        self._push(data if self._encoding == "bytes" else data.decode(self._encoding, "strict"))

    def _op_binstring(self):
        (n,) = struct.unpack("<i", self._take(4))
        if n < 0:
            raise UnpicklingError("BINSTRING pickle has negative byte count")
        data = self._take(n)
        self._push(data if self._encoding == "bytes" else data.decode(self._encoding, "strict"))

    def _op_proto(self):
        proto = self._take(1)[0]
        if proto > pickle.HIGHEST_PROTOCOL:
            raise UnpicklingError(f"unsupported pickle protocol: {proto}")


def _stop(self):  # a marker; load() returns before calling it
    raise AssertionError


def _text(self, n: int) -> str:
    return str(self._take(n), "utf-8", "surrogatepass")


def _build_ops() -> dict[int, Callable[[Unpickler], None]]:
    u = struct.unpack
    P = pickle
    ops: dict[bytes, Callable[[Unpickler], None]] = {
        P.STOP: _stop,
        P.PROTO: lambda s: s._op_proto(),
        P.FRAME: lambda s: s._take(8),  # frames are a buffering hint; we read straight through
        P.GLOBAL: lambda s: s._op_global(),
        P.STACK_GLOBAL: lambda s: s._op_stack_global(),
        P.REDUCE: lambda s: s._op_reduce(),
        P.NEWOBJ: lambda s: s._op_newobj(),
        P.NEWOBJ_EX: lambda s: s._op_newobj_ex(),
        P.BUILD: lambda s: s._op_build(),
        P.APPEND: lambda s: s._op_append(),
        P.APPENDS: lambda s: s._op_appends(),
        P.SETITEM: lambda s: s._op_setitem(),
        P.SETITEMS: lambda s: s._op_setitems(),
        P.ADDITEMS: lambda s: s._op_additems(),
        P.FROZENSET: lambda s: s._op_frozenset(),
        P.MARK: lambda s: s._op_mark(),
        P.POP: lambda s: s._op_pop(),
        P.POP_MARK: lambda s: s._op_pop_mark(),
        P.DUP: lambda s: s._op_dup(),
        P.TUPLE: lambda s: s._op_tuple(),
        P.EMPTY_TUPLE: lambda s: s._op_tuple_n(0),
        P.TUPLE1: lambda s: s._op_tuple_n(1),
        P.TUPLE2: lambda s: s._op_tuple_n(2),
        P.TUPLE3: lambda s: s._op_tuple_n(3),
        P.BINPERSID: lambda s: s._op_persid(),
        P.NONE: lambda s: s._push(None),
        P.NEWTRUE: lambda s: s._push(True),
        P.NEWFALSE: lambda s: s._push(False),
        P.EMPTY_LIST: lambda s: s._push([]),
        P.EMPTY_DICT: lambda s: s._push({}),
        P.EMPTY_SET: lambda s: s._push(set()),
        P.BININT: lambda s: s._push(u("<i", s._take(4))[0]),
        P.BININT1: lambda s: s._push(s._take(1)[0]),
        P.BININT2: lambda s: s._push(u("<H", s._take(2))[0]),
        P.LONG1: lambda s: s._push(pickle.decode_long(s._take(s._take(1)[0]))),
        P.LONG4: lambda s: s._push(pickle.decode_long(s._take(u("<I", s._take(4))[0]))),
        P.BINFLOAT: lambda s: s._push(u(">d", s._take(8))[0]),
        P.BINUNICODE: lambda s: s._push(_text(s, u("<I", s._take(4))[0])),
        P.SHORT_BINUNICODE: lambda s: s._push(_text(s, s._take(1)[0])),
        P.BINUNICODE8: lambda s: s._push(_text(s, u("<Q", s._take(8))[0])),
        P.SHORT_BINSTRING: lambda s: s._op_short_binstring(),
        P.BINSTRING: lambda s: s._op_binstring(),
        P.SHORT_BINBYTES: lambda s: s._push(s._take(s._take(1)[0])),
        P.BINBYTES: lambda s: s._push(s._take(u("<I", s._take(4))[0])),
        P.BINBYTES8: lambda s: s._push(s._take(u("<Q", s._take(8))[0])),
        P.BYTEARRAY8: lambda s: s._push(bytearray(s._take(u("<Q", s._take(8))[0]))),
        P.BINGET: lambda s: s._op_get(s._take(1)[0]),
        P.LONG_BINGET: lambda s: s._op_get(u("<I", s._take(4))[0]),
        P.BINPUT: lambda s: s._op_put(s._take(1)[0]),
        P.LONG_BINPUT: lambda s: s._op_put(u("<I", s._take(4))[0]),
        P.MEMOIZE: lambda s: s._op_memoize(),
    }
    return {k[0]: v for k, v in ops.items()}


_OPS = _build_ops()


def default_allowed_python() -> dict[str, Any]:
    """The non-torch globals PyTorch allows by default."""
    return {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "_codecs.encode": codecs.encode,  # how protocol 2 spells bytes
        "builtins.bytearray": bytearray,
        "builtins.set": set,
        "builtins.complex": complex,
    }


def globals_in_pickle(data: bytes) -> list[str]:
    """Every ``module.name`` a pickle references via GLOBAL/STACK_GLOBAL, without running it."""
    import io
    import pickletools

    found: list[str] = []
    strings: list[str] = []
    for op, arg, _ in pickletools.genops(io.BytesIO(data)):
        if op.name == "GLOBAL":
            module, name = read_global_name(*arg.split(" ", 1))
            found.append(f"{module}.{name}")
        elif op.name in ("SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE"):
            strings.append(arg)
        elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
            found.append(f"{strings[-2]}.{strings[-1]}")
    return list(dict.fromkeys(found))


def tag_of(pid) -> str | None:
    """The kind of a persistent id (``'storage'``, ``'module'``), decoding Python 2 bytes."""
    if isinstance(pid, tuple) and pid:
        return pid[0].decode("ascii") if isinstance(pid[0], bytes) else pid[0]
    return None
