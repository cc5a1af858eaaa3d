"""``python -m torchlike [--eager] [--metrics] SCRIPT.py [args...]``: run an unmodified PyTorch
script with ``torch`` and ``torchvision`` (and their submodules) resolved to torchlike."""

from __future__ import annotations

import argparse
import os
import runpy
import sys


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
        runpy.run_path(ns.script, run_name="__main__")
    finally:
        if ns.metrics:
            torchlike.sync()
            print(torchlike.metrics.report(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
