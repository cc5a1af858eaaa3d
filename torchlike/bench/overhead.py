"""The engine's Python cost: recording one op, and one flush of a cached program.

python -m torchlike.bench.overhead
"""

from __future__ import annotations

import statistics
import time


def _best(fn, repeat=7, number=2000):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(number)
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def measure() -> dict:
    import jax
    import jax.numpy as jnp

    import torchlike as tl

    x = tl.randn(16, 16)
    y = tl.randn(16, 16)
    tl.sync()

    def record_binary(n):
        a = x
        for _ in range(n):
            a = a + y
        tl._engine.execute.state.graph = None  # drop what was recorded, never run it

    def record_unary_method(n):
        for _ in range(n):
            x.relu()
        tl._engine.execute.state.graph = None

    w = tl.randn(16, 16, requires_grad=True)

    def record_with_autograd(n):
        for _ in range(n):
            w * y
        tl._engine.execute.state.graph = None

    z = tl.randn(16, 16)
    tl.sync()

    def flush_cached(n):
        for _ in range(n):
            z.mul_(1.0001)
            tl.sync()

    out = {
        "record add (us/op)": _best(record_binary, number=500) * 1e6,
        "record relu (us/op)": _best(record_unary_method, number=500) * 1e6,
        "record mul with autograd (us/op)": _best(record_with_autograd, number=500) * 1e6,
        "in-place op + flush of a cached program (us)": _best(flush_cached, number=500) * 1e6,
    }
    f = jax.jit(lambda a: a * 1.0001, donate_argnums=0)
    arr = jnp.ones((16, 16))
    arr = f(arr)

    def bare_jit(n):
        nonlocal arr
        for _ in range(n):
            arr = f(arr)

    out["bare jax.jit call, 1 donated array (us)"] = _best(bare_jit, number=500) * 1e6
    return out


def main():
    for k, v in measure().items():
        print(f"{k:48s} {v:8.1f}")


if __name__ == "__main__":
    main()
