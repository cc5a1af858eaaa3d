"""`python -m torchlike.bench --smoke`: the training-loop benchmark runs end to end (no timing asserted)."""

import json

import pytest

from torchlike.bench.__main__ import main


def test_smoke_run_writes_rows_table_and_no_recompiles(tmp_path):
    pytest.importorskip("torch")
    rc = main(
        [
            "--smoke",
            "--cases",
            "small",
            "--impls",
            "torchlike,torchlike_auto,torchlike_compile,torch_eager,jax",
            "--out",
            str(tmp_path),
        ]
    )
    assert rc == 0  # non-zero when torchlike recompiled after warm-up
    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    by = {(r["case"], r["impl"]): r for r in rows}
    assert {r["case"] for r in rows} == {"mlp_sgd", "mlp_adam", "lenet_b4", "autoencoder_b256"}
    for case in ("mlp_sgd", "mlp_adam", "lenet_b4", "autoencoder_b256"):
        for impl in ("torchlike", "torchlike_auto", "torchlike_compile", "torch_eager", "jax"):
            r = by[(case, impl)]
            assert "skipped" not in r, r
            assert r["ms_per_step"] > 0 and r["first_step_s"] > 0
        assert by[(case, "torchlike")]["recompiles_after_warmup"] == 0
        assert by[(case, "torchlike_compile")]["recompiles_after_warmup"] == 0
        assert by[(case, "torchlike_auto")]["recompiles_after_warmup"] == 0
    table = (tmp_path / "results.md").read_text()
    assert "| mlp_sgd |" in table and "tl.compile/jax" in table
    assert table.startswith("Machine: ") and "jax memory MB" in table
    assert (tmp_path / "results.png").stat().st_size > 0
    for case in ("mlp_sgd", "autoencoder_b256"):
        # XLA's figure for the step program: parameters in and out, optimizer state, batch
        assert by[(case, "torchlike")]["program_mem_mb"] > 0
        assert by[(case, "jax")]["program_mem_mb"] > 0


def test_interleaved_run_alternates_windows_and_counts_recompiles_per_implementation(tmp_path):
    from torchlike.bench.__main__ import CASES, run_case

    case = next(c for c in CASES if c.name == "mlp_adam")
    rows = run_case(case, ["torchlike", "torchlike_compile", "jax"], "cpu", 2, 3, 2, True)
    assert [r["impl"] for r in rows] == ["torchlike", "torchlike_compile", "jax"]
    for r in rows:
        assert r["interleaved"] is True and r["ms_per_step"] > 0, r
    assert rows[0]["recompiles_after_warmup"] == 0 and rows[1]["recompiles_after_warmup"] == 0
    # the MLP's parameters alone are 0.39 MiB; Adam keeps two moments of them
    assert rows[0]["program_mem_mb"] >= 3 * 0.39


def test_unknown_implementation_is_an_error(tmp_path):
    with pytest.raises(SystemExit):
        main(["--smoke", "--impls", "torchlike,pytorch", "--out", str(tmp_path)])


def test_first_step_runs_fresh_processes_cold_then_warm(tmp_path):
    rc = main(
        ["--first-step", "--cases", "mlp_sgd", "--impls", "torchlike", "--out", str(tmp_path)]
    )
    assert rc == 0
    (row,) = [json.loads(line) for line in (tmp_path / "first_step.jsonl").read_text().splitlines()]
    assert "skipped" not in row, row
    # a whole fresh interpreter: imports, build, compile, one step
    assert 0.2 < row["first_step_cold_s"] < 120 and 0.2 < row["first_step_warm_s"] < 120
    assert "| mlp_sgd | torchlike |" in (tmp_path / "first_step.md").read_text()
