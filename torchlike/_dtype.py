"""torch dtypes as objects with torch names, mapped to NumPy/JAX dtypes, and torch's promotion."""

from __future__ import annotations

import ml_dtypes
import numpy as np
from ml_dtypes import bfloat16 as _np_bfloat16


class dtype:
    """A torch dtype (``torch.float32`` ...). Instances are singletons; compare with ``is`` or ``==``."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_complex", "is_signed", "_rank")

    def __init__(self, name: str, np_dtype, rank: int):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self.is_floating_point = self.np.kind == "f" or name == "bfloat16" or name.startswith("float8")
        self.is_complex = self.np.kind == "c"
        self.is_signed = name not in ("uint8", "uint16", "uint32", "uint64", "bool", "float8_e8m0fnu")
        self._rank = rank

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self) -> dtype:
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self) -> dtype:
        if self in BAREBONES:
            raise RuntimeError(f"Unknown Complex ScalarType for {SCALAR_NAMES[self.name]}")
        return {"float64": complex128, "complex128": complex128}.get(self.name, complex64)

    @property
    def is_integral(self) -> bool:
        return not (self.is_floating_point or self.is_complex)


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 2)
int32 = dtype("int32", np.int32, 3)
int64 = dtype("int64", np.int64, 4)
float16 = dtype("float16", np.float16, 5)
bfloat16 = dtype("bfloat16", _np_bfloat16, 5)
float32 = dtype("float32", np.float32, 6)
float64 = dtype("float64", np.float64, 7)
complex64 = dtype("complex64", np.complex64, 8)
complex128 = dtype("complex128", np.complex128, 9)
# PyTorch's "barebones" dtypes: storage, casts and a few ops only; no promotion with other dtypes
uint16 = dtype("uint16", np.uint16, 2)
uint32 = dtype("uint32", np.uint32, 3)
uint64 = dtype("uint64", np.uint64, 4)
float8_e4m3fn = dtype("float8_e4m3fn", ml_dtypes.float8_e4m3fn, 5)
float8_e5m2 = dtype("float8_e5m2", ml_dtypes.float8_e5m2, 5)
float8_e4m3fnuz = dtype("float8_e4m3fnuz", ml_dtypes.float8_e4m3fnuz, 5)
float8_e5m2fnuz = dtype("float8_e5m2fnuz", ml_dtypes.float8_e5m2fnuz, 5)
float8_e8m0fnu = dtype("float8_e8m0fnu", ml_dtypes.float8_e8m0fnu, 5)

UNSIGNED_WIDE = (uint16, uint32, uint64)
FLOAT8 = (float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float8_e8m0fnu)
BAREBONES = frozenset(UNSIGNED_WIDE + FLOAT8)
BAREBONES_NP = frozenset(d.np for d in BAREBONES)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128,
       *UNSIGNED_WIDE, *FLOAT8)
_BY_NAME = {d.name: d for d in ALL}
_BY_NP = {d.np: d for d in ALL}

# torch's aliases (torch.float, torch.long, ...)
ALIASES = {
    "bool": bool_, "float": float32, "double": float64, "half": float16, "long": int64,
    "int": int32, "short": int16, "cfloat": complex64, "cdouble": complex128,
    "float32": float32, "float64": float64, "float16": float16, "bfloat16": bfloat16,
    "int64": int64, "int32": int32, "int16": int16, "int8": int8, "uint8": uint8,
    "complex64": complex64, "complex128": complex128,
    **{d.name: d for d in UNSIGNED_WIDE + FLOAT8},
}

# c10's ScalarType names, which PyTorch's messages use ("not implemented for 'UInt16'")
SCALAR_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
    "float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble", "uint16": "UInt16", "uint32": "UInt32",
    "uint64": "UInt64", "float8_e4m3fn": "Float8_e4m3fn", "float8_e5m2": "Float8_e5m2",
    "float8_e4m3fnuz": "Float8_e4m3fnuz", "float8_e5m2fnuz": "Float8_e5m2fnuz", "float8_e8m0fnu": "Float8_e8m0fnu",
}


def _by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_np(np_dtype) -> dtype:
    """The torch dtype of a NumPy/JAX dtype; raises TypeError for ones torch has no equivalent of."""
    d = _BY_NP.get(np.dtype(np_dtype))
    if d is None or d in FLOAT8:
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, uint16, "
            "uint8, and bool."
        )
    return d


def to_dtype(d) -> dtype:
    """Accept a torchlike dtype, a NumPy dtype/type, or a Python type (float, int, bool, complex)."""
    if isinstance(d, dtype):
        return d
    if d is float:
        return float64
    if d is int:
        return int64
    if d is bool:
        return bool_
    if d is complex:
        return complex128
    if isinstance(d, str):
        return ALIASES[d.replace("torch.", "")]
    return from_np(d)


def _category(d: dtype) -> int:
    if d is bool_:
        return 0
    if d.is_complex:
        return 3
    if d.is_floating_point:
        return 2
    return 1


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: the smallest dtype both a and b convert to safely (torch's lattice)."""
    if a is b:
        return a
    if a in BAREBONES or b in BAREBONES:
        _check_barebones_promotion(a, b)
    ca, cb = _category(a), _category(b)
    if ca != cb:
        hi, lo = (a, b) if ca > cb else (b, a)
        if hi.is_complex and lo.is_floating_point:
            return complex128 if (lo is float64 or hi is complex128) else complex64
        return hi
    if ca == 2:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a._rank > b._rank else b
    if ca == 3:
        return complex128
    return _BY_NP[np.promote_types(a.np, b.np)]


def _check_barebones_promotion(a: dtype, b: dtype) -> None:
    """PyTorch promotes float8 with nothing, and uint16/32/64 only with floating dtypes."""
    if a in FLOAT8 or b in FLOAT8:
        kind = "Float8 Types"
    elif a.is_floating_point or b.is_floating_point:
        return
    else:
        kind = "uint16, uint32, uint64 types"
    raise RuntimeError(
        f"Promotion for {kind} is not supported, attempted to promote {SCALAR_NAMES[a.name]} and {SCALAR_NAMES[b.name]}"
    )


def combine_categories(higher: dtype | None, lower: dtype | None) -> dtype | None:
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value, default_float: dtype) -> dtype:
    """The dtype a Python scalar takes as a 'wrapped number' in torch's promotion."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, complex):
        return complex128 if default_float is float64 else complex64
    return default_float
