"""Shared fixtures: ``parity`` runs a function on PyTorch and torchlike and compares (tests/parity.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from parity import parity as _parity  # noqa: E402


@pytest.fixture
def parity():
    return _parity


@pytest.fixture(autouse=True)
def _seed_pytorch():
    """Every test starts PyTorch's generator from the same seed: a reference model built without a
    seed would make a parity test's tolerance depend on which initialisation the run drew."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(0)


@pytest.fixture
def no_host_eval():
    """Small CPU tensors' ops recorded like all others (no NumPy shortcut, torchlike/_host_eval.py):
    for tests of the engine's programs that build their inputs from small tensors."""
    from torchlike import _host_eval

    _host_eval.set_enabled(False)
    yield
    _host_eval.set_enabled(True)


# Tests that run for tens of seconds each (a tutorial script under PyTorch and under torchlike, a
# zoo model compiled forward and backward), by node id prefix, heaviest first: each is a whole
# network's XLA compile with a cold cache. They sit at the end of the alphabetical collection.
_LONG_TESTS = (
    "tests/tutorials/test_tutorials.py::test_tutorial_output_matches_pytorch[t19",
    "tests/tutorials/test_tutorials.py::test_tutorial_output_matches_pytorch[t17",
    "tests/vision/test_models_zoo.py::test_inception_v3",
    "tests/vision/test_models_zoo.py::test_googlenet",
    "tests/vision/test_models_zoo.py::test_train_mode",
    "tests/tutorials/test_tutorials.py::test_tutorial_output_matches_pytorch[",
    "tests/vision/test_models_zoo.py::",
)


def _long_rank(item):
    for rank, prefix in enumerate(_LONG_TESTS):
        if item.nodeid.startswith(prefix):
            return rank
    return None


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: the order of the items that will run
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, deal the long tests out to the start of each worker's first chunk.

    xdist's default scheduler (``--dist load``) sends each worker one consecutive chunk of the
    collection (a quarter of its share) and hands the rest out on demand, in ever smaller
    chunks. Left at the end of the collection, the long tests went out in one or two of the last
    chunks: one worker ran most of them while the other had finished. Dealt round-robin to the
    heads of the first chunks, they run first, on both workers, and the run ends on short tests.
    Only the order changes; nothing is skipped. Without xdist the order is left alone."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0)
    if workers < 2 or len(items) < 2 * workers:
        return
    ranked = [(rank, i) for i, item in enumerate(items) if (rank := _long_rank(item)) is not None]
    if not ranked:
        return
    long_index = {i for _, i in ranked}
    short = [item for i, item in enumerate(items) if i not in long_index]
    long_sorted = [items[i] for _, i in sorted(ranked)]
    # the size of xdist's first chunk per worker (LoadScheduling.schedule)
    chunk = max(2, (len(items) // workers) // 4)
    heads = [long_sorted[k::workers] for k in range(workers)]
    ordered, overflow, taken = [], [], 0
    for head in heads:
        head, extra = head[:chunk], head[chunk:]
        overflow += extra
        fill = chunk - len(head)
        ordered += head + short[taken : taken + fill]
        taken += fill
    items[:] = ordered + overflow + short[taken:]
