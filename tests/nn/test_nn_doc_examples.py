"""PyTorch's own docstring examples for ``torch.nn``, run on PyTorch and on torchlike.

The examples are read at test time from the installed PyTorch's ``__doc__`` strings (the
``>>>`` blocks and the literal ``Example::`` blocks) of every public object in ``torch.nn``,
``torch.nn.functional``, ``torch.nn.init``, ``torch.nn.utils`` (with ``rnn``, ``parametrize``,
``parametrizations``, ``prune``, ``stateless``) and ``torch.nn.attention``, plus the methods of
``torch.nn`` classes that carry their own examples. Each object's block runs twice from the same
seed, with ``torch``/``nn``/``F`` (PyTorch's doctest globals) bound to PyTorch and then to
torchlike; ``import torch...`` inside a block resolves to torchlike on the second run. Compared:
every tensor the block leaves behind (also inside tuples, lists and modules' state_dicts:
shape, dtype, values), and the printed output of each statement group the docstring shows output
for (numbers within the precision printed, addresses masked).

A block that does not run under PyTorch here (CUDA, downloads, ``...`` placeholders, undefined
names) is skipped with PyTorch's error. ``KNOWN_DIFFERENCES`` lists the documented unsupported
features; those cases are strict xfails.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import inspect
import io
import random
import re
import types
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torchlike  # noqa: E402

NAMESPACES = (
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.nn.utils.rnn",
    "torch.nn.utils.parametrize",
    "torch.nn.utils.parametrizations",
    "torch.nn.utils.prune",
    "torch.nn.utils.stateless",
    "torch.nn.attention",
)

# qualified name -> why torchlike deliberately differs (documented unsupported feature)
KNOWN_DIFFERENCES: dict[str, str] = {}

# examples that read uninitialized memory (torch.empty, skip_init): shapes and dtypes compared,
# values and printed output not
UNINITIALIZED = {
    "torch.nn.functional.pad": "pads torch.empty(...)",
    "torch.nn.utils.skip_init": "prints the never-initialized weight",
}

# Smaller sizes for the examples whose docstring sizes take seconds (several minutes in all):
# qualified name -> (docstring text, replacement) pairs; the code is otherwise PyTorch's own.
_POOL3D_INPUT = ("torch.randn(20, 16, 50, 44, 31)", "torch.randn(2, 3, 12, 10, 9)")
_NORM3D_INPUT = ("torch.randn(20, 100, 35, 45, 10)", "torch.randn(2, 100, 5, 6, 4)")
_PAD3D_INPUT = ("torch.randn(16, 3, 8, 320, 480)", "torch.randn(2, 3, 8, 10, 12)")
_CONV3D_INPUT = ("torch.randn(20, 16, 10, 50, 100)", "torch.randn(2, 16, 10, 9, 8)")
_FRACTIONAL3D_INPUT = ("torch.randn(20, 16, 50, 32, 16)", "torch.randn(2, 2, 50, 32, 16)")
_D_MODEL = ("d_model=512", "d_model=64")
_SRC = ("torch.rand(10, 32, 512)", "torch.rand(10, 3, 64)")
_TGT = ("torch.rand(20, 32, 512)", "torch.rand(20, 3, 64)")
_SRC_BATCH_FIRST = ("torch.rand(32, 10, 512)", "torch.rand(3, 10, 64)")
_TGT_BATCH_FIRST = ("torch.rand(32, 20, 512)", "torch.rand(3, 20, 64)")
_LAYERS = ("num_layers=6", "num_layers=2")
SHRINK: dict[str, tuple[tuple[str, str], ...]] = {
    "torch.nn.AvgPool3d": (_POOL3D_INPUT,),
    "torch.nn.MaxPool3d": (_POOL3D_INPUT,),
    "torch.nn.LPPool3d": (_POOL3D_INPUT,),
    "torch.nn.BatchNorm3d": (_NORM3D_INPUT,),
    "torch.nn.InstanceNorm3d": (_NORM3D_INPUT,),
    "torch.nn.CircularPad3d": (_PAD3D_INPUT,),
    "torch.nn.ReplicationPad3d": (_PAD3D_INPUT,),
    "torch.nn.Conv3d": (_CONV3D_INPUT,),
    "torch.nn.ConvTranspose3d": (_CONV3D_INPUT,),
    "torch.nn.FractionalMaxPool3d": (_FRACTIONAL3D_INPUT,),
    "torch.nn.functional.fractional_max_pool3d": (_FRACTIONAL3D_INPUT,),
    "torch.nn.functional.fractional_max_pool3d_with_indices": (_FRACTIONAL3D_INPUT,),
    "torch.nn.functional.fractional_max_pool2d": (
        ("torch.randn(20, 16, 50, 32)", "torch.randn(2, 3, 50, 32)"),
    ),
    "torch.nn.functional.fractional_max_pool2d_with_indices": (
        ("torch.randn(20, 16, 50, 32)", "torch.randn(2, 3, 50, 32)"),
    ),
    "torch.nn.MaxUnpool3d": (("torch.randn(20, 16, 51, 33, 15)", "torch.randn(2, 2, 51, 33, 15)"),),
    "torch.nn.Transformer": (
        (
            "nhead=16, num_encoder_layers=12",
            "d_model=64, nhead=16, num_encoder_layers=2, num_decoder_layers=2",
        ),
        ("torch.rand((10, 32, 512))", "torch.rand((10, 3, 64))"),
        ("torch.rand((20, 32, 512))", "torch.rand((20, 3, 64))"),
    ),
    "torch.nn.TransformerEncoder": (_D_MODEL, _SRC, _LAYERS),
    "torch.nn.TransformerEncoderLayer": (_D_MODEL, _SRC, _SRC_BATCH_FIRST),
    "torch.nn.TransformerDecoder": (_D_MODEL, _SRC, _TGT, _LAYERS),
    "torch.nn.TransformerDecoderLayer": (_D_MODEL, _SRC, _TGT, _SRC_BATCH_FIRST, _TGT_BATCH_FIRST),
}


def shrink(name: str, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``parts`` with ``SHRINK[name]`` applied; every listed text must occur (else the docstring
    changed and the table needs a look)."""
    for old, new in SHRINK.get(name, ()):
        if not any(old in source for source, _ in parts):
            raise AssertionError(f"{name}: {old!r} no longer occurs in its example")
        parts = [(source.replace(old, new), want) for source, want in parts]
    return parts


_EXAMPLE_HEADER = re.compile(r"^(\s*)Examples?::\s*$", re.MULTILINE)


def _documents_examples(doc) -> bool:
    return isinstance(doc, str) and (">>>" in doc or _EXAMPLE_HEADER.search(doc) is not None)


def _is_nn_object(obj) -> bool:
    # functional re-exports a few helpers from elsewhere (typing aliases, torch.overrides)
    module = getattr(obj, "__module__", None) or "torch"
    return module.startswith("torch.nn") or module in ("torch", "torch._C", "torch._C._nn")


def documented_objects() -> list[tuple[str, str]]:
    """[(qualified name, docstring)] of every object in NAMESPACES with a usage example."""
    found, seen = [], set()
    for ns in NAMESPACES:
        mod = importlib.import_module(ns)
        names = getattr(mod, "__all__", None) or [n for n in dir(mod) if not n.startswith("_")]
        for name in sorted(set(names)):
            obj = getattr(mod, name, None)
            if obj is None or isinstance(obj, types.ModuleType) or not callable(obj):
                continue
            if id(obj) in seen or not _is_nn_object(obj):
                continue
            if ns == "torch.nn.functional" and inspect.isclass(obj):
                continue  # Tensor, typing helpers: imported, not part of nn
            seen.add(id(obj))
            if _documents_examples(obj.__doc__):
                found.append((f"{ns}.{name}", obj.__doc__))
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if isinstance(member, (classmethod, staticmethod)):
                        member = member.__func__
                    if attr.startswith("_") or not inspect.isfunction(member):
                        continue  # e.g. the lazy modules' cls_to_become is another class
                    doc = member.__doc__
                    if id(member) not in seen and _documents_examples(doc):
                        seen.add(id(member))
                        found.append((f"{ns}.{name}.{attr}", doc))
    return found


def parse_examples(doc: str) -> list[tuple[str, str]]:
    """[(source, expected output)] statement groups of a docstring, in order.

    ``>>>``/``...`` lines form a group's source (a group may continue a compound statement with
    ``>>>`` as some of PyTorch's docstrings do); the lines after them up to a blank line are its
    expected output; a bare ``>>>`` after a complete statement starts the next group. A literal
    ``Example::`` block without prompts is split before each top-level statement that follows a
    blank line, into groups with no output.
    """
    lines = doc.expandtabs().splitlines()
    parts: list[tuple[str, str]] = []
    source: list[str] = []
    want: list[str] = []

    def close():
        if source:
            parts.append(("\n".join(source), "\n".join(want)))
        source.clear()
        want.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        header = _EXAMPLE_HEADER.match(line)
        if header is not None:
            indent, body = len(header.group(1)), []
            j = i + 1
            while j < len(lines) and (
                not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
            ):
                body.append(lines[j])
                j += 1
            if not any(b.strip().startswith(">>>") for b in body):
                close()
                parts.extend((code, "") for code in _top_level_chunks(_dedent(body)))
                i = j
                continue
        if stripped.startswith(">>>") or (stripped.startswith("...") and source and not want):
            if want:
                close()
            following = lines[i + 1].strip()[4:] if i + 1 < len(lines) else ""
            if (
                stripped == ">>>"
                and source
                and following[:1].strip()
                and _complete("\n".join(source))
            ):
                close()
                i += 1
                continue
            source.append(stripped[4:] if len(stripped) > 3 else "")
        elif source and stripped and not want and _unclosed("\n".join(source)):
            source.append(stripped)  # a bracket continued without "..." (a docstring slip)
        elif source and stripped:
            want.append(stripped)
        elif source:
            close()
        i += 1
    close()
    return parts


def _complete(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def _top_level_chunks(code: str) -> list[str]:
    """``code`` cut before each unindented line that follows a blank line."""
    chunks, current, blank = [], [], False
    for line in code.splitlines():
        if blank and line[:1].strip() and current and _complete("\n".join(current)):
            chunks.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
        blank = not line.strip()
    chunks.append("\n".join(current).strip("\n"))
    return [c for c in chunks if c.strip()]


def _unclosed(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError as e:
        return "never closed" in str(e.msg) or "unexpected EOF" in str(e.msg)
    return False


def _dedent(lines: list[str]) -> str:
    body = [ln for ln in lines if ln.strip()]
    cut = min((len(ln) - len(ln.lstrip()) for ln in body), default=0)
    return "\n".join(ln[cut:] for ln in lines).strip("\n")


def _importer(real_import):
    """``__import__`` that serves ``torch`` and ``torch.*`` from torchlike."""

    def load(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            target = "torchlike" + name[len("torch") :]
            try:
                module = importlib.import_module(target)
            except ModuleNotFoundError:
                parent, _, attr = target.rpartition(".")
                module = getattr(importlib.import_module(parent), attr)
            return module if fromlist else importlib.import_module("torchlike")
        return real_import(name, globals, locals, fromlist, level)

    return load


def _namespace(lib, name: str) -> dict:
    """PyTorch's doctest globals (``torch``, ``nn``, ``F``); an example of a ``torch.nn.utils``
    submodule or ``torch.nn.init`` also sees that module (``prune``) and its public names
    (``spectral_norm``), as its documentation page is read."""
    env = {"__name__": "__doc_example__", "torch": lib, "nn": lib.nn, "F": lib.nn.functional}
    ns = max((n for n in NAMESPACES if name.startswith(n + ".")), key=len, default="torch.nn")
    if ns not in ("torch.nn", "torch.nn.functional"):
        reference = importlib.import_module(ns)
        module = (
            reference if lib is torch else importlib.import_module("torchlike" + ns[len("torch") :])
        )
        env[ns.rpartition(".")[2]] = module
        for public in getattr(reference, "__all__", None) or dir(reference):
            if not public.startswith("_") and hasattr(module, public):
                env[public] = getattr(module, public)
    if lib is torchlike:
        env["__builtins__"] = dict(vars(builtins), __import__=_importer(builtins.__import__))
    return env


def _seed(lib):
    lib.manual_seed(0)
    random.seed(0)
    np.random.seed(0)


def _run_statements(code: str, env: dict, show_last: bool):
    """Run ``code``; with ``show_last``, echo the last statement's value as the REPL would."""
    tree = ast.parse(code)
    last = tree.body[-1] if tree.body else None
    if show_last and isinstance(last, ast.Expr):
        tree.body = tree.body[:-1]
        exec(compile(tree, "<doc example>", "exec"), env)
        value = eval(compile(ast.Expression(last.value), "<doc example>", "eval"), env)
        if value is not None:
            print(repr(value))
    else:
        exec(compile(tree, "<doc example>", "exec"), env)


class GroupFailed(Exception):
    def __init__(self, index: int, error: BaseException):
        super().__init__(index, error)
        self.index, self.error = index, error


def run_examples(lib, parts, name: str = ""):
    """(namespace, [printed output of each group with expected output]) of one run of ``name``'s
    example; a group that raises is reported as ``GroupFailed`` with its index."""
    env = _namespace(lib, name)
    _seed(lib)
    printed = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for index, (source, want) in enumerate(parts):
            buffer = io.StringIO()
            try:
                with contextlib.redirect_stdout(buffer):
                    _run_statements(source, env, show_last=bool(want))
            except Exception as e:  # noqa: BLE001 - reported with the group it came from
                raise GroupFailed(index, e) from e
            if want:
                printed.append((source, buffer.getvalue()))
    return env, printed


def run_under_pytorch(parts, name: str = ""):
    """(groups that run under PyTorch here, their run, [(dropped group, error)]): a group that
    raises is dropped and the rest rerun from the seed (a later group may then fail in turn)."""
    groups, dropped = list(parts), []
    while groups:
        try:
            return groups, run_examples(torch, groups, name), dropped
        except GroupFailed as failed:
            dropped.append((groups.pop(failed.index), failed.error))
    return groups, None, dropped


def _describe(error: BaseException) -> str:
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first[:120]}"


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _printed_unit(token: str) -> float:
    """The value of one unit in the last digit ``token`` shows."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def assert_same_output(where: str, expected: str, got: str):
    """Printed text equal up to addresses, and up to a unit in the last printed digit."""
    expected = re.sub(r"0x[0-9a-fA-F]+", "0x...", expected)
    got = re.sub(r"0x[0-9a-fA-F]+", "0x...", got)
    same_text = _NUMBER.split(expected) == _NUMBER.split(got)
    e_numbers, g_numbers = _NUMBER.findall(expected), _NUMBER.findall(got)
    ok = same_text and len(e_numbers) == len(g_numbers)
    for e, g in zip(e_numbers, g_numbers) if ok else ():
        ev, gv = float(e), float(g)
        # a unit in the last digit shown, or the float32 tolerance the tensors are compared with
        slack = max(1.01 * max(_printed_unit(e), _printed_unit(g)), 1e-5) + 1e-4 * abs(ev)
        if not (ev == gv or abs(ev - gv) <= slack):
            ok = False
    assert ok, f"printed output of\n{where}\ndiffers:\n--- torch\n{expected}\n--- torchlike\n{got}"


def _tensors(value, path, depth=0):
    """[(path, tensor or number)] inside a variable: tensors and Python numbers, tuples/lists/dicts
    of them (a Size is a tuple of ints), module states."""
    if depth > 3:
        return []
    if isinstance(value, (torch.Tensor, torchlike.Tensor, bool, int, float, complex)):
        return [(path, value)]
    if isinstance(value, (tuple, list)):
        out = []
        for k, v in enumerate(value):
            out.extend(_tensors(v, f"{path}[{k}]", depth + 1))
        return out
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if isinstance(k, str):
                out.extend(_tensors(v, f"{path}[{k!r}]", depth + 1))
        return out
    if isinstance(value, (torch.nn.Module, torchlike.nn.Module)):
        return _tensors(dict(value.state_dict()), f"{path}.state_dict()", depth + 1)
    return []


def _values(t) -> np.ndarray:
    t = t.detach()
    if getattr(t, "is_sparse", False):
        t = t.to_dense()
    if str(t.dtype) == "torch.bfloat16":
        t = t.float()
    return np.asarray(t.cpu().numpy())


def assert_same_values(torch_env: dict, like_env: dict, values: bool = True):
    checked = 0
    for name, value in torch_env.items():
        expected = [] if name.startswith("__") else _tensors(value, name)
        if not expected:
            continue
        assert name in like_env, f"torchlike's run leaves no {name!r}"
        got = dict(_tensors(like_env[name], name))
        for path, p in expected:
            assert path in got, f"{path}: torchlike has no tensor here ({like_env[name]!r:.200})"
            t = got[path]
            if not isinstance(p, torch.Tensor):
                assert type(t) is type(p), f"{path}: {type(t).__name__} != torch {type(p).__name__}"
                assert t == p or np.isclose(t, p, rtol=1e-4, atol=1e-5, equal_nan=True), (
                    f"{path}: {t!r} != torch {p!r}"
                )
                continue
            assert isinstance(t, torchlike.Tensor), f"{path}: {type(t).__name__} is not a Tensor"
            assert tuple(t.shape) == tuple(p.shape), f"{path}: shape {tuple(t.shape)} != {p.shape}"
            assert str(t.dtype) == str(p.dtype), f"{path}: dtype {t.dtype} != torch {p.dtype}"
            if not values:
                continue
            pv, tv = _values(p), _values(t)
            if pv.dtype.kind in "fc":
                np.testing.assert_allclose(
                    tv, pv, rtol=1e-4, atol=1e-5, equal_nan=True, err_msg=path
                )
            else:
                np.testing.assert_array_equal(tv, pv, err_msg=path)
            checked += 1
    return checked


_DOCUMENTED = documented_objects()


def _params():
    for name, doc in _DOCUMENTED:
        marks = ()
        if name in KNOWN_DIFFERENCES:
            marks = pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[name])
        yield pytest.param(doc, id=name, marks=marks)


def test_sweep_finds_the_documented_objects():
    names = {name for name, _ in _DOCUMENTED}
    assert len(names) > 150
    for name in ("torch.nn.Linear", "torch.nn.functional.pad", "torch.nn.utils.rnn.pad_sequence"):
        assert name in names
    assert set(KNOWN_DIFFERENCES) <= names, set(KNOWN_DIFFERENCES) - names


def test_parser_keeps_compound_statements_and_outputs():
    doc = """
        Example::

            >>> def f(x):
            >>>     return x + 1
            >>> f(1)
            2
            >>> y = [1,
            ...      2]
    """
    assert parse_examples(doc) == [
        ("def f(x):\n    return x + 1\nf(1)", "2"),
        ("y = [1,\n     2]", ""),
    ]


def test_output_comparison_allows_only_the_last_printed_digit():
    assert_same_output("x", "tensor([0.1235, 2.0000])", "tensor([0.1234, 2.0000])")
    with pytest.raises(AssertionError):
        assert_same_output("x", "tensor([0.1235, 2.0000])", "tensor([0.1225, 2.0000])")
    with pytest.raises(AssertionError):
        assert_same_output("x", "tensor([1., 2.])", "tensor([1., 2.], dtype=torch.float64)")


@pytest.mark.parametrize("doc", _params())
def test_doc_example(doc, request):
    name = request.node.callspec.id
    parts = shrink(name, parse_examples(doc))
    if not parts:
        pytest.skip("no runnable example")
    groups, torch_run, dropped = run_under_pytorch(parts, name)
    reasons = "; ".join(
        f"group {parts.index(group) + 1} of {len(parts)} does not run under PyTorch here "
        f"({_describe(error)})"
        for group, error in dropped
    )
    if torch_run is None:
        pytest.skip(reasons)
    torch_env, torch_printed = torch_run
    try:
        like_env, like_printed = run_examples(torchlike, groups, name)
    except GroupFailed as failed:
        raise AssertionError(f"torchlike raises in\n{groups[failed.index][0]}") from failed.error
    values = name not in UNINITIALIZED  # (printed values of garbage memory: not compared either)
    for (source, expected), (_, got) in zip(torch_printed, like_printed) if values else ():
        assert_same_output(source, expected, got)
    assert_same_values(torch_env, like_env, values=values)
    if dropped:  # the rest compared equal; say what was left out
        pytest.skip(f"compared {len(groups)} of {len(parts)} groups; {reasons}")
