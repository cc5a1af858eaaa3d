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
    assert (tmp_path / "results.png").stat().st_size > 0
