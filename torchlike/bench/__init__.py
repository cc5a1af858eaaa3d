"""Benchmarks: ``python -m torchlike.bench`` (training-step cases) and
``python -m torchlike.bench.overhead`` (the engine's Python cost per op and per flush)."""
