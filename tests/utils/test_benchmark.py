"""torch.utils.benchmark: Timer and Measurement report as PyTorch's."""

import re

import pytest

import torchlike as tl
from torchlike.utils.benchmark import Measurement, TaskSpec, Timer

pt = pytest.importorskip("torch")
pytest.importorskip("torch.utils.benchmark")


def _report(lib, timer_kwargs, run):
    m = run(lib.utils.benchmark.Timer(**timer_kwargs))
    text = re.sub(r"0x[0-9a-f]+", "0x", str(m))
    return [line for line in text.splitlines() if not re.search(r"\d (ns|us|ms|s)\b", line)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"stmt": "x + 1", "globals": {"x": None}},
        {"stmt": "x * 2", "setup": "y = 2", "label": "L", "sub_label": "S", "description": "D"},
        {"stmt": "for _ in range(2):\n    x + 1", "setup": "a = 1\nb = 2"},
    ],
)
def test_timeit_report_matches_pytorch(kwargs):
    def run(lib):
        kw = dict(kwargs, globals={"x": lib.ones(3)})
        return _report(lib, kw, lambda t: t.timeit(5))

    assert run(tl) == run(pt)


def test_measurement_statistics_and_multi_run_report():
    spec = TaskSpec(stmt="f()", setup="pass")
    m = Measurement(number_per_run=10, raw_times=[1e-3, 2e-3, 3e-3, 4e-3], task_spec=spec)
    ref = pt.utils.benchmark.Measurement(
        number_per_run=10,
        raw_times=[1e-3, 2e-3, 3e-3, 4e-3],
        task_spec=pt.utils.benchmark.utils.common.TaskSpec(stmt="f()", setup="pass"),
    )
    assert m.times == ref.times
    assert (m.median, m.mean, m.iqr) == pytest.approx((ref.median, ref.mean, ref.iqr))
    assert m.has_warnings == ref.has_warnings
    assert re.sub(r"0x[0-9a-f]+", "", repr(m)) == re.sub(r"0x[0-9a-f]+", "", repr(ref))


def test_timer_waits_for_lazy_work_and_autoranges():
    x = tl.randn(64, 64)
    m = Timer(stmt="(x @ x).sum()", globals={"x": x}).blocked_autorange(min_run_time=0.01)
    assert m.number_per_run >= 1 and len(m.raw_times) >= 1 and m.median > 0
    from torchlike._context import state

    assert not (state.graph and state.graph.nodes)  # each timed block ran its work
    with pytest.raises(ValueError, match="only a `str` stmt"):
        Timer(stmt=lambda: None)
