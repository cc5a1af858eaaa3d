"""The iterators a DataLoader hands out: single-process, and multi-process with workers.

Multi-process loading: each worker has an index queue (main → worker) and a
result pipe (worker → main). The main process keeps up to
``prefetch_factor * num_workers`` batches in flight, hands them out in sampler
order (unless ``in_order=False``), and waits on the result pipes together with
the workers' process sentinels, so a worker that dies wakes it immediately.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
import warnings
import weakref

from ._host import finalize
from ._rng import _int64_seed
from ._utils import worker as _worker
from ._utils.fetch import create_fetcher

# Longest a blocked main process waits before double-checking worker liveness.
_LIVENESS_CHECK_INTERVAL = 5.0
# Grace period for workers to exit on their own at shutdown before terminate().
_SHUTDOWN_GRACE = 1.0
_PIPE_SIZE = 1 << 20


def _warn_pin_memory(loader) -> None:
    # Pinning is a no-op here (batches reach the device at their first op); the warnings are
    # PyTorch's.
    if not loader.pin_memory:
        return
    if loader.pin_memory_device:
        warnings.warn(
            "pin_memory_device is deprecated, the current accelerator will be used as the device,"
            f"ignore pin_memory_device='{loader.pin_memory_device}'.",
            stacklevel=3,
        )
    accelerator = getattr(sys.modules.get("torchlike"), "accelerator", None)
    if accelerator is None or not accelerator.is_available():
        warnings.warn(
            "'pin_memory' argument is set as true but no accelerator is found, "
            "then device pinned memory won't be used.",
            stacklevel=3,
        )


class _BaseDataLoaderIter:
    def __init__(self, loader) -> None:
        self._dataset = loader.dataset
        self._is_iterable = loader._is_iterable
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._collate_fn = loader.collate_fn
        self._timeout = loader.timeout
        self._persistent_workers = loader.persistent_workers
        _warn_pin_memory(loader)
        self._reset(loader, first_iter=True)
        if getattr(self, "_base_seed", None) is None:  # (the multiprocessing iterator drew it first)
            self._base_seed = _int64_seed(loader.generator)

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter: bool = False) -> None:
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        reported = self._IterableDataset_len_called
        if self._is_iterable and reported is not None and self._num_yielded > reported:
            message = (  # (PyTorch's words, its missing space included)
                f"Length of IterableDataset {self._dataset} was reported to be {reported}"
                f"(when accessing len(dataloader)), but {self._num_yielded} samples have been "
                "fetched. "
            )
            if self._num_workers > 0:
                message += (
                    "For multiprocessing data-loading, this could be caused by not properly "
                    "configuring the IterableDataset replica at each worker. Please see "
                    "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset "
                    "for examples."
                )
            warnings.warn(message, stacklevel=2)
        return data

    def __len__(self) -> int:
        return len(self._index_sampler)

    def __getstate__(self):
        # (PyTorch's words, its two-argument exception included)
        raise NotImplementedError("{} cannot be pickled", type(self).__name__)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader) -> None:
        super().__init__(loader)
        if self._timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._fetcher = create_fetcher(
            self._is_iterable,
            self._dataset,
            self._auto_collation,
            self._collate_fn,
            self._drop_last,
        )

    def _next_data(self):
        return self._fetcher.fetch(self._next_index())  # StopIteration ends the epoch


def _shutdown_workers(workers, index_queues, result_conns, done_event, owner_pid) -> None:
    """Stop the workers (politely, then by force) and release queues and pipes."""
    if os.getpid() != owner_pid:
        # an iterator collected in a process forked later (another loader's worker): its
        # workers are not this process's children
        return
    done_event.set()
    for index_queue in index_queues:
        try:
            index_queue.put(None)
        except (OSError, ValueError):
            pass
    for conn in result_conns:  # a worker blocked on sending gets BrokenPipeError
        conn.close()
    deadline = time.monotonic() + _SHUTDOWN_GRACE
    for process in workers:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in workers:
        if process.is_alive():
            process.terminate()
            process.join(timeout=1.0)
        if process.is_alive():
            process.kill()
            process.join()
    for index_queue in index_queues:
        index_queue.cancel_join_thread()
        index_queue.close()


def _materialize_pending() -> None:
    # A forked worker cannot compile (JAX is not fork-safe once started): tensors a dataset holds
    # that are still pending (``[torch.ones(2), ...]``) are computed here, before the fork, so a
    # worker only reads their values.
    # Programs run asynchronously: the fork must also wait until they have finished, or a worker
    # reading a result waits forever for an XLA thread that the fork did not copy.
    sync = getattr(sys.modules.get("torchlike"), "sync", None)
    if callable(sync):
        sync()
    bridge = sys.modules.get("jax._src.xla_bridge")
    started = getattr(bridge, "backends_are_initialized", None)
    if callable(started) and started():
        import jax

        jax.block_until_ready(jax.live_arrays())


def _widen_pipe(conn) -> None:
    # Batches are megabytes; a 1 MiB pipe (Linux default 64 KiB) cuts the wakeups.
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
    except (ImportError, OSError):
        pass


def _describe_exit(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f" (killed by signal {signal.Signals(-code).name})"
        except ValueError:
            return f" (killed by signal {-code})"
    return f" (exit code {code})" if code is not None else ""


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader) -> None:
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        self._shutdown = False
        context = loader.multiprocessing_context or multiprocessing.get_context()
        self._base_seed = base_seed = _int64_seed(loader.generator)
        _materialize_pending()
        self._workers_done_event = context.Event()
        self._index_queues = []
        self._result_conns = []
        self._workers = []
        self._finalizer = weakref.finalize(
            self,
            _shutdown_workers,
            self._workers,
            self._index_queues,
            self._result_conns,
            self._workers_done_event,
            os.getpid(),
        )
        for worker_id in range(loader.num_workers):
            index_queue = context.Queue()
            index_queue.cancel_join_thread()
            reader, writer = context.Pipe(duplex=False)
            _widen_pipe(reader)
            process = context.Process(
                target=_worker._worker_loop,
                args=(
                    loader._is_iterable,
                    loader.dataset,
                    index_queue,
                    writer,
                    self._workers_done_event,
                    loader._auto_collation,
                    loader.collate_fn,
                    loader.drop_last,
                    base_seed,
                    loader.worker_init_fn,
                    worker_id,
                    loader.num_workers,
                ),
                daemon=True,
            )
            with warnings.catch_warnings():
                # JAX warns on every fork; workers never touch JAX, so the fork is safe.
                warnings.filterwarnings("ignore", "os.fork", RuntimeWarning)
                process.start()
            writer.close()  # only the worker holds the write end: its death means EOF here
            self._index_queues.append(index_queue)
            self._result_conns.append(reader)
            self._workers.append(process)
        super().__init__(loader)

    def _reset(self, loader, first_iter: bool = False) -> None:
        super()._reset(loader, first_iter)
        self._send_idx = 0  # next task to send
        self._rcvd_idx = 0  # next task to hand out
        self._task_info = {}  # task -> (worker,) while pending, (worker, data) when early
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers  # still has data this epoch
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:  # persistent workers: restart their fetchers, drop stale results
            for index_queue in self._index_queues:
                index_queue.put(_worker._ResumeIteration())
            pending = self._num_workers
            while pending:
                task, _ = self._get_data()
                if isinstance(task, _worker._ResumeIteration):
                    pending -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _raise_dead(self, worker_ids, cause=None):
        pids = ", ".join(str(self._workers[i].pid) for i in worker_ids)
        detail = "".join(_describe_exit(self._workers[i]) for i in worker_ids[:1])
        self._shutdown_workers()
        raise RuntimeError(
            f"DataLoader worker (pid(s) {pids}) exited unexpectedly{detail}"
        ) from cause

    def _try_get_data(self, timeout: float):
        """One wait for a result: ``(True, (task, data))`` or ``(False, None)`` on timeout."""
        active = [i for i, alive in enumerate(self._workers_status) if alive]
        conns = {self._result_conns[i]: i for i in active}
        sentinels = {self._workers[i].sentinel: i for i in active}
        ready = multiprocessing.connection.wait([*conns, *sentinels], timeout)
        for handle in ready:
            if handle in conns:
                try:
                    return True, _worker.recv(handle)
                except (EOFError, OSError) as error:
                    self._workers[conns[handle]].join(timeout=1.0)
                    self._raise_dead([conns[handle]], error)
        dead = [sentinels[h] for h in ready if h in sentinels]
        dead += [i for i in active if i not in dead and not self._workers[i].is_alive()]
        if dead:
            self._raise_dead(sorted(dead))
        return False, None

    def _get_data(self):
        if self._timeout > 0:
            deadline = time.monotonic() + self._timeout
            while (remaining := deadline - time.monotonic()) > 0:
                success, data = self._try_get_data(remaining)
                if success:
                    return data
            self._shutdown_workers()
            raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
        while True:
            success, data = self._try_get_data(_LIVENESS_CHECK_INTERVAL)
            if success:
                return data

    def _next_data(self):
        if self._shutdown:
            raise StopIteration
        try:
            return self._next_task_data()
        except KeyboardInterrupt:
            self._shutdown_workers()
            raise

    def _next_task_data(self):
        while True:
            # Skip tasks whose worker ran out of (iterable) data: they never come back.
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info is not None:
                    if len(info) == 2 or self._workers_status[info[0]]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration

            info = self._task_info[self._rcvd_idx]
            if len(info) == 2:  # arrived earlier, out of order
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
                return self._process_data(info[1], info[0])

            task, data = self._get_data()
            self._tasks_outstanding -= 1
            if isinstance(data, _worker._IterableDatasetStopIteration):
                self._deactivate_worker(data.worker_id)
                self._try_put_index()
                continue
            if task != self._rcvd_idx and self._in_order:
                self._task_info[task] += (data,)
                continue
            worker_id = self._task_info.pop(task)[0]
            if task == self._rcvd_idx:
                self._rcvd_idx += 1
            return self._process_data(data, worker_id)

    def _try_put_index(self) -> None:
        max_tasks = self._prefetch_factor * self._num_workers
        assert self._tasks_outstanding < max_tasks
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # next worker that still has data (and room)
            worker_id = next(self._worker_cycle)
            if self._workers_status[worker_id] and (
                self._in_order
                or self._workers_num_tasks[worker_id] < max_tasks // sum(self._workers_status)
            ):
                break
        else:
            return
        self._index_queues[worker_id].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._workers_num_tasks[worker_id] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _process_data(self, data, worker_id: int):
        self._workers_num_tasks[worker_id] -= 1
        self._try_put_index()
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return finalize(data)

    def _deactivate_worker(self, worker_id: int) -> None:
        # A worker whose iterable dataset is exhausted: persistent ones wait for the
        # next epoch, the others are told to exit.
        if not self._persistent_workers:
            self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False

    def _shutdown_workers(self) -> None:
        self._shutdown = True
        self._finalizer()
