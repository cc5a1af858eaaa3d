"""torch.utils.benchmark.Compare renders the tables PyTorch renders (fixed measurements)."""

import pytest

import torchlike as tl

pt = pytest.importorskip("torch")
pytest.importorskip("torch.utils.benchmark")


def _measurements(lib, envs=(None,), missing=False, noisy=False):
    bm = lib.utils.benchmark
    out = []
    k = 0
    for env in envs:
        for threads in (1, 4):
            for b in (1, 64, 1024):
                for desc, base in (("mul/sum", 3e-6), ("bmm", 7e-6)):
                    if missing and b == 64 and desc == "bmm":
                        continue
                    k += 1
                    med = base * b ** 0.7 / threads
                    spread = 0.4 if noisy and k % 5 == 0 else 0.01
                    times = [med * (1 - spread), med, med * (1 + spread), med * (1 + 0.5 * spread)]
                    spec = bm.TaskSpec(stmt="batched_dot(x, x)", setup="pass", label="Batched dot",
                                       sub_label=f"[{b}, 16]", description=desc, env=env, num_threads=threads)
                    out.append(bm.Measurement(number_per_run=100, raw_times=[t * 100 for t in times],
                                              task_spec=spec))
    spec = bm.TaskSpec(stmt="other()", setup="pass", label="Other", description="d")
    out.append(bm.Measurement(number_per_run=10, raw_times=[2.5e-2, 2.6e-2], task_spec=spec))
    return out


def _render(lib, steps, **kw):
    c = lib.utils.benchmark.Compare(_measurements(lib, **kw))
    for step in steps:
        step(c)
    return str(c)


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [lambda c: c.trim_significant_figures()],
        [lambda c: c.colorize()],
        [lambda c: c.trim_significant_figures(), lambda c: c.colorize(rowwise=True)],
        [lambda c: c.highlight_warnings()],
    ],
    ids=["plain", "trim", "colorize", "trim-rowwise", "warnings"],
)
@pytest.mark.parametrize("kw", [{}, {"envs": ("env A", "env B")}, {"missing": True}, {"noisy": True}],
                         ids=["one-env", "two-envs", "missing-cell", "noisy"])
def test_compare_tables_match_pytorch(steps, kw):
    assert _render(tl, steps, **kw) == _render(pt, steps, **kw)


def test_compare_rejects_non_measurements():
    with pytest.raises(ValueError, match="Expected an instance of `Measurement`"):
        tl.utils.benchmark.Compare([1])
    with pytest.raises(ValueError, match="Expected an instance of `Measurement`"):
        pt.utils.benchmark.Compare([1])


def test_measurement_env_is_the_task_specs():
    for lib in (tl, pt):
        bm = lib.utils.benchmark
        assert bm.Measurement(1, [1e-3], bm.TaskSpec("x", "pass")).env is None
        assert bm.Measurement(1, [1e-3], bm.TaskSpec("x", "pass", env="E")).env == "E"
