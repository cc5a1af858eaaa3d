"""DataLoader with worker processes: order, failures, timeouts, persistence, sharding, cleanup."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torch.utils.data as ptd
from _data_helpers import assert_same_batches, core_ready, host

import torchlike.utils.data as tld


class Squares:
    def __getitem__(self, i):
        return {"x": np.full(2, i * i, dtype=np.float32), "i": i, "pid": os.getpid()}

    def __len__(self):
        return 11


class FailsAt:
    def __init__(self, bad: int, error=ValueError):
        self.bad, self.error = bad, error

    def __getitem__(self, i):
        if i == self.bad:
            raise self.error(f"cannot load item {i}")
        return i

    def __len__(self):
        return 8


class KillsItselfAt:
    def __getitem__(self, i):
        if i == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return i

    def __len__(self):
        return 8


class SleepsAt:
    def __getitem__(self, i):
        if i == 2:
            time.sleep(3)
        return i

    def __len__(self):
        return 4


class ShardedRange(tld.IterableDataset):
    """Each worker yields its contiguous shard of range(start, end)."""

    def __init__(self, start: int, end: int):
        self.start, self.end = start, end

    def __iter__(self):
        info = tld.get_worker_info()
        start, end = self.start, self.end
        if info is not None:
            per_worker = -(-(end - start) // info.num_workers)
            start = start + info.id * per_worker
            end = min(start + per_worker, end)
        return iter(range(start, end))


class PtShardedRange(ptd.IterableDataset):
    def __init__(self, start: int, end: int):
        self.start, self.end = start, end

    def __iter__(self):
        info = ptd.get_worker_info()
        per_worker = -(-(self.end - self.start) // info.num_workers)
        start = self.start + info.id * per_worker
        return iter(range(start, min(start + per_worker, self.end)))


def drop_pids(batches):
    out = []
    for batch in batches:
        batch = dict(batch)
        del batch["pid"]
        out.append(batch)
    return out


def test_workers_give_the_same_batches_in_the_same_order_as_the_main_process():
    single = list(tld.DataLoader(Squares(), batch_size=3))
    workers = list(tld.DataLoader(Squares(), batch_size=3, num_workers=2, prefetch_factor=1))
    assert_same_batches(
        drop_pids(workers), drop_pids(list(ptd.DataLoader(Squares(), batch_size=3)))
    )
    assert len({int(p) for batch in workers for p in host(batch["pid"])}) == 2
    for a, b in zip(workers, single):
        np.testing.assert_array_equal(host(a["x"]), host(b["x"]))


def test_workers_out_of_order_still_deliver_every_batch():
    loader = tld.DataLoader(Squares(), batch_size=2, num_workers=2, in_order=False)
    seen = sorted(i for batch in loader for i in host(batch["i"]).tolist())
    assert seen == list(range(11))


def test_worker_exception_is_reraised_with_the_worker_traceback():
    loader = tld.DataLoader(FailsAt(3), batch_size=2, num_workers=2)
    with pytest.raises(ValueError) as caught:
        list(loader)
    message = str(caught.value)
    assert message.startswith("Caught ValueError in DataLoader worker process 1.")
    assert "Original Traceback (most recent call last):" in message
    assert "in __getitem__" in message and "cannot load item 3" in message


def test_worker_key_error_and_unconstructible_exceptions_keep_their_message():
    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process 0"):
        list(tld.DataLoader(FailsAt(0, KeyError), num_workers=1))

    class NeedsTwoArgs(Exception):
        def __init__(self, a, b):
            super().__init__(a, b)

    class Raises:
        def __getitem__(self, i):
            raise NeedsTwoArgs("a", "b")

        def __len__(self):
            return 1

    with pytest.raises(RuntimeError, match="Caught NeedsTwoArgs in DataLoader worker process 0"):
        list(tld.DataLoader(Raises(), num_workers=1))


def test_worker_exception_does_not_stop_the_epoch():
    it = iter(tld.DataLoader(FailsAt(2), batch_size=2, num_workers=2))
    assert host(next(it)).tolist() == [0, 1]
    with pytest.raises(ValueError):
        next(it)
    assert [host(b).tolist() for b in it] == [[4, 5], [6, 7]]


def test_killed_worker_raises_instead_of_hanging():
    loader = tld.DataLoader(KillsItselfAt(), batch_size=2, num_workers=2)
    start = time.monotonic()
    with pytest.raises(
        RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"
    ):
        list(loader)
    assert time.monotonic() - start < 10


def test_timeout_raises_when_a_batch_takes_too_long():
    loader = tld.DataLoader(SleepsAt(), batch_size=1, num_workers=1, timeout=0.5)
    it = iter(loader)
    assert host(next(it)).tolist() == [0]
    assert host(next(it)).tolist() == [1]
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.5 seconds"):
        next(it)
    assert all(not w.is_alive() for w in it._workers)


def test_persistent_workers_survive_epochs_and_reshuffle():
    loader = tld.DataLoader(
        Squares(), batch_size=4, shuffle=True, num_workers=2, persistent_workers=True
    )
    epochs = [list(loader) for _ in range(2)]
    pids = [{int(p) for b in epoch for p in host(b["pid"])} for epoch in epochs]
    assert pids[0] == pids[1] and len(pids[0]) == 2
    orders = [[i for b in epoch for i in host(b["i"]).tolist()] for epoch in epochs]
    assert sorted(orders[0]) == sorted(orders[1]) == list(range(11))
    assert orders[0] != orders[1]
    workers = loader._iterator._workers
    assert all(w.is_alive() for w in workers)
    del loader, epochs
    import gc

    gc.collect()
    for w in workers:
        w.join(timeout=5)
    assert all(w.exitcode is not None for w in workers)


def test_persistent_workers_restart_after_an_epoch_is_abandoned():
    loader = tld.DataLoader(range(10), batch_size=2, num_workers=2, persistent_workers=True)
    it = iter(loader)
    next(it)  # abandon the epoch with batches still in flight
    assert [host(b).tolist() for b in loader] == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]


class WorkerReport:
    def __getitem__(self, i):
        info = tld.get_worker_info()
        return (info.id, info.num_workers, info.seed, info.dataset.tag, info.dataset is self)

    def __len__(self):
        return 4


def tag_dataset(worker_id):
    tld.get_worker_info().dataset.tag = f"worker{worker_id}"


def test_worker_init_fn_and_get_worker_info_inside_workers():
    loader = tld.DataLoader(
        WorkerReport(), batch_size=None, num_workers=2, worker_init_fn=tag_dataset
    )
    reports = [tuple(r) for r in loader]
    ids = [r[0] for r in reports]
    assert ids == [0, 1, 0, 1]
    assert all(r[1] == 2 and r[4] for r in reports)
    assert all(r[3] == f"worker{r[0]}" for r in reports)
    seeds = {r[0]: r[2] for r in reports}
    assert seeds[1] == seeds[0] + 1  # base_seed + worker_id


def test_worker_init_fn_error_is_raised_in_the_main_process():
    def broken_init(worker_id):
        raise OSError("no disk")

    with pytest.raises(OSError, match="Caught OSError in DataLoader worker process"):
        list(tld.DataLoader(range(4), num_workers=1, worker_init_fn=broken_init))


@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")  # PyTorch's own workers under JAX
def test_iterable_dataset_split_across_workers_matches_pytorch():
    ours = tld.DataLoader(ShardedRange(0, 13), batch_size=3, num_workers=2)
    theirs = ptd.DataLoader(PtShardedRange(0, 13), batch_size=3, num_workers=2)
    ours_batches = [host(b).tolist() for b in ours]
    assert ours_batches == [b.tolist() for b in theirs]
    assert sorted(i for b in ours_batches for i in b) == list(range(13))


def test_iterable_dataset_with_persistent_workers_restarts_each_epoch():
    loader = tld.DataLoader(
        ShardedRange(0, 6), batch_size=2, num_workers=2, persistent_workers=True
    )
    first = sorted(i for b in loader for i in host(b).tolist())
    second = sorted(i for b in loader for i in host(b).tolist())
    assert first == second == list(range(6))


def test_iterator_shutdown_leaves_no_worker_processes():
    it = iter(tld.DataLoader(range(100), batch_size=2, num_workers=2))
    next(it)
    workers = list(it._workers)
    del it
    for w in workers:
        w.join(timeout=5)
        assert w.exitcode is not None  # reaped, not a zombie or orphan


def test_exhausted_iterator_shuts_its_workers_down():
    it = iter(tld.DataLoader(range(4), batch_size=2, num_workers=2))
    assert len(list(it)) == 2
    assert all(not w.is_alive() for w in it._workers)


def test_keyboard_interrupt_in_the_main_process_stops_the_workers(monkeypatch):
    it = iter(tld.DataLoader(range(50), batch_size=2, num_workers=2))
    next(it)

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(it), "_get_data", interrupted)
    with pytest.raises(KeyboardInterrupt):
        for _ in range(50):
            next(it)
    assert all(not w.is_alive() for w in it._workers)


def test_spawn_context_workers():
    loader = tld.DataLoader(range(6), batch_size=3, num_workers=1, multiprocessing_context="spawn")
    assert [host(b).tolist() for b in loader] == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_worker_batches_become_torchlike_tensors_in_the_main_process():
    import torchlike

    ds = tld.TensorDataset(torchlike.from_numpy(np.arange(8, dtype=np.float32)))
    batches = list(tld.DataLoader(ds, batch_size=4, num_workers=2))
    assert all(isinstance(b[0], torchlike.Tensor) for b in batches)
    assert [b[0].numpy().tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7]]


class TensorRows:
    """A dataset whose samples are torchlike tensors made from host arrays."""

    def __getitem__(self, i):
        import torchlike

        return torchlike.from_numpy(np.full(3, i, dtype=np.float32)), i

    def __len__(self):
        return 6


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_dataset_returning_tensors_in_workers_arrives_as_tensors():
    import torchlike

    ours = list(tld.DataLoader(TensorRows(), batch_size=4, num_workers=2))
    single = list(tld.DataLoader(TensorRows(), batch_size=4))
    for (x, i), (x0, i0) in zip(ours, single):
        assert isinstance(x, torchlike.Tensor) and isinstance(i, torchlike.Tensor)
        np.testing.assert_array_equal(x.numpy(), x0.numpy())
        np.testing.assert_array_equal(i.numpy(), i0.numpy())
    assert tuple(ours[0][0].shape) == (4, 3) and ours[0][0].dtype == torchlike.float32


class RngDraws:
    """What each worker's NumPy, Python and torch RNGs draw (random crops use these)."""

    def __init__(self, torch_module):
        self.torch = torch_module

    def __getitem__(self, i):
        import random

        return (
            np.random.randint(0, 2**31, size=2),
            random.getrandbits(31),
            self.torch.randint(0, 2**31, (2,)),
        )

    def __len__(self):
        return 6


def test_generate_state_is_pytorchs_worker_numpy_seed():
    from torch.utils.data._utils.worker import _generate_state as theirs

    from torchlike.utils.data._utils.worker import _generate_state as ours

    rng = np.random.default_rng(0)
    for base_seed in [0, 1, 2**32 + 5, 2**63 - 1, *rng.integers(0, 2**63 - 1, 20).tolist()]:
        for worker_id in range(4):
            assert ours(base_seed, worker_id) == theirs(base_seed, worker_id)


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")
def test_worker_rngs_draw_what_pytorchs_workers_draw():
    import torchlike

    pt.manual_seed(7)
    theirs = ptd.DataLoader(RngDraws(pt), batch_size=2, num_workers=2, shuffle=True)
    theirs = [[b.tolist() for b in batch] for batch in theirs]
    torchlike.manual_seed(7)
    ours = tld.DataLoader(RngDraws(torchlike), batch_size=2, num_workers=2, shuffle=True)
    assert [[host(b).tolist() for b in batch] for batch in ours] == theirs


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_pending_tensors_held_by_a_dataset_reach_the_workers():
    """Tensors still pending when the workers fork are computed first: a forked worker only
    reads them (it cannot compile)."""
    import torchlike

    float(torchlike.ones(2).sum())  # JAX has started in this process
    data = [{"x": torchlike.ones(2) * i, "y": i} for i in range(4)]
    batches = list(tld.DataLoader(data, batch_size=2, num_workers=2))
    assert [host(b["x"]).tolist() for b in batches] == [[[0, 0], [1, 1]], [[2, 2], [3, 3]]]


class RowsOfATable:
    """The course-style Dataset (刘二大人 lecture 8): rows of tensors made from a loaded table."""

    def __init__(self, lib):
        xy = np.arange(40, dtype=np.float32).reshape(10, 4) / 8
        self.x_data = lib.from_numpy(xy[:, :-1])
        self.y_data = lib.from_numpy(xy[:, [-1]])
        self.z_data = lib.arange(20.0).reshape(10, 2)  # computed before the workers fork

    def __getitem__(self, index):
        return self.x_data[index], self.y_data[index], self.z_data[index, 1:]

    def __len__(self):
        return 10


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")
def test_worker_samples_indexed_from_stored_tensors_need_no_new_program():
    """``self.x_data[index]`` in a worker forked after JAX started: the row is read by NumPy
    indexing of the stored array (the view's program could not be compiled there). The table
    computed just before the fork (``z_data``) has finished when the workers read it: a fork
    during its program left them waiting for an XLA thread (a timeout in 2 of 3 runs)."""
    import torchlike

    float(torchlike.ones(2).sum())  # JAX has started in this process
    pt.manual_seed(3)
    theirs = list(ptd.DataLoader(RowsOfATable(pt), batch_size=4, shuffle=True, num_workers=2))
    torchlike.manual_seed(3)
    loader = tld.DataLoader(RowsOfATable(torchlike), batch_size=4, shuffle=True, num_workers=2, timeout=60)
    assert_same_batches(list(loader), theirs)


class MathInGetitem:
    def __init__(self):
        import torchlike

        self.x = torchlike.arange(12.0).reshape(6, 2)

    def __getitem__(self, i):
        return (self.x[i] * 2.5 + 0.125).exp()  # a program no one compiled before the fork

    def __len__(self):
        return 6


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_a_worker_that_needs_a_new_program_raises_instead_of_hanging():
    import torchlike

    float(torchlike.ones(2).sum())  # JAX has started in this process
    loader = tld.DataLoader(MathInGetitem(), batch_size=3, num_workers=1, timeout=60)
    with pytest.raises(RuntimeError, match="cannot compile one"):
        list(loader)
