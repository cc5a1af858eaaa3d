"""The usage examples in PyTorch's own docstrings, run under real PyTorch and under torchlike.

For every top-level ``torch.*`` function (with ``torch.linalg``, ``torch.special`` and
``torch.fft``) and every ``torch.Tensor`` method whose ``__doc__`` holds ``>>>`` examples, the
examples are read from the installed PyTorch at test time (nothing of PyTorch's text is kept
here) and run twice, step by step, as the interactive interpreter would: once with ``torch``
bound to PyTorch and once with ``torch`` bound to torchlike, each after ``manual_seed(0)``
(torchlike draws PyTorch's CPU random streams). ``import torch...`` inside an example resolves
to the library under test.

Compared, for each ``>>>`` step PyTorch ran: what it printed (the repr of an expression
statement, ``print`` output) and, for an error the docstring shows, the exception type. Printed
text must be the same; where PyTorch's own output differs from its docstring (random values,
stale docs) numbers are compared with a tolerance instead of character for character. Then every
tensor the example leaves behind is compared by shape, dtype and value.

An example PyTorch cannot run here (CUDA, placeholders, undefined names, files, downloads) has
its failing steps left out; one with no step left is skipped with PyTorch's error as the reason.
"""

from __future__ import annotations

import builtins
import contextlib
import doctest
import inspect
import io
import itertools
import math
import re
import sys
import time

import numpy as np
import pytest

real_torch = pytest.importorskip("torch")

import torchlike  # noqa: E402
from torchlike import _import_hook  # noqa: E402

NAMESPACES = (
    ("torch", real_torch, "torch"),
    ("torch.linalg", real_torch.linalg, "torch.linalg"),
    ("torch.special", real_torch.special, "torch.special"),
    ("torch.fft", real_torch.fft, "torch.fft"),
)

# functions whose examples are not run at all (the reason is the skip message)
NOT_RUN: dict[str, str] = {}

# examples that print the rounding error of an ill-conditioned computation: qualified name ->
# (absolute tolerance for printed numbers, why)
ROUNDOFF = {
    "torch.cholesky_inverse": (1e-3, "prints dist(inverse(A), cholesky_inverse(L)) of an ill-conditioned A"),
}

# deliberate, documented differences: qualified name -> reason (strict xfail)
_SPARSE_COMPRESSED = "sparse CSR/CSC/BSR/BSC layouts are not supported by torchlike (COO only)"
_NUMPY_ALIAS = "memory shared with NumPy/buffers cannot alias device memory (docs/design.md, Tensor)"
_NO_CONJ_BIT = "torchlike has no lazy conjugate/negative bits: conj() and neg views are physical"
_QUANTIZED = "this quantized op is not supported by torchlike (torchlike/_quantized.py lists what is)"
_ROUNDING = "decided by last-bit float32 rounding (XLA's kernels sum in another order than PyTorch's)"
KNOWN_DIFFERENCES: dict[str, str] = {
    "torch.Tensor.col_indices": _SPARSE_COMPRESSED,
    "torch.Tensor.crow_indices": _SPARSE_COMPRESSED,
    "torch.Tensor.to_sparse": _SPARSE_COMPRESSED,
    "torch.Tensor.to_sparse_bsc": _SPARSE_COMPRESSED,
    "torch.Tensor.to_sparse_bsr": _SPARSE_COMPRESSED,
    "torch.Tensor.to_sparse_csc": _SPARSE_COMPRESSED,
    "torch.Tensor.to_sparse_csr": _SPARSE_COMPRESSED,
    "torch.sparse_bsc_tensor": _SPARSE_COMPRESSED,
    "torch.sparse_bsr_tensor": _SPARSE_COMPRESSED,
    "torch.sparse_compressed_tensor": _SPARSE_COMPRESSED,
    "torch.sparse_csc_tensor": _SPARSE_COMPRESSED,
    "torch.sparse_csr_tensor": _SPARSE_COMPRESSED,
    "torch.asarray": _NUMPY_ALIAS + ": data_ptr() of a tensor is not the array's address",
    "torch.frombuffer": _NUMPY_ALIAS,
    "torch.from_dlpack": "a DLPack capsule made by PyTorch's to_dlpack cannot be consumed by torchlike",
    "torch.from_file": "torch.from_file (memory-mapped storages) is not supported by torchlike",
    "torch.is_storage": "torch.TypedStorage is not supported by torchlike",
    "torch.hash_tensor": "torch.hash_tensor is not supported by torchlike",
    "torch.conj": _NO_CONJ_BIT,
    "torch.resolve_conj": _NO_CONJ_BIT,
    "torch.resolve_neg": _NO_CONJ_BIT,
    "torch.empty_strided": "torchlike tensors are dense with row-major strides: stride() ignores the requested strides",
    "torch.empty_permuted": "torch.empty_permuted (explicit physical layouts) is not supported by torchlike",
    "torch.as_strided_scatter": "torch.as_strided_scatter is not supported by torchlike",
    "torch.Tensor.dim_order": "dim_order(ambiguity_check=True) is not supported by torchlike",
    "torch.Tensor.grad_dtype": "Tensor.grad_dtype is not supported by torchlike",
    "torch.narrow_copy": "narrow_copy of a sparse COO tensor is not supported by torchlike",
    "torch.fake_quantize_per_channel_affine": _QUANTIZED,
    "torch.fake_quantize_per_tensor_affine": _QUANTIZED,
    "torch.quantize_per_tensor_dynamic": _QUANTIZED,
    "torch.quantized_batch_norm": _QUANTIZED,
    "torch.quantized_max_pool1d": _QUANTIZED,
    "torch.quantized_max_pool2d": _QUANTIZED,
    "torch.linalg.ldl_factor": "LAPACK's Bunch-Kaufman LDL^T (sytrf) is not supported: raises NotImplementedError",
    "torch.linalg.ldl_factor_ex": "LAPACK's Bunch-Kaufman LDL^T (sytrf) is not supported: raises NotImplementedError",
    "torch.linalg.ldl_solve": "LAPACK's Bunch-Kaufman LDL^T (sytrf) is not supported: raises NotImplementedError",
    "torch.set_default_device": "torchlike checks the device when it is named: a CUDA default device raises on a CPU host",
    "torch.set_default_dtype": "complex32 (ComplexHalf) is not supported by torchlike",
    "torch.set_flush_denormal": "flushing denormals is not supported by torchlike: set_flush_denormal returns False",
    "torch.sort": "the order of equal elements under stable=False is PyTorch's kernel's; torchlike sorts stably",
    "torch.linalg.solve_triangular": "allclose(X @ A, B) with atol=1e-8 is " + _ROUNDING,
    "torch.fft.hfft2": "allclose(roundtrip, T) is " + _ROUNDING,
    "torch.fft.hfftn": "allclose(roundtrip, T) is " + _ROUNDING,
}


# --- collecting the examples ----------------------------------------------------------------


def _documented():
    """(qualified name, docstring) for each documented function with ``>>>`` examples."""
    for prefix, module, _ in NAMESPACES:
        for name in sorted(dir(module)):
            if name.startswith("_"):
                continue
            obj = getattr(module, name, None)
            if obj is None or inspect.ismodule(obj) or inspect.isclass(obj) or not callable(obj):
                continue
            doc = getattr(obj, "__doc__", None) or ""
            if ">>>" in doc:
                yield f"{prefix}.{name}", doc
    for name in sorted(dir(real_torch.Tensor)):
        if name.startswith("_"):
            continue
        doc = getattr(getattr(real_torch.Tensor, name, None), "__doc__", None) or ""
        if ">>>" in doc:
            yield f"torch.Tensor.{name}", doc


_PARSER = doctest.DocTestParser()


def _examples(doc: str) -> list[doctest.Example]:
    """The docstring's ``>>>`` steps, each with the output it shows."""
    try:
        return _PARSER.get_examples(inspect.cleandoc(doc))
    except ValueError:  # inconsistent indentation: parse block by block
        steps = []
        for block in re.split(r"\n\s*\n", doc):
            with contextlib.suppress(ValueError):
                steps += _PARSER.get_examples(inspect.cleandoc(block))
        return steps


def _cases():
    params = []
    for qualname in _DOCS:
        marks = []
        if qualname in NOT_RUN:
            marks.append(pytest.mark.skip(reason=NOT_RUN[qualname]))
        if qualname in KNOWN_DIFFERENCES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[qualname]))
        params.append(pytest.param(qualname, id=qualname, marks=marks))
    return params


# --- running one example under one library -------------------------------------------------


def _importer(lib):
    """``__import__`` that serves ``torch``/``torch.*`` from ``lib``."""
    real_import = builtins.__import__
    if lib is real_torch:
        return real_import

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        target = _import_hook._target(name) if level == 0 else None
        return real_import(target or name, globals, locals, fromlist, level)

    return import_


class Step:
    """What one ``>>>`` step did: its printed text, or the exception it raised."""

    __slots__ = ("text", "error")

    def __init__(self, text: str, error: BaseException | None):
        self.text = text
        self.error = error

    def __repr__(self):
        return f"Step({self.text!r}, {self.error!r})"


@contextlib.contextmanager
def _isolated(lib):
    """Seeded run that leaves the library's global settings as it found them."""
    lib.manual_seed(0)
    dtype = lib.get_default_dtype()
    grad = lib.is_grad_enabled()
    deterministic = lib.are_deterministic_algorithms_enabled()
    threads = lib.get_num_threads() if hasattr(lib, "get_num_threads") else None
    matmul = lib.get_float32_matmul_precision()
    device = lib.get_default_device()
    hook = sys.displayhook
    try:
        yield
    finally:
        sys.displayhook = hook
        lib.set_default_device(None if device.type == "cpu" else device)
        lib.set_default_dtype(dtype)
        lib.set_grad_enabled(grad)
        lib.use_deterministic_algorithms(deterministic)
        lib.set_printoptions(profile="default")
        lib.set_float32_matmul_precision(matmul)
        if threads is not None and lib.get_num_threads() != threads:
            lib.set_num_threads(threads)


def run_example(steps: list[doctest.Example], lib) -> tuple[list[Step], dict]:
    """Run the steps one by one in a fresh namespace; returns each step's outcome and the names
    left behind."""
    ns = {
        "__name__": "__doc_example__",
        "__builtins__": dict(vars(builtins), __import__=_importer(lib)),
        "torch": lib,
        # the names PyTorch's examples take as already imported
        "F": lib.nn.functional,
        "nn": lib.nn,
        "math": math,
        "np": np,
        "numpy": np,
        "io": io,
        "itertools": itertools,
    }
    out = []
    with _isolated(lib):
        for step in steps:
            buf = io.StringIO()

            def display(value, buf=buf):
                if value is not None:
                    buf.write(repr(value) + "\n")

            sys.displayhook = display
            error = None
            try:
                code = compile(step.source, "<example>", "single")
                with contextlib.redirect_stdout(buf):
                    exec(code, ns)
            except Exception as e:  # noqa: BLE001 - the outcome is what is compared
                error = e
            out.append(Step(buf.getvalue(), error))
    return out, ns


# --- comparing ------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|inf|nan)(?:[-+](?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)j)?(?![\w.])"
)


def _split(text: str) -> tuple[str, list[str]]:
    """Text with every number replaced by a marker, and the numbers."""
    numbers = _NUMBER.findall(text)
    skeleton = _NUMBER.sub("#", text)
    return re.sub(r"\s+", "", skeleton), numbers


def _decimals(token: str) -> int:
    mantissa = re.split(r"e", token)[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _close_number(a: str, b: str, exact: bool, atol: float) -> bool:
    if a == b:
        return True
    if "j" in a or "j" in b:
        ca, cb = complex(a.replace("inf", "1e999")), complex(b.replace("inf", "1e999"))
        parts = [(ca.real, cb.real), (ca.imag, cb.imag)]
    else:
        parts = [(float(a), float(b))]
    if exact and (_decimals(a) != _decimals(b) or ("e" in a) != ("e" in b)):
        return False
    # one unit in the last printed digit (float32 sums in another order), plus a relative slack
    unit = 10.0 ** -min(_decimals(a), _decimals(b))
    for x, y in parts:
        if math.isnan(x) or math.isnan(y):
            if not (math.isnan(x) and math.isnan(y)):
                return False
            continue
        if x == y:
            continue
        scale = max(abs(x), abs(y))
        if "e" in a or "e" in b:  # scientific notation: the unit is relative
            unit_abs = scale * 10.0 ** -min(_decimals(a), _decimals(b)) * 1.01
        else:
            unit_abs = unit * 1.01
        slack = unit_abs + (1e-6 if exact else 1e-3) * scale + atol
        if not abs(x - y) <= slack:
            return False
    return True


def same_text(got: str, expected: str, exact: bool, atol: float | None = None) -> bool:
    """``exact``: the same characters but for a last-digit difference in a number. Otherwise the
    same text ignoring spacing, with numbers equal within a tolerance. Numbers within ``atol``
    (by default the rounding error of sums of O(1) values in the printed dtype: what an example's
    ``torch.dist(A @ X, B)`` measures) are equal."""
    if got == expected:
        return True
    (gs, gn), (es, en) = _split(got), _split(expected)
    if gs != es or len(gn) != len(en):
        return False
    if atol is None:
        atol = 1e-12 if re.search(r"float64|complex128", expected) else 1e-5
    return all(_close_number(g, e, exact, atol) for g, e in zip(gn, en))


def _normal_want(want: str) -> str:
    return "\n".join(line.rstrip() for line in want.strip().splitlines())


def _to_numpy(t):
    t = t.detach()
    if t.layout is not getattr(t, "layout", None) or getattr(t, "is_sparse", False):
        t = t.to_dense()
    if t.dtype.is_complex:
        return t.resolve_conj().cpu().numpy() if hasattr(t, "resolve_conj") else t.numpy()
    if str(t.dtype) in ("torch.bfloat16", "torch.float16"):
        t = t.float()
    return t.cpu().numpy() if hasattr(t, "cpu") else t.numpy()


def _compare_tensor(name, got, expected, values=True):
    assert isinstance(got, torchlike.Tensor), f"{name}: {type(got).__name__} is not a Tensor"
    assert tuple(got.shape) == tuple(expected.shape), f"{name}: shape {got.shape}"
    assert str(got.dtype) == str(expected.dtype), f"{name}: dtype {got.dtype}"
    if not values or expected.is_quantized or expected.layout != real_torch.strided:
        return
    e, g = _to_numpy(expected), _to_numpy(got)
    if e.dtype.kind in "fc":
        rtol, atol = (1e-9, 1e-9) if e.dtype in (np.float64, np.complex128) else (1e-4, 1e-5)
        np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, err_msg=name)
    else:
        np.testing.assert_array_equal(g, e, err_msg=name)


def _compare_left_behind(got_ns, expected_ns, again_ns):
    for name, value in expected_ns.items():
        if name.startswith("__") or value is real_torch:
            continue
        items = [(name, value)]
        again = {name: again_ns.get(name)}
        if isinstance(value, (tuple, list)) and all(
            isinstance(v, real_torch.Tensor) for v in value
        ):
            assert isinstance(got_ns.get(name), (tuple, list)), name
            assert len(got_ns[name]) == len(value), name
            items = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
            got_items = dict(zip((n for n, _ in items), got_ns[name]))
            again = dict(zip((n for n, _ in items), again_ns.get(name) or ()))
        else:
            got_items = {name: got_ns.get(name)}
        for n, v in items:
            if isinstance(v, real_torch.Tensor) and type(v) is real_torch.Tensor:
                _compare_tensor(n, got_items[n], v, values=not _unstable(v, again.get(n)))


def _unstable(a, b) -> bool:
    """Whether two PyTorch runs of the same thing differ (uninitialised memory, identities)."""
    if isinstance(a, real_torch.Tensor) and isinstance(b, real_torch.Tensor):
        if a.is_quantized or a.layout != real_torch.strided or a.device.type != "cpu":
            return False
        x, y = _to_numpy(a), _to_numpy(b)
        return x.shape != y.shape or not np.array_equal(x, y, equal_nan=x.dtype.kind in "fc")
    return False


_ADDRESS = re.compile(r"<[^<>\n]* at 0x[0-9a-fA-F]+>")


def _printed(step: Step) -> str:
    """A step's printed text, with object identities (``<... at 0x...>``) made comparable."""
    return _ADDRESS.sub("<object at 0x...>", step.text)


_DOCS = dict(_documented())


@pytest.mark.parametrize("qualname", _cases())
def test_doc_example(qualname, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that save files write them here
    steps = _examples(_DOCS[qualname])
    expected, expected_ns = run_example(steps, real_torch)
    again, again_ns = run_example(steps, real_torch)  # what varies from run to run
    runnable = [r.error is None or s.exc_msg is not None for s, r in zip(steps, expected)]
    if not steps:
        pytest.skip("no >>> step of its docstring parses as a doctest example")
    if not any(runnable):
        first = next((r.error for r in expected if r.error is not None), None)
        pytest.skip(f"PyTorch cannot run it here: {type(first).__name__}: {first}"[:200])
    got, got_ns = run_example(steps, torchlike)
    for step, ok, exp, exp2, res in zip(steps, runnable, expected, again, got):
        if not ok:
            continue
        where = f"{qualname}: >>> {step.source.strip()}"
        if exp.error is not None:
            assert res.error is not None, f"{where}\nPyTorch raised {exp.error!r}, torchlike did not"
            assert type(res.error).__name__ == type(exp.error).__name__, (
                f"{where}\nPyTorch raised {exp.error!r}, torchlike {res.error!r}"
            )
            continue
        if res.error is not None:
            raise AssertionError(f"{where}\ntorchlike raised {res.error!r}") from res.error
        text, got_text = _printed(exp), _printed(res)
        if text != _printed(exp2):  # varies from run to run: only the layout is compared
            assert _split(got_text)[0] == _split(text)[0], f"{where}\n{text}--- torchlike:\n{got_text}"
            continue
        exact = _normal_want(text) == _normal_want(step.want)
        assert same_text(got_text, text, exact, ROUNDOFF.get(qualname, (None,))[0]), (
            f"{where}\n--- PyTorch ({'as documented' if exact else 'not as documented'}):\n"
            f"{text}--- torchlike:\n{got_text}"
        )
    _compare_left_behind(got_ns, expected_ns, again_ns)


if __name__ == "__main__":  # a quick census: python tests/test_ops_doc_examples.py [name...]
    names = sys.argv[1:] or list(_DOCS)
    for qualname in names:
        t0 = time.perf_counter()
        steps = _examples(_DOCS[qualname])
        expected, _ = run_example(steps, real_torch)
        t1 = time.perf_counter()
        bad = [r.error for s, r in zip(steps, expected) if r.error is not None and s.exc_msg is None]
        print(f"{qualname:40s} {len(steps):3d} steps {t1 - t0:6.2f}s  torch-errors={len(bad)}"
              + (f" {type(bad[0]).__name__}: {str(bad[0])[:80]!r}" if bad else ""))
