"""``torch.torch_version.TorchVersion``: a version string that compares with strings and tuples."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from packaging.version import InvalidVersion, Version
except ImportError:  # (no packaging: versions compare as strings)

    class InvalidVersion(ValueError):
        pass

    def Version(text):  # noqa: N802
        raise InvalidVersion(text)

__all__ = ["TorchVersion"]


class TorchVersion(str):
    """``torch.__version__``'s type: ``v >= "2.0"`` and ``v >= (2, 0)`` compare as PEP 440 versions
    (a tuple is read as its parts joined by dots); a string that is no version compares as a string."""

    __slots__ = ()

    @staticmethod
    def _as_version(other: Any) -> Version:
        if isinstance(other, str):
            return Version(other)
        if isinstance(other, Iterable) and not hasattr(other, "release"):
            return Version(".".join(str(part) for part in other))
        if hasattr(other, "release"):  # a packaging Version
            return other
        raise InvalidVersion(other)

    def _cmp(self, other: Any, method: str):
        try:
            return getattr(Version(self), method)(self._as_version(other))
        except InvalidVersion:
            return getattr(str, method)(self, other)

    def __gt__(self, other):
        return self._cmp(other, "__gt__")

    def __ge__(self, other):
        return self._cmp(other, "__ge__")

    def __lt__(self, other):
        return self._cmp(other, "__lt__")

    def __le__(self, other):
        return self._cmp(other, "__le__")

    def __eq__(self, other):
        return self._cmp(other, "__eq__")

    __hash__ = str.__hash__


TorchVersion.__module__ = "torch.torch_version"
