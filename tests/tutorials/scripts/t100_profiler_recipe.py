# The "Profiling your PyTorch module" and "PyTorch Profiler" recipes, printing what is deterministic:
# which labels and ops were recorded, how often, the table's columns, and the schedule's cycles.
import json
import os
import tempfile

import numpy as np
import torch
import torch.autograd.profiler as profiler
from torch import nn
from torch.profiler import (
    ProfilerActivity,
    profile,
    record_function,
    schedule,
    tensorboard_trace_handler,
)

torch.manual_seed(0)


class MyModule(nn.Module):
    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features, bias)

    def forward(self, input, mask):
        with profiler.record_function("LINEAR PASS"):
            out = self.linear(input)
        with profiler.record_function("MASK INDICES"):
            threshold = out.sum(axis=1).mean().item()
            hi_idx = np.argwhere(mask.cpu().numpy() > threshold)
            hi_idx = torch.from_numpy(hi_idx)
        return out, hi_idx


model = MyModule(50, 10)
input = torch.rand(16, 50)
mask = torch.rand((20, 20, 20), dtype=torch.double)
model(input, mask)  # warm-up

with profiler.profile(with_stack=True, profile_memory=True) as prof:
    out, idx = model(input, mask)
avg = {e.key: e for e in prof.key_averages()}
for label in ("LINEAR PASS", "MASK INDICES"):
    print(label, avg[label].count, avg[label].cpu_time_total > 0)
print("aten::linear" in avg, idx.shape)
header = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=5).splitlines()[1]
print([h.strip() for h in header.split("  ") if h.strip()])

net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 8))
x = torch.randn(4, 32)
with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    with record_function("model_inference"):
        net(x)
by_shape = prof.key_averages(group_by_input_shape=True)
print(sorted((e.key, str(e.input_shapes)) for e in by_shape if e.key in ("aten::linear", "aten::relu")))
print([e.count for e in prof.key_averages() if e.key in ("model_inference", "aten::linear", "aten::relu")])
inference = next(e for e in prof.events() if e.name == "model_inference")
print(inference.cpu_parent, sorted({c.name for c in inference.cpu_children} & {"aten::linear", "aten::relu"}))

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "trace.json")
    prof.export_chrome_trace(path)
    with open(path) as f:
        names = {e["name"] for e in json.load(f)["traceEvents"]}
    print(sorted(names & {"model_inference", "aten::linear", "aten::relu"}))

    cycles = []

    def trace_handler(p):
        steps = sorted(e.trace_name for e in p.events() if e.name == "ProfilerStep*")
        cycles.append((p.step_num, steps))
        tensorboard_trace_handler(os.path.join(d, "log"), worker_name="worker")(p)

    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    with profile(activities=[ProfilerActivity.CPU],
                 schedule=schedule(wait=1, warmup=1, active=2, repeat=1),
                 on_trace_ready=trace_handler) as p:
        for _ in range(6):
            loss = net(x).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            p.step()
    print(cycles, len(os.listdir(os.path.join(d, "log"))))
print([torch.profiler.schedule(wait=1, warmup=1, active=2, repeat=1, skip_first=2)(s).name for s in range(8)])
