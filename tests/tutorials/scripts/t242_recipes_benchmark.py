# Recipes "PyTorch Benchmark" and "Timer quick start" (pytorch/tutorials recipes_source/recipes):
# timeit vs torch.utils.benchmark.Timer, num_threads/label/sub_label/description/env, timeit,
# blocked_autorange, Measurement statistics, Compare tables and pickled A/B results. Timings are
# not deterministic, so only their structure is printed: types, labels, run counts' types, and
# the Compare tables' header and row names. Sizes and min_run_time are shrunk; the Fuzzer,
# Callgrind and C++ sections are left out (not in torchlike).
import pickle
import re
import timeit
from itertools import product

import torch
import torch.utils.benchmark as benchmark
from torch.utils.benchmark import Timer

torch.manual_seed(0)


def batched_dot_mul_sum(a, b):
    """Computes batched dot by multiplying and summing"""
    return a.mul(b).sum(-1)


def batched_dot_bmm(a, b):
    """Computes batched dot by reducing to ``bmm``"""
    a = a.reshape(-1, 1, a.shape[-1])
    b = b.reshape(-1, b.shape[-1], 1)
    return torch.bmm(a, b).flatten(-3)


# Input for benchmarking
x = torch.randn(100, 64)

# Ensure that both functions compute the same output
assert batched_dot_mul_sum(x, x).allclose(batched_dot_bmm(x, x))

t0 = timeit.Timer(stmt="batched_dot_mul_sum(x, x)", setup="from __main__ import batched_dot_mul_sum", globals={"x": x})
t1 = timeit.Timer(stmt="batched_dot_bmm(x, x)", setup="from __main__ import batched_dot_bmm", globals={"x": x})
print(f"mul_sum(x, x):  {type(t0.timeit(5) / 5 * 1e6).__name__} us")
print(f"bmm(x, x):      {type(t1.timeit(5) / 5 * 1e6).__name__} us")


def structure(m):
    """A Measurement's report without its times."""
    lines = [line for line in str(m).splitlines() if not any(u in line for u in (" ns", " us", " ms", " s\n"))]
    return "\n".join(line for line in lines if "measurement" not in line and "WARNING" not in line
                     and "environmental" not in line and "fluctuation" not in line)


t0 = benchmark.Timer(stmt="batched_dot_mul_sum(x, x)", setup="from __main__ import batched_dot_mul_sum",
                     globals={"x": x})
t1 = benchmark.Timer(stmt="batched_dot_bmm(x, x)", setup="from __main__ import batched_dot_bmm", globals={"x": x})
m = t0.timeit(10)
print(structure(m))
print(type(m).__name__, m.number_per_run, len(m.raw_times), m.num_threads, m.label, m.env)
print(structure(t1.timeit(10)))

num_threads = torch.get_num_threads()
print(f"Benchmarking on {type(num_threads).__name__} threads")
t0 = benchmark.Timer(stmt="batched_dot_mul_sum(x, x)", setup="from __main__ import batched_dot_mul_sum",
                     globals={"x": x}, num_threads=2, label="Multithreaded batch dot",
                     sub_label="Implemented using mul and sum")
t1 = benchmark.Timer(stmt="batched_dot_bmm(x, x)", setup="from __main__ import batched_dot_bmm", globals={"x": x},
                     num_threads=2, label="Multithreaded batch dot", sub_label="Implemented using bmm")
print(structure(t0.timeit(10)))
print(structure(t1.timeit(10)))

m0 = t0.blocked_autorange(min_run_time=0.02)
m1 = t1.blocked_autorange(min_run_time=0.02)
print(structure(m0))
print(structure(m1))
print(f"Mean:   {type(m0.mean * 1e6).__name__} us")
print(f"Median: {type(m0.median * 1e6).__name__} us")
print(m0.number_per_run >= 1, type(m0.number_per_run).__name__, m0.times == [t / m0.number_per_run for t in m0.raw_times])
print(type(m0.iqr).__name__, type(m0.has_warnings).__name__, type(m0.significant_figures).__name__, m0.title)


def table_shape(compare):
    """The header and row names of each Compare table (the times themselves vary)."""
    out = []
    for line in str(compare).splitlines():
        if "|" in line:
            out.append(line.split("|")[0].rstrip() + " | " + " | ".join(c.strip() for c in line.split("|")[1:]
                                                                       if not c.strip()[:1].isdigit()))
        elif line.startswith("Times are in"):
            out.append("Times are in (unit)")
        else:  # the title and thread rows: their dashes span the table's (time-dependent) width
            out.append(re.sub("-+", "---", line))
    return "\n".join(out)


results = []
sizes = [1, 64]
for b, n in product(sizes, sizes):
    label = "Batched dot"
    sub_label = f"[{b}, {n}]"
    x = torch.ones((b, n))
    for num_threads in [1, 2]:
        results.append(benchmark.Timer(
            stmt="batched_dot_mul_sum(x, x)",
            setup="from __main__ import batched_dot_mul_sum",
            globals={"x": x},
            num_threads=num_threads,
            label=label,
            sub_label=sub_label,
            description="mul/sum",
        ).blocked_autorange(min_run_time=0.005))
        results.append(benchmark.Timer(
            stmt="batched_dot_bmm(x, x)",
            setup="from __main__ import batched_dot_bmm",
            globals={"x": x},
            num_threads=num_threads,
            label=label,
            sub_label=sub_label,
            description="bmm",
        ).blocked_autorange(min_run_time=0.005))

compare = benchmark.Compare(results)
print(table_shape(compare))
compare.trim_significant_figures()
print(table_shape(compare))

ab_test_results = []
for env in ("environment A: mul/sum", "environment B: bmm"):
    for b, n in ((1, 1), (64, 100)):
        x = torch.ones((b, n))
        dot_fn = batched_dot_mul_sum if env == "environment A: mul/sum" else batched_dot_bmm
        m = benchmark.Timer(
            stmt="batched_dot(x, x)",
            globals={"x": x, "batched_dot": dot_fn},
            num_threads=1,
            label="Batched dot",
            description=f"[{b}, {n}]",
            env=env,
        ).blocked_autorange(min_run_time=0.005)
        ab_test_results.append(pickle.dumps(m))

ab_results = [pickle.loads(i) for i in ab_test_results]
print([(r.env, r.description, r.stmt) for r in ab_results])
compare = benchmark.Compare(ab_results)
compare.trim_significant_figures()
print(table_shape(compare))

round_tripped_results = pickle.loads(pickle.dumps(results))
assert str(benchmark.Compare(results)) == str(benchmark.Compare(round_tripped_results))
try:
    benchmark.Compare([1.0])
except ValueError as e:
    print("ValueError:", e)


# -- Timer quick start --------------------------------------------------------------------------
def measure(b_size):
    return Timer(
        "x * y",
        f"""
        x = torch.ones((128,))
        y = torch.ones(({b_size},))
        """,
    ).blocked_autorange(min_run_time=0.01)


print(structure(measure(b_size=128)), "\n")
print(structure(measure(b_size=1)), "\n")
