"""``python -m torchlike [--eager] [--metrics] SCRIPT.py [args...]``: run an unmodified PyTorch
script with ``torch`` and ``torchvision`` (and their submodules) resolved to torchlike."""

from __future__ import annotations

import argparse
import os
import runpy
import sys
import types


def _run_script(script: str) -> None:
    """Run ``script`` as ``__main__`` the way ``python script.py`` does: ``__file__`` (and so
    tracebacks and warnings) absolute, ``sys.argv[0]`` as typed. ``runpy.run_path`` would put
    its path argument in both."""
    path = os.path.abspath(script)
    if not os.path.isfile(path):  # a directory or zip with __main__.py: runpy knows those
        runpy.run_path(script, run_name="__main__")
        return
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec", dont_inherit=True)
    module = types.ModuleType("__main__")
    module.__dict__.update(
        __file__=path, __cached__=None, __loader__=None, __package__=None, __spec__=None
    )
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)
    finally:
        sys.modules["__main__"] = saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m torchlike",
        description="Run a PyTorch script on torchlike (torch -> torchlike, torchvision -> torchlike.vision).",
    )
    parser.add_argument("--eager", action="store_true", help="debug mode: run every op as it is recorded")
    parser.add_argument("--metrics", action="store_true", help="print the engine's metrics report at exit")
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    ns = parser.parse_args(argv)

    from . import _import_hook

    _import_hook.install()
    import torchlike

    if ns.eager:
        torchlike.set_eager(True)
    sys.argv = [ns.script] + ns.args
    sys.path.insert(0, os.path.dirname(os.path.abspath(ns.script)))
    try:
        _run_script(ns.script)
    finally:
        if ns.metrics:
            torchlike.sync()
            print(torchlike.metrics.report(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
