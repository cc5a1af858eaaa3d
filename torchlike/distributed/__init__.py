"""torch.distributed on JAX's distributed runtime (jax.distributed + XLA collectives).

``init_process_group`` initialises ``jax.distributed`` (env:// or tcp://; backends nccl/gloo are
accepted and mapped to what JAX uses: on CPU, gloo collectives). Collectives on tensors gather
through JAX (``multihost_utils.process_allgather``) and write the result in place, as PyTorch's do.
The process-group record is process-wide (like PyTorch's default group), kept in ``_WORLD``.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import os
import sys

import jax
import numpy as np

from .._tensor import Tensor


class ReduceOp(enum.Enum):
    SUM = "sum"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    AVG = "avg"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"


class Backend(str):
    GLOO = "gloo"
    NCCL = "nccl"
    MPI = "mpi"
    XLA = "xla"


class _World:
    def __init__(self):
        self.initialized = False
        self.rank = 0
        self.world_size = 1
        self.backend = None
        self.jax_distributed = False
        self.connected = False


_WORLD = _World()


class ProcessGroup:
    def __init__(self, ranks=None):
        self.ranks = ranks

    def rank(self):
        return get_rank()

    def size(self):
        return get_world_size()


GroupMember = type("GroupMember", (), {"WORLD": ProcessGroup(), "NON_GROUP_MEMBER": None})
group = GroupMember


def is_available() -> bool:
    return True


def is_initialized() -> bool:
    return _WORLD.initialized


def is_gloo_available() -> bool:
    return True


def is_nccl_available() -> bool:
    return False


def is_torchelastic_launched() -> bool:
    return "TORCHELASTIC_RUN_ID" in os.environ


def _parse_init(init_method, world_size, rank):
    if init_method is None or init_method == "env://":
        addr = os.environ.get("MASTER_ADDR")
        port = os.environ.get("MASTER_PORT")
        if addr is None or port is None:
            missing = "MASTER_ADDR" if addr is None else "MASTER_PORT"
            raise ValueError(
                f"Error initializing torch.distributed using env:// rendezvous: environment variable {missing} expected, but not set"
            )
        if rank < 0:
            rank = int(os.environ.get("RANK", -1))
        if world_size < 0:
            world_size = int(os.environ.get("WORLD_SIZE", -1))
        if rank < 0:
            raise ValueError(
                "Error initializing torch.distributed using env:// rendezvous: environment variable RANK expected, but not set"
            )
        if world_size < 0:
            raise ValueError(
                "Error initializing torch.distributed using env:// rendezvous: environment variable WORLD_SIZE expected, but not set"
            )
        return f"{addr}:{port}", world_size, rank
    if init_method.startswith("tcp://"):
        hostport = init_method[len("tcp://") :].split("?")[0]
        if rank < 0 or world_size < 0:
            raise ValueError("rank and world_size must be given with a tcp:// init_method")
        return hostport, world_size, rank
    raise ValueError(f"torchlike supports env:// and tcp:// init methods, got {init_method!r}")


def init_process_group(
    backend=None,
    init_method=None,
    timeout=None,
    world_size=-1,
    rank=-1,
    store=None,
    group_name="",
    pg_options=None,
    device_id=None,
):
    if _WORLD.initialized:
        raise ValueError("trying to initialize the default process group twice!")
    address, world_size, rank = _parse_init(init_method, world_size, rank)
    if not 0 <= rank < world_size:
        raise ValueError(f"Invalid rank {rank} for world size {world_size}")
    _WORLD.backend = backend or "gloo"
    _WORLD.rank, _WORLD.world_size = rank, world_size
    if world_size > 1:
        jax.config.update(
            "jax_cpu_collectives_implementation", "gloo"
        )  # CPU collectives across processes
        seconds = int(timeout.total_seconds()) if isinstance(timeout, datetime.timedelta) else 300
        try:
            jax.distributed.initialize(
                address, num_processes=world_size, process_id=rank, initialization_timeout=seconds
            )
        except RuntimeError as e:
            raise RuntimeError(
                "torchlike: init_process_group must run before the first tensor computation in this process "
                f"(JAX's distributed runtime has to start before its backends): {e}"
            ) from None
        _WORLD.jax_distributed = True
        _exit_fast_on_uncaught_error()
    _WORLD.initialized = True


def _exit_fast_on_uncaught_error():
    """An uncaught exception on one rank must end that process at once: JAX's distributed shutdown
    at interpreter exit waits for every rank, which would hang a failing rank (and its launcher)."""
    import sys

    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        previous(exc_type, exc, tb)
        sys.stderr.flush()
        os._exit(1)

    sys.excepthook = hook


def destroy_process_group(group=None):
    if _WORLD.jax_distributed:
        jax.distributed.shutdown()
    _WORLD.__init__()


def _require():
    if not _WORLD.initialized:
        raise ValueError(
            "Default process group has not been initialized, please make sure to call init_process_group."
        )


def get_rank(group=None) -> int:
    _require()
    return _WORLD.rank


def get_world_size(group=None) -> int:
    _require()
    return _WORLD.world_size


def get_backend(group=None) -> str:
    _require()
    return _WORLD.backend


def new_group(
    ranks=None, timeout=None, backend=None, pg_options=None, use_local_synchronization=False
):
    if ranks is not None and sorted(ranks) != list(range(get_world_size())):
        raise NotImplementedError("torchlike supports only the default (all ranks) process group")
    return GroupMember.WORLD


class _Work:
    def wait(self, timeout=None):
        return True

    def is_completed(self):
        return True


def _gather(t: Tensor) -> np.ndarray:
    """(world_size, *t.shape) host array of every rank's value."""
    local = t.detach()._host("distributed collective")
    if _WORLD.world_size == 1:
        return local[None]
    from jax.experimental import multihost_utils

    with jax.enable_x64(True), _first_contact():
        return np.asarray(multihost_utils.process_allgather(local, tiled=False)).reshape(
            (_WORLD.world_size,) + local.shape
        )


@contextlib.contextmanager
def _first_contact():
    """JAX's gloo prints '[Gloo] Rank 0 is connected to 1 peer ranks...' to the process's stdout
    when the ranks first connect (the first collective); PyTorch's does not: send it to stderr."""
    if _WORLD.connected:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        _WORLD.connected = True


def _reduce(stack: np.ndarray, op) -> np.ndarray:
    op = op if isinstance(op, ReduceOp) else ReduceOp(op)
    if op is ReduceOp.SUM:
        return stack.sum(0).astype(stack.dtype)
    if op is ReduceOp.AVG:
        return (stack.sum(0) / stack.shape[0]).astype(stack.dtype)
    if op is ReduceOp.PRODUCT:
        return stack.prod(0).astype(stack.dtype)
    if op is ReduceOp.MIN:
        return stack.min(0)
    if op is ReduceOp.MAX:
        return stack.max(0)
    if op is ReduceOp.BAND:
        return np.bitwise_and.reduce(stack, 0)
    if op is ReduceOp.BOR:
        return np.bitwise_or.reduce(stack, 0)
    return np.bitwise_xor.reduce(stack, 0)


def _assign(t: Tensor, value: np.ndarray):
    from .. import _creation
    from ..autograd.grad_mode import no_grad

    with no_grad():
        t.copy_(_creation.from_numpy(np.ascontiguousarray(value)))


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    _require()
    _assign(tensor, _reduce(_gather(tensor), op))
    return _Work() if async_op else None


def reduce(tensor, dst, op=ReduceOp.SUM, group=None, async_op=False):
    _require()
    result = _reduce(_gather(tensor), op)
    if _WORLD.rank == dst:
        _assign(tensor, result)
    return _Work() if async_op else None


def broadcast(tensor, src, group=None, async_op=False):
    _require()
    _assign(tensor, _gather(tensor)[src])
    return _Work() if async_op else None


def all_gather(tensor_list, tensor, group=None, async_op=False):
    _require()
    if len(tensor_list) != _WORLD.world_size:
        raise ValueError("all_gather: tensor_list must have world_size entries")
    stack = _gather(tensor)
    for t, v in zip(tensor_list, stack):
        _assign(t, v)
    return _Work() if async_op else None


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    _require()
    stack = _gather(input_tensor)
    _assign(output_tensor, stack.reshape(tuple(output_tensor.shape)))
    return _Work() if async_op else None


def all_gather_object(object_list, obj, group=None):
    import pickle

    from .. import _creation

    _require()
    raw = np.frombuffer(pickle.dumps(obj), dtype=np.uint8)
    sizes = _gather(_creation.tensor([raw.size]))[:, 0]
    padded = np.zeros(int(sizes.max()), np.uint8)
    padded[: raw.size] = raw
    stack = _gather(_creation.from_numpy(padded))
    for i in range(_WORLD.world_size):
        object_list[i] = pickle.loads(stack[i][: sizes[i]].tobytes())


def broadcast_object_list(object_list, src=0, group=None, device=None):
    gathered = [None] * _WORLD.world_size
    all_gather_object(gathered, list(object_list))
    object_list[:] = gathered[src]


def gather(tensor, gather_list=None, dst=0, group=None, async_op=False):
    _require()
    stack = _gather(tensor)
    if _WORLD.rank == dst and gather_list is not None:
        for t, v in zip(gather_list, stack):
            _assign(t, v)
    return _Work() if async_op else None


def scatter(tensor, scatter_list=None, src=0, group=None, async_op=False):
    from .. import _functions

    _require()
    if _WORLD.rank == src:
        full = _functions.stack(list(scatter_list))
    else:
        from .. import _creation

        full = _creation.zeros((_WORLD.world_size,) + tuple(tensor.shape), dtype=tensor.dtype)
    _assign(tensor, _gather(full)[src][_WORLD.rank])
    return _Work() if async_op else None


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    from .. import _functions

    _require()
    stack = _gather(_functions.stack(list(input_list)))  # (world, world, ...)
    _assign(output, _reduce(stack[:, _WORLD.rank], op))
    return _Work() if async_op else None


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):  # noqa: A002
    _require()
    stack = _gather(input).reshape((_WORLD.world_size, _WORLD.world_size) + tuple(output.shape))
    _assign(output, _reduce(stack[:, _WORLD.rank], op))
    return _Work() if async_op else None


def barrier(group=None, async_op=False, device_ids=None):
    _require()
    if _WORLD.world_size > 1:
        from jax.experimental import multihost_utils

        with _first_contact():
            multihost_utils.sync_global_devices("torchlike.distributed.barrier")
    return _Work() if async_op else None


def monitored_barrier(group=None, timeout=None, wait_all_ranks=False):
    return barrier(group)
