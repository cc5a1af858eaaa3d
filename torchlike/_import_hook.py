"""Resolve ``torch``/``torchvision`` imports to torchlike (used by ``python -m torchlike``).

Never falls back to a real torch that may be installed: once installed, every ``torch.*``
import is served from ``torchlike.*``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

ALIASES = (("torchvision", "torchlike.vision"), ("torch", "torchlike"))


def _target(name: str):
    for src, dst in ALIASES:
        if name == src or name.startswith(src + "."):
            return dst + name[len(src):]
    return None


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        real = _target(fullname)
        if real is None:
            return None
        try:
            spec = importlib.util.find_spec(real)
        except (ImportError, AttributeError, ValueError):
            spec = None
        if spec is None:
            parent, _, attr = real.rpartition(".")
            mod = sys.modules.get(parent) or (importlib.import_module(parent) if parent else None)
            if mod is None or not hasattr(mod, attr):
                return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        real = _target(spec.name)
        try:
            return importlib.import_module(real)
        except ModuleNotFoundError:
            parent, _, attr = real.rpartition(".")
            return getattr(importlib.import_module(parent), attr)

    def exec_module(self, module):
        pass


_FINDER = _AliasFinder()


def install() -> None:
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name in [m for m in sys.modules if m == "torch" or m.startswith(("torch.", "torchvision"))]:
        del sys.modules[name]
    import torchlike

    sys.modules["torch"] = torchlike


def uninstall() -> None:
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [m for m in sys.modules if m == "torch" or m.startswith(("torch.", "torchvision"))]:
        del sys.modules[name]
