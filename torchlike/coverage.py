"""API coverage report: which public names of PyTorch/torchvision torchlike provides.

``python -m torchlike.coverage`` measures torchlike's public namespaces (and its op registry)
against the real packages' public names when they are installed here, or against the committed
snapshot ``_coverage_snapshot.json`` otherwise, and writes ``docs/coverage.md``: a percentage per
namespace and the missing names, so the next developer knows what to add.

Options: ``--output PATH`` (default ``docs/coverage.md`` of the checkout), ``--snapshot`` (measure
against the committed snapshot even when torch is installed), ``--update-snapshot`` (rewrite the
snapshot's torch namespaces from the installed torch; torchvision's lists are kept, they come from
its documentation), ``--quiet``.

This is a developer tool: it imports the real ``torch`` only here, only when asked to, and never
from ``import torchlike``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

SNAPSHOT_PATH = Path(__file__).with_name("_coverage_snapshot.json")

# namespace -> (reference module, attribute of it or None, torchlike module, attribute or None)
NAMESPACES: dict[str, tuple[str, str | None, str, str | None]] = {
    "torch": ("torch", None, "torchlike", None),
    "torch.Tensor": ("torch", "Tensor", "torchlike", "Tensor"),
    "torch.nn": ("torch.nn", None, "torchlike.nn", None),
    "torch.nn.functional": ("torch.nn.functional", None, "torchlike.nn.functional", None),
    "torch.optim": ("torch.optim", None, "torchlike.optim", None),
    "torch.optim.lr_scheduler": (
        "torch.optim.lr_scheduler",
        None,
        "torchlike.optim.lr_scheduler",
        None,
    ),
    "torch.utils.data": ("torch.utils.data", None, "torchlike.utils.data", None),
    "torchvision.transforms": ("torchvision.transforms", None, "torchlike.vision.transforms", None),
    "torchvision.datasets": ("torchvision.datasets", None, "torchlike.vision.datasets", None),
    "torchvision.models": ("torchvision.models", None, "torchlike.vision.models", None),
}

# Documented non-goals (docs/design.md): quantisation, sparse layouts beyond COO basics,
# TorchScript/JIT and the C++ dispatcher's internals, vendor back-end kernels, nested tensors.
# Such names are still counted as missing; the report shows them apart.
_NON_GOAL = re.compile(
    r"quantiz|quantized|^q_|_q_|^dequantize|fake_quant|per_channel|per_tensor|^qint|^quint|"
    r"sparse|_csr|_csc|_bsr|_bsc|^to_mkldnn|mkldnn|miopen|cudnn|fbgemm|^xnnpack|"
    r"^Script|^script|Type$|^jit|^_jit|^Tag$|^Dispatch|^ExcludeDispatch|^FunctionSchema|^Argument|"
    r"^AliasDb|^CompilationUnit|^ConcreteModuleType|^Code$|^Graph|^Node$|^Block$|^Value$|^Use$|"
    r"^FileCheck|^ErrorReport|^ThroughputBenchmark|^Benchmark|^StaticModule|^LiteScriptModule|"
    r"^PyTorchFile|Serializer$|SerializationStorageContext|^ExecutionPlan|^Gradient$|^IODescriptor|"
    r"^CallStack|^DeepCopyMemoTable|^InferredType|^TracingState|^CompleteArgumentSpec|^OperatorInfo|"
    r"^AggregationType|^LockingLogger|^NoopLogger|^Capsule|^Sym[A-Z]|^sym_|nested|^_nested|"
    r"^IterDataPipe|^MapDataPipe|^DFIterDataPipe|^DataChunk|datapipe|^runtime_validation|"
    r"^argument_validation|^non_deterministic|^UninitializedBuffer|^UninitializedParameter|^Lazy"
)


def is_non_goal(name: str) -> bool:
    return bool(_NON_GOAL.search(name))


# ---------------------------------------------------------------------------------------------
# the reference: real packages' public names


def _real_module(modname: str):
    """Import the real package (not torchlike's alias under ``python -m torchlike``), or None."""
    top = modname.split(".")[0]
    loaded = sys.modules.get(top)
    if loaded is not None and getattr(loaded, "__name__", top) != top:
        return None  # an alias installed by torchlike's import hook
    if loaded is None and importlib.util.find_spec(top) is None:
        return None
    try:
        mod = importlib.import_module(modname)
    except Exception:  # a broken install measures against the snapshot
        return None
    if "torchlike" in (getattr(mod, "__file__", None) or "") or mod.__name__ != modname:
        return None
    return mod


def _defined_in(obj, modname: str) -> bool:
    """Defined in ``modname`` or below it, or one of torch's C builtins it re-exports."""
    mod = getattr(obj, "__module__", None)
    if not isinstance(mod, str):
        return False
    if mod in ("torch._C._nn", "torch._C._VariableFunctions"):
        return True
    if mod == "torch":  # C builtins report torch; classes of torch (Tensor) are re-exports
        return not isinstance(obj, type) or modname == "torch"
    return mod == modname or mod.startswith(modname + ".")


def public_names(obj, modname: str) -> list[str]:
    """Public names of a module or class, by PyTorch's own rules where it states them.

    A module with ``__all__`` is what ``__all__`` says. Otherwise, the names not starting with an
    underscore whose object is defined in ``modname`` or below it (or is one of torch's C builtins),
    leaving out submodules, re-exports (``torch.nn.functional.Tensor``) and typing helpers. A class
    (``torch.Tensor``) gives its public attributes.
    """
    if isinstance(obj, type):
        return sorted(n for n in dir(obj) if not n.startswith("_"))
    exported = getattr(obj, "__all__", None)
    if exported is not None:
        return sorted(set(exported))
    names = []
    for n in dir(obj):
        if n.startswith("_"):
            continue
        value = getattr(obj, n, None)
        if isinstance(value, types.ModuleType):
            continue
        if callable(value) and _defined_in(value, modname):
            names.append(n)
    return sorted(names)


def installed_reference() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Public names of every namespace whose real package imports here, and their versions."""
    names, versions = {}, {}
    for ns, (modname, attr, _, _) in NAMESPACES.items():
        mod = _real_module(modname)
        if mod is None:
            continue
        top = sys.modules[modname.split(".")[0]]
        obj = getattr(mod, attr) if attr else mod
        names[ns] = public_names(obj, modname)
        versions[ns] = f"{top.__name__} {getattr(top, '__version__', '?')}"
    return names, versions


def load_snapshot(path: Path = SNAPSHOT_PATH) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_snapshot(path: Path = SNAPSHOT_PATH) -> dict:
    """Rewrite the torch namespaces of the snapshot from the installed packages."""
    snap = load_snapshot(path) if path.exists() else {"sources": {}, "namespaces": {}}
    names, versions = installed_reference()
    if not names:
        raise RuntimeError("torch is not installed here: nothing to snapshot")
    snap["namespaces"].update(names)
    snap["sources"].update(versions)
    ordered = {
        "sources": {k: snap["sources"][k] for k in NAMESPACES if k in snap["sources"]},
        "namespaces": {k: snap["namespaces"][k] for k in NAMESPACES if k in snap["namespaces"]},
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ordered, f, indent=1, sort_keys=False)
        f.write("\n")
    return ordered


def reference(use_snapshot: bool = False) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Names per namespace, from the installed packages where possible, the snapshot for the rest."""
    snap = load_snapshot()
    names = dict(snap["namespaces"])
    sources = {ns: f"snapshot of {v}" for ns, v in snap["sources"].items()}
    if not use_snapshot:
        live, versions = installed_reference()
        names.update(live)
        sources.update({ns: f"installed {v}" for ns, v in versions.items()})
    return names, sources


# ---------------------------------------------------------------------------------------------
# what torchlike provides


def _torchlike_object(ns: str):
    _, _, modname, attr = NAMESPACES[ns]
    mod = importlib.import_module(modname)
    return getattr(mod, attr) if attr else mod


def provides(obj, name: str) -> bool:
    try:
        getattr(obj, name)
    except AttributeError:
        return False
    except Exception:  # a lazy attribute that fails to build is not provided
        return False
    return True


def registry_names(ns: str) -> set[str]:
    """Names of ``ns`` that come straight from an ``@op`` registration."""
    from ._ops.registry import FUNCTIONS, METHODS

    if ns == "torch":
        return set(FUNCTIONS)
    if ns == "torch.Tensor":
        return set(METHODS)
    return set()


@dataclass
class NamespaceCoverage:
    namespace: str
    source: str
    names: list[str]
    provided: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    from_registry: int = 0

    @property
    def total(self) -> int:
        return len(self.names)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.provided) / self.total if self.total else 100.0

    @property
    def missing_non_goals(self) -> list[str]:
        return [n for n in self.missing if is_non_goal(n)]

    @property
    def missing_goals(self) -> list[str]:
        return [n for n in self.missing if not is_non_goal(n)]

    @property
    def percent_in_scope(self) -> float:
        """Coverage of the names that are not documented non-goals."""
        scope = (
            self.total - len(self.missing_non_goals) - sum(is_non_goal(n) for n in self.provided)
        )
        got = len(self.provided) - sum(is_non_goal(n) for n in self.provided)
        return 100.0 * got / scope if scope else 100.0


def measure(
    names: dict[str, list[str]], sources: dict[str, str] | None = None
) -> list[NamespaceCoverage]:
    """Coverage of each namespace in ``names`` (namespace -> reference public names)."""
    sources = sources or {}
    out = []
    for ns in NAMESPACES:
        if ns not in names:
            continue
        obj = _torchlike_object(ns)
        reg = registry_names(ns)
        cov = NamespaceCoverage(ns, sources.get(ns, "given"), sorted(set(names[ns])))
        for n in cov.names:
            (cov.provided if provides(obj, n) else cov.missing).append(n)
        cov.from_registry = sum(1 for n in cov.provided if n in reg)
        out.append(cov)
    return out


# ---------------------------------------------------------------------------------------------
# the report


def _names_block(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) if names else "_none_"


def render(report: list[NamespaceCoverage]) -> str:
    from ._ops.registry import OPS

    total = sum(c.total for c in report)
    got = sum(len(c.provided) for c in report)
    lines = [
        "# API coverage",
        "",
        "Generated by `python -m torchlike.coverage` (do not edit by hand). A name counts as provided",
        "when torchlike's matching namespace has an attribute of that name; names that are documented",
        "non-goals (quantisation, sparse layouts, TorchScript/JIT and dispatcher internals, vendor",
        "kernels, nested and lazy tensors, datapipes) are listed apart and left out of the in-scope",
        "percentage. Behaviour differences of the names that exist are in",
        "[differences.md](differences.md).",
        "",
        f"Overall: {got} of {total} names ({100.0 * got / total if total else 100.0:.1f}%); "
        f"{len(OPS)} ops in the registry.",
        "",
        "| namespace | provided | public names | coverage | in scope | from `@op` | reference |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for c in report:
        lines.append(
            f"| `{c.namespace}` | {len(c.provided)} | {c.total} | {c.percent:.1f}% | "
            f"{c.percent_in_scope:.1f}% | {c.from_registry} | {c.source} |"
        )
    for c in report:
        lines += [
            "",
            f"## `{c.namespace}`",
            "",
            f"{len(c.provided)} of {c.total} provided ({c.percent:.1f}%).",
            "",
            f"Missing ({len(c.missing_goals)}): {_names_block(c.missing_goals)}",
        ]
        if c.missing_non_goals:
            lines += [
                "",
                f"Missing, non-goals ({len(c.missing_non_goals)}): {_names_block(c.missing_non_goals)}",
            ]
    return "\n".join(lines) + "\n"


def summary(report: list[NamespaceCoverage]) -> str:
    width = max(len(c.namespace) for c in report) if report else 10
    rows = [f"{'namespace':<{width}}  provided/total  coverage  in scope"]
    for c in report:
        rows.append(
            f"{c.namespace:<{width}}  {len(c.provided):>5}/{c.total:<6}  {c.percent:7.1f}%  "
            f"{c.percent_in_scope:7.1f}%"
        )
    return "\n".join(rows)


def default_output() -> Path:
    checkout = Path(__file__).resolve().parents[1]
    base = checkout if (checkout / "pyproject.toml").exists() else Path.cwd()
    return base / "docs" / "coverage.md"


def main(argv: list[str] | None = None) -> list[NamespaceCoverage]:
    parser = argparse.ArgumentParser(
        prog="python -m torchlike.coverage", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="markdown file to write (docs/coverage.md)"
    )
    parser.add_argument(
        "--snapshot", action="store_true", help="measure against the committed snapshot"
    )
    parser.add_argument(
        "--update-snapshot", action="store_true", help="rewrite the snapshot from installed torch"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    if args.update_snapshot:
        write_snapshot()
    names, sources = reference(use_snapshot=args.snapshot)
    report = measure(names, sources)
    out = args.output or default_output()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(report), encoding="utf-8")
    if not args.quiet:
        print(summary(report))
        print(f"written to {out}")
    return report


if __name__ == "__main__":
    main()
