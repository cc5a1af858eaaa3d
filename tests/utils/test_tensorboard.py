"""SummaryWriter writes real event files: read them back with tensorboardX's own reader."""

import glob

import numpy as np
import pytest

import torchlike as tl
from torchlike.utils.tensorboard import SummaryWriter

pytest.importorskip("tensorboardX")


def _read_raw(logdir):
    from tensorboardX.proto import event_pb2

    events = []
    for path in glob.glob(f"{logdir}/events.out.tfevents.*"):
        data = open(path, "rb").read()
        pos = 0
        while pos < len(data):
            n = int.from_bytes(data[pos : pos + 8], "little")
            pos += 12
            ev = event_pb2.Event()
            ev.ParseFromString(data[pos : pos + n])
            events.append(ev)
            pos += n + 4
    return events


def test_scalars_images_histograms_text_round_trip(tmp_path):
    with SummaryWriter(log_dir=str(tmp_path)) as w:
        for step in range(3):
            w.add_scalar("loss", tl.tensor(1.0 / (step + 1)), step)
        w.add_scalars("run", {"a": 1.0, "b": tl.tensor(2.0)}, 0)
        w.add_histogram("weights", tl.randn(100), 0)
        w.add_image("img", tl.rand(3, 8, 8), 0)
        w.add_text("note", "hello", 0)
        w.add_images("batch", tl.rand(2, 3, 4, 4), 0)
        w.add_hparams({"lr": 0.1, "bs": 4}, {"hparam/acc": tl.tensor(0.9)})
        w.add_graph(tl.nn.Sequential(tl.nn.Linear(2, 3), tl.nn.Linear(3, 1)))
    events = _read_raw(str(tmp_path))
    scalars = [(e.step, v.simple_value) for e in events for v in e.summary.value if v.tag == "loss"]
    assert scalars == [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    tags = {v.tag for e in events for v in e.summary.value}
    assert {"loss", "weights", "img", "note/text_summary", "batch"} <= tags
    import os

    hp_runs = [
        d
        for d in os.listdir(tmp_path)
        if d not in ("run_a", "run_b") and os.path.isdir(tmp_path / d)
    ]
    hp_events = [e for d in hp_runs for e in _read_raw(str(tmp_path / d))]
    hp_tags = {v.tag for e in hp_events for v in e.summary.value}
    assert "hparam/acc" in hp_tags and any("hparams" in t for t in hp_tags | tags)
    hist = [v.histo for e in events for v in e.summary.value if v.tag == "weights"][0]
    assert hist.num == 100
    img = [v.image for e in events for v in e.summary.value if v.tag == "img"][0]
    assert (img.height, img.width) == (8, 8)
    assert any(e.graph_def for e in events)
    assert glob.glob(f"{tmp_path}/run_a*/*") and glob.glob(f"{tmp_path}/run_b*/*")
    assert np.isfinite(hist.sum)
