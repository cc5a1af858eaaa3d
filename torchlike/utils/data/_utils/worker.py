"""DataLoader worker processes: the loop they run and what they send back.

A worker receives ``(task_index, batch_indices)`` on its index queue, fetches and
collates the batch on the host, and sends ``(task_index, batch)`` back over its
own pipe. It never touches JAX: tensors in the batch are sent as NumPy arrays
(marked ``_HostTensor``) and become tensors in the main process.

Batches travel as pickle protocol 5 with the array buffers sent out of band,
received straight into writable buffers (no copy beyond the pipe itself).
"""

from __future__ import annotations

import os
import pickle
import queue
import random
import signal
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from .._host import to_host
from .fetch import create_fetcher

# How often a waiting worker checks that its parent process is still alive.
_PARENT_CHECK_INTERVAL = 1.0


@dataclass(frozen=True)
class WorkerInfo:
    """What :func:`get_worker_info` returns inside a worker process."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


# Set once in each worker process (never in the main process).
_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """In a DataLoader worker: its ``id``, ``num_workers``, ``seed`` and ``dataset`` copy.

    Returns ``None`` in the main process. Typical use: an ``IterableDataset``'s
    ``__iter__`` or a ``worker_init_fn`` splitting the data between workers.
    """
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Sent to persistent workers at the start of a new epoch; echoed back when done."""


class _KeyErrorMessage(str):
    # KeyError shows repr() of its argument; keep the traceback readable.
    def __repr__(self) -> str:
        return str(self)


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process with its traceback text."""

    def __init__(self, exc_info: tuple, where: str) -> None:
        exc_type = exc_info[0]
        try:
            pickle.dumps(exc_type)
        except Exception:
            exc_type = None  # a class the main process cannot import
        self.exc_type = exc_type
        self.exc_name = exc_info[0].__name__
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        message = f"Caught {self.exc_name} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is None:
            raise RuntimeError(message)
        if self.exc_type is KeyError:
            message = _KeyErrorMessage(message)
        try:
            exception = self.exc_type(message)
        except Exception:
            raise RuntimeError(message) from None
        raise exception


def send(conn: Connection, obj) -> None:
    """Send ``obj`` with its contiguous array buffers out of band (see :func:`recv`)."""
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    conn.send_bytes(pickle.dumps([raw.nbytes for raw in raws]))
    conn.send_bytes(payload)
    for raw in raws:
        conn.send_bytes(raw)


def recv(conn: Connection):
    """Receive what :func:`send` sent; arrays come back writable. EOFError if the sender died."""
    sizes = pickle.loads(conn.recv_bytes())
    payload = conn.recv_bytes()
    buffers = []
    for size in sizes:
        buffer = bytearray(size)
        if size:
            conn.recv_bytes_into(buffer)
        else:
            conn.recv_bytes()
        buffers.append(buffer)
    return pickle.loads(payload, buffers=buffers)


def _seed_worker(base_seed: int, worker_id: int) -> int:
    seed = base_seed + worker_id
    random.seed(seed)
    from .... import random as _tl_random  # torchlike's generator: pure Python state, no device op

    _tl_random.manual_seed(seed)
    np.random.seed(np.random.SeedSequence([base_seed, worker_id]).generate_state(4))
    return seed


def _worker_loop(
    is_iterable: bool,
    dataset,
    index_queue,
    result_conn: Connection,
    done_event,
    auto_collation: bool,
    collate_fn,
    drop_last: bool,
    base_seed: int,
    init_fn,
    worker_id: int,
    num_workers: int,
) -> None:
    global _worker_info
    where = f"in DataLoader worker process {worker_id}"
    try:
        # Ctrl-C is the main process's to handle: it shuts the workers down.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        seed = _seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        init_error = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = create_fetcher(is_iterable, dataset, auto_collation, collate_fn, drop_last)
        except Exception as error:
            init_error = ExceptionWrapper((type(error), error, error.__traceback__), where)

        exhausted = False  # an iterable dataset ran out in this epoch
        parent = os.getppid()
        while os.getppid() == parent:
            try:
                request = index_queue.get(timeout=_PARENT_CHECK_INTERVAL)
            except queue.Empty:
                continue
            if request is None:
                break
            if isinstance(request, _ResumeIteration):
                exhausted = False
                try:
                    fetcher = create_fetcher(
                        is_iterable, dataset, auto_collation, collate_fn, drop_last
                    )
                except Exception as error:
                    init_error = ExceptionWrapper((type(error), error, error.__traceback__), where)
                send(result_conn, (request, None))
                continue
            if done_event.is_set() or exhausted:
                continue
            task, index = request
            if init_error is not None:
                data, init_error = init_error, None
            else:
                try:
                    data = to_host(fetcher.fetch(index))
                except Exception as error:
                    if is_iterable and isinstance(error, StopIteration):
                        data = _IterableDatasetStopIteration(worker_id)
                        exhausted = True
                    else:
                        data = ExceptionWrapper((type(error), error, error.__traceback__), where)
            try:
                send(result_conn, (task, data))
            except (BrokenPipeError, ConnectionResetError):
                break  # the main process has gone away
            except Exception as error:  # the batch itself cannot be pickled
                wrapped = ExceptionWrapper((type(error), error, error.__traceback__), where)
                send(result_conn, (task, wrapped))
            del data, request, index
    except (KeyboardInterrupt, BrokenPipeError, ConnectionResetError):
        pass
    finally:
        result_conn.close()
