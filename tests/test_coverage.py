"""The API coverage report (torchlike/coverage.py): percentages come from the names, the report
runs as ``python -m torchlike.coverage``, and the committed snapshot matches the installed torch."""

import json
import re
import subprocess
import sys
import types

import pytest

import torchlike as tl
from torchlike import coverage


def _by_namespace(report):
    return {c.namespace: c for c in report}


def test_percentages_are_computed_from_the_names():
    report = _by_namespace(
        coverage.measure(
            {
                "torch": ["abs", "no_such_torch_name_1"],
                "torch.nn": ["Linear", "Conv2d", "NoSuchLayer1", "NoSuchLayer2", "NoSuchLayer3"],
                "torch.Tensor": [
                    "add_",
                    "no_such_method_1",
                    "no_such_method_2",
                    "no_such_method_3",
                ],
            }
        )
    )
    assert report["torch"].percent == pytest.approx(50.0)
    assert report["torch"].provided == ["abs"]
    assert report["torch"].missing == ["no_such_torch_name_1"]
    assert report["torch.nn"].percent == pytest.approx(40.0)
    assert report["torch.nn"].missing == ["NoSuchLayer1", "NoSuchLayer2", "NoSuchLayer3"]
    assert report["torch.Tensor"].percent == pytest.approx(25.0)
    assert set(report) == {"torch", "torch.nn", "torch.Tensor"}


def test_registry_backed_names_are_counted():
    report = _by_namespace(
        coverage.measure({"torch": ["abs", "is_tensor"], "torch.Tensor": ["abs", "view"]})
    )
    # abs is an @op registration; is_tensor and Tensor.view are Python-level
    assert report["torch"].from_registry == 1
    assert report["torch.Tensor"].from_registry == 1


def test_non_goals_are_left_out_of_the_in_scope_percentage():
    (c,) = coverage.measure({"torch": ["abs", "miopen_convolution", "no_such_torch_name_2"]})
    assert c.percent == pytest.approx(100 / 3)
    assert c.missing_non_goals == ["miopen_convolution"]
    assert c.missing_goals == ["no_such_torch_name_2"]
    assert c.percent_in_scope == pytest.approx(50.0)


def test_public_names_follow_all_then_module_of_definition():
    mod = types.ModuleType("pkg.sub")
    mod.__all__ = ["b", "a", "a"]
    assert coverage.public_names(mod, "pkg.sub") == ["a", "b"]

    plain = types.ModuleType("pkg.sub")

    def mine():
        pass

    mine.__module__ = "pkg.sub.impl"

    def foreign():
        pass

    foreign.__module__ = "typing"
    plain.mine, plain.foreign, plain._hidden, plain.os = mine, foreign, mine, json
    assert coverage.public_names(plain, "pkg.sub") == ["mine"]

    class K:
        x = 1
        _y = 2

        def meth(self):
            pass

    assert coverage.public_names(K, "pkg") == ["meth", "x"]


def test_torchlike_alias_is_never_taken_for_the_real_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", tl)
    assert coverage._real_module("torch") is None


def test_report_lists_every_namespace_with_its_computed_percentage(tmp_path):
    out = tmp_path / "coverage.md"
    report = coverage.main(["--snapshot", "--output", str(out), "--quiet"])
    text = out.read_text()
    assert [c.namespace for c in report] == list(coverage.NAMESPACES)
    for c in report:
        assert c.total == len(c.names) > 0
        assert len(c.provided) + len(c.missing) == c.total
        row = re.search(
            rf"^\| `{re.escape(c.namespace)}` \| (\d+) \| (\d+) \| ([\d.]+)% \|", text, re.M
        )
        assert row, c.namespace
        assert (int(row[1]), int(row[2])) == (len(c.provided), c.total)
        assert float(row[3]) == pytest.approx(100 * len(c.provided) / c.total, abs=0.05)
        for name in c.missing[:5]:
            assert f"`{name}`" in text
    cov = _by_namespace(report)
    assert "Linear" in cov["torch.nn"].provided
    assert "DataLoader" in cov["torch.utils.data"].provided
    assert "Compose" in cov["torchvision.transforms"].provided


def test_snapshot_holds_every_namespace():
    snap = coverage.load_snapshot()
    assert set(snap["namespaces"]) == set(coverage.NAMESPACES)
    assert set(snap["sources"]) == set(coverage.NAMESPACES)
    for ns, names in snap["namespaces"].items():
        assert names == sorted(set(names)), ns
    assert {"resnet18", "ResNet18_Weights", "vit_b_16"} <= set(
        snap["namespaces"]["torchvision.models"]
    )


def test_snapshot_is_current_with_installed_torch():
    pt = pytest.importorskip("torch")
    snap = coverage.load_snapshot()
    if snap["sources"]["torch"] != f"torch {pt.__version__}":
        pytest.skip("installed torch differs from the snapshot's")
    live, _ = coverage.installed_reference()
    for ns in (
        "torch",
        "torch.Tensor",
        "torch.nn",
        "torch.nn.functional",
        "torch.optim",
        "torch.utils.data",
    ):
        assert live[ns] == snap["namespaces"][ns], ns


def test_python_m_torchlike_coverage_runs(tmp_path):
    out = tmp_path / "cov.md"
    res = subprocess.run(
        [sys.executable, "-m", "torchlike.coverage", "--snapshot", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "torch.nn.functional" in res.stdout
    assert out.read_text().startswith("# API coverage")
