"""Resolve ``torch``/``torchvision`` imports to torchlike (used by ``python -m torchlike``).

Never falls back to a real torch that may be installed: once installed, every ``torch.*``
import is served from ``torchlike.*``. Child processes started with the 'spawn' method
(``torch.multiprocessing.spawn``, ``DataLoader(num_workers=...)``) re-import the script, so
they install the hook too before anything else runs. While installed, torchlike's classes carry
PyTorch's module paths (``torchlike._torch_names``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import multiprocessing.spawn
import sys

from . import _torch_names

ALIASES = (
    ("torchvision", "torchlike.vision"),
    ("torch", "torchlike"),
    ("functorch", "torchlike._functorch"),
)
_CHILD_PRELUDE = "import torchlike._import_hook as _h; _h.install(); "


def _target(name: str):
    for src, dst in ALIASES:
        if name == src or name.startswith(src + "."):
            return dst + name[len(src) :]
    return None


def _is_aliased(name: str) -> bool:
    return any(name == src or name.startswith(src + ".") for src, _ in ALIASES)


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self):
        self._real_specs = {}

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
            module = importlib.import_module(real)
        except ModuleNotFoundError:
            parent, _, attr = real.rpartition(".")
            module = getattr(importlib.import_module(parent), attr)
        _torch_names.complete(spec.name, module)
        # the import system writes the alias spec onto the module it gets; put the real one back
        self._real_specs[spec.name] = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        real_spec = self._real_specs.pop(module.__spec__.name, None) if module.__spec__ else None
        if real_spec is not None:
            try:
                module.__spec__ = real_spec
            except AttributeError:
                pass


_FINDER = _AliasFinder()
_get_command_line = multiprocessing.spawn.get_command_line


def _child_command_line(**kwds):
    """multiprocessing's spawn command line, with the hook installed before the script re-runs."""
    cmd = _get_command_line(**kwds)
    if "-c" in cmd:
        i = cmd.index("-c") + 1
        cmd[i] = _CHILD_PRELUDE + cmd[i]
    return cmd


def install() -> None:
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    multiprocessing.spawn.get_command_line = _child_command_line
    for name in [m for m in sys.modules if _is_aliased(m)]:
        del sys.modules[name]
    import torchlike

    sys.modules["torch"] = torchlike
    _torch_names.apply()


def uninstall() -> None:
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    multiprocessing.spawn.get_command_line = _get_command_line
    _torch_names.restore()
    for name in [m for m in sys.modules if _is_aliased(m)]:
        del sys.modules[name]
