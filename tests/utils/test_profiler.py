"""torch.profiler and torch.autograd.profiler: events, nesting, key averages, tables, schedule, traces."""

import gzip
import json
import os
import warnings

import pytest

pt = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402
from torchlike._context import state  # noqa: E402


def _model(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))


def _profile_inference(torch, **kwargs):
    model = _model(torch)
    x = torch.randn(5, 8)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], **kwargs) as prof:
        with torch.profiler.record_function("model_inference"):
            model(x).sum().item()
    return prof


def _table_header(table: str) -> list:
    return [h.strip() for h in table.splitlines()[1].split("  ") if h.strip()]


def test_ops_inside_record_function_are_its_children():
    prof = _profile_inference(tl)
    events = prof.events()
    block = next(e for e in events if e.name == "model_inference")
    inside = [e.name for e in events if e.cpu_parent is block]
    assert inside[:2] == ["aten::linear", "aten::relu"]
    assert "torchlike::flush" in inside  # .item() ran the program inside the block
    assert block.cpu_time_total >= sum(c.cpu_time_total for c in block.cpu_children)
    assert block.self_cpu_time_total == pytest.approx(
        block.cpu_time_total - sum(c.cpu_time_total for c in block.cpu_children)
    )


def test_key_averages_name_and_count_the_ops_as_pytorch_does():
    keys = {}
    for torch in (pt, tl):
        avg = _profile_inference(torch).key_averages()
        keys[torch] = {e.key: e.count for e in avg}
        for e in avg:
            assert e.cpu_time_total >= 0 and e.self_cpu_time_total <= e.cpu_time_total + 1e-6
            assert e.input_shapes == ""  # not grouped by shape
    for name in ("model_inference", "aten::linear", "aten::relu", "aten::sum"):
        assert keys[tl][name] == keys[pt][name], name


def test_record_shapes_groups_by_input_shape_like_pytorch():
    shapes = {}
    for torch in (pt, tl):
        avg = _profile_inference(torch, record_shapes=True).key_averages(group_by_input_shape=True)
        shapes[torch] = sorted(str(e.input_shapes) for e in avg if e.key == "aten::linear")
        assert [e.count for e in avg if e.key == "aten::linear"] == [1, 1]
    assert shapes[tl] == shapes[pt]


def test_table_has_pytorch_columns_and_footer():
    for kwargs in ({}, {"profile_memory": True}, {"record_shapes": True}):
        tables = [_profile_inference(torch, **kwargs).key_averages(group_by_input_shape=bool(kwargs))
                  .table(sort_by="cpu_time_total", row_limit=3) for torch in (pt, tl)]
        assert _table_header(tables[1]) == _table_header(tables[0])
        lines = tables[1].splitlines()
        assert len(lines) == 3 + 3 + 2  # separator, header, separator, 3 rows, separator, footer
        assert lines[0] == lines[2] == lines[-2] and set(lines[0]) == {"-", " "}
        assert lines[-1].startswith("Self CPU time total: ")
        assert len(lines[1]) == len(lines[0])


def test_table_sort_by_orders_rows():
    avg = _profile_inference(tl).key_averages()
    table = avg.table(sort_by="self_cpu_time_total", row_limit=100)
    names = [line[: line.index("  ", line.index(line.strip()))].strip() for line in table.splitlines()[3:-2]]
    expected = [e.key for e in sorted(avg, key=lambda e: e.self_cpu_time_total, reverse=True)]
    assert names == expected


def test_memory_columns_count_output_bytes():
    avg = _profile_inference(tl, profile_memory=True).key_averages()
    by_key = {e.key: e for e in avg}
    assert by_key["aten::relu"].self_cpu_memory_usage == 5 * 16 * 4
    assert by_key["model_inference"].cpu_memory_usage >= 5 * 16 * 4 * 2


def test_chrome_trace_is_valid_json(tmp_path):
    prof = _profile_inference(tl, record_shapes=True)
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    doc = json.loads(path.read_text())
    spans = [e for e in doc["traceEvents"] if e["ph"] == "X"]
    names = {e["name"] for e in spans}
    assert {"model_inference", "aten::linear", "aten::relu"} <= names
    for e in spans:
        assert e["dur"] >= 0 and isinstance(e["ts"], float)
    linear = next(e for e in spans if e["name"] == "aten::linear")
    assert linear["args"]["Input Dims"] == [[5, 8], [16, 8], [16]]
    gz = tmp_path / "trace.json.gz"
    prof.export_chrome_trace(str(gz))
    assert json.loads(gzip.decompress(gz.read_bytes()))["traceEvents"]


def test_nothing_is_recorded_outside_a_profile():
    x = tl.randn(3)
    with tl.profiler.profile() as prof:
        pass
    (x + 1).sum().item()
    assert len(prof.events()) == 0
    assert state.profiler is None and state.profile_ops is None


def test_record_function_as_decorator_and_without_a_profiler():
    @tl.profiler.record_function("my_fn")
    def f(x):
        return x * 2

    f(tl.ones(2))  # no profiler: nothing to record, no error
    with tl.profiler.profile() as prof:
        f(tl.ones(2))
        f(tl.ones(2))
    avg = {e.key: e for e in prof.key_averages()}
    assert avg["my_fn"].count == 2
    assert avg["aten::mul"].count == 2
    assert all(e.cpu_parent.name == "my_fn" for e in prof.events() if e.name == "aten::mul")


def test_start_stop_without_context_manager():
    x = tl.ones(3)
    p = tl.profiler.profile()
    p.start()
    x.relu()
    p.stop()
    x.exp()
    assert [e.key for e in p.key_averages()] == ["aten::relu"]


@pytest.mark.parametrize("kwargs", [
    dict(wait=1, warmup=1, active=2),
    dict(wait=1, warmup=1, active=2, repeat=2),
    dict(wait=0, warmup=2, active=1, repeat=1, skip_first=3),
    dict(wait=2, warmup=1, active=3, repeat=0, skip_first=1, skip_first_wait=1),
], ids=["basic", "repeat", "skip_first", "skip_first_wait"])
def test_schedule_actions_match_pytorch(kwargs):
    ours = tl.profiler.schedule(**kwargs)
    theirs = pt.profiler.schedule(**kwargs)
    for step in range(30):
        assert ours(step).name == theirs(step).name, step


def test_schedule_rejects_what_pytorch_rejects():
    for torch in (pt, tl):
        with pytest.raises(AssertionError, match="Invalid profiler schedule arguments"):
            torch.profiler.schedule(wait=1, warmup=1, active=0)
    with pytest.warns(UserWarning, match="won't be using warmup"):
        tl.profiler.schedule(wait=1, warmup=0, active=1)


def _run_schedule(torch, handler_dir=None):
    ready = []
    model = _model(torch)
    x = torch.randn(3, 8)
    handler = torch.profiler.tensorboard_trace_handler(handler_dir) if handler_dir else None

    def on_ready(p):
        steps = sorted(e.trace_name for e in p.events() if e.name == "ProfilerStep*")
        ready.append((p.step_num, steps, {e.key: e.count for e in p.key_averages()}.get("fwd")))
        if handler:
            handler(p)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = torch.profiler.schedule(wait=1, warmup=1, active=2, repeat=2, skip_first=1)
        with torch.profiler.profile(schedule=sched, on_trace_ready=on_ready) as p:
            for _ in range(10):
                with torch.profiler.record_function("fwd"):
                    model(x).sum()
                p.step()
    return ready


def test_schedule_drives_recording_and_on_trace_ready_like_pytorch(tmp_path):
    ours = _run_schedule(tl, str(tmp_path / "tb"))
    assert ours == _run_schedule(pt)
    assert ours == [(5, ["ProfilerStep#3", "ProfilerStep#4"], 2), (9, ["ProfilerStep#7", "ProfilerStep#8"], 2)]
    files = sorted(os.listdir(tmp_path / "tb"))
    assert len(files) == 2 and all(f.endswith(".pt.trace.json") for f in files)
    doc = json.loads((tmp_path / "tb" / files[0]).read_text())
    assert {"ProfilerStep#3", "ProfilerStep#4", "fwd"} <= {e["name"] for e in doc["traceEvents"]}


def test_autograd_profiler_legacy_api():
    x, w = tl.ones(2, 3), tl.ones(4, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with tl.autograd.profiler.profile(use_cuda=True, record_shapes=True) as prof:
            with tl.autograd.profiler.record_function("LINEAR PASS"):
                tl.nn.functional.linear(x, w)
    messages = [str(w.message) for w in caught]
    if not tl.cuda.is_available():
        assert "CUDA is not available, disabling CUDA profiling" in messages
    assert any("use_cuda" in m for m in messages)
    assert [e.key for e in prof.key_averages()] == ["LINEAR PASS", "aten::linear"]
    assert prof.self_cpu_time_total == pytest.approx(sum(e.self_cpu_time_total for e in prof.function_events))
    with pytest.raises(RuntimeError, match="Profiler context manager is not reentrant"):
        with prof:
            pass


def test_emit_nvtx_needs_cuda_as_in_pytorch():
    if pt.cuda.is_available() or tl.cuda.is_available():
        pytest.skip("a CUDA host")
    for torch in (pt, tl):
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            with torch.autograd.profiler.emit_nvtx():
                pass


def test_cuda_activity_without_cuda_warns_and_profiles_cpu():
    if tl.cuda.is_available():
        pytest.skip("a CUDA host")
    with pytest.warns(UserWarning, match="CUDA is not available, disabling CUDA profiling"):
        with tl.profiler.profile(activities=[tl.profiler.ProfilerActivity.CPU, tl.profiler.ProfilerActivity.CUDA]) as p:
            tl.ones(2).exp()
    assert [e.key for e in p.key_averages()] == ["aten::ones", "aten::exp"]


def test_profiler_enums_match_pytorch():
    for name in ("CPU", "CUDA", "XPU"):
        assert getattr(tl.profiler.ProfilerActivity, name).value == int(getattr(pt.profiler.ProfilerActivity, name).value)
    assert [a.name for a in tl.profiler.ProfilerAction] == [a.name for a in pt.profiler.ProfilerAction][:4]
    assert {a.name for a in tl.profiler.supported_activities()} >= {"CPU"}
