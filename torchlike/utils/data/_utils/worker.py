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
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from .._host import to_host
from .fetch import create_fetcher

# How often a waiting worker checks that its parent process is still alive.
_PARENT_CHECK_INTERVAL = 1.0


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What :func:`get_worker_info` returns inside a worker process (PyTorch's fields; ``rng`` is
    for thread workers, which torchlike does not have)."""

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


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


_MASK32 = 0xFFFFFFFF


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """PyTorch's NumPy seed for a worker: four 32-bit words from ``numpy.random.SeedSequence``'s
    hashing of ``[worker_id, base_seed]`` (``torch/utils/data/_utils/worker.py``), so NumPy code in
    a worker (random crops, ``np.random.randint``) draws what it draws under PyTorch."""
    init_a, mult_a, init_b, mult_b = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
    mix_mult_l, mix_mult_r, xshift = 0xCA01F9DD, 0x4973F715, 16
    hash_const_a = init_a

    def hash_(value: int) -> int:
        nonlocal hash_const_a
        value = (value ^ hash_const_a) & _MASK32
        hash_const_a = (hash_const_a * mult_a) & _MASK32
        value = (value * hash_const_a) & _MASK32
        return (value ^ (value >> xshift)) & _MASK32

    def mix(x: int, y: int) -> int:
        result = ((mix_mult_l * x) - (mix_mult_r * y)) & _MASK32
        return (result ^ (result >> xshift)) & _MASK32

    entropy = [worker_id, base_seed & _MASK32, base_seed >> 32, 0]
    pool = [hash_(value) for value in entropy]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hash_(pool[src]))
    hash_const_b = init_b
    state = []
    for value in pool:
        value = (value ^ hash_const_b) & _MASK32
        hash_const_b = (hash_const_b * mult_b) & _MASK32
        value = (value * hash_const_b) & _MASK32
        state.append((value ^ (value >> xshift)) & _MASK32)
    return state


def _refuse_jax_compiles(worker_id: int) -> None:
    """Make building a new program in this forked worker raise instead of hang.

    A process forked after JAX started its runtime inherits the runtime without its threads: a
    program compiled before the fork still runs, but lowering (MLIR's thread pool) or compiling
    (XLA's) a new one waits forever. So a torch operation in a worker that needs a new program
    (tensor math in ``__getitem__``, a transform or ``collate_fn``) raises this error, which
    reaches the main process like any worker exception. Where JAX had not started before the
    fork, the worker starts its own runtime and compiles normally.
    """
    bridge = sys.modules.get("jax._src.xla_bridge")
    started = getattr(bridge, "backends_are_initialized", None)
    if not callable(started) or not started():
        return

    def refuse(*args, **kwargs):
        raise RuntimeError(
            f"DataLoader worker process {worker_id} needs a new XLA program for a tensor "
            "operation, and a process forked after JAX started cannot compile one (it would "
            "hang). Do the tensor math in the main process (on the batch, after the "
            "DataLoader), use NumPy in the Dataset, transforms and collate_fn, or pass "
            "multiprocessing_context='spawn' (with the script's code under "
            "`if __name__ == '__main__':`)."
        )

    for module, name in (
        ("jax._src.interpreters.mlir", "make_ir_context"),
        ("jax._src.compiler", "backend_compile_and_load"),
    ):
        if hasattr(sys.modules.get(module), name):
            setattr(sys.modules[module], name, refuse)


def _seed_worker(base_seed: int, worker_id: int) -> int:
    seed = base_seed + worker_id
    random.seed(seed)
    from .... import random as _tl_random  # torchlike's generator: pure Python state, no device op

    _tl_random.manual_seed(seed)
    np.random.seed(_generate_state(base_seed, worker_id))
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
        _refuse_jax_compiles(worker_id)
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
